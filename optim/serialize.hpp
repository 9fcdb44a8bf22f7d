// An optimizer's state — every group's options and every parameter's step count and buffers — saved
// to and loaded from an .npz file that NumPy reads, as torch::save / torch::load do for LibTorch's:
//
//   tg::save(net, "net.npz");  tg::save(opt, "opt.npz");   // after k steps
//   tg::load(net, "net.npz");  tg::load(opt, "opt.npz");   // fresh objects: step k+1 as if never stopped
//
// Entries, mirroring PyTorch's optimizer.state_dict() (parameters are numbered across the groups in order):
//   __tapegrad_format__          int32 scalar, 1
//   optimizer                    bytes, the optimizer's name ("Adam")
//   param_groups.<g>.params      int64 (n,): the numbers of group g's parameters
//   param_groups.<g>.<option>    float64 scalar, float64 (2,) for betas, bool for flags ("lr", "betas", ...)
//   state.<i>.step               int64 scalar, where the optimizer counts steps
//   state.<i>.<buffer>           the parameter's dtype (float32 or float64) and shape ("exp_avg", ...)
// A parameter that has not stepped yet has no state entries.
//
// load() reads and checks the whole file before changing anything: the optimizer's name, the number
// of groups and of parameters in each, every option (present, of the right dtype, and valid for the
// optimizer), every state buffer's shape, and no entry left over. On any mismatch it throws a
// tg::Error naming the file and the problems and leaves the optimizer as it was. It replaces the
// options of every group (the lr included) and the state of every parameter.
#pragma once

#include <string>

#include <tapegrad/optim/optimizer.hpp>

namespace tg::optim {

void save(const Optimizer& optimizer, const std::string& path);
void load(Optimizer& optimizer, const std::string& path);

}  // namespace tg::optim

namespace tg {

inline void save(const optim::Optimizer& optimizer, const std::string& path) { optim::save(optimizer, path); }
inline void load(optim::Optimizer& optimizer, const std::string& path) { optim::load(optimizer, path); }

}  // namespace tg
