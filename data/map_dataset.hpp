// tg::data::datasets::MapDataset: a dataset whose batches pass through a transform, made by
// dataset.map(transform) (data/dataset_base.hpp). Maps chain: the output of one is the input of the
// next, as in LibTorch:
//
//   auto batches = MNIST(root).map(transforms::Normalize<>(0.1307, 0.3081)).map(transforms::Stack<>());
#pragma once

#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

#include <tapegrad/data/dataset_base.hpp>

namespace tg::data::datasets {

template <class SourceDataset, class AppliedTransform>
class MapDataset : public BatchDataset<MapDataset<SourceDataset, AppliedTransform>,
                                       typename AppliedTransform::OutputBatchType,
                                       typename SourceDataset::BatchRequestType> {
 public:
  using DatasetType = SourceDataset;
  using TransformType = AppliedTransform;
  using BatchRequestType = typename SourceDataset::BatchRequestType;
  using OutputBatchType = typename AppliedTransform::OutputBatchType;

  MapDataset(SourceDataset dataset, AppliedTransform transform)
      : dataset_(std::move(dataset)), transform_(std::move(transform)) {}

  OutputBatchType get_batch(BatchRequestType request) override {
    return transform_.apply_batch(dataset_.get_batch(std::move(request)));
  }
  std::optional<std::size_t> size() const override { return dataset_.size(); }

  const SourceDataset& dataset() { return dataset_; }
  const AppliedTransform& transform() { return transform_; }

 private:
  SourceDataset dataset_;
  AppliedTransform transform_;
};

template <class SourceDataset, class AppliedTransform>
MapDataset<SourceDataset, AppliedTransform> map(SourceDataset dataset, AppliedTransform transform) {
  static_assert(std::is_same_v<typename SourceDataset::BatchType, typename AppliedTransform::InputBatchType>,
                "map: the transform's input batch type is not the dataset's batch type");
  return MapDataset<SourceDataset, AppliedTransform>(std::move(dataset), std::move(transform));
}

}  // namespace tg::data::datasets
