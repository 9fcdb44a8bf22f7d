// ModuleDict, ParameterList and ParameterDict: children and parameters by key or position, their
// names in the parent, replacement and removal, and their errors.
#include <sstream>

#include "check.hpp"

using doctest::Contains;
using tg::Tensor;
namespace nn = tg::nn;

TEST_CASE("ModuleDict: children by key in insertion order, replaced in place, popped and cleared") {
  const std::vector<std::pair<std::string, std::shared_ptr<nn::Module>>> modules = {{"digit", nn::Linear(4, 10).ptr()},
                                                                                     {"parity", nn::Linear(4, 2).ptr()}};
  nn::ModuleDict heads(modules);  // a named list, as LibTorch's examples build one
  CHECK(heads->keys() == std::vector<std::string>{"digit", "parity"});
  CHECK(heads->named_parameters().keys() ==
        std::vector<std::string>{"digit.weight", "digit.bias", "parity.weight", "parity.bias"});
  CHECK(heads->at<nn::LinearImpl>("parity").weight.sizes() == tg::IntArrayRef{2, 4});
  CHECK(heads["digit"]->as<nn::Linear>()->forward(tg::ones({3, 4})).sizes() == tg::IntArrayRef{3, 10});

  const auto sign = heads->insert("parity", nn::Linear(4, 3));  // an existing key: the new module, same place
  CHECK(heads->size() == 2);
  CHECK(heads->named_children()["parity"] == sign);
  CHECK(heads->at<nn::LinearImpl>("parity").weight.sizes() == tg::IntArrayRef{3, 4});

  nn::ModuleDict more(std::vector<std::pair<std::string, std::shared_ptr<nn::Module>>>{{"act", nn::ReLU().ptr()}});
  heads->update(*more);
  CHECK(heads->keys().back() == "act");
  CHECK(heads->pop("digit")->name() == "Linear");
  CHECK(heads->keys() == std::vector<std::string>{"parity", "act"});
  CHECK(heads->named_parameters().size() == 2);
  CHECK_THROWS_WITH_AS(heads["digit"], Contains("ModuleDict key 'digit' is not defined"), tg::Error);
  CHECK_THROWS_WITH_AS(heads->at<nn::LinearImpl>("act"), Contains("module 'act' is a ReLU"), tg::Error);
  CHECK_THROWS_WITH_AS(heads->insert("a.b", nn::ReLU()), Contains("contains '.'"), tg::Error);
  heads->clear();
  CHECK(heads->is_empty());
  CHECK(heads->named_children().is_empty());
}

TEST_CASE("ParameterList and ParameterDict: parameters named by position or key, each keeping its requires_grad") {
  nn::ParameterList list(tg::ones({2}, tg::requires_grad()), tg::zeros({3}));
  list->append(tg::full({1}, 2.0, tg::requires_grad()));
  CHECK(list->size() == 3);
  CHECK(list->named_parameters().keys() == std::vector<std::string>{"0", "1", "2"});
  CHECK(list[0].requires_grad());
  CHECK_FALSE(list[1].requires_grad());
  CHECK(list->parameters()[2].is_same(list[2]));
  std::vector<std::string> keys;
  for (const auto& p : *list) keys.push_back(p.key());
  CHECK(keys.back() == "2");
  CHECK_THROWS_WITH_AS(list[3], Contains("position 3 is out of range"), tg::Error);

  nn::ParameterDict gates;
  gates->insert("input", tg::randn({4}, tg::requires_grad()));
  gates->insert("forget", tg::randn({4}, tg::requires_grad()));
  CHECK(gates->keys() == std::vector<std::string>{"input", "forget"});
  CHECK(gates["forget"].is_same(gates->named_parameters()["forget"]));
  CHECK(gates->contains("input"));
  (gates["input"] * 2).sum().backward();
  CHECK(gates->get("input").grad().eq(2).all().item<bool>());
  CHECK_THROWS_WITH_AS(gates->insert("input", tg::zeros({1})), Contains("input"), tg::Error);
  CHECK_THROWS_WITH_AS(gates->get("output"), Contains("ParameterDict key 'output' is not defined"), tg::Error);
}
