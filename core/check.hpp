// TG_CHECK(cond, message parts...): LibTorch's TORCH_CHECK under tapegrad's prefix: when `cond` is
// false, throws tg::Error with the condition's text and the parts streamed after it. AT_ASSERT(cond),
// which LibTorch still provides (deprecated) through torch/torch.h and its MNIST example calls, is
// the same check, so that such code compiles unchanged; it is left alone if LibTorch defined it.
#pragma once

#include <sstream>
#include <string>

#include <tapegrad/core/array.hpp>

namespace tg::detail {

template <class... Parts>
[[noreturn]] void check_failed(const char* condition, const char* file, int line, const Parts&... parts) {
  std::ostringstream out;
  out << "Expected " << condition << " to be true, but got false (" << file << ":" << line << ")";
  if constexpr (sizeof...(Parts) > 0) {
    out << ": ";
    (out << ... << parts);
  }
  throw Error(out.str());
}

}  // namespace tg::detail

#define TG_CHECK(cond, ...) \
  ((cond) ? static_cast<void>(0) : ::tg::detail::check_failed(#cond, __FILE__, __LINE__, ##__VA_ARGS__))

#ifndef AT_ASSERT
#define AT_ASSERT(cond, ...) TG_CHECK(cond, ##__VA_ARGS__)
#endif
