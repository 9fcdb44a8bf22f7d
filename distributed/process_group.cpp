#include <tapegrad/distributed/process_group.hpp>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <exception>

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

}  // namespace

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
}

ProcessGroupMPI& ProcessGroupMPI::world() {
  static ProcessGroupMPI group;
  return group;
}

ProcessGroupMPI::~ProcessGroupMPI() = default;

void ProcessGroupMPI::allreduce_sum(float* data, std::size_t count) { allreduce(data, count, MPI_FLOAT); }
void ProcessGroupMPI::allreduce_sum(double* data, std::size_t count) { allreduce(data, count, MPI_DOUBLE); }

template <class T>
void ProcessGroupMPI::allreduce_slices(const std::vector<Slice<T>>& slices, T scale, std::vector<T>& packed) {
  std::size_t total = 0;
  for (const auto& s : slices) total += s.count;
  packed.resize(total);
  T* dst = packed.data();
  for (const auto& s : slices) dst = std::copy_n(s.data, s.count, dst);
  allreduce(packed.data(), total, mpi_type(T()));
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
