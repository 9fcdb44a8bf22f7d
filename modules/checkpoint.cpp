#include <tapegrad/modules/checkpoint.hpp>
#include <tapegrad/modules/archive.hpp>
#include <tapegrad/modules/npz.hpp>

#include <tapegrad/core/files.hpp>

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <set>

// Tensors are written and read as raw memory: '<f4' ('<f8') is the host's float (double) only on
// little-endian hosts.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "checkpoint.cpp assumes a little-endian host");

namespace tg::nn {
namespace {

constexpr std::int32_t kFormatVersion = 1;
const std::string kFormatEntry = "__tapegrad_format__";
constexpr std::uint64_t kZipLimit = 0xFFFFFFFFu;  // 32-bit sizes and offsets: zip without zip64

// ---- little-endian integers ----

void put16(std::string& s, std::uint32_t v) {
  s += char(v & 0xFF);
  s += char((v >> 8) & 0xFF);
}
void put32(std::string& s, std::uint32_t v) {
  put16(s, v & 0xFFFF);
  put16(s, v >> 16);
}
std::uint32_t get16(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return std::uint32_t(b[0]) | std::uint32_t(b[1]) << 8;
}
std::uint32_t get32(const char* p) { return get16(p) | get16(p + 2) << 16; }

std::uint32_t crc32_of(std::uint32_t crc, const char* data, std::size_t n) {
  return static_cast<std::uint32_t>(crc32(crc, reinterpret_cast<const Bytef*>(data), static_cast<uInt>(n)));
}

// ---- .npy ----

// Format 1.0: magic, version, header length (u16), then a Python dict literal padded with spaces and
// ended by '\n' so that the data starts on a 64-byte boundary (NumPy's alignment).
std::string npy_header(const Shape& shape, const std::string& descr) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape_str(shape) + ", }";
  const std::size_t unpadded = 10 + dict.size() + 1;
  dict += std::string((64 - unpadded % 64) % 64, ' ') + '\n';
  std::string header("\x93NUMPY\x01\x00", 8);
  put16(header, static_cast<std::uint32_t>(dict.size()));
  return header + dict;
}

struct NpyArray {
  std::string descr;
  bool fortran_order = false;
  Shape shape;
  const char* data = nullptr;
  std::size_t nbytes = 0;
};

// Parses the header dict, e.g. "{'descr': '<f4', 'fortran_order': False, 'shape': (50, 784), }".
// Returns an empty string on success, otherwise what is wrong.
std::string parse_npy_dict(const std::string& text, NpyArray& out) {
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t')) ++i;
  };
  auto eat = [&](char c) {
    skip_space();
    if (i < text.size() && text[i] == c) return ++i, true;
    return false;
  };
  auto quoted = [&](std::string& s) {
    skip_space();
    if (i >= text.size() || (text[i] != '\'' && text[i] != '"')) return false;
    const std::size_t close = text.find(text[i], i + 1);
    if (close == std::string::npos) return false;
    s = text.substr(i + 1, close - i - 1);
    i = close + 1;
    return true;
  };
  bool seen_descr = false, seen_order = false, seen_shape = false;
  if (!eat('{')) return "expected '{'";
  while (!eat('}')) {
    std::string key;
    if (!quoted(key) || !eat(':')) return "expected 'key': value";
    skip_space();
    if (key == "descr") {
      if (!quoted(out.descr)) return "'descr' is not a string";
      seen_descr = true;
    } else if (key == "fortran_order") {
      if (text.compare(i, 4, "True") == 0) out.fortran_order = true, i += 4;
      else if (text.compare(i, 5, "False") == 0) out.fortran_order = false, i += 5;
      else return "'fortran_order' is not True or False";
      seen_order = true;
    } else if (key == "shape") {
      if (!eat('(')) return "'shape' is not a tuple";
      out.shape.clear();
      while (!eat(')')) {
        skip_space();
        std::size_t digits = 0, dim = 0;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
          if (dim > (std::numeric_limits<std::size_t>::max() - 9) / 10) return "'shape' has a dimension too large";
          dim = dim * 10 + std::size_t(text[i] - '0');
        }
        if (digits == 0) return "'shape' holds something other than non-negative integers";
        out.shape.push_back(dim);
        if (!eat(',') && (skip_space(), i >= text.size() || text[i] != ')')) return "'shape' is not a tuple";
      }
      seen_shape = true;
    } else {
      return "unknown key '" + key + "'";
    }
    if (!eat(',') && (skip_space(), i >= text.size() || text[i] != '}')) return "expected ',' or '}'";
  }
  if (!seen_descr || !seen_order || !seen_shape) return "expected the keys 'descr', 'fortran_order' and 'shape'";
  // NumPy pads the dict with spaces and ends the header with '\n': anything else there is not NumPy's.
  if (text.empty() || text.back() != '\n') return "the header does not end with a newline";
  if (text.find_first_not_of(' ', i) != text.size() - 1) return "text after the dict";
  return "";
}

