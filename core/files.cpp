#include <tapegrad/core/files.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <tapegrad/core/array.hpp>

namespace tg {
namespace {

std::string system_error() { return std::strerror(errno); }

// What a file of this type is, when it is not a regular file.
std::string not_regular(const struct stat& st) {
  if (S_ISDIR(st.st_mode)) return "is a directory";
  if (S_ISLNK(st.st_mode)) return "is a symbolic link (refusing to write through or replace it)";
  return "not a regular file (a device, pipe or socket; refusing to use it)";
}

}  // namespace

void check_output_file(const std::string& path, const std::string& where) {
  std::string folder = std::filesystem::path(path).parent_path().string();
  if (folder.empty()) folder = ".";
  struct stat st {};
  if (stat(folder.c_str(), &st) != 0) throw Error(where + "folder '" + folder + "': " + system_error());
  if (!S_ISDIR(st.st_mode)) throw Error(where + "'" + folder + "' is not a folder");
  if (access(folder.c_str(), W_OK | X_OK) != 0)
    throw Error(where + "folder '" + folder + "' is not writable: " + system_error());
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return;
    throw Error(where + system_error());
  }
  if (!S_ISREG(st.st_mode)) throw Error(where + not_regular(st));
  if (access(path.c_str(), W_OK) != 0) throw Error(where + "not writable: " + system_error());
}

FilePtr open_regular_file(const std::string& path, const std::string& where, std::uint64_t& size) {
  // O_NONBLOCK: opening a pipe must not wait for a writer before fstat can refuse it.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw Error(where + "cannot open: " + system_error());
  struct stat st {};
  const bool stat_ok = fstat(fd, &st) == 0;
  if (!stat_ok || !S_ISREG(st.st_mode)) {
    const std::string problem = stat_ok ? not_regular(st) : "cannot open: " + system_error();
    close(fd);
    throw Error(where + problem);
  }
  FilePtr file(fdopen(fd, "rb"));
  if (!file) {
    const std::string problem = system_error();
    close(fd);
    throw Error(where + "cannot open: " + problem);
  }
  size = static_cast<std::uint64_t>(st.st_size);
  return file;
}

std::string read_regular_file(const std::string& path, const std::string& where) {
  std::uint64_t size = 0;
  const FilePtr file = open_regular_file(path, where, size);
  std::string bytes(size, '\0');
  const std::size_t got = std::fread(bytes.data(), 1, bytes.size(), file.get());
  if (std::ferror(file.get())) throw Error(where + "read error: " + system_error());
  bytes.resize(got);  // the file shrank while being read: what remains is what a parser sees
  return bytes;
}

AtomicFileWriter::AtomicFileWriter(std::string path, std::string where) : path_(std::move(path)), where_(std::move(where)) {
  check_output_file(path_, where_);
  // A fresh name per writer: ".<pid>.<n>.partial" beside the target, created exclusively.
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0; fd_ < 0; ++attempt) {
    temp_ = path_ + "." + std::to_string(getpid()) + "." + std::to_string(counter++) + ".partial";
    fd_ = open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0 && (errno != EEXIST || attempt == 100)) throw Error(where_ + "cannot create '" + temp_ + "': " + system_error());
  }
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) {
    close(fd_);
    unlink(temp_.c_str());
  }
}

void AtomicFileWriter::fail(const std::string& what) {
  const std::string problem = where_ + what + ": " + system_error();
  close(fd_);
  fd_ = -1;
  unlink(temp_.c_str());
  throw Error(problem);
}

void AtomicFileWriter::write(const void* data, std::size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t done = ::write(fd_, p, n);
    if (done < 0 && errno == EINTR) continue;
    if (done <= 0) fail("write failed");
    p += done;
    n -= static_cast<std::size_t>(done);
  }
}

void AtomicFileWriter::commit() {
  if (fsync(fd_) != 0) fail("write failed");
  if (close(fd_) != 0) {
    fd_ = -1;  // closed either way
    const std::string problem = where_ + "write failed: " + system_error();
    unlink(temp_.c_str());
    throw Error(problem);
  }
  fd_ = -1;
  // The target may have changed since the constructor looked; look again just before replacing it.
  try {
    check_output_file(path_, where_);
  } catch (...) {
    unlink(temp_.c_str());
    throw;
  }
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
    const std::string problem = where_ + "cannot rename '" + temp_ + "' over it: " + system_error();
    unlink(temp_.c_str());
    throw Error(problem);
  }
}

}  // namespace tg
