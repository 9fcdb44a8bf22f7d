#include <tapegrad/core/threads.hpp>

#include <string>

#include <cblas.h>

#include <tapegrad/core/tensor.hpp>

namespace tg {

void set_num_threads(int n) {
  if (n < 1) throw Error("set_num_threads: expected n >= 1, got " + std::to_string(n));
  openblas_set_num_threads(n);
}

int get_num_threads() { return openblas_get_num_threads(); }

}  // namespace tg
