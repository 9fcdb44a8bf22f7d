// tg::manual: gradients derived by hand, on plain tensors, with no Variable and no tape. They are the
// reference the tape is held to (tests/test_manual_backward.cpp, examples/manual_backward.cpp), and
// they follow the walkthrough tapegrad grows from (docs/walkthrough.md, step 4):
//
//   forward:  l1 = inp @ w1 + b1;  l2 = relu(l1);  out = l2 @ w2 + b2;  loss = mse(out, targ)
//   backward: d_out = mse_grad(out, targ)
//             {d_l2, d_w2, d_b2} = lin_grad(l2, d_out, w2)
//             d_l1 = relu_grad(l1, d_l2)
//             {d_inp, d_w1, d_b1} = lin_grad(inp, d_l1, w1)
//
// Read each beside the tape op it checks: mse_grad ~ mse_loss, relu_grad ~ relu, lin_grad ~ matmul
// + add, linear_grad ~ linear, cross_entropy_grad ~ cross_entropy, conv2d_grad ~ conv2d. Where the
// math allows a different route (conv2d: explicit im2col and OpenBLAS, not the tape's kernels), it takes it,
// so that agreement means something. Bad shapes throw tg::Error naming the function.
#pragma once

#include <array>
#include <cstddef>

#include <tapegrad/core/array.hpp>

namespace tg::manual {

// loss = mean over i of (out[i, 0] - targ[i])², out (N, 1), targ (N,)  →  d out (N, 1):
//   d out[i, 0] = 2 (out[i, 0] - targ[i]) / N
template <class T>
Array<T> mse_grad(const Array<T>& out, const Array<T>& targ);

// out = max(inp, 0)  →  d inp = (inp > 0) · d out   (any shape; 0 at inp = 0, as torch)
template <class T>
Array<T> relu_grad(const Array<T>& inp, const Array<T>& out_grad);

template <class T>
struct LinearGrads {
  Array<T> inp;  // (N, in); a default-constructed tensor when input_grad is false
  Array<T> w;    // the weight's shape
  Array<T> b;    // (out,)
};

// The walkthrough's layout: out (N, out) = inp (N, in) @ w (in, out) + b (out,)  →
//   d inp = d out @ wᵀ      d w = inpᵀ @ d out      d b = Σ_i d out[i, :]
// With input_grad false, d inp is skipped (a first layer, whose input is data, needs none).
template <class T>
LinearGrads<T> lin_grad(const Array<T>& inp, const Array<T>& out_grad, const Array<T>& w, bool input_grad = true);

// LibTorch's layout (tg::linear): out (N, out) = inp (N, in) @ wᵀ + b, w (out, in)  →
//   d inp = d out @ w       d w = d outᵀ @ inp      d b = Σ_i d out[i, :]
template <class T>
LinearGrads<T> linear_grad(const Array<T>& inp, const Array<T>& out_grad, const Array<T>& w, bool input_grad = true);

// loss = mean over i of nll(log_softmax(logits)[i], target[i]) = mean_i (logsumexp(logits[i]) - logits[i, target[i]]),
// logits (N, C), target (N,) in [0, C)  →  d logits = (softmax(logits) - onehot(target)) / N
template <class T>
Array<T> cross_entropy_grad(const Array<T>& logits, const Labels& target);

template <class T>
struct Conv2dGrads {
  Array<T> input;   // (N, C, H, W)
  Array<T> weight;  // (O, C, kh, kw)
  Array<T> bias;    // (O,)
};

// out (N, O, OH, OW) = conv2d(input (N, C, H, W), weight (O, C, kh, kw), bias (O,), stride, padding).
// In im2col form, with cols (C·kh·kw, N·OH·OW) holding every image's receptive fields side by side
// and d out laid out channel-major as D (O, N·OH·OW):
//   d weight = D @ colsᵀ      d cols = weightᵀ @ D → col2im per image = d input      d bias = Σ D[o, :]
// Each is one OpenBLAS product over the whole batch (the tape's conv2d computes the same products
// with its own kernels, never writing cols out: kernels/conv2d.hpp).
template <class T>
Conv2dGrads<T> conv2d_grad(const Array<T>& input, const Array<T>& out_grad, const Array<T>& weight,
                           std::array<std::size_t, 2> stride = {1, 1}, std::array<std::size_t, 2> padding = {0, 0});

// How far a gradient is from its reference: max |got - reference| and that divided by
// max |reference| (the "relative" difference the tests and examples report; 0 when both are 0).
struct Difference {
  double max_abs;
  double relative;
};

template <class T>
Difference difference(const Array<T>& got, const Array<T>& reference);

}  // namespace tg::manual
