// tg::nn::LSTM, GRU, RNN: LibTorch's multi-layer recurrent modules, with its options, forward
// signatures, parameter names (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, then
// ..._l0_reverse when bidirectional, then layer 1; gates stacked i, f, g, o for the LSTM and r, z, n
// for the GRU), initialisation (every parameter U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))) and
// printing. Each time step is ops/rnn_cell.hpp's, shared with the cells (rnn_cell.hpp), so the
// gradients come from the ops it is made of.
//
//   tg::nn::LSTM lstm(tg::nn::LSTMOptions(10, 20).num_layers(2).bidirectional(true));
//   auto [output, state] = lstm(x);            // x (seq_len, batch, 10), zero initial states
//   auto [h_n, c_n] = state;                   // output (seq_len, batch, 40); h_n, c_n (4, batch, 20)
//   tg::nn::GRU gru(tg::nn::GRUOptions(10, 20).batch_first(true));
//   auto [y, h] = gru(x, h0);                  // x (batch, seq_len, 10), h0 (1, batch, 20)
//   tg::nn::RNN rnn(tg::nn::RNNOptions(10, 20).nonlinearity(tg::kReLU));
//
// Input is (seq_len, batch, input_size), or (batch, seq_len, input_size) with batch_first; the states
// are (num_layers·num_directions, batch, hidden_size) whatever batch_first says. With dropout p > 0,
// each layer's output but the last's goes through dropout(p) while training.
//
// Where tapegrad differs from LibTorch 1.13: no PackedSequence (forward_with_packed_input) and no
// LSTM proj_size; dropout with a single layer is accepted without LibTorch's warning; num_layers < 1
// and sizes < 1 throw (LibTorch crashes on num_layers 0). As LibTorch 1.13's C++ modules (not
// PyTorch's Python ones), unbatched 2-D input is refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include <tapegrad/core/arg.hpp>
#include <tapegrad/core/enum.hpp>
#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>

namespace tg::nn {

struct LSTMOptions {
  LSTMOptions(std::int64_t input_size, std::int64_t hidden_size) : input_size_(input_size), hidden_size_(hidden_size) {}
  TG_ARG(std::int64_t, input_size);
  TG_ARG(std::int64_t, hidden_size);
  TG_ARG(std::int64_t, num_layers) = 1;
  TG_ARG(bool, bias) = true;          // false: no bias_ih_l*, bias_hh_l*
  TG_ARG(bool, batch_first) = false;  // input and output (batch, seq_len, features)
  TG_ARG(double, dropout) = 0.0;      // after each layer but the last, while training
  TG_ARG(bool, bidirectional) = false;
};

struct GRUOptions {
  GRUOptions(std::int64_t input_size, std::int64_t hidden_size) : input_size_(input_size), hidden_size_(hidden_size) {}
  TG_ARG(std::int64_t, input_size);
  TG_ARG(std::int64_t, hidden_size);
  TG_ARG(std::int64_t, num_layers) = 1;
  TG_ARG(bool, bias) = true;
  TG_ARG(bool, batch_first) = false;
  TG_ARG(double, dropout) = 0.0;
  TG_ARG(bool, bidirectional) = false;
};

struct RNNOptions {
  using nonlinearity_t = std::variant<enumtype::kTanh, enumtype::kReLU>;
  RNNOptions(std::int64_t input_size, std::int64_t hidden_size) : input_size_(input_size), hidden_size_(hidden_size) {}
  TG_ARG(std::int64_t, input_size);
  TG_ARG(std::int64_t, hidden_size);
  TG_ARG(std::int64_t, num_layers) = 1;
  TG_ARG(nonlinearity_t, nonlinearity) = kTanh;
  TG_ARG(bool, bias) = true;
  TG_ARG(bool, batch_first) = false;
  TG_ARG(double, dropout) = 0.0;
  TG_ARG(bool, bidirectional) = false;
};

namespace detail {

// The options the three modules share, as LibTorch's detail::RNNOptionsBase.
struct RNNOptionsBase {
  std::int64_t input_size, hidden_size, num_layers;
  bool bias, batch_first;
  double dropout;
  bool bidirectional;
};

template <class Options>
RNNOptionsBase rnn_options_base(const Options& o) {
  return {o.input_size(), o.hidden_size(), o.num_layers(), o.bias(), o.batch_first(), o.dropout(), o.bidirectional()};
}

// What the three modules share: the parameters, their checks, the loop over layers, directions and
// time steps, and the printing. A module supplies one step of one layer and direction.
class RNNImplBase : public Module {
 public:
  // Draws fresh parameters: U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) for all, as LibTorch.
  void reset_parameters();
  // LibTorch's format: "LSTM(input_size=10, hidden_size=20, num_layers=1, bias=true, batch_first=false,
  // dropout=0, bidirectional=false)".
  void pretty_print(std::ostream& stream) const override;
  // Every parameter, by layer and then direction, each as w_ih, w_hh[, b_ih, b_hh] (LibTorch's).
  std::vector<Tensor> all_weights() const;
  const RNNOptionsBase& options_base() const { return options_; }

