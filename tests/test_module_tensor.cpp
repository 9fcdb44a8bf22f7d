// Modules and optimizers on tg::Tensor: TG_MODULE holders, a model written as LibTorch's MNIST example
// writes it, module->to(dtype) through set_data, whole-module gradchecks in float64, an optimizer step
// in float64 against float32, checkpoints of either dtype, and the Tensor-level layer ops against
// the typed ops they call.
#include "check.hpp"

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <unistd.h>

using tg::Array;
using tg::Tensor;
using tg::Variable;

namespace {

// Upstream MNIST's model, written as upstream writes it (holders in the constructor's init list, a
// default-constructed Dropout2d, a non-virtual `Tensor forward(Tensor x)`).
struct NetImpl : tg::nn::Module {
  NetImpl()
      : conv1(tg::nn::Conv2dOptions(1, 10, /*kernel_size=*/5)),
        conv2(tg::nn::Conv2dOptions(10, 20, /*kernel_size=*/5)),
        fc1(320, 50),
        fc2(50, 10) {
    register_module("conv1", conv1);
    register_module("conv2", conv2);
    register_module("conv2_drop", conv2_drop);
    register_module("fc1", fc1);
    register_module("fc2", fc2);
  }

  Tensor forward(Tensor x) {
    x = tg::relu(tg::max_pool2d(conv1->forward(x), 2));
    x = tg::relu(tg::max_pool2d(conv2_drop->forward(conv2->forward(x)), 2));
    x = x.view({-1, 320});
    x = tg::relu(fc1->forward(x));
    x = tg::dropout(x, /*p=*/0.5, /*train=*/is_training());
    x = fc2->forward(x);
    return tg::log_softmax(x, /*dim=*/1);
  }

  tg::nn::Conv2d conv1;
  tg::nn::Conv2d conv2;
  tg::nn::Dropout2d conv2_drop;
  tg::nn::Linear fc1;
  tg::nn::Linear fc2;
};
TG_MODULE(Net);

struct TempPath {
  explicit TempPath(const std::string& stem)
      : path((std::filesystem::temp_directory_path() / ("tapegrad_" + stem + "_" + std::to_string(getpid()) + ".npz"))
                 .string()) {}
  ~TempPath() { std::remove(path.c_str()); }
  std::string path;
};

Tensor randn_t(tg::Shape shape, std::uint64_t seed, bool requires_grad = false) {
  tg::manual_seed(seed);
  return Tensor(tg::randn<double>(shape), requires_grad);
}

}  // namespace

TEST_CASE("TG_MODULE: upstream MNIST's Net compiles, trains a step and prints its tree") {
  tg::manual_seed(1);
  Net model;
  CHECK(model->named_parameters().size() == 8);
  CHECK(model->conv2_drop->options().p() == 0.5);
  std::ostringstream printed;
  printed << model;
  CHECK(printed.str() ==
        "Net(\n"
        "  (conv1): Conv2d(1, 10, kernel_size=[5, 5], stride=[1, 1])\n"
        "  (conv2): Conv2d(10, 20, kernel_size=[5, 5], stride=[1, 1])\n"
        "  (conv2_drop): Dropout2d(p=0.5, inplace=false)\n"
        "  (fc1): Linear(in_features=320, out_features=50, bias=true)\n"
        "  (fc2): Linear(in_features=50, out_features=10, bias=true)\n"
        ")");

  tg::optim::SGD optimizer(model->parameters(), tg::optim::SGDOptions(0.01).momentum(0.5));
  const Tensor data = tg::randn({4, 1, 28, 28});
  const Tensor targets = tg::tensor({1, 2, 3, 4});
  const Array<float> before = model->fc2->weight.value<float>();
  optimizer.zero_grad();
  auto loss = tg::nll_loss(model->forward(data), targets);
  loss.backward();
  optimizer.step();
  CHECK(model->fc2->weight.value<float>() != before);
  model->eval();
  CHECK(model->forward(data).shape() == tg::Shape{4, 10});
}

