// tg::Device: where a tensor lives. tapegrad computes on the CPU only; the names are LibTorch's so
// that device-generic code (`tensor.to(device)`, `if (tg::cuda::is_available())`) compiles and runs
// on the CPU. A CUDA device can be named, but moving a tensor or module to it throws.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace tg {

enum class DeviceType : std::int8_t { CPU, CUDA };

constexpr DeviceType kCPU = DeviceType::CPU;
constexpr DeviceType kCUDA = DeviceType::CUDA;

class Device {
 public:
  Device(DeviceType type, std::int8_t index = -1) : type_(type), index_(index) {}
  // "cpu", "cuda", "cuda:1"; anything else throws tg::Error.
  Device(const std::string& spec);
  Device(const char* spec) : Device(std::string(spec)) {}

  DeviceType type() const { return type_; }
  std::int8_t index() const { return index_; }
  bool has_index() const { return index_ >= 0; }
  bool is_cpu() const { return type_ == kCPU; }
  bool is_cuda() const { return type_ == kCUDA; }
  std::string str() const;  // "cpu", "cuda:0"

  bool operator==(const Device& o) const { return type_ == o.type_ && index_ == o.index_; }
  bool operator!=(const Device& o) const { return !(*this == o); }

 private:
  DeviceType type_;
  std::int8_t index_;
};

std::ostream& operator<<(std::ostream& out, const Device& device);
std::ostream& operator<<(std::ostream& out, DeviceType type);

// Throws tg::Error naming `op` unless `device` is the CPU.
void check_cpu(const Device& device, const char* op);

namespace cuda {
bool is_available();       // false: tapegrad has no CUDA backend
std::int64_t device_count();  // 0
}  // namespace cuda

}  // namespace tg