// ---- reading an archive ----

// The file's bytes and the errors that name it.
class Archive {
 public:
  explicit Archive(const std::string& path) : path_(path), bytes_(read_regular_file(path, "load: '" + path + "': ")) {}

  [[noreturn]] void fail(const std::string& problem) const { throw Error("load: '" + path_ + "': " + problem); }

  // The entries of the archive, by name, each parsed as an .npy array.
  std::map<std::string, NpyArray> entries() const {
    const std::size_t eocd = find_end_record();
    const std::uint32_t count = get16(at(eocd + 10, 2));
    const std::uint32_t dir_size = get32(at(eocd + 12, 4)), dir_offset = get32(at(eocd + 16, 4));
    if (count == 0xFFFF || dir_offset == kZipLimit) fail("zip64 archives are not supported");
    if (std::uint64_t(dir_offset) + dir_size > eocd)
      fail("the central directory lies outside the file (corrupt or truncated)");

    std::map<std::string, NpyArray> out;
    std::size_t p = dir_offset;
    for (std::uint32_t k = 0; k < count; ++k) {
      if (get32(at(p, 46)) != 0x02014b50) fail("corrupt central directory at entry " + std::to_string(k));
      const std::uint32_t flags = get16(at(p + 8, 2)), method = get16(at(p + 10, 2));
      const std::uint32_t crc = get32(at(p + 16, 4)), packed = get32(at(p + 20, 4)), size = get32(at(p + 24, 4));
      const std::size_t name_len = get16(at(p + 28, 2)), extra_len = get16(at(p + 30, 2)),
                        comment_len = get16(at(p + 32, 2));
      const std::uint32_t local = get32(at(p + 42, 4));
      const std::string name(at(p + 46, name_len), name_len);
      p += 46 + name_len + extra_len + comment_len;

      const std::string entry = "entry '" + name + "'";
      if (flags & 1) fail(entry + " is encrypted");
      if (method != 0)
        fail(entry + " is compressed (zip method " + std::to_string(method) +
             "); expected an uncompressed .npz (np.savez, not np.savez_compressed)");
      if (packed == kZipLimit || local == kZipLimit) fail(entry + " needs zip64, which is not supported");
      if (packed != size) fail(entry + " is corrupt (stored sizes differ)");
      check_local_header(local, name, flags, method, crc, packed, size);
      const std::size_t start = local + 30 + get16(at(local + 26, 2)) + get16(at(local + 28, 2));
      if (std::uint64_t(start) + size > dir_offset)
        fail(entry + " runs past the end of the file (truncated or corrupt)");
      const char* data = bytes_.data() + start;
      if (crc32_of(0, data, size) != crc) fail(entry + " is corrupt (CRC-32 mismatch)");

      const std::string suffix = ".npy";
      if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
        fail(entry + " is not an .npy array (expected a name ending in .npy)");
      const std::string key = name.substr(0, name.size() - suffix.size());
      if (out.count(key)) fail(entry + " appears twice");
      out.emplace(key, parse_npy(data, size, entry));
    }
    return out;
  }

 private:
  // The local header at `local` must repeat what the central directory says of its entry (as
  // Python's zipfile requires): a reader that trusts either one alone can be shown two archives.
  void check_local_header(std::uint64_t local, const std::string& name, std::uint32_t flags, std::uint32_t method,
                          std::uint32_t crc, std::uint32_t packed, std::uint32_t size) const {
    const std::string entry = "entry '" + name + "'";
    const char* header = at(local, 30);
    if (get32(header) != 0x04034b50) fail(entry + ": corrupt local header");
    const std::size_t name_len = get16(header + 26);
    const std::string local_name(at(local + 30, name_len), name_len);
    auto differs = [&](const std::string& field) {
      fail(entry + ": the local header " + field + " differs from the central directory's");
    };
    if (local_name != name) differs("name '" + local_name + "'");
    if (get16(header + 6) != flags) differs("flags");
    if (get16(header + 8) != method) differs("compression method");
    // With a data descriptor after the data (flag bit 3), the local CRC and sizes may be zero.
    auto disagrees = [&](std::uint32_t value, std::uint32_t central) { return value != central && !((flags & 8) && value == 0); };
    if (disagrees(get32(header + 14), crc)) differs("CRC-32");
    if (disagrees(get32(header + 18), packed)) differs("compressed size");
    if (disagrees(get32(header + 22), size)) differs("size");
  }

