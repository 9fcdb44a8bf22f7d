// libFuzzer target: tg::data::read_idx on arbitrary bytes, read as they are and gzip-compressed (so
// mutations reach the IDX parser behind the gzip layer too). A tg::Error is the expected rejection;
// any other exception, a crash, a sanitizer report, or an accepted array that breaks IdxArray's
// promises (1 to 4 dims, none zero, prod(dims) bytes) is a finding.
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include <tapegrad/core/array.hpp>
#include <tapegrad/data/idx.hpp>

#include "input_file.hpp"

namespace {

void read_and_check(const std::string& path) {
  tg::data::IdxArray array;
  try {
    array = tg::data::read_idx(path);
  } catch (const tg::Error&) {
    return;
  }
  if (array.dims.empty() || array.dims.size() > 4) std::abort();
  std::size_t count = 1;
  for (std::size_t d : array.dims) {
    if (d == 0 || count > SIZE_MAX / d) std::abort();
    count *= d;
  }
  if (array.data.size() != count) std::abort();
}

std::vector<std::uint8_t> gzip(const std::uint8_t* data, std::size_t size) {
  z_stream z{};
  if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
  std::vector<std::uint8_t> out(deflateBound(&z, size));
  z.next_in = const_cast<std::uint8_t*>(data);
  z.avail_in = static_cast<uInt>(size);
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const tgfuzz::InputFile raw("raw.idx"), compressed("idx.gz");
  read_and_check(raw.write(data, size));
  const std::vector<std::uint8_t> packed = gzip(data, size);
  read_and_check(compressed.write(packed.data(), packed.size()));
  return 0;
}
