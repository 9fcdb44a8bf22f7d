#include <sstream>

#include "check.hpp"
#include "text_fixtures.hpp"

using doctest::Contains;
using tg::Array;
using tg::Variable;
using V = std::vector<Variable<double>>;
namespace F = tg::nn::functional;

TEST_CASE("embedding: rows by index, repeated rows' gradients summed, padding_idx's left out") {
  Variable<double> w(Array<double>{{0, 1}, {2, 3}, {4, 5}}, true);
  auto y = tg::embedding(w, tg::Labels{{2, 0}, {2, 1}}, 1);
  CHECK(y.shape() == tg::Shape{2, 2, 2});
  CHECK(tgtest::allclose(y.value(), Array<double>{{{4, 5}, {0, 1}}, {{4, 5}, {2, 3}}}));
  y.backward(xt::ones<double>({2, 2, 2}));
  CHECK(tgtest::allclose(w.grad(), Array<double>{{1, 1}, {0, 0}, {2, 2}}));
  auto w2 = tgtest::rand_var({5, 3}, 1);
  CHECK_GRADCHECK([](const V& in) { return tg::embedding(in[0], tg::Labels{{0, 4, 4}, {2, 0, 1}}); }, {w2});
  // With a padding row that the indices do not pick (a picked one gets no gradient by design).
  CHECK_GRADCHECK([](const V& in) { return tg::embedding(in[0], tg::Labels{3, 3, 0}, -1); }, {w2});
  CHECK_THROWS_WITH_AS(tg::embedding(w, tg::Labels{0, 3}), Contains("embedding: index 3 at position 1 is out of range for weight (3, 2)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::embedding(w, tg::Labels{-1}), Contains("index -1"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::embedding(w, tg::Labels{0}, 3), Contains("padding_idx 3 must be within num_embeddings 3"), tg::Error);
}

TEST_CASE("embedding agrees with LibTorch (float64, with and without padding_idx)") {
  tgtest::TextFixture fx("embedding");
  const tg::Labels idx = fx.labels("indices");
  for (const std::string name : {"plain", "padding0"}) {
    CAPTURE(name);
    Variable<double> w(fx.array<double>("weight"), true);
    auto y = name == "plain" ? F::embedding(idx, w) : F::embedding(idx, w, F::EmbeddingFuncOptions().padding_idx(0));
    CHECK_AGREES(y.value(), fx.array<double>(name + ".y"));
    y.backward(fx.array<double>(name + ".gy"));
    CHECK_AGREES(w.grad(), fx.array<double>(name + ".grad.w"));
  }
}

TEST_CASE("Embedding module: N(0, 1) init with a zero padding row, printing as LibTorch") {
  tg::manual_seed(2);
  tg::nn::EmbeddingImpl embed(tg::nn::EmbeddingOptions(100, 8).padding_idx(-1));
  CHECK(embed.options().padding_idx() == 99);
  CHECK(xt::all(xt::equal(xt::view(embed.weight.value<float>(), 99), 0.f)));
  CHECK(std::abs(xt::mean(embed.weight.value<float>())()) < 0.1);
  CHECK(std::abs(xt::stddev(xt::view(embed.weight.value<float>(), xt::range(0, 99)))() - 1.0) < 0.1);
  auto y = embed.forward(tg::Tensor(tg::Labels{{1, 99}}));
  CHECK(y.shape() == tg::Shape{1, 2, 8});
  std::ostringstream out;
  out << embed << "|" << tg::nn::EmbeddingImpl(10, 3);
  CHECK(out.str() == "Embedding(num_embeddings=100, embedding_dim=8, padding_idx=99)|Embedding(num_embeddings=10, embedding_dim=3)");
  CHECK_THROWS_WITH_AS(tg::nn::EmbeddingImpl(tg::nn::EmbeddingOptions(4, 2).padding_idx(4)), Contains("Embedding: padding_idx 4"), tg::Error);
}
