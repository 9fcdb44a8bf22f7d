// One time step of the recurrent cells, with ATen's names and signatures (at::lstm_cell, at::gru_cell,
// at::rnn_tanh_cell, at::rnn_relu_cell): the one definition the cell modules (modules/rnn_cell.hpp)
// and the sequence modules (modules/rnn.hpp) share. Composites of linear, chunk, sigmoid, tanh, relu,
// add and mul, so their gradients come from those ops.
//
// input (batch, input_size), hx (batch, hidden_size); w_ih (gates·hidden_size, input_size),
// w_hh (gates·hidden_size, hidden_size); the biases (gates·hidden_size,), or undefined for none.
// The gates are stacked in PyTorch's order: i, f, g, o for the LSTM; r, z, n for the GRU.
// Other shapes throw tg::Error naming the op and every shape.
#pragma once

#include <tuple>
#include <vector>

#include <tapegrad/core/tensor.hpp>

namespace tg {

// i, f, g, o = σ, σ, tanh, σ of (input·w_ihᵀ + b_ih + hx·w_hhᵀ + b_hh) cut in four;
// c' = f·c + i·g, h' = o·tanh(c'). hx is {h, c}; returns (h', c').
std::tuple<Tensor, Tensor> lstm_cell(const Tensor& input, const std::vector<Tensor>& hx, const Tensor& w_ih,
                                     const Tensor& w_hh, const Tensor& b_ih = {}, const Tensor& b_hh = {});

// r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r·h_n), h' = (1 - z)·n + z·h, where
// x = input·w_ihᵀ + b_ih and h = hx·w_hhᵀ + b_hh are each cut in three (r, z, n).
Tensor gru_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih = {},
                const Tensor& b_hh = {});

// h' = tanh (relu) of input·w_ihᵀ + b_ih + hx·w_hhᵀ + b_hh.
Tensor rnn_tanh_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih = {}, const Tensor& b_hh = {});
Tensor rnn_relu_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih = {}, const Tensor& b_hh = {});

}  // namespace tg
