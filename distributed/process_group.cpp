#include <tapegrad/distributed/process_group.hpp>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>
#include <thread>

#include <immintrin.h>

#include <mpi.h>

#include <tapegrad/core/array.hpp>

namespace tg::distributed {
namespace {

// MPI counts are ints: a larger buffer goes in chunks.
constexpr std::size_t kMaxCount = INT_MAX;

void check(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  throw Error(std::string("tg::distributed: ") + what + " failed: " + std::string(text, static_cast<std::size_t>(len)));
}

template <class T>
void allreduce(T* data, std::size_t count, MPI_Datatype type) {
  for (std::size_t done = 0; done < count; done += kMaxCount)
    check(MPI_Allreduce(MPI_IN_PLACE, data + done, static_cast<int>(std::min(kMaxCount, count - done)), type, MPI_SUM,
                        MPI_COMM_WORLD),
          "MPI_Allreduce");
}

MPI_Datatype mpi_type(float) { return MPI_FLOAT; }
MPI_Datatype mpi_type(double) { return MPI_DOUBLE; }

template <class T>
void bcast(T* data, std::size_t count, MPI_Datatype type, int root) {
  for (std::size_t done = 0; done < count; done += kMaxCount)
    check(MPI_Bcast(data + done, static_cast<int>(std::min(kMaxCount, count - done)), type, root, MPI_COMM_WORLD),
          "MPI_Bcast");
}

void finalize_at_exit() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

// The parts of `slices` (one message of their counts, one after another) that fall in [begin, end):
// f(pointer into a slice, offset in the message, count).
template <class T, class F>
void for_each_part(const std::vector<ProcessGroupMPI::Slice<T>>& slices, std::size_t begin, std::size_t end, F f) {
  std::size_t offset = 0;
  for (const auto& s : slices) {
    const std::size_t lo = std::max(begin, offset), hi = std::min(end, offset + s.count);
    if (lo < hi) f(s.data + (lo - offset), lo, hi - lo);
    offset += s.count;
    if (offset >= end) break;
  }
}

}  // namespace

// A window every rank of this machine can read: each rank's segment holds two buffers, used by
// alternate allreduces, so that one barrier at each phase suffices: a rank writes a buffer again
// only two allreduces later, after every rank has passed the barriers of the one in between (and
// so has finished reading it).
//
// The barrier is its own, on counters in a second small window, not MPI_Barrier: Open MPI's spins
// on the core until the other ranks arrive, and when the ranks share a core with each other or with
// other work, the waiting rank held it for a whole scheduler time slice (the allreduce's median
// took 12 ms instead of 30 us under load 6 on 2 cores). Ours spins briefly, then yields the core.
class ProcessGroupMPI::SharedMemory {
 public:
  explicit SharedMemory(MPI_Comm node) : node_(node) {
    MPI_Comm_rank(node_, &rank_);
    MPI_Comm_size(node_, &size_);
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "the barrier needs lock-free counters across processes");
    unsigned char* mine = nullptr;
    check(MPI_Win_allocate_shared(kCacheLine, 1, noncontig_info(), node_, &mine, &counters_window_), "MPI_Win_allocate_shared");
    new (mine) std::atomic<std::uint64_t>(0);
    check(MPI_Barrier(node_), "MPI_Barrier");  // every counter is constructed before any is read
    for (int r = 0; r < size_; ++r) arrived_.push_back(reinterpret_cast<std::atomic<std::uint64_t>*>(base_of(counters_window_, r)));
  }
  ~SharedMemory() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (finalized) return;
    release();
    MPI_Win_free(&counters_window_);
    MPI_Comm_free(&node_);
  }

  // Sums in rank order (the same floating-point result on every rank).
  template <class T>
  void allreduce(const std::vector<Slice<T>>& slices, T scale) {
    std::size_t n = 0;
    for (const auto& s : slices) n += s.count;
    if (n == 0) return;
    reserve(n * sizeof(T));
    const auto buffer = [&](int r) { return reinterpret_cast<T*>(segments_[static_cast<std::size_t>(r)] + parity_ * capacity_); };
    const auto part = [&](int r) { return n * static_cast<std::size_t>(r) / static_cast<std::size_t>(size_); };
    parity_ ^= 1;
    T* mine = buffer(rank_);
    for_each_part(slices, 0, n, [&](const T* data, std::size_t at, std::size_t count) { std::copy_n(data, count, mine + at); });
    sync();
    constexpr std::size_t kBlock = 1024;  // the sum of a block stays in L1 while every rank's part is added
    T sum[kBlock];
    for (std::size_t k = part(rank_), end = part(rank_ + 1); k < end; k += kBlock) {
      const std::size_t m = std::min(kBlock, end - k);
      std::copy_n(buffer(0) + k, m, sum);
      for (int r = 1; r < size_; ++r) {
        const T* in = buffer(r) + k;
        for (std::size_t i = 0; i < m; ++i) sum[i] += in[i];
      }
      std::copy_n(sum, m, mine + k);
    }
    sync();
    for (int r = 0; r < size_; ++r) {
      const T* summed = buffer(r);
      for_each_part(slices, part(r), part(r + 1), [&](T* data, std::size_t at, std::size_t count) {
        for (std::size_t i = 0; i < count; ++i) data[i] = summed[at + i] * scale;
      });
    }
  }

 private:
  // Grows both buffers to at least `bytes` (collective over the machine's ranks: every rank asks
  // for the same count, so all grow together).
  void reserve(std::size_t bytes) {
    if (bytes <= capacity_) return;
    release();
    capacity_ = std::max(bytes, 2 * capacity_);
    capacity_ = (capacity_ + kCacheLine - 1) / kCacheLine * kCacheLine;  // each buffer starts on a cache line
    unsigned char* mine = nullptr;
    check(MPI_Win_allocate_shared(static_cast<MPI_Aint>(2 * capacity_), 1, noncontig_info(), node_, &mine, &window_),
          "MPI_Win_allocate_shared");
    segments_.clear();
    for (int r = 0; r < size_; ++r) segments_.push_back(base_of(window_, r));
  }

  void release() {
    if (window_ == MPI_WIN_NULL) return;
    MPI_Win_free(&window_);
    capacity_ = 0;
  }

  // Each rank's segment on its own pages (the default packs them into one block).
  static MPI_Info noncontig_info() {
    static MPI_Info info = [] {
      MPI_Info i;
      MPI_Info_create(&i);
      MPI_Info_set(i, "alloc_shared_noncontig", "true");
      return i;
    }();
    return info;
  }

  unsigned char* base_of(MPI_Win window, int rank) {
    MPI_Aint bytes = 0;
    int unit = 0;
    unsigned char* base = nullptr;
    check(MPI_Win_shared_query(window, rank, &bytes, &unit, &base), "MPI_Win_shared_query");
    return base;
  }

  // Returns when every rank has called it as often as this one; the writes each rank made before
  // are then visible to all (release on the rank's counter, acquire on the others').
  void sync() {
    ++epoch_;
    arrived_[static_cast<std::size_t>(rank_)]->store(epoch_, std::memory_order_release);
    for (const auto* counter : arrived_)
      for (int spins = 0; counter->load(std::memory_order_acquire) < epoch_; ++spins) {
        if (spins < kSpins) _mm_pause();
        else std::this_thread::yield();
      }
  }

  static constexpr std::size_t kCacheLine = 64;
  static constexpr int kSpins = 100;  // a few us of pause instructions, then yield the core
  MPI_Comm node_;
  int rank_ = 0, size_ = 1;
  MPI_Win counters_window_ = MPI_WIN_NULL;
  std::vector<std::atomic<std::uint64_t>*> arrived_;  // how many barriers each rank has reached
  std::uint64_t epoch_ = 0;
  MPI_Win window_ = MPI_WIN_NULL;
  std::size_t capacity_ = 0;  // bytes of each of a segment's two buffers
  std::vector<unsigned char*> segments_;
  std::size_t parity_ = 0;  // which buffer this allreduce uses
};

