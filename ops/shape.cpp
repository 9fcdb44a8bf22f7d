#include <tapegrad/ops/shape.hpp>

#include <algorithm>
#include <numeric>
#include <string>

#include <xtensor/xbroadcast.hpp>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/ops/detail/index_check.hpp>

namespace tg {
namespace {

// A tensor seen around one dim as (outer, size, inner): narrow and index_select move contiguous runs
// of `inner` elements, so this is all the index arithmetic they need.
struct Slabs {
  std::size_t outer, size, inner;
};

Slabs slabs(const Shape& shape, std::size_t dim, const char* op) {
  return {checked_numel(shape.begin(), shape.begin() + dim, op), shape[dim],
          checked_numel(shape.begin() + dim + 1, shape.end(), op)};
}

// ---- reshape ----

Shape resolve_shape(const Shape& from, const std::vector<std::ptrdiff_t>& to, const char* op) {
  const std::size_t numel = checked_numel(from, op);
  Shape out(to.size());
  std::size_t inferred = to.size();
  auto fail = [&](const std::string& why) {
    return Error(std::string(op) + ": cannot reshape a tensor of shape " + shape_str(from) + " (" +
                 std::to_string(numel) + " elements) into " + shape_str(to) + ": " + why);
  };
  for (std::size_t k = 0; k < to.size(); ++k) {
    if (to[k] == -1) {
      if (inferred != to.size()) throw fail("only one dim may be -1");
      inferred = k;
    } else if (to[k] < 0) {
      throw fail("expected dims >= 0, or -1 for one inferred dim");
    } else {
      out[k] = static_cast<std::size_t>(to[k]);
    }
  }
  if (inferred != to.size()) out[inferred] = 1;  // while the known dims are counted
  const std::size_t known = checked_numel(out, op);
  if (inferred != to.size()) {
    if (known == 0 || numel % known != 0) throw fail("the -1 dim cannot be inferred (no whole size fits)");
    out[inferred] = numel / known;
  } else if (known != numel) {
    throw fail("expected the same number of elements");
  }
  return out;
}

template <class T>
Variable<T> record_reshape(const Variable<T>& x, Shape shape, const char* op) {
  Array<T> out = x.value();
  out.reshape(shape);
  return record<T>(op, std::move(out), {x}, [in_shape = x.shape()](Array<T>& g, Grads<T>& grads) {
    g.reshape(in_shape);
    grads.add(0, std::move(g));
  });
}

// ---- permute ----

// The contiguous copy of `src` with its dims reordered: result dim k is src dim perm[k].
template <class T>
Array<T> permuted(const Array<T>& src, const std::vector<std::size_t>& perm) {
  const Shape in_shape = to_shape(src.shape());
  const std::size_t rank = perm.size();
  Shape out_shape(rank), in_stride(rank);
  for (std::size_t k = 0, stride = 1; k < rank; ++k) {
    out_shape[k] = in_shape[perm[k]];
    in_stride[rank - 1 - k] = stride;
    stride *= in_shape[rank - 1 - k];
  }
  Array<T> out = Array<T>::from_shape(out_shape);
  if (out.size() == 0) return out;
  // Trailing dims that stay in place are one contiguous block in both tensors: copy them whole.
  std::size_t moved = rank, block = 1;
  while (moved > 0 && perm[moved - 1] == moved - 1) block *= in_shape[--moved];
  const T* s = src.data();
  T* d = out.data();
  if (moved == 0) {
    std::copy_n(s, out.size(), d);
    return out;
  }
  // Walk the moved output dims in order; the innermost one strides through src, the rest by odometer.
  const std::size_t inner = out_shape[moved - 1], inner_stride = in_stride[perm[moved - 1]];
  std::vector<std::size_t> pos(moved - 1, 0);
  std::size_t offset = 0;
  for (std::size_t o = 0, outer = out.size() / (inner * block); o < outer; ++o) {
    if (block == 1) {
      for (std::size_t j = 0; j < inner; ++j) d[j] = s[offset + j * inner_stride];
    } else {
      for (std::size_t j = 0; j < inner; ++j) std::copy_n(s + offset + j * inner_stride, block, d + j * block);
    }
    d += inner * block;
    for (std::size_t k = moved - 1; k-- > 0;) {
      offset += in_stride[perm[k]];
      if (++pos[k] < out_shape[k]) break;
      offset -= pos[k] * in_stride[perm[k]];
      pos[k] = 0;
    }
  }
  return out;
}

// permute and transpose: one op, one gradient (the inverse permutation), two names.
template <class T>
Variable<T> record_permute(const Variable<T>& x, std::vector<std::size_t> perm, const char* op) {
  std::vector<std::size_t> inverse(perm.size());
  for (std::size_t k = 0; k < perm.size(); ++k) inverse[perm[k]] = k;
  return record<T>(op, permuted(x.value(), perm), {x}, [inverse = std::move(inverse)](Array<T>& g, Grads<T>& grads) {
    grads.add(0, permuted(g, inverse));
  });
}

// ---- gather ----

// Calls f(p, offset) for each element p of `index` (row-major): offset is the flat position in a
// tensor of `shape` that gather reads for it (index's coordinates, with the value at `dim`).
template <class F>
void for_each_gathered(const Shape& shape, std::size_t dim, const Indices& index, F&& f) {
  const std::size_t rank = shape.size();
  Shape stride(rank);
  for (std::size_t k = rank, s = 1; k-- > 0; s *= shape[k]) stride[k] = s;
  const auto& ishape = index.shape();
  const std::int64_t* iv = index.data();
  Shape pos(rank);
  std::size_t base = 0;  // offset of pos, leaving out the coordinate along dim
  const std::size_t count = index.size();
  for (std::size_t p = 0; p < count; ++p) {
    f(p, base + static_cast<std::size_t>(iv[p]) * stride[dim]);
    for (std::size_t k = rank; k-- > 0;) {
      const std::size_t step = k == dim ? 0 : stride[k];
      if (++pos[k] < ishape[k]) {
        base += step;
        break;
      }
      base -= (ishape[k] - 1) * step;
      pos[k] = 0;
    }
  }
}

// ---- expand ----

Shape expanded_shape(const Shape& from, const std::vector<std::ptrdiff_t>& sizes) {
  auto fail = [&](const std::string& why) {
    return Error("expand: cannot expand a tensor of shape " + shape_str(from) + " to " + shape_str(sizes) + ": " + why);
  };
  if (sizes.size() < from.size())
    throw fail("expected at least as many sizes as the tensor's " + std::to_string(from.size()) + " dims");
  const std::size_t lead = sizes.size() - from.size();
  Shape out(sizes.size());
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    const std::ptrdiff_t s = sizes[k];
    if (k < lead) {
      if (s < 0) throw fail("a new leading dim (dim " + std::to_string(k) + ") needs a size >= 0");
      out[k] = static_cast<std::size_t>(s);
      continue;
    }
    const std::size_t have = from[k - lead];
    if (s == -1) {
      out[k] = have;
    } else if (s < 0) {
      throw fail("expected sizes >= 0, or -1 to keep a dim");
    } else if (have == 1 || static_cast<std::size_t>(s) == have) {
      out[k] = static_cast<std::size_t>(s);
    } else {
      throw fail("dim " + std::to_string(k) + " has size " + std::to_string(have) + " (expected " +
                 std::to_string(have) + " or -1 there; only a dim of size 1 expands)");
    }
  }
  checked_numel(out, "expand");
  return out;
}

// ---- flip ----

// dst = src (of `shape`) reversed along the dims marked in `reversed`. Its own inverse, so flip's
// backward too. Rows along the last dim are copied whole, forwards or backwards.
template <class T>
void flip_into(const T* src, const Shape& shape, const std::vector<bool>& reversed, T* dst) {
  const std::size_t n = checked_numel(shape, "flip");
  if (n == 0) return;
  if (shape.empty()) {
    *dst = *src;
    return;
  }
  const std::size_t rank = shape.size(), last = shape.back();
  std::vector<std::size_t> stride(rank, 1);
  for (std::size_t d = rank - 1; d-- > 0;) stride[d] = stride[d + 1] * shape[d + 1];
  std::vector<std::size_t> pos(rank - 1, 0);  // the row's index in the leading dims
  for (std::size_t row = 0; row < n / last; ++row, dst += last) {
    std::size_t base = 0;
    for (std::size_t d = 0; d + 1 < rank; ++d) base += (reversed[d] ? shape[d] - 1 - pos[d] : pos[d]) * stride[d];
    if (reversed.back())
      std::reverse_copy(src + base, src + base + last, dst);
    else
      std::copy_n(src + base, last, dst);
    for (std::size_t d = rank - 1; d-- > 0;) {
      if (++pos[d] < shape[d]) break;
      pos[d] = 0;
    }
  }
}

}  // namespace

