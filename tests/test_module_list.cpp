#include <sstream>

#include "check.hpp"

using doctest::Contains;
using tg::Variable;

namespace {

struct Blocks : tg::nn::Module {
  Blocks() {
    blocks = register_module("blocks", std::make_shared<tg::nn::ModuleListImpl>());
    for (int i = 0; i < 3; ++i) blocks->push_back(std::make_shared<tg::nn::LinearImpl>(4, 4));
    blocks->push_back(std::make_shared<tg::nn::ReLUImpl>());
  }
  tg::Tensor forward(const tg::Tensor& x) {
    tg::Tensor y = x;
    for (std::size_t i = 0; i < 3; ++i) y = blocks->at<tg::nn::LinearImpl>(i).forward(y);
    return (*blocks)[3]->as<tg::nn::ReLU>()->forward(y);
  }
  std::shared_ptr<tg::nn::ModuleListImpl> blocks;
};

}  // namespace

TEST_CASE("ModuleList: push_back, size, [], at<>, iteration, dotted names, printing as LibTorch") {
  Blocks net;
  CHECK(net.blocks->size() == 4);
  CHECK_FALSE(net.blocks->is_empty());
  CHECK(net.named_parameters()[2].first == "blocks.1.weight");
  CHECK(net.parameters().size() == 6);
  CHECK(net.blocks->at<tg::nn::LinearImpl>(2).in_features() == 4);
  CHECK((*net.blocks)[3]->name() == "ReLU");
  std::size_t visited = 0;
  for (const auto& m : *net.blocks) visited += m != nullptr;
  CHECK(visited == 4);
  tg::manual_seed(1);
  Variable<float> x(tg::randn<float>({2, 4}));
  CHECK(net.forward(x).shape() == tg::Shape{2, 4});
  std::ostringstream out;
  out << tg::nn::ModuleListImpl(std::make_shared<tg::nn::LinearImpl>(2, 3), std::make_shared<tg::nn::TanhImpl>());
  CHECK(out.str() == "ModuleList(\n  (0): Linear(in_features=2, out_features=3, bias=true)\n  (1): Tanh()\n)");
  CHECK_THROWS_WITH_AS((*net.blocks)[4], Contains("ModuleList: index 4 is out of range for a ModuleList of 4 modules"), tg::Error);
  CHECK_THROWS_WITH_AS(net.blocks->at<tg::nn::LinearImpl>(3), Contains("ModuleList: module 3 is a ReLU, not the type asked of at<>()"), tg::Error);
}