  // A bounds-checked pointer to bytes [pos, pos + n).
  const char* at(std::uint64_t pos, std::uint64_t n) const {
    if (pos + n > bytes_.size())
      fail("unexpected end of file at byte " + std::to_string(pos) + " (truncated or corrupt)");
    return bytes_.data() + pos;
  }

  // The end-of-central-directory record: the last "PK\5\6" within 22 + 65535 (comment) bytes of the end.
  std::size_t find_end_record() const {
    if (bytes_.size() >= 22) {
      const std::size_t lowest = bytes_.size() - 22 > 0xFFFF ? bytes_.size() - 22 - 0xFFFF : 0;
      for (std::size_t p = bytes_.size() - 22 + 1; p-- > lowest;)
        if (get32(bytes_.data() + p) == 0x06054b50) return p;
    }
    fail("not an .npz file, or truncated (no zip end-of-central-directory record)");
  }

  NpyArray parse_npy(const char* data, std::size_t size, const std::string& entry) const {
    if (size < 10 || std::memcmp(data, "\x93NUMPY", 6) != 0) fail(entry + " is not an .npy array (bad magic string)");
    const int major = static_cast<unsigned char>(data[6]);
    if (major < 1 || major > 3) fail(entry + ": unsupported .npy version " + std::to_string(major));
    const std::size_t prefix = major == 1 ? 10 : 12;
    if (size < prefix) fail(entry + ": .npy header is truncated");
    const std::size_t header_len = major == 1 ? get16(data + 8) : get32(data + 8);
    if (prefix + header_len > size) fail(entry + ": .npy header runs past the entry's end");
    NpyArray array;
    const std::string problem = parse_npy_dict(std::string(data + prefix, header_len), array);
    if (!problem.empty()) fail(entry + ": malformed .npy header (" + problem + ")");
    array.data = data + prefix + header_len;
    array.nbytes = size - prefix - header_len;
    return array;
  }

  std::string path_;
  std::string bytes_;
};

// The npy dtype of a Float, Double or Long tensor (BatchNorm's num_batches_tracked), its element size
// and its bytes.
const char* descr_of(const Tensor& t) {
  switch (t.scalar_type()) {
    case kDouble: return "<f8";
    case kLong: return "<i8";
    case kFloat: return "<f4";
    default: throw Error("save: tensors of dtype " + std::string(to_string(t.scalar_type())) + " are not saved");
  }
}
std::size_t element_size(const Tensor& t) {
  return t.scalar_type() == kDouble || t.scalar_type() == kLong ? 8 : sizeof(float);
}
char* bytes_of(const Tensor& t) {
  switch (t.scalar_type()) {
    case kDouble: return reinterpret_cast<char*>(t.data_ptr<double>());
    case kLong: return reinterpret_cast<char*>(t.data_ptr<std::int64_t>());
    default: return reinterpret_cast<char*>(t.data_ptr<float>());
  }
}

// What is wrong with `array` as the value of tensor `t` (its dtype and shape), or "" when nothing is.
std::string mismatch(const NpyArray& array, const Tensor& t) {
  const Shape shape = t.shape();
  if (array.descr != descr_of(t))
    return "has dtype '" + array.descr + "', expected '" + descr_of(t) + "' (" + to_string(t.scalar_type()) +
           (t.is_floating_point() ? "; convert the module with ->to() to load a checkpoint of the other dtype)" : ")");
  if (array.fortran_order) return "is in Fortran order, expected C order";
  if (array.shape != shape) return "has shape " + shape_str(array.shape) + ", expected " + shape_str(shape);
  const std::size_t count = checked_numel(shape, "load");  // the module's own shape: it fits
  if (array.nbytes != count * element_size(t))
    return "holds " + std::to_string(array.nbytes) + " bytes of data, expected " +
           std::to_string(count * element_size(t)) + " for shape " + shape_str(shape) + " (corrupt)";
  return "";
}

