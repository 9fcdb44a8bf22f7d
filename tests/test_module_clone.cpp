#include <sstream>
#include <string>
#include <vector>

#include "check.hpp"

using doctest::Contains;
namespace nn = tg::nn;

namespace {

std::string module_printout(const nn::Module& module) {
  std::ostringstream out;
  out << module;
  return out.str();
}

// The clone prints as the original, and holds new tensors with the original's names, values, dtypes
// and requires_grad, in the original's training modes.
void check_is_clone(const nn::Module& original, const nn::Module& copy) {
  CHECK(module_printout(copy) == module_printout(original));
  const auto check_tensors = [](const nn::Module::Named<tg::Tensor>& from, const nn::Module::Named<tg::Tensor>& to) {
    REQUIRE(to.keys() == from.keys());
    for (std::size_t i = 0; i < from.size(); ++i) {
      const tg::Tensor& a = from[i].value();
      const tg::Tensor& b = to[i].value();
      CAPTURE(from[i].key());
      CHECK_FALSE(b.is_same(a));
      CHECK(b.scalar_type() == a.scalar_type());
      CHECK(b.requires_grad() == a.requires_grad());
      CHECK(b.equal(a));
      CHECK_FALSE(b.grad().defined());
    }
  };
  check_tensors(original.named_parameters(), copy.named_parameters());
  check_tensors(original.named_buffers(), copy.named_buffers());
  auto& mutable_original = const_cast<nn::Module&>(original);
  auto& mutable_copy = const_cast<nn::Module&>(copy);
  const auto from = mutable_original.named_modules("", false), to = mutable_copy.named_modules("", false);
  REQUIRE(to.keys() == from.keys());
  for (std::size_t i = 0; i < from.size(); ++i) {
    CHECK(to[i].value() != from[i].value());
    CHECK(to[i].value()->is_training() == from[i].value()->is_training());
  }
}

// One of every built-in module, several with parameters and buffers.
std::vector<std::shared_ptr<nn::Module>> every_builtin_module() {
  nn::TransformerEncoderLayer layer(nn::TransformerEncoderLayerOptions(4, 2).dim_feedforward(8));
  std::vector<std::pair<std::string, std::shared_ptr<nn::Module>>> heads = {{"a", nn::Linear(2, 2).ptr()},
                                                                             {"b", nn::Tanh().ptr()}};
  tg::OrderedDict<std::string, tg::Tensor> named_params;
  named_params.insert("scale", tg::ones({3}, tg::requires_grad()));
  named_params.insert("shift", tg::zeros({3}));
  return {
      nn::Linear(3, 4).ptr(), nn::Linear(3, 4, false).ptr(), nn::Conv1d(nn::Conv1dOptions(2, 3, 3)).ptr(),
      nn::Conv2d(nn::Conv2dOptions(2, 3, 3).stride(2)).ptr(), nn::ConvTranspose2d(nn::ConvTranspose2dOptions(2, 3, 3)).ptr(),
      nn::MaxPool1d(nn::MaxPool1dOptions(2)).ptr(), nn::AvgPool1d(nn::AvgPool1dOptions(2)).ptr(),
      nn::MaxPool2d(2).ptr(), nn::AvgPool2d(2).ptr(), nn::AdaptiveAvgPool2d(3).ptr(),
      nn::BatchNorm1d(nn::BatchNorm1dOptions(3)).ptr(), nn::BatchNorm2d(nn::BatchNorm2dOptions(3).affine(false)).ptr(),
      nn::LayerNorm(nn::LayerNormOptions({3})).ptr(), nn::GroupNorm(nn::GroupNormOptions(1, 3)).ptr(),
      nn::InstanceNorm1d(nn::InstanceNorm1dOptions(3).affine(true)).ptr(),
      nn::InstanceNorm2d(nn::InstanceNorm2dOptions(3).track_running_stats(true)).ptr(),
      nn::InstanceNorm3d(nn::InstanceNorm3dOptions(3)).ptr(), nn::Dropout(0.25).ptr(), nn::Dropout2d().ptr(),
      nn::Embedding(5, 3).ptr(), nn::LSTM(nn::LSTMOptions(3, 4).num_layers(2)).ptr(), nn::GRU(3, 4).ptr(),
      nn::RNN(3, 4).ptr(), nn::LSTMCell(3, 4).ptr(), nn::GRUCell(3, 4).ptr(), nn::RNNCell(3, 4).ptr(),
      nn::MultiheadAttention(4, 2).ptr(), layer.ptr(),
      nn::TransformerEncoder(nn::TransformerEncoderOptions(layer, 2).norm(nn::LayerNorm(nn::LayerNormOptions({4}))))
          .ptr(),
      nn::ReLU().ptr(), nn::LeakyReLU(0.2).ptr(), nn::Tanh().ptr(), nn::Sigmoid().ptr(), nn::GELU().ptr(),
      nn::ELU().ptr(), nn::SELU().ptr(), nn::CELU().ptr(), nn::SiLU().ptr(), nn::Mish().ptr(), nn::Softplus().ptr(),
      nn::Hardtanh().ptr(), nn::ReLU6().ptr(), nn::Hardsigmoid().ptr(), nn::Hardswish().ptr(), nn::LogSigmoid().ptr(),
      nn::Softsign().ptr(), nn::Tanhshrink().ptr(), nn::Softshrink().ptr(), nn::Hardshrink().ptr(),
      nn::Threshold(0.1, 20).ptr(), nn::RReLU().ptr(), nn::PReLU().ptr(), nn::GLU().ptr(), nn::Softmax(1).ptr(),
      nn::LogSoftmax(1).ptr(), nn::Identity().ptr(), nn::Flatten().ptr(), nn::CosineSimilarity().ptr(),
      nn::PairwiseDistance().ptr(), nn::Functional(tg::relu).ptr(),
      nn::Sequential(nn::Linear(3, 2), nn::ReLU()).ptr(), nn::ModuleList(nn::Linear(2, 2), nn::GELU()).ptr(),
      nn::ModuleDict(heads).ptr(), nn::ParameterList(tg::ones({2}, tg::requires_grad()), tg::zeros({3})).ptr(),
      nn::ParameterDict(named_params).ptr(), nn::ZeroPad2d(nn::ZeroPad2dOptions({1, 2, 0, 3})).ptr(),
      nn::ConstantPad1d(nn::ConstantPad1dOptions(2, -1.0)).ptr(),
      nn::ConstantPad2d(nn::ConstantPad2dOptions(1, 0.5)).ptr(),
      nn::ReflectionPad1d(nn::ReflectionPad1dOptions(1)).ptr(), nn::ReflectionPad2d(nn::ReflectionPad2dOptions(1)).ptr(),
      nn::ReplicationPad1d(nn::ReplicationPad1dOptions(1)).ptr(),
      nn::ReplicationPad2d(nn::ReplicationPad2dOptions(1)).ptr(),
      nn::Upsample(nn::UpsampleOptions().scale_factor(std::vector<double>{2, 2})).ptr(), nn::NLLLoss().ptr(),
      nn::CrossEntropyLoss().ptr(), nn::BCELoss().ptr(), nn::BCEWithLogitsLoss().ptr(), nn::L1Loss().ptr(),
      nn::MSELoss().ptr(), nn::SmoothL1Loss().ptr(), nn::HuberLoss().ptr(), nn::KLDivLoss().ptr()};
}

struct TwoLayerImpl : nn::Cloneable<TwoLayerImpl> {
  explicit TwoLayerImpl(std::size_t hidden) : hidden(hidden) { reset(); }
  void reset() override {
    fc1 = register_module("fc1", nn::Linear(3, hidden));
    fc2 = register_module("fc2", nn::Linear(hidden, 2));
    scale = register_parameter("scale", tg::ones({2}));
    steps = register_buffer("steps", tg::zeros({1}, tg::kLong));
  }
  tg::Tensor forward(tg::Tensor x) { return fc2(tg::relu(fc1(x))) * scale; }  // LibTorch's signature
  std::size_t hidden;
  nn::Linear fc1{nullptr}, fc2{nullptr};
  tg::Tensor scale, steps;
};
TG_MODULE(TwoLayer);

// A reset() that registers something else than the constructor did.
struct DriftingImpl : nn::Cloneable<DriftingImpl> {
  DriftingImpl() {
    reset();
    register_parameter("extra", tg::zeros({1}));
  }
  void reset() override { weight = register_parameter("weight", tg::ones({2})); }
  tg::Tensor weight;
};

struct PlainImpl : nn::Module {
  PlainImpl() { register_module("fc", nn::Linear(2, 2)); }
};

// A subclass of a built-in layer: it inherits Linear's clone_structure(), which builds a Linear.
struct DerivedLinearImpl : nn::LinearImpl {
  DerivedLinearImpl() : LinearImpl(2, 2) {}
};

}  // namespace

