#include <tapegrad/data/idx.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>

#include <zlib.h>

#include <tapegrad/core/array.hpp>
#include <tapegrad/core/files.hpp>

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

// Deflate's best ratio: 258-byte matches coded in 2 bits each, about 1032:1 (zlib's FAQ). No gzip
// file inflates to more than 1032 times its size, so a header declaring more is refused unread.
constexpr std::uint64_t kMaxDeflateRatio = 1032;

// A byte stream from a raw or a gzip file (a regular file only). read() returns fewer bytes than
// asked only at the end of the data, and throws on a read error, corrupt compressed data, or data
// after the last gzip member. A file of several gzip members reads as their concatenation, as gzip -d.
class ByteSource {
 public:
  explicit ByteSource(const std::string& path) : path_(path) {
    file_ = open_regular_file(path, "read_idx: " + path + ": ", file_size_);
    unsigned char magic[2] = {0, 0};
    const std::size_t n = std::fread(magic, 1, 2, file_.get());
    std::rewind(file_.get());
    if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
      gzip_ = true;
      if (inflateInit2(&zs_, 16 + MAX_WBITS) != Z_OK) fail("zlib: cannot start inflating");  // 16: gzip only
    }
  }
  ~ByteSource() {
    if (gzip_) inflateEnd(&zs_);
  }
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  std::size_t read(std::uint8_t* dst, std::size_t n) { return gzip_ ? inflate_into(dst, n) : read_raw(dst, n); }

  bool gzip() const { return gzip_; }
  std::uint64_t file_size() const { return file_size_; }

  [[noreturn]] void fail(const std::string& problem) const { throw Error("read_idx: " + path_ + ": " + problem); }

 private:
  std::size_t read_raw(std::uint8_t* dst, std::size_t n) {
    const std::size_t got = std::fread(dst, 1, n, file_.get());
    if (got < n && std::ferror(file_.get())) fail(std::string("read error: ") + std::strerror(errno));
    return got;
  }

  // Inflates up to n bytes into dst, refilling the input from the file as needed.
  std::size_t inflate_into(std::uint8_t* dst, std::size_t n) {
    std::size_t got = 0;
    while (got < n && !done_) {
      if (zs_.avail_in == 0) {
        zs_.avail_in = static_cast<uInt>(read_raw(in_, sizeof in_));
        zs_.next_in = in_;
        if (zs_.avail_in == 0) {
          if (next_member_ && zs_.total_out == 0) fail(kTrailing);
          if (!member_ended_) fail("corrupt or truncated gzip data (zlib: unexpected end of file)");
          done_ = true;
          break;
        }
        if (member_ended_) {  // more bytes after a whole member: another member, or garbage
          if (inflateReset(&zs_) != Z_OK) fail("zlib: cannot restart inflating");
          member_ended_ = false;
          next_member_ = true;
        }
      }
      zs_.next_out = dst + got;
      zs_.avail_out = static_cast<uInt>(std::min<std::size_t>(n - got, 1u << 30));
      const uInt before = zs_.avail_out;
      const int r = inflate(&zs_, Z_NO_FLUSH);
      got += before - zs_.avail_out;
      if (r == Z_STREAM_END) {
        member_ended_ = true;
        next_member_ = false;
        if (zs_.avail_in > 0) {  // the rest of this buffer starts the next member, or is garbage
          if (inflateReset(&zs_) != Z_OK) fail("zlib: cannot restart inflating");
          member_ended_ = false;
          next_member_ = true;
        }
      } else if (r == Z_DATA_ERROR && next_member_ && zs_.total_out == 0) {
        fail(kTrailing);
      } else if (r != Z_OK && r != Z_BUF_ERROR) {
        fail(std::string("corrupt or truncated gzip data (zlib: ") + (zs_.msg ? zs_.msg : "error " + std::to_string(r)) + ")");
      }
    }
    return got;
  }

  static constexpr const char* kTrailing = "trailing data after the gzip stream (neither another gzip member nor the end)";
  std::string path_;
  FilePtr file_;
  std::uint64_t file_size_ = 0;
  bool gzip_ = false;
  z_stream zs_{};
  unsigned char in_[1 << 16];
  bool member_ended_ = false;  // the last member inflated to its end
  bool next_member_ = false;   // inflating what follows a member: a gzip header, or garbage
  bool done_ = false;
};

}  // namespace

IdxArray read_idx(const std::string& path, std::size_t max_bytes) {
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

  // Cap the declared size before allocating anything: a raw file holds exactly the bytes after its
  // header, a gzip file inflates to at most kMaxDeflateRatio times its size, and neither may exceed
  // max_bytes.
  const std::string declared = "dims " + shape_str(array.dims) + " declare " + std::to_string(expected) + " bytes of data";
  if (!src.gzip()) {
    const std::uint64_t header_bytes = 4 + 4 * rank;
    const std::uint64_t held = src.file_size() > header_bytes ? src.file_size() - header_bytes : 0;
    if (held != expected)
      src.fail((held < expected ? "truncated" : "trailing bytes") + std::string(": expected ") + std::to_string(expected) +
               " bytes of data, got " + std::to_string(held) + " (dims " + shape_str(array.dims) + ")");
  } else if (src.file_size() < std::numeric_limits<std::uint64_t>::max() / kMaxDeflateRatio &&
             expected > src.file_size() * kMaxDeflateRatio) {
    src.fail(declared + ", more than a gzip file of " + std::to_string(src.file_size()) +
             " bytes can hold (deflate inflates at most " + std::to_string(kMaxDeflateRatio) + ":1)");
  }
  if (expected > max_bytes)
    src.fail(declared + ", over the limit of " + std::to_string(max_bytes) + " bytes (read_idx's max_bytes)");

  // Read in chunks, so that data shorter than declared (a truncated gzip stream, a file cut while
  // being read) fails after at most one chunk beyond it is allocated.
  constexpr std::size_t kChunk = std::size_t{1} << 24;
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

  // One byte more is enough to refuse the file: never inflate the rest of an oversized stream.
  std::uint8_t extra;
  if (src.read(&extra, 1) > 0)
    src.fail("trailing bytes: expected " + std::to_string(expected) + " bytes of data, got more (dims " +
             shape_str(array.dims) + ")" + in);
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
  AtomicFileWriter out(path, "write_idx: " + path + ": ");
  out.write(header.data(), header.size());
  out.write(array.data.data(), array.data.size());
  out.commit();
}

}  // namespace tg::data