TEST_CASE("ModuleHolder: nullptr, ->, *, get, ptr, call, register_module, Sequential") {
  tg::nn::Linear empty{nullptr};
  CHECK(empty.is_empty());
  CHECK_FALSE(empty);
  CHECK_THROWS_WITH_AS(empty->forward(tg::ones({1, 2})), doctest::Contains("accessing an empty holder"), tg::Error);
  empty = tg::nn::Linear(2, 3);
  CHECK(empty);
  CHECK(empty->out_features() == 3);
  CHECK((*empty).in_features() == 2);
  CHECK(empty.get() == empty.ptr().get());
  const Tensor x = tg::ones({4, 2});
  CHECK(empty(x).value<float>() == empty->forward(x).value<float>());

  tg::nn::Module parent;
  tg::nn::Linear registered = parent.register_module("fc", tg::nn::Linear(2, 2));
  CHECK(parent.named_children()["fc"] == registered.ptr());
  CHECK(parent.named_parameters()["fc.weight"].is_same(registered->weight));
  CHECK_THROWS_WITH_AS(parent.register_module("none", tg::nn::Linear(nullptr)),
                       doctest::Contains("accessing an empty holder"), tg::Error);

  tg::nn::Sequential seq(tg::nn::Linear(2, 4), tg::nn::Tanh(), std::make_shared<tg::nn::LinearImpl>(4, 1));
  seq->push_back(tg::nn::Sigmoid());
  CHECK(seq->size() == 4);
  CHECK(seq(x).shape() == tg::Shape{4, 1});
  CHECK(seq->at<tg::nn::LinearImpl>(2).out_features() == 1);
  std::ostringstream printed;
  printed << tg::nn::ReLU() << "|" << tg::nn::Linear(nullptr);
  CHECK(printed.str() == "ReLU()|nullptr");
}

TEST_CASE("Tensor::set_data: every copy of the handle sees the new data") {
  Tensor a = tg::ones({2});
  Tensor b = a;
  Tensor c = tg::zeros({3}, tg::kDouble);
  a.set_data(c);
  CHECK(b.scalar_type() == tg::kDouble);
  CHECK(b.shape() == tg::Shape{3});
  CHECK(a.is_same(b));
  CHECK_FALSE(a.is_same(c));
  CHECK(a.use_count() == 2);
  CHECK(Tensor().use_count() == 0);
  CHECK_THROWS_WITH_AS(a.set_data(Tensor()), "set_data: the tensor is undefined (default-constructed)", tg::Error);
}

TEST_CASE("Module::to: parameters and buffers change dtype in place, seen by members and optimizers") {
  tg::manual_seed(3);
  tg::nn::Sequential net(tg::nn::Conv2d(tg::nn::Conv2dOptions(1, 2, 3)), tg::nn::BatchNorm2d(2), tg::nn::Flatten(),
                         tg::nn::Linear(8, 3));
  auto conv = net->ptr<tg::nn::Conv2dImpl>(0);
  auto bn = net->ptr<tg::nn::BatchNorm2dImpl>(1);
  const Array<float> w32 = conv->weight.value<float>();
  tg::optim::Adam adam(net->parameters());
  net->to(tg::kDouble);
  for (const auto& p : net->parameters()) {
    CHECK(p.scalar_type() == tg::kDouble);
    CHECK(p.requires_grad());
  }
  // Floating buffers convert; BatchNorm's int64 num_batches_tracked stays Long, as in LibTorch.
  for (const auto& [name, b] : net->named_buffers())
    CHECK(b.scalar_type() == (name == "1.num_batches_tracked" ? tg::kLong : tg::kDouble));
  CHECK(conv->weight.scalar_type() == tg::kDouble);  // the layer's own member
  CHECK(bn->running_var.scalar_type() == tg::kDouble);
  CHECK(tgtest::allclose(conv->weight.value<double>(), Array<double>(xt::cast<double>(w32))));
  CHECK(adam.parameters()[0].scalar_type() == tg::kDouble);  // the optimizer's handles too

  const Tensor x = randn_t({2, 1, 4, 4}, 4);
  auto loss = net->forward(x).sum();
  CHECK(loss.scalar_type() == tg::kDouble);
  loss.backward();
  adam.step();
  CHECK(static_cast<const tg::optim::AdamParamState&>(*adam.state().at(tg::optim::Optimizer::state_key(conv->weight)))
            .exp_avg()
            .scalar_type() == tg::kDouble);

  net->to(tg::kCPU, tg::kFloat);
  CHECK(conv->weight.scalar_type() == tg::kFloat);
  CHECK_FALSE(conv->weight.grad().defined());  // gradients are dropped
  net->to(tg::kCPU);
  CHECK_THROWS_WITH_AS(net->to(tg::kLong), doctest::Contains("modules convert to a floating dtype"), tg::Error);
}

