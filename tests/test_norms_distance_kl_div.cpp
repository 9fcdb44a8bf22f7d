// GroupNorm, InstanceNorm1d/2d/3d, cosine_similarity, pairwise_distance and kl_div, functions and modules:
// LibTorch's values and gradients, running statistics, float64 gradchecks, printing, parameter names
// and errors.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "check.hpp"
#include "text_fixtures.hpp"

using tg::Tensor;
using tgtest::contains;
using tgtest::error_of;
using tgtest::printed;
using TV = std::vector<Tensor>;
namespace F = tg::nn::functional;

namespace {

// An input of a fixture case: the array it is read from and the name its gradient is stored under.
struct NormsInput {
  std::string array, grad;
};

// fn(inputs) against the fixture's <name>.y, and the inputs' gradients for <name>.gy against
// <name>.grad.<grad>, in float64.
void norms_check_libtorch(const tgtest::TextFixture& fx, const std::string& name, const std::vector<NormsInput>& inputs,
                          const std::function<Tensor(const TV&)>& fn) {
  CAPTURE(name);
  TV leaves;
  for (const NormsInput& in : inputs) leaves.push_back(Tensor(fx.array<double>(in.array), true));
  const Tensor y = fn(leaves);
  CHECK_AGREES(y.value<double>(), fx.array<double>(name + ".y"));
  y.backward(Tensor(fx.array<double>(name + ".gy")));
  for (std::size_t i = 0; i < inputs.size(); ++i)
    CHECK_AGREES(leaves[i].grad().value<double>(), fx.array<double>(name + ".grad." + inputs[i].grad));
}

void norms_gradcheck(const std::function<Tensor(const TV&)>& fn, const TV& inputs) {
  const auto r = tg::autograd::gradcheck(fn, inputs);
  CHECK_MESSAGE(r.ok, r.message);
}

Tensor norms_f32(const tgtest::TextFixture& fx, const std::string& name) { return Tensor(fx.array<float>(name)); }

// A parameter set to LibTorch's values, as a user would load them.
void norms_set(Tensor& parameter, const Tensor& value) {
  tg::NoGradGuard no_grad;
  parameter.copy_(value);
}

}  // namespace

TEST_CASE("F::group_norm agrees with LibTorch with and without affine weights, and gradchecks") {
  const tgtest::TextFixture fx("norms_distance_kl_div");
  norms_check_libtorch(fx, "group_norm_affine", {{"x", "x"}, {"weight", "w"}, {"bias", "b"}}, [](const TV& in) {
    return F::group_norm(in[0], F::GroupNormFuncOptions(3).weight(in[1]).bias(in[2]));
  });
  norms_check_libtorch(fx, "group_norm_plain", {{"x4", "x4"}},
                       [](const TV& in) { return F::group_norm(in[0], F::GroupNormFuncOptions(2).eps(1e-3)); });
  norms_gradcheck([](const TV& in) { return F::group_norm(in[0], F::GroupNormFuncOptions(2).weight(in[1]).bias(in[2])); },
                  {tgtest::rand_var({2, 4, 3}, 1), tgtest::rand_var({4}, 2), tgtest::rand_var({4}, 3)});
}

