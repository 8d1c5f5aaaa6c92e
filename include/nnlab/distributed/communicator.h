#pragma once
// Communicator: the processes of one training job and the collective operations between them
// (MPI's names: rank, size, allreduce, broadcast). Data-parallel training (DataParallel), the CLI
// and the search take one by reference; none is global.
//
//   std::unique_ptr<Communicator> world = launch_communicator(argc, argv);  // distributed/launch.h
//   world->allreduce_sum(gradients);   // every rank now holds the sum over all ranks
//
// SingleProcess is the job of one process (every operation is the identity); MpiCommunicator
// (distributed/mpi_communicator.h, in builds with NNLAB_MPI) is a job started by mpirun.

#include <cstdint>
#include <span>
#include <string>

namespace nnlab {

class Communicator {
 public:
  virtual ~Communicator() = default;

  // 0 .. size() - 1; rank 0 is the one that prints and writes files.
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // The ranks on this machine (threads per rank: cores / local_size()).
  virtual int local_size() const = 0;
  bool is_root() const { return rank() == 0; }

  // Replaces `values` by their element-wise sum over all ranks; every rank gets the same sums.
  virtual void allreduce_sum(std::span<float> values) = 0;
  virtual void allreduce_sum(std::span<double> values) = 0;
  // Replaces `values` on every rank by rank `root`'s (all ranks give the same length).
  virtual void broadcast(std::span<float> values, int root) = 0;
  virtual void broadcast(std::span<int64_t> values, int root) = 0;
  virtual void broadcast(std::string& text, int root) = 0;
  // Point to point, for a coordinator and its workers (the search's trials): `text` to rank
  // `destination`, and the next text from rank `source`. They wait without a deadline (a trial
  // takes as long as it takes), and may be called from several threads, one at a time inside.
  virtual void send(const std::string& text, int destination) = 0;
  virtual std::string receive(int source) = 0;
  // Ends every process of the job at once with `code` (after the caller printed why).
  [[noreturn]] virtual void abort(int code) = 0;
  // Seconds a rank waits in a collective operation for the others before it ends the job,
  // naming itself and the operation (a rank died or hangs); 0 waits for ever.
  virtual void set_timeout(double seconds) = 0;
};

// A job of one process.
class SingleProcess final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  int local_size() const override { return 1; }
  void allreduce_sum(std::span<float> /*values*/) override {}
  void allreduce_sum(std::span<double> /*values*/) override {}
  void broadcast(std::span<float> /*values*/, int /*root*/) override {}
  void broadcast(std::span<int64_t> /*values*/, int /*root*/) override {}
  void broadcast(std::string& /*text*/, int /*root*/) override {}
  // There is no other rank: std::logic_error.
  void send(const std::string& text, int destination) override;
  std::string receive(int source) override;
  [[noreturn]] void abort(int code) override;
  void set_timeout(double /*seconds*/) override {}
};

}  // namespace nnlab