// ---- writing an archive ----

struct OutEntry {
  std::string name;    // in the zip, with ".npy"
  std::string header;  // the .npy header
  const char* data;
  std::size_t nbytes;
  std::uint32_t crc = 0;
  std::uint64_t offset = 0;  // of its local header
};

// The fields that a local header and a central directory record share, from "version needed" to
// "extra field length": stored, no flags, 1980-01-01 00:00, CRC, sizes, name length.
std::string common_fields(const OutEntry& e) {
  const auto size = static_cast<std::uint32_t>(e.header.size() + e.nbytes);
  std::string s;
  put16(s, 20);         // version needed to extract: 2.0
  put16(s, 0);          // flags
  put16(s, 0);          // compression: stored
  put16(s, 0);          // time 00:00:00
  put16(s, 0x21);       // date 1980-01-01
  put32(s, e.crc);
  put32(s, size);       // compressed size
  put32(s, size);       // uncompressed size
  put16(s, static_cast<std::uint32_t>(e.name.size()));
  put16(s, 0);          // extra field length
  return s;
}

void write_archive(std::vector<OutEntry>& entries, const std::string& path);

}  // namespace

void save(const Module& module, const std::string& path) {
  static const std::int32_t version = kFormatVersion;
  const auto parameters = module.named_parameters(), buffers = module.named_buffers();
  std::vector<OutEntry> entries;
  entries.push_back({kFormatEntry + ".npy", npy_header({}, "<i4"), reinterpret_cast<const char*>(&version),
                     sizeof(version)});
  for (const auto* named : {&parameters, &buffers})
    for (const auto& [name, v] : *named) {
      if (name == kFormatEntry) throw Error("save: '" + name + "' is a reserved name; rename that parameter");
      entries.push_back({name + ".npy", npy_header(v.shape(), descr_of(v)), bytes_of(v), v.numel() * element_size(v)});
    }
  write_archive(entries, path);
}

namespace {

// Writes `entries` as an uncompressed zip beside `path`, then renames it over `path`.
void write_archive(std::vector<OutEntry>& entries, const std::string& path) {
  // Lay out the file first, so that a model too large for a plain zip fails before anything is written.
  std::uint64_t offset = 0;
  for (auto& e : entries) {
    if (e.header.size() + e.nbytes >= kZipLimit)
      throw Error("save: entry '" + e.name + "' is 4 GiB or more, which a zip without zip64 cannot hold");
    e.offset = offset;
    e.crc = crc32_of(crc32_of(0, e.header.data(), e.header.size()), e.data, e.nbytes);
    offset += 30 + e.name.size() + e.header.size() + e.nbytes;
  }
  std::string directory;
  for (const auto& e : entries) {
    put32(directory, 0x02014b50);  // central directory record
    put16(directory, 20);          // version made by: 2.0, MS-DOS attributes
    directory += common_fields(e);
    put16(directory, 0);  // comment length
    put16(directory, 0);  // disk number
    put16(directory, 0);  // internal attributes
    put32(directory, 0);  // external attributes
    put32(directory, static_cast<std::uint32_t>(e.offset));
    directory += e.name;
  }
  if (entries.size() > 0xFFFF || offset + directory.size() >= kZipLimit)
    throw Error("save: " + std::to_string(entries.size()) + " entries of " + std::to_string(offset) +
                " bytes exceed a zip without zip64 (65535 entries, 4 GiB)");
  std::string end;
  put32(end, 0x06054b50);  // end of central directory record
  put16(end, 0);           // this disk
  put16(end, 0);           // disk of the central directory
  put16(end, static_cast<std::uint32_t>(entries.size()));  // entries on this disk
  put16(end, static_cast<std::uint32_t>(entries.size()));  // entries in total
  put32(end, static_cast<std::uint32_t>(directory.size()));
  put32(end, static_cast<std::uint32_t>(offset));
  put16(end, 0);  // comment length

  AtomicFileWriter out(path, "save: '" + path + "': ");
  for (const auto& e : entries) {
    std::string local;
    put32(local, 0x04034b50);  // local file header
    local += common_fields(e) + e.name + e.header;
    out.write(local.data(), local.size());
    out.write(e.data, e.nbytes);
  }
  out.write(directory.data(), directory.size());
  out.write(end.data(), end.size());
  out.commit();
}

}  // namespace

