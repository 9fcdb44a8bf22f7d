// Optimizer state to and from .npz: a resumed run ends bit-identical to an uninterrupted one, and a
// file that does not fit the optimizer is rejected whole.
#include "check.hpp"

#include <cstdio>
#include <filesystem>

namespace optim = tg::optim;
using tg::Array;
using tg::Variable;

namespace {

using MakeOptimizer = std::function<std::unique_ptr<optim::Optimizer>(std::vector<tg::Tensor>)>;

struct Data {
  Variable<float> x, y;
};

Data data() {
  tg::manual_seed(7);
  return {Variable<float>(tg::randn<float>({8, 4})), Variable<float>(tg::randn<float>({8, 2}))};
}

void train(tg::nn::LinearImpl& net, optim::Optimizer& opt, const Data& d, int steps) {
  for (int i = 0; i < steps; ++i) {
    opt.zero_grad();
    tg::mse_loss(net.forward(d.x), d.y).backward();
    opt.step();
  }
}

std::string temp_path(const std::string& name) { return (std::filesystem::temp_directory_path() / name).string(); }

void check_resume(const std::string& name, const MakeOptimizer& make) {
  CAPTURE(name);
  const Data d = data();
  tg::manual_seed(1);
  tg::nn::LinearImpl whole(4, 2);
  auto whole_opt = make(whole.parameters());
  train(whole, *whole_opt, d, 6);

  tg::manual_seed(1);
  tg::nn::LinearImpl first(4, 2);
  auto first_opt = make(first.parameters());
  train(first, *first_opt, d, 3);
  const std::string net_path = temp_path("tg_resume_" + name + "_net.npz"),
                    opt_path = temp_path("tg_resume_" + name + "_opt.npz");
  tg::nn::save(first, net_path);
  tg::save(*first_opt, opt_path);

  tg::manual_seed(2);  // other initial weights: the load must replace them
  tg::nn::LinearImpl resumed(4, 2);
  auto resumed_opt = make(resumed.parameters());
  tg::nn::load(resumed, net_path);
  tg::load(*resumed_opt, opt_path);
  train(resumed, *resumed_opt, d, 3);

  const auto a = whole.named_parameters(), b = resumed.named_parameters();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    CHECK_MESSAGE(a[i].second.value<float>() == b[i].second.value<float>(), name, ": ", a[i].first, " differs after resuming");
  std::remove(net_path.c_str());
  std::remove(opt_path.c_str());
}

}  // namespace

TEST_CASE("optim save/load: a run resumed from model and optimizer checkpoints ends bit-identical") {
  using V = std::vector<tg::Tensor>;
  check_resume("sgd", [](V p) { return std::make_unique<optim::SGD>(p, optim::SGDOptions(0.1).momentum(0.9)); });
  check_resume("adam", [](V p) { return std::make_unique<optim::Adam>(p, optim::AdamOptions(0.05).amsgrad(true)); });
  check_resume("adamw", [](V p) { return std::make_unique<optim::AdamW>(p, optim::AdamWOptions(0.05)); });
  check_resume("rmsprop", [](V p) {
    return std::make_unique<optim::RMSprop>(p, optim::RMSpropOptions(0.01).momentum(0.5).centered(true));
  });
  check_resume("adagrad", [](V p) {
    return std::make_unique<optim::Adagrad>(p, optim::AdagradOptions(0.1).initial_accumulator_value(0.1));
  });
}

TEST_CASE("optim save: the entries mirror PyTorch's state_dict, in dtypes numpy reads") {
  auto a = Variable<float>(Array<float>{1.f, 2.f}, true), b = Variable<float>(Array<float>{{3.f, 4.f}}, true);
  std::vector<optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<tg::Tensor>{a});
  groups.emplace_back(std::vector<tg::Tensor>{b}, std::make_unique<optim::AdamOptions>(0.5));
  optim::Adam opt(groups, optim::AdamOptions(0.1));
  a.backward(Array<float>{1.f, 1.f});
  opt.step();  // only a has state
  const std::string path = temp_path("tg_optim_entries.npz");
  tg::save(opt, path);
  const auto entries = tg::npz::read(path);
  std::vector<std::string> names;
  for (const auto& e : entries) names.push_back(e.first + " " + e.second.descr + " " + tg::shape_str(e.second.shape));
  const std::vector<std::string> expected = {
      "__tapegrad_format__ <i4 ()",       "optimizer |S4 ()",
      "param_groups.0.amsgrad |b1 ()",    "param_groups.0.betas <f8 (2,)",
      "param_groups.0.eps <f8 ()",        "param_groups.0.lr <f8 ()",
      "param_groups.0.params <i8 (1,)",   "param_groups.0.weight_decay <f8 ()",
      "param_groups.1.amsgrad |b1 ()",    "param_groups.1.betas <f8 (2,)",
      "param_groups.1.eps <f8 ()",        "param_groups.1.lr <f8 ()",
      "param_groups.1.params <i8 (1,)",   "param_groups.1.weight_decay <f8 ()",
      "state.0.exp_avg <f4 (2,)",         "state.0.exp_avg_sq <f4 (2,)",
      "state.0.step <i8 ()"};
  CHECK(names == expected);
  CHECK(entries.at("optimizer").bytes == "Adam");
  std::remove(path.c_str());
}

