#include <tapegrad/modules/module.hpp>

#include <cxxabi.h>

#include <cstdlib>
#include <ostream>
#include <typeinfo>

#include <tapegrad/core/grad_mode.hpp>

namespace tg::nn {
namespace {

// "tgtest::Net" -> "Net", "ns::Box<ns::Item>" -> "Box<ns::Item>": the class name as a user wrote it.
std::string unqualified_class_name(const std::type_info& type) {
  int status = 0;
  char* demangled = abi::__cxa_demangle(type.name(), nullptr, nullptr, &status);
  std::string full = status == 0 ? demangled : type.name();
  std::free(demangled);
  const std::size_t end = full.find('<');
  const std::size_t colons = full.rfind("::", end);
  return colons == std::string::npos ? full : full.substr(colons + 2);
}

// The same without the "Impl" of a TG_MODULE's implementation ("tg::nn::ReLUImpl" -> "ReLU").
std::string class_name(const std::type_info& type) {
  std::string name = unqualified_class_name(type);
  const std::string impl = "Impl";
  if (name.size() > impl.size() && name.compare(name.size() - impl.size(), impl.size(), impl) == 0)
    name.resize(name.size() - impl.size());
  return name;
}

}  // namespace

std::string Module::name() const { return name_.empty() ? class_name(typeid(*this)) : name_; }

void Module::check_new_name(const std::string& name, const char* what) const {
  const std::string where = " (in " + this->name() + ")";
  if (name.empty()) throw Error(std::string(what) + ": expected a non-empty name" + where);
  if (name.find('.') != std::string::npos)
    throw Error(std::string(what) + ": name \"" + name +
                "\" contains '.', which separates nested names (expected a name without '.')" + where);
  auto taken = [&](const auto& entries) {
    for (const auto& entry : entries)
      if (entry.first == name) return true;
    return false;
  };
  const char* kind = taken(parameters_) ? "a parameter"
                     : taken(buffers_)  ? "a buffer"
                     : taken(children_) ? "a module"
                                        : nullptr;
  if (kind)
    throw Error(std::string(what) + ": name \"" + name + "\" is already registered as " + kind + where);
}

Tensor Module::register_parameter(const std::string& name, Tensor tensor, bool requires_grad) {
  check_new_name(name, "register_parameter");
  const std::string where = "register_parameter: \"" + name + "\" (in " + this->name() + ")";
  if (!tensor.defined()) throw Error(where + " is undefined");
  if (!tensor.is_floating_point())
    throw Error(where + " has dtype " + to_string(tensor.scalar_type()) + "; expected Float or Double");
  if (!tensor.is_leaf()) throw Error(where + " is the output of an op; pass a leaf (detach() it)");
  tensor.requires_grad_(requires_grad);
  parameters_.insert(name, tensor);
  return tensor;
}

Tensor Module::register_buffer(const std::string& name, Tensor tensor) {
  check_new_name(name, "register_buffer");
  if (!tensor.defined()) throw Error("register_buffer: \"" + name + "\" (in " + this->name() + ") is undefined");
  buffers_.insert(name, tensor);
  return tensor;
}

void Module::add_child(const std::string& name, std::shared_ptr<Module> module) {
  check_new_name(name, "register_module");
  if (!module) throw Error("register_module: module \"" + name + "\" is null (in " + this->name() + ")");
  if (module.get() == this)
    throw Error("register_module: a module cannot be its own child (\"" + name + "\" in " + this->name() + ")");
  children_.insert(name, std::move(module));
}

std::shared_ptr<Module> Module::replace_module(const std::string& name, std::shared_ptr<Module> module) {
  std::shared_ptr<Module>* child = children_.find(name);
  if (!child) throw Error("replace_module: no submodule \"" + name + "\" in " + this->name());
  if (!module) throw Error("replace_module: module \"" + name + "\" is null (in " + this->name() + ")");
  if (module.get() == this)
    throw Error("replace_module: a module cannot be its own child (\"" + name + "\" in " + this->name() + ")");
  *child = std::move(module);
  return *child;
}

void Module::unregister_module(const std::string& name) {
  if (!children_.contains(name)) throw Error("unregister_module: no submodule \"" + name + "\" in " + this->name());
  children_.erase(name);
}

void Module::collect(const std::string& prefix, bool recurse, bool buffers, Named<Tensor>& out) const {
  for (const auto& [name, variable] : buffers ? buffers_ : parameters_) out.insert(prefix + name, variable);
  if (!recurse) return;
  for (const auto& [name, child] : children_) child->collect(prefix + name + ".", true, buffers, out);
}

Module::Named<Tensor> Module::named_parameters(bool recurse) const {
  Named<Tensor> out("Parameter");
  collect("", recurse, /*buffers=*/false, out);
  return out;
}

Module::Named<Tensor> Module::named_buffers(bool recurse) const {
  Named<Tensor> out("Buffer");
  collect("", recurse, /*buffers=*/true, out);
  return out;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  std::vector<Tensor> out;
  for (auto& entry : named_parameters(recurse)) out.push_back(std::move(entry.second));
  return out;
}

std::vector<Tensor> Module::buffers(bool recurse) const {
  std::vector<Tensor> out;
  for (auto& entry : named_buffers(recurse)) out.push_back(std::move(entry.second));
  return out;
}

std::vector<std::shared_ptr<Module>> Module::children() const {
  std::vector<std::shared_ptr<Module>> out;
  for (const auto& entry : children_) out.push_back(entry.second);
  return out;
}

void Module::collect_modules(const std::string& prefix, Named<std::shared_ptr<Module>>& out) {
  for (const auto& [name, child] : children_) {
    const std::string path = prefix.empty() ? name : prefix + "." + name;
    out.insert(path, child);
    child->collect_modules(path, out);
  }
}

Module::Named<std::shared_ptr<Module>> Module::named_modules(const std::string& name_prefix, bool include_self) {
  Named<std::shared_ptr<Module>> out("Module");
  if (include_self) {
    std::shared_ptr<Module> self = weak_from_this().lock();
    if (!self)
      throw Error(name() + ": modules() and named_modules() with include_self need the module in a std::shared_ptr "
                           "(a holder such as Net, or std::make_shared); pass include_self = false otherwise");
    out.insert(name_prefix, std::move(self));
  }
  collect_modules(name_prefix, out);
  return out;
}

std::vector<std::shared_ptr<Module>> Module::modules(bool include_self) {
  return named_modules("", include_self).values();
}

void Module::apply(const std::function<void(Module&)>& fn) {
  fn(*this);
  for (const auto& entry : children_) entry.second->apply(fn);
}

void Module::apply(const std::function<void(const std::string&, Module&)>& fn, const std::string& name_prefix) {
  fn(name_prefix, *this);
  for (const auto& [name, child] : children_) child->apply(fn, name_prefix.empty() ? name : name_prefix + "." + name);
}

void Module::train(bool on) {
  training_ = on;
  for (const auto& entry : children_) entry.second->train(on);
}

void Module::to(ScalarType dtype) {
  if (!is_floating_point(dtype))
    throw Error(name() + ": to(" + to_string(dtype) + "): modules convert to a floating dtype (kFloat or kDouble)");
  NoGradGuard no_grad;
  auto convert = [dtype](Tensor& t) {
    if (!t.is_floating_point() || t.scalar_type() == dtype) return;
    const bool requires_grad = t.requires_grad();
    Tensor converted = t.detach().to(dtype);
    converted.requires_grad_(requires_grad);
    t.set_data(converted);
  };
  for (auto& entry : parameters_) convert(entry.second);
  for (auto& entry : buffers_) convert(entry.second);
  for (auto& entry : children_) entry.second->to(dtype);
}

void Module::to(Device device, ScalarType dtype) {
  check_cpu(device, "Module::to");
  to(dtype);
}

void Module::to(Device device) { check_cpu(device, "Module::to"); }

void Module::zero_grad(bool set_to_none) {
  for (const auto& parameter : parameters()) tg::detail::zero_grad(parameter, set_to_none);
}

std::size_t Module::parameter_count() const {
  std::size_t count = 0;
  for (const auto& parameter : parameters()) count += parameter.numel();
  return count;
}

std::shared_ptr<Module> Module::clone(const std::optional<Device>& device) const {
  if (device) check_cpu(*device, "Module::clone");
  NoGradGuard no_grad;
  std::shared_ptr<Module> copy = clone_structure();
  copy->copy_state_from(*this);
  return copy;
}

std::shared_ptr<Module> Module::clone_structure() const {
  throw Error(name() + ": clone() is not implemented for this module; derive it from tg::nn::Cloneable<" +
              unqualified_class_name(typeid(*this)) +
              "> instead of tg::nn::Module and register its parameters, buffers and submodules in reset() "
              "(modules/cloneable.hpp), as LibTorch asks");
}

namespace {

std::string joined_keys(const std::vector<std::string>& keys) {
  std::string out = "[";
  for (std::size_t i = 0; i < keys.size(); ++i) out += (i ? ", " : "") + keys[i];
  return out + "]";
}

// The copy's entries must be the original's, by name and in order, for the values to go across.
template <class V>
void check_same_keys(const OrderedDict<std::string, V>& from, const OrderedDict<std::string, V>& to,
                     const std::string& module, const char* what) {
  if (from.keys() != to.keys())
    throw Error(module + ": clone(): the new module's " + what + " are " + joined_keys(to.keys()) + ", the original's " +
                joined_keys(from.keys()) + " (a Cloneable's reset() must register what its constructor did)");
}

}  // namespace

void Module::copy_state_from(const Module& from) {
  check_same_keys(from.parameters_, parameters_, name(), "parameters");
  check_same_keys(from.buffers_, buffers_, name(), "buffers");
  check_same_keys(from.children_, children_, name(), "submodules");
  const auto copy_values = [this](const Named<Tensor>& source, Named<Tensor>& target) {
    for (std::size_t i = 0; i < source.size(); ++i) {
      const Tensor& original = source[i].value();
      Tensor& copy = target[i].value();
      if (original.defined() != copy.defined())
        throw Error(name() + ": clone(): '" + source[i].key() + "' is " + (original.defined() ? "" : "un") +
                    "defined in the original and " + (copy.defined() ? "" : "un") + "defined in the new module");
      if (!original.defined()) continue;
      copy.set_data(original.detach().clone());
      if (copy.requires_grad() != original.requires_grad()) copy.requires_grad_(original.requires_grad());
    }
  };
  copy_values(from.parameters_, parameters_);
  copy_values(from.buffers_, buffers_);
  training_ = from.training_;
  for (std::size_t i = 0; i < children_.size(); ++i) children_[i].value()->copy_state_from(*from.children_[i].value());
}

void Module::pretty_print(std::ostream& stream) const { stream << name(); }

void Module::print_tree(std::ostream& stream, const std::string& indentation) const {
  pretty_print(stream);
  if (children_.is_empty()) return;
  stream << "(\n";
  const std::string inner = indentation + "  ";
  for (const auto& [name, child] : children_) {
    stream << inner << "(" << name << "): ";
    child->print_tree(stream, inner);
    stream << "\n";
  }
  stream << indentation << ")";
}

std::ostream& operator<<(std::ostream& stream, const Module& module) {
  module.print_tree(stream, "");
  return stream;
}

}  // namespace tg::nn
