// Fits y = 2x elementwise by gradient descent on the squared error; checks the learned w is 2.
#include <tapegrad/tapegrad.hpp>

#include <iostream>

int main() {
  tg::Variable<float> x(tg::Array<float>{{1.f, 2.f, 3.f}});  // (1, 3) @ (3, 1): exercises BLAS
  tg::Variable<float> y(tg::Array<float>{{2.f, 4.f, 6.f}});
  tg::Variable<float> w(tg::Array<float>{{0.5f, 0.5f, 0.5f}}, true);
  for (int step = 0; step < 200; ++step) {
    auto d = x * w - y;
    auto loss = tg::matmul(d * d, tg::Variable<float>(xt::ones<float>({3, 1})));
    loss.backward();
    w.value() -= 0.05f * w.grad();
    w.zero_grad();
  }
  for (float v : w.value()) std::cout << "w = " << v << "\n";
  return xt::allclose(w.value(), 2.f) ? 0 : 1;
}
