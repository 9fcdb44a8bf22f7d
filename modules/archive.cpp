#include <tapegrad/modules/archive.hpp>

#include <cstdint>
#include <cstring>

namespace tg::serialize {
namespace {

template <class T>
Tensor tensor_of(const npz::NpyArray& a) {
  Array<T> values = Array<T>::from_shape(a.shape);
  std::memcpy(values.data(), a.bytes.data(), a.bytes.size());
  return Tensor(std::move(values));
}

}  // namespace

void OutputArchive::write(const std::string& key, const Tensor& tensor) {
  for (const auto& entry : entries_)
    if (entry.first == key) throw Error("OutputArchive::write: key '" + key + "' is already written");
  if (!tensor.defined()) throw Error("OutputArchive::write: the tensor for key '" + key + "' is undefined");
  switch (tensor.scalar_type()) {
    case kFloat: entries_.emplace_back(key, npz::array(tensor.value<float>())); break;
    case kDouble: entries_.emplace_back(key, npz::array(tensor.value<double>())); break;
    case kLong: entries_.emplace_back(key, npz::array(tensor.value<std::int64_t>())); break;
    case kBool: {
      const Array<bool>& b = tensor.value<bool>();
      entries_.emplace_back(key, npz::NpyArray{"|b1", to_shape(b.shape()), std::string(b.begin(), b.end())});
      break;
    }
    default: throw Error("OutputArchive::write: key '" + key + "': tensors of dtype " + to_string(tensor.scalar_type()) + " are not written");
  }
}

void OutputArchive::save_to(const std::string& path) const { npz::write(path, entries_); }

void InputArchive::load_from(const std::string& path) {
  entries_ = npz::read(path);
  path_ = path;
}

bool InputArchive::try_read(const std::string& key, Tensor& tensor) const {
  const auto found = entries_.find(key);
  if (found == entries_.end()) return false;
  const npz::NpyArray& a = found->second;
  if (a.descr != "<f4" && a.descr != "<f8" && a.descr != "<i8" && a.descr != "|b1")
    throw Error("InputArchive::read: '" + path_ + "': key '" + key + "' has dtype '" + a.descr +
                "', expected float32, float64, int64 or bool");
  const std::size_t count = checked_numel(a.shape, ("InputArchive::read: '" + path_ + "': key '" + key + "'").c_str());
  const std::size_t item = a.descr == "|b1" ? 1 : a.descr == "<f4" ? 4 : 8;
  if (a.bytes.size() != count * item)
    throw Error("InputArchive::read: '" + path_ + "': key '" + key + "' holds " + std::to_string(a.bytes.size()) +
                " bytes, expected " + std::to_string(count * item) + " for shape " + shape_str(a.shape));
  if (a.descr == "<f4") tensor = tensor_of<float>(a);
  else if (a.descr == "<f8") tensor = tensor_of<double>(a);
  else if (a.descr == "<i8") tensor = tensor_of<std::int64_t>(a);
  else {
    Array<bool> values = Array<bool>::from_shape(a.shape);
    for (std::size_t i = 0; i < count; ++i) values.data()[i] = a.bytes[i] != 0;
    tensor = Tensor(std::move(values));
  }
  return true;
}

void InputArchive::read(const std::string& key, Tensor& tensor) const {
  if (!try_read(key, tensor))
    throw Error("InputArchive::read: '" + path_ + "' has no key '" + key + "'");
}

}  // namespace tg::serialize