TEST_CASE("gradcheck of whole modules in float64: Sequential(Linear, Tanh, Linear), Conv2d + BatchNorm2d in training") {
  tg::manual_seed(5);
  tg::nn::Sequential mlp(tg::nn::Linear(3, 4), tg::nn::Tanh(), tg::nn::Linear(4, 2));
  mlp->to(tg::kDouble);
  const Tensor x = randn_t({5, 3}, 6, /*requires_grad=*/true);
  std::vector<Tensor> inputs = mlp->parameters();
  inputs.push_back(x);
  auto r = tg::autograd::gradcheck([&](const std::vector<Tensor>&) { return mlp->forward(x); }, inputs);
  CHECK_MESSAGE(r.ok, r.message);

  tg::manual_seed(7);
  tg::nn::Sequential cnn(tg::nn::Conv2d(tg::nn::Conv2dOptions(2, 3, 3).padding(1)), tg::nn::BatchNorm2d(3),
                         tg::nn::ReLU(), tg::nn::AvgPool2d(2), tg::nn::Flatten(), tg::nn::Linear(12, 2));
  cnn->to(tg::kDouble);
  CHECK(cnn->is_training());
  const Tensor image = randn_t({3, 2, 4, 4}, 8, /*requires_grad=*/true);
  inputs = cnn->parameters();
  inputs.push_back(image);
  r = tg::autograd::gradcheck([&](const std::vector<Tensor>&) { return cnn->forward(image); }, inputs);
  CHECK_MESSAGE(r.ok, r.message);
}

TEST_CASE("Optimizers step float64 parameters as they step float32 ones") {
  auto run = [](tg::ScalarType dtype, auto make_optimizer) {
    tg::manual_seed(9);
    tg::nn::Linear net(4, 3);
    net->to(dtype);
    auto optimizer = make_optimizer(net->parameters());
    const Tensor x = randn_t({6, 4}, 10).to(dtype);
    for (int step = 0; step < 3; ++step) {
      optimizer.zero_grad();
      tg::mse_loss(net(x), tg::zeros({6, 3}, dtype)).backward();
      optimizer.step();
    }
    return net->weight.detach().to(tg::kDouble).value<double>();
  };
  auto sgd = [](std::vector<Tensor> p) { return tg::optim::SGD(p, tg::optim::SGDOptions(0.1).momentum(0.9)); };
  auto adam = [](std::vector<Tensor> p) { return tg::optim::Adam(p, tg::optim::AdamOptions(0.01).amsgrad(true)); };
  auto adamw = [](std::vector<Tensor> p) { return tg::optim::AdamW(p, tg::optim::AdamWOptions(0.01)); };
  auto rmsprop = [](std::vector<Tensor> p) {
    return tg::optim::RMSprop(p, tg::optim::RMSpropOptions(0.01).momentum(0.5).centered(true));
  };
  auto adagrad = [](std::vector<Tensor> p) { return tg::optim::Adagrad(p, tg::optim::AdagradOptions(0.1)); };
  CHECK(tgtest::allclose(run(tg::kDouble, sgd), run(tg::kFloat, sgd), 1e-5, 1e-6));
  CHECK(tgtest::allclose(run(tg::kDouble, adam), run(tg::kFloat, adam), 1e-5, 1e-6));
  CHECK(tgtest::allclose(run(tg::kDouble, adamw), run(tg::kFloat, adamw), 1e-5, 1e-6));
  CHECK(tgtest::allclose(run(tg::kDouble, rmsprop), run(tg::kFloat, rmsprop), 1e-4, 1e-6));
  CHECK(tgtest::allclose(run(tg::kDouble, adagrad), run(tg::kFloat, adagrad), 1e-5, 1e-6));

  // A parameter whose dtype changed after its state was made is an error naming both dtypes.
  Tensor p(Array<float>{1.f, 2.f}, true);
  tg::optim::SGD opt({p}, tg::optim::SGDOptions(0.1).momentum(0.9));
  auto& state = opt.state()[tg::optim::Optimizer::state_key(p)];
  state = std::make_unique<tg::optim::SGDParamState>(
      tg::optim::SGDParamState().momentum_buffer(Tensor(Array<double>{0., 0.})));
  (p * p).sum().backward();
  CHECK_THROWS_WITH_AS(opt.step(), "SGD: a Float parameter of shape (2,) has Double state", tg::Error);
  CHECK_THROWS_WITH_AS(tg::optim::SGD({tg::tensor({1, 2})}, tg::optim::SGDOptions(0.1)),
                       "optimizer: parameter 0 has dtype Long; expected Float or Double", tg::Error);
}

