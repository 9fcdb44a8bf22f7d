// A LibTorch user's GAN, written against tapegrad: the DCGAN on MNIST of pytorch/examples (cpp/dcgan),
// its generator and discriminator and settings, in LibTorch's idioms — a TG_MODULE holder of
// ConvTranspose2d and BatchNorm2d layers, a Sequential discriminator with LeakyReLU(LeakyReLUOptions)
// and Sigmoid, Adam with betas, binary_cross_entropy against labels drawn with uniform_, and
// checkpoints with tg::save. Each step trains the discriminator on the generator's output detached,
// then the generator through the discriminator: the tape keeps the generator's graph, which the
// discriminator's backward did not reach, for the second backward (core/tape.hpp).
//   build/examples/libtorch_dcgan --epochs 1 --checkpoint generator.npz
// reads $TAPEGRAD_DATA_DIR/mnist (scripts/setup.sh puts MNIST there).
#include <boost/program_options.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include <tapegrad/tapegrad.hpp>

#include "cli.hpp"

namespace po = boost::program_options;

namespace {

constexpr std::int64_t kNoiseSize = 100;

struct Config {
  unsigned epochs, batches, batch_size, log_every, threads;
  std::string checkpoint;
};

std::optional<Config> parse(int argc, char** argv) {
  Config c;
  po::options_description opts(
      "libtorch_dcgan: upstream LibTorch's DCGAN on MNIST (Adam lr 2e-4, betas 0.5, 0.5), written with\n"
      "tapegrad's LibTorch-style API\n\nOptions");
  opts.add_options()
    ("help,h", "print this help and exit")
    ("epochs", po::value(&c.epochs)->default_value(1), "training epochs (upstream: 30)")
    ("batches", po::value(&c.batches)->default_value(0), "stop after N batches in all (0: run every epoch whole)")
    ("batch-size", po::value(&c.batch_size)->default_value(64), "images a batch")
    ("log-every", po::value(&c.log_every)->default_value(10), "print the losses every N batches")
    ("checkpoint", po::value(&c.checkpoint)->default_value(""),
     "save the generator here (.npz) at the end of every epoch and when stopping")
    ("threads", po::value(&c.threads)->default_value(0), "tg::set_num_threads (0: leave the default)");
  if (!examples::parse_options(opts, argc, argv)) return std::nullopt;
  if (c.epochs == 0) throw po::error("--epochs must be >= 1");
  if (c.batch_size == 0) throw po::error("--batch-size must be >= 1");
  if (c.log_every == 0) throw po::error("--log-every must be >= 1");
  examples::check_output("--checkpoint", c.checkpoint);
  return c;
}

// Noise (N, 100, 1, 1) -> 4x4 -> 7x7 -> 14x14 -> 28x28 images in [-1, 1].
struct GeneratorImpl : tg::nn::Module {
  explicit GeneratorImpl(std::int64_t noise_size)
      : up1(tg::nn::ConvTranspose2dOptions(noise_size, 256, 4).bias(false)),
        up2(tg::nn::ConvTranspose2dOptions(256, 128, 3).stride(2).padding(1).bias(false)),
        up3(tg::nn::ConvTranspose2dOptions(128, 64, 4).stride(2).padding(1).bias(false)),
        to_image(tg::nn::ConvTranspose2dOptions(64, 1, 4).stride(2).padding(1).bias(false)),
        norm1(256),
        norm2(128),
        norm3(64) {
    register_module("up1", up1);
    register_module("up2", up2);
    register_module("up3", up3);
    register_module("to_image", to_image);
    register_module("norm1", norm1);
    register_module("norm2", norm2);
    register_module("norm3", norm3);
  }

  tg::Tensor forward(tg::Tensor z) {
    z = tg::relu(norm1(up1(z)));
    z = tg::relu(norm2(up2(z)));
    z = tg::relu(norm3(up3(z)));
    return tg::tanh(to_image(z));
  }

