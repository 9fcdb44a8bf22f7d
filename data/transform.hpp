// The transform interfaces of LibTorch's data pipeline (torch::data::transforms), which
// dataset.map() applies to every batch:
//   BatchTransform<InputBatch, OutputBatch>  apply_batch(batch): a whole batch at once;
//   Transform<Input, Output>                 apply(example), mapped over a vector-of-examples batch;
//   Collation<Batch>                         a vector of examples into one batch (Stack<> is one).
#pragma once

#include <utility>
#include <vector>

namespace tg::data::transforms {

template <class InputBatch, class OutputBatch>
class BatchTransform {
 public:
  using InputBatchType = InputBatch;
  using OutputBatchType = OutputBatch;

  virtual ~BatchTransform() = default;
  virtual OutputBatch apply_batch(InputBatch input_batch) = 0;
};

template <class Input, class Output>
class Transform : public BatchTransform<std::vector<Input>, std::vector<Output>> {
 public:
  using InputType = Input;
  using OutputType = Output;

  virtual Output apply(Input input) = 0;

  std::vector<Output> apply_batch(std::vector<Input> input_batch) override {
    std::vector<Output> output;
    output.reserve(input_batch.size());
    for (Input& input : input_batch) output.push_back(apply(std::move(input)));
    return output;
  }
};

template <class Batch, class Examples = std::vector<Batch>>
using Collation = BatchTransform<Examples, Batch>;

}  // namespace tg::data::transforms
