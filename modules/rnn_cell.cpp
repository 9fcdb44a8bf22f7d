#include <tapegrad/modules/rnn_cell.hpp>

#include <ostream>

#include <tapegrad/core/factories.hpp>
#include <tapegrad/core/str.hpp>
#include <tapegrad/modules/detail/layer_init.hpp>
#include <tapegrad/ops/rnn_cell.hpp>

namespace tg::nn {

namespace detail {

RNNCellImplBase::RNNCellImplBase(const char* name, std::int64_t input_size, std::int64_t hidden_size, bool bias,
                                 std::int64_t gates, std::string nonlinearity)
    : Module(name), input_size_(input_size), hidden_size_(hidden_size), nonlinearity_(std::move(nonlinearity)) {
  if (input_size < 1 || hidden_size < 1)
    throw Error(str(name, ": expected input_size >= 1 and hidden_size >= 1, got ", input_size, " and ", hidden_size));
  const std::size_t rows = std::size_t(gates * hidden_size);
  weight_ih = register_parameter("weight_ih", Tensor(Array<float>::from_shape({rows, std::size_t(input_size)})));
  weight_hh = register_parameter("weight_hh", Tensor(Array<float>::from_shape({rows, std::size_t(hidden_size)})));
  if (bias) {
    bias_ih = register_parameter("bias_ih", Tensor(Array<float>::from_shape({rows})));
    bias_hh = register_parameter("bias_hh", Tensor(Array<float>::from_shape({rows})));
  }
  reset_parameters();
}

void RNNCellImplBase::reset_parameters() { reset_recurrent_parameters(parameters(), hidden_size_); }

void RNNCellImplBase::pretty_print(std::ostream& stream) const {
  stream << name() << "(" << input_size_ << ", " << hidden_size_;
  if (!bias_ih.defined()) stream << ", bias=false";
  if (!nonlinearity_.empty()) stream << ", nonlinearity=" << nonlinearity_;
  stream << ")";
}

void RNNCellImplBase::check_input(const Tensor& input) const {
  if (!input.defined()) throw Error(name() + ": the input is undefined");
  if (input.dim() != 2 || input.size(1) != input_size_)
    throw Error(str(name(), ": expected input (batch, input_size) with input_size ", input_size_, ", got ",
                    shape_str(input.shape())));
  if (input.scalar_type() != weight_ih.scalar_type())
    throw Error(str(name(), ": input is ", input.scalar_type(), " but the parameters are ", weight_ih.scalar_type(),
                    " (convert one: module->to(tg::k", input.scalar_type(), "))"));
}

Tensor RNNCellImplBase::state_or_zeros(const Tensor& input, const Tensor& state, const char* label) const {
  // Not input.options(), which would make the zeros require grad with the input.
  if (!state.defined()) return zeros({input.size(0), hidden_size_}, dtype(input.scalar_type()));
  if (state.dim() != 2 || state.size(0) != input.size(0) || state.size(1) != hidden_size_)
    throw Error(str(name(), ": expected ", label, " of shape (batch, hidden_size) = ",
                    shape_str(std::vector<std::int64_t>{input.size(0), hidden_size_}), " for input ",
                    shape_str(input.shape()), ", got ", shape_str(state.shape())));
  if (state.scalar_type() != input.scalar_type())
    throw Error(str(name(), ": ", label, " is ", state.scalar_type(), " but the input is ", input.scalar_type()));
  return state;
}

}  // namespace detail

namespace {

std::string rnn_cell_nonlinearity_name(const RNNCellOptions::nonlinearity_t& nonlinearity) {
  // LibTorch prints it only when it is not the default tanh.
  return std::holds_alternative<enumtype::kReLU>(nonlinearity) ? enum_name(nonlinearity) : "";
}

}  // namespace

RNNCellImpl::RNNCellImpl(const RNNCellOptions& options)
    : RNNCellImplBase("RNNCell", options.input_size(), options.hidden_size(), options.bias(), 1,
                      rnn_cell_nonlinearity_name(options.nonlinearity())),
      options_(options) {}

Tensor RNNCellImpl::forward(const Tensor& input, const Tensor& hx) {
  check_input(input);
  const Tensor h = state_or_zeros(input, hx, "hx");
  return std::holds_alternative<enumtype::kReLU>(options_.nonlinearity())
             ? rnn_relu_cell(input, h, weight_ih, weight_hh, bias_ih, bias_hh)
             : rnn_tanh_cell(input, h, weight_ih, weight_hh, bias_ih, bias_hh);
}

LSTMCellImpl::LSTMCellImpl(const LSTMCellOptions& options)
    : RNNCellImplBase("LSTMCell", options.input_size(), options.hidden_size(), options.bias(), 4), options_(options) {}

std::tuple<Tensor, Tensor> LSTMCellImpl::forward(const Tensor& input, std::optional<std::tuple<Tensor, Tensor>> hx) {
  check_input(input);
  const Tensor h = state_or_zeros(input, hx ? std::get<0>(*hx) : Tensor(), "hx");
  const Tensor c = state_or_zeros(input, hx ? std::get<1>(*hx) : Tensor(), "cx");
  return lstm_cell(input, {h, c}, weight_ih, weight_hh, bias_ih, bias_hh);
}

GRUCellImpl::GRUCellImpl(const GRUCellOptions& options)
    : RNNCellImplBase("GRUCell", options.input_size(), options.hidden_size(), options.bias(), 3), options_(options) {}

Tensor GRUCellImpl::forward(const Tensor& input, const Tensor& hx) {
  check_input(input);
  return gru_cell(input, state_or_zeros(input, hx, "hx"), weight_ih, weight_hh, bias_ih, bias_hh);
}

}  // namespace tg::nn
