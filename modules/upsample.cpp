#include <tapegrad/modules/upsample.hpp>

namespace tg::nn {

void UpsampleImpl::pretty_print(std::ostream& stream) const {
  stream << "Upsample(";
  if (options_.scale_factor()) {
    stream << "scale_factor=[";
    for (std::size_t i = 0; i < options_.scale_factor()->size(); ++i) stream << (i ? ", " : "") << (*options_.scale_factor())[i];
    stream << "]";
  } else if (options_.size()) {
    stream << "size=" << IntArrayRef(*options_.size());
  }
  stream << ", mode=" << enum_name(options_.mode()) << ")";
}

}  // namespace tg::nn
