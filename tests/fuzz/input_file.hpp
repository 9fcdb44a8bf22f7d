// A fuzz input as a file: tapegrad's readers take paths. One file per target process, rewritten for
// each input and removed at exit.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace tgfuzz {

class InputFile {
 public:
  explicit InputFile(const std::string& suffix)
      : path_((std::filesystem::temp_directory_path() /
               ("tapegrad_fuzz_" + std::to_string(getpid()) + "_" + suffix)).string()) {}
  ~InputFile() { std::remove(path_.c_str()); }

  const std::string& write(const std::uint8_t* data, std::size_t size) const {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out.flush()) std::abort();  // the harness, not the reader, failed
    return path_;
  }

 private:
  std::string path_;
};

}  // namespace tgfuzz
