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

Dropout::Dropout(const DropoutOptions& options) : options_(options) { check_p("Dropout", options.p()); }

Variable<float> Dropout::forward(const Variable<float>& x) { return tg::dropout(x, options_.p(), is_training()); }

void Dropout::pretty_print(std::ostream& stream) const {
  stream << "Dropout(p=" << options_.p() << ", inplace=" << (options_.inplace() ? "true" : "false") << ")";
}

Dropout2d::Dropout2d(const Dropout2dOptions& options) : options_(options) { check_p("Dropout2d", options.p()); }

Variable<float> Dropout2d::forward(const Variable<float>& x) { return tg::dropout2d(x, options_.p(), is_training()); }

void Dropout2d::pretty_print(std::ostream& stream) const {
  stream << "Dropout2d(p=" << options_.p() << ", inplace=" << (options_.inplace() ? "true" : "false") << ")";
}

}  // namespace tg::nn