template <class T>
Variable<T> reshape(const Variable<T>& x, const std::vector<std::ptrdiff_t>& shape) {
  return record_reshape(x, resolve_shape(x.shape(), shape, "reshape"), "reshape");
}

template <class T>
Variable<T> view(const Variable<T>& x, const std::vector<std::ptrdiff_t>& shape) {
  return record_reshape(x, resolve_shape(x.shape(), shape, "view"), "view");
}

template <class T>
Variable<T> flatten(const Variable<T>& x, std::ptrdiff_t start_dim, std::ptrdiff_t end_dim) {
  const Shape& s = x.shape();
  if (s.empty()) {  // torch: a 0-d tensor flattens to (1,), with dims checked as if it had rank 1
    normalize_dim(start_dim, 1, "flatten");
    normalize_dim(end_dim, 1, "flatten");
    return record_reshape(x, Shape{1}, "flatten");
  }
  const std::size_t start = normalize_dim(start_dim, s.size(), "flatten");
  const std::size_t end = normalize_dim(end_dim, s.size(), "flatten");
  if (start > end)
    throw Error("flatten: start_dim " + std::to_string(start_dim) + " comes after end_dim " + std::to_string(end_dim) +
                " for a tensor of shape " + shape_str(s) + " (expected start_dim <= end_dim)");
  Shape out(s.begin(), s.begin() + start);
  out.push_back(checked_numel(s.begin() + start, s.begin() + end + 1, "flatten"));
  out.insert(out.end(), s.begin() + end + 1, s.end());
  return record_reshape(x, std::move(out), "flatten");
}

