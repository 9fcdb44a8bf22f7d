#include <tapegrad/core/device.hpp>

#include <ostream>

#include <tapegrad/core/array.hpp>

namespace tg {

Device::Device(const std::string& spec) : type_(kCPU), index_(-1) {
  const auto colon = spec.find(':');
  const std::string name = spec.substr(0, colon);
  if (name == "cpu") {
    type_ = kCPU;
  } else if (name == "cuda") {
    type_ = kCUDA;
  } else {
    throw Error("Device: expected \"cpu\", \"cuda\" or \"cuda:N\", got \"" + spec + "\"");
  }
  if (colon != std::string::npos) {
    const std::string digits = spec.substr(colon + 1);
    if (digits.empty() || digits.size() > 2 || digits.find_first_not_of("0123456789") != std::string::npos)
      throw Error("Device: expected a device index of 0..99 after ':', got \"" + spec + "\"");
    index_ = static_cast<std::int8_t>(std::stoi(digits));
  }
}

std::string Device::str() const {
  std::string s = type_ == kCPU ? "cpu" : "cuda";
  return has_index() ? s + ":" + std::to_string(index_) : s;
}

std::ostream& operator<<(std::ostream& out, const Device& device) { return out << device.str(); }
std::ostream& operator<<(std::ostream& out, DeviceType type) { return out << (type == kCPU ? "cpu" : "cuda"); }

void check_cpu(const Device& device, const char* op) {
  if (!device.is_cpu())
    throw Error(std::string(op) + ": device " + device.str() +
                " is not available (tapegrad computes on the CPU only; expected tg::kCPU)");
}

namespace cuda {
bool is_available() { return false; }
std::int64_t device_count() { return 0; }
}  // namespace cuda

}  // namespace tg
