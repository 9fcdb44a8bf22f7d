// For ops whose gradient is sparse (narrow, index_select, gather, nll_loss): scatter-add straight
// into the input's gradient buffer, so no input-sized temporary is built when a gradient exists.
#pragma once

#include <algorithm>

#include <tapegrad/core/tape.hpp>

namespace tg::detail {

// Input i's gradient buffer (numel elements), zeroed when it is new, ready to be added into.
template <class T>
T* zeroed_grad_buffer(Grads<T>& grads, std::size_t i, std::size_t numel) {
  bool fresh = false;
  T* dx = grads.buffer(i, fresh);
  if (fresh) std::fill_n(dx, numel, T(0));
  return dx;
}

}  // namespace tg::detail