template <class T>
Variable<T> permute(const Variable<T>& x, const std::vector<std::ptrdiff_t>& dims) {
  const std::size_t rank = x.dim();
  auto fail = [&] {
    return Error("permute: dims " + shape_str(dims) + " are not a permutation of the " + std::to_string(rank) +
                 " dims of a tensor of shape " + shape_str(x.shape()) + " (expected each dim exactly once)");
  };
  if (dims.size() != rank) throw fail();
  std::vector<std::size_t> perm(rank);
  std::vector<bool> seen(rank, false);
  for (std::size_t k = 0; k < rank; ++k) {
    perm[k] = normalize_dim(dims[k], rank, "permute");
    if (seen[perm[k]]) throw fail();
    seen[perm[k]] = true;
  }
  return record_permute(x, std::move(perm), "permute");
}

template <class T>
Variable<T> transpose(const Variable<T>& x, std::ptrdiff_t dim0, std::ptrdiff_t dim1) {
  const std::size_t a = normalize_dim(dim0, x.dim(), "transpose");
  const std::size_t b = normalize_dim(dim1, x.dim(), "transpose");
  std::vector<std::size_t> perm(x.dim());
  std::iota(perm.begin(), perm.end(), std::size_t{0});
  std::swap(perm[a], perm[b]);
  return record_permute(x, std::move(perm), "transpose");
}

