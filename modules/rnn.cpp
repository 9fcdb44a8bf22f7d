#include <tapegrad/modules/rnn.hpp>

#include <ostream>

#include <tapegrad/core/factories.hpp>
#include <tapegrad/core/str.hpp>
#include <tapegrad/modules/detail/layer_init.hpp>
#include <tapegrad/ops/rnn_cell.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

namespace detail {

RNNImplBase::RNNImplBase(const char* name, const RNNOptionsBase& options, std::int64_t gates)
    : Module(name), options_(options) {
  if (options.input_size < 1 || options.hidden_size < 1)
    throw Error(str(name, ": expected input_size >= 1 and hidden_size >= 1, got ", options.input_size, " and ",
                    options.hidden_size));
  if (options.num_layers < 1) throw Error(str(name, ": expected num_layers >= 1, got ", options.num_layers));
  if (!(options.dropout >= 0 && options.dropout <= 1))
    throw Error(str(name, ": expected dropout in [0, 1] (the probability of zeroing an element), got ", options.dropout));
  const std::int64_t directions = options.bidirectional ? 2 : 1;
  const std::size_t rows = std::size_t(gates * options.hidden_size), hidden = std::size_t(options.hidden_size);
  auto make = [&](const std::string& param, std::vector<std::size_t> shape) {
    return register_parameter(param, Tensor(Array<float>::from_shape(shape)));
  };
  for (std::int64_t layer = 0; layer < options.num_layers; ++layer) {
    const std::size_t in = std::size_t(layer == 0 ? options.input_size : options.hidden_size * directions);
    for (std::int64_t direction = 0; direction < directions; ++direction) {
      const std::string suffix = str("_l", layer, direction == 1 ? "_reverse" : "");
      Weights w;
      w.w_ih = make("weight_ih" + suffix, {rows, in});
      w.w_hh = make("weight_hh" + suffix, {rows, hidden});
      if (options.bias) {
        w.b_ih = make("bias_ih" + suffix, {rows});
        w.b_hh = make("bias_hh" + suffix, {rows});
      }
      weights_.push_back(w);
    }
  }
  reset_parameters();
}

void RNNImplBase::reset_parameters() { reset_recurrent_parameters(parameters(), options_.hidden_size); }

void RNNImplBase::pretty_print(std::ostream& stream) const {
  auto flag = [](bool on) { return on ? "true" : "false"; };  // leaves the stream's boolalpha as it was
  stream << name() << "(input_size=" << options_.input_size << ", hidden_size=" << options_.hidden_size
         << ", num_layers=" << options_.num_layers << ", bias=" << flag(options_.bias)
         << ", batch_first=" << flag(options_.batch_first) << ", dropout=" << options_.dropout
         << ", bidirectional=" << flag(options_.bidirectional) << ")";
}

std::vector<Tensor> RNNImplBase::all_weights() const {
  std::vector<Tensor> all;
  for (const Weights& w : weights_)
    for (const Tensor& t : {w.w_ih, w.w_hh, w.b_ih, w.b_hh})
      if (t.defined()) all.push_back(t);
  return all;
}

void RNNImplBase::check_input(const Tensor& input) const {
  const char* layout = options_.batch_first ? "(batch, seq_len, input_size)" : "(seq_len, batch, input_size)";
  if (!input.defined()) throw Error(name() + ": the input is undefined");
  if (input.dim() != 3 || input.size(2) != options_.input_size)
    throw Error(str(name(), ": expected input ", layout, " with input_size ", options_.input_size, ", got ",
                    shape_str(input.shape()), input.dim() == 2 ? " (unbatched input is not supported)" : ""));
  if (input.size(options_.batch_first ? 1 : 0) == 0)
    throw Error(str(name(), ": expected at least one time step, got input ", shape_str(input.shape()), " ", layout));
  if (input.scalar_type() != weights_[0].w_ih.scalar_type())
    throw Error(str(name(), ": input is ", input.scalar_type(), " but the parameters are ",
                    weights_[0].w_ih.scalar_type(), " (convert one: module->to(tg::k", input.scalar_type(), "))"));
}

std::tuple<Tensor, std::vector<Tensor>> RNNImplBase::run(const Tensor& input, const std::vector<Tensor>& states,
                                                         const std::vector<const char*>& labels) {
  check_input(input);
  const std::int64_t directions = options_.bidirectional ? 2 : 1, stacked = options_.num_layers * directions;
  const Tensor x = options_.batch_first ? input.transpose(0, 1) : input;  // (seq_len, batch, features)
  const std::int64_t steps = x.size(0), batch = x.size(1);
  const std::vector<std::int64_t> state_shape{stacked, batch, options_.hidden_size};
  std::vector<Tensor> initial;
  for (std::size_t k = 0; k < states.size(); ++k) {
    if (!states[k].defined()) {
      // Not input.options(), which would make the zeros require grad with the input.
      initial.push_back(zeros(state_shape, dtype(input.scalar_type())));
    } else if (states[k].sizes() != IntArrayRef(state_shape)) {
      throw Error(str(name(), ": expected ", labels[k], " of shape (num_layers·num_directions, batch, hidden_size) = ",
                      shape_str(state_shape), " for input ", shape_str(input.shape()), ", got ",
                      shape_str(states[k].shape())));
    } else if (states[k].scalar_type() != input.scalar_type()) {
      throw Error(str(name(), ": ", labels[k], " is ", states[k].scalar_type(), " but the input is ", input.scalar_type()));
    } else {
      initial.push_back(states[k]);
    }
  }

  std::vector<std::vector<Tensor>> finals(states.size(), std::vector<Tensor>(std::size_t(stacked)));
  Tensor layer_input = x;
  for (std::int64_t layer = 0; layer < options_.num_layers; ++layer) {
    std::vector<Tensor> outputs;  // one (seq_len, batch, hidden_size) per direction
    for (std::int64_t direction = 0; direction < directions; ++direction) {
      const std::int64_t index = layer * directions + direction;
      std::vector<Tensor> state;
      for (const Tensor& s : initial) state.push_back(s.select(0, index));
      std::vector<Tensor> hs(static_cast<std::size_t>(steps));
      for (std::int64_t i = 0; i < steps; ++i) {
        const std::int64_t t = direction == 0 ? i : steps - 1 - i;
        state = step(layer_input.select(0, t), state, weights_[std::size_t(index)]);
        hs[std::size_t(t)] = state[0];
      }
      for (std::size_t k = 0; k < state.size(); ++k) finals[k][std::size_t(index)] = state[k];
      outputs.push_back(stack(hs, 0));
    }
    layer_input = directions == 2 ? cat(outputs, 2) : outputs[0];
    if (layer + 1 < options_.num_layers && options_.dropout > 0 && is_training())
      layer_input = tg::dropout(layer_input, options_.dropout, true);
  }
  std::vector<Tensor> final_states;
  for (const std::vector<Tensor>& f : finals) final_states.push_back(stack(f, 0));
  return {options_.batch_first ? layer_input.transpose(0, 1) : layer_input, final_states};
}

}  // namespace detail

