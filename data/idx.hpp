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

// Reads a raw or gzip-compressed IDX file (gzip is recognised by its magic bytes 1f 8b, not by the
// file name). The whole file must parse: bad magic, a type other than 0x08, rank outside 1..4, a
// zero dimension, fewer or more data bytes than the dimensions promise, or corrupt gzip data throw
// tg::Error("read_idx: <path>: <problem>").
IdxArray read_idx(const std::string& path);

// Writes `array` as a raw (uncompressed) IDX file; throws tg::Error when its dims or size are invalid.
void write_idx(const std::string& path, const IdxArray& array);

}  // namespace tg::data
