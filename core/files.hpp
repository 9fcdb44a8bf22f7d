// The checks behind every file tapegrad reads or writes: checkpoints (modules/checkpoint), IDX
// datasets (data/idx) and the examples' outputs (--save, --metrics-csv, ...).
//   - A reader opens only a regular file, and reads no more than the size it has.
//   - A writer writes only a regular file: a symbolic link, folder, device node, pipe or socket in
//     its place is refused, never followed or replaced (`--save /dev/full` must not replace the device).
// Errors are tg::Error; each message starts with the caller's `where` (say "load: 'x.npz': ") and
// ends with the reason, in strerror's words when the system gave one.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

namespace tg {

// Throws unless `path` can be written as a regular file: its folder exists and is writable, and
// `path` is absent or a writable regular file. Run it before the work whose result goes there.
void check_output_file(const std::string& path, const std::string& where);

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// Opens `path` for reading, refusing anything but a regular file ("is a directory", "not a regular
// file"); `size` receives the file's size, the bound of what a reader may read from it.
FilePtr open_regular_file(const std::string& path, const std::string& where, std::uint64_t& size);

// The bytes of a regular file, all of them: at most the size it had when opened.
std::string read_regular_file(const std::string& path, const std::string& where);

// Writes a file whole or not at all: into a new file beside `path` (created exclusively, so never
// through a link), flushed to disk and renamed over `path` by commit(). Until then `path` is as it
// was; destroying the writer uncommitted removes the new file.
class AtomicFileWriter {
 public:
  AtomicFileWriter(std::string path, std::string where);  // checks `path` with check_output_file
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void write(const void* data, std::size_t n);
  void commit();

 private:
  [[noreturn]] void fail(const std::string& what);
  std::string path_, where_, temp_;
  int fd_ = -1;
};

}  // namespace tg
