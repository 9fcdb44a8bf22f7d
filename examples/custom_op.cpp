// Writing a new differentiable op and checking its gradient: the README's walk-through, runnable.
//   build/examples/custom_op
#include <tapegrad/tapegrad.hpp>

#include <cmath>
#include <iostream>

// my_softplus(x) = log(1 + e^x), whose derivative is sigmoid(x) = 1 / (1 + e^-x). (tapegrad has
// tg::softplus; a function of the same name here would be ambiguous with it for a tg::Variable.)
template <class T>
tg::Variable<T> my_softplus(const tg::Variable<T>& x) {
  tg::Array<T> y = x.value();
  for (T& v : y) v = std::log1p(std::exp(v));
  // The backward needs x: capture its buffer (a shared handle, no copy), only if a gradient will flow.
  return tg::record<T>("my_softplus", std::move(y), {x},
                       [xv = tg::keep_if(x.requires_grad(), x)](tg::Array<T>& grad_out, tg::Grads<T>& grads) {
                         tg::Array<T> dx = grad_out;
                         const T* xs = xv->data();
                         for (std::size_t i = 0; i < dx.size(); ++i) dx.data()[i] *= T(1) / (T(1) + std::exp(-xs[i]));
                         grads.add(0, std::move(dx));  // summed back to x's shape if it was broadcast
                       });
}

// The same op with a wrong derivative (e^x instead of sigmoid), to show what a failure reports.
template <class T>
tg::Variable<T> my_softplus_wrong(const tg::Variable<T>& x) {
  tg::Array<T> y = x.value();
  for (T& v : y) v = std::log1p(std::exp(v));
  return tg::record<T>("my_softplus_wrong", std::move(y), {x},
                       [xv = x.value_ptr()](tg::Array<T>& grad_out, tg::Grads<T>& grads) {
                         grads.add(0, tg::Array<T>(grad_out * xt::exp(*xv)));
                       });
}

int main() {
  // 1. Use it like any op: it records on the tape, backward reaches x.
  tg::Variable<float> x(tg::Array<float>{-2.f, 0.f, 3.f}, /*requires_grad=*/true);
  auto loss = tg::sum(my_softplus(x));
  loss.backward();
  std::cout << "my_softplus loss " << loss.item() << ", d loss/dx = [" << x.grad()(0) << ", " << x.grad()(1) << ", "
            << x.grad()(2) << "]  (sigmoid(x): 0.1192, 0.5, 0.9526)\n";

  // 2. Check its gradient in float64 against central finite differences (torch's defaults).
  tg::manual_seed(0);
  tg::Variable<double> a(tg::randn<double>({3, 4}), true);
  const auto ok = tg::gradcheck([](const std::vector<tg::Variable<double>>& in) { return my_softplus(in[0]); }, {a});
  std::cout << "gradcheck(my_softplus): " << (ok ? "passed" : ok.message) << "\n";

  // 3. A wrong backward fails, and the report says where.
  const auto bad = tg::gradcheck([](const std::vector<tg::Variable<double>>& in) { return my_softplus_wrong(in[0]); }, {a});
  std::cout << "gradcheck(my_softplus_wrong): " << (bad ? "passed" : bad.message) << "\n";
  return ok && !bad ? 0 : 1;
}
