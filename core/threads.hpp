// One knob for every thread pool tapegrad uses (today: OpenBLAS's), so two pools never fight over
// the cores (LibTorch's 2-thread MLP ran 4.3x slower than 1 thread here for exactly that reason).
#pragma once

namespace tg {

// Threads for the large products; a GEMM too small to gain from a second thread runs on one.
void set_num_threads(int n);
int get_num_threads();

}  // namespace tg
