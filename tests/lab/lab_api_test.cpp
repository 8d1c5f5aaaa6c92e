// LabApi's handlers called directly: bad requests answer 4xx with a message naming the field,
// and a run on the two spirals trains, streams its events and leaves its record in the log folder.

#include "nnlab/lab/lab_api.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "nnlab/lab/logdir.h"
#include "temp_dir.h"

namespace nnlab::lab {
namespace {

using namespace std::chrono_literals;
using nnlab::test::TempDir;

std::string api_error(const ApiReply& reply) {
  return nlohmann::json::parse(reply.body).at("error").get<std::string>();
}

// Every event of a run's feed until it closes (or a minute passes).
std::vector<FeedEvent> feed_to_end(LabRun& run) {
  std::vector<FeedEvent> events;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto news = run.feed().after(events.empty() ? 0 : events.back().id, 1s);
    if (news.empty() && run.feed().closed()) break;
    events.insert(events.end(), news.begin(), news.end());
  }
  return events;
}

TEST(LabApi, MalformedRequestsAnswer400WithAMessage) {
  LabApi api({.logdir = ""});
  struct Case {
    std::string body, wanted;
  };
  const Case cases[] = {
      {"{not json", "not JSON"},
      {"[1, 2]", "must be a JSON object"},
      {"", "not JSON"},
      {R"({"data": 3})", "data: must be a text, got 3"},
      {R"({"data": "spirals", "points": 3})", "points: must be from 8"},
      {R"({"data": "spirals", "noise": -1})", "noise: must be from 0 to 2"},
      {R"({"pace": -5})", "pace: must be 0"},
      {R"({"data": "no-such-data.csv"})", "no-such-data.csv"},
      {R"({"config": {"model": "linear:5,relux"}})", "relux"},
      {R"({"config": {"model": "linear:3"}})", "linear:2"},  // 3 outputs for 2 classes
      {R"({"config": {"batch_size": 0}})", "batch"},
      {R"({"config": {"optimizer": {"name": "sgdd"}}})", "sgdd"},
      {R"({"config": "fast"})", "config: must be an object"},
      {R"({"config": {"epochs": "many"}})", "epochs"},
  };
  for (const Case& c : cases) {
    const ApiReply reply = api.create_run(c.body);
    EXPECT_EQ(reply.status, 400) << c.body;
    EXPECT_NE(api_error(reply).find(c.wanted), std::string::npos) << c.body << " → " << api_error(reply);
  }
  const ApiReply huge = api.create_run(std::string(2 << 20, ' '));
  EXPECT_EQ(huge.status, 400);
  EXPECT_NE(api_error(huge).find("at most 1048576"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(api.list_runs().body)["runs"].size(), 0u);
}

TEST(LabApi, UnknownRunsAndBadControlsAreRefused) {
  LabApi api({.logdir = ""});
  EXPECT_EQ(api.control_run("nope", R"({"action": "pause"})").status, 404);
  EXPECT_EQ(api.delete_run("nope").status, 404);
  EXPECT_EQ(api.find_run("nope"), nullptr);
  const ApiReply made = api.create_run(R"({"data": "xor", "points": 200, "config": {"epochs": 1000}})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id = nlohmann::json::parse(made.body)["id"];
  EXPECT_EQ(api.control_run(id, R"({"action": "jump"})").status, 400);
  EXPECT_NE(api_error(api.control_run(id, R"({"action": "jump"})")).find("action: must be pause"), std::string::npos);
  EXPECT_NE(api_error(api.control_run(id, R"({"lr": -2})")).find("lr: must be a number above 0"), std::string::npos);
  EXPECT_NE(api_error(api.control_run(id, R"({"lr": "fast"})")).find("lr: must be a number above 0"),
            std::string::npos);
  EXPECT_EQ(api.control_run(id, "{oops").status, 400);
  EXPECT_EQ(api.control_run(id, R"({"lr": 0.001})").status, 200);
  EXPECT_EQ(api.control_run(id, R"({"pace": 0})").status, 200);
  EXPECT_EQ(api.find_run(id)->control().pace(), 0);
  EXPECT_NE(api_error(api.control_run(id, R"({"pace": "x"})")).find("pace: must be 0"), std::string::npos);
  EXPECT_EQ(api.control_run(id, R"({"action": "stop"})").status, 200);
  const std::vector<FeedEvent> events = feed_to_end(*api.find_run(id));
  ASSERT_FALSE(events.empty());
  const nlohmann::json done = nlohmann::json::parse(events.back().data);
  EXPECT_EQ(events.back().type, "done");
  EXPECT_EQ(done["outcome"], "stopped");
  EXPECT_EQ(api.delete_run(id).status, 200);
  EXPECT_EQ(api.find_run(id), nullptr);
}

TEST(LabApi, ARunOnTheSpiralsStreamsItsBoundaryAndLeavesItsRecord) {
  TempDir dir;
  LabApi api({.logdir = dir.str()});
  const ApiReply made = api.create_run(R"({"data": "spirals", "pace": 0, "config": {"epochs": 150}})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id = nlohmann::json::parse(made.body)["id"];
  const std::vector<FeedEvent> events = feed_to_end(*api.find_run(id));
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events.front().type, "start");
  const nlohmann::json start = nlohmann::json::parse(events.front().data);
  EXPECT_EQ(start["points"].size(), 1000u);
  EXPECT_EQ(start["spec"], "linear:16,tanh,linear:16,tanh,linear:2");
  int epochs = 0;
  nlohmann::json map, layers, last_epoch;
  for (const FeedEvent& e : events) {
    if (e.type == "epoch") ++epochs, last_epoch = nlohmann::json::parse(e.data);
    if (e.type == "boundary") map = nlohmann::json::parse(e.data);
    if (e.type == "layers") layers = nlohmann::json::parse(e.data);
  }
  EXPECT_EQ(epochs, 150);
  ASSERT_FALSE(map.is_null());
  EXPECT_EQ(map["p"].size(), 64u * 64u * 2u);
  EXPECT_EQ(map["resolution"], 64);
  for (const auto& p : map["p"]) ASSERT_TRUE(p.get<int>() >= 0 && p.get<int>() <= 255);
  ASSERT_FALSE(layers.is_null());
  EXPECT_EQ(layers["histograms"].size(), 2u);  // the two tanh layers
  EXPECT_EQ(layers["histograms"][0]["lo"], -1);
  EXPECT_GE(layers["layers"].size(), 4u);
  // The spirals are learnt: the network separates them.
  EXPECT_GT(last_epoch["val_accuracy"].get<double>(), 0.9);
  const nlohmann::json done = nlohmann::json::parse(events.back().data);
  EXPECT_EQ(done["outcome"], "done");
  EXPECT_GT(done["test"]["accuracy"].get<double>(), 0.9);

  // Its record, as nnlab train --out keeps one, listed in the log folder.
  EXPECT_TRUE(std::filesystem::exists(dir.path() / id / "history.json"));
  const nlohmann::json runs = nlohmann::json::parse(api.logdir_runs().body)["runs"];
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["name"], id);
  EXPECT_EQ(runs[0]["epochs"], 150);
  EXPECT_EQ(runs[0]["settings"]["data"].get<std::string>().substr(0, 8), "spirals:");
  const nlohmann::json progress = nlohmann::json::parse(api.logdir_progress(id, "0").body);
  ASSERT_EQ(progress["lines"].size(), 152u);  // settings, 150 epochs, stop reason
  EXPECT_EQ(progress["lines"][1]["epoch"], 1);
  EXPECT_EQ(progress["complete"], true);
  const auto end = progress["offset"].get<int64_t>();
  EXPECT_EQ(end, static_cast<int64_t>(std::filesystem::file_size(dir.path() / id / "progress.jsonl")));
  EXPECT_EQ(nlohmann::json::parse(api.logdir_progress(id, std::to_string(end)).body)["lines"].size(), 0u);
  EXPECT_NE(api_error(api.logdir_progress("../etc", "0")).find("name: must be a folder"), std::string::npos);
  EXPECT_NE(api_error(api.logdir_progress(id, "-4")).find("offset: must be 0 or a positive"), std::string::npos);
  EXPECT_NE(api_error(api.logdir_progress(id, "12abc")).find("offset"), std::string::npos);
  EXPECT_NE(api_error(api.logdir_progress("missing", "0")).find("holds no run"), std::string::npos);
}

TEST(LabApi, ALearningRateSetWhileItTrainsHoldsFromTheNextStep) {
  LabApi api({.logdir = ""});
  const ApiReply made = api.create_run(R"({"data": "xor", "points": 200, "pace": 2000, "config": {"epochs": 1000}})");
  ASSERT_EQ(made.status, 201) << made.body;
  const auto run = api.find_run(nlohmann::json::parse(made.body)["id"]);
  // The first steps at the config's rate, then the page's.
  std::vector<FeedEvent> events = run->feed().after(0, 5s);
  while (std::none_of(events.begin(), events.end(), [](const FeedEvent& e) { return e.type == "step"; })) {
    const auto news = run->feed().after(events.back().id, 5s);
    ASSERT_FALSE(news.empty());
    events.insert(events.end(), news.begin(), news.end());
  }
  ASSERT_EQ(api.control_run(run->id(), R"({"lr": 0.0007})").status, 200);
  const int64_t mark = run->feed().last_id();
  double lr = 0;
  for (int64_t cursor = mark; lr != 0.0007;) {
    const auto news = run->feed().after(cursor, 5s);
    ASSERT_FALSE(news.empty());
    for (const FeedEvent& e : news) {
      if (e.type == "step" && e.id > mark + 1) lr = nlohmann::json::parse(e.data)["lr"];
      cursor = e.id;
    }
  }
  EXPECT_DOUBLE_EQ(lr, 0.0007);
  for (const FeedEvent& e : events) {
    if (e.type == "step") {
      EXPECT_DOUBLE_EQ(nlohmann::json::parse(e.data)["lr"].get<double>(), 0.03);
    }
  }
  ASSERT_EQ(api.control_run(run->id(), R"({"action": "stop"})").status, 200);
}

TEST(LabApi, TheLogFolderListsLiveAndDamagedRunsWithoutFailing) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "live");
  nnlab::test::write_bytes(
      dir.file("live/progress.jsonl"),
      "{\"settings\": {\"data\": \"xor\"}}\n{\"epoch\": 1, \"train_loss\": 0.5}\n{\"epoch\": 2, \"tra");
  std::filesystem::create_directories(dir.path() / "damaged");
  nnlab::test::write_bytes(dir.file("damaged/history.json"), "{\"epochs\": [");
  std::filesystem::create_directories(dir.path() / "not-a-run");
  LabApi api({.logdir = dir.str()});
  const nlohmann::json runs = nlohmann::json::parse(api.logdir_runs().body)["runs"];
  ASSERT_EQ(runs.size(), 2u);
  for (const nlohmann::json& run : runs) {
    if (run["name"] == "live") {
      EXPECT_EQ(run["live"], true);
      EXPECT_EQ(run["epochs"], 1);  // the torn last line is not read yet
      EXPECT_EQ(run["settings"]["data"], "xor");
    } else {
      EXPECT_EQ(run["name"], "damaged");
      EXPECT_TRUE(run.contains("error")) << run.dump();
    }
  }
  const nlohmann::json progress = nlohmann::json::parse(api.logdir_progress("live", "0").body);
  EXPECT_EQ(progress["lines"].size(), 2u);
  EXPECT_EQ(progress["complete"], false);
  EXPECT_EQ(api.logdir_progress("damaged", "0").status, 400);
  EXPECT_EQ(api.logdir_progress("not-a-run", "0").status, 400);
  LabApi nowhere({.logdir = dir.file("missing")});
  EXPECT_EQ(nlohmann::json::parse(nowhere.logdir_runs().body)["runs"].size(), 0u);
}

