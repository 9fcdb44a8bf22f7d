// The umbrella header: all of tapegrad. Include a part's header instead to compile less.
#pragma once

#include <tapegrad/core/allocator.hpp>
#include <tapegrad/core/anomaly_mode.hpp>
#include <tapegrad/core/checked_cast.hpp>
#include <tapegrad/core/device.hpp>
#include <tapegrad/core/dispatch.hpp>
#include <tapegrad/core/factories.hpp>
#include <tapegrad/core/files.hpp>
#include <tapegrad/core/grad_mode.hpp>
#include <tapegrad/core/gradcheck.hpp>
#include <tapegrad/core/graph_dot.hpp>
#include <tapegrad/core/int_array_ref.hpp>
#include <tapegrad/core/random.hpp>
#include <tapegrad/core/scalar.hpp>
#include <tapegrad/core/scalar_type.hpp>
#include <tapegrad/core/tape.hpp>
#include <tapegrad/core/tensor.hpp>
#include <tapegrad/core/tensor_options.hpp>
#include <tapegrad/core/array.hpp>
#include <tapegrad/core/thread_pool.hpp>
#include <tapegrad/core/threads.hpp>
#include <tapegrad/core/variable.hpp>

#include <tapegrad/ops/activations.hpp>
#include <tapegrad/ops/allclose.hpp>
#include <tapegrad/ops/arithmetic.hpp>
#include <tapegrad/ops/avg_pool.hpp>
#include <tapegrad/ops/batch_norm.hpp>
#include <tapegrad/ops/concat.hpp>
#include <tapegrad/ops/conv2d.hpp>
#include <tapegrad/ops/conv_transpose2d.hpp>
#include <tapegrad/ops/dropout.hpp>
#include <tapegrad/ops/einsum.hpp>
#include <tapegrad/ops/embedding.hpp>
#include <tapegrad/ops/functional.hpp>
#include <tapegrad/ops/gelu.hpp>
#include <tapegrad/ops/layer_norm.hpp>
#include <tapegrad/ops/linear.hpp>
#include <tapegrad/ops/loss.hpp>
#include <tapegrad/ops/matmul.hpp>
#include <tapegrad/ops/one_hot.hpp>
#include <tapegrad/ops/pool.hpp>
#include <tapegrad/ops/reduce.hpp>
#include <tapegrad/ops/shape.hpp>
#include <tapegrad/ops/softmax.hpp>
#include <tapegrad/ops/tensor_ops.hpp>
#include <tapegrad/ops/unary.hpp>
#include <tapegrad/ops/where.hpp>

#include <tapegrad/modules/activation.hpp>
#include <tapegrad/modules/avg_pool2d.hpp>
#include <tapegrad/modules/batch_norm.hpp>
#include <tapegrad/modules/checkpoint.hpp>
#include <tapegrad/modules/clip_grad.hpp>
#include <tapegrad/modules/conv2d.hpp>
#include <tapegrad/modules/conv_transpose2d.hpp>
#include <tapegrad/modules/data_parallel.hpp>
#include <tapegrad/modules/dropout.hpp>
#include <tapegrad/modules/embedding.hpp>
#include <tapegrad/modules/flatten.hpp>
#include <tapegrad/modules/init.hpp>
#include <tapegrad/modules/layer_norm.hpp>
#include <tapegrad/modules/linear.hpp>
#include <tapegrad/modules/loss.hpp>
#include <tapegrad/modules/max_pool2d.hpp>
#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/npz.hpp>
#include <tapegrad/modules/module_list.hpp>
#include <tapegrad/modules/sequential.hpp>
#include <tapegrad/modules/size2.hpp>

#include <tapegrad/optim/adagrad.hpp>
#include <tapegrad/optim/adam.hpp>
#include <tapegrad/optim/adamw.hpp>
#include <tapegrad/optim/cosine_annealing_lr.hpp>
#include <tapegrad/optim/exponential_lr.hpp>
#include <tapegrad/optim/lr_scheduler.hpp>
#include <tapegrad/optim/multi_step_lr.hpp>
#include <tapegrad/optim/one_cycle_lr.hpp>
#include <tapegrad/optim/optimizer.hpp>
#include <tapegrad/optim/reduce_lr_on_plateau.hpp>
#include <tapegrad/optim/rmsprop.hpp>
#include <tapegrad/optim/serialize.hpp>
#include <tapegrad/optim/sgd.hpp>
#include <tapegrad/optim/step_lr.hpp>

#include <tapegrad/data/dataloader.hpp>
#include <tapegrad/data/dataset.hpp>
#include <tapegrad/data/distributed_sampler.hpp>
#include <tapegrad/data/idx.hpp>
#include <tapegrad/data/mnist.hpp>

#ifdef TAPEGRAD_HAS_DISTRIBUTED  // built when CMake found MPI
#include <tapegrad/distributed/distributed_data_parallel.hpp>
#include <tapegrad/distributed/process_group.hpp>
#endif
