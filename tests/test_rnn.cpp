// The recurrent modules LSTM, GRU, RNN and the cells LSTMCell, GRUCell, RNNCell: LibTorch's outputs,
// final states and gradients, float64 gradchecks, parameter names, initialisation, printing,
// dropout between layers, and errors.
#include <cmath>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "check.hpp"
#include "text_fixtures.hpp"

using tg::Tensor;
using tgtest::contains;
using tgtest::error_of;

namespace {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

// A float32 leaf that requires grad, from the fixture.
Tensor recurrent_leaf(const tgtest::TextFixture& fx, const std::string& key) { return Tensor(fx.array<float>(key), true); }

// LibTorch's parameters of fixture case `name` written into the module's, by name (a name LibTorch
// does not have throws).
void recurrent_load(tg::nn::Module& module, const tgtest::TextFixture& fx, const std::string& name) {
  for (auto& named : module.named_parameters()) named.second.value<float>() = fx.array<float>(name + "." + named.first);
}

// Each output against LibTorch's <name>.<key>; then, after the backward of sum(output · <name>.g<key>)
// over the outputs, the gradients of the leaves and of every parameter against <name>.grad.<key>.
void recurrent_check(const tg::nn::Module& module, const tgtest::TextFixture& fx, const std::string& name,
                     const NamedTensors& outputs, const NamedTensors& leaves) {
  Tensor loss;
  for (const auto& output : outputs) {
    const std::string& key = output.first;
    CAPTURE(key);
    CHECK_AGREES(output.second.value<float>(), fx.array<float>(name + "." + key));
    const Tensor term = (output.second * Tensor(fx.array<float>(name + ".g" + key))).sum();
    loss = loss.defined() ? loss + term : term;
  }
  loss.backward();
  NamedTensors inputs = leaves;
  for (const auto& named : module.named_parameters()) inputs.push_back(named);
  for (const auto& input : inputs) {
    const std::string& key = input.first;
    CAPTURE(key);
    CHECK_AGREES(input.second.grad().value<float>(), fx.array<float>(name + ".grad." + key));
  }
}

std::vector<std::string> recurrent_parameter_names(const tg::nn::Module& module) {
  std::vector<std::string> names;
  for (const auto& named : module.named_parameters()) names.push_back(named.first);
  return names;
}

Tensor recurrent_randn(tg::IntArrayRef shape, std::uint64_t seed, tg::ScalarType dtype = tg::kFloat) {
  tg::manual_seed(seed);
  return tg::randn(shape, tg::dtype(dtype));
}

}  // namespace

TEST_CASE("LSTM, GRU and RNN agree with LibTorch: outputs, final states and gradients") {
  const tgtest::TextFixture fx("rnn");
  {
    tg::nn::LSTM lstm(tg::nn::LSTMOptions(3, 4).num_layers(2).bidirectional(true).batch_first(true));
    recurrent_load(*lstm, fx, "lstm_deep");
    const Tensor x = recurrent_leaf(fx, "lstm_deep.x"), h0 = recurrent_leaf(fx, "lstm_deep.h0"),
                 c0 = recurrent_leaf(fx, "lstm_deep.c0");
    const auto out = lstm(x, std::make_tuple(h0, c0));
    recurrent_check(*lstm, fx, "lstm_deep",
                    {{"y", std::get<0>(out)}, {"h_n", std::get<0>(std::get<1>(out))}, {"c_n", std::get<1>(std::get<1>(out))}},
                    {{"x", x}, {"h0", h0}, {"c0", c0}});
  }
  {
    tg::nn::LSTM lstm(tg::nn::LSTMOptions(3, 4).bias(false));
    recurrent_load(*lstm, fx, "lstm_plain");
    const Tensor x = recurrent_leaf(fx, "lstm_plain.x");
    const auto out = lstm(x);
    recurrent_check(*lstm, fx, "lstm_plain",
                    {{"y", std::get<0>(out)}, {"h_n", std::get<0>(std::get<1>(out))}, {"c_n", std::get<1>(std::get<1>(out))}},
                    {{"x", x}});
  }
  {
    tg::nn::GRU gru(tg::nn::GRUOptions(3, 4).num_layers(2).bidirectional(true).batch_first(true));
    recurrent_load(*gru, fx, "gru_deep");
    const Tensor x = recurrent_leaf(fx, "gru_deep.x"), h0 = recurrent_leaf(fx, "gru_deep.h0");
    const auto out = gru(x, h0);
    recurrent_check(*gru, fx, "gru_deep", {{"y", std::get<0>(out)}, {"h_n", std::get<1>(out)}}, {{"x", x}, {"h0", h0}});
  }
  {
    tg::nn::GRU gru(3, 4);
    recurrent_load(*gru, fx, "gru_plain");
    const Tensor x = recurrent_leaf(fx, "gru_plain.x");
    const auto out = gru(x);
    recurrent_check(*gru, fx, "gru_plain", {{"y", std::get<0>(out)}, {"h_n", std::get<1>(out)}}, {{"x", x}});
  }
  {
    tg::nn::RNN rnn(tg::nn::RNNOptions(3, 4).num_layers(2).bidirectional(true).batch_first(true));
    recurrent_load(*rnn, fx, "rnn_deep");
    const Tensor x = recurrent_leaf(fx, "rnn_deep.x"), h0 = recurrent_leaf(fx, "rnn_deep.h0");
    const auto out = rnn(x, h0);
    recurrent_check(*rnn, fx, "rnn_deep", {{"y", std::get<0>(out)}, {"h_n", std::get<1>(out)}}, {{"x", x}, {"h0", h0}});
  }
  {
    tg::nn::RNN rnn(tg::nn::RNNOptions(3, 4).num_layers(2).nonlinearity(tg::kReLU));
    recurrent_load(*rnn, fx, "rnn_relu");
    const Tensor x = recurrent_leaf(fx, "rnn_relu.x"), h0 = recurrent_leaf(fx, "rnn_relu.h0");
    const auto out = rnn(x, h0);
    recurrent_check(*rnn, fx, "rnn_relu", {{"y", std::get<0>(out)}, {"h_n", std::get<1>(out)}}, {{"x", x}, {"h0", h0}});
  }
}

