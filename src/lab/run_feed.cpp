#include "nnlab/lab/run_feed.h"

namespace nnlab::lab {

RunFeed::RunFeed(std::set<std::string> latest_only) : latest_only_(std::move(latest_only)) {}

void RunFeed::publish(const std::string& type, const nlohmann::json& data) {
  std::string text = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  {
    const std::lock_guard lock(mutex_);
    if (closed_) return;
    const int64_t id = next_id_++;
    if (latest_only_.contains(type)) {
      const auto previous = latest_.find(type);
      if (previous != latest_.end()) events_.erase(previous->second);
      latest_[type] = id;
    }
    events_.emplace(id, FeedEvent{id, type, std::move(text)});
  }
  changed_.notify_all();
}

void RunFeed::close() {
  {
    const std::lock_guard lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
}

bool RunFeed::closed() const {
  const std::lock_guard lock(mutex_);
  return closed_;
}

int64_t RunFeed::last_id() const {
  const std::lock_guard lock(mutex_);
  return next_id_ - 1;
}

std::vector<FeedEvent> RunFeed::after(int64_t cursor, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return closed_ || next_id_ - 1 > cursor; });
  std::vector<FeedEvent> out;
  for (auto it = events_.upper_bound(cursor); it != events_.end(); ++it) out.push_back(it->second);
  return out;
}

}  // namespace nnlab::lab
