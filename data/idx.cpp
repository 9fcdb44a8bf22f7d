#include <tapegrad/data/idx.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>

#include <zlib.h>

#include <tapegrad/core/array.hpp>

namespace tg::data {
namespace {

constexpr std::uint8_t kUnsignedByte = 0x08;
constexpr std::size_t kMaxRank = 4;

std::string type_name(std::uint8_t type) {
  switch (type) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "short";
    case 0x0C: return "int";
    case 0x0D: return "float";
    case 0x0E: return "double";
    default: return "not an IDX type";
  }
}

std::string hex(std::uint8_t b) {
  char s[8];
  std::snprintf(s, sizeof s, "0x%02X", b);
  return s;
}

// A byte stream from a raw or a gzip file. read() returns fewer bytes than asked only at the end of
// the data, and throws on a read error or corrupt compressed data.
class ByteSource {
 public:
  explicit ByteSource(const std::string& path) : path_(path) {
    file_.reset(std::fopen(path.c_str(), "rb"));
    if (!file_) fail(std::string("cannot open: ") + std::strerror(errno));
    unsigned char magic[2] = {0, 0};
    const std::size_t n = std::fread(magic, 1, 2, file_.get());
    if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
      file_.reset();
      gz_.reset(gzopen(path.c_str(), "rb"));
      if (!gz_) fail(std::string("cannot open: ") + std::strerror(errno));
      gzbuffer(gz_.get(), 1 << 17);
    } else {
      std::rewind(file_.get());
    }
  }

  std::size_t read(std::uint8_t* dst, std::size_t n) {
    if (file_) {
      const std::size_t got = std::fread(dst, 1, n, file_.get());
      if (got < n && std::ferror(file_.get())) fail(std::string("read error: ") + std::strerror(errno));
      return got;
    }
    std::size_t got = 0;
    while (got < n) {  // gzread takes an unsigned int count
      const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n - got, 1u << 30));
      const int r = gzread(gz_.get(), dst + got, chunk);
      check_gz();
      if (r <= 0) break;
      got += static_cast<std::size_t>(r);
    }
    return got;
  }

  bool gzip() const { return gz_ != nullptr; }

  [[noreturn]] void fail(const std::string& problem) const { throw Error("read_idx: " + path_ + ": " + problem); }

 private:
  // zlib reports a stream cut short (Z_BUF_ERROR) without failing the read, so check after each one.
  void check_gz() const {
    int errnum = Z_OK;
    const char* msg = gzerror(gz_.get(), &errnum);
    if (errnum == Z_ERRNO) fail(std::string("read error: ") + std::strerror(errno));
    if (errnum == Z_OK) return;
    std::string why = msg;  // zlib prefixes its message with the path, which fail() adds already
    if (why.rfind(path_ + ": ", 0) == 0) why.erase(0, path_.size() + 2);
    fail("corrupt or truncated gzip data (zlib: " + why + ")");
  }

  struct FileCloser { void operator()(std::FILE* f) const { std::fclose(f); } };
  struct GzCloser { void operator()(gzFile f) const { gzclose(f); } };
  std::string path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  std::unique_ptr<gzFile_s, GzCloser> gz_;
};

}  // namespace

IdxArray read_idx(const std::string& path) {
  ByteSource src(path);
  const std::string in = src.gzip() ? " (after gunzip)" : "";

  std::uint8_t magic[4];
  const std::size_t got_magic = src.read(magic, 4);
  if (got_magic == 0) src.fail("empty file" + in);
  if (got_magic < 4) src.fail("truncated: the 4-byte magic number is cut short" + in);
  if (magic[0] != 0 || magic[1] != 0)
    src.fail("bad magic: expected an IDX file starting 0x00 0x00, got " + hex(magic[0]) + " " + hex(magic[1]) + in);
  if (magic[2] != kUnsignedByte)
    src.fail("unsupported data type " + hex(magic[2]) + " (" + type_name(magic[2]) +
             "): only 0x08 (unsigned byte) is supported");
  const std::size_t rank = magic[3];
  if (rank < 1 || rank > kMaxRank)
    src.fail("unsupported rank " + std::to_string(rank) + " (expected 1 to " + std::to_string(kMaxRank) + " dimensions)");

  IdxArray array;
  std::uint8_t header[4 * kMaxRank];
  if (src.read(header, 4 * rank) < 4 * rank)
    src.fail("truncated: the header promises " + std::to_string(rank) + " dimensions but ends before them" + in);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::uint8_t* b = header + 4 * i;
    array.dims.push_back(std::size_t{b[0]} << 24 | std::size_t{b[1]} << 16 | std::size_t{b[2]} << 8 | b[3]);
    if (array.dims.back() == 0) src.fail("dimension " + std::to_string(i) + " is 0 in dims " + shape_str(array.dims));
  }
  const std::size_t expected = checked_numel(array.dims, ("read_idx: " + path).c_str());

  // Read in chunks, so a header claiming gigabytes fails on the short data, not on the allocation.
  constexpr std::size_t kChunk = std::size_t{1} << 24;
  array.data.reserve(std::min(expected, 4 * kChunk));
  std::size_t got = 0;
  while (got < expected) {
    const std::size_t want = std::min(kChunk, expected - got);
    array.data.resize(got + want);
    const std::size_t n = src.read(array.data.data() + got, want);
    got += n;
    if (n < want) break;
  }
  if (got < expected)
    src.fail("truncated: expected " + std::to_string(expected) + " bytes of data, got " + std::to_string(got) +
             " (dims " + shape_str(array.dims) + ")" + in);

  std::uint8_t scratch[4096];
  std::size_t trailing = 0;
  for (std::size_t n; (n = src.read(scratch, sizeof scratch)) > 0;) trailing += n;
  if (trailing > 0)
    src.fail("trailing bytes: expected " + std::to_string(expected) + " bytes of data, got " +
             std::to_string(expected + trailing) + " (dims " + shape_str(array.dims) + ")" + in);
  return array;
}

void write_idx(const std::string& path, const IdxArray& array) {
  const std::size_t rank = array.dims.size();
  if (rank < 1 || rank > kMaxRank)
    throw Error("write_idx: " + path + ": expected 1 to 4 dims, got " + shape_str(array.dims));
  for (std::size_t d : array.dims)
    if (d == 0 || d > 0xFFFFFFFFu)
      throw Error("write_idx: " + path + ": every dim must be in 1..2^32-1, got " + shape_str(array.dims));
  const std::size_t count = checked_numel(array.dims, ("write_idx: " + path).c_str());
  if (count != array.data.size())
    throw Error("write_idx: " + path + ": dims " + shape_str(array.dims) + " need " + std::to_string(count) +
                " bytes, got " + std::to_string(array.data.size()));

  std::vector<std::uint8_t> header{0, 0, kUnsignedByte, static_cast<std::uint8_t>(rank)};
  for (std::size_t d : array.dims)
    for (int shift = 24; shift >= 0; shift -= 8) header.push_back(static_cast<std::uint8_t>(d >> shift));
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw Error("write_idx: " + path + ": cannot open for writing: " + std::strerror(errno));
  const bool ok = std::fwrite(header.data(), 1, header.size(), f) == header.size() &&
                  std::fwrite(array.data.data(), 1, array.data.size(), f) == array.data.size();
  if (std::fclose(f) != 0 || !ok) throw Error("write_idx: " + path + ": write failed: " + std::strerror(errno));
}

}  // namespace tg::data