TEST_CASE("GroupNorm: LibTorch's values, parameters, printing and errors") {
  const tgtest::TextFixture fx("norms_distance_kl_div");
  tg::nn::GroupNorm gn(tg::nn::GroupNormOptions(2, 4));
  CHECK(gn->named_parameters().keys() == std::vector<std::string>{"weight", "bias"});
  CHECK(gn->buffers().empty());
  CHECK(gn->weight.value<float>() == xt::ones<float>({4}));
  CHECK(printed(*gn) == "GroupNorm(2, 4, eps=1e-05, affine=true)");
  norms_set(gn->weight, norms_f32(fx, "module_GroupNorm.weight"));
  norms_set(gn->bias, norms_f32(fx, "module_GroupNorm.bias"));
  CHECK_AGREES(gn(norms_f32(fx, "module.x")).value<float>(), fx.array<float>("module_GroupNorm.y"));
  tg::nn::GroupNorm plain(tg::nn::GroupNormOptions(3, 6).eps(1e-3).affine(false));
  CHECK(plain->parameters().empty());
  CHECK(printed(*plain) == "GroupNorm(3, 6, eps=0.001, affine=false)");
  CHECK(contains(error_of([] { tg::nn::GroupNorm(tg::nn::GroupNormOptions(4, 6)); }),
                 "GroupNorm: num_channels must be a positive multiple of num_groups, got num_groups=4 and num_channels=6"));
  const Tensor x = tg::zeros({2, 6, 3});
  CHECK(contains(error_of([&] { F::group_norm(x, F::GroupNormFuncOptions(4)); }),
                 "group_norm: expected the channels of the input to be divisible by num_groups, got input shape (2, 6, 3) "
                 "and num_groups=4"));
  CHECK(contains(error_of([&] { F::group_norm(x, F::GroupNormFuncOptions(3).weight(tg::ones({4}))); }),
                 "group_norm: expected weight of shape (6,) for input shape (2, 6, 3), got (4,)"));
  CHECK(contains(error_of([] { F::group_norm(tg::zeros({6}), F::GroupNormFuncOptions(3)); }),
                 "group_norm: expected an input (N, C, *) of at least 2 dims, got (6,)"));
}

TEST_CASE("F::instance_norm agrees with LibTorch in training (running statistics updated) and evaluation") {
  const tgtest::TextFixture fx("norms_distance_kl_div");
  Tensor rm(fx.array<double>("running_mean")), rv(fx.array<double>("running_var"));
  norms_check_libtorch(fx, "instance_norm_train", {{"x", "x"}, {"weight", "w"}, {"bias", "b"}}, [&](const TV& in) {
    return F::instance_norm(
        in[0], F::InstanceNormFuncOptions().running_mean(rm).running_var(rv).weight(in[1]).bias(in[2]).momentum(0.2));
  });
  CHECK_AGREES(rm.value<double>(), fx.array<double>("instance_norm_train.running_mean_after"));
  CHECK_AGREES(rv.value<double>(), fx.array<double>("instance_norm_train.running_var_after"));
  norms_check_libtorch(fx, "instance_norm_eval", {{"x", "x"}, {"weight", "w"}, {"bias", "b"}}, [&](const TV& in) {
    return F::instance_norm(in[0], F::InstanceNormFuncOptions()
                                       .running_mean(Tensor(fx.array<double>("running_mean")))
                                       .running_var(Tensor(fx.array<double>("running_var")))
                                       .weight(in[1])
                                       .bias(in[2])
                                       .use_input_stats(false)
                                       .eps(1e-3));
  });
  norms_gradcheck([](const TV& in) { return F::instance_norm(in[0], F::InstanceNormFuncOptions().weight(in[1])); },
                  {tgtest::rand_var({2, 3, 2, 2}, 4), tgtest::rand_var({3}, 5)});
  const Tensor x = tg::zeros({2, 3, 4});
  CHECK(contains(error_of([&] { F::instance_norm(x, F::InstanceNormFuncOptions().use_input_stats(false)); }),
                 "instance_norm: expected running_mean and running_var to be defined when use_input_stats is false"));
  CHECK(contains(error_of([&] { F::instance_norm(tg::zeros({2, 3, 1})); }),
                 "instance_norm: expected more than 1 spatial element when using input statistics, got input shape "
                 "(2, 3, 1)"));
  CHECK(contains(error_of([&] { F::instance_norm(x, F::InstanceNormFuncOptions().running_mean(tg::zeros({4}))); }),
                 "instance_norm: expected running_mean of shape (3,) for input shape (2, 3, 4), got (4,)"));
  CHECK(contains(error_of([&] { F::instance_norm(x, F::InstanceNormFuncOptions().weight(tg::ones({2}))); }),
                 "instance_norm: group_norm: expected weight of shape (3,) for input shape (2, 3, 4), got (2,)"));
}

