#include <cmath>
#include <sstream>

#include "check.hpp"

using doctest::Contains;
using tgtest::printed;
using tg::Array;
using tg::Variable;
using Conv2d = tg::nn::Conv2dImpl;
using tg::nn::Conv2dOptions;
using Flatten = tg::nn::FlattenImpl;
using LeakyReLU = tg::nn::LeakyReLUImpl;
using Linear = tg::nn::LinearImpl;
using MaxPool2d = tg::nn::MaxPool2dImpl;
using tg::nn::MaxPool2dOptions;
using ReLU = tg::nn::ReLUImpl;
using Sequential = tg::nn::SequentialImpl;

namespace {

// Largest absolute element.
double abs_max(const Array<float>& t) {
  double m = 0;
  for (float v : t) m = std::max(m, double(std::abs(v)));
  return m;
}

Variable<float> random_input(const tg::Shape& shape, std::uint64_t seed) {
  tg::manual_seed(seed);
  return Variable<float>(tg::randn<float>(shape), true);
}

// The MLP of LibTorch's MNIST example, with namespaces renamed.
struct MnistMlp : tg::nn::Module {
  MnistMlp() {
    fc1 = register_module("fc1", std::make_shared<tg::nn::LinearImpl>(784, 50));
    fc2 = register_module("fc2", std::make_shared<tg::nn::LinearImpl>(50, 10));
  }
  tg::Tensor forward(const tg::Tensor& x) { return fc2->forward(tg::relu(fc1->forward(x))); }
  std::shared_ptr<tg::nn::LinearImpl> fc1, fc2;
};

}  // namespace

TEST_CASE("Linear: LibTorch's default init, U(-1/sqrt(in), 1/sqrt(in)) for weight and bias") {
  tg::manual_seed(5);
  Linear layer(400, 300);
  CHECK(layer.weight.shape() == tg::Shape{300, 400});
  CHECK(layer.bias.shape() == tg::Shape{300});
  const double bound = 1.0 / std::sqrt(400.0);  // kaiming_uniform_(a = sqrt(5)) gives exactly this
  CHECK(abs_max(layer.weight.value<float>()) <= bound);
  CHECK(abs_max(layer.weight.value<float>()) > 0.999 * bound);
  CHECK(abs_max(layer.bias.value<float>()) <= bound);
  CHECK(abs_max(layer.bias.value<float>()) > 0.9 * bound);
  CHECK(layer.weight.requires_grad());
  CHECK(layer.in_features() == 400);
  CHECK(layer.out_features() == 300);
  CHECK_FALSE(Linear(4, 3, /*bias=*/false).bias.defined());
  CHECK(Linear(4, 3, false).parameters().size() == 1);
}

TEST_CASE("Conv2d: LibTorch's default init, fan_in = in_channels·kh·kw") {
  tg::manual_seed(6);
  Conv2d conv(4, 16, 3);
  CHECK(conv.weight.shape() == tg::Shape{16, 4, 3, 3});
  CHECK(conv.bias.shape() == tg::Shape{16});
  const double bound = 1.0 / std::sqrt(36.0);
  CHECK(abs_max(conv.weight.value<float>()) <= bound);
  CHECK(abs_max(conv.weight.value<float>()) > 0.95 * bound);
  CHECK(abs_max(conv.bias.value<float>()) <= bound);

  Conv2d wide(Conv2dOptions(2, 3, {1, 5}).bias(false));  // a non-square kernel: fan_in = 2·1·5
  CHECK(wide.weight.shape() == tg::Shape{3, 2, 1, 5});
  CHECK(abs_max(wide.weight.value<float>()) <= 1.0 / std::sqrt(10.0));
  CHECK_FALSE(wide.bias.defined());
}

TEST_CASE("Linear and Conv2d forward are the functional ops on their own weights") {
  Linear layer(3, 2);
  layer.weight.value<float>() = Array<float>{{1.f, 0.f, -1.f}, {2.f, 1.f, 0.f}};
  layer.bias.value<float>() = Array<float>{0.5f, -1.f};
  Variable<float> x(Array<float>{{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}});
  CHECK(tgtest::allclose(layer.forward(x).value<float>(), Array<float>{{-1.5f, 3.f}, {-1.5f, 12.f}}));  // by hand

  auto x2 = random_input({5, 3}, 1);
  CHECK(layer.forward(x2).value<float>() == tg::linear(x2, layer.weight, layer.bias).value<float>());

  Conv2d conv(Conv2dOptions(2, 3, {3, 2}).stride({2, 1}).padding(1));
  auto image = random_input({2, 2, 7, 6}, 2);
  auto y = conv.forward(image);
  CHECK(y.shape() == tg::Shape{2, 3, 4, 7});  // (7 + 2 - 3) / 2 + 1, (6 + 2 - 2) / 1 + 1
  CHECK(y.value<float>() == tg::conv2d(image, conv.weight, conv.bias, {2, 1}, {1, 1}).value<float>());

  // Gradients reach the layer's parameters.
  auto s = tg::sum(y);
  s.backward();
  CHECK(conv.weight.grad().defined());
  CHECK(conv.bias.grad().defined());
  CHECK(image.has_grad());
}

