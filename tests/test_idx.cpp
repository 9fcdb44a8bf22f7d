#include "check.hpp"
#include "data_fixtures.hpp"

using tg::data::IdxArray;
using tg::data::read_idx;
using tgtest::Bytes;
using tgtest::idx_bytes;

namespace {

// read_idx must reject `path`, naming the file and the problem.
void check_rejected(const std::string& path, const std::string& problem) {
  CAPTURE(problem);
  const std::string expected = "read_idx: " + path + ": " + problem;
  CHECK_THROWS_WITH_AS(read_idx(path), doctest::Contains(expected.c_str()), tg::Error);
}

void check_rejected_with_limit(const std::string& path, std::size_t max_bytes, const std::string& problem) {
  CAPTURE(problem);
  const std::string expected = "read_idx: " + path + ": " + problem;
  CHECK_THROWS_WITH_AS(read_idx(path, max_bytes), doctest::Contains(expected.c_str()), tg::Error);
}

}  // namespace

TEST_CASE("read_idx: raw files of rank 1 to 4 read back what write_idx wrote") {
  tgtest::TempDir dir;
  for (const IdxArray& a : {IdxArray{{3}, {7, 8, 9}}, IdxArray{{2, 3}, {0, 1, 2, 3, 4, 255}},
                            IdxArray{{1, 2, 1, 2}, {10, 20, 30, 40}}}) {
    CAPTURE(tg::shape_str(a.dims));
    tg::data::write_idx(dir / "a", a);
    const IdxArray b = read_idx(dir / "a");
    CHECK(b.dims == a.dims);
    CHECK(b.data == a.data);
  }
  // The exact bytes of the last one: magic 00 00 08 04, big-endian dims 1, 2, 1, 2, then the data.
  CHECK(tgtest::read_bytes(dir / "a") == Bytes{0, 0, 8, 4, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 10, 20, 30, 40});
}

TEST_CASE("read_idx: big-endian dims above 255") {
  tgtest::TempDir dir;
  Bytes b{0, 0, 8, 2, 0, 0, 0x01, 0x02, 0, 0, 0, 1};  // dims (258, 1)
  b.resize(b.size() + 258, 5);
  tgtest::write_bytes(dir / "a", b);
  const IdxArray a = read_idx(dir / "a");
  CHECK(a.dims == std::vector<std::size_t>{258, 1});
  CHECK(a.data == Bytes(258, 5));
}

TEST_CASE("read_idx: gzip files are recognised by their magic bytes, whatever their name") {
  tgtest::TempDir dir;
  const Bytes file = idx_bytes({2, 2}, {1, 2, 3, 4});
  tgtest::write_gz(dir / "a.gz", file);
  tgtest::write_gz(dir / "compressed-without-suffix", file);
  tgtest::write_bytes(dir / "raw-with-suffix.gz", file);
  for (const char* name : {"a.gz", "compressed-without-suffix", "raw-with-suffix.gz"}) {
    CAPTURE(name);
    const IdxArray a = read_idx(dir / name);
    CHECK(a.dims == std::vector<std::size_t>{2, 2});
    CHECK(a.data == Bytes{1, 2, 3, 4});
  }
}

TEST_CASE("read_idx: malformed files are rejected whole, naming the file and the problem") {
  tgtest::TempDir dir;
  auto raw = [&](const std::string& name, const Bytes& bytes) {
    tgtest::write_bytes(dir / name, bytes);
    return dir / name;
  };
  check_rejected(raw("empty", {}), "empty file");
  check_rejected(raw("magic", {1, 0, 8, 1, 0, 0, 0, 1, 7}), "bad magic: expected an IDX file starting 0x00 0x00, got 0x01 0x00");
  check_rejected(raw("short-magic", {0, 0, 8}), "truncated: the 4-byte magic number is cut short");
  check_rejected(raw("float", {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0}),
                 "unsupported data type 0x0D (float): only 0x08 (unsigned byte) is supported");
  check_rejected(raw("rank0", {0, 0, 8, 0}), "unsupported rank 0 (expected 1 to 4 dimensions)");
  check_rejected(raw("rank5", idx_bytes({1, 1, 1, 1, 1}, {0})), "unsupported rank 5");
  check_rejected(raw("zero-dim", idx_bytes({2, 0}, {})), "dimension 1 is 0 in dims (2, 0)");
  check_rejected(raw("short-header", {0, 0, 8, 2, 0, 0, 0, 2}), "truncated: the header promises 2 dimensions");
  check_rejected(raw("truncated", idx_bytes({3}, {1, 2})), "truncated: expected 3 bytes of data, got 2 (dims (3,))");
  check_rejected(raw("oversize", idx_bytes({2}, {1, 2, 3})), "trailing bytes: expected 2 bytes of data, got 3");
  // A header claiming 2^128 bytes, and one claiming ~2^48: both fail cleanly, without allocating it.
  check_rejected(raw("huge", {0, 0, 8, 4, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255}),
                 "shape (4294967295, 4294967295, 4294967295, 4294967295) has more elements than a 64-bit count holds");
  check_rejected(raw("large", {0, 0, 8, 3, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255, 1}),
                 "truncated: expected 281462092005375 bytes of data, got 1");
  CHECK_THROWS_WITH_AS(read_idx(dir / "missing"), doctest::Contains(("read_idx: " + dir / "missing" + ": cannot open").c_str()),
                       tg::Error);
}

