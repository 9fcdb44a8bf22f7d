#include "check.hpp"

using tg::Array;
using tg::Variable;
using tgtest::rand_var;
using tgtest::var;
using V = std::vector<Variable<double>>;

namespace {

// The value of einsum(equation, operands).
Array<double> einsum_value(const std::string& equation, const V& operands) {
  return tg::einsum(equation, operands).value();
}

}  // namespace

TEST_CASE("einsum: two-operand values by hand") {
  const auto a = var({{1., 2., 3.}, {4., 5., 6.}});        // (2, 3)
  const auto b = var({{1., 2.}, {0., 1.}, {2., 0.}});      // (3, 2)
  const auto d = var({{1., 1., 1.}, {2., 0., 1.}});        // (2, 3)
  // matmul, and the same through tg::matmul
  CHECK(tgtest::allclose(einsum_value("ik,kj->ij", {a, b}), Array<double>{{7., 4.}, {16., 13.}}));
  CHECK(tgtest::allclose(einsum_value("ik,kj->ij", {a, b}), tg::matmul(a, b).value()));
  // the product transposed on the way out; a times d transposed
  CHECK(tgtest::allclose(einsum_value("ij,jk->ki", {a, b}), Array<double>{{7., 16.}, {4., 13.}}));
  CHECK(tgtest::allclose(einsum_value("ik,jk->ij", {a, d}), Array<double>{{6., 5.}, {15., 14.}}));
  // row-wise dot products (a batch index b), vector dot, matrix-vector, outer product
  CHECK(tgtest::allclose(einsum_value("bi,bi->b", {a, d}), Array<double>{6., 14.}));
  CHECK(tgtest::allclose(einsum_value("i,i->", {var({1., 2.}), var({3., 4.})}), Array<double>(11.)));
  CHECK(tgtest::allclose(einsum_value("ij,j->i", {a, var({1., 0., -1.})}), Array<double>{-2., -2.}));
  CHECK(tgtest::allclose(einsum_value("i,j->ij", {var({1., 2.}), var({3., 4., 5.})}),
                         Array<double>{{3., 4., 5.}, {6., 8., 10.}}));
  // indices in one operand only and not in the output are summed: sum(a) * sum(b) = 21 * 6
  CHECK(tgtest::allclose(einsum_value("ij,kl->", {a, b}), Array<double>(126.)));
  // elementwise product (every index a batch index)
  CHECK(tgtest::allclose(einsum_value("ij,ij->ij", {a, d}), Array<double>{{1., 2., 3.}, {8., 0., 6.}}));
}

TEST_CASE("einsum: batched matmul by hand") {
  const auto x = var({{{1., 2.}}, {{3., 4.}}});                       // (2, 1, 2)
  const auto y = var({{{1., 0.}, {0., 1.}}, {{1., 1.}, {1., -1.}}});  // (2, 2, 2)
  // [1 2]·I = [1 2]; [3 4]·[[1 1] [1 -1]] = [7 -1]
  CHECK(tgtest::allclose(einsum_value("ijk,ikl->ijl", {x, y}), Array<double>{{{1., 2.}}, {{7., -1.}}}));
  CHECK(tgtest::allclose(einsum_value("ijk,ikl->lji", {x, y}), Array<double>{{{1., 7.}}, {{2., -1.}}}));
}

TEST_CASE("einsum: one-operand values by hand") {
  const auto a = var({{1., 2., 3.}, {4., 5., 6.}});
  CHECK(tgtest::allclose(einsum_value("ij->ji", {a}), Array<double>{{1., 4.}, {2., 5.}, {3., 6.}}));
  CHECK(tgtest::allclose(einsum_value("ij->", {a}), Array<double>(21.)));
  CHECK(tgtest::allclose(einsum_value("ij->i", {a}), Array<double>{6., 15.}));
  CHECK(tgtest::allclose(einsum_value("ij->j", {a}), Array<double>{5., 7., 9.}));
  const auto t = var({{{1., 2.}, {3., 4.}}, {{5., 6.}, {7., 8.}}});  // (2, 2, 2)
  CHECK(tgtest::allclose(einsum_value("ijk->kj", {t}), Array<double>{{1. + 5., 3. + 7.}, {2. + 6., 4. + 8.}}));
}

TEST_CASE("einsum: an index repeated within an operand takes its diagonal (as torch)") {
  const auto m = var({{1., 2., 3.}, {4., 5., 6.}, {7., 8., 9.}});
  CHECK(tgtest::allclose(einsum_value("ii->i", {m}), Array<double>{1., 5., 9.}));
  CHECK(tgtest::allclose(einsum_value("ii->", {m}), Array<double>(15.)));
  CHECK(tgtest::allclose(einsum_value("ii,i->i", {m, var({1., 2., 3.})}), Array<double>{1., 10., 27.}));
  // (2, 2, 3) with t[i][i][j]: rows t[0][0] and t[1][1]
  const auto t = var({{{1., 2., 3.}, {4., 5., 6.}}, {{7., 8., 9.}, {10., 11., 12.}}});
  CHECK(tgtest::allclose(einsum_value("iij->ji", {t}), Array<double>{{1., 10.}, {2., 11.}, {3., 12.}}));
  // the gradient of a trace is the identity
  Variable<double> x(m.value(), true);
  tg::einsum("ii->", V{x}).backward();
  CHECK(tgtest::allclose(x.grad(), Array<double>{{1., 0., 0.}, {0., 1., 0.}, {0., 0., 1.}}));
}

