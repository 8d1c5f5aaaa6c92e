#include "nnlab/search/distributed_trials.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace nnlab {

namespace {
// The ranks that train no trial at the moment.
class FreeRanks {
 public:
  explicit FreeRanks(int size) {
    for (int rank = size - 1; rank >= 1; --rank) free_.push_back(rank);
  }
  int take() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !free_.empty(); });
    const int rank = free_.back();
    free_.pop_back();
    return rank;
  }
  void give_back(int rank) {
    {
      const std::lock_guard lock(mutex_);
      free_.push_back(rank);
    }
    available_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<int> free_;
};
}  // namespace

Objective remote_trials(Communicator& world, const SearchSpace& space) {
  auto ranks = std::make_shared<FreeRanks>(world.size());
  return [&world, &space, ranks](int index, const TrialPlan& plan) {
    TrialRecord asked;
    asked.index = index;
    asked.plan = plan;
    const int rank = ranks->take();
    world.send(asked.to_json(space).dump(), rank);
    const std::string answer = world.receive(rank);
    ranks->give_back(rank);
    TrialRecord record = TrialRecord::from_json(nlohmann::json::parse(answer), space);
    record.worker = rank;
    return record;
  };
}

void end_trials(Communicator& world) {
  for (int rank = 1; rank < world.size(); ++rank) world.send("", rank);
}

void serve_trials(Communicator& world, const SearchSpace& space, const Objective& objective) {
  for (;;) {
    const std::string message = world.receive(0);
    if (message.empty()) return;
    const TrialRecord asked = TrialRecord::from_json(nlohmann::json::parse(message), space);
    TrialRecord record = objective(asked.index, asked.plan);
    record.index = asked.index;
    record.plan = asked.plan;
    world.send(record.to_json(space).dump(), 0);
  }
}

}  // namespace nnlab
