#include "check.hpp"

using tg::Array;
using tg::Variable;
using tgtest::rand_var;

TEST_CASE("add, sub, mul, div: values by hand") {
  Variable<float> a(Array<float>{{1.f, 2.f}, {3.f, 4.f}});
  Variable<float> b(Array<float>{10.f, 20.f});
  CHECK(tgtest::allclose((a + b).value(), Array<float>{{11.f, 22.f}, {13.f, 24.f}}));
  CHECK(tgtest::allclose((a - b).value(), Array<float>{{-9.f, -18.f}, {-7.f, -16.f}}));
  CHECK(tgtest::allclose((a * b).value(), Array<float>{{10.f, 40.f}, {30.f, 80.f}}));
  CHECK(tgtest::allclose((b / a).value(), Array<float>{{10.f, 10.f}, {10.f / 3, 5.f}}));
  CHECK(tgtest::allclose((-a).value(), Array<float>{{-1.f, -2.f}, {-3.f, -4.f}}));
  CHECK(tgtest::allclose((2 * a + 1).value(), Array<float>{{3.f, 5.f}, {7.f, 9.f}}));
  CHECK(tgtest::allclose((1.0 - a).value(), Array<float>{{0.f, -1.f}, {-2.f, -3.f}}));
  CHECK(tgtest::allclose((4.0 / a).value(), Array<float>{{4.f, 2.f}, {4.f / 3, 1.f}}));
  CHECK(tgtest::allclose((a / 2).value(), Array<float>{{.5f, 1.f}, {1.5f, 2.f}}));
}

TEST_CASE("arithmetic gradchecks, with broadcasting") {
  using V = std::vector<Variable<double>>;
  const tg::Shape nm{3, 4};
  for (const auto& shapes : std::vector<std::pair<tg::Shape, tg::Shape>>{
           {nm, nm}, {nm, {4}}, {{3, 1}, nm}, {nm, {1, 4}}, {{1}, nm}, {{2, 1, 4}, {3, 1}}}) {
    // Plain references, not a structured binding: C++17 lambdas (CAPTURE's) cannot name one under clang.
    const tg::Shape& sa = shapes.first;
    const tg::Shape& sb = shapes.second;
    CAPTURE(tg::shape_str(sa));
    CAPTURE(tg::shape_str(sb));
    auto a = rand_var(sa, 1), b = rand_var(sb, 2, 0.5, 2.0);
    CHECK_GRADCHECK([](const V& in) { return in[0] + in[1]; }, {a, b});
    CHECK_GRADCHECK([](const V& in) { return in[0] - in[1]; }, {a, b});
    CHECK_GRADCHECK([](const V& in) { return in[0] * in[1]; }, {a, b});
    CHECK_GRADCHECK([](const V& in) { return in[0] / in[1]; }, {a, b});
    CHECK_GRADCHECK([](const V& in) { return in[1] / in[0] * in[1]; }, {b, a});
  }
  auto x = rand_var({2, 3}, 3, 0.5, 2.0);
  CHECK_GRADCHECK([](const V& in) { return -in[0]; }, {x});
  CHECK_GRADCHECK([](const V& in) { return 3.0 * in[0] + 2.0; }, {x});
  CHECK_GRADCHECK([](const V& in) { return 1.0 - in[0] / 4.0; }, {x});
  CHECK_GRADCHECK([](const V& in) { return 2.0 / in[0]; }, {x});
}

TEST_CASE("arithmetic: shapes that do not broadcast throw, naming the op and both shapes") {
  Variable<float> a(Array<float>::from_shape({2, 3})), b(Array<float>::from_shape({4}));
  CHECK_THROWS_WITH_AS(a + b, doctest::Contains("add: shapes (2, 3) and (4,) do not broadcast"), tg::Error);
  CHECK_THROWS_WITH_AS(a * b, doctest::Contains("mul:"), tg::Error);
}