TEST_CASE("InstanceNorm2d and InstanceNorm1d: LibTorch's values, running statistics, buffers, printing and errors") {
  const tgtest::TextFixture fx("norms_distance_kl_div");
  tg::nn::InstanceNorm2d norm(tg::nn::InstanceNorm2dOptions(4).affine(true).track_running_stats(true));
  CHECK(norm->named_parameters().keys() == std::vector<std::string>{"weight", "bias"});
  CHECK(norm->named_buffers().keys() == std::vector<std::string>{"running_mean", "running_var", "num_batches_tracked"});
  CHECK(printed(*norm) == "InstanceNorm2d(4, eps=1e-05, momentum=0.1, affine=true, track_running_stats=true)");
  norms_set(norm->weight, norms_f32(fx, "module_InstanceNorm2d.weight"));
  norms_set(norm->bias, norms_f32(fx, "module_InstanceNorm2d.bias"));
  const Tensor x = norms_f32(fx, "module.x");
  for (int step = 0; step < 2; ++step)
    CHECK_AGREES(norm(x * double(step + 1)).value<float>(), fx.array<float>("module_InstanceNorm2d.y" + std::to_string(step)));
  CHECK_AGREES(norm->running_mean.value<float>(), fx.array<float>("module_InstanceNorm2d.running_mean"));
  CHECK_AGREES(norm->running_var.value<float>(), fx.array<float>("module_InstanceNorm2d.running_var"));
  CHECK(norm->num_batches_tracked.item<std::int64_t>() == 0);
  norm->eval();
  CHECK_AGREES(norm(x).value<float>(), fx.array<float>("module_InstanceNorm2d.y_eval"));
  // An unbatched (C, H, W) input is a batch of one.
  const tg::Array<float> second = xt::view(fx.array<float>("module_InstanceNorm2d.y_eval"), 1);
  CHECK_AGREES(norm(x[1]).value<float>(), second);

  tg::nn::InstanceNorm1d plain(3);
  CHECK(plain->parameters().empty());
  CHECK(plain->buffers().empty());
  CHECK(printed(*plain) == "InstanceNorm1d(3, eps=1e-05, momentum=0.1, affine=false, track_running_stats=false)");
  CHECK_AGREES(plain(norms_f32(fx, "module_InstanceNorm1d.x")).value<float>(), fx.array<float>("module_InstanceNorm1d.y"));
  CHECK(contains(error_of([&] { plain(tg::zeros({2, 3, 4, 5})); }),
                 "InstanceNorm1d: expected 2D or 3D input (got 4D input (2, 3, 4, 5))"));
}

TEST_CASE("InstanceNorm3d: LibTorch's values, gradients and running statistics, unbatched input, errors") {
  const tgtest::TextFixture fx("glu_threshold_rrelu_instance_norm3d");
  tg::nn::InstanceNorm3d norm(tg::nn::InstanceNorm3dOptions(3).affine(true).track_running_stats(true).momentum(0.2));
  CHECK(printed(*norm) == "InstanceNorm3d(3, eps=1e-05, momentum=0.2, affine=true, track_running_stats=true)");
  norm->to(tg::kDouble);
  norms_set(norm->weight, Tensor(fx.array<double>("norm3d.weight")));
  norms_set(norm->bias, Tensor(fx.array<double>("norm3d.bias")));
  Tensor x(fx.array<double>("norm3d.x"), true);
  const Tensor y = norm(x);
  CHECK_AGREES(y.value<double>(), fx.array<double>("norm3d_train.y"));
  y.backward(Tensor(fx.array<double>("norm3d_train.gy")));
  CHECK_AGREES(x.grad().value<double>(), fx.array<double>("norm3d_train.grad.x"));
  CHECK_AGREES(norm->weight.grad().value<double>(), fx.array<double>("norm3d_train.grad.weight"));
  CHECK_AGREES(norm->bias.grad().value<double>(), fx.array<double>("norm3d_train.grad.bias"));
  CHECK_AGREES(norm->running_mean.value<double>(), fx.array<double>("norm3d_train.running_mean"));
  CHECK_AGREES(norm->running_var.value<double>(), fx.array<double>("norm3d_train.running_var"));
  norm->eval();
  norms_check_libtorch(fx, "norm3d_eval", {{"norm3d.x", "x"}}, [&](const TV& in) { return norm(in[0]); });

  tg::nn::InstanceNorm3d plain(3);
  norms_check_libtorch(fx, "norm3d_unbatched", {{"norm3d_unbatched.x", "x"}}, [&](const TV& in) { return plain(in[0]); });
  norms_gradcheck([&](const TV& in) { return plain(in[0]); }, {tgtest::rand_var({2, 3, 2, 2, 3}, 54)});
  CHECK(contains(error_of([&] { plain(tg::zeros({3, 4, 5})); }),
                 "InstanceNorm3d: expected 4D or 5D input (got 3D input (3, 4, 5))"));
  CHECK(contains(error_of([&] { plain(tg::zeros({1, 2, 3, 4, 5, 6})); }),
                 "InstanceNorm3d: expected 4D or 5D input (got 6D input (1, 2, 3, 4, 5, 6))"));
}

