#include "nnlab/distributed/mpi_communicator.h"

#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <thread>

namespace nnlab {

namespace {
int checked_count(size_t n) {
  if (n > static_cast<size_t>(std::numeric_limits<int>::max())) {
    throw std::invalid_argument("a message of " + std::to_string(n) + " values is beyond MPI's int count");
  }
  return static_cast<int>(n);
}
}  // namespace

MpiCommunicator::MpiCommunicator(int& argc, char**& argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Comm local;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local);
  MPI_Comm_size(local, &local_size_);
  MPI_Comm_free(&local);
}

MpiCommunicator::~MpiCommunicator() { MPI_Finalize(); }

void MpiCommunicator::wait(void* handle, const char* what) const {
  auto* request = static_cast<MPI_Request*>(handle);
  if (!(timeout_ > 0)) {
    MPI_Wait(request, MPI_STATUS_IGNORE);
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  for (int polls = 0;; ++polls) {
    int done = 0;
    MPI_Test(request, &done, MPI_STATUS_IGNORE);
    if (done) return;
    // Yield between polls: ranks may share cores (mpirun --oversubscribe), and a spinning
    // rank would take the core of the one it waits for.
    std::this_thread::yield();
    if (polls % 1024 != 0) continue;
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (waited > timeout_) {
      std::fprintf(stderr,
                   "nnlab: error: rank %d of %d waited %.0f s (--mpi-timeout) for the other ranks in %s: a rank "
                   "has died or hangs; ending the job\n",
                   rank_, size_, waited, what);
      std::fflush(stderr);
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
  }
}

void MpiCommunicator::allreduce_sum(std::span<float> values) {
  MPI_Request request;
  MPI_Iallreduce(MPI_IN_PLACE, values.data(), checked_count(values.size()), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD,
                 &request);
  wait(&request, "allreduce");
}

void MpiCommunicator::allreduce_sum(std::span<double> values) {
  MPI_Request request;
  MPI_Iallreduce(MPI_IN_PLACE, values.data(), checked_count(values.size()), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD,
                 &request);
  wait(&request, "allreduce");
}

void MpiCommunicator::broadcast(std::span<float> values, int root) {
  MPI_Request request;
  MPI_Ibcast(values.data(), checked_count(values.size()), MPI_FLOAT, root, MPI_COMM_WORLD, &request);
  wait(&request, "broadcast");
}

void MpiCommunicator::broadcast(std::span<int64_t> values, int root) {
  MPI_Request request;
  MPI_Ibcast(values.data(), checked_count(values.size()), MPI_INT64_T, root, MPI_COMM_WORLD, &request);
  wait(&request, "broadcast");
}

void MpiCommunicator::broadcast(std::string& text, int root) {
  int64_t length = static_cast<int64_t>(text.size());
  broadcast(std::span<int64_t>(&length, 1), root);
  text.resize(static_cast<size_t>(length));
  MPI_Request request;
  MPI_Ibcast(text.data(), checked_count(text.size()), MPI_CHAR, root, MPI_COMM_WORLD, &request);
  wait(&request, "broadcast");
}

void MpiCommunicator::send(const std::string& text, int destination) {
  constexpr int kTag = 17;
  MPI_Request request;
  {
    const std::lock_guard lock(point_to_point_);
    MPI_Isend(text.data(), checked_count(text.size()), MPI_CHAR, destination, kTag, MPI_COMM_WORLD, &request);
  }
  for (int done = 0;;) {
    {
      const std::lock_guard lock(point_to_point_);
      MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    }
    if (done) return;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

std::string MpiCommunicator::receive(int source) {
  constexpr int kTag = 17;
  MPI_Status status;
  // Probed, not waited for: the lock is free between polls, and a rank waiting for its next
  // trial sleeps instead of taking a core.
  for (int found = 0;;) {
    {
      const std::lock_guard lock(point_to_point_);
      MPI_Iprobe(source, kTag, MPI_COMM_WORLD, &found, &status);
    }
    if (found) break;
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  int count = 0;
  MPI_Get_count(&status, MPI_CHAR, &count);
  std::string text(static_cast<size_t>(count), '\0');
  const std::lock_guard lock(point_to_point_);
  MPI_Recv(text.data(), count, MPI_CHAR, source, kTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return text;
}

void MpiCommunicator::abort(int code) {
  std::fflush(stdout);
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);  // MPI_Abort does not return; this is for the compiler
}

}  // namespace nnlab
