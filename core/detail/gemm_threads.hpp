// Internal: how many of the user's threads a GEMM gets (core/threads.cpp), asked by the BLAS wrapper
// (core/blas.cpp) before each product.
#pragma once

namespace tg::detail {

// Sets OpenBLAS's pool to the requested thread count for a product of this many multiply-adds, or to
// one thread for a product too small to gain from a second.
void use_threads_for_gemm(double multiply_adds);

}  // namespace tg::detail
