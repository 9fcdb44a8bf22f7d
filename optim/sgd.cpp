#include <tapegrad/optim/sgd.hpp>

#include <string>

#include <tapegrad/core/grad_mode.hpp>

namespace tg::optim {
namespace {

const SGDOptions& checked(const SGDOptions& o) {
  auto fail = [](const std::string& what) { throw Error("SGD: " + what); };
  if (!(o.lr() >= 0.0)) fail("invalid learning rate " + std::to_string(o.lr()) + " (expected lr >= 0)");
  if (!(o.momentum() >= 0.0)) fail("invalid momentum " + std::to_string(o.momentum()) + " (expected momentum >= 0)");
  if (!(o.weight_decay() >= 0.0))
    fail("invalid weight_decay " + std::to_string(o.weight_decay()) + " (expected weight_decay >= 0)");
  if (o.nesterov() && !(o.momentum() > 0.0 && o.dampening() == 0.0))
    fail("nesterov momentum requires momentum > 0 and dampening == 0, got momentum " + std::to_string(o.momentum()) +
         " and dampening " + std::to_string(o.dampening()));
  return o;
}

}  // namespace

SGD::SGD(std::vector<Variable<float>> parameters, const SGDOptions& options)
    : Optimizer(std::move(parameters), checked(options).lr()),
      options_(options),
      momentum_buffers_(parameters_.size()) {}

SGDOptions SGD::options() const { return SGDOptions(options_).lr(lr()); }

void SGD::step() {
  NoGradGuard no_grad;
  // Float arithmetic throughout, as LibTorch casts its scalar options to the tensor's type.
  const float lr = static_cast<float>(this->lr());
  const float momentum = static_cast<float>(options_.momentum());
  const float damp = static_cast<float>(1.0 - options_.dampening());
  const float decay = static_cast<float>(options_.weight_decay());
  const bool nesterov = options_.nesterov();

  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    Variable<float>& param = parameters_[i];
    if (!param.has_grad()) continue;
    const std::size_t n = param.numel();
    float* p = param.value().data();
    const float* g = param.grad().data();

    if (momentum == 0.f) {
      for (std::size_t k = 0; k < n; ++k) p[k] -= lr * (g[k] + decay * p[k]);
      continue;
    }
    std::vector<float>& buffer = momentum_buffers_[i];
    const bool first = buffer.empty();
    if (first) buffer.resize(n);
    float* buf = buffer.data();
    for (std::size_t k = 0; k < n; ++k) {
      const float d = g[k] + decay * p[k];
      buf[k] = first ? d : momentum * buf[k] + damp * d;
      p[k] -= lr * (nesterov ? d + momentum * buf[k] : buf[k]);
    }
  }
}

}  // namespace tg::optim
