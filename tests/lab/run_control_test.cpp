// RunControl and RunFeed: the hold the page has on a training thread, and the events it follows.

#include "nnlab/lab/run_control.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "nnlab/lab/run_feed.h"

namespace nnlab::lab {
namespace {

using namespace std::chrono_literals;

TEST(RunControl, PausedRunTakesExactlyTheStepsGranted) {
  RunControl control;
  control.pause();
  std::atomic<int> steps = 0;
  std::thread trainer([&] {
    while (control.gate()) ++steps;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(steps, 0);
  control.step();
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(steps, 1);
  control.step();
  control.step();  // two clicks, two steps
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(steps, 3);
  EXPECT_EQ(control.state(), RunControl::State::kPaused);
  control.stop();  // wakes the paused thread, which ends
  trainer.join();
  EXPECT_EQ(steps, 3);
  EXPECT_EQ(control.state(), RunControl::State::kStopping);
}

TEST(RunControl, ResumeLetsItRunAndTheRateIsChecked) {
  RunControl control;
  EXPECT_TRUE(control.gate());
  EXPECT_FALSE(control.learning_rate().has_value());
  control.set_lr(0.005);
  EXPECT_DOUBLE_EQ(*control.learning_rate(), 0.005);
  EXPECT_THROW(control.set_lr(0), std::invalid_argument);
  EXPECT_THROW(control.set_lr(-1), std::invalid_argument);
  EXPECT_THROW(control.set_lr(std::nan("")), std::invalid_argument);
  EXPECT_DOUBLE_EQ(*control.learning_rate(), 0.005);
  control.pause();
  control.resume();
  EXPECT_EQ(control.state(), RunControl::State::kRunning);
  EXPECT_TRUE(control.gate());
  control.stop();
  control.resume();  // a stopped run stays stopped
  EXPECT_FALSE(control.gate());
}

TEST(RunFeed, ReadersFollowByCursorAndLargeEventsKeepOnlyTheLatest) {
  RunFeed feed;
  feed.publish("step", {{"loss", 1.0}});
  feed.publish("boundary", {{"p", {1, 2}}});
  feed.publish("step", {{"loss", 0.5}});
  feed.publish("boundary", {{"p", {3, 4}}});
  const auto all = feed.after(0, 0ms);
  ASSERT_EQ(all.size(), 3u);  // both steps, the second map only
  EXPECT_EQ(all[0].type, "step");
  EXPECT_EQ(all[1].id, 3);
  EXPECT_EQ(all[2].type, "boundary");
  EXPECT_EQ(all[2].data, R"({"p":[3,4]})");
  EXPECT_EQ(feed.after(3, 0ms).size(), 1u);
  EXPECT_EQ(feed.last_id(), 4);
  // A reader waiting for news wakes when it comes.
  std::thread writer([&] {
    std::this_thread::sleep_for(30ms);
    feed.publish("epoch", {{"epoch", 1}});
  });
  const auto start = std::chrono::steady_clock::now();
  const auto news = feed.after(4, 5s);
  writer.join();
  ASSERT_EQ(news.size(), 1u);
  EXPECT_EQ(news[0].type, "epoch");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  feed.close();
  EXPECT_TRUE(feed.after(5, 5s).empty());  // at once: closed and read to its end
  feed.publish("step", {});                // ignored after close
  EXPECT_EQ(feed.last_id(), 5);
}

}  // namespace
}  // namespace nnlab::lab
