// einsum: Einstein summation over one or two operands, e.g. einsum("ik,kj->ij", {a, b}) is a matmul.
//
// It is a composite: the equation is lowered onto permute, reshape, matmul, mul and sum, so its
// gradient is theirs and it adds no gradient formula of its own. How a pair is lowered:
//   - an index in one operand only and not in the output is summed out of that operand first;
//   - with no batch index, each operand is permuted to (free, contracted) / (contracted, free),
//     reshaped to (M, K) / (K, N), and multiplied by ONE matmul; the (M, N) product is reshaped and
//     permuted to the output's order. "ik,kj->ij" is therefore exactly one matmul (no copies).
//   - a batch index (in both operands AND in the output, as b in "bi,bi->b") has no batched matmul to
//     map onto, so a pattern with one is lowered to a broadcast product (Bt, M, 1, K) * (Bt, 1, N, K)
//     summed over K. That holds Bt·M·N·K elements at once: exactly the operands' size for row-wise
//     dot products ("bi,bi->b", M = N = 1), but K times the output for a batched matmul
//     ("bij,bjk->bik"); use a loop of matmuls for large ones.
// The result is a fresh tensor, even when the equation changes nothing ("ij->ij").
//
// An index repeated within one operand takes that operand's diagonal first, as torch does: "ii->i"
// is the diagonal, "ii->" the trace, "iij,j->i" a diagonal then a matrix-vector product.
//
// Supported: subscripts a-z only, an explicit output after "->", no "..." broadcasting. Every bad equation throws
// tg::Error naming einsum, the equation and the operands' shapes.
#pragma once

#include <string>
#include <vector>

#include <tapegrad/core/variable.hpp>

namespace tg {

template <class T>
Variable<T> einsum(const std::string& equation, const std::vector<Variable<T>>& operands);

}  // namespace tg
