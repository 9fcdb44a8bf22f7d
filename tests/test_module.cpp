#include <sstream>

#include "check.hpp"

using doctest::Contains;
using tg::Array;
using tg::Tensor;
using tg::Variable;
using Linear = tg::nn::LinearImpl;
using tg::nn::LinearImpl;
using tg::nn::Module;
using Sequential = tg::nn::SequentialImpl;
using tg::nn::SequentialImpl;

namespace {

// A module with no parameters and no pretty_print of its own: printed by its class name alone. Its
// forward has LibTorch's by-value signature, which Sequential chains as it chains the built-in layers.
struct Doubler : Module {
  Tensor forward(Tensor x) { return x * 2; }
};

// The MNIST-sized MLP with a Sequential inside, a parameter and a buffer of its own.
struct NestedMlp : Module {
  NestedMlp() {
    scale = register_parameter("scale", Tensor(Array<float>{1.f}));
    features = register_module(
        "features", std::make_shared<SequentialImpl>(std::make_shared<LinearImpl>(784, 50), std::make_shared<Doubler>()));
    classifier = register_module("classifier", std::make_shared<LinearImpl>(50, 10));
    steps = register_buffer("steps", Tensor(Array<float>{0.f}));
  }
  Tensor forward(const Tensor& x) { return classifier->forward(features->forward(x)) * scale; }

  Tensor scale, steps;
  std::shared_ptr<SequentialImpl> features;
  std::shared_ptr<LinearImpl> classifier;
};

struct Empty : Module {};

std::vector<std::string> names_of(const Module::Named<Tensor>& named) {
  std::vector<std::string> names;
  for (const auto& entry : named) names.push_back(entry.first);
  return names;
}

}  // namespace

TEST_CASE("Module: dotted parameter names, own entries first, in registration order") {
  auto net = std::make_shared<NestedMlp>();
  CHECK(names_of(net->named_parameters()) == std::vector<std::string>{"scale", "features.0.weight", "features.0.bias",
                                                                      "classifier.weight", "classifier.bias"});
  CHECK(names_of(net->named_parameters(/*recurse=*/false)) == std::vector<std::string>{"scale"});
  CHECK(names_of(net->features->named_parameters()) == std::vector<std::string>{"0.weight", "0.bias"});
  CHECK(names_of(net->named_buffers()) == std::vector<std::string>{"steps"});

  // The handles share state with the registered parameters, in the same order as the names.
  auto params = net->parameters();
  REQUIRE(params.size() == 5);
  CHECK(params[3].is_same(net->classifier->weight));
  CHECK(params[1].shape() == tg::Shape{50, 784});
  params[0].value<float>()(0) = 3.f;
  CHECK(net->scale.item<float>() == 3.f);
  CHECK(net->parameters(false).size() == 1);

  // 784·50 + 50 + 50·10 + 10 weights and biases, plus the scale; buffers are not parameters.
  CHECK(net->parameter_count() == 39761);
  CHECK(std::make_shared<SequentialImpl>(std::make_shared<LinearImpl>(784, 50), std::make_shared<LinearImpl>(50, 10))
            ->parameter_count() == 39760);
}

TEST_CASE("Module: parameters require grad, buffers do not") {
  auto net = std::make_shared<NestedMlp>();
  for (const auto& p : net->parameters()) CHECK(p.requires_grad());
  CHECK_FALSE(net->steps.requires_grad());
  CHECK(net->buffers().size() == 1);
  CHECK(net->buffers()[0].is_same(net->steps));

  Empty m;
  auto frozen = m.register_parameter("frozen", Tensor(Array<float>{1.f, 2.f}), /*requires_grad=*/false);
  CHECK_FALSE(frozen.requires_grad());
  CHECK(m.parameters().size() == 1);
  CHECK(m.parameter_count() == 2);
}

TEST_CASE("Module: children in registration order") {
  auto net = std::make_shared<NestedMlp>();
  const auto& named = net->named_children();
  REQUIRE(named.size() == 2);
  CHECK(named[0].first == "features");
  CHECK(named[0].second == net->features);
  CHECK(named[1].first == "classifier");
  CHECK(net->children() == std::vector<std::shared_ptr<Module>>{net->features, net->classifier});
  CHECK(net->features->children().size() == 2);
}