template <class T>
Variable<T> narrow(const Variable<T>& x, std::ptrdiff_t dim, std::ptrdiff_t start, std::ptrdiff_t length) {
  const std::size_t d = normalize_dim(dim, x.dim(), "narrow");
  const auto size = static_cast<std::ptrdiff_t>(x.shape()[d]);
  const std::ptrdiff_t first = start < 0 ? start + size : start;
  if (first < 0 || first > size || length < 0 || first + length > size)
    throw Error("narrow: start " + std::to_string(start) + " and length " + std::to_string(length) +
                " do not fit dim " + std::to_string(dim) + " of size " + std::to_string(size) + " in shape " +
                shape_str(x.shape()) + " (expected -size <= start <= size, length >= 0, start + length <= size)");
  const Slabs in = slabs(x.shape(), d, "narrow");
  const std::size_t offset = static_cast<std::size_t>(first) * in.inner;
  const std::size_t block = static_cast<std::size_t>(length) * in.inner;  // what one outer slab keeps
  Shape out_shape = x.shape();
  out_shape[d] = static_cast<std::size_t>(length);
  Array<T> out = Array<T>::from_shape(out_shape);
  const T* s = x.value().data();
  for (std::size_t o = 0; o < in.outer; ++o)
    std::copy_n(s + o * in.size * in.inner + offset, block, out.data() + o * block);
  return record<T>("narrow", std::move(out), {x}, [in, offset, block](Array<T>& g, Grads<T>& grads) {
    T* dx = grads.zeroed_buffer(0);
    const T* gp = g.data();
    for (std::size_t o = 0; o < in.outer; ++o) {
      T* dst = dx + o * in.size * in.inner + offset;
      for (std::size_t k = 0; k < block; ++k) dst[k] += gp[o * block + k];
    }
  });
}

template <class T>
Variable<T> expand(const Variable<T>& x, const std::vector<std::ptrdiff_t>& sizes) {
  Array<T> out = xt::broadcast(x.value(), expanded_shape(x.shape(), sizes));
  return record<T>("expand", std::move(out), {x}, [](Array<T>& g, Grads<T>& grads) { grads.add(0, std::move(g)); });
}

template <class T>
Variable<T> flip(const Variable<T>& x, const std::vector<std::ptrdiff_t>& dims) {
  const Shape& s = x.shape();
  std::vector<bool> reversed(std::max<std::size_t>(s.size(), 1), false);  // a 0-d tensor has dim 0, as torch's
  for (const std::ptrdiff_t dim : dims) {
    const std::size_t d = normalize_dim(dim, reversed.size(), "flip");
    if (reversed[d])
      throw Error("flip: dims " + shape_str(dims) + " name dim " + std::to_string(d) +
                  " more than once for a tensor of shape " + shape_str(s) + " (expected distinct dims)");
    reversed[d] = true;
  }
  Array<T> out = Array<T>::from_shape(s);
  flip_into(x.value().data(), s, reversed, out.data());
  return record<T>("flip", std::move(out), {x}, [s, reversed = std::move(reversed)](Array<T>& g, Grads<T>& grads) {
    Array<T> dx = Array<T>::from_shape(s);
    flip_into(g.data(), s, reversed, dx.data());
    grads.add(0, std::move(dx));
  });
}

template <class T>
Variable<T> repeat(const Variable<T>& x, const std::vector<std::ptrdiff_t>& sizes) {
  const Shape& s = x.shape();
  if (sizes.size() < s.size())
    throw Error("repeat: sizes " + shape_str(sizes) + " are fewer than the " + std::to_string(s.size()) +
                " dims of a tensor of shape " + shape_str(s) + " (expected at least one size per dim)");
  const std::size_t lead = sizes.size() - s.size();
  // x as (1, s0, 1, s1, ...) broadcast to (r0, s0, r1, s1, ...) is the tiling; a reshape to
  // (r0 * s0, r1 * s1, ...) lays the tiles out. The tape sums the gradient back over the r dims.
  Shape paired, tiled, out_shape;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    if (sizes[k] < 0)
      throw Error("repeat: sizes " + shape_str(sizes) + " hold a negative size for a tensor of shape " + shape_str(s) +
                  " (expected sizes >= 0)");
    const std::size_t have = k < lead ? 1 : s[k - lead], times = static_cast<std::size_t>(sizes[k]);
    paired.insert(paired.end(), {1, have});
    tiled.insert(tiled.end(), {times, have});
    out_shape.push_back(times * have);
  }
  checked_numel(tiled, "repeat");
  const Variable<T> xp = record_reshape(x, paired, "repeat");
  Array<T> out = xt::broadcast(xp.value(), tiled);
  out.reshape(out_shape);
  return record<T>("repeat", std::move(out), {xp}, [tiled = std::move(tiled)](Array<T>& g, Grads<T>& grads) {
    g.reshape(tiled);
    grads.add(0, std::move(g));
  });
}