TEST_CASE("F::cosine_similarity and F::pairwise_distance agree with LibTorch, broadcast and gradcheck") {
  const tgtest::TextFixture fx("norms_distance_kl_div");
  norms_check_libtorch(fx, "cosine_dim1", {{"a", "a"}, {"c", "c"}},
                       [](const TV& in) { return F::cosine_similarity(in[0], in[1]); });
  norms_check_libtorch(fx, "cosine_broadcast", {{"a3", "a3"}, {"c", "c"}}, [](const TV& in) {
    return F::cosine_similarity(in[0], in[1], F::CosineSimilarityFuncOptions().dim(-1));
  });
  // Vectors shorter than eps: each norm is held at eps, as 1.13 does.
  const Tensor tiny(fx.array<double>("tiny"));
  CHECK_AGREES(F::cosine_similarity(tiny, tiny * 0.5, F::CosineSimilarityFuncOptions().eps(1e-3)).value<double>(),
               fx.array<double>("cosine_tiny.y"));
  norms_check_libtorch(fx, "pairwise_p2", {{"a", "a"}, {"c", "c"}},
                       [](const TV& in) { return F::pairwise_distance(in[0], in[1]); });
  norms_check_libtorch(fx, "pairwise_p1_keepdim_broadcast", {{"a", "a"}, {"c1", "c1"}}, [](const TV& in) {
    return F::pairwise_distance(in[0], in[1], F::PairwiseDistanceFuncOptions().p(1).eps(1e-3).keepdim(true));
  });
  const TV pair = {tgtest::rand_var({3, 4}, 6), tgtest::rand_var({3, 4}, 7)};
  norms_gradcheck([](const TV& in) { return F::cosine_similarity(in[0], in[1], F::CosineSimilarityFuncOptions().dim(0)); },
                  pair);
  norms_gradcheck([](const TV& in) { return F::pairwise_distance(in[0], in[1], F::PairwiseDistanceFuncOptions().p(3)); },
                  pair);
  CHECK(contains(error_of([] { F::cosine_similarity(tg::zeros({2, 3}), tg::zeros({2, 3}), F::CosineSimilarityFuncOptions().dim(2)); }),
                 "cosine_similarity: dim 2 is out of range for inputs of shapes (2, 3) and (2, 3)"));
  CHECK(contains(error_of([] { F::cosine_similarity(tg::zeros({2, 3}), tg::zeros({2, 4})); }), "(2, 3)"));
  CHECK(contains(error_of([] { F::pairwise_distance(tg::zeros({}), tg::zeros({})); }),
                 "pairwise_distance: expected inputs of at least 1 dim"));
  CHECK(contains(error_of([] { F::pairwise_distance(tg::zeros({2, 3}), tg::zeros({2, 4})); }), "pairwise_distance: "));
}

