// The dataset interfaces of LibTorch's data pipeline, which users derive from:
//
//   struct Squares : tg::data::datasets::Dataset<Squares> {
//     tg::data::Example<> get(size_t i) override { return {tg::full({1}, double(i)), tg::full({1}, double(i * i))}; }
//     std::optional<size_t> size() const override { return 10; }
//   };
//   auto batches = Squares().map(tg::data::transforms::Stack<>());
//
// BatchDataset answers a batch request (a list of indices) with a batch; Dataset answers one index
// with one example and makes get_batch the vector of get() over the indices. map(transform) wraps a
// dataset in a MapDataset (data/map_dataset.hpp) whose batches pass through the transform.
//
// Where tapegrad differs from LibTorch: a batch request is a std::vector<size_t> (LibTorch:
// c10::ArrayRef<size_t>); there are no stateful datasets (ChunkDataset, StreamDataset).
#pragma once

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include <tapegrad/data/example.hpp>

namespace tg::data::datasets {

template <class SourceDataset, class AppliedTransform>
class MapDataset;
template <class SourceDataset, class AppliedTransform>
MapDataset<SourceDataset, AppliedTransform> map(SourceDataset dataset, AppliedTransform transform);

template <class Self, class Batch, class BatchRequest = std::vector<std::size_t>>
class BatchDataset {
 public:
  using SelfType = Self;
  using BatchType = Batch;
  using BatchRequestType = BatchRequest;
  static constexpr bool is_stateful = false;

  virtual ~BatchDataset() = default;

  virtual Batch get_batch(BatchRequest request) = 0;
  // The number of examples, if known (a sampler needs it).
  virtual std::optional<std::size_t> size() const = 0;

  // This dataset (copied, or moved from an rvalue) with `transform` applied to its batches.
  template <class Transform>
  MapDataset<Self, Transform> map(Transform transform) & {
    return datasets::map(static_cast<Self&>(*this), std::move(transform));
  }
  template <class Transform>
  MapDataset<Self, Transform> map(Transform transform) && {
    return datasets::map(std::move(static_cast<Self&>(*this)), std::move(transform));
  }
};

template <class Self, class SingleExample = Example<>>
class Dataset : public BatchDataset<Self, std::vector<SingleExample>> {
 public:
  using ExampleType = SingleExample;

  virtual ExampleType get(std::size_t index) = 0;

  std::vector<ExampleType> get_batch(std::vector<std::size_t> indices) override {
    std::vector<ExampleType> batch;
    batch.reserve(indices.size());
    for (std::size_t i : indices) batch.push_back(get(i));
    return batch;
  }
};

}  // namespace tg::data::datasets

// map() above returns a MapDataset: whoever includes one header gets both.
#include <tapegrad/data/map_dataset.hpp>
