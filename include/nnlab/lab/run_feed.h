#pragma once
// RunFeed: what a run of the lab tells its watchers, as a numbered list of events that any number
// of readers (browser tabs, each on a server-sent-event stream) follow by a cursor: the number of
// the last event they have.
//
//   feed.publish("epoch", {{"epoch", 3}, {"train_loss", 0.41}});   // the training thread
//   auto events = feed.after(cursor, std::chrono::seconds(1));      // a reader: waits for news
//
// Small events (the loss of a step, an epoch's record) are all kept, so that a tab opened late
// draws the whole curve; of the large ones (the decision-boundary map, the layers' statistics)
// only the latest of each type is kept, which is all a late reader needs. The training thread
// publishes at most a few events a second (LiveView throttles them), so the feed stays small.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace nnlab::lab {

struct FeedEvent {
  int64_t id = 0;    // 1, 2, 3, ... in the order published
  std::string type;  // "step", "epoch", "boundary", "layers", "status", ...
  std::string data;  // JSON text
};

class RunFeed {
 public:
  // Events of these types replace the previous one of their type.
  explicit RunFeed(std::set<std::string> latest_only = {"boundary", "layers", "status", "confusion", "worst"});

  void publish(const std::string& type, const nlohmann::json& data);
  // No more events will come: readers get what is left, then an empty answer at once.
  void close();
  bool closed() const;

  // The events after `cursor` in order, waiting up to `timeout` for the first when there is none
  // yet (an empty answer: none came, or the feed is closed and read to its end).
  std::vector<FeedEvent> after(int64_t cursor, std::chrono::milliseconds timeout) const;
  int64_t last_id() const;

 private:
  const std::set<std::string> latest_only_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::map<int64_t, FeedEvent> events_;
  std::map<std::string, int64_t> latest_;  // type → id of its kept event (latest_only types)
  int64_t next_id_ = 1;
  bool closed_ = false;
};

}  // namespace nnlab::lab
