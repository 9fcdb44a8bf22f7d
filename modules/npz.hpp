// Named NumPy arrays in an .npz file, any dtype: the archive layer under tg::nn::save/load, for other
// files of arrays (an optimizer's state, test fixtures). Same format and limits as checkpoint.hpp
// describes: an uncompressed zip of .npy entries, no zip64.
//
//   tg::npz::write("x.npz", {{"w", tg::npz::array(w)}});
//   auto entries = tg::npz::read("x.npz");   // {"w": {descr "<f4", shape, bytes}}
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <tapegrad/core/array.hpp>

namespace tg::npz {

// One .npy array: its NumPy dtype string ('<f4', '<f8', '<i8', '|b1', '|S4', ...), C-order shape and
// raw little-endian bytes.
struct NpyArray {
  std::string descr;
  Shape shape;
  std::string bytes;
};

// The NumPy dtype string of T.
template <class T>
const char* descr_of();
template <> inline const char* descr_of<float>() { return "<f4"; }
template <> inline const char* descr_of<double>() { return "<f8"; }
template <> inline const char* descr_of<std::int64_t>() { return "<i8"; }
template <> inline const char* descr_of<std::int32_t>() { return "<i4"; }

template <class T>
NpyArray array(const Array<T>& a) {
  return {descr_of<T>(), to_shape(a.shape()), std::string(reinterpret_cast<const char*>(a.data()), a.size() * sizeof(T))};
}
template <class T>
NpyArray scalar(T v) {
  return {descr_of<T>(), {}, std::string(reinterpret_cast<const char*>(&v), sizeof(T))};
}
inline NpyArray scalar(bool v) { return {"|b1", {}, std::string(1, v ? '\1' : '\0')}; }
inline NpyArray bytes_string(const std::string& s) { return {"|S" + std::to_string(s.size()), {}, s}; }

// Writes the entries (names without ".npy") beside `path`, then renames the file over it. Throws
// tg::Error when a name repeats or the archive would need zip64.
void write(const std::string& path, const std::vector<std::pair<std::string, NpyArray>>& entries);

// Reads and checks the whole archive (structure, CRC-32s, .npy headers); throws tg::Error naming the
// file and the problem. Every entry's byte count is checked against its dtype and shape only for the
// dtypes above; callers check the dtype they expect.
std::map<std::string, NpyArray> read(const std::string& path);

}  // namespace tg::npz
