// TG_ARG: an option of a builder-style options struct, as LibTorch's TORCH_ARG. Declares the setter
// `name(value)` (returns the struct, so calls chain), the getters `name()`, and the member `name_`,
// whose default follows the macro:
//
//   struct AdamOptions { TG_ARG(double, lr) = 1e-3; };
//   AdamOptions().lr(0.1).lr()  // 0.1
#pragma once

#define TG_ARG(T, name)                      \
 public:                                     \
  auto& name(const T& new_##name) {          \
    this->name##_ = new_##name;              \
    return *this;                            \
  }                                          \
  const T& name() const { return name##_; }  \
  T& name() { return name##_; }              \
                                             \
 private:                                    \
  T name##_
