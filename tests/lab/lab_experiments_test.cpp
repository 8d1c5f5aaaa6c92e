// The experiments as the lab runs them: bad names and parameters refused with a message, and the
// optimizer paths publishing their header and one result per optimizer from the start asked for.

#include "nnlab/lab/lab_experiments.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "nnlab/lab/lab_api.h"

namespace nnlab::lab {
namespace {

using namespace std::chrono_literals;

std::string experiment_error(const ApiReply& reply) {
  return nlohmann::json::parse(reply.body).at("error").get<std::string>();
}

TEST(LabExperiments, BadNamesAndParametersAnswer400) {
  LabApi api({.logdir = ""});
  const std::pair<std::string, std::string> cases[] = {
      {R"({"name": "magic"})", "experiment: unknown 'magic' (known: optimizer-paths, activation-histograms"},
      {R"({"name": 5})", "name: must name an experiment, got 5"},
      {R"({})", "name: must name an experiment"},
      {R"({"name": "optimizer-paths", "params": {"surface": "cliff"}})",
       "surface: must be bowl or saddle, got 'cliff'"},
      {R"({"name": "optimizer-paths", "params": {"x": 99}})", "x, y: the start must lie in the plotted box"},
      {R"({"name": "optimizer-paths", "params": {"x": "left"}})", "x: must be a number, got \"left\""},
      {R"({"name": "optimizer-paths", "params": {"steps": 0}})", "steps: must be from 1 to 1000, got 0"},
      {R"({"name": "optimizer-paths", "params": [1]})", "params: must be an object"},
      {R"({"name": "activation-histograms", "params": {"activation": "gelu"}})", "activation: must be sigmoid, tanh"},
      {R"({"name": "search", "params": {"trials": 0}})", "trials: must be from 1 to 200, got 0"},
      {R"({"name": "search", "params": {"trials": "30"}})", "trials: must be an integer, got \"30\""},
      {"{]", "not JSON"},
  };
  for (const auto& [body, wanted] : cases) {
    const ApiReply reply = api.create_experiment(body);
    EXPECT_EQ(reply.status, 400) << body;
    EXPECT_NE(experiment_error(reply).find(wanted), std::string::npos) << body << " → " << experiment_error(reply);
  }
  EXPECT_EQ(api.stop_experiment("nope").status, 404);
  EXPECT_EQ(nlohmann::json::parse(api.experiment_list().body)["experiments"].size(), lab_experiments().size());
}

TEST(LabExperiments, OptimizerPathsStartWhereAsked) {
  LabApi api({.logdir = ""});
  const ApiReply made = api.create_experiment(
      R"({"name": "optimizer-paths", "params": {"surface": "bowl", "x": 5, "y": -3, "steps": 12}})");
  ASSERT_EQ(made.status, 201) << made.body;
  const auto experiment = api.find_experiment(nlohmann::json::parse(made.body)["id"]);
  ASSERT_NE(experiment, nullptr);
  std::vector<FeedEvent> events;
  for (int i = 0; i < 100 && !(experiment->feed().closed() && !events.empty() && events.back().type == "done"); ++i) {
    const auto news = experiment->feed().after(events.empty() ? 0 : events.back().id, 200ms);
    events.insert(events.end(), news.begin(), news.end());
  }
  ASSERT_EQ(events.size(), 8u);  // header, six optimizers, done
  const nlohmann::json header = nlohmann::json::parse(events[0].data);
  EXPECT_EQ(events[0].type, "experiment");
  EXPECT_EQ(header["formula"], "f(x, y) = x²/20 + y²");
  EXPECT_EQ(header["f"].size(), 120u * 120u);
  EXPECT_NE(header["lesson"].get<std::string>().find("zigzags"), std::string::npos);
  for (int k = 1; k <= 6; ++k) {
    const nlohmann::json path = nlohmann::json::parse(events[k].data);
    EXPECT_EQ(events[k].type, "result");
    ASSERT_EQ(path["x"].size(), 13u);  // the start and 12 steps
    EXPECT_DOUBLE_EQ(path["x"][0].get<double>(), 5);
    EXPECT_DOUBLE_EQ(path["y"][0].get<double>(), -3);
    EXPECT_LT(path["final_loss"].get<double>(), 25 / 20.0 + 9);  // every optimizer went downhill
  }
  EXPECT_EQ(nlohmann::json::parse(events[1].data)["label"], "SGD");
  EXPECT_EQ(nlohmann::json::parse(events[7].data)["outcome"], "done");
}

}  // namespace
}  // namespace nnlab::lab
