// Checkpoints: a module's parameters and buffers saved to, and loaded from, a NumPy .npz file.
//
//   tg::nn::save(*net, "mnist.npz");
//   tg::nn::load(*net, "mnist.npz");   // all or nothing: on any problem it throws and changes nothing
//
// Format, version 1. An .npz is an uncompressed zip archive of .npy files, as np.savez writes:
//   - one entry per parameter and buffer, named by its dotted name plus ".npy" ("fc1.weight.npy"),
//     holding the tensor as .npy format 1.0: float32 little-endian ('<f4'), C order, the tensor's shape;
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

#include <tapegrad/modules/module.hpp>

namespace tg::nn {

// Writes every named parameter and buffer of `module` (recursively). The file is written beside
// `path` and renamed over it at the end, so a failed save leaves an existing checkpoint intact.
// `path` must be absent or a regular file: a symbolic link, folder or device there is refused
// (tg::check_output_file), and a failed write names the reason ("write failed: No space left on device").
void save(const Module& module, const std::string& path);

// Reads the whole file (a regular file only, never more than its size) and checks it first: every parameter and buffer of `module` must have an
// entry of the same shape and dtype float32, and the file no other entry. Only then are values
// copied in. Any problem — a missing, extra or mis-shaped entry, a truncated, corrupt or non-zip
// file, a local zip header that disagrees with the central directory, text after an .npy header's
// dict — throws a tg::Error naming the file and the problem, with `module` left unchanged.
void load(Module& module, const std::string& path);

}  // namespace tg::nn
