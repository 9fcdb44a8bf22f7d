// One knob for the threads tapegrad uses: the size of its one pool (tg::ThreadPool), which the
// data-parallel step splits a batch over and a large GEMM outside that step splits its rows over.
// OpenBLAS itself always runs on one thread (core/blas.cpp), so two pools never fight over the cores
// (LibTorch's 2-thread MLP ran 4.3x slower than 1 thread here for exactly that reason).
#pragma once

namespace tg {

// n threads (n >= 1). The pool is capped at the machine's cores: more threads than cores only
// time-share them (README, Threads, gives the measurement).
void set_num_threads(int n);
// The number asked for with set_num_threads (OPENBLAS_NUM_THREADS, or the machine's cores, until set).
int get_num_threads();
// The threads the pool runs on: min(get_num_threads(), cores).
int get_pool_threads();

}  // namespace tg