TEST_CASE("tg::save / tg::load of a holder and its optimizer, in float64: a resumed run continues exactly") {
  auto train = [](tg::nn::Sequential& net, tg::optim::Optimizer& opt, int steps) {
    const Tensor x = randn_t({8, 3}, 11), y = randn_t({8, 2}, 12);
    for (int i = 0; i < steps; ++i) {
      opt.zero_grad();
      tg::mse_loss(net->forward(x), y).backward();
      opt.step();
    }
  };
  auto make = [] {
    tg::nn::Sequential net(tg::nn::Linear(3, 5), tg::nn::BatchNorm1d(5), tg::nn::Tanh(), tg::nn::Linear(5, 2));
    net->to(tg::kDouble);
    return net;
  };
  tg::manual_seed(1);
  auto whole = make();
  tg::optim::Adam whole_opt(whole->parameters(), tg::optim::AdamOptions(0.05));
  train(whole, whole_opt, 6);

  tg::manual_seed(1);
  auto first = make();
  tg::optim::Adam first_opt(first->parameters(), tg::optim::AdamOptions(0.05));
  train(first, first_opt, 3);
  TempPath net_file("holder_net"), opt_file("holder_opt");
  tg::save(first, net_file.path);
  tg::save(first_opt, opt_file.path);

  tg::manual_seed(2);
  auto resumed = make();
  tg::optim::Adam resumed_opt(resumed->parameters(), tg::optim::AdamOptions(0.05));
  tg::load(resumed, net_file.path);
  tg::load(resumed_opt, opt_file.path);
  train(resumed, resumed_opt, 3);
  const auto a = whole->named_parameters(), b = resumed->named_parameters();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].second.value<double>() == b[i].second.value<double>());
  CHECK(whole->named_buffers()[0].second.value<double>() == resumed->named_buffers()[0].second.value<double>());

  // A float32 module refuses a float64 checkpoint, naming the dtypes.
  auto float_net = make();
  float_net->to(tg::kFloat);
  CHECK_THROWS_WITH_AS(tg::load(float_net, net_file.path), doctest::Contains("has dtype '<f8', expected '<f4' (Float"),
                       tg::Error);
}