TEST(LabApi, BatchNormAndResidualBlocksBuildTheirSpec) {
  RunSettings s;
  s.config = lab_default_config();
  EXPECT_EQ(lab_model_spec(s, 2), "");  // TrainConfig's own MLP
  s.batchnorm = true;
  EXPECT_EQ(lab_model_spec(s, 2), "linear:16,batchnorm,tanh,linear:16,batchnorm,tanh,linear:2");
  s.batchnorm = false;
  s.residual = true;
  s.config.hidden = {16, 16, 32};
  EXPECT_EQ(lab_model_spec(s, 3),
            "linear:16,tanh,res(linear:16,tanh,linear:16),tanh,res(linear:32,tanh,linear:32),tanh,linear:3");
  LabApi api({.logdir = ""});
  const ApiReply made = api.create_run(R"({"data": "circles", "residual": true, "batchnorm": true, "pace": 0,
      "config": {"hidden": [8, 8, 12], "epochs": 2}})");
  ASSERT_EQ(made.status, 201) << made.body;
  const auto events = feed_to_end(*api.find_run(nlohmann::json::parse(made.body)["id"]));
  EXPECT_EQ(nlohmann::json::parse(events.front().data)["spec"],
            "linear:8,batchnorm,tanh,res(linear:8,batchnorm,tanh,linear:8,batchnorm),tanh,"
            "res(linear:12,batchnorm,tanh,linear:12,batchnorm),tanh,linear:2");
  EXPECT_EQ(nlohmann::json::parse(events.back().data)["outcome"], "done") << events.back().data;
}

