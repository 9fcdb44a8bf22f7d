// tg::distributed: data-parallel training over several processes (and machines), on Open MPI.
//
//   mpirun -np 2 build/examples/train_mnist --distributed
//
// Each process is one rank; rank and world size come from the environment mpirun gives it. The
// process group is LibTorch's c10d::ProcessGroupMPI reduced to what data parallelism needs:
// allreduce, broadcast and allgather on the calling thread (MPI_THREAD_FUNNELED: call it from one
// thread, e.g. the main one, never from a tg::ThreadPool task). Built only when CMake finds MPI
// (TAPEGRAD_HAS_DISTRIBUTED is then defined).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tapegrad/core/tensor.hpp>

namespace tg::distributed {

// LibTorch's c10d::BroadcastOptions, the part the MPI backend reads.
struct BroadcastOptions {
  std::int64_t rootRank = 0;
};

// Whether this process was started by mpirun (or another MPI launcher): OMPI_COMM_WORLD_SIZE or
// PMI_SIZE is set.
bool launched_by_mpirun();

class ProcessGroupMPI {
 public:
  // The world of every process mpirun started: initialises MPI on first use, finalises at exit.
  static ProcessGroupMPI& world();

  int rank() const { return rank_; }
  int size() const { return size_; }

  // In place, over every rank: data becomes the elementwise sum.
  void allreduce_sum(float* data, std::size_t count);
  void allreduce_sum(double* data, std::size_t count);
  // How allreduce_sum moves the data. SharedMemory (the default when every rank runs on this
  // machine): the ranks sum through an MPI-3 shared-memory window, each rank adding up its 1/size()
  // of the values and reading the other parts back (reduce-scatter, then allgather), with no
  // message copies; docs/distributed.md has the times. MPI: MPI_Allreduce (the default across
  // machines). Every rank must choose the same.
  enum class AllreducePath { SharedMemory, MPI };
  AllreducePath allreduce_path() const { return path_; }
  // Throws tg::Error for SharedMemory when the ranks do not all share this machine.
  void set_allreduce_path(AllreducePath path);
  // A buffer of an allreduce that sums several at once (a bucket of gradients).
  template <class T>
  struct Slice {
    T* data;
    std::size_t count;
  };
  // In place, over every rank: each slice becomes the elementwise sum times `scale` (1/size() for
  // the mean). The slices travel as one message; every rank passes slices of the same counts.
  void allreduce_sum(const std::vector<Slice<float>>& slices, float scale = 1);
  void allreduce_sum(const std::vector<Slice<double>>& slices, double scale = 1);
  // Nonblocking allreduce: start(), then wait() before reading data. One at a time per Work.
  class Work {
   public:
    Work() = default;
    Work(Work&&) noexcept;
    Work& operator=(Work&&) noexcept;
    ~Work();
    void wait();
    // Whether it has completed, without blocking (MPI_Test): poll it to wait without spinning a core.
    bool completed();

   private:
    friend class ProcessGroupMPI;
    void* request_ = nullptr;  // an MPI_Request, kept out of this header
  };
  Work allreduce_sum_async(float* data, std::size_t count);
  Work allreduce_sum_async(double* data, std::size_t count);
  // In place: every rank's data becomes root's.
  void broadcast(float* data, std::size_t count, int root = 0);
  void broadcast(double* data, std::size_t count, int root = 0);
  void broadcast(std::uint64_t* data, std::size_t count, int root = 0);
  // Every rank's string, indexed by rank.
  std::vector<std::string> allgather(const std::string& mine);
  void barrier();

  // Ends the whole job: prints "rank R: message" on stderr and calls MPI_Abort (mpirun then stops
  // every rank and exits non-zero). Never returns.
  [[noreturn]] void abort(const std::string& message, int code = 1);

  // ---- LibTorch's c10d::ProcessGroupMPI, on tensors ----
  // What pytorch/examples' cpp/distributed/dist-mnist.cpp calls compiles with `c10d::` renamed
  // `tg::distributed::` (examples/libtorch_dist_mnist.cpp). The group is always the whole world:
  // `ranks` must be empty or name every rank. Returns a non-owning handle to world().
  static std::shared_ptr<ProcessGroupMPI> createProcessGroupMPI(std::vector<int> ranks = {});
  int getRank() const { return rank_; }
  int getSize() const { return size_; }
  // Sums tensors[0] in place over the ranks (Float or Double, defined; one tensor a call, as
  // LibTorch's MPI backend). LibTorch's runs on a worker thread and its Work completes later; this
  // one has completed when it returns (wait() returns at once), so writing the tensor before
  // wait(), as dist-mnist.cpp does, acts on the sum instead of racing with it.
  std::shared_ptr<Work> allreduce(std::vector<Tensor>& tensors);
  // Every rank's tensors[0] becomes rank opts.rootRank's, likewise completed on return.
  std::shared_ptr<Work> broadcast(std::vector<Tensor>& tensors, const BroadcastOptions& opts = {});
  [[noreturn]] void abort() { abort("ProcessGroupMPI::abort()"); }

  ProcessGroupMPI(const ProcessGroupMPI&) = delete;
  ProcessGroupMPI& operator=(const ProcessGroupMPI&) = delete;
  ~ProcessGroupMPI();

 private:
  ProcessGroupMPI();
  Work start_allreduce(void* data, std::size_t count, bool doubles);
  template <class T>
  void allreduce_slices(const std::vector<Slice<T>>& slices, T scale, std::vector<T>& packed);
  int rank_ = 0, size_ = 1;
  class SharedMemory;
  std::unique_ptr<SharedMemory> shared_;  // when every rank runs on this machine
  AllreducePath path_ = AllreducePath::MPI;
  std::vector<float> packed_float_;  // allreduce_sum's slices packed for MPI_Allreduce
  std::vector<double> packed_double_;
};

// LibTorch's abstract c10d::ProcessGroup: here the MPI group itself, so c10d::ProcessGroup::Work names
// its Work.
using ProcessGroup = ProcessGroupMPI;

// Runs body(); an exception from it aborts the whole job through ProcessGroupMPI::abort with its
// message, so a failing rank never leaves the others waiting in a collective. Returns body's code.
int run_or_abort(const std::function<int()>& body);

}  // namespace tg::distributed
