#pragma once
// MpiCommunicator: a job started by mpirun, over MPI_COMM_WORLD (MPI's C API; only in builds
// with NNLAB_MPI). The constructor calls MPI_Init_thread (MPI_THREAD_SERIALIZED: the search's
// worker threads send and receive, one call at a time under a lock; OpenMP's threads never call
// MPI), the destructor MPI_Finalize; one per process.
//
// Every collective operation is started non-blocking and waited for with a deadline
// (set_timeout): a rank that waits longer prints which rank it is, which operation and for how
// long, and ends the job with MPI_Abort, so that a rank that hangs (or one that died where the
// launcher does not notice) never leaves the others waiting for ever.

#include <mutex>

#include "nnlab/distributed/communicator.h"

namespace nnlab {

class MpiCommunicator final : public Communicator {
 public:
  MpiCommunicator(int& argc, char**& argv);
  ~MpiCommunicator() override;
  MpiCommunicator(const MpiCommunicator&) = delete;
  MpiCommunicator& operator=(const MpiCommunicator&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  int local_size() const override { return local_size_; }
  void allreduce_sum(std::span<float> values) override;
  void allreduce_sum(std::span<double> values) override;
  void broadcast(std::span<float> values, int root) override;
  void broadcast(std::span<int64_t> values, int root) override;
  void broadcast(std::string& text, int root) override;
  void send(const std::string& text, int destination) override;
  std::string receive(int source) override;
  [[noreturn]] void abort(int code) override;
  void set_timeout(double seconds) override { timeout_ = seconds; }

 private:
  // Waits for the request `handle` (an MPI_Request) of operation `what`, at most timeout_ seconds.
  void wait(void* handle, const char* what) const;

  int rank_ = 0, size_ = 1, local_size_ = 1;
  double timeout_ = 0;
  std::mutex point_to_point_;  // one MPI call at a time from the threads that send and receive
};

}  // namespace nnlab
