#include <tapegrad/ops/one_hot.hpp>

#include <algorithm>

#include <tapegrad/ops/detail/index_check.hpp>

namespace tg {

Labels one_hot(const Labels& labels, std::int64_t num_classes) {
  const std::int64_t* v = labels.data();
  if (num_classes == -1) {
    if (labels.size() == 0)
      throw Error("one_hot: cannot infer num_classes from empty labels of shape " + shape_str(labels.shape()) +
                  " (pass num_classes)");
    num_classes = *std::max_element(v, v + labels.size()) + 1;
  }
  if (num_classes < 0)
    throw Error("one_hot: expected num_classes >= 0, or -1 to infer it, got " + std::to_string(num_classes));
  const auto c = static_cast<std::size_t>(num_classes);
  detail::check_in_range("one_hot", "label", labels, c, std::to_string(c) + " classes");
  Shape shape = to_shape(labels.shape());
  shape.push_back(c);
  Labels out = Labels::from_shape(shape);
  std::fill(out.begin(), out.end(), 0);
  for (std::size_t p = 0; p < labels.size(); ++p) out.data()[p * c + static_cast<std::size_t>(v[p])] = 1;
  return out;
}

Tensor one_hot(const Tensor& labels, std::int64_t num_classes) {
  if (!labels.defined() || labels.scalar_type() != kLong)
    throw Error("one_hot: expected a Long tensor of class indices, got " +
                (labels.defined() ? to_string(labels.scalar_type()) : std::string("an undefined tensor")));
  return Tensor(one_hot(labels.value<std::int64_t>(), num_classes));
}

}  // namespace tg
