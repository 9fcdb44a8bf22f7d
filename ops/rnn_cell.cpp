#include <tapegrad/ops/rnn_cell.hpp>

#include <tapegrad/core/str.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg {

namespace {

// Throws, naming op, unless input is (batch, input_size), hx (batch, hidden_size), w_ih
// (gates·hidden_size, input_size), w_hh (gates·hidden_size, hidden_size) and each bias given
// (gates·hidden_size,).
void check_rnn_cell_args(const char* op, std::int64_t gates, const Tensor& input, const Tensor& hx, const Tensor& w_ih,
                         const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh) {
  for (const Tensor* t : {&input, &hx, &w_ih, &w_hh})
    if (!t->defined()) throw Error(str(op, ": input, hx, w_ih and w_hh must be defined"));
  const bool ok = input.dim() == 2 && hx.dim() == 2 && hx.size(0) == input.size(0) && w_ih.dim() == 2 &&
                  w_ih.size(0) == gates * hx.size(1) && w_ih.size(1) == input.size(1) && w_hh.dim() == 2 &&
                  w_hh.size(0) == gates * hx.size(1) && w_hh.size(1) == hx.size(1) &&
                  (!b_ih.defined() || b_ih.sizes() == IntArrayRef{w_ih.size(0)}) &&
                  (!b_hh.defined() || b_hh.sizes() == IntArrayRef{w_ih.size(0)});
  if (!ok)
    throw Error(str(op, ": expected input (batch, input_size), hx (batch, hidden_size), w_ih (", gates,
                    "·hidden_size, input_size), w_hh (", gates, "·hidden_size, hidden_size) and biases (", gates,
                    "·hidden_size,), got input ", shape_str(input.shape()), ", hx ", shape_str(hx.shape()), ", w_ih ",
                    shape_str(w_ih.shape()), ", w_hh ", shape_str(w_hh.shape()),
                    b_ih.defined() ? ", b_ih " + shape_str(b_ih.shape()) : "",
                    b_hh.defined() ? ", b_hh " + shape_str(b_hh.shape()) : ""));
}

Tensor rnn_pre_activation(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                      const Tensor& b_ih, const Tensor& b_hh) {
  return linear(input, w_ih, b_ih) + linear(hx, w_hh, b_hh);
}

}  // namespace

std::tuple<Tensor, Tensor> lstm_cell(const Tensor& input, const std::vector<Tensor>& hx, const Tensor& w_ih,
                                     const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh) {
  if (hx.size() != 2) throw Error(str("lstm_cell: expected hx as {h, c}, got ", hx.size(), " tensors"));
  check_rnn_cell_args("lstm_cell", 4, input, hx[0], w_ih, w_hh, b_ih, b_hh);
  if (!hx[1].defined() || hx[1].sizes() != hx[0].sizes())
    throw Error(str("lstm_cell: expected c of h's shape ", shape_str(hx[0].shape()), ", got ",
                    hx[1].defined() ? shape_str(hx[1].shape()) : "an undefined tensor"));
  const std::vector<Tensor> gates = chunk(rnn_pre_activation(input, hx[0], w_ih, w_hh, b_ih, b_hh), 4, 1);
  const Tensor c = sigmoid(gates[1]) * hx[1] + sigmoid(gates[0]) * tanh(gates[2]);
  return {sigmoid(gates[3]) * tanh(c), c};
}

Tensor gru_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                const Tensor& b_hh) {
  check_rnn_cell_args("gru_cell", 3, input, hx, w_ih, w_hh, b_ih, b_hh);
  const std::vector<Tensor> x = chunk(linear(input, w_ih, b_ih), 3, 1), h = chunk(linear(hx, w_hh, b_hh), 3, 1);
  const Tensor r = sigmoid(x[0] + h[0]), z = sigmoid(x[1] + h[1]);
  const Tensor n = tanh(x[2] + r * h[2]);
  return n + z * (hx - n);  // (1 - z)·n + z·h
}

Tensor rnn_tanh_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                     const Tensor& b_hh) {
  check_rnn_cell_args("rnn_tanh_cell", 1, input, hx, w_ih, w_hh, b_ih, b_hh);
  return tanh(rnn_pre_activation(input, hx, w_ih, w_hh, b_ih, b_hh));
}

Tensor rnn_relu_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                     const Tensor& b_hh) {
  check_rnn_cell_args("rnn_relu_cell", 1, input, hx, w_ih, w_hh, b_ih, b_hh);
  return relu(rnn_pre_activation(input, hx, w_ih, w_hh, b_ih, b_hh));
}

}  // namespace tg