bool launched_by_mpirun() { return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE"); }

ProcessGroupMPI::ProcessGroupMPI() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    std::atexit(finalize_at_exit);
  }
  // Errors come back as codes (turned into tg::Error) instead of MPI's default of aborting silently.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Comm node;
  check(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node), "MPI_Comm_split_type");
  int on_node = 0;
  MPI_Comm_size(node, &on_node);
  if (on_node == size_ && size_ > 1) {
    shared_ = std::make_unique<SharedMemory>(node);
    path_ = AllreducePath::SharedMemory;
  } else {
    MPI_Comm_free(&node);
  }
}

ProcessGroupMPI& ProcessGroupMPI::world() {
  static ProcessGroupMPI group;
  return group;
}

ProcessGroupMPI::~ProcessGroupMPI() = default;

void ProcessGroupMPI::allreduce_sum(float* data, std::size_t count) {
  if (path_ == AllreducePath::SharedMemory) shared_->allreduce<float>({{data, count}}, 1);
  else tg::distributed::allreduce(data, count, MPI_FLOAT);
}
void ProcessGroupMPI::allreduce_sum(double* data, std::size_t count) {
  if (path_ == AllreducePath::SharedMemory) shared_->allreduce<double>({{data, count}}, 1);
  else tg::distributed::allreduce(data, count, MPI_DOUBLE);
}

