// The softmax family along one dim: logsumexp, log_softmax, softmax. All subtract the max before
// exp, so rows of ±1000 give finite results. The last dim is the fast path (one contiguous row at a
// time); any other dim is moved last by a transpose, computed there, and moved back (copies).
#pragma once

#include <cstddef>

#include <tapegrad/core/variable.hpp>

namespace tg {

// log(sum(exp(x))) along dim; the dim is dropped unless keepdim (then it has size 1).
template <class T>
Variable<T> logsumexp(const Variable<T>& x, std::ptrdiff_t dim, bool keepdim = false);

// x - logsumexp(x) along dim: log-probabilities, for nll_loss.
template <class T>
Variable<T> log_softmax(const Variable<T>& x, std::ptrdiff_t dim);

// exp(x) / sum(exp(x)) along dim.
template <class T>
Variable<T> softmax(const Variable<T>& x, std::ptrdiff_t dim);

}  // namespace tg