TEST_CASE("clone: every built-in module gives new tensors with the original's values, names and printout") {
  tg::manual_seed(3);
  for (const auto& original : every_builtin_module()) {
    CAPTURE(module_printout(*original));
    check_is_clone(*original, *original->clone());
  }
  // The same through one container, with modes, dtypes and requires_grad changed first.
  auto all = nn::ModuleList();
  for (const auto& module : every_builtin_module()) all->push_back(module);
  all->to(tg::kDouble);
  (*all)[0]->parameters()[0].requires_grad_(false);
  (*all)[10]->eval();
  check_is_clone(*all, *all->clone());
}

TEST_CASE("clone: the copy trains on its own, with its buffers, modes and values, through holders and casts") {
  tg::manual_seed(4);
  nn::Sequential net(nn::Linear(3, 4), nn::BatchNorm1d(nn::BatchNorm1dOptions(4)), nn::ReLU(), nn::Linear(4, 2));
  const tg::Tensor x = tg::randn({5, 3});
  net->forward(x);  // updates the running statistics
  auto copy = std::dynamic_pointer_cast<nn::SequentialImpl>(net->clone());
  REQUIRE(copy);
  check_is_clone(*net, *copy);
  CHECK(copy->at<nn::BatchNorm1dImpl>(1).num_batches_tracked.item<std::int64_t>() == 1);
  CHECK(copy->forward(x).equal(net->forward(x)));

  // A step on the copy leaves the original alone, and the original's gradients stay undefined.
  copy->forward(x).sum().backward();
  for (const auto& p : net->parameters()) CHECK_FALSE(p.grad().defined());
  {
    tg::NoGradGuard no_grad;
    for (auto& p : copy->parameters()) p.sub_(p.grad() * 0.1);
  }
  CHECK_FALSE(copy->at<nn::LinearImpl>(0).weight.equal(net->at<nn::LinearImpl>(0).weight));
  net->eval();
  CHECK(net->clone()->children()[1]->is_training() == false);

  nn::Linear linear(2, 3);
  nn::Linear linear_copy(std::dynamic_pointer_cast<nn::LinearImpl>(linear->clone()));
  CHECK(linear_copy->weight.equal(linear->weight));
  CHECK_FALSE(linear_copy->weight.is_same(linear->weight));
  CHECK(linear_copy->clone(tg::Device(tg::kCPU))->parameters().size() == 2);
  CHECK_THROWS_WITH_AS(linear->clone(tg::Device(tg::kCUDA)), Contains("Module::clone"), tg::Error);
}