TEST_CASE("LSTMCell, GRUCell and RNNCell agree with LibTorch: outputs and gradients") {
  const tgtest::TextFixture fx("rnn");
  {
    tg::nn::LSTMCell cell(3, 4);
    recurrent_load(*cell, fx, "lstm_cell");
    const Tensor x = recurrent_leaf(fx, "lstm_cell.x"), hx = recurrent_leaf(fx, "lstm_cell.hx"),
                 cx = recurrent_leaf(fx, "lstm_cell.cx");
    const auto out = cell(x, std::make_tuple(hx, cx));
    recurrent_check(*cell, fx, "lstm_cell", {{"h", std::get<0>(out)}, {"c", std::get<1>(out)}},
                    {{"x", x}, {"hx", hx}, {"cx", cx}});
  }
  {
    tg::nn::GRUCell cell(3, 4);
    recurrent_load(*cell, fx, "gru_cell");
    const Tensor x = recurrent_leaf(fx, "gru_cell.x"), hx = recurrent_leaf(fx, "gru_cell.hx");
    recurrent_check(*cell, fx, "gru_cell", {{"h", cell(x, hx)}}, {{"x", x}, {"hx", hx}});
  }
  {
    tg::nn::RNNCell cell(tg::nn::RNNCellOptions(3, 4).nonlinearity(tg::kReLU));
    recurrent_load(*cell, fx, "rnn_cell");
    const Tensor x = recurrent_leaf(fx, "rnn_cell.x"), hx = recurrent_leaf(fx, "rnn_cell.hx");
    recurrent_check(*cell, fx, "rnn_cell", {{"h", cell(x, hx)}}, {{"x", x}, {"hx", hx}});
  }
}

TEST_CASE("LSTM and GRU: float64 gradchecks of the parameters, the input and the initial states") {
  const auto options = [](auto o) { return o.num_layers(2).bidirectional(true); };
  tg::manual_seed(3);
  tg::nn::LSTM lstm(options(tg::nn::LSTMOptions(2, 2)));
  tg::nn::GRU gru(options(tg::nn::GRUOptions(2, 2).batch_first(true)));
  lstm->to(tg::kDouble);
  gru->to(tg::kDouble);
  const Tensor x = recurrent_randn({3, 2, 2}, 4, tg::kDouble).requires_grad_(),
               h0 = recurrent_randn({4, 2, 2}, 5, tg::kDouble).requires_grad_(),
               c0 = recurrent_randn({4, 2, 2}, 6, tg::kDouble).requires_grad_();

  std::vector<Tensor> inputs = lstm->parameters();
  inputs.insert(inputs.end(), {x, h0, c0});
  auto r = tg::autograd::gradcheck(
      [&](const std::vector<Tensor>&) {
        const auto out = lstm(x, std::make_tuple(h0, c0));
        return std::get<0>(out).sum() + std::get<0>(std::get<1>(out)).sum() * 2.0 +
               (std::get<1>(std::get<1>(out)) * std::get<1>(std::get<1>(out))).sum();
      },
      inputs);
  CHECK_MESSAGE(r.ok, r.message);

  inputs = gru->parameters();
  inputs.insert(inputs.end(), {x, h0});
  r = tg::autograd::gradcheck(
      [&](const std::vector<Tensor>&) {
        const auto out = gru(x.transpose(0, 1), h0);  // batch_first
        return (std::get<0>(out) * std::get<0>(out)).sum() + std::get<1>(out).sum();
      },
      inputs);
  CHECK_MESSAGE(r.ok, r.message);
}

