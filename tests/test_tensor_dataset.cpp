// TensorDataset, TensorExample (an Example without a target) and Stack<TensorExample>, as LibTorch's.
#include <vector>

#include "check.hpp"

using doctest::Contains;
using tg::data::TensorExample;
using tg::data::datasets::TensorDataset;

TEST_CASE("TensorDataset: a tensor's rows as examples without targets, stacked into batches") {
  const tg::Tensor rows = tg::arange(15, tg::kFloat).reshape({5, 3});
  TensorDataset dataset(rows);
  CHECK(dataset.size() == 5);
  const TensorExample second = dataset.get(1);
  CHECK(second.data.equal(tg::tensor({3.0f, 4.0f, 5.0f})));
  const tg::Tensor& as_tensor = second;  // converts, as LibTorch's
  CHECK(as_tensor.is_same(second.data));
  CHECK_THROWS_WITH_AS(dataset.get(5), Contains("TensorDataset: index 5 is out of range for a dataset of 5 rows (5, 3)"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(TensorDataset(tg::tensor(1.0f)), Contains("TensorDataset: expected a tensor of at least 1 dim"),
                       tg::Error);

  // From a list of tensors, stacked.
  TensorDataset stacked(std::vector<tg::Tensor>{tg::zeros({2, 2}), tg::ones({2, 2})});
  CHECK(stacked.tensor.shape() == tg::Shape{2, 2, 2});
  CHECK(stacked.get(1).data.equal(tg::ones({2, 2})));

  // Through a data loader, in order, with a transform of the data and the last partial batch.
  auto batches = TensorDataset(rows)
                     .map(tg::data::transforms::TensorLambda<tg::data::example::NoTarget>(
                         [](tg::Tensor x) { return x * 2.0; }))
                     .map(tg::data::transforms::Stack<TensorExample>());
  auto loader = tg::data::make_data_loader<tg::data::samplers::SequentialSampler>(std::move(batches), 2);
  std::vector<tg::Tensor> seen;
  for (auto& batch : *loader) seen.push_back(batch.data);
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].equal(rows.narrow(0, 0, 2) * 2.0));
  CHECK(seen[1].equal(rows.narrow(0, 2, 2) * 2.0));
  CHECK(seen[2].equal(rows.narrow(0, 4, 1) * 2.0));
}
