#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "check.hpp"
#include "data_fixtures.hpp"

using doctest::Contains;
using tg::Array;
using tg::Variable;
using Linear = tg::nn::LinearImpl;
using tg::nn::Module;
using Sequential = tg::nn::SequentialImpl;

namespace {

struct CheckpointNet : Module {
  CheckpointNet() {
    body = register_module("body", std::make_shared<Sequential>(std::make_shared<Linear>(3, 4)));
    head = register_module("head", std::make_shared<Linear>(4, 2));
    count = register_buffer("count", tg::Tensor(Array<float>{{1.f, 2.f}, {3.f, 4.f}}));
  }
  std::shared_ptr<Sequential> body;
  std::shared_ptr<Linear> head;
  tg::Tensor count;
};

// A file in the temp folder, unique to this process (ctest runs cases in parallel), removed at the end.
struct TempFile {
  explicit TempFile(const std::string& stem)
      : path((std::filesystem::temp_directory_path() / ("tapegrad_" + stem + "_" + std::to_string(getpid()) + ".npz"))
                 .string()) {}
  ~TempFile() { std::remove(path.c_str()); }
  std::string path;
};

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::vector<Array<float>> values_of(const Module& m) {
  std::vector<Array<float>> out;
  for (const auto& p : m.named_parameters()) out.push_back(p.second.value<float>());
  for (const auto& b : m.named_buffers()) out.push_back(b.second.value<float>());
  return out;
}

std::uint32_t le32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  std::memcpy(&v, s.data() + at, 4);
  return v;
}

// Bitwise CRC-32 (the zip polynomial), so a test can corrupt a header and still pass the CRC check.
std::uint32_t crc32_bitwise(const char* data, std::size_t n) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < n; ++i) {
    crc ^= static_cast<unsigned char>(data[i]);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// Recomputes every entry's CRC-32 in both the central directory and the local header (no zip comment).
void fix_crcs(std::string& zip) {
  const std::size_t end = zip.size() - 22;
  std::size_t p = le32(zip, end + 16);
  for (std::uint32_t k = 0, n = le32(zip, end + 10) & 0xFFFF; k < n; ++k) {
    const std::uint32_t size = le32(zip, p + 24), local = le32(zip, p + 42);
    const std::size_t name_len = le32(zip, p + 28) & 0xFFFF;
    const std::size_t data = local + 30 + (le32(zip, local + 26) & 0xFFFF) + (le32(zip, local + 28) & 0xFFFF);
    const std::uint32_t crc = crc32_bitwise(zip.data() + data, size);
    std::memcpy(&zip[p + 16], &crc, 4);
    std::memcpy(&zip[local + 14], &crc, 4);
    p += 46 + name_len;
  }
}

// Caps the size of files this process writes, with SIGXFSZ ignored so that a write past it fails
// with EFBIG, as on a full disk; both restored at scope end.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit capped = saved_;
    capped.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &capped);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  void (*old_handler_)(int) = nullptr;
};

}  // namespace

TEST_CASE("checkpoint: a round trip restores every parameter and buffer exactly") {
  TempFile file("round_trip");
  tg::manual_seed(1);
  CheckpointNet saved;
  saved.count.value<float>()(1, 0) = -7.25f;
  tg::nn::save(saved, file.path);

  tg::manual_seed(2);
  CheckpointNet loaded;
  const float* weight_buffer = loaded.head->weight.data_ptr<float>();
  CHECK_FALSE(values_of(loaded) == values_of(saved));
  tg::nn::load(loaded, file.path);
  CHECK(values_of(loaded) == values_of(saved));  // bit for bit
  // In place: the module's handles (and an optimizer's) still point at the same buffers.
  CHECK(loaded.head->weight.data_ptr<float>() == weight_buffer);
  CHECK(loaded.head->weight.requires_grad());
}