TEST_CASE("read_idx: malformed or corrupt gzip files are rejected, naming the file") {
  tgtest::TempDir dir;
  tgtest::write_gz(dir / "truncated.gz", idx_bytes({4}, {1, 2}));
  check_rejected(dir / "truncated.gz", "truncated: expected 4 bytes of data, got 2 (dims (4,)) (after gunzip)");
  tgtest::write_gz(dir / "oversize.gz", idx_bytes({1}, {1, 2}));
  check_rejected(dir / "oversize.gz", "trailing bytes: expected 1 bytes of data, got more (dims (1,)) (after gunzip)");
  tgtest::write_gz(dir / "empty.gz", {});
  check_rejected(dir / "empty.gz", "empty file (after gunzip)");

  // A valid IDX file, gzipped, then damaged: bytes flipped in the deflate stream, or the stream cut.
  Bytes data(1000);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 7 % 251);
  tgtest::write_gz(dir / "good.gz", idx_bytes({250, 4}, data));
  const Bytes gz = tgtest::read_bytes(dir / "good.gz");
  REQUIRE(gz.size() > 40);
  CHECK(read_idx(dir / "good.gz").data == data);
  Bytes flipped = gz;
  for (std::size_t i = 15; i < 25; ++i) flipped[i] ^= 0xA5;
  tgtest::write_bytes(dir / "flipped.gz", flipped);
  check_rejected(dir / "flipped.gz", "corrupt or truncated gzip data (zlib: ");
  tgtest::write_bytes(dir / "cut.gz", Bytes(gz.begin(), gz.begin() + static_cast<std::ptrdiff_t>(gz.size() / 2)));
  check_rejected(dir / "cut.gz", "corrupt or truncated gzip data (zlib: unexpected end of file)");
  tgtest::write_bytes(dir / "magic-only.gz", {0x1f, 0x8b});
  check_rejected(dir / "magic-only.gz", "corrupt or truncated gzip data");
}

TEST_CASE("read_idx: data after the gzip stream is rejected, concatenated gzip members are one stream") {
  tgtest::TempDir dir;
  const Bytes file = idx_bytes({3}, {1, 2, 3});
  tgtest::write_gz(dir / "a.gz", file);
  Bytes gz = tgtest::read_bytes(dir / "a.gz");
  for (const Bytes& tail : {Bytes{'x'}, Bytes{0, 0, 0, 0}, Bytes{0x1f}}) {
    Bytes bad = gz;
    bad.insert(bad.end(), tail.begin(), tail.end());
    tgtest::write_bytes(dir / "trailing.gz", bad);
    check_rejected(dir / "trailing.gz", "trailing data after the gzip stream");
  }
  // gzip(1) reads a file of several members as their concatenation; so does read_idx.
  tgtest::write_gz(dir / "head.gz", Bytes(file.begin(), file.begin() + 5));
  tgtest::write_gz(dir / "tail.gz", Bytes(file.begin() + 5, file.end()));
  Bytes two = tgtest::read_bytes(dir / "head.gz");
  const Bytes tail = tgtest::read_bytes(dir / "tail.gz");
  two.insert(two.end(), tail.begin(), tail.end());
  tgtest::write_bytes(dir / "two.gz", two);
  CHECK(read_idx(dir / "two.gz").data == Bytes{1, 2, 3});
}

TEST_CASE("read_idx: a declared size is capped before anything is allocated") {
  tgtest::TempDir dir;
  // 60000 x 28 x 28 declared, one byte present: the file size says so before any data is read.
  const Bytes raw{0, 0, 8, 3, 0, 0, 0xEA, 0x60, 0, 0, 0, 28, 0, 0, 0, 28, 7};
  tgtest::write_bytes(dir / "raw", raw);
  check_rejected(dir / "raw", "truncated: expected 47040000 bytes of data, got 1 (dims (60000, 28, 28))");
  // Deflate inflates at most 1032:1, so a gzip file of a few dozen bytes cannot hold 47 MB.
  tgtest::write_gz(dir / "small.gz", raw);
  const std::string size = std::to_string(tgtest::read_bytes(dir / "small.gz").size());
  check_rejected(dir / "small.gz", "dims (60000, 28, 28) declare 47040000 bytes of data, more than a gzip file of " +
                                       size + " bytes can hold (deflate inflates at most 1032:1)");
  // An explicit limit, below the data's size.
  tgtest::write_bytes(dir / "twelve", idx_bytes({3, 4}, Bytes(12, 1)));
  CHECK(read_idx(dir / "twelve", 12).data.size() == 12);
  check_rejected_with_limit(dir / "twelve", 11, "dims (3, 4) declare 12 bytes of data, over the limit of 11 bytes");
}

TEST_CASE("read_idx: a directory or a device is refused by name") {
  tgtest::TempDir dir;
  check_rejected(dir.str(), "is a directory");
  check_rejected("/dev/zero", "not a regular file");
}

TEST_CASE("write_idx: invalid arrays throw naming write_idx") {
  tgtest::TempDir dir;
  CHECK_THROWS_WITH_AS(tg::data::write_idx(dir / "a", IdxArray{{2, 2}, {1, 2, 3}}),
                       doctest::Contains("write_idx: "), tg::Error);
  CHECK_THROWS_WITH_AS(tg::data::write_idx(dir / "a", IdxArray{{}, {}}), doctest::Contains("expected 1 to 4 dims"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::data::write_idx(dir / "a", IdxArray{{0}, {}}), doctest::Contains("every dim must be in"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::data::write_idx(dir / "no-such-dir/a", IdxArray{{1}, {1}}),
                       doctest::Contains(("write_idx: " + dir / "no-such-dir/a" + ": folder '" + dir / "no-such-dir" + "': No such file or directory").c_str()), tg::Error);
}
