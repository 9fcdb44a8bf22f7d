// tg::serialize::OutputArchive / InputArchive: named tensors written to and read from an .npz file
// that NumPy reads, as LibTorch's serialize::OutputArchive / InputArchive. Samplers save their
// state through them (sampler.save(archive), sampler.load(archive)); tg::save(sampler, path) and
// tg::load(sampler, path) wrap the two steps.
//
//   tg::serialize::OutputArchive out;
//   sampler.save(out);
//   out.save_to("sampler.npz");
//   tg::serialize::InputArchive in;
//   in.load_from("sampler.npz");
//   sampler.load(in);
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/modules/npz.hpp>

namespace tg::serialize {

class OutputArchive {
 public:
  // A Float, Double, Long or Bool tensor under `key`; throws tg::Error when the key is taken.
  void write(const std::string& key, const Tensor& tensor);
  // Writes every entry to `path` (beside it, then renamed over it); throws tg::Error on failure.
  void save_to(const std::string& path) const;

 private:
  std::vector<std::pair<std::string, npz::NpyArray>> entries_;
};

class InputArchive {
 public:
  // Reads and checks the whole file; throws tg::Error naming it and the problem.
  void load_from(const std::string& path);
  // The tensor stored under `key` (its dtype and shape); throws tg::Error naming the file and the key
  // when there is none, or when its dtype is not float32, float64, int64 or bool.
  void read(const std::string& key, Tensor& tensor) const;
  // The same, returning false (and leaving `tensor` as it was) when the key is absent.
  bool try_read(const std::string& key, Tensor& tensor) const;

 private:
  std::string path_;
  std::map<std::string, npz::NpyArray> entries_;
};

}  // namespace tg::serialize