TEST_CASE("Module: train and eval reach every descendant") {
  auto net = std::make_shared<NestedMlp>();
  CHECK(net->is_training());
  net->eval();
  CHECK_FALSE(net->is_training());
  CHECK_FALSE(net->features->is_training());
  CHECK_FALSE((*net->features)[1]->is_training());
  CHECK_FALSE(net->classifier->is_training());
  net->train();
  CHECK((*net->features)[0]->is_training());
  net->features->train(false);  // only the subtree
  CHECK(net->is_training());
  CHECK_FALSE((*net->features)[1]->is_training());
}

TEST_CASE("Module: zero_grad zeroes every parameter's gradient in place, zero_grad(true) frees them") {
  auto net = std::make_shared<NestedMlp>();
  Tensor x(Array<float>(xt::ones<float>({2, 784})));
  auto y = net->forward(x);
  y.backward(Tensor(Array<float>(xt::ones<float>({2, 10}))));
  std::vector<const float*> buffers;
  for (const auto& p : net->parameters()) {
    REQUIRE(p.grad().defined());
    CHECK(p.grad().abs().sum().item<float>() > 0);
    buffers.push_back(p.grad().data_ptr<float>());
  }
  net->zero_grad();
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    const Tensor g = net->parameters()[i].grad();
    REQUIRE(g.defined());
    CHECK(g.data_ptr<float>() == buffers[i]);  // the same buffer, as LibTorch 1.13 keeps it
    CHECK(g.abs().sum().item<float>() == 0);
  }
  net->zero_grad(/*set_to_none=*/true);
  for (const auto& p : net->parameters()) CHECK_FALSE(p.grad().defined());
}

TEST_CASE("Module: the printed tree") {
  auto net = std::make_shared<NestedMlp>();
  const std::string expected =
      "NestedMlp(\n"
      "  (features): Sequential(\n"
      "    (0): Linear(in_features=784, out_features=50, bias=true)\n"
      "    (1): Doubler\n"
      "  )\n"
      "  (classifier): Linear(in_features=50, out_features=10, bias=true)\n"
      ")";
  std::ostringstream by_reference, by_pointer;
  by_reference << *net;
  by_pointer << net;  // not the pointer's address
  CHECK(by_reference.str() == expected);
  CHECK(by_pointer.str() == expected);

  std::ostringstream leaf, no_bias, named;
  leaf << Empty();
  no_bias << LinearImpl(3, 2, /*bias=*/false);
  named << Module("Custom");
  CHECK(leaf.str() == "Empty");
  CHECK(no_bias.str() == "Linear(in_features=3, out_features=2, bias=false)");
  CHECK(named.str() == "Custom");
}

TEST_CASE("Module: bad names and bad children throw, naming the call and the module") {
  NestedMlp net;
  CHECK_THROWS_WITH_AS(net.register_parameter("", Tensor(Array<float>{1.f})),
                       "register_parameter: expected a non-empty name (in NestedMlp)", tg::Error);
  CHECK_THROWS_WITH_AS(net.register_buffer("running.mean", Tensor(Array<float>{1.f})),
                       Contains("register_buffer: name \"running.mean\" contains '.'"), tg::Error);
  CHECK_THROWS_WITH_AS(net.register_parameter("scale", Tensor(Array<float>{1.f})),
                       "register_parameter: name \"scale\" is already registered as a parameter (in NestedMlp)", tg::Error);
  CHECK_THROWS_WITH_AS(net.register_buffer("features", Tensor(Array<float>{1.f})),
                       "register_buffer: name \"features\" is already registered as a module (in NestedMlp)", tg::Error);
  CHECK_THROWS_WITH_AS(net.register_module("steps", std::make_shared<Empty>()),
                       "register_module: name \"steps\" is already registered as a buffer (in NestedMlp)", tg::Error);
  CHECK_THROWS_WITH_AS(net.register_module("none", std::shared_ptr<Empty>()),
                       "register_module: module \"none\" is null (in NestedMlp)", tg::Error);
  auto self = std::make_shared<Empty>();
  CHECK_THROWS_WITH_AS(self->register_module("self", self), Contains("cannot be its own child"), tg::Error);
  // A failed registration adds nothing.
  CHECK(net.named_parameters(false).size() == 1);
  CHECK(net.named_children().size() == 2);
}