TEST_CASE("tg::save and tg::load of one tensor: any dtype, load takes the file's dtype and shape") {
  TempFile file("tensor");
  const tg::Tensor images = tg::rand({2, 1, 3, 3});
  tg::save((images + 1.0) / 2.0, file.path);
  tg::Tensor back = tg::zeros({5}, tg::kLong);
  tg::load(back, file.path);
  CHECK(back.scalar_type() == tg::kFloat);
  CHECK(back.value<float>() == ((images + 1.0) / 2.0).value<float>());
  const std::int64_t big = (std::int64_t(1) << 60) + 3;
  tg::save(tg::tensor({big, std::int64_t(-1)}), file.path);
  tg::load(back, file.path);
  CHECK(back.value<std::int64_t>() == tg::Labels{big, -1});
  std::ofstream(file.path) << "not a zip";
  CHECK_THROWS_AS(tg::load(back, file.path), tg::Error);
  CHECK(back.value<std::int64_t>() == tg::Labels{big, -1});
}

TEST_CASE("checkpoint: the file is an uncompressed zip of .npy arrays") {
  TempFile file("layout");
  Linear layer(3, 2);
  layer.weight.value<float>() = Array<float>{{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}};
  tg::nn::save(layer, file.path);
  const std::string bytes = read_bytes(file.path);

  CHECK(bytes.compare(0, 4, "PK\x03\x04") == 0);
  CHECK(le32(bytes, bytes.size() - 22) == 0x06054b50u);       // end record, no comment
  CHECK((le32(bytes, bytes.size() - 22 + 8) & 0xFFFF) == 3);  // format, weight, bias
  CHECK(bytes.find("__tapegrad_format__.npy") != std::string::npos);

  // weight.npy: NumPy's header, the data on a 64-byte boundary of the .npy, float32 little-endian.
  const std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  const std::size_t npy = bytes.find("\x93NUMPY", bytes.find("weight.npy"));
  REQUIRE(npy != std::string::npos);
  CHECK(bytes.compare(npy + 10, header.size(), header) == 0);
  const std::size_t header_len = le32(bytes, npy + 8) & 0xFFFF;
  CHECK((10 + header_len) % 64 == 0);
  CHECK(bytes[npy + 10 + header_len - 1] == '\n');
  float data[6];
  std::memcpy(data, bytes.data() + npy + 10 + header_len, sizeof(data));
  CHECK(data[0] == 1.f);
  CHECK(data[5] == 6.f);
  CHECK(bytes.find("'shape': (2,), }") != std::string::npos);  // the bias
}

TEST_CASE("checkpoint: load rejects a mismatched module and changes nothing") {
  TempFile file("mismatch");
  tg::nn::save(Linear(3, 2), file.path);

  auto check_rejected = [&](Module& target, const std::string& problem) {
    const auto before = values_of(target);
    CHECK_THROWS_WITH_AS(tg::nn::load(target, file.path), Contains(problem.c_str()), tg::Error);
    CHECK_THROWS_WITH_AS(tg::nn::load(target, file.path), Contains(("load: '" + file.path + "'").c_str()), tg::Error);
    CHECK(values_of(target) == before);
  };
  Linear wider(3, 4);
  check_rejected(wider, "entry 'weight' has shape (2, 3), expected (4, 3); entry 'bias' has shape (2,), expected (4,)");
  Linear no_bias(3, 2, /*bias=*/false);
  check_rejected(no_bias, "unexpected entry 'bias' (not a parameter or buffer of the module)");
  CheckpointNet net;
  check_rejected(net, "missing entry 'body.0.weight' (expected shape (4, 3))");

  // A missing entry: the file lacks the bias this module has.
  tg::nn::save(Linear(3, 2, /*bias=*/false), file.path);
  Linear with_bias(3, 2);
  check_rejected(with_bias, "missing entry 'bias' (expected shape (2,))");
}