TEST_CASE("Recurrent modules and cells: LibTorch's parameter names, shapes, initialisation and printing") {
  tg::manual_seed(1);
  tg::nn::LSTM lstm(tg::nn::LSTMOptions(3, 4).num_layers(2).bidirectional(true).dropout(0.5));
  CHECK(recurrent_parameter_names(*lstm) ==
        std::vector<std::string>{"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse",
                                 "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_ih_l1",
                                 "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_ih_l1_reverse",
                                 "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"});
  const auto params = lstm->named_parameters();
  CHECK(params[0].second.sizes() == tg::IntArrayRef{16, 3});
  CHECK(params[1].second.sizes() == tg::IntArrayRef{16, 4});
  CHECK(params[2].second.sizes() == tg::IntArrayRef{16});
  CHECK(params[8].second.sizes() == tg::IntArrayRef{16, 8});  // layer 1 reads both directions
  CHECK(lstm->all_weights().size() == 16);
  double largest = 0;
  for (const Tensor& p : lstm->parameters()) largest = std::max(largest, p.abs().max().item<double>());
  CHECK(largest <= 0.5);  // 1/sqrt(hidden_size)
  CHECK(largest > 0.45);

  tg::nn::GRU gru(tg::nn::GRUOptions(3, 4).bias(false));
  CHECK(recurrent_parameter_names(*gru) == std::vector<std::string>{"weight_ih_l0", "weight_hh_l0"});
  CHECK(gru->parameters()[0].sizes() == tg::IntArrayRef{12, 3});  // r, z, n
  tg::nn::RNN rnn(3, 4);
  CHECK(rnn->parameters()[1].sizes() == tg::IntArrayRef{4, 4});

  tg::nn::LSTMCell lstm_cell(3, 4);
  CHECK(recurrent_parameter_names(*lstm_cell) == std::vector<std::string>{"weight_ih", "weight_hh", "bias_ih", "bias_hh"});
  CHECK(lstm_cell->weight_ih.sizes() == tg::IntArrayRef{16, 3});
  CHECK(lstm_cell->bias_hh.sizes() == tg::IntArrayRef{16});
  tg::nn::GRUCell gru_cell(tg::nn::GRUCellOptions(3, 4).bias(false));
  CHECK(recurrent_parameter_names(*gru_cell) == std::vector<std::string>{"weight_ih", "weight_hh"});
  CHECK(gru_cell->weight_hh.sizes() == tg::IntArrayRef{12, 4});
  tg::nn::RNNCell relu_cell(tg::nn::RNNCellOptions(3, 4).nonlinearity(tg::kReLU));
  CHECK(relu_cell->weight_ih.sizes() == tg::IntArrayRef{4, 3});
  CHECK(lstm_cell->weight_hh.abs().max().item<double>() <= 0.5);

  // As LibTorch 1.13 prints them, without its "torch::nn::" (as every tapegrad module).
  std::ostringstream out;
  out << *lstm << "|" << *gru << "|" << tg::nn::RNNImpl(tg::nn::RNNOptions(3, 4).nonlinearity(tg::kReLU)) << "|"
      << *lstm_cell << "|" << *gru_cell << "|" << *relu_cell << "|" << tg::nn::RNNCellImpl(3, 4);
  CHECK(out.str() ==
        "LSTM(input_size=3, hidden_size=4, num_layers=2, bias=true, batch_first=false, dropout=0.5, bidirectional=true)|"
        "GRU(input_size=3, hidden_size=4, num_layers=1, bias=false, batch_first=false, dropout=0, bidirectional=false)|"
        "RNN(input_size=3, hidden_size=4, num_layers=1, bias=true, batch_first=false, dropout=0, bidirectional=false)|"
        "LSTMCell(3, 4)|GRUCell(3, 4, bias=false)|RNNCell(3, 4, nonlinearity=kReLU)|RNNCell(3, 4)");
}

