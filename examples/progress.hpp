// Progress of long work, for people watching a terminal: a status line redrawn in place. When the
// output is piped or redirected nothing is drawn, so logs hold only the programs' plain result lines.
//
//   examples::Progress progress;
//   progress.show("epoch %d [%s] loss %.4f", epoch, bar.c_str(), loss);   // redrawn in place
//   progress.clear();                                                      // before a result line
#pragma once

#include <unistd.h>

#include <cstdio>
#include <string>

namespace examples {

class Progress {
 public:
  Progress() : terminal_(isatty(STDOUT_FILENO) != 0) {}
  bool terminal() const { return terminal_; }

  template <class... Args>
  void show(const char* format, Args... args) {
    if (!terminal_) return;
    std::printf("\r\033[K");
    std::printf(format, args...);
    std::fflush(stdout);
  }
  void clear() {
    if (!terminal_) return;
    std::printf("\r\033[K");
    std::fflush(stdout);
  }

  // "[=========               ]": done out of total, `width` wide.
  static std::string bar(std::size_t done, std::size_t total, int width = 30) {
    const int filled = total ? static_cast<int>(width * done / total) : width;
    return "[" + std::string(filled, '=') + std::string(width - filled, ' ') + "]";
  }

 private:
  bool terminal_;
};

}  // namespace examples
