#include <tapegrad/modules/dropout.hpp>

#include <ostream>
#include <string>

#include <tapegrad/ops/dropout.hpp>

namespace tg::nn {

namespace {
void check_p(const char* layer, double p) {
  if (!(p >= 0.0 && p <= 1.0))
    throw Error(std::string(layer) + ": dropout probability has to be between 0 and 1, but got " + std::to_string(p));
}
}  // namespace

DropoutImpl::DropoutImpl(const DropoutOptions& options) : options_(options) { check_p("Dropout", options.p()); }

Tensor DropoutImpl::forward(const Tensor& x) { return tg::dropout(x, options_.p(), is_training()); }

void DropoutImpl::pretty_print(std::ostream& stream) const {
  stream << "Dropout(p=" << options_.p() << ", inplace=" << (options_.inplace() ? "true" : "false") << ")";
}

Dropout2dImpl::Dropout2dImpl(const Dropout2dOptions& options) : options_(options) { check_p("Dropout2d", options.p()); }

Tensor Dropout2dImpl::forward(const Tensor& x) { return tg::feature_dropout(x, options_.p(), is_training()); }

void Dropout2dImpl::pretty_print(std::ostream& stream) const {
  stream << "Dropout2d(p=" << options_.p() << ", inplace=" << (options_.inplace() ? "true" : "false") << ")";
}

}  // namespace tg::nn
