// tg::nn::ModuleDict: child modules by name, in insertion order, that a parent's forward uses as it
// likes, as LibTorch's.
//
//   std::vector<std::pair<std::string, std::shared_ptr<tg::nn::Module>>> modules = {
//       {"digit", tg::nn::Linear(64, 10).ptr()}, {"parity", tg::nn::Linear(64, 2).ptr()}};
//   tg::nn::ModuleDict heads(modules);
//   auto logits = heads->at<tg::nn::LinearImpl>("digit").forward(x);
//   heads->insert("sign", tg::nn::Linear(64, 2));   // an existing key gets the new module
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <tapegrad/core/ordered_dict.hpp>
#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>

namespace tg::nn {

class ModuleDictImpl : public Module {
 public:
  using Iterator = OrderedDict<std::string, std::shared_ptr<Module>>::ConstIterator;

  ModuleDictImpl() : Module("ModuleDict") {}
  explicit ModuleDictImpl(const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& modules);
  explicit ModuleDictImpl(const OrderedDict<std::string, std::shared_ptr<Module>>& modules);

  // Adds `module` as child `key`, or puts it in place of the module there.
  std::shared_ptr<Module> insert(const std::string& key, std::shared_ptr<Module> module);
  template <class Holder, class = typename std::decay_t<Holder>::ContainedType>
  std::shared_ptr<Module> insert(const std::string& key, const Holder& holder) {
    return insert(key, holder.ptr());
  }
  // Inserts every (key, module) of `other` in its order.
  void update(const ModuleDictImpl& other);
  // Removes `key` and returns its module; throws when it is absent.
  std::shared_ptr<Module> pop(const std::string& key);
  void clear();
  // A ModuleDict of the modules' own clone_structure(), under the same keys.
  std::shared_ptr<Module> clone_structure() const override;

  // The module at `key`; throws an Error naming the key when it is absent.
  std::shared_ptr<Module> operator[](const std::string& key) const;
  // The module at `key` as its class T (LinearImpl, not the holder Linear), as LibTorch's; throws an
  // Error when it is another.
  template <class T>
  T& at(const std::string& key) const {
    const std::shared_ptr<Module> module = (*this)[key];
    T* typed = dynamic_cast<T*>(module.get());
    if (!typed) throw Error("ModuleDict: module '" + key + "' is a " + module->name() + ", not the type asked of at<>()");
    return *typed;
  }
  bool contains(const std::string& key) const { return modules_.contains(key); }
  std::size_t size() const { return modules_.size(); }
  bool is_empty() const { return modules_.is_empty(); }
  std::vector<std::string> keys() const { return modules_.keys(); }
  std::vector<std::shared_ptr<Module>> values() const { return modules_.values(); }
  const std::vector<OrderedDict<std::string, std::shared_ptr<Module>>::Item>& items() const { return modules_.items(); }
  Iterator begin() const { return modules_.begin(); }
  Iterator end() const { return modules_.end(); }

 private:
  OrderedDict<std::string, std::shared_ptr<Module>> modules_{"ModuleDict key"};
};
TG_MODULE(ModuleDict);

}  // namespace tg::nn
