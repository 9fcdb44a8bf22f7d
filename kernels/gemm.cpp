#include <tapegrad/kernels/gemm.hpp>

#include <algorithm>

#include <tapegrad/kernels/conv2d_tiles.hpp>
#include <tapegrad/kernels/transpose.hpp>

namespace tg::kernels::TG_SIMD_ARCH {

namespace {

// C's columns [0, columns) from the (k, ld) panel b of whole vectors (columns past `columns` are
// zero padding): tiles of R rows of C by V vectors, each row a broadcast of op(A) (tile_product:
// row i of op(A) starts at a + row[i], step p reads at + step[p]), then alpha·acc + beta·C stored.
template <class T>
void gemm_panel(std::size_t m, std::size_t columns, std::size_t k, T alpha, const T* a, const std::size_t* row,
                const std::size_t* step, const T* b, std::size_t ld, T beta, T* c, std::size_t ldc) {
  for_each_channel_block<T>(padded_channels<T>(columns), [&](std::size_t j0, auto vectors) {
    constexpr std::size_t V = decltype(vectors)::value;
    for_each_tile<V>(m, [&](std::size_t i0, auto rows, std::size_t rows_in) {
      constexpr std::size_t R = decltype(rows)::value;
      const T* src[R];
      tile_sources(a, row, i0, m, src);
      Vec<T> acc[R][V];
      zero(acc);
      tile_product(src, step, k, b + j0, ld, acc);
      // (A loop over all R rows, not to a run-time bound: acc then stays in registers.)
      for (std::size_t r = 0; r < R; ++r) {
        if (r >= rows_in) continue;
        T* const dst = c + (i0 + r) * ldc + j0;
        for (std::size_t v = 0; v < V; ++v) {
          const std::size_t j = j0 + v * kLanes<T>;
          if (j >= columns) break;
          T* const out = dst + v * kLanes<T>;
          if (columns - j >= kLanes<T>) {
            const Vec<T> y = beta == T(0) ? acc[r][v] * alpha : acc[r][v] * alpha + Vec<T>::load_unaligned(out) * beta;
            y.store_unaligned(out);
          } else {  // the ragged last columns
            alignas(64) T y[kLanes<T>];
            (acc[r][v] * alpha).store_aligned(y);
            for (std::size_t q = 0; q < columns - j; ++q) out[q] = beta == T(0) ? y[q] : y[q] + beta * out[q];
          }
        }
      }
    });
  });
}

// The dot-product form, for A (m, k) times B (n, k) transposed, where both run along k: tiles of
// R rows of A by C rows of B, each of the R·C sums a vector of partial sums along k, added up at
// the end. For the MNIST MLP's forward (k = 784) packing B into whole vectors of its n columns
// instead (a transpose, as OpenBLAS does) cost more than the product itself.
constexpr std::size_t kDotMinVectors = 16;
#ifdef __AVX512F__
constexpr std::size_t kDotRows = 4, kDotColumns = 5;  // 20 accumulators of 32 registers
#else
constexpr std::size_t kDotRows = 3, kDotColumns = 3;  // 9 accumulators of 16 registers
#endif

template <class T>
void gemm_dot(std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a, std::size_t lda, const T* b,
              std::size_t ldb, T beta, T* c, std::size_t ldc) {
  constexpr std::size_t R = kDotRows, C = kDotColumns;
  const std::size_t whole = k / kLanes<T> * kLanes<T>;
  // A tile past the last row or column recomputes the last ones and does not store them.
  for (std::size_t i0 = 0; i0 < m; i0 += R)
    for (std::size_t j0 = 0; j0 < n; j0 += C) {
      const T* arow[R];
      const T* brow[C];
      for (std::size_t r = 0; r < R; ++r) arow[r] = a + std::min(i0 + r, m - 1) * lda;
      for (std::size_t q = 0; q < C; ++q) brow[q] = b + std::min(j0 + q, n - 1) * ldb;
      Vec<T> acc[R][C];
      zero(acc);
      for (std::size_t p = 0; p < whole; p += kLanes<T>) {
        Vec<T> bv[C];
        for (std::size_t q = 0; q < C; ++q) bv[q] = Vec<T>::load_unaligned(brow[q] + p);
        for (std::size_t r = 0; r < R; ++r) {
          const Vec<T> av = Vec<T>::load_unaligned(arow[r] + p);
          for (std::size_t q = 0; q < C; ++q) acc[r][q] = xsimd::fma(av, bv[q], acc[r][q]);
        }
      }
      for (std::size_t r = 0; r < R && i0 + r < m; ++r)
        for (std::size_t q = 0; q < C && j0 + q < n; ++q) {
          T sum = xsimd::hadd(acc[r][q]);
          for (std::size_t p = whole; p < k; ++p) sum += arow[r][p] * brow[q][p];
          T& out = c[(i0 + r) * ldc + j0 + q];
          out = beta == T(0) ? alpha * sum : alpha * sum + beta * out;
        }
    }
}

}  // namespace

template <class T>
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  if (m == 0 || n == 0) return;
  if (k == 0) {  // C = beta·C; an empty B has no storage to point into
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < n; ++j) c[i * ldc + j] = beta == T(0) ? T(0) : beta * c[i * ldc + j];
    return;
  }
  // Dot products along k pay from about 16 vectors on (64x50 and 64x256 products, k from 32 to 512:
  // docs/performance.md, Own GEMM); below, the sums at the end cost more than packing B.
  if (trans_b && !trans_a && k >= kDotMinVectors * kLanes<T>)
    return gemm_dot(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  Scratch<std::size_t> row(m), step(k);  // from the buffer cache: no malloc per product
  for (std::size_t i = 0; i < m; ++i) row[i] = trans_a ? i : i * lda;
  for (std::size_t p = 0; p < k; ++p) step[p] = trans_a ? p * lda : p;
  // B's columns read in place: whole vectors of an untransposed B. The rest are packed into a panel
  // padded with zeros to whole vectors: all of a transposed B (k too short for the dot products, or
  // Aᵀ·Bᵀ), else the ragged last columns.
  const std::size_t in_place = trans_b ? 0 : n / kLanes<T> * kLanes<T>, rest = n - in_place;
  if (in_place)
    gemm_panel(m, in_place, k, alpha, a, row.data(), step.data(), b, ldb, beta, c, ldc);
  if (rest == 0) return;
  const std::size_t ld = padded_channels<T>(rest);
  Scratch<T> panel(k * ld, T(0));
  if (trans_b)
    transpose(b, n, k, ldb, panel.data(), ld);
  else
    for (std::size_t p = 0; p < k; ++p) std::copy_n(b + p * ldb + in_place, rest, panel.data() + p * ld);
  gemm_panel(m, rest, k, alpha, a, row.data(), step.data(), panel.data(), ld, beta, c + in_place, ldc);
}

template void gemm(bool, bool, std::size_t, std::size_t, std::size_t, float, const float*, std::size_t,
                   const float*, std::size_t, float, float*, std::size_t);
template void gemm(bool, bool, std::size_t, std::size_t, std::size_t, double, const double*, std::size_t,
                   const double*, std::size_t, double, double*, std::size_t);

}  // namespace tg::kernels::TG_SIMD_ARCH
