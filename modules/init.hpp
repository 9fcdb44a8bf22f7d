// tg::nn::init: PyTorch's weight initialisers (torch.nn.init), in place on a Tensor's (or a Variable's) value.
// Every draw comes from tg::generator(), so tg::manual_seed(s) makes an initialisation repeat exactly.
// Each function returns the variable it filled (a handle to the same state), as LibTorch does:
//
//   tg::nn::init::kaiming_normal_(conv->weight, 0.0, tg::kFanOut, tg::kReLU);
//   tg::nn::init::zeros_(conv->bias);
//
// Fans (calculate_fan_in_and_fan_out): a Linear weight (out, in) has fan_in = in, fan_out = out; a
// conv weight (O, C, kh, kw) has fan_in = C·kh·kw and fan_out = O·kh·kw. A tensor with no element is
// left as it is, as in PyTorch.
#pragma once

#include <cstddef>
#include <utility>
#include <variant>

#include <tapegrad/core/enum.hpp>
#include <tapegrad/core/tensor.hpp>
#include <tapegrad/core/variable.hpp>

namespace tg::nn::init {

// LibTorch's types of these arguments: a tag of core/enum.hpp each (tg::kReLU, tg::kFanOut).
using NonlinearityType =
    std::variant<enumtype::kLinear, enumtype::kConv1D, enumtype::kConv2D, enumtype::kConv3D, enumtype::kConvTranspose1D,
                 enumtype::kConvTranspose2D, enumtype::kConvTranspose3D, enumtype::kSigmoid, enumtype::kTanh,
                 enumtype::kReLU, enumtype::kLeakyReLU>;
using FanModeType = std::variant<enumtype::kFanIn, enumtype::kFanOut>;

// PyTorch's table: 1 for kLinear, the convolutions and kSigmoid; 5/3 for kTanh; sqrt(2) for kReLU;
// sqrt(2 / (1 + param²)) for kLeakyReLU, where param is the negative slope (ignored otherwise).
double calculate_gain(NonlinearityType nonlinearity, double param = 0.01);

// (fan_in, fan_out) of a weight of rank >= 2; throws for rank < 2.
std::pair<std::size_t, std::size_t> calculate_fan_in_and_fan_out(const Shape& shape);

// He et al. (2015): N(0, std²) or U(-bound, bound) with std = gain / sqrt(fan), bound = sqrt(3)·std,
// gain = calculate_gain(nonlinearity, a). The defaults are PyTorch's.
template <class T>
Variable<T> kaiming_normal_(Variable<T>& v, double a = 0.0, FanModeType mode = kFanIn,
                            NonlinearityType nonlinearity = kLeakyReLU);
template <class T>
Variable<T> kaiming_uniform_(Variable<T>& v, double a = 0.0, FanModeType mode = kFanIn,
                             NonlinearityType nonlinearity = kLeakyReLU);

// Glorot & Bengio (2010): std = gain·sqrt(2 / (fan_in + fan_out)), bound = sqrt(3)·std.
template <class T> Variable<T> xavier_normal_(Variable<T>& v, double gain = 1.0);
template <class T> Variable<T> xavier_uniform_(Variable<T>& v, double gain = 1.0);

template <class T> Variable<T> constant_(Variable<T>& v, double value);
template <class T> Variable<T> zeros_(Variable<T>& v);
template <class T> Variable<T> ones_(Variable<T>& v);
// The identity matrix (2-D only).
template <class T> Variable<T> eye_(Variable<T>& v);
// Saxe et al. (2013): a (semi-)orthogonal matrix times gain, drawn uniformly (orthonormalised
// Gaussian columns), the dims after the first flattened: rows (or columns, whichever are fewer) are
// orthonormal. Rank >= 2.
template <class T> Variable<T> orthogonal_(Variable<T>& v, double gain = 1.0);
template <class T> Variable<T> normal_(Variable<T>& v, double mean = 0.0, double std = 1.0);
template <class T> Variable<T> uniform_(Variable<T>& v, double low = 0.0, double high = 1.0);  // U[low, high)

// The same on a Float or Double tensor, as LibTorch spells them (the tensor's own values are written).
Tensor kaiming_normal_(Tensor t, double a = 0.0, FanModeType mode = kFanIn,
                       NonlinearityType nonlinearity = kLeakyReLU);
Tensor kaiming_uniform_(Tensor t, double a = 0.0, FanModeType mode = kFanIn,
                        NonlinearityType nonlinearity = kLeakyReLU);
Tensor xavier_normal_(Tensor t, double gain = 1.0);
Tensor xavier_uniform_(Tensor t, double gain = 1.0);
Tensor constant_(Tensor t, double value);
Tensor zeros_(Tensor t);
Tensor ones_(Tensor t);
Tensor eye_(Tensor t);
Tensor orthogonal_(Tensor t, double gain = 1.0);
Tensor normal_(Tensor t, double mean = 0.0, double std = 1.0);
Tensor uniform_(Tensor t, double low = 0.0, double high = 1.0);

}  // namespace tg::nn::init