void ProcessGroupMPI::set_allreduce_path(AllreducePath path) {
  if (path == AllreducePath::SharedMemory && !shared_)
    throw Error("tg::distributed: the shared-memory allreduce needs every rank on one machine (and more than one rank)");
  path_ = path;
}

template <class T>
void ProcessGroupMPI::allreduce_slices(const std::vector<Slice<T>>& slices, T scale, std::vector<T>& packed) {
  if (path_ == AllreducePath::SharedMemory) return shared_->allreduce(slices, scale);
  std::size_t total = 0;
  for (const auto& s : slices) total += s.count;
  packed.resize(total);
  T* dst = packed.data();
  for (const auto& s : slices) dst = std::copy_n(s.data, s.count, dst);
  tg::distributed::allreduce(packed.data(), total, mpi_type(T()));
  const T* src = packed.data();
  for (const auto& s : slices)
    for (std::size_t i = 0; i < s.count; ++i) s.data[i] = *src++ * scale;
}

void ProcessGroupMPI::allreduce_sum(const std::vector<Slice<float>>& slices, float scale) {
  allreduce_slices(slices, scale, packed_float_);
}
void ProcessGroupMPI::allreduce_sum(const std::vector<Slice<double>>& slices, double scale) {
  allreduce_slices(slices, scale, packed_double_);
}

ProcessGroupMPI::Work ProcessGroupMPI::start_allreduce(void* data, std::size_t count, bool doubles) {
  if (count > kMaxCount) throw Error("tg::distributed: allreduce_sum_async of more than INT_MAX values; use buckets");
  Work work;
  auto* request = new MPI_Request;
  const int rc = MPI_Iallreduce(MPI_IN_PLACE, data, static_cast<int>(count), doubles ? MPI_DOUBLE : MPI_FLOAT, MPI_SUM,
                                MPI_COMM_WORLD, request);
  if (rc != MPI_SUCCESS) delete request;
  check(rc, "MPI_Iallreduce");
  work.request_ = request;
  return work;
}

ProcessGroupMPI::Work ProcessGroupMPI::allreduce_sum_async(float* data, std::size_t count) {
  return start_allreduce(data, count, false);
}
ProcessGroupMPI::Work ProcessGroupMPI::allreduce_sum_async(double* data, std::size_t count) {
  return start_allreduce(data, count, true);
}

ProcessGroupMPI::Work::Work(Work&& other) noexcept : request_(other.request_) { other.request_ = nullptr; }

ProcessGroupMPI::Work& ProcessGroupMPI::Work::operator=(Work&& other) noexcept {
  std::swap(request_, other.request_);
  return *this;
}

ProcessGroupMPI::Work::~Work() {
  if (!request_) return;
  auto* request = static_cast<MPI_Request*>(request_);
  MPI_Wait(request, MPI_STATUS_IGNORE);  // a pending collective must complete before its buffer goes
  delete request;
}

void ProcessGroupMPI::Work::wait() {
  if (!request_) return;
  auto* request = static_cast<MPI_Request*>(request_);
  request_ = nullptr;
  const int rc = MPI_Wait(request, MPI_STATUS_IGNORE);
  delete request;
  check(rc, "MPI_Wait");
}

bool ProcessGroupMPI::Work::completed() {
  if (!request_) return true;
  auto* request = static_cast<MPI_Request*>(request_);
  int flag = 0;
  check(MPI_Test(request, &flag, MPI_STATUS_IGNORE), "MPI_Test");
  if (flag) {
    delete request;
    request_ = nullptr;
  }
  return flag != 0;
}

void ProcessGroupMPI::broadcast(float* data, std::size_t count, int root) { bcast(data, count, MPI_FLOAT, root); }
void ProcessGroupMPI::broadcast(double* data, std::size_t count, int root) { bcast(data, count, MPI_DOUBLE, root); }
void ProcessGroupMPI::broadcast(std::uint64_t* data, std::size_t count, int root) {
  bcast(data, count, MPI_UINT64_T, root);
}

