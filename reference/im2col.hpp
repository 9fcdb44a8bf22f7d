// im2col / col2im: the explicit patch matrix that turns a convolution into one GEMM. A reference
// for the manual conv2d gradient (reference/manual_backward.hpp), written for clarity, not speed.
//
// im2col lays every receptive field of one image out as a column:
//   out (O, OH*OW) = weight (O, C*kh*kw) · cols (C*kh*kw, OH*OW)
// Row (c, i, j) of cols holds, for every output position, the input pixel under kernel tap (i, j) of
// channel c (zero where that tap falls on the padding). col2im is its transpose: it scatter-ADDS
// each column back onto the pixels it was read from, which is how a convolution's input gradient is
// formed. The tape's conv2d reads the same matrix in place instead (kernels/conv2d.hpp).
#pragma once

#include <tapegrad/kernels/conv2d_geometry.hpp>

namespace tg::manual {

using kernels::Conv2dGeometry;

// image (C, H, W) -> cols (C*kh*kw, OH*OW); every element of cols is written.
template <class T>
void im2col(const T* image, const Conv2dGeometry& g, T* cols);

// cols (C*kh*kw, OH*OW) is added into image (C, H, W); padding taps are dropped. Zero image first
// for a plain transpose of im2col.
template <class T>
void col2im(const T* cols, const Conv2dGeometry& g, T* image);

}  // namespace tg::manual