TEST_CASE("einsum: an equation that changes nothing returns a fresh tensor") {
  const auto a = var({{1., 2.}, {3., 4.}});
  auto same = tg::einsum("ij->ij", V{a});
  CHECK(tgtest::allclose(same.value(), a.value()));
  same.value()(0, 0) = 100.;
  CHECK(a.value()(0, 0) == 1.);
}

TEST_CASE("einsum gradchecks, every supported pattern") {
  const std::vector<std::pair<std::string, std::vector<tg::Shape>>> cases{
      {"ik,kj->ij", {{3, 4}, {4, 2}}},
      {"ij,jk->ki", {{3, 4}, {4, 2}}},
      {"ik,jk->ij", {{3, 4}, {2, 4}}},
      {"bi,bi->b", {{3, 4}, {3, 4}}},
      {"i,i->", {{4}, {4}}},
      {"ij,j->i", {{3, 4}, {4}}},
      {"i,j->ij", {{3}, {2}}},
      {"ij,kl->", {{2, 3}, {3, 2}}},
      {"ijz,jk->ik", {{2, 3, 2}, {3, 4}}},      // z summed out of the first operand alone
      {"abc,cbd->da", {{2, 3, 4}, {4, 3, 2}}},  // two contracted indices in different orders
      {"ij,ij->ij", {{2, 3}, {2, 3}}},
      {"ijk,ikl->ijl", {{2, 3, 4}, {2, 4, 3}}},
      {"ibj,jkb->kbi", {{2, 3, 4}, {4, 2, 3}}},  // a batch index between free ones, output reordered
      {"ij->ji", {{3, 4}}},
      {"ij->", {{3, 4}}},
      {"ij->j", {{3, 4}}},
      {"ijk->kj", {{2, 3, 4}}},
      {"ij->ij", {{3, 4}}},
      {"ii->i", {{3, 3}}},
      {"ii->", {{3, 3}}},
      {"iji->ji", {{3, 2, 3}}},
      {"iij,j->i", {{3, 3, 2}, {2}}},
      {"ii,ij->j", {{3, 3}, {3, 4}}},
  };
  unsigned seed = 1;
  for (const auto& c : cases) {
    // Plain references, not a structured binding: C++17 lambdas (CAPTURE's) cannot name one under clang.
    const std::string& equation = c.first;
    const std::vector<tg::Shape>& shapes = c.second;
    CAPTURE(equation);
    V inputs;
    for (const auto& shape : shapes) inputs.push_back(rand_var(shape, seed++));
    const std::string eq = equation;
    CHECK_GRADCHECK([eq](const V& in) { return tg::einsum(eq, in); }, inputs);
  }
}

TEST_CASE("einsum: bad equations throw, naming einsum, the equation and the shapes") {
  const auto a = var(Array<double>::from_shape({2, 3}));
  const auto b = var(Array<double>::from_shape({3, 4}));
  const auto c = var(Array<double>::from_shape({4, 4}));
  auto throws = [](const std::string& equation, const V& operands, const std::string& message) {
    CAPTURE(equation);
    CHECK_THROWS_WITH_AS(tg::einsum(equation, operands), doctest::Contains(message.c_str()), tg::Error);
  };
  throws("ij,jk", {a, b},
         "einsum: expected an explicit output after \"->\", as in \"ik,kj->ij\" (equation \"ij,jk\", "
         "operand shapes (2, 3), (3, 4))");
  throws("ij,jk,kl->il", {a, b, c}, "einsum: expected 1 or 2 operands, got 3 (equation \"ij,jk,kl->il\"");
  throws("->", {}, "einsum: expected 1 or 2 operands, got 0 (equation \"->\", operand shapes none)");
  throws("ij,jk->ik", {a}, "einsum: the equation has 2 operand term(s) but 1 operand(s) were given");
  throws("ijk,kl->il", {a, b}, "einsum: operand 0 has 3 subscript(s) \"ijk\" but rank 2 (equation \"ijk,kl->il\"");
  throws("ij,jk->ik", {a, c}, "einsum: index 'j' has inconsistent sizes 3 and 4 (equation \"ij,jk->ik\", "
                              "operand shapes (2, 3), (4, 4))");
  throws("ij->ik", {a}, "einsum: output index 'k' appears in no operand (equation \"ij->ik\", operand shapes (2, 3))");
  throws("ij->ii", {a}, "einsum: output index 'i' repeats in the output");
  throws("iJ->i", {a}, "einsum: expected subscripts a-z only, got 'J'");
  throws("i j->ij", {a}, "einsum: expected subscripts a-z only, got ' '");
  throws("ij->i...", {a}, "einsum: expected subscripts a-z only, got '.'");
  throws("ii->i", {a}, "einsum: index 'i' has inconsistent sizes 2 and 3 (equation \"ii->i\", operand shapes (2, 3))");
  throws("ij,jk->ik", {a, Variable<double>()}, "einsum: operand 1 is undefined");
}
