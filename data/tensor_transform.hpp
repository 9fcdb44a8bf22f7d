// Transforms of an example's data tensor that leave its target alone, as LibTorch's
// transforms::TensorTransform (derive and define operator()) and TensorLambda (a user's function):
//
//   dataset.map(tg::data::transforms::TensorLambda<>([](tg::Tensor x) { return x.flatten(); }));
#pragma once

#include <functional>
#include <utility>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/data/example.hpp>
#include <tapegrad/data/transform.hpp>

namespace tg::data::transforms {

template <class Target = Tensor>
class TensorTransform : public Transform<Example<Tensor, Target>, Example<Tensor, Target>> {
 public:
  using E = Example<Tensor, Target>;

  virtual Tensor operator()(Tensor input) = 0;

  E apply(E input) override {
    input.data = (*this)(std::move(input.data));
    return input;
  }
};

template <class Target = Tensor>
class TensorLambda : public TensorTransform<Target> {
 public:
  using FunctionType = std::function<Tensor(Tensor)>;

  explicit TensorLambda(FunctionType function) : function_(std::move(function)) {}
  Tensor operator()(Tensor input) override { return function_(std::move(input)); }

 private:
  FunctionType function_;
};

}  // namespace tg::data::transforms