TEST_CASE("Module: as<T>() gives the module as a class or a holder's class, or nullptr") {
  std::shared_ptr<Module> linear = std::make_shared<LinearImpl>(3, 2);
  CHECK(linear->as<LinearImpl>() == linear.get());
  CHECK(linear->as<tg::nn::Linear>() == linear.get());
  CHECK(linear->as<Doubler>() == nullptr);
  const Module& constant = *linear;
  CHECK(constant.as<tg::nn::Linear>()->out_features() == 2);
  Tensor x(Array<float>{{1.f, 2.f, 3.f}});
  CHECK(linear->as<tg::nn::Linear>()->forward(x).sizes() == tg::IntArrayRef{1, 2});
}

TEST_CASE("Sequential: chains forward, indexes its modules, names them 0, 1, ...") {
  auto first = std::make_shared<LinearImpl>(3, 2);
  auto seq = std::make_shared<SequentialImpl>(first, std::make_shared<Doubler>());
  auto last = seq->push_back(std::make_shared<LinearImpl>(2, 1));
  CHECK(seq->size() == 3);
  CHECK((*seq)[0] == first);
  CHECK(seq->ptr<LinearImpl>(2) == last);
  CHECK(&seq->at<LinearImpl>(2) == last.get());
  CHECK(seq->named_children()[2].first == "2");

  Tensor x(Array<float>{{1.f, 2.f, 3.f}, {-1.f, 0.5f, 0.f}});
  auto by_hand = last->forward(first->forward(x) * 2);
  CHECK(tgtest::allclose(seq->forward(x).value<float>(), by_hand.value<float>()));

  CHECK_THROWS_WITH_AS((*seq)[3], "Sequential: index 3 is out of range for a Sequential of 3 modules", tg::Error);
  CHECK_THROWS_WITH_AS(seq->at<LinearImpl>(1), "Sequential: module 1 is a Doubler, not the type asked of at<>() or ptr<>()",
                       tg::Error);
  CHECK_THROWS_WITH_AS(SequentialImpl().forward(x), Contains("Sequential: forward() on an empty Sequential"), tg::Error);
  CHECK(SequentialImpl().is_empty());
}

