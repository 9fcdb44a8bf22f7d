// tg::nn::ParameterList and ParameterDict: parameters by position ("0", "1", ...) or by name, that a
// parent's forward uses as it likes, as LibTorch's. Each keeps the requires_grad its tensor has, as
// LibTorch 1.13's do.
//
//   tg::nn::ParameterList scales(tg::ones({4}, tg::requires_grad()), tg::zeros({4}, tg::requires_grad()));
//   x = x * scales[0] + scales[1];
//   tg::nn::ParameterDict gates;
//   gates->insert("input", tg::randn({8}, tg::requires_grad()));
//
// Where tapegrad differs: no pop or clear (a module does not unregister parameters).
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <tapegrad/core/ordered_dict.hpp>
#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>

namespace tg::nn {

// What the two containers share: their parameters in an OrderedDict, iterated as items (key(), value()).
class ParameterContainer : public Module {
 public:
  using Items = OrderedDict<std::string, Tensor>;
  std::size_t size() const { return params_.size(); }
  bool is_empty() const { return params_.is_empty(); }
  Items::ConstIterator begin() const { return params_.begin(); }
  Items::ConstIterator end() const { return params_.end(); }

 protected:
  explicit ParameterContainer(const char* name) : Module(name), params_(std::string(name) + " key") {}
  // Registers `param` as `key` (throws if the key is taken) and keeps the registered handle.
  Tensor& add(const std::string& key, Tensor param);

  Items params_;
};

class ParameterListImpl : public ParameterContainer {
 public:
  ParameterListImpl() : ParameterContainer("ParameterList") {}
  template <class... Ts>
  explicit ParameterListImpl(Tensor first, Ts... rest) : ParameterListImpl() {
    append(std::move(first));
    (append(std::move(rest)), ...);
  }
  Tensor& append(Tensor param) { return add(std::to_string(size()), std::move(param)); }
  // The i-th parameter; throws an Error when i >= size().
  Tensor& operator[](std::size_t i) { return params_[i].value(); }
  const Tensor& operator[](std::size_t i) const { return params_[i].value(); }
  Tensor& at(std::size_t i) { return (*this)[i]; }
  std::shared_ptr<Module> clone_structure() const override;
};
TG_MODULE(ParameterList);

class ParameterDictImpl : public ParameterContainer {
 public:
  ParameterDictImpl() : ParameterContainer("ParameterDict") {}
  explicit ParameterDictImpl(const OrderedDict<std::string, Tensor>& params) : ParameterDictImpl() {
    for (const auto& item : params) insert(item.key(), item.value());
  }
  Tensor& insert(const std::string& key, Tensor param) { return add(key, std::move(param)); }
  // The parameter at `key`; throws an Error naming the key when it is absent.
  Tensor& operator[](const std::string& key) { return params_[key]; }
  const Tensor& operator[](const std::string& key) const { return params_[key]; }
  Tensor get(const std::string& key) const { return params_[key]; }
  bool contains(const std::string& key) const { return params_.contains(key); }
  std::vector<std::string> keys() const { return params_.keys(); }
  std::vector<Tensor> values() const { return params_.values(); }
  std::shared_ptr<Module> clone_structure() const override;
};
TG_MODULE(ParameterDict);

}  // namespace tg::nn
