// tg::nn::functional: the neural-network ops under the names LibTorch users reach for
// (namespace F = tg::nn::functional; F::relu(x), F::cross_entropy(logits, y)). They are the same
// functions as tg::relu, tg::cross_entropy, ...: one implementation, two spellings, each for
// Variable<T> and for Tensor. embedding is F's own (indices first, as LibTorch's F::embedding;
// tg::embedding takes the weight first, as torch::embedding). The activations with options (elu,
// softplus, ..., and the option forms of relu and softmax) are in ops/activation_options.hpp.
#pragma once

#include <tapegrad/ops/activation_options.hpp>
#include <tapegrad/ops/activations.hpp>
#include <tapegrad/ops/avg_pool.hpp>
#include <tapegrad/ops/batch_norm.hpp>
#include <tapegrad/ops/conv2d.hpp>
#include <tapegrad/ops/conv_transpose2d.hpp>
#include <tapegrad/ops/distance.hpp>
#include <tapegrad/ops/dropout.hpp>
#include <tapegrad/ops/elementwise_activations.hpp>
#include <tapegrad/ops/embedding.hpp>
#include <tapegrad/ops/gelu.hpp>
#include <tapegrad/ops/group_norm.hpp>
#include <tapegrad/ops/instance_norm.hpp>
#include <tapegrad/ops/interpolate.hpp>
#include <tapegrad/ops/layer_norm.hpp>
#include <tapegrad/ops/linear.hpp>
#include <tapegrad/ops/loss.hpp>
#include <tapegrad/ops/loss_options.hpp>
#include <tapegrad/ops/normalize.hpp>
#include <tapegrad/ops/one_hot.hpp>
#include <tapegrad/ops/pad.hpp>
#include <tapegrad/ops/pool.hpp>
#include <tapegrad/ops/prelu.hpp>
#include <tapegrad/ops/shape.hpp>
#include <tapegrad/ops/softmax.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn::functional {

using tg::adaptive_avg_pool2d;
using tg::avg_pool1d;
using tg::avg_pool2d;
using tg::batch_norm;
using tg::binary_cross_entropy;
using tg::binary_cross_entropy_with_logits;
using tg::conv1d;
using tg::conv2d;
using tg::conv_transpose2d;
using tg::cross_entropy;
using tg::dropout;
using tg::dropout2d;
using tg::flatten;
using tg::gelu;
using tg::hardsigmoid;
using tg::hardswish;
using tg::layer_norm;
using tg::huber_loss;
using tg::l1_loss;
using tg::leaky_relu;
using tg::linear;
using tg::log_softmax;
using tg::logsumexp;
using tg::max_pool1d;
using tg::max_pool2d;
using tg::mish;
using tg::mse_loss;
using tg::nll_loss;
using tg::one_hot;
using tg::prelu;
using tg::relu;
using tg::sigmoid;
using tg::silu;
using tg::smooth_l1_loss;
using tg::softmax;
using tg::softsign;
using tg::tanh;
using tg::tanhshrink;
using tg::Reduction;

}  // namespace tg::nn::functional