TEST_CASE("clone: a module of one's own clones when it derives from Cloneable and builds itself in reset()") {
  tg::manual_seed(5);
  TwoLayer net(6);
  net->steps.fill_(7);
  {
    tg::NoGradGuard no_grad;
    net->scale.mul_(3);
  }
  auto copy = std::dynamic_pointer_cast<TwoLayerImpl>(net->clone());
  REQUIRE(copy);
  check_is_clone(*net, *copy);
  CHECK(copy->hidden == 6);
  // Its members are the new tensors and submodules, not the original's.
  CHECK(copy->fc1.ptr() == copy->named_children()["fc1"]);
  CHECK_FALSE(copy->fc1->weight.is_same(net->fc1->weight));
  CHECK(copy->scale.is_same(copy->named_parameters()["scale"]));
  CHECK(copy->steps.item<std::int64_t>() == 7);
  const tg::Tensor x = tg::randn({4, 3});
  CHECK(copy->forward(x).equal(net->forward(x)));
  {
    tg::NoGradGuard no_grad;
    copy->scale.zero_();
  }
  CHECK(copy->forward(x).equal(tg::zeros({4, 2})));
  CHECK_FALSE(net->forward(x).equal(tg::zeros({4, 2})));
  // In a Sequential, whose clone calls each element's own forward as the original does.
  nn::Sequential chain(net, nn::ReLU());
  auto chain_copy = std::dynamic_pointer_cast<nn::SequentialImpl>(chain->clone());
  REQUIRE(chain_copy);
  CHECK(chain_copy->forward(x).equal(chain->forward(x)));
  CHECK_FALSE(chain_copy->at<TwoLayerImpl>(0).scale.is_same(net->scale));

  DriftingImpl drifting;
  CHECK_THROWS_WITH_AS(drifting.clone(), Contains("clone(): the new module's parameters are [weight], the original's [weight, extra]"),
                       tg::Error);
  PlainImpl plain;
  CHECK_THROWS_WITH_AS(plain.clone(), Contains("Plain: clone() is not implemented for this module; derive it from tg::nn::Cloneable<PlainImpl>"),
                       tg::Error);
  nn::Sequential derived(std::make_shared<DerivedLinearImpl>());
  CHECK_THROWS_WITH_AS(derived->clone(), Contains("AnyModule: clone_structure() of a DerivedLinear returned a Linear"),
                       tg::Error);
}
