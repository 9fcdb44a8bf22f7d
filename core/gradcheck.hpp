// tg::gradcheck: checks an op's backward against central finite differences, in float64, with
// torch.autograd.gradcheck's defaults. For users adding ops as much as for our own tests.
//
//   auto x = tg::Variable<double>(tg::Array<double>{{0.5, -1.0}}, /*requires_grad=*/true);
//   auto r = tg::gradcheck([](const auto& in) { return my_op(in[0]); }, {x});
//   if (!r) std::cerr << r.message;   // names the input, the element, analytic vs numeric
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/core/variable.hpp>

namespace tg {

struct GradcheckOptions {
  double eps = 1e-6;   // finite-difference step
  double atol = 1e-5;  // pass when |analytic - numeric| <= atol + rtol * |numeric|
  double rtol = 1e-3;
  bool check_repeat = true;     // two backward runs give identical gradients
  bool check_zero_grad = true;  // a zero output-gradient gives zero input-gradients
};

struct GradcheckResult {
  bool ok = true;
  std::string message;  // empty when ok; otherwise what failed, where, and the two values
  explicit operator bool() const { return ok; }
};

using GradcheckFn = std::function<Variable<double>(const std::vector<Variable<double>>&)>;

// Checks every input that requires grad. `fn` must be deterministic and use only its inputs.
// Runs on a nested tape: the caller's pending graph is untouched.
GradcheckResult gradcheck(const GradcheckFn& fn, const std::vector<Variable<double>>& inputs,
                          const GradcheckOptions& options = {});

namespace autograd {

using TensorGradcheckFn = std::function<Tensor(const std::vector<Tensor>&)>;

// gradcheck through Tensor-level code: the inputs (and fn's output) must be Double tensors. A name of
// its own namespace, so that a generic lambda passed to tg::gradcheck is never tried with Tensors.
GradcheckResult gradcheck(const TensorGradcheckFn& fn, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {});

}  // namespace autograd

}  // namespace tg