TEST_CASE("optim load: a file that does not fit is rejected whole, naming the problems, and changes nothing") {
  auto a = Variable<float>(Array<float>{1.f, 2.f}, true);
  optim::Adam saved({a}, optim::AdamOptions(0.1));
  a.backward(Array<float>{1.f, 1.f});
  saved.step();
  const std::string path = temp_path("tg_optim_mismatch.npz");
  tg::save(saved, path);

  auto fresh = [] { return Variable<float>(Array<float>{0.f, 0.f}, true); };
  SUBCASE("another optimizer") {
    optim::SGD sgd({fresh()}, optim::SGDOptions(0.3));
    CHECK_THROWS_WITH_AS(tg::load(sgd, path), doctest::Contains("holds the state of Adam, not of SGD"), tg::Error);
  }
  SUBCASE("another parameter shape: nothing changes") {
    auto other = Variable<float>(Array<float>{0.f, 0.f, 0.f}, true);
    optim::Adam adam({other}, optim::AdamOptions(0.3));
    CHECK_THROWS_WITH_AS(tg::load(adam, path),
                         doctest::Contains("entry 'state.0.exp_avg' is <f4 of shape (2,), expected <f4 of shape (3,)"),
                         tg::Error);
    CHECK(adam.lr() == 0.3);
    CHECK(adam.state().empty());
  }
  SUBCASE("another number of parameters or groups") {
    optim::Adam two({fresh(), fresh()});
    CHECK_THROWS_WITH_AS(tg::load(two, path), doctest::Contains("entry 'param_groups.0.params'"), tg::Error);
    std::vector<optim::OptimizerParamGroup> groups = {optim::OptimizerParamGroup({fresh()}),
                                                      optim::OptimizerParamGroup({fresh()})};
    optim::Adam grouped(groups);
    CHECK_THROWS_WITH_AS(tg::load(grouped, path), doctest::Contains("holds 1 parameter groups, the optimizer has 2"),
                         tg::Error);
  }
  SUBCASE("an option the optimizer rejects, a missing or an extra entry") {
    auto entries = tg::npz::read(path);
    auto write = [&](std::map<std::string, tg::npz::NpyArray> e) {
      tg::npz::write(path, std::vector<std::pair<std::string, tg::npz::NpyArray>>(e.begin(), e.end()));
    };
    optim::Adam adam({fresh()}, optim::AdamOptions(0.3));
    auto bad = entries;
    bad["param_groups.0.lr"] = tg::npz::scalar(-1.0);
    write(bad);
    CHECK_THROWS_WITH_AS(tg::load(adam, path), doctest::Contains("parameter group 0: Adam: invalid learning rate"),
                         tg::Error);
    bad = entries;
    bad.erase("state.0.exp_avg_sq");
    bad["state.0.something"] = tg::npz::scalar(1.0);
    write(bad);
    CHECK_THROWS_WITH_AS(tg::load(adam, path), doctest::Contains("missing entry 'state.0.exp_avg_sq'"), tg::Error);
    CHECK_THROWS_WITH_AS(tg::load(adam, path), doctest::Contains("unexpected entry 'state.0.something'"), tg::Error);
    CHECK(adam.lr() == 0.3);
    write(entries);
    tg::load(adam, path);
    CHECK(adam.lr() == 0.1);
    CHECK(adam.state().size() == 1);
  }
  SUBCASE("a model checkpoint, or no file") {
    optim::Adam adam({fresh()});
    tg::nn::LinearImpl net(2, 1);
    tg::nn::save(net, path);
    CHECK_THROWS_WITH_AS(tg::load(adam, path), doctest::Contains("not an optimizer checkpoint"), tg::Error);
    CHECK_THROWS_WITH_AS(tg::load(adam, path + ".missing"), doctest::Contains("cannot open"), tg::Error);
  }
  std::remove(path.c_str());
}

TEST_CASE("npz: arrays of any dtype round-trip, names are unique") {
  const std::string path = temp_path("tg_npz_roundtrip.npz");
  tg::npz::write(path, {{"d", tg::npz::array(Array<double>{{1.5, -2.0}})},
                        {"i", tg::npz::scalar(std::int64_t(-7))},
                        {"b", tg::npz::scalar(true)},
                        {"s", tg::npz::bytes_string("abc")}});
  const auto e = tg::npz::read(path);
  CHECK(e.at("d").descr == "<f8");
  CHECK(e.at("d").shape == tg::Shape{1, 2});
  double d[2];
  std::memcpy(d, e.at("d").bytes.data(), sizeof d);
  CHECK(d[1] == -2.0);
  CHECK(e.at("i").descr == "<i8");
  CHECK(e.at("b").bytes == std::string(1, '\1'));
  CHECK(e.at("s").descr == "|S3");
  CHECK_THROWS_WITH_AS(tg::npz::write(path, {{"x", tg::npz::scalar(1.0)}, {"x", tg::npz::scalar(2.0)}}),
                       doctest::Contains("entry 'x' appears twice"), tg::Error);
  std::remove(path.c_str());
}