void load(Module& module, const std::string& path) {
  Archive archive(path);
  auto entries = archive.entries();

  if (auto format = entries.find(kFormatEntry); format != entries.end()) {
    const NpyArray& a = format->second;
    if (a.descr != "<i4" || !a.shape.empty() || a.nbytes != sizeof(std::int32_t))
      archive.fail("entry '" + kFormatEntry + ".npy' is not an int32 scalar");
    std::int32_t version = 0;
    std::memcpy(&version, a.data, sizeof(version));
    if (version != kFormatVersion)
      archive.fail("unsupported format version " + std::to_string(version) + " (this build reads version " +
                   std::to_string(kFormatVersion) + ")");
    entries.erase(format);
  }

  // Check everything, gathering the problems, before touching the module.
  auto targets = module.named_parameters();
  for (const auto& buffer : module.named_buffers()) targets.insert(buffer.key(), buffer.value());
  std::vector<std::string> problems;
  std::set<std::string> expected;
  for (const auto& [name, v] : targets) {
    expected.insert(name);
    const auto found = entries.find(name);
    if (found == entries.end()) {
      problems.push_back("missing entry '" + name + "' (expected shape " + shape_str(v.shape()) + ")");
    } else if (const std::string problem = mismatch(found->second, v); !problem.empty()) {
      problems.push_back("entry '" + name + "' " + problem);
    }
  }
  for (const auto& entry : entries)
    if (!expected.count(entry.first))
      problems.push_back("unexpected entry '" + entry.first + "' (not a parameter or buffer of the module)");
  if (!problems.empty()) {
    constexpr std::size_t shown = 8;  // a wholly different model would list every name
    std::string text;
    for (std::size_t i = 0; i < std::min(shown, problems.size()); ++i) text += (i ? "; " : "") + problems[i];
    if (problems.size() > shown) text += "; and " + std::to_string(problems.size() - shown) + " more";
    archive.fail("does not match the module: " + text);
  }

  for (auto& [name, v] : targets) std::memcpy(bytes_of(v), entries.at(name).data, v.numel() * element_size(v));
}

}  // namespace tg::nn

namespace tg::npz {

void write(const std::string& path, const std::vector<std::pair<std::string, NpyArray>>& arrays) {
  std::vector<nn::OutEntry> entries;
  std::set<std::string> names;
  for (const auto& [name, a] : arrays) {
    if (!names.insert(name).second) throw Error("save: '" + path + "': entry '" + name + "' appears twice");
    entries.push_back({name + ".npy", nn::npy_header(a.shape, a.descr), a.bytes.data(), a.bytes.size()});
  }
  nn::write_archive(entries, path);
}

std::map<std::string, NpyArray> read(const std::string& path) {
  nn::Archive archive(path);
  std::map<std::string, NpyArray> out;
  for (const auto& [name, a] : archive.entries()) {
    if (a.fortran_order) archive.fail("entry '" + name + ".npy' is in Fortran order, expected C order");
    // Fixed-size dtypes ('<f4', '|b1', '|S7', '<U3', ...) must fill the shape exactly.
    const auto digits = a.descr.find_first_of("0123456789");
    if (a.descr.size() >= 3 && digits == 2 && a.descr.find_first_not_of("0123456789", 2) == std::string::npos) {
      const std::size_t item = std::stoul(a.descr.substr(2)) * (a.descr[1] == 'U' ? 4 : 1);
      const std::size_t count = checked_numel(a.shape, ("load: '" + path + "': entry '" + name + ".npy'").c_str());
      if ((item != 0 && count > std::numeric_limits<std::size_t>::max() / item) || a.nbytes != count * item)
        archive.fail("entry '" + name + ".npy' holds " + std::to_string(a.nbytes) + " bytes of data, expected " +
                     std::to_string(count * item) + " for dtype '" + a.descr + "' and shape " + shape_str(a.shape) +
                     " (corrupt)");
    }
    out.emplace(name, NpyArray{a.descr, a.shape, std::string(a.data, a.nbytes)});
  }
  return out;
}

}  // namespace tg::npz

namespace tg {

void save(const Tensor& tensor, const std::string& path) {
  serialize::OutputArchive archive;
  archive.write("tensor", tensor);
  archive.save_to(path);
}

void load(Tensor& tensor, const std::string& path) {
  serialize::InputArchive archive;
  archive.load_from(path);
  archive.read("tensor", tensor);
}

}  // namespace tg