TEST_CASE("Recurrent modules: shapes, batch_first, default zero states, and dropout between layers only while training") {
  tg::nn::GRU gru(tg::nn::GRUOptions(3, 4).num_layers(2).bidirectional(true));
  const Tensor x = recurrent_randn({5, 2, 3}, 2);
  const auto out = gru(x);
  CHECK(std::get<0>(out).sizes() == tg::IntArrayRef{5, 2, 8});
  CHECK(std::get<1>(out).sizes() == tg::IntArrayRef{4, 2, 4});
  CHECK(std::get<0>(gru(x, tg::zeros({4, 2, 4}))).value<float>() == std::get<0>(out).value<float>());
  // The last step's forward output and the first step's backward output are h_n's last two rows.
  CHECK(std::get<0>(out)[4].narrow(1, 0, 4).value<float>() == std::get<1>(out)[2].value<float>());
  CHECK(std::get<0>(out)[0].narrow(1, 4, 4).value<float>() == std::get<1>(out)[3].value<float>());

  tg::nn::LSTM lstm(tg::nn::LSTMOptions(3, 4).batch_first(true));
  const auto bf = lstm(x.transpose(0, 1));
  CHECK(std::get<0>(bf).sizes() == tg::IntArrayRef{2, 5, 4});
  CHECK(std::get<0>(std::get<1>(bf)).sizes() == tg::IntArrayRef{1, 2, 4});
  CHECK(std::get<0>(lstm->forward(x.transpose(0, 1), std::make_tuple(tg::zeros({1, 2, 4}), tg::zeros({1, 2, 4}))))
            .value<float>() == std::get<0>(bf).value<float>());

  // One LSTM with dropout 0.5 between its two layers, one without, with the same parameters.
  tg::nn::LSTM dropped(tg::nn::LSTMOptions(3, 4).num_layers(2).dropout(0.5)), plain(tg::nn::LSTMOptions(3, 4).num_layers(2));
  for (std::size_t i = 0; i < plain->parameters().size(); ++i)
    plain->parameters()[i].value<float>() = dropped->parameters()[i].value<float>();
  const Tensor expected = std::get<0>(plain(x));
  tg::manual_seed(7);
  CHECK(std::get<0>(dropped(x)).value<float>() != expected.value<float>());
  dropped->eval();
  CHECK(std::get<0>(dropped(x)).value<float>() == expected.value<float>());
  // A single layer has no layer after it to drop into.
  tg::nn::RNN single(tg::nn::RNNOptions(3, 4).dropout(0.5)), single_plain(3, 4);
  for (std::size_t i = 0; i < single->parameters().size(); ++i)
    single_plain->parameters()[i].value<float>() = single->parameters()[i].value<float>();
  CHECK(std::get<0>(single(x)).value<float>() == std::get<0>(single_plain(x)).value<float>());
}