TEST_CASE("MaxPool2d, ReLU, LeakyReLU, Flatten: by hand and as their ops") {
  Variable<float> grid(Array<float>{{{{1.f, 5.f, 2.f, -2.f},
                                       {3.f, 4.f, 8.f, 6.f},
                                       {9.f, 7.f, 1.f, 2.f},
                                       {-1.f, 6.f, 3.f, 5.f}}}});
  CHECK(tgtest::allclose(MaxPool2d(2).forward(grid).value<float>(), Array<float>{{{{5.f, 8.f}, {9.f, 5.f}}}}));
  CHECK(tgtest::allclose(MaxPool2d(MaxPool2dOptions(3).stride(1)).forward(grid).value<float>(),
                         Array<float>{{{{9.f, 8.f}, {9.f, 8.f}}}}));
  auto image = random_input({2, 3, 6, 6}, 3);
  CHECK(MaxPool2d(MaxPool2dOptions(3).stride(2).padding(1)).forward(image).value<float>() ==
        tg::max_pool2d(image, {3, 3}, {2, 2}, {1, 1}).value());

  Variable<float> v(Array<float>{-2.f, -0.5f, 0.f, 3.f});
  CHECK(tgtest::allclose(ReLU().forward(v).value<float>(), Array<float>{0.f, 0.f, 0.f, 3.f}));
  CHECK(tgtest::allclose(LeakyReLU().forward(v).value<float>(), Array<float>{-0.02f, -0.005f, 0.f, 3.f}));
  CHECK(tgtest::allclose(LeakyReLU(0.5).forward(v).value<float>(), Array<float>{-1.f, -0.25f, 0.f, 3.f}));
  CHECK(tgtest::allclose(LeakyReLU(tg::nn::LeakyReLUOptions().negative_slope(0.5)).forward(v).value<float>(),
                         Array<float>{-1.f, -0.25f, 0.f, 3.f}));
  CHECK(LeakyReLU(tg::nn::LeakyReLUOptions().negative_slope(0.2)).options().negative_slope() == 0.2);
  // A Double input gets the slope as a double (0.2, not float's 0.2000000029...).
  CHECK(LeakyReLU(0.2).forward(tg::tensor({-1.0}, tg::kDouble)).item<double>() == -0.2);

  auto t = random_input({2, 3, 4, 5}, 4);
  CHECK(Flatten().forward(t).shape() == tg::Shape{2, 60});
  CHECK(Flatten().forward(t).value<float>() == tg::flatten(t, 1, -1).value());
  CHECK(Flatten(0).forward(t).shape() == tg::Shape{120});
  CHECK(Flatten(1, 2).forward(t).shape() == tg::Shape{2, 12, 5});
  CHECK(Flatten(-2).forward(t).shape() == tg::Shape{2, 3, 20});
}

TEST_CASE("CrossEntropyLoss and MSELoss: by hand, every reduction") {
  Variable<float> logits(Array<float>{{0.f, 0.f}, {1.f, 0.f}}, true);
  const tg::Tensor target(tg::Labels{0, 0});
  // Row 0: ln 2. Row 1: ln(1 + e^-1).
  const float row0 = std::log(2.f), row1 = std::log1p(std::exp(-1.f));
  CHECK(tg::nn::CrossEntropyLossImpl().forward(logits, target).item<double>() == doctest::Approx((row0 + row1) / 2));
  CHECK(tg::nn::CrossEntropyLossImpl(tg::Reduction::Sum).forward(logits, target).item<double>() == doctest::Approx(row0 + row1));
  CHECK(tgtest::allclose(tg::nn::CrossEntropyLossImpl(tg::Reduction::None).forward(logits, target).value<float>(),
                         Array<float>{row0, row1}));
  auto loss = tg::nn::CrossEntropyLossImpl().forward(logits, target);
  loss.backward();
  CHECK(logits.has_grad());

  Variable<float> input(Array<float>{1.f, 2.f}, true), goal(Array<float>{0.f, 4.f});
  CHECK(tg::nn::MSELossImpl().forward(input, goal).item<double>() == doctest::Approx(2.5));  // (1 + 4) / 2
  CHECK(tg::nn::MSELossImpl(tg::Reduction::Sum).forward(input, goal).item<double>() == doctest::Approx(5.0));
  CHECK(tgtest::allclose(tg::nn::MSELossImpl(tg::Reduction::None).forward(input, goal).value<float>(), Array<float>{1.f, 4.f}));
}

