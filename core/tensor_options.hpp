// tg::TensorOptions: the dtype, device and requires_grad a factory gives its tensor, spelled as
// LibTorch's: tg::zeros({2, 3}, tg::TensorOptions().dtype(tg::kDouble).requires_grad(true)),
// tg::ones({3}, tg::kLong), tg::randn({4}, tg::requires_grad()).
#pragma once

#include <iosfwd>

#include <tapegrad/core/device.hpp>
#include <tapegrad/core/scalar_type.hpp>

namespace tg {

class TensorOptions {
 public:
  TensorOptions() = default;
  TensorOptions(ScalarType dtype) { set_dtype(dtype); }
  TensorOptions(Device device) : device_(device) {}
  TensorOptions(DeviceType device) : device_(device) {}

  // Setters return a changed copy, as LibTorch's, so they chain.
  TensorOptions dtype(ScalarType dtype) const { auto o = *this; o.set_dtype(dtype); return o; }
  TensorOptions device(Device device) const { auto o = *this; o.device_ = device; return o; }
  TensorOptions requires_grad(bool on) const { auto o = *this; o.requires_grad_ = on; o.has_requires_grad_ = true; return o; }

  // Getters: the default (kFloat, kCPU, false) where nothing was set.
  ScalarType dtype() const { return dtype_; }
  Device device() const { return device_; }
  bool requires_grad() const { return requires_grad_; }
  bool has_dtype() const { return has_dtype_; }
  bool has_requires_grad() const { return has_requires_grad_; }

 private:
  void set_dtype(ScalarType dtype) { dtype_ = dtype; has_dtype_ = true; }
  ScalarType dtype_ = kFloat;
  Device device_ = kCPU;
  bool requires_grad_ = false;
  bool has_dtype_ = false;
  bool has_requires_grad_ = false;
};

inline TensorOptions dtype(ScalarType dtype) { return TensorOptions().dtype(dtype); }
inline TensorOptions device(Device device) { return TensorOptions().device(device); }
inline TensorOptions requires_grad(bool on = true) { return TensorOptions().requires_grad(on); }

// TensorOptions(dtype=Float, device=cpu, requires_grad=false)
std::ostream& operator<<(std::ostream& out, const TensorOptions& options);

}  // namespace tg