LSTMImpl::LSTMImpl(const LSTMOptions& options)
    : RNNImplBase("LSTM", detail::rnn_options_base(options), 4), options_(options) {}

std::tuple<Tensor, std::tuple<Tensor, Tensor>> LSTMImpl::forward(const Tensor& input,
                                                                 std::optional<std::tuple<Tensor, Tensor>> hx) {
  const auto [output, states] =
      run(input, {hx ? std::get<0>(*hx) : Tensor(), hx ? std::get<1>(*hx) : Tensor()}, {"h_0", "c_0"});
  return {output, {states[0], states[1]}};
}

std::vector<Tensor> LSTMImpl::step(const Tensor& x, const std::vector<Tensor>& states, const Weights& w) const {
  const auto [h, c] = lstm_cell(x, states, w.w_ih, w.w_hh, w.b_ih, w.b_hh);
  return {h, c};
}

GRUImpl::GRUImpl(const GRUOptions& options)
    : RNNImplBase("GRU", detail::rnn_options_base(options), 3), options_(options) {}

std::tuple<Tensor, Tensor> GRUImpl::forward(const Tensor& input, Tensor hx) {
  const auto [output, states] = run(input, {hx}, {"h_0"});
  return {output, states[0]};
}

std::vector<Tensor> GRUImpl::step(const Tensor& x, const std::vector<Tensor>& states, const Weights& w) const {
  return {gru_cell(x, states[0], w.w_ih, w.w_hh, w.b_ih, w.b_hh)};
}

RNNImpl::RNNImpl(const RNNOptions& options)
    : RNNImplBase("RNN", detail::rnn_options_base(options), 1), options_(options) {}

std::tuple<Tensor, Tensor> RNNImpl::forward(const Tensor& input, Tensor hx) {
  const auto [output, states] = run(input, {hx}, {"h_0"});
  return {output, states[0]};
}

std::vector<Tensor> RNNImpl::step(const Tensor& x, const std::vector<Tensor>& states, const Weights& w) const {
  return {std::holds_alternative<enumtype::kReLU>(options_.nonlinearity())
              ? rnn_relu_cell(x, states[0], w.w_ih, w.w_hh, w.b_ih, w.b_hh)
              : rnn_tanh_cell(x, states[0], w.w_ih, w.w_hh, w.b_ih, w.b_hh)};
}

}  // namespace tg::nn