TEST_CASE("Layers print LibTorch's descriptions") {
  CHECK(printed(Linear(784, 50)) == "Linear(in_features=784, out_features=50, bias=true)");
  CHECK(printed(Conv2d(1, 10, 5)) == "Conv2d(1, 10, kernel_size=[5, 5], stride=[1, 1])");
  CHECK(printed(Conv2d(Conv2dOptions(16, 32, 3).stride(2).padding(1).bias(false))) ==
        "Conv2d(16, 32, kernel_size=[3, 3], stride=[2, 2], padding=[1, 1], bias=false)");
  CHECK(printed(MaxPool2d(2)) == "MaxPool2d(kernel_size=[2, 2], stride=[2, 2], padding=[0, 0])");
  CHECK(printed(ReLU()) == "ReLU()");
  CHECK(printed(LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)");
  CHECK(printed(Flatten()) == "Flatten(start_dim=1, end_dim=-1)");
  CHECK(printed(tg::nn::CrossEntropyLossImpl()) == "CrossEntropyLoss()");
  CHECK(printed(tg::nn::MSELossImpl(tg::Reduction::Sum)) == "MSELoss(reduction=sum)");
}

TEST_CASE("A small CNN as one Sequential: names, shapes, tree, gradients") {
  tg::manual_seed(7);
  auto cnn = std::make_shared<Sequential>(std::make_shared<Conv2d>(Conv2dOptions(1, 4, 3).padding(1)),
                                          std::make_shared<ReLU>(), std::make_shared<MaxPool2d>(2),
                                          std::make_shared<Flatten>(), std::make_shared<Linear>(4 * 14 * 14, 10));
  std::vector<std::string> names;
  for (const auto& [name, p] : cnn->named_parameters()) names.push_back(name);
  CHECK(names == std::vector<std::string>{"0.weight", "0.bias", "4.weight", "4.bias"});
  CHECK(cnn->parameter_count() == 4 * 9 + 4 + 784 * 10 + 10);
  CHECK(printed(*cnn) ==
        "Sequential(\n"
        "  (0): Conv2d(1, 4, kernel_size=[3, 3], stride=[1, 1], padding=[1, 1])\n"
        "  (1): ReLU()\n"
        "  (2): MaxPool2d(kernel_size=[2, 2], stride=[2, 2], padding=[0, 0])\n"
        "  (3): Flatten(start_dim=1, end_dim=-1)\n"
        "  (4): Linear(in_features=784, out_features=10, bias=true)\n"
        ")");

  auto logits = cnn->forward(random_input({3, 1, 28, 28}, 8));
  CHECK(logits.shape() == tg::Shape{3, 10});
  tg::nn::CrossEntropyLossImpl().forward(logits, tg::Tensor(tg::Labels{1, 2, 3})).backward();
  for (const auto& p : cnn->parameters()) CHECK(p.grad().defined());
}

TEST_CASE("The MNIST example ported from LibTorch by renaming namespaces") {
  auto net = std::make_shared<MnistMlp>();
  CHECK(net->parameter_count() == 39760);
  auto logits = net->forward(random_input({4, 784}, 9));
  CHECK(logits.shape() == tg::Shape{4, 10});
  CHECK(printed(*net) ==
        "MnistMlp(\n"
        "  (fc1): Linear(in_features=784, out_features=50, bias=true)\n"
        "  (fc2): Linear(in_features=50, out_features=10, bias=true)\n"
        ")");
}

TEST_CASE("Layers pass bad input on to their op's error") {
  Linear layer(3, 2);
  CHECK_THROWS_WITH_AS(layer.forward(random_input({4, 5}, 1)), Contains("linear: expected input (*, in) with in = 3"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(Conv2d(3, 4, 3).forward(random_input({1, 2, 5, 5}, 1)), Contains("conv2d:"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::nn::MSELossImpl().forward(random_input({2}, 1), random_input({3}, 2)), Contains("mse_loss:"),
                       tg::Error);
}