TEST_CASE("Sequential: named modules, push_back by name, extend, iteration over AnyModule, clone keeps names") {
  tg::manual_seed(2);
  tg::nn::Sequential named({{"fc1", tg::nn::Linear(3, 4)}, {"tanh", std::make_shared<tg::nn::TanhImpl>()}});
  named->push_back("fc2", tg::nn::Linear(4, 2));
  named->push_back(tg::nn::AnyModule(tg::nn::ReLU()));
  CHECK(named->named_children().keys() == std::vector<std::string>{"fc1", "tanh", "fc2", "3"});
  CHECK(named->named_parameters().keys() ==
        std::vector<std::string>{"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"});
  std::vector<std::string> names;
  for (const tg::nn::AnyModule& m : *named) names.push_back(m.ptr()->name());
  CHECK(names == std::vector<std::string>{"Linear", "Tanh", "Linear", "ReLU"});

  Tensor x(Array<float>{{1.f, -2.f, 3.f}});
  const Tensor expected =
      tg::relu(named->at<LinearImpl>(2).forward(tg::tanh(named->at<LinearImpl>(0).forward(x))));
  CHECK(named->forward(x).equal(expected));

  tg::nn::Sequential longer(tg::nn::Linear(3, 4));
  longer->extend(*named);  // the same modules, renumbered
  CHECK(longer->size() == 5);
  CHECK(longer->ptr(1) == named->ptr(0));
  CHECK(longer->named_children().keys().back() == "4");
  longer->extend(std::vector<std::shared_ptr<LinearImpl>>{std::make_shared<LinearImpl>(4, 4)});
  CHECK(longer->size() == 6);

  auto copy = std::dynamic_pointer_cast<SequentialImpl>(named->clone());
  REQUIRE(copy);
  CHECK(copy->named_children().keys() == named->named_children().keys());
  CHECK(copy->forward(x).equal(named->forward(x)));
  CHECK_FALSE(copy->ptr(0) == named->ptr(0));
  CHECK_THROWS_WITH_AS(named->push_back(tg::nn::AnyModule()), Contains("Sequential: push_back of an empty AnyModule"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(named->push_back("fc1", tg::nn::ReLU()), Contains("fc1"), tg::Error);
}

TEST_CASE("AnyModule: forward, get and ptr as the module's class, errors for another class or none") {
  auto linear = std::make_shared<LinearImpl>(3, 2);
  tg::nn::AnyModule any(linear);
  Tensor x(Array<float>{{1.f, 2.f, 3.f}});
  CHECK(any.forward(x).equal(linear->forward(x)));
  CHECK(&any.get<LinearImpl>() == linear.get());
  CHECK(any.ptr<LinearImpl>() == linear);
  CHECK(any.ptr() == linear);
  CHECK(any.type_info() == typeid(LinearImpl));
  CHECK_THROWS_WITH_AS(any.get<Doubler>(), "AnyModule: the module is a Linear, not the type asked of get<>() or ptr<>()",
                       tg::Error);
  tg::nn::AnyModule from_holder(tg::nn::ReLU{});
  CHECK(from_holder.forward(Tensor(Array<float>{-1.f, 2.f})).equal(Tensor(Array<float>{0.f, 2.f})));
  tg::nn::AnyModule empty;
  CHECK(empty.is_empty());
  CHECK_THROWS_WITH_AS(empty.forward(x), "AnyModule: forward() on an empty AnyModule", tg::Error);
  CHECK_THROWS_WITH_AS(tg::nn::AnyModule(std::shared_ptr<LinearImpl>()), "AnyModule: the module is null", tg::Error);
}

TEST_CASE("Module: named_parameters is LibTorch's OrderedDict, by key() and value(), by key and by position") {
  auto net = std::make_shared<NestedMlp>();
  const auto named = net->named_parameters();
  std::vector<std::string> keys;
  for (const auto& p : named) keys.push_back(p.key());
  CHECK(keys == named.keys());
  CHECK(named[1].key() == "features.0.weight");
  CHECK(named["classifier.bias"].is_same(net->classifier->bias));
  CHECK(named[0].value().is_same(net->scale));
  CHECK(named.contains("scale"));
  CHECK(named.find("nope") == nullptr);
  CHECK_THROWS_WITH_AS(named["nope"], Contains("Parameter 'nope' is not defined"), tg::Error);
  CHECK_THROWS_WITH_AS(named[9], Contains("position 9 is out of range (it holds 5 items)"), tg::Error);
  CHECK(net->named_buffers().front().key() == "steps");
  CHECK_THROWS_WITH_AS(net->register_buffer("steps", Tensor(Array<float>{1.f})), Contains("steps"), tg::Error);
}

TEST_CASE("Module: modules, named_modules and apply walk the tree depth first, this module first") {
  auto net = std::make_shared<NestedMlp>();
  const auto named = net->named_modules();
  CHECK(named.keys() == std::vector<std::string>{"", "features", "features.0", "features.1", "classifier"});
  CHECK(named[""] == net);
  CHECK(named["features.0"] == net->features->named_children()[0].value());
  CHECK(net->named_modules("net").keys().at(2) == "net.features.0");
  CHECK(net->modules(/*include_self=*/false).size() == 4);
  CHECK(net->modules().front() == net);

  int linears = 0;
  net->apply([&](Module& m) { linears += dynamic_cast<LinearImpl*>(&m) != nullptr; });
  CHECK(linears == 2);
  std::vector<std::string> visited;
  net->apply([&](const std::string& name, Module&) { visited.push_back(name); });
  CHECK(visited == named.keys());

  NestedMlp on_stack;  // not in a shared_ptr: only include_self = false can list it
  CHECK(on_stack.modules(false).size() == 4);
  CHECK_THROWS_WITH_AS(on_stack.modules(), Contains("need the module in a std::shared_ptr"), tg::Error);
}
