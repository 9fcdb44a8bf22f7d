// The IDX file format of MNIST and Fashion-MNIST (yann.lecun.com/exdb/mnist): two zero bytes, a type
// byte, the rank, one big-endian uint32 per dimension, then the elements row-major. Only unsigned
// bytes (type 0x08, what both datasets use) are supported. Files may be gzip-compressed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tg::data {

struct IdxArray {
  std::vector<std::size_t> dims;   // 1 to 4 dimensions, none zero
  std::vector<std::uint8_t> data;  // prod(dims) bytes, row-major
};

// The most data read_idx reads by default: 1 GiB, 20 times MNIST's training images.
inline constexpr std::size_t kDefaultIdxMaxBytes = std::size_t{1} << 30;

// Reads a raw or gzip-compressed IDX file (gzip is recognised by its magic bytes 1f 8b, not by the
// file name; several gzip members read as one stream). The whole file must parse: a path that is not
// a regular file, bad magic, a type other than 0x08, rank outside 1..4, a zero dimension, fewer or
// more data bytes than the dimensions promise, corrupt gzip data or anything after the gzip stream
// throw tg::Error("read_idx: <path>: <problem>"). The declared size is checked before anything is
// allocated: against the file's size (raw), against 1032 times it (deflate's best ratio, gzip), and
// against `max_bytes`.
IdxArray read_idx(const std::string& path, std::size_t max_bytes = kDefaultIdxMaxBytes);

// Writes `array` as a raw (uncompressed) IDX file, whole or not at all (tg::AtomicFileWriter: never
// over anything but a regular file); throws tg::Error when its dims or size are invalid.
void write_idx(const std::string& path, const IdxArray& array);

}  // namespace tg::data