 protected:
  struct Weights {
    Tensor w_ih, w_hh, b_ih, b_hh;  // the biases undefined with bias(false)
  };

  RNNImplBase(const char* name, const RNNOptionsBase& options, std::int64_t gates);
  // One time step: x (batch, features) and the states (each (batch, hidden_size); h first) -> the
  // new states.
  virtual std::vector<Tensor> step(const Tensor& x, const std::vector<Tensor>& states, const Weights& w) const = 0;
  // The whole forward: checks input and the initial states (named by `labels`; an undefined one is
  // zeros), runs every layer and direction, and returns the output and the final states, each
  // (num_layers·num_directions, batch, hidden_size).
  std::tuple<Tensor, std::vector<Tensor>> run(const Tensor& input, const std::vector<Tensor>& states,
                                              const std::vector<const char*>& labels);

 private:
  void check_input(const Tensor& input) const;

  RNNOptionsBase options_;
  std::vector<Weights> weights_;  // layer·num_directions + direction
};

}  // namespace detail

class LSTMImpl : public detail::RNNImplBase {
 public:
  explicit LSTMImpl(const LSTMOptions& options);
  LSTMImpl(std::int64_t input_size, std::int64_t hidden_size) : LSTMImpl(LSTMOptions(input_size, hidden_size)) {}

  // Returns (output, (h_n, c_n)); hx = (h_0, c_0), zeros when absent.
  std::tuple<Tensor, std::tuple<Tensor, Tensor>> forward(const Tensor& input,
                                                          std::optional<std::tuple<Tensor, Tensor>> hx = {});
  const LSTMOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<LSTMImpl>(options_); }

 protected:
  std::vector<Tensor> step(const Tensor& x, const std::vector<Tensor>& states, const Weights& w) const override;

 private:
  LSTMOptions options_;
};
TG_MODULE(LSTM);

class GRUImpl : public detail::RNNImplBase {
 public:
  explicit GRUImpl(const GRUOptions& options);
  GRUImpl(std::int64_t input_size, std::int64_t hidden_size) : GRUImpl(GRUOptions(input_size, hidden_size)) {}

  // Returns (output, h_n); hx = h_0, zeros when undefined.
  std::tuple<Tensor, Tensor> forward(const Tensor& input, Tensor hx = {});
  const GRUOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<GRUImpl>(options_); }

 protected:
  std::vector<Tensor> step(const Tensor& x, const std::vector<Tensor>& states, const Weights& w) const override;

 private:
  GRUOptions options_;
};
TG_MODULE(GRU);

// The Elman RNN: tanh, or relu with nonlinearity(tg::kReLU) (which LibTorch does not print).
class RNNImpl : public detail::RNNImplBase {
 public:
  explicit RNNImpl(const RNNOptions& options);
  RNNImpl(std::int64_t input_size, std::int64_t hidden_size) : RNNImpl(RNNOptions(input_size, hidden_size)) {}

  // Returns (output, h_n); hx = h_0, zeros when undefined.
  std::tuple<Tensor, Tensor> forward(const Tensor& input, Tensor hx = {});
  const RNNOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<RNNImpl>(options_); }

 protected:
  std::vector<Tensor> step(const Tensor& x, const std::vector<Tensor>& states, const Weights& w) const override;

 private:
  RNNOptions options_;
};
TG_MODULE(RNN);

}  // namespace tg::nn
