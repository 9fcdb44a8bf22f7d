#include <tapegrad/ops/einsum.hpp>

#include <array>
#include <cstddef>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/ops/arithmetic.hpp>
#include <tapegrad/ops/matmul.hpp>
#include <tapegrad/ops/reduce.hpp>
#include <tapegrad/ops/shape.hpp>

namespace tg {
namespace {

// The equation split at "->" and ",", checked against the operands, with the size of each index.
struct Equation {
  std::vector<std::string> terms;  // one per operand
  std::string out;
  std::array<std::size_t, 26> size{};  // by letter - 'a'
};

bool has(const std::string& term, char c) { return term.find(c) != std::string::npos; }

template <class T>
Error einsum_error(const std::string& equation, const std::vector<Variable<T>>& operands, const std::string& why) {
  std::string shapes;
  for (std::size_t i = 0; i < operands.size(); ++i)
    shapes += (i ? ", " : "") + (operands[i].defined() ? shape_str(operands[i].shape()) : std::string("undefined"));
  if (shapes.empty()) shapes = "none";
  return Error("einsum: " + why + " (equation \"" + equation + "\", operand shapes " + shapes + ")");
}

template <class T>
Equation parse(const std::string& equation, const std::vector<Variable<T>>& operands) {
  auto fail = [&](const std::string& why) { return einsum_error(equation, operands, why); };
  const std::size_t arrow = equation.find("->");
  if (arrow == std::string::npos) throw fail("expected an explicit output after \"->\", as in \"ik,kj->ij\"");
  Equation eq;
  eq.out = equation.substr(arrow + 2);
  const std::string inputs = equation.substr(0, arrow);
  for (std::size_t start = 0;;) {
    const std::size_t comma = inputs.find(',', start);
    eq.terms.push_back(inputs.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (operands.empty() || operands.size() > 2)
    throw fail("expected 1 or 2 operands, got " + std::to_string(operands.size()));
  if (eq.terms.size() != operands.size())
    throw fail("the equation has " + std::to_string(eq.terms.size()) + " operand term(s) but " +
               std::to_string(operands.size()) + " operand(s) were given");
  for (const std::string& term : eq.terms)
    for (const char c : term + eq.out)
      if (c < 'a' || c > 'z') throw fail("expected subscripts a-z only, got '" + std::string(1, c) + "'");

  std::array<bool, 26> seen{};
  for (std::size_t i = 0; i < operands.size(); ++i) {
    const std::string& term = eq.terms[i];
    if (!operands[i].defined()) throw fail("operand " + std::to_string(i) + " is undefined");
    const Shape& shape = operands[i].shape();
    if (term.size() != shape.size())
      throw fail("operand " + std::to_string(i) + " has " + std::to_string(term.size()) + " subscript(s) \"" + term +
                 "\" but rank " + std::to_string(shape.size()));
    for (std::size_t d = 0; d < term.size(); ++d) {
      const char c = term[d];
      std::size_t& size = eq.size[c - 'a'];
      if (seen[c - 'a'] && size != shape[d])
        throw fail("index '" + std::string(1, c) + "' has inconsistent sizes " + std::to_string(size) + " and " +
                   std::to_string(shape[d]));
      seen[c - 'a'] = true;
      size = shape[d];
    }
  }
  for (std::size_t d = 0; d < eq.out.size(); ++d) {
    const char c = eq.out[d];
    if (!seen[c - 'a']) throw fail("output index '" + std::string(1, c) + "' appears in no operand");
    if (eq.out.find(c) != d) throw fail("output index '" + std::string(1, c) + "' repeats in the output");
  }
  return eq;
}

// The diagonal of x along the dims that share a letter in `term` ("ii" -> "i", "iji" -> "ij"): its
// dims are term's distinct letters in order of first appearance, and `term` becomes them. The one
// primitive einsum adds: its backward scatters the gradient back onto the diagonal.
template <class T>
Variable<T> diagonal(const Variable<T>& x, std::string& term) {
  std::string letters;
  for (const char c : term)
    if (!has(letters, c)) letters += c;
  if (letters.size() == term.size()) return x;
  // Stepping one along a letter steps along every dim that carries it: the strides add up.
  const Shape& in = x.shape();
  Shape stride(letters.size(), 0), out_shape(letters.size());
  for (std::size_t d = term.size(), s = 1; d-- > 0; s *= in[d]) {
    const std::size_t k = letters.find(term[d]);
    stride[k] += s;
    out_shape[k] = in[d];
  }
  term = letters;
  // Calls f(p, offset) for each output element p and the input offset it reads.
  auto for_each = [out_shape, stride](auto&& f) {
    const std::size_t rank = out_shape.size();
    std::size_t count = 1;
    for (const std::size_t s : out_shape) count *= s;
    Shape pos(rank, 0);
    for (std::size_t p = 0, offset = 0; p < count; ++p) {
      f(p, offset);
      for (std::size_t k = rank; k-- > 0;) {
        offset += stride[k];
        if (++pos[k] < out_shape[k]) break;
        offset -= pos[k] * stride[k];
        pos[k] = 0;
      }
    }
  };
  Array<T> out = Array<T>::from_shape(out_shape);
  const T* xv = x.value().data();
  for_each([&](std::size_t p, std::size_t offset) { out.data()[p] = xv[offset]; });
  return record<T>("einsum", std::move(out), {x}, [for_each](Array<T>& g, Grads<T>& grads) {
    T* dx = grads.zeroed_buffer(0);
    const T* gv = g.data();
    for_each([&](std::size_t p, std::size_t offset) { dx[offset] += gv[p]; });
  });
}

// x (subscripts `term`) with the dims whose letters are not in `keep` summed out; `term` is updated.
template <class T>
Variable<T> sum_unused(Variable<T> x, std::string& term, const std::string& keep) {
  std::vector<std::ptrdiff_t> dims;
  std::string kept;
  for (std::size_t d = 0; d < term.size(); ++d) {
    if (has(keep, term[d])) kept += term[d];
    else dims.push_back(static_cast<std::ptrdiff_t>(d));
  }
  term = kept;
  return dims.empty() ? x : sum(x, dims);
}

// x (subscripts `term`) with its dims in the order of `order` (the same letters); no copy when equal.
template <class T>
Variable<T> arrange(const Variable<T>& x, const std::string& term, const std::string& order) {
  if (term == order) return x;
  std::vector<std::ptrdiff_t> dims;
  for (const char c : order) dims.push_back(static_cast<std::ptrdiff_t>(term.find(c)));
  return permute(x, dims);
}

std::vector<std::ptrdiff_t> as_dims(const Shape& shape) {
  return std::vector<std::ptrdiff_t>(shape.begin(), shape.end());
}

// x reshaped to `shape`; no copy when it already has it.
template <class T>
Variable<T> reshaped(const Variable<T>& x, const Shape& shape) {
  return x.shape() == shape ? x : reshape(x, as_dims(shape));
}

Shape sizes(const Equation& eq, const std::string& letters) {
  Shape s;
  for (const char c : letters) s.push_back(eq.size[c - 'a']);
  return s;
}

std::size_t product(const Equation& eq, const std::string& letters) { return checked_numel(sizes(eq, letters), "einsum"); }

template <class T>
Variable<T> contract_pair(const Equation& eq, Variable<T> a, Variable<T> b) {
  std::string ta = eq.terms[0], tb = eq.terms[1];
  a = sum_unused(a, ta, tb + eq.out);
  b = sum_unused(b, tb, ta + eq.out);
  std::string batch, free_a, free_b, contracted;
  for (const char c : eq.out) {
    if (has(ta, c) && has(tb, c)) batch += c;
    else if (has(ta, c)) free_a += c;
    else free_b += c;
  }
  for (const char c : ta)
    if (has(tb, c) && !has(eq.out, c)) contracted += c;
  product(eq, batch + free_a + free_b + contracted);  // the batched product's (Bt, M, N, K) intermediate
  const std::size_t m = product(eq, free_a), n = product(eq, free_b), k = product(eq, contracted);

  Variable<T> product_ab;  // (Bt?, M, N)
  if (batch.empty()) {
    product_ab = matmul(reshaped(arrange(a, ta, free_a + contracted), {m, k}),
                        reshaped(arrange(b, tb, contracted + free_b), {k, n}));
  } else {
    const std::size_t bt = product(eq, batch);
    product_ab = sum(mul(reshaped(arrange(a, ta, batch + free_a + contracted), {bt, m, 1, k}),
                         reshaped(arrange(b, tb, batch + free_b + contracted), {bt, 1, n, k})),
                     {-1});
  }
  const std::string c_term = batch + free_a + free_b;
  return arrange(reshaped(product_ab, sizes(eq, c_term)), c_term, eq.out);
}

}  // namespace

template <class T>
Variable<T> einsum(const std::string& equation, const std::vector<Variable<T>>& operands) {
  Equation eq = parse(equation, operands);
  std::vector<Variable<T>> diagonals;
  for (std::size_t i = 0; i < operands.size(); ++i) diagonals.push_back(diagonal(operands[i], eq.terms[i]));
  if (operands.size() == 2) return contract_pair(eq, diagonals[0], diagonals[1]);
  std::string term = eq.terms[0];
  const Variable<T> out = arrange(sum_unused(diagonals[0], term, eq.out), term, eq.out);
  // An equation that changes nothing ("ij->ij") still returns a fresh tensor, as every tapegrad op
  // does: reshape copies.
  return out.value_ptr() == operands[0].value_ptr() ? reshape(out, as_dims(out.shape())) : out;
}

template Variable<float> einsum(const std::string&, const std::vector<Variable<float>>&);
template Variable<double> einsum(const std::string&, const std::vector<Variable<double>>&);

}  // namespace tg