TEST_CASE("CosineSimilarity and PairwiseDistance modules: the functions, LibTorch's printing") {
  const tgtest::TextFixture fx("norms_distance_kl_div");
  const Tensor a(fx.array<double>("a")), c(fx.array<double>("c"));
  tg::nn::CosineSimilarity cos;
  CHECK_AGREES(cos(a, c).value<double>(), fx.array<double>("cosine_dim1.y"));
  CHECK(printed(*cos) == "CosineSimilarity(dim=1, eps=1e-08)");
  CHECK(printed(*tg::nn::CosineSimilarity(tg::nn::CosineSimilarityOptions().dim(0).eps(1e-6))) ==
        "CosineSimilarity(dim=0, eps=1e-06)");
  tg::nn::PairwiseDistance dist;
  CHECK_AGREES(dist(a, c).value<double>(), fx.array<double>("pairwise_p2.y"));
  CHECK(printed(*dist) == "PairwiseDistance(p=2, eps=1e-06, keepdim=false)");
  CHECK(printed(*tg::nn::PairwiseDistance(tg::nn::PairwiseDistanceOptions().p(1).keepdim(true))) ==
        "PairwiseDistance(p=1, eps=1e-06, keepdim=true)");
}

TEST_CASE("F::kl_div and KLDivLoss agree with LibTorch for every reduction, kBatchMean and log_target included") {
  const tgtest::TextFixture fx("norms_distance_kl_div");
  const std::pair<std::string, F::KLDivFuncOptions> cases[] = {
      {"kl_div_none", F::KLDivFuncOptions(tg::kNone)},
      {"kl_div_mean", F::KLDivFuncOptions()},
      {"kl_div_sum", F::KLDivFuncOptions().reduction(tg::kSum)},
      {"kl_div_batchmean", F::KLDivFuncOptions().reduction(tg::kBatchMean)}};
  for (const auto& [name, options] : cases) {
    const F::KLDivFuncOptions o = options;  // clang: a lambda cannot capture a structured binding
    norms_check_libtorch(fx, name, {{"logp", "logp"}, {"q", "q"}},
                         [&](const TV& in) { return F::kl_div(in[0], in[1], o); });
    norms_gradcheck([&](const TV& in) { return F::kl_div(in[0], in[1], o); },
                    {tgtest::rand_var({2, 3}, 8), tgtest::rand_var({2, 3}, 9, 0.1, 1)});
  }
  const F::KLDivFuncOptions log_target = F::KLDivFuncOptions(tg::kBatchMean).log_target(true);
  norms_check_libtorch(fx, "kl_div_log_target", {{"logp", "logp"}, {"logq", "logq"}},
                       [&](const TV& in) { return F::kl_div(in[0], in[1], log_target); });
  norms_gradcheck([&](const TV& in) { return F::kl_div(in[0], in[1], log_target); },
                  {tgtest::rand_var({2, 3}, 10), tgtest::rand_var({2, 3}, 11)});
  // A zero target contributes 0 and leaves the gradients finite.
  const auto f64 = tg::TensorOptions().dtype(tg::kDouble).requires_grad(true);
  const Tensor input = tg::full({2}, -1.0, f64);
  const Tensor target = tg::tensor(std::vector<double>{0.0, 1.0}, f64);
  const Tensor loss = F::kl_div(input, target, F::KLDivFuncOptions(tg::kSum));
  CHECK(loss.item<double>() == doctest::Approx(1.0));
  loss.backward();
  CHECK(target.grad().isnan().any().item<bool>() == false);

  tg::nn::KLDivLoss criterion{tg::nn::KLDivLossOptions(tg::kBatchMean)};
  const Tensor logp(fx.array<double>("logp")), q(fx.array<double>("q"));
  CHECK_AGREES(criterion(logp, q).value<double>(), fx.array<double>("kl_div_batchmean.y"));
  CHECK(std::holds_alternative<tg::enumtype::kBatchMean>(criterion->options().reduction()));
  CHECK(printed(*criterion) == "KLDivLoss(reduction=batchmean)");
  CHECK(printed(*tg::nn::KLDivLoss()) == "KLDivLoss()");
  CHECK(printed(*tg::nn::KLDivLoss(tg::nn::KLDivLossOptions(tg::kSum).log_target(true))) ==
        "KLDivLoss(reduction=sum, log_target=true)");
  CHECK(contains(error_of([] { F::kl_div(tg::zeros({2, 3}), tg::zeros({2, 4})); }), "kl_div: "));
}
