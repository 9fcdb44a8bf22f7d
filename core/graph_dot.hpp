// tg::to_dot: the graph recorded on this thread's tape that an output depends on, as Graphviz DOT
// (micrograd's draw_dot, torchviz's make_dot). Render it with `dot -Tsvg graph.dot -o graph.svg`.
//
//   tg::Tensor loss = F::cross_entropy(net->forward(x), y);
//   tg::write_dot("net.dot", loss, {net->named_parameters()});
//
// One node per recorded op (its name and output shape; filled once its backward has run) and one per
// leaf that requires grad (its name when given, shape, whether it holds a gradient); inputs that
// require no grad (the data batch) are not on the tape and show as small "const" nodes. Ops that read
// a named parameter are grouped in a cluster named by the parameter's module path ("features.0"), so
// a model's graph reads layer by layer. It reads the tape only: it works before and after backward
// (with retain_graph), and keeps no value alive.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <tapegrad/core/ordered_dict.hpp>
#include <tapegrad/core/tensor.hpp>
#include <tapegrad/core/variable.hpp>

namespace tg {

template <class T>
struct DotOptions {
  // Leaves to label by name, e.g. module->named_parameters(); their module path names the clusters.
  std::vector<std::pair<std::string, Variable<T>>> names;
  // Adds mean and std to the named leaves' and the output's labels (their values are at hand).
  bool values = false;
  // A cluster's label by module path, e.g. {"0", "0: Conv2d"}; unlisted clusters show their path.
  std::vector<std::pair<std::string, std::string>> cluster_labels;
};

template <class T>
std::string to_dot(const Variable<T>& output, const DotOptions<T>& options = {});

// Writes to_dot to `path` whole or not at all (tg::AtomicFileWriter: never over anything but a
// regular file); throws tg::Error naming the file and the reason when it cannot.
template <class T>
void write_dot(const std::string& path, const Variable<T>& output, const DotOptions<T>& options = {});

// The same for a Tensor output (Float or Double), with leaves named by Tensor as
// module->named_parameters() lists them. A named Tensor of another dtype than the output's cannot be
// on its tape (each dtype records on its own), so it is passed over.
struct TensorDotOptions {
  // Implicit, so that `{net->named_parameters()}` is the options.
  TensorDotOptions(const OrderedDict<std::string, Tensor>& named = OrderedDict<std::string, Tensor>())
      : names(named.begin(), named.end()) {}

  std::vector<std::pair<std::string, Tensor>> names;
  bool values = false;
  std::vector<std::pair<std::string, std::string>> cluster_labels;
};
std::string to_dot(const Tensor& output, const TensorDotOptions& options = {});
void write_dot(const std::string& path, const Tensor& output, const TensorDotOptions& options = {});

extern template std::string to_dot<float>(const Variable<float>&, const DotOptions<float>&);
extern template std::string to_dot<double>(const Variable<double>&, const DotOptions<double>&);
extern template void write_dot<float>(const std::string&, const Variable<float>&, const DotOptions<float>&);
extern template void write_dot<double>(const std::string&, const Variable<double>&, const DotOptions<double>&);

}  // namespace tg