std::vector<std::string> ProcessGroupMPI::allgather(const std::string& mine) {
  if (mine.size() > kMaxCount) throw Error("tg::distributed: allgather of a string over INT_MAX bytes");
  const int len = static_cast<int>(mine.size());
  std::vector<int> lens(static_cast<std::size_t>(size_)), offsets(static_cast<std::size_t>(size_));
  check(MPI_Allgather(&len, 1, MPI_INT, lens.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
  long long total = 0;
  for (int r = 0; r < size_; ++r) {
    offsets[static_cast<std::size_t>(r)] = static_cast<int>(total);
    total += lens[static_cast<std::size_t>(r)];
    if (total > INT_MAX) throw Error("tg::distributed: allgather of more than INT_MAX bytes in all");
  }
  std::string all(static_cast<std::size_t>(total), '\0');
  check(MPI_Allgatherv(mine.data(), len, MPI_CHAR, all.data(), lens.data(), offsets.data(), MPI_CHAR, MPI_COMM_WORLD),
        "MPI_Allgatherv");
  std::vector<std::string> out;
  for (int r = 0; r < size_; ++r)
    out.push_back(all.substr(static_cast<std::size_t>(offsets[static_cast<std::size_t>(r)]),
                             static_cast<std::size_t>(lens[static_cast<std::size_t>(r)])));
  return out;
}

void ProcessGroupMPI::barrier() { check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier"); }

void ProcessGroupMPI::abort(const std::string& message, int code) {
  std::fprintf(stderr, "rank %d: %s\n", rank_, message.c_str());
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);  // MPI_Abort does not return; this is for a library that does
}

std::shared_ptr<ProcessGroupMPI> ProcessGroupMPI::createProcessGroupMPI(std::vector<int> ranks) {
  ProcessGroupMPI& group = world();
  std::sort(ranks.begin(), ranks.end());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  if (!ranks.empty() && (ranks.size() != static_cast<std::size_t>(group.size_) || ranks.front() != 0 ||
                         ranks.back() != group.size_ - 1))
    throw Error("createProcessGroupMPI: expected no ranks or all " + std::to_string(group.size_) +
                " (tapegrad's group is the whole world), got " + std::to_string(ranks.size()) + " ranks");
  return std::shared_ptr<ProcessGroupMPI>(&group, [](ProcessGroupMPI*) {});
}

namespace {

// The one Float or Double tensor of a c10d-style collective, named in errors by the collective.
Tensor& single_tensor(std::vector<Tensor>& tensors, const char* op) {
  if (tensors.size() != 1)
    throw Error(std::string(op) + ": expected exactly one tensor (as LibTorch's MPI backend), got " +
                std::to_string(tensors.size()));
  Tensor& t = tensors[0];
  if (!t.defined()) throw Error(std::string(op) + ": the tensor is undefined (a parameter's grad() before backward?)");
  if (t.scalar_type() != kFloat && t.scalar_type() != kDouble)
    throw Error(std::string(op) + ": expected a Float or Double tensor, got " + to_string(t.scalar_type()));
  return t;
}

}  // namespace

std::shared_ptr<ProcessGroupMPI::Work> ProcessGroupMPI::allreduce(std::vector<Tensor>& tensors) {
  Tensor& t = single_tensor(tensors, "ProcessGroupMPI::allreduce");
  if (t.scalar_type() == kFloat) allreduce_sum(t.data_ptr<float>(), static_cast<std::size_t>(t.numel()));
  else allreduce_sum(t.data_ptr<double>(), static_cast<std::size_t>(t.numel()));
  return std::make_shared<Work>();
}

std::shared_ptr<ProcessGroupMPI::Work> ProcessGroupMPI::broadcast(std::vector<Tensor>& tensors,
                                                                  const BroadcastOptions& opts) {
  Tensor& t = single_tensor(tensors, "ProcessGroupMPI::broadcast");
  if (opts.rootRank < 0 || opts.rootRank >= size_)
    throw Error("ProcessGroupMPI::broadcast: expected 0 <= rootRank < " + std::to_string(size_) + ", got " +
                std::to_string(opts.rootRank));
  const int root = static_cast<int>(opts.rootRank);
  if (t.scalar_type() == kFloat) broadcast(t.data_ptr<float>(), static_cast<std::size_t>(t.numel()), root);
  else broadcast(t.data_ptr<double>(), static_cast<std::size_t>(t.numel()), root);
  return std::make_shared<Work>();
}

int run_or_abort(const std::function<int()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    ProcessGroupMPI::world().abort(e.what());
  } catch (...) {
    ProcessGroupMPI::world().abort("unknown exception");
  }
}

}  // namespace tg::distributed
