#include <tapegrad/ops/rnn_cell.hpp>

#include <tapegrad/core/str.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg {

namespace {

Tensor rnn_pre_activation(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                      const Tensor& b_ih, const Tensor& b_hh) {
  return linear(input, w_ih, b_ih) + linear(hx, w_hh, b_hh);
}

}  // namespace

std::tuple<Tensor, Tensor> lstm_cell(const Tensor& input, const std::vector<Tensor>& hx, const Tensor& w_ih,
                                     const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh) {
  if (hx.size() != 2) throw Error(str("lstm_cell: expected hx as {h, c}, got ", hx.size(), " tensors"));
  const std::vector<Tensor> gates = chunk(rnn_pre_activation(input, hx[0], w_ih, w_hh, b_ih, b_hh), 4, 1);
  const Tensor c = sigmoid(gates[1]) * hx[1] + sigmoid(gates[0]) * tanh(gates[2]);
  return {sigmoid(gates[3]) * tanh(c), c};
}

Tensor gru_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                const Tensor& b_hh) {
  const std::vector<Tensor> x = chunk(linear(input, w_ih, b_ih), 3, 1), h = chunk(linear(hx, w_hh, b_hh), 3, 1);
  const Tensor r = sigmoid(x[0] + h[0]), z = sigmoid(x[1] + h[1]);
  const Tensor n = tanh(x[2] + r * h[2]);
  return n + z * (hx - n);  // (1 - z)·n + z·h
}

Tensor rnn_tanh_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                     const Tensor& b_hh) {
  return tanh(rnn_pre_activation(input, hx, w_ih, w_hh, b_ih, b_hh));
}

Tensor rnn_relu_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                     const Tensor& b_hh) {
  return relu(rnn_pre_activation(input, hx, w_ih, w_hh, b_ih, b_hh));
}

}  // namespace tg