TEST(LabApi, ACnnOnMnistShowsItsFiltersConfusionMatrixAndWorstImages) {
  LabApi api({.logdir = ""});
  const ApiReply made = api.create_run(
      R"({"data": "mnist", "pace": 0, "config": {"model": "conv:4x3x3,relu,linear:10", "epochs": 1, "train_size": 500,
          "optimizer": {"name": "adam", "lr": 0.003}}})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::vector<FeedEvent> events = feed_to_end(*api.find_run(nlohmann::json::parse(made.body)["id"]));
  nlohmann::json layers, confusion, worst;
  for (const FeedEvent& e : events) {
    if (e.type == "layers") layers = nlohmann::json::parse(e.data);
    if (e.type == "confusion") confusion = nlohmann::json::parse(e.data);
    if (e.type == "worst") worst = nlohmann::json::parse(e.data);
    EXPECT_NE(e.type, "boundary");  // not 2-D
  }
  ASSERT_FALSE(layers.is_null());
  EXPECT_EQ(layers["filters"]["count"], 4);
  EXPECT_EQ(layers["filters"]["pixels"].size(), 4u * 3u * 3u);
  ASSERT_FALSE(confusion.is_null());
  ASSERT_EQ(confusion["matrix"].size(), 10u);
  int64_t total = 0, diagonal = 0;
  for (int i = 0; i < 10; ++i) {
    for (int j = 0; j < 10; ++j) total += confusion["matrix"][i][j].get<int64_t>();
    diagonal += confusion["matrix"][i][i].get<int64_t>();
  }
  EXPECT_EQ(total, 2000);  // the bundled sample's test images
  EXPECT_DOUBLE_EQ(confusion["accuracy"].get<double>(), static_cast<double>(diagonal) / 2000);
  EXPECT_GT(confusion["accuracy"].get<double>(), 0.5);
  ASSERT_EQ(worst["items"].size(), 16u);
  EXPECT_EQ(worst["items"][0]["pixels"].size(), 784u);
  EXPECT_NE(worst["items"][0]["label"], worst["items"][0]["predicted"]);
  EXPECT_GE(worst["items"][0]["confidence"].get<double>(), worst["items"][15]["confidence"].get<double>());
}

}  // namespace
}  // namespace nnlab::lab