TEST_CASE("checkpoint: load rejects truncated, corrupt and non-zip files and changes nothing") {
  TempFile file("corrupt");
  tg::manual_seed(3);
  CheckpointNet net;
  tg::nn::save(net, file.path);
  const std::string good = read_bytes(file.path);
  const auto before = values_of(net);

  auto check_rejected = [&](const std::string& bytes, const std::string& problem) {
    write_bytes(file.path, bytes);
    CHECK_THROWS_WITH_AS(tg::nn::load(net, file.path), Contains(problem.c_str()), tg::Error);
    CHECK(values_of(net) == before);
  };
  check_rejected(good.substr(0, good.size() / 2), "truncated");
  check_rejected(good.substr(0, good.size() - 5), "truncated");
  check_rejected("this is not a zip file, just some text that is long enough", "not an .npz file");
  check_rejected("", "not an .npz file");

  // One byte of head.weight's .npy header changed: the CRC catches it...
  std::string corrupt = good;
  const std::size_t header = corrupt.find("{'descr'", corrupt.find("head.weight.npy"));
  REQUIRE(header != std::string::npos);
  corrupt[header] = '[';
  check_rejected(corrupt, "entry 'head.weight.npy' is corrupt (CRC-32 mismatch)");
  // ...and with the CRC recomputed, the header parser does.
  fix_crcs(corrupt);
  check_rejected(corrupt, "entry 'head.weight.npy': malformed .npy header (expected '{')");

  std::string wrong_dtype = good;
  wrong_dtype[wrong_dtype.find("'<f4'", wrong_dtype.find("count.npy")) + 3] = '8';
  fix_crcs(wrong_dtype);
  check_rejected(wrong_dtype, "entry 'count' has dtype '<f8', expected '<f4' (Float; convert the module with ->to() to load a checkpoint of the other dtype)");

  std::string wrong_version = good;
  const std::size_t format = wrong_version.find("\x93NUMPY", wrong_version.find("__tapegrad_format__.npy"));
  wrong_version[format + 10 + (le32(good, format + 8) & 0xFFFF)] = 2;
  fix_crcs(wrong_version);
  check_rejected(wrong_version, "unsupported format version 2 (this build reads version 1)");

  CHECK_THROWS_WITH_AS(tg::nn::load(net, file.path + ".absent"), Contains(("load: '" + file.path + ".absent': cannot open: No such file or directory").c_str()), tg::Error);
  CHECK(values_of(net) == before);
}

TEST_CASE("checkpoint: a local header must agree with the central directory") {
  TempFile file("local");
  tg::manual_seed(3);
  CheckpointNet net;
  tg::nn::save(net, file.path);
  const std::string good = read_bytes(file.path);
  const auto before = values_of(net);
  // The local header of head.weight.npy: the name's first occurrence follows it.
  const std::size_t local = good.find("head.weight.npy") - 30;
  REQUIRE(le32(good, local) == 0x04034b50u);

  auto check_rejected = [&](std::size_t offset, const std::string& bytes, const std::string& problem) {
    std::string bad = good;
    bad.replace(local + offset, bytes.size(), bytes);
    write_bytes(file.path, bad);
    CAPTURE(problem);
    CHECK_THROWS_WITH_AS(tg::nn::load(net, file.path),
                         Contains(("entry 'head.weight.npy': the local header " + problem +
                                   " differs from the central directory's").c_str()),
                         tg::Error);
    CHECK(values_of(net) == before);
  };
  check_rejected(30 + 11, "X", "name 'head.weightXnpy'");
  check_rejected(6, std::string("\x02\x00", 2), "flags");
  check_rejected(8, std::string("\x08\x00", 2), "compression method");
  check_rejected(14, "CRC!", "CRC-32");
  check_rejected(18, std::string("\x01\x00\x00\x00", 4), "compressed size");
  check_rejected(22, std::string("\x01\x00\x00\x00", 4), "size");
}

