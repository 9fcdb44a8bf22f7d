// Every loss against LibTorch 1.13 on the inputs of tests/fixtures/losses.txt
// (scripts/fixtures_losses.py): values and input gradients, float32 and float64, every reduction.
#include "check.hpp"
#include "text_fixtures.hpp"

using tg::Array;
using tg::Labels;
using tg::Reduction;
using tg::Variable;

namespace {

const char* const kReductions[] = {"none", "mean", "sum"};

Reduction reduction_of(const tgtest::TextFixture& fx, const std::string& name) {
  const std::int64_t r = fx.labels(name + ".reduction").data()[0];
  return r == 0 ? Reduction::None : r == 1 ? Reduction::Mean : Reduction::Sum;
}

double scalar(const tgtest::TextFixture& fx, const std::string& name) { return fx.array<double>(name).data()[0]; }

// The loss y from LibTorch's inputs; then its backward from LibTorch's output gradient gy, and
// every gradient LibTorch recorded.
template <class T, class Loss>
void check_case(const tgtest::TextFixture& fx, const std::string& name, Variable<T> input, Variable<T> target, Loss loss) {
  CAPTURE(name);
  Variable<T> y = loss(input, target);
  CHECK_AGREES(y.value(), fx.array<T>(name + ".y"));
  y.backward(fx.array<T>(name + ".gy"));
  CHECK_AGREES(input.grad(), fx.array<T>(name + ".grad.input"));
  if (target.defined()) CHECK_AGREES(target.grad(), fx.array<T>(name + ".grad.target"));
}

template <class T>
std::string suffix() {
  return std::is_same_v<T, float> ? ".f4" : ".f8";
}

}  // namespace

TEST_CASE_TEMPLATE("nll_loss and cross_entropy agree with LibTorch: weight, ignore_index, label_smoothing, (N, C, d)",
                   T, float, double) {
  const tgtest::TextFixture fx("losses");
  for (const std::string variant : {"plain", "weight", "ignore", "ignore_default", "weight_ignore", "spatial"}) {
    const bool weighted = variant == "weight" || variant == "weight_ignore" || variant == "spatial";
    for (const std::string loss : {"nll", "ce", "ce_smooth"}) {
      for (const char* r : kReductions) {
        // the file's names: nll_<variant>_<r>, ce_<variant>_<r>, ce_<variant>_smooth_<r>
        const std::string key = loss == "ce_smooth" ? "ce_" + variant + "_smooth_" + r + suffix<T>()
                                                    : loss + "_" + variant + "_" + r + suffix<T>();
        const Labels target = fx.labels(key + ".target");
        const Variable<T> weight = weighted ? Variable<T>(fx.array<T>(key + ".weight")) : Variable<T>();
        const Reduction reduction = reduction_of(fx, key);
        const std::int64_t ignore = fx.labels(key + ".ignore_index").data()[0];
        Variable<T> input(fx.array<T>(key + ".input"), true);
        if (loss == "nll") {
          check_case<T>(fx, key, input, Variable<T>(), [&](const Variable<T>& x, const Variable<T>&) {
            return tg::nll_loss(tg::log_softmax(x, 1), target, weight, reduction, ignore);
          });
        } else {
          const double smoothing = scalar(fx, key + ".label_smoothing");
          check_case<T>(fx, key, input, Variable<T>(), [&](const Variable<T>& x, const Variable<T>&) {
            return tg::cross_entropy(x, target, weight, reduction, ignore, smoothing);
          });
        }
      }
    }
  }
}

TEST_CASE_TEMPLATE("binary_cross_entropy and binary_cross_entropy_with_logits agree with LibTorch: weight, pos_weight",
                   T, float, double) {
  const tgtest::TextFixture fx("losses");
  for (const char* r : kReductions) {
    for (const std::string variant : {"plain", "weight"}) {
      const std::string name = "bce_" + variant + "_" + r + suffix<T>();
      const Variable<T> weight = variant == "weight" ? Variable<T>(fx.array<T>(name + ".weight")) : Variable<T>();
      check_case<T>(fx, name, Variable<T>(fx.array<T>(name + ".input"), true),
                    Variable<T>(fx.array<T>(name + ".target"), true), [&](const Variable<T>& x, const Variable<T>& y) {
                      return tg::binary_cross_entropy(x, y, weight, reduction_of(fx, name));
                    });
    }
    for (const std::string variant : {"plain", "weight", "pos_weight", "both"}) {
      const std::string name = "bcelogits_" + variant + "_" + r + suffix<T>();
      const bool weighted = variant == "weight" || variant == "both", positive = variant == "pos_weight" || variant == "both";
      const Variable<T> weight = weighted ? Variable<T>(fx.array<T>(name + ".weight")) : Variable<T>();
      const Variable<T> pos_weight = positive ? Variable<T>(fx.array<T>(name + ".pos_weight")) : Variable<T>();
      check_case<T>(fx, name, Variable<T>(fx.array<T>(name + ".input"), true),
                    Variable<T>(fx.array<T>(name + ".target"), true), [&](const Variable<T>& x, const Variable<T>& y) {
                      return tg::binary_cross_entropy_with_logits(x, y, weight, pos_weight, reduction_of(fx, name));
                    });
    }
  }
}

TEST_CASE_TEMPLATE("l1_loss, mse_loss, smooth_l1_loss, huber_loss agree with LibTorch", T, float, double) {
  const tgtest::TextFixture fx("losses");
  for (const char* r : kReductions) {
    auto run = [&](const std::string& name, auto loss) {
      check_case<T>(fx, name, Variable<T>(fx.array<T>(name + ".input"), true),
                    Variable<T>(fx.array<T>(name + ".target"), true), loss);
    };
    const std::string l1 = std::string("l1_") + r + suffix<T>(), mse = std::string("mse_") + r + suffix<T>();
    run(l1, [&](const Variable<T>& x, const Variable<T>& y) { return tg::l1_loss(x, y, reduction_of(fx, l1)); });
    run(mse, [&](const Variable<T>& x, const Variable<T>& y) { return tg::mse_loss(x, y, reduction_of(fx, mse)); });
    for (const std::string beta : {"1", "0.5", "0"}) {
      const std::string name = "smooth_l1_beta" + beta + "_" + r + suffix<T>();
      run(name, [&](const Variable<T>& x, const Variable<T>& y) {
        return tg::smooth_l1_loss(x, y, reduction_of(fx, name), scalar(fx, name + ".beta"));
      });
    }
    for (const std::string delta : {"1", "0.5"}) {
      const std::string name = "huber_delta" + delta + "_" + r + suffix<T>();
      run(name, [&](const Variable<T>& x, const Variable<T>& y) {
        return tg::huber_loss(x, y, reduction_of(fx, name), scalar(fx, name + ".delta"));
      });
    }
  }
}
