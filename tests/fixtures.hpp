// The agreement fixtures under tests/fixtures/ (written by scripts/fixtures_optim.py with PyTorch 1.13):
// .npz files read whole through tg::npz, looked up by entry name.
#pragma once

#include <cstring>
#include <map>
#include <string>

#include <tapegrad/tapegrad.hpp>

namespace tgtest {

class Fixture {
 public:
  // Reads tests/fixtures/<file> (throws tg::Error when it is missing or corrupt).
  explicit Fixture(const std::string& file) : entries_(tg::npz::read(std::string(TAPEGRAD_TEST_FIXTURES) + "/" + file)) {}

  bool has(const std::string& key) const { return entries_.count(key) != 0; }
  const tg::npz::NpyArray& at(const std::string& key) const {
    const auto found = entries_.find(key);
    if (found == entries_.end()) throw tg::Error("fixture: no entry '" + key + "'");
    return found->second;
  }
  // A float64 or float32 entry as an Array<T>.
  template <class T>
  tg::Array<T> array(const std::string& key) const {
    const tg::npz::NpyArray& a = at(key);
    if (a.descr == "<f8") return tg::Array<T>(from<double>(a));
    if (a.descr == "<f4") return tg::Array<T>(from<float>(a));
    throw tg::Error("fixture: entry '" + key + "' is " + a.descr + ", expected float");
  }
  bool flag(const std::string& key) const {
    const tg::npz::NpyArray& a = at(key);
    if (a.descr != "|b1" || a.bytes.size() != 1) throw tg::Error("fixture: entry '" + key + "' is not a bool");
    return a.bytes[0] != 0;
  }
  // A bool array's elements.
  std::string flags(const std::string& key) const { return at(key).bytes; }

 private:
  template <class S>
  static tg::Array<S> from(const tg::npz::NpyArray& a) {
    tg::Array<S> out = tg::Array<S>::from_shape(a.shape);
    std::memcpy(out.data(), a.bytes.data(), a.bytes.size());
    return out;
  }

  std::map<std::string, tg::npz::NpyArray> entries_;
};

}  // namespace tgtest
