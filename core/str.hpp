// tg::str: its arguments written one after another into a string, as LibTorch's torch::str
// (c10::str), for file names and messages: tg::str("sample-", 3, ".pt") is "sample-3.pt".
#pragma once

#include <sstream>
#include <string>

namespace tg {

template <class... Args>
std::string str(const Args&... args) {
  std::ostringstream out;
  ((void)(out << args), ...);
  return out.str();
}

}  // namespace tg
