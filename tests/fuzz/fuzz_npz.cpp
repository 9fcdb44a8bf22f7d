// libFuzzer target: tg::nn::load of arbitrary bytes into a small fixed module (the seed corpus's
// valid.npz fits it). A tg::Error is the expected rejection, and must leave the module unchanged
// (load is all or nothing); any other exception, a crash, a sanitizer report, or a rejection that
// changed a parameter or buffer is a finding.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <tapegrad/modules/checkpoint.hpp>
#include <tapegrad/modules/linear.hpp>
#include <tapegrad/modules/sequential.hpp>

#include "input_file.hpp"

namespace {

// Nested names ("body.0.weight"), parameters of two shapes, and a buffer: each path of load's checks.
struct Net : tg::nn::Module {
  Net() {
    register_module("body", std::make_shared<tg::nn::SequentialImpl>(std::make_shared<tg::nn::LinearImpl>(3, 4)));
    register_module("head", std::make_shared<tg::nn::LinearImpl>(4, 2));
    register_buffer("count", tg::Tensor(tg::Array<float>{{1.f, 2.f}, {3.f, 4.f}}));
  }
};

std::vector<std::vector<char>> bytes_of(const tg::nn::Module& module) {
  std::vector<std::vector<char>> out;
  auto add = [&out](const tg::Array<float>& a) {
    const char* p = reinterpret_cast<const char*>(a.data());
    out.emplace_back(p, p + a.size() * sizeof(float));
  };
  for (const auto& p : module.named_parameters()) add(p.second.value<float>());
  for (const auto& b : module.named_buffers()) add(b.second.value<float>());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const tgfuzz::InputFile file("checkpoint.npz");
  static Net net;
  const auto before = bytes_of(net);
  try {
    tg::nn::load(net, file.write(data, size));
  } catch (const tg::Error&) {
    if (bytes_of(net) != before) std::abort();
  }
  return 0;
}
