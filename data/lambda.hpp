// Transforms from a user's function, as LibTorch's transforms::Lambda and BatchLambda:
//
//   dataset.map(tg::data::transforms::Lambda<tg::data::Example<>>([](tg::data::Example<> e) {
//     return tg::data::Example<>{e.data.flatten(), e.target};
//   }));
#pragma once

#include <functional>
#include <utility>

#include <tapegrad/data/transform.hpp>

namespace tg::data::transforms {

// One example at a time.
template <class Input, class Output = Input>
class Lambda : public Transform<Input, Output> {
 public:
  using FunctionType = std::function<Output(Input)>;

  explicit Lambda(FunctionType function) : function_(std::move(function)) {}
  Output apply(Input input) override { return function_(std::move(input)); }

 private:
  FunctionType function_;
};

// A whole batch at once.
template <class InputBatch, class OutputBatch = InputBatch>
class BatchLambda : public BatchTransform<InputBatch, OutputBatch> {
 public:
  using FunctionType = std::function<OutputBatch(InputBatch)>;

  explicit BatchLambda(FunctionType function) : function_(std::move(function)) {}
  OutputBatch apply_batch(InputBatch input_batch) override { return function_(std::move(input_batch)); }

 private:
  FunctionType function_;
};

}  // namespace tg::data::transforms