template <class T>
Variable<T> index_select(const Variable<T>& x, std::ptrdiff_t dim, const Indices& index) {
  const std::size_t d = normalize_dim(dim, x.dim(), "index_select");
  if (index.dimension() != 1)
    throw Error("index_select: expected a 1-D index, got shape " + shape_str(index.shape()));
  detail::check_in_range("index_select", "index", index, x.shape()[d],
                         "dim " + std::to_string(dim) + " of size " + std::to_string(x.shape()[d]));
  const Slabs in = slabs(x.shape(), d, "index_select");
  std::vector<std::size_t> picks(index.begin(), index.end());
  Shape out_shape = x.shape();
  out_shape[d] = picks.size();
  checked_numel(out_shape, "index_select");
  Array<T> out = Array<T>::from_shape(out_shape);
  const T* s = x.value().data();
  T* dst = out.data();
  for (std::size_t o = 0; o < in.outer; ++o)
    for (std::size_t j : picks) dst = std::copy_n(s + (o * in.size + j) * in.inner, in.inner, dst);
  return record<T>("index_select", std::move(out), {x}, [in, picks = std::move(picks)](Array<T>& g, Grads<T>& grads) {
    T* dx = grads.zeroed_buffer(0);
    const T* src = g.data();
    for (std::size_t o = 0; o < in.outer; ++o)
      for (std::size_t j : picks) {  // repeated indices accumulate
        T* row = dx + (o * in.size + j) * in.inner;
        for (std::size_t k = 0; k < in.inner; ++k) row[k] += src[k];
        src += in.inner;
      }
  });
}

namespace {

// The dim gather reads (and scatter writes) along, after checking that index fits a tensor of shape s:
// the same rank, no dim larger than s's except along dim, every value in range.
std::size_t checked_gather_dim(const Shape& s, std::ptrdiff_t dim, const Indices& index, const char* op) {
  const std::size_t d = normalize_dim(dim, s.size(), op);
  bool fits = index.dimension() == s.size();
  for (std::size_t k = 0; fits && k < s.size(); ++k) fits = k == d || index.shape()[k] <= s[k];
  if (!fits)
    throw Error(std::string(op) + ": index of shape " + shape_str(index.shape()) + " does not fit input of shape " +
                shape_str(s) + " along dim " + std::to_string(dim) +
                " (expected the same rank, and index.size(k) <= input.size(k) for every k != dim)");
  detail::check_in_range(op, "index", index, s[d], "dim " + std::to_string(dim) + " of size " + std::to_string(s[d]));
  return d;
}

}  // namespace

template <class T>
Variable<T> gather(const Variable<T>& x, std::ptrdiff_t dim, const Indices& index) {
  const Shape& s = x.shape();
  const std::size_t d = checked_gather_dim(s, dim, index, "gather");
  checked_numel(index.shape(), "gather");
  Array<T> out = Array<T>::from_shape(index.shape());
  const T* xv = x.value().data();
  T* ov = out.data();
  for_each_gathered(s, d, index, [&](std::size_t p, std::size_t offset) { ov[p] = xv[offset]; });
  return record<T>("gather", std::move(out), {x}, [s, d, index = Indices(index)](Array<T>& g, Grads<T>& grads) {
    T* dx = grads.zeroed_buffer(0);
    const T* gv = g.data();
    for_each_gathered(s, d, index, [&](std::size_t p, std::size_t offset) { dx[offset] += gv[p]; });
  });
}

namespace {

// 1 where scatter wrote into a tensor of shape s, else 0.
std::vector<char> scatter_targets(const Shape& s, std::size_t d, const Indices& index) {
  std::vector<char> hit(checked_numel(s, "scatter"), 0);
  for_each_gathered(s, d, index, [&](std::size_t, std::size_t offset) { hit[offset] = 1; });
  return hit;
}

// x's gradient from g: g where scatter did not write (all of g after scatter_add).
template <class T>
void add_unwritten(Grads<T>& grads, const Array<T>& g, const std::vector<char>* hit) {
  bool fresh = false;
  T* dx = grads.buffer(0, fresh);
  const T* gv = g.data();
  for (std::size_t k = 0; k < g.size(); ++k) {
    const T v = hit && (*hit)[k] ? T(0) : gv[k];
    dx[k] = fresh ? v : dx[k] + v;
  }
}

}  // namespace

