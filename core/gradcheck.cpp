#include <tapegrad/core/gradcheck.hpp>

#include <cmath>
#include <sstream>

#include <tapegrad/core/tape.hpp>

namespace tg {
namespace {

using Matrix = std::vector<std::vector<double>>;  // [output element][input element]

std::string index_str(const Shape& shape, std::size_t flat) {
  Shape idx(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    idx[d] = flat % shape[d];
    flat /= shape[d];
  }
  return shape_str(idx);
}

// One backward from `out` seeded with `seed`; the gradient of each checked input (zeros where none came).
std::vector<Array<double>> run_backward(const Variable<double>& out, const Array<double>& seed,
                                         const std::vector<Variable<double>>& inputs) {
  for (auto in : inputs) in.zero_grad();
  out.backward(seed, /*retain_graph=*/true);
  std::vector<Array<double>> grads;
  for (const auto& in : inputs)
    grads.push_back(in.has_grad() ? in.grad() : Array<double>(xt::zeros<double>(in.value().shape())));
  return grads;
}

}  // namespace

namespace {

GradcheckResult check(const GradcheckFn& fn, const std::vector<Variable<double>>& all_inputs,
                      const GradcheckOptions& opt) {
  std::vector<Variable<double>> inputs;
  std::vector<std::size_t> input_ids;
  for (std::size_t i = 0; i < all_inputs.size(); ++i)
    if (all_inputs[i].requires_grad()) {
      inputs.push_back(all_inputs[i]);
      input_ids.push_back(i);
    }
  GradcheckResult result;
  auto fail = [&](const std::string& msg) {
    result.ok = false;
    result.message = "gradcheck: " + msg;
    return result;
  };
  if (inputs.empty()) return fail("no input requires grad, so there is nothing to check");

  TapeScope<double> scope;
  const Variable<double> out = fn(all_inputs);
  if (!out.requires_grad()) return fail("the output does not require grad: fn did not record an op on its inputs");
  const std::size_t n_out = out.numel();
  const Shape out_shape = out.shape();

  // Analytic Jacobian: one backward per output element, seeded one-hot, on a retained graph.
  std::vector<Matrix> analytic(inputs.size(), Matrix(n_out));
  for (std::size_t k = 0; k < n_out; ++k) {
    Array<double> seed = xt::zeros<double>(out_shape);
    seed.data()[k] = 1.0;
    auto grads = run_backward(out, seed, inputs);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (to_shape(grads[i].shape()) != inputs[i].shape())
        return fail("input " + std::to_string(input_ids[i]) + ": gradient has shape " + shape_str(grads[i].shape()) +
                    ", expected the input's shape " + shape_str(inputs[i].shape()));
      analytic[i][k].assign(grads[i].begin(), grads[i].end());
    }
    if (opt.check_repeat) {
      auto again = run_backward(out, seed, inputs);
      for (std::size_t i = 0; i < inputs.size(); ++i)
        for (std::size_t j = 0; j < again[i].size(); ++j)
          if (again[i].data()[j] != analytic[i][k][j])
            return fail("input " + std::to_string(input_ids[i]) + " element " + index_str(inputs[i].shape(), j) +
                        ": two backward runs disagree (" + std::to_string(analytic[i][k][j]) + " then " +
                        std::to_string(again[i].data()[j]) + "); the backward is not deterministic");
    }
  }
  if (opt.check_zero_grad) {
    auto grads = run_backward(out, Array<double>(xt::zeros<double>(out_shape)), inputs);
    for (std::size_t i = 0; i < inputs.size(); ++i)
      for (std::size_t j = 0; j < grads[i].size(); ++j)
        if (grads[i].data()[j] != 0.0)
          return fail("input " + std::to_string(input_ids[i]) + " element " + index_str(inputs[i].shape(), j) +
                      ": a zero output-gradient gave the input-gradient " + std::to_string(grads[i].data()[j]));
  }
  for (auto in : inputs) in.zero_grad();

  // Numeric Jacobian by central differences, compared column by column.
  NoGradGuard no_grad;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    Array<double>& x = inputs[i].value();
    for (std::size_t j = 0; j < x.size(); ++j) {
      const double orig = x.data()[j];
      x.data()[j] = orig + opt.eps;
      const Array<double> plus = fn(all_inputs).value();
      x.data()[j] = orig - opt.eps;
      const Array<double> minus = fn(all_inputs).value();
      x.data()[j] = orig;
      for (std::size_t k = 0; k < n_out; ++k) {
        const double numeric = (plus.data()[k] - minus.data()[k]) / (2 * opt.eps);
        const double a = analytic[i][k][j];
        if (!(std::abs(a - numeric) <= opt.atol + opt.rtol * std::abs(numeric))) {
          std::ostringstream m;
          m.precision(10);
          m << "input " << input_ids[i] << " element " << index_str(inputs[i].shape(), j) << ", output element "
            << index_str(out_shape, k) << ": analytic " << a << " vs numeric " << numeric << " (atol " << opt.atol
            << ", rtol " << opt.rtol << ")";
          return fail(m.str());
        }
      }
    }
  }
  return result;
}

}  // namespace

GradcheckResult gradcheck(const GradcheckFn& fn, const std::vector<Variable<double>>& inputs,
                          const GradcheckOptions& options) {
  try {
    return check(fn, inputs, options);
  } catch (const std::exception& e) {
    // An op that throws during the check (a backward writing a wrongly shaped gradient, say) fails it.
    return {false, std::string("gradcheck: the function or its backward threw: ") + e.what()};
  }
}

namespace autograd {

GradcheckResult gradcheck(const TensorGradcheckFn& fn, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options) {
  std::vector<Variable<double>> vars;
  for (const Tensor& t : inputs) vars.push_back(t.variable<double>());
  return tg::gradcheck(
      [&fn](const std::vector<Variable<double>>& in) { return fn(std::vector<Tensor>(in.begin(), in.end())).variable<double>(); },
      vars, options);
}

}  // namespace autograd

}  // namespace tg
