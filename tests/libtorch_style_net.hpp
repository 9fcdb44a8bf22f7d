// A model written as LibTorch's examples write one: its forward takes the Tensor by value. The
// data-parallel tests (threads and ranks) check that their entry points run this forward.
#pragma once

#include <cstdint>

#include <tapegrad/tapegrad.hpp>

namespace tgtest {

struct LibTorchStyleNetImpl : tg::nn::Module {
  LibTorchStyleNetImpl(std::int64_t in, std::int64_t hidden, std::int64_t out) {
    fc1 = register_module("fc1", tg::nn::Linear(in, hidden));
    fc2 = register_module("fc2", tg::nn::Linear(hidden, out));
  }
  tg::Tensor forward(tg::Tensor x) { return fc2(tg::relu(fc1(x))); }
  tg::nn::Linear fc1{nullptr}, fc2{nullptr};
};
TG_MODULE(LibTorchStyleNet);

}  // namespace tgtest