TEST_CASE("checkpoint: an .npy header is the dict, space padding and a newline, nothing else") {
  TempFile file("npy_tail");
  tg::manual_seed(3);
  CheckpointNet net;
  tg::nn::save(net, file.path);
  std::string bad = read_bytes(file.path);
  const auto before = values_of(net);
  const std::size_t dict_end = bad.find(", }", bad.find("head.weight.npy")) + 3;
  bad.replace(dict_end + 1, 5, "extra");  // inside the padding: "{...}  extra   \n"
  fix_crcs(bad);
  write_bytes(file.path, bad);
  CHECK_THROWS_WITH_AS(tg::nn::load(net, file.path),
                       Contains("entry 'head.weight.npy': malformed .npy header (text after the dict)"), tg::Error);
  CHECK(values_of(net) == before);
}

TEST_CASE("checkpoint: load names the file and refuses what is not a regular file, reading nothing unbounded") {
  Linear layer(2, 2);
  const std::string dir = std::filesystem::temp_directory_path().string();
  CHECK_THROWS_WITH_AS(tg::nn::load(layer, dir), Contains(("load: '" + dir + "': is a directory").c_str()), tg::Error);
  CHECK_THROWS_WITH_AS(tg::nn::load(layer, "/dev/zero"), Contains("load: '/dev/zero': not a regular file"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::nn::load(layer, dir + "/tapegrad-absent.npz"),
                       Contains(("load: '" + dir + "/tapegrad-absent.npz': cannot open: No such file or directory").c_str()),
                       tg::Error);
}

TEST_CASE("checkpoint: save reports a path it cannot write, with the reason") {
  CHECK_THROWS_WITH_AS(tg::nn::save(Linear(2, 2), "/nonexistent-folder/model.npz"),
                       Contains("save: '/nonexistent-folder/model.npz': folder '/nonexistent-folder': No such file or directory"),
                       tg::Error);
}

TEST_CASE("checkpoint: save replaces only a regular file, never a link, a folder or a device") {
  tgtest::TempDir dir;
  Linear layer(2, 2);
  // A symbolic link to a checkpoint: refused, the link and its target unchanged.
  tg::nn::save(layer, dir / "target.npz");
  const std::string target = read_bytes(dir / "target.npz");
  std::filesystem::create_symlink(dir / "target.npz", dir / "link.npz");
  CHECK_THROWS_WITH_AS(tg::nn::save(Linear(2, 2), dir / "link.npz"),
                       Contains(("save: '" + (dir / "link.npz") + "': is a symbolic link").c_str()), tg::Error);
  CHECK(std::filesystem::is_symlink(dir / "link.npz"));
  CHECK(read_bytes(dir / "target.npz") == target);
  // A named pipe stands for a device node: refused and left in place.
  REQUIRE(mkfifo((dir / "pipe").c_str(), 0600) == 0);
  CHECK_THROWS_WITH_AS(tg::nn::save(layer, dir / "pipe"),
                       Contains(("save: '" + (dir / "pipe") + "': not a regular file").c_str()), tg::Error);
  CHECK(std::filesystem::is_fifo(dir / "pipe"));
  std::filesystem::create_directory(dir / "folder.npz");
  CHECK_THROWS_WITH_AS(tg::nn::save(layer, dir / "folder.npz"), Contains("is a directory"), tg::Error);
  // Nothing was left behind beside them.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.str())) ++files;
  CHECK(files == 4);
}

TEST_CASE("checkpoint: a failed save keeps the old checkpoint and leaves no temporary file") {
  tgtest::TempDir dir;
  tg::manual_seed(1);
  Linear old_layer(2, 2);
  tg::nn::save(old_layer, dir / "m.npz");
  const std::string old_bytes = read_bytes(dir / "m.npz");
  {
    // A full disk, as this process sees it: files may not grow past 1000 bytes (EFBIG, not SIGXFSZ).
    FileSizeLimit limit(1000);
    CHECK_THROWS_WITH_AS(tg::nn::save(Linear(30, 30), dir / "m.npz"),
                         Contains(("save: '" + (dir / "m.npz") + "': write failed: File too large").c_str()), tg::Error);
  }
  CHECK(read_bytes(dir / "m.npz") == old_bytes);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.str())) ++files;
  CHECK(files == 1);
}
