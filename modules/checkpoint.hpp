// Checkpoints: a module's parameters and buffers saved to, and loaded from, a NumPy .npz file.
//
//   tg::save(net, "mnist.npz");        // net: a holder, a shared_ptr or a Module (also tg::nn::save)
//   tg::load(net, "mnist.npz");        // all or nothing: on any problem it throws and changes nothing
//
// Format, version 1. An .npz is an uncompressed zip archive of .npy files, as np.savez writes:
//   - one entry per parameter and buffer, named by its dotted name plus ".npy" ("fc1.weight.npy"),
//     holding the tensor as .npy format 1.0: float32 ('<f4') or float64 ('<f8') little-endian as the
//     tensor's dtype, C order, the tensor's shape;
//   - "__tapegrad_format__.npy": an int32 scalar ('<i4', shape ()) holding the format version, 1.
//     load() refuses any other version, and accepts a file without the entry (such as one written by
//     np.savez from float32 arrays), which it reads as version 1.
// The zip has no compression, no zip64 (so each entry and the whole file stay under 4 GiB, at most
// 65535 entries), fixed timestamps (1980-01-01), and CRC-32s from zlib.
//
// NumPy reads it (checked by hand; python3-numpy is not a dependency of tapegrad):
//   /usr/bin/python3 -c "import numpy as np; d=np.load('x.npz'); print({k: v.shape for k,v in d.items()})"
// and, from Python, `torch.from_numpy(d['fc1.weight'])` gives LibTorch-shaped weights (Linear is (out, in)).
#pragma once

#include <string>

#include <memory>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>

namespace tg::nn {

// Writes every named parameter and buffer of `module` (recursively). The file is written beside
// `path` and renamed over it at the end, so a failed save leaves an existing checkpoint intact.
// `path` must be absent or a regular file: a symbolic link, folder or device there is refused
// (tg::check_output_file), and a failed write names the reason ("write failed: No space left on device").
void save(const Module& module, const std::string& path);

// Reads the whole file (a regular file only, never more than its size) and checks it first: every
// parameter and buffer of `module` must have an entry of the same shape and dtype (convert the module
// with ->to() first to read a checkpoint of the other dtype), and the file no other entry. Only then are values
// copied in. Any problem — a missing, extra or mis-shaped entry, a truncated, corrupt or non-zip
// file, a local zip header that disagrees with the central directory, text after an .npy header's
// dict — throws a tg::Error naming the file and the problem, with `module` left unchanged.
void load(Module& module, const std::string& path);

}  // namespace tg::nn

namespace tg {

// LibTorch's spellings: torch::save(model, path) with a holder, a shared_ptr or a module.
inline void save(const nn::Module& module, const std::string& path) { nn::save(module, path); }
inline void load(nn::Module& module, const std::string& path) { nn::load(module, path); }
template <class M, class = std::enable_if_t<std::is_base_of_v<nn::Module, M>>>
void save(const std::shared_ptr<M>& module, const std::string& path) {
  nn::save(*module, path);
}
template <class M, class = std::enable_if_t<std::is_base_of_v<nn::Module, M>>>
void load(const std::shared_ptr<M>& module, const std::string& path) {
  nn::load(*module, path);
}
template <class Impl>
void save(const nn::ModuleHolder<Impl>& module, const std::string& path) {
  nn::save(*module, path);
}
template <class Impl>
void load(nn::ModuleHolder<Impl>& module, const std::string& path) {
  nn::load(*module, path);
}

// One tensor (any dtype) to and from an .npz holding it as the entry "tensor", through
// tg::serialize's archives: torch::save(tensor, path). LibTorch writes its own zip format here;
// neither reads the other's. load replaces `tensor` with the file's (its dtype and shape).
void save(const Tensor& tensor, const std::string& path);
void load(Tensor& tensor, const std::string& path);

}  // namespace tg
