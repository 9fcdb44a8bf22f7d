#include <tapegrad/modules/any_module.hpp>

namespace tg::nn {

// A module's structure has the module's own class, so the recorded forward calls it as well.
AnyModule AnyModule::clone_structure() const {
  check_not_empty("clone_structure");
  std::shared_ptr<Module> structure = module_->clone_structure();
  const Module &copy = *structure, &original = *module_;
  if (typeid(copy) != typeid(original))
    throw Error("AnyModule: clone_structure() of a " + module_->name() + " returned a " + structure->name() +
                ", not a module of its own class");
  return AnyModule(std::move(structure), forward_);
}

void AnyModule::check_not_empty(const char* what) const {
  if (!module_) throw Error(std::string("AnyModule: ") + what + "() on an empty AnyModule");
}

void AnyModule::throw_wrong_type() const {
  throw Error("AnyModule: the module is a " + module_->name() + ", not the type asked of get<>() or ptr<>()");
}

}  // namespace tg::nn
