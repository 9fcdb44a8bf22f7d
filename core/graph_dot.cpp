#include <tapegrad/core/graph_dot.hpp>

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <tapegrad/core/dispatch.hpp>
#include <tapegrad/core/files.hpp>
#include <tapegrad/core/tape.hpp>

namespace tg {

namespace {

std::string escape(const std::string& s) {
  std::string r;
  for (char c : s) {
    if (c == '\n') {
      r += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') r += '\\';
    r += c;
  }
  return r;
}

template <class T>
std::string stats(const Array<T>& v) {
  if (v.size() == 0) return "";
  double sum = 0, sq = 0;
  for (T x : v) sum += double(x);
  const double mean = sum / double(v.size());
  for (T x : v) sq += (double(x) - mean) * (double(x) - mean);
  char buf[64];
  std::snprintf(buf, sizeof buf, "\nmean %.3g std %.3g", mean, std::sqrt(sq / double(v.size())));
  return buf;
}

// The module path of a dotted parameter name: "features.0.weight" -> "features.0"; "" at the top.
std::string module_path(const std::string& name) {
  const auto dot = name.rfind('.');
  return dot == std::string::npos ? "" : name.substr(0, dot);
}

}  // namespace

template <class T>
std::string to_dot(const Variable<T>& output, const DotOptions<T>& options) {
  if (!output.defined()) throw Error("to_dot: the output tensor is undefined");
  const auto& entries = Tape<T>::current().entries();
  const std::uint64_t generation = Tape<T>::current().id();
  const GradMeta<T>* root = output.meta().get();

  std::unordered_map<const GradMeta<T>*, const Variable<T>*> named_vars;
  std::unordered_map<const GradMeta<T>*, std::string> names;
  for (const auto& [name, v] : options.names) {
    names[v.meta().get()] = name;
    named_vars[v.meta().get()] = &v;
  }

  // The entries the output depends on: one sweep from the newest, as backward walks the tape.
  std::unordered_set<const GradMeta<T>*> needed{root};
  std::vector<std::size_t> ops;  // indices into entries, newest first
  const bool root_on_tape = !root->is_leaf && root->tape_id == generation;
  if (root_on_tape)
    for (std::size_t k = entries.size(); k-- > 0;) {
      if (!needed.count(entries[k].output.get())) continue;
      ops.push_back(k);
      for (std::size_t i = 0; i < entries[k].inputs.size(); ++i)
        if (const auto& in = entries[k].inputs[i]) needed.insert(in.get());
    }

  std::unordered_map<const GradMeta<T>*, std::size_t> producer;
  for (std::size_t k : ops) producer[entries[k].output.get()] = k;

  // Each op's cluster: the module of the first named parameter it reads directly.
  auto cluster_of = [&](const TapeEntry<T>& e) -> std::string {
    for (std::size_t i = 0; i < e.inputs.size(); ++i)
      if (const auto& in = e.inputs[i]) {
        auto it = names.find(in.get());
        if (it != names.end()) return module_path(it->second);
      }
    return "";
  };

  std::ostringstream dot;
  std::map<std::string, std::vector<std::string>> clusters;  // module path -> its node lines
  std::unordered_map<const GradMeta<T>*, std::size_t> ids;  // numbered as met, so the text repeats
  auto node_id = [&](const GradMeta<T>* m) {
    return "n" + std::to_string(ids.emplace(m, ids.size()).first->second);
  };
  std::vector<std::string> edges;
  std::unordered_set<const GradMeta<T>*> drawn_leaves;

  // A tensor that is not produced by a drawn op: a leaf, or a non-leaf whose graph was freed.
  auto leaf_node = [&](const GradMeta<T>* m) {
    if (!drawn_leaves.insert(m).second) return;
    auto name = names.find(m);
    std::string label = name != names.end() ? name->second : (m->is_leaf ? "leaf" : std::string("freed ") + m->op);
    label += "\n" + shape_str(m->shape);
    if (m->is_leaf) label += m->has_grad ? "\nrequires_grad, has grad" : "\nrequires_grad";
    if (options.values && named_vars.count(m)) label += stats(named_vars.at(m)->value());
    const std::string line = node_id(m) + " [shape=box, style=\"rounded,filled\", fillcolor=\"#dbe9f6\", label=\"" +
                             escape(label) + "\"];";
    clusters[name != names.end() ? module_path(name->second) : ""].push_back(line);
  };

  std::size_t constants = 0;
  for (auto it = ops.rbegin(); it != ops.rend(); ++it) {  // creation order: data flows top to bottom
    const TapeEntry<T>& e = entries[*it];
    const GradMeta<T>* out = e.output.get();
    std::string label = std::string(e.op) + "\n" + shape_str(out->shape);
    if (out == root && options.values) label += stats(output.value());
    std::string line = node_id(out) + " [shape=ellipse, style=filled, fillcolor=\"" +
                       (e.swept ? "#b7e1a1" : "#ffffff") + "\"" + (out == root ? ", penwidth=2.5" : "") +
                       ", label=\"" + escape(label) + "\"];";
    clusters[cluster_of(e)].push_back(line);
    for (std::size_t i = 0; i < e.inputs.size(); ++i) {
      const GradMeta<T>* in = e.inputs[i].get();
      std::string from;
      if (!in) {
        from = "c" + std::to_string(constants++);
        clusters[""].push_back(from + " [shape=plaintext, fontsize=9, label=\"const\"];");
      } else {
        if (!producer.count(in)) leaf_node(in);
        from = node_id(in);
      }
      edges.push_back(from + " -> " + node_id(out) + ";");
    }
  }
  if (!root_on_tape) leaf_node(root);

  dot << "digraph tapegrad {\n"
      << "  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=11, nodesep=0.25, ranksep=0.3];\n"
      << "  node [fontname=\"Helvetica\", fontsize=10, height=0.3];\n"
      << "  edge [arrowsize=0.6];\n";
  std::size_t k = 0;
  for (const auto& [path, lines] : clusters) {
    const bool top = path.empty();
    std::string label = path;
    for (const auto& [p, l] : options.cluster_labels)
      if (p == path) label = l;
    if (!top)
      dot << "  subgraph cluster_" << k++ << " {\n    label=\"" << escape(label)
          << "\"; style=\"rounded,dashed\"; color=\"#888888\";\n";
    for (const auto& l : lines) dot << (top ? "  " : "    ") << l << "\n";
    if (!top) dot << "  }\n";
  }
  for (const auto& e : edges) dot << "  " << e << "\n";
  dot << "}\n";
  return dot.str();
}

template <class T>
void write_dot(const std::string& path, const Variable<T>& output, const DotOptions<T>& options) {
  const std::string text = to_dot(output, options);
  AtomicFileWriter out(path, "write_dot: " + path + ": ");
  out.write(text.data(), text.size());
  out.commit();
}

namespace {

template <class T>
DotOptions<T> typed_options(const TensorDotOptions& options) {
  DotOptions<T> typed;
  for (const auto& [name, leaf] : options.names)
    if (leaf.defined() && leaf.scalar_type() == scalar_type_v<T>) typed.names.emplace_back(name, leaf.template variable<T>());
  typed.values = options.values;
  typed.cluster_labels = options.cluster_labels;
  return typed;
}

}  // namespace

std::string to_dot(const Tensor& output, const TensorDotOptions& options) {
  check_floating(output, "to_dot");
  if (output.scalar_type() == kFloat) return to_dot(output.variable<float>(), typed_options<float>(options));
  return to_dot(output.variable<double>(), typed_options<double>(options));
}

void write_dot(const std::string& path, const Tensor& output, const TensorDotOptions& options) {
  check_floating(output, "write_dot");
  if (output.scalar_type() == kFloat) return write_dot(path, output.variable<float>(), typed_options<float>(options));
  write_dot(path, output.variable<double>(), typed_options<double>(options));
}

#define TG_INSTANTIATE(T)                                                       \
  template std::string to_dot<T>(const Variable<T>&, const DotOptions<T>&);     \
  template void write_dot<T>(const std::string&, const Variable<T>&, const DotOptions<T>&);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