TEST_CASE("Recurrent modules, cells and steps name bad input, bad states and bad options") {
  tg::nn::LSTM lstm(tg::nn::LSTMOptions(3, 4).num_layers(2).bidirectional(true));
  const Tensor x = tg::zeros({5, 2, 3});
  CHECK(contains(error_of([&] { lstm(tg::zeros({5, 3})); }),
                 "LSTM: expected input (seq_len, batch, input_size) with input_size 3, got (5, 3) (unbatched input is "
                 "not supported)"));
  CHECK(contains(error_of([&] { lstm(tg::zeros({5, 2, 2})); }),
                 "LSTM: expected input (seq_len, batch, input_size) with input_size 3, got (5, 2, 2)"));
  CHECK(contains(error_of([&] { lstm(tg::zeros({0, 2, 3})); }), "LSTM: expected at least one time step, got input (0, 2, 3)"));
  CHECK(contains(error_of([&] { lstm(x.to(tg::kDouble)); }), "LSTM: input is Double but the parameters are Float"));
  CHECK(contains(error_of([&] { lstm(x, std::make_tuple(tg::zeros({4, 2, 4}), tg::zeros({4, 3, 4}))); }),
                 "LSTM: expected c_0 of shape (num_layers·num_directions, batch, hidden_size) = (4, 2, 4) for input "
                 "(5, 2, 3), got (4, 3, 4)"));
  CHECK(contains(error_of([&] { lstm(x, std::make_tuple(tg::zeros({2, 2, 4}), tg::zeros({4, 2, 4}))); }),
                 "LSTM: expected h_0 of shape"));
  CHECK(contains(error_of([&] { lstm(x, std::make_tuple(tg::zeros({4, 2, 4}), tg::zeros({4, 2, 4}, tg::kDouble))); }),
                 "LSTM: c_0 is Double but the input is Float"));
  tg::nn::GRU gru(tg::nn::GRUOptions(3, 4).batch_first(true));
  CHECK(contains(error_of([&] { gru(tg::zeros({2, 5, 2})); }),
                 "GRU: expected input (batch, seq_len, input_size) with input_size 3, got (2, 5, 2)"));
  CHECK(contains(error_of([&] { gru(tg::zeros({2, 5, 3}), tg::zeros({1, 5, 4})); }),
                 "GRU: expected h_0 of shape (num_layers·num_directions, batch, hidden_size) = (1, 2, 4) for input "
                 "(2, 5, 3), got (1, 5, 4)"));
  CHECK(contains(error_of([&] { tg::nn::RNN(3, 4)(tg::zeros({5, 2, 3, 1})); }),
                 "RNN: expected input (seq_len, batch, input_size) with input_size 3, got (5, 2, 3, 1)"));

  CHECK(contains(error_of([] { (void)tg::nn::LSTM(tg::nn::LSTMOptions(3, 4).num_layers(0)); }),
                 "LSTM: expected num_layers >= 1, got 0"));
  CHECK(contains(error_of([] { (void)tg::nn::GRU(tg::nn::GRUOptions(3, 4).dropout(1.5)); }),
                 "GRU: expected dropout in [0, 1] (the probability of zeroing an element), got 1.5"));
  CHECK(contains(error_of([] { (void)tg::nn::RNN(tg::nn::RNNOptions(3, 4).dropout(-0.1)); }), "RNN: expected dropout in [0, 1]"));
  CHECK(contains(error_of([] { (void)tg::nn::RNN(3, 0); }), "RNN: expected input_size >= 1 and hidden_size >= 1, got 3 and 0"));

  tg::nn::LSTMCell lstm_cell(3, 4);
  CHECK(contains(error_of([&] { lstm_cell(tg::zeros({3})); }),
                 "LSTMCell: expected input (batch, input_size) with input_size 3, got (3,)"));
  CHECK(contains(error_of([&] { lstm_cell(tg::zeros({2, 3}), std::make_tuple(tg::zeros({2, 4}), tg::zeros({2, 5}))); }),
                 "LSTMCell: expected cx of shape (batch, hidden_size) = (2, 4) for input (2, 3), got (2, 5)"));
  tg::nn::GRUCell gru_cell(3, 4);
  CHECK(contains(error_of([&] { gru_cell(tg::zeros({2, 2})); }),
                 "GRUCell: expected input (batch, input_size) with input_size 3, got (2, 2)"));
  CHECK(contains(error_of([&] { gru_cell(tg::zeros({2, 3}), tg::zeros({3, 4})); }),
                 "GRUCell: expected hx of shape (batch, hidden_size) = (2, 4) for input (2, 3), got (3, 4)"));
  CHECK(contains(error_of([&] { gru_cell(tg::zeros({2, 3}), tg::zeros({2, 4}, tg::kDouble)); }),
                 "GRUCell: hx is Double but the input is Float"));
  CHECK(contains(error_of([&] { tg::nn::RNNCell(3, 4)(tg::zeros({2, 3}).to(tg::kDouble)); }),
                 "RNNCell: input is Double but the parameters are Float"));
  CHECK(contains(error_of([] { (void)tg::nn::LSTMCell(0, 4); }), "LSTMCell: expected input_size >= 1 and hidden_size >= 1"));
  CHECK(contains(error_of([] { (void)tg::lstm_cell(tg::zeros({2, 3}), {tg::zeros({2, 4})}, tg::zeros({16, 3}), tg::zeros({16, 4})); }),
                 "lstm_cell: expected hx as {h, c}, got 1 tensors"));
  CHECK(contains(error_of([] { (void)tg::gru_cell(tg::zeros({2, 3}), tg::zeros({2, 4}), tg::zeros({16, 3}), tg::zeros({12, 4})); }),
                 "gru_cell: expected input (batch, input_size), hx (batch, hidden_size), w_ih (3·hidden_size, input_size), "
                 "w_hh (3·hidden_size, hidden_size) and biases (3·hidden_size,), got input (2, 3), hx (2, 4), w_ih (16, 3), "
                 "w_hh (12, 4)"));
  CHECK(contains(error_of([] {
                   (void)tg::lstm_cell(tg::zeros({2, 3}), {tg::zeros({2, 4}), tg::zeros({2, 5})}, tg::zeros({16, 3}),
                                       tg::zeros({16, 4}));
                 }),
                 "lstm_cell: expected c of h's shape (2, 4), got (2, 5)"));
}