TEST_CASE("Tensor-level layer ops call the typed ops, in Float and Double") {
  const Variable<double> x = tgtest::rand_var({2, 3, 6, 6}, 1), w = tgtest::rand_var({3, 4, 3, 3}, 2),
                         b = tgtest::rand_var({4}, 3);
  const Tensor tx(x), tw(w), tb(b);
  CHECK(tg::conv_transpose2d(tx, tw, tb, 2, 1, 1).value<double>() ==
        tg::conv_transpose2d(x, w, b, {2, 2}, {1, 1}, {1, 1}).value());
  CHECK(tg::avg_pool2d(tx, {3}, {2}, {1}, true, false).value<double>() ==
        tg::avg_pool2d(x, {3, 3}, {2, 2}, {1, 1}, true, false).value());
  CHECK(tg::adaptive_avg_pool2d(tx, {4, 2}).value<double>() == tg::adaptive_avg_pool2d(x, {4, 2}).value());
  CHECK(tg::layer_norm(tx, {6, 6}).value<double>() == tg::layer_norm(x, {6, 6}, {}, {}).value());
  CHECK(tg::gelu(tx, "tanh").value<double>() == tg::gelu(x, "tanh").value());
  const Variable<double> g = tgtest::rand_var({3}, 4), s = tgtest::rand_var({3}, 5, 0.5, 2.0, /*requires_grad=*/false);
  CHECK(tg::batch_norm(tx, Tensor(g), Tensor(s), {}, {}, true, 0.1, 1e-5).value<double>() ==
        tg::batch_norm(x, g, s, {}, {}, true, 0.1, 1e-5).value());
  tg::manual_seed(6);
  const Array<double> dropped = tg::dropout(tx, 0.3, true).value<double>();
  tg::manual_seed(6);
  CHECK(dropped == tg::dropout(x, 0.3, true).value());
  tg::manual_seed(6);
  const Array<double> channels = tg::feature_dropout(tx, 0.3, true).value<double>();
  tg::manual_seed(6);
  CHECK(channels == tg::dropout2d(x, 0.3, true).value());
  const tg::Labels idx{{0, 2}, {1, 1}};
  CHECK(tg::embedding(tw.view({12, 9}), Tensor(idx)).value<double>() ==
        tg::embedding(tw.view({12, 9}).variable<double>(), idx).value());

  const Variable<double> p = tgtest::rand_var({4, 3}, 7, 0.1, 0.9), q = tgtest::rand_var({4, 3}, 8, 0.1, 0.9);
  const Tensor tp(p), tq(q);
  CHECK(tg::l1_loss(tp, tq).item<double>() == tg::l1_loss(p, q).item());
  CHECK(tg::smooth_l1_loss(tp, tq, tg::kSum, 0.1).item<double>() == tg::smooth_l1_loss(p, q, tg::kSum, 0.1).item());
  CHECK(tg::huber_loss(tp, tq, tg::kMean, 0.2).item<double>() == tg::huber_loss(p, q, tg::kMean, 0.2).item());
  CHECK(tg::binary_cross_entropy(tp, tq).item<double>() == tg::binary_cross_entropy(p, q).item());
  CHECK(tg::binary_cross_entropy_with_logits(tp, tq, {}, Tensor(s)).item<double>() ==
        tg::binary_cross_entropy_with_logits(p, q, Variable<double>(), s).item());
  const tg::Labels target{0, 2, 1, 1};
  CHECK(tg::nll_loss(tp, Tensor(target), Tensor(s), tg::kSum, 1).item<double>() ==
        tg::nll_loss(p, target, s, tg::kSum, 1).item());
  CHECK(tg::cross_entropy(tp, Tensor(target), {}, tg::kMean, -100, 0.1).item<double>() ==
        tg::cross_entropy(p, target, Variable<double>(), tg::kMean, -100, 0.1).item());
  // F:: with options on Tensors: the options' weights take the input's dtype.
  namespace F = tg::nn::functional;
  const Tensor logits32 = tp.detach().to(tg::kFloat);
  const auto options = F::CrossEntropyFuncOptions().weight(s).label_smoothing(0.1).reduction(tg::kSum);
  const Tensor ce32 = F::cross_entropy(logits32, Tensor(target), options);
  CHECK(ce32.scalar_type() == tg::kFloat);
  CHECK(ce32.item<double>() == doctest::Approx(tg::cross_entropy(p, target, s, tg::kSum, -100, 0.1).item()).epsilon(1e-5));
  CHECK(F::nll_loss(tp, Tensor(target), F::NLLLossFuncOptions().ignore_index(1)).item<double>() ==
        tg::nll_loss(p, target, Variable<double>(), tg::kMean, 1).item());
  CHECK(F::binary_cross_entropy_with_logits(tp, tq, F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(s))
            .item<double>() == tg::binary_cross_entropy_with_logits(p, q, Variable<double>(), s).item());
  CHECK(F::smooth_l1_loss(tp, tq, F::SmoothL1LossFuncOptions(tg::kSum), 0.3).item<double>() ==
        tg::smooth_l1_loss(p, q, tg::kSum, 0.3).item());
  CHECK(F::mse_loss(tp, tq, F::MSELossFuncOptions(tg::kSum)).item<double>() == tg::mse_loss(p, q, tg::kSum).item());
  // Float in, Float out; a Float input with Double running statistics is refused.
  CHECK(tg::gelu(tg::ones({2})).scalar_type() == tg::kFloat);
  CHECK_THROWS_WITH_AS(tg::batch_norm(tg::ones({2, 3}), {}, {}, tg::zeros({3}, tg::kDouble), tg::ones({3}, tg::kDouble),
                                      true, 0.1, 1e-5),
                       doctest::Contains("batch_norm: running statistics of dtype Double for an input of dtype Float"),
                       tg::Error);
}
