// tg::nn::RNNCell, LSTMCell, GRUCell: one time step of LibTorch's recurrent cells, with its options,
// parameter names (weight_ih, weight_hh, bias_ih, bias_hh; gates stacked i, f, g, o for the LSTM and
// r, z, n for the GRU), initialisation (every parameter U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)))
// and printing. The step itself is ops/rnn_cell.hpp's, shared with the sequence modules (rnn.hpp).
//
//   tg::nn::LSTMCell cell(tg::nn::LSTMCellOptions(10, 20).bias(false));
//   auto [h, c] = cell(x);                       // x (batch, 10); h, c (batch, 20), from zero states
//   std::tie(h, c) = cell(x, std::make_tuple(h, c));
//   tg::nn::RNNCell relu_cell(tg::nn::RNNCellOptions(10, 20).nonlinearity(tg::kReLU));
//
// As LibTorch 1.13's C++ cells, input is (batch, input_size) and a state (batch, hidden_size): the
// unbatched (input_size,) form of PyTorch's Python cells is refused, with a message, where LibTorch
// fails on an index out of range.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <variant>

#include <tapegrad/core/arg.hpp>
#include <tapegrad/core/enum.hpp>
#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>

namespace tg::nn {

struct RNNCellOptions {
  using nonlinearity_t = std::variant<enumtype::kTanh, enumtype::kReLU>;
  RNNCellOptions(std::int64_t input_size, std::int64_t hidden_size)
      : input_size_(input_size), hidden_size_(hidden_size) {}
  TG_ARG(std::int64_t, input_size);
  TG_ARG(std::int64_t, hidden_size);
  TG_ARG(bool, bias) = true;  // false: no bias_ih, bias_hh
  TG_ARG(nonlinearity_t, nonlinearity) = kTanh;
};

struct LSTMCellOptions {
  LSTMCellOptions(std::int64_t input_size, std::int64_t hidden_size)
      : input_size_(input_size), hidden_size_(hidden_size) {}
  TG_ARG(std::int64_t, input_size);
  TG_ARG(std::int64_t, hidden_size);
  TG_ARG(bool, bias) = true;
};

struct GRUCellOptions {
  GRUCellOptions(std::int64_t input_size, std::int64_t hidden_size)
      : input_size_(input_size), hidden_size_(hidden_size) {}
  TG_ARG(std::int64_t, input_size);
  TG_ARG(std::int64_t, hidden_size);
  TG_ARG(bool, bias) = true;
};

namespace detail {

// What the three cells share: the parameters of `gates` gates, their checks and the printing.
class RNNCellImplBase : public Module {
 public:
  // Draws fresh parameters: U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) for all, as LibTorch.
  void reset_parameters();
  // LibTorch's format: "LSTMCell(10, 20)", then ", bias=false" and ", nonlinearity=kReLU" when set.
  void pretty_print(std::ostream& stream) const override;

  Tensor weight_ih;  // (gates·hidden_size, input_size)
  Tensor weight_hh;  // (gates·hidden_size, hidden_size)
  Tensor bias_ih;    // (gates·hidden_size,); undefined with bias(false)
  Tensor bias_hh;

 protected:
  // `nonlinearity`: the name printed after the sizes, empty for none.
  RNNCellImplBase(const char* name, std::int64_t input_size, std::int64_t hidden_size, bool bias, std::int64_t gates,
                  std::string nonlinearity = "");
  // Throws unless input is (batch, input_size) of the parameters' dtype.
  void check_input(const Tensor& input) const;
  // `state` (named `label` in the message) checked to be (batch, hidden_size), or zeros when undefined.
  Tensor state_or_zeros(const Tensor& input, const Tensor& state, const char* label) const;

 private:
  std::int64_t input_size_, hidden_size_;
  std::string nonlinearity_;
};

}  // namespace detail

// h' = tanh (or relu) of x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh.
class RNNCellImpl : public detail::RNNCellImplBase {
 public:
  explicit RNNCellImpl(const RNNCellOptions& options);
  RNNCellImpl(std::int64_t input_size, std::int64_t hidden_size)
      : RNNCellImpl(RNNCellOptions(input_size, hidden_size)) {}

  // input (batch, input_size), hx (batch, hidden_size) or undefined for zeros -> h' (batch, hidden_size).
  Tensor forward(const Tensor& input, const Tensor& hx);
  Tensor forward(const Tensor& input) { return forward(input, Tensor()); }
  const RNNCellOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<RNNCellImpl>(options_); }

 private:
  RNNCellOptions options_;
};
TG_MODULE(RNNCell);

// The LSTM step (tg::lstm_cell): returns (h', c').
class LSTMCellImpl : public detail::RNNCellImplBase {
 public:
  explicit LSTMCellImpl(const LSTMCellOptions& options);
  LSTMCellImpl(std::int64_t input_size, std::int64_t hidden_size)
      : LSTMCellImpl(LSTMCellOptions(input_size, hidden_size)) {}

  // input (batch, input_size), hx = (h, c), each (batch, hidden_size), zeros when absent.
  std::tuple<Tensor, Tensor> forward(const Tensor& input, std::optional<std::tuple<Tensor, Tensor>> hx = {});
  const LSTMCellOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<LSTMCellImpl>(options_); }

 private:
  LSTMCellOptions options_;
};
TG_MODULE(LSTMCell);

// The GRU step (tg::gru_cell).
class GRUCellImpl : public detail::RNNCellImplBase {
 public:
  explicit GRUCellImpl(const GRUCellOptions& options);
  GRUCellImpl(std::int64_t input_size, std::int64_t hidden_size)
      : GRUCellImpl(GRUCellOptions(input_size, hidden_size)) {}

  // input (batch, input_size), hx (batch, hidden_size) or undefined for zeros -> h' (batch, hidden_size).
  Tensor forward(const Tensor& input, const Tensor& hx);
  Tensor forward(const Tensor& input) { return forward(input, Tensor()); }
  const GRUCellOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<GRUCellImpl>(options_); }

 private:
  GRUCellOptions options_;
};
TG_MODULE(GRUCell);

}  // namespace tg::nn