  tg::nn::ConvTranspose2d up1, up2, up3, to_image;
  tg::nn::BatchNorm2d norm1, norm2, norm3;
};
TG_MODULE(Generator);

// 28x28 images -> 14x14 -> 7x7 -> 3x3 -> the probability that the image is real, (N, 1, 1, 1).
tg::nn::Sequential make_discriminator() {
  namespace nn = tg::nn;
  const auto leaky = nn::LeakyReLUOptions().negative_slope(0.2);
  return nn::Sequential(nn::Conv2d(nn::Conv2dOptions(1, 64, 4).stride(2).padding(1).bias(false)), nn::LeakyReLU(leaky),
                        nn::Conv2d(nn::Conv2dOptions(64, 128, 4).stride(2).padding(1).bias(false)),
                        nn::BatchNorm2d(128), nn::LeakyReLU(leaky),
                        nn::Conv2d(nn::Conv2dOptions(128, 256, 4).stride(2).padding(1).bias(false)),
                        nn::BatchNorm2d(256), nn::LeakyReLU(leaky),
                        nn::Conv2d(nn::Conv2dOptions(256, 1, 3).stride(1).padding(0).bias(false)), nn::Sigmoid());
}

double checked(const tg::Tensor& loss, const char* what) {
  const double v = loss.item<double>();
  if (!std::isfinite(v)) throw examples::ExitError(3, std::string(what) + " became " + std::to_string(v));
  return v;
}

int run(const Config& c) {
  if (c.threads > 0) tg::set_num_threads(static_cast<int>(c.threads));
  tg::manual_seed(1);
  namespace data = tg::data;

  Generator generator(kNoiseSize);
  tg::nn::Sequential discriminator = make_discriminator();

  auto dataset = data::datasets::MNIST(data::mnist_dir())
                     .map(data::transforms::Normalize<>(0.5, 0.5))  // to [-1, 1], the generator's range
                     .map(data::transforms::Stack<>());
  const std::size_t per_epoch = (dataset.size().value() + c.batch_size - 1) / c.batch_size;
  auto loader = data::make_data_loader(std::move(dataset), data::DataLoaderOptions().batch_size(c.batch_size).workers(2));

  tg::optim::Adam generator_optimizer(generator->parameters(),
                                      tg::optim::AdamOptions(2e-4).betas(std::make_tuple(0.5, 0.5)));
  tg::optim::Adam discriminator_optimizer(discriminator->parameters(),
                                          tg::optim::AdamOptions(2e-4).betas(std::make_tuple(0.5, 0.5)));

  unsigned done = 0;
  double d_loss = 0, g_loss = 0;
  for (unsigned epoch = 1; epoch <= c.epochs && (c.batches == 0 || done < c.batches); ++epoch) {
    std::size_t index = 0;
    for (const auto& batch : *loader) {
      const std::int64_t n = batch.data.size(0);
      // The discriminator: real images against labels near 1, generated ones (detached) against 0.
      discriminator->zero_grad();
      const tg::Tensor real_labels = tg::empty(n).uniform_(0.8, 1.0);
      const tg::Tensor d_real =
          tg::binary_cross_entropy(discriminator->forward(batch.data).reshape(real_labels.sizes()), real_labels);
      d_real.backward();
      const tg::Tensor fake_images = generator->forward(tg::randn({n, kNoiseSize, 1, 1}));
      tg::Tensor fake_labels = tg::zeros(n);
      const tg::Tensor d_fake = tg::binary_cross_entropy(
          discriminator->forward(fake_images.detach()).reshape(fake_labels.sizes()), fake_labels);
      d_fake.backward();
      discriminator_optimizer.step();

      // The generator, through the discriminator: its images should pass for real.
      generator->zero_grad();
      fake_labels.fill_(1);
      const tg::Tensor g = tg::binary_cross_entropy(
          discriminator->forward(fake_images).reshape(fake_labels.sizes()), fake_labels);
      g.backward();
      generator_optimizer.step();

      d_loss = checked(d_real, "the discriminator's loss") + checked(d_fake, "the discriminator's loss");
      g_loss = checked(g, "the generator's loss");
      ++index;
      ++done;
      if (index % c.log_every == 0)
        std::printf("[%u/%u][%zu/%zu] D_loss: %.4f | G_loss: %.4f\n", epoch, c.epochs, index, per_epoch, d_loss, g_loss);
      if (c.batches != 0 && done == c.batches) break;
    }
    if (!c.checkpoint.empty()) tg::save(generator, c.checkpoint);
  }
  std::printf("Training complete: %u batches, last D_loss %.4f, G_loss %.4f\n", done, d_loss, g_loss);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return examples::run_main<Config>("libtorch_dcgan", argc, argv, parse, run); }