template <class T>
Array<T> scatter_values(const Array<T>& x, std::ptrdiff_t dim, const Indices& index, const T* src, T value, bool add,
                        const char* op) {
  const std::size_t d = checked_gather_dim(x.shape(), dim, index, op);
  Array<T> out = x;
  T* ov = out.data();
  for_each_gathered(x.shape(), d, index, [&](std::size_t p, std::size_t offset) {
    const T v = src ? src[p] : value;
    if (add) ov[offset] += v;
    else ov[offset] = v;
  });
  return out;
}

template <class T>
Variable<T> scatter(const Variable<T>& x, std::ptrdiff_t dim, const Indices& index, const Variable<T>& src, bool add) {
  const char* op = add ? "scatter_add" : "scatter";
  if (src.shape() != index.shape())
    throw Error(std::string(op) + ": expected src of index's shape " + shape_str(index.shape()) + ", got " +
                shape_str(src.shape()));
  Array<T> out = scatter_values(x.value(), dim, index, src.value().data(), T(0), add, op);
  const Shape s = x.shape();
  const std::size_t d = normalize_dim(dim, s.size(), op);
  auto backward = [s, d, add, index = Indices(index)](Array<T>& g, Grads<T>& grads) {
    if (grads.needs(0)) {
      if (add) add_unwritten(grads, g, nullptr);
      else {
        const std::vector<char> hit = scatter_targets(s, d, index);
        add_unwritten(grads, g, &hit);
      }
    }
    if (grads.needs(1)) {
      T* dsrc = grads.zeroed_buffer(1);
      const T* gv = g.data();
      for_each_gathered(s, d, index, [&](std::size_t p, std::size_t offset) { dsrc[p] += gv[offset]; });
    }
  };
  return record<T>(op, std::move(out), {x, src}, std::move(backward));
}

template <class T>
Variable<T> scatter(const Variable<T>& x, std::ptrdiff_t dim, const Indices& index, T value) {
  Array<T> out = scatter_values<T>(x.value(), dim, index, nullptr, value, false, "scatter");
  const Shape s = x.shape();
  const std::size_t d = normalize_dim(dim, s.size(), "scatter");
  return record<T>("scatter", std::move(out), {x}, [s, d, index = Indices(index)](Array<T>& g, Grads<T>& grads) {
    const std::vector<char> hit = scatter_targets(s, d, index);
    add_unwritten(grads, g, &hit);
  });
}

template Array<std::int64_t> scatter_values(const Array<std::int64_t>&, std::ptrdiff_t, const Indices&,
                                            const std::int64_t*, std::int64_t, bool, const char*);
template Array<bool> scatter_values(const Array<bool>&, std::ptrdiff_t, const Indices&, const bool*, bool, bool,
                                    const char*);

#define TG_INSTANTIATE(T)                                                                              \
  template Variable<T> reshape(const Variable<T>&, const std::vector<std::ptrdiff_t>&);               \
  template Variable<T> view(const Variable<T>&, const std::vector<std::ptrdiff_t>&);                  \
  template Variable<T> flatten(const Variable<T>&, std::ptrdiff_t, std::ptrdiff_t);                   \
  template Variable<T> permute(const Variable<T>&, const std::vector<std::ptrdiff_t>&);               \
  template Variable<T> transpose(const Variable<T>&, std::ptrdiff_t, std::ptrdiff_t);                 \
  template Variable<T> narrow(const Variable<T>&, std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t);    \
  template Variable<T> expand(const Variable<T>&, const std::vector<std::ptrdiff_t>&);                \
  template Variable<T> flip(const Variable<T>&, const std::vector<std::ptrdiff_t>&);                  \
  template Variable<T> repeat(const Variable<T>&, const std::vector<std::ptrdiff_t>&);                \
  template Variable<T> index_select(const Variable<T>&, std::ptrdiff_t, const Indices&);              \
  template Variable<T> gather(const Variable<T>&, std::ptrdiff_t, const Indices&);                     \
  template Variable<T> scatter(const Variable<T>&, std::ptrdiff_t, const Indices&, const Variable<T>&, bool); \
  template Variable<T> scatter(const Variable<T>&, std::ptrdiff_t, const Indices&, T);                  \
  template Array<T> scatter_values(const Array<T>&, std::ptrdiff_t, const Indices&, const T*, T, bool, const char*);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
