// A real (tiny) training trial: searched settings reach the model, and a trial's
// result depends on (seed, index) alone, not on the worker or the worker count.

#include "nnlab/search/training_trial.h"

#include <gtest/gtest.h>

#include "nnlab/data/mnist.h"
#include "nnlab/search/random_search.h"
#include "nnlab/search/search_runner.h"
#include "nnlab/search/strategy.h"

namespace nnlab {
namespace {

TEST(TrainingTrial, SearchedSettingsReachTheModel) {
  const SearchSpace space =
      SearchSpace::parse("hidden=10..20:int,depth=1..3:int,dropout=0..0.5,optimizer={sgd,adam},batch_size=8..64:int");
  EXPECT_NO_THROW(check_searchable(space, {}));
  const TrainConfig s = with_point({}, space, {12, 2, 0.25, 1, 32});
  EXPECT_EQ(s.hidden, (std::vector<int64_t>{12, 12}));
  EXPECT_EQ(s.optimizer.name, "adam");
  EXPECT_EQ(s.batch_size, 32);
  EXPECT_EQ(model_spec(s, 10), "linear:12,relu,dropout:0.25,linear:12,relu,dropout:0.25,linear:10");
  // The shape of the --hidden network cannot be searched for a --model spec.
  TrainConfig cnn;
  cnn.model = "simple-cnn";
  EXPECT_THROW(check_searchable(space, cnn), std::invalid_argument);
  EXPECT_NO_THROW(check_searchable(SearchSpace::parse("lr=1e-4..1e-2:log,batch_size=8..64:int"), cnn));
}

TEST(TrainingTrial, TrialConfigHasTheTrialsSeedAndTheSearchsSplit) {
  const SearchSpace space = SearchSpace::parse("lr=1e-3..1e-1:log");
  TrainConfig fixed;
  fixed.seed = 11;
  TrialPlan plan;
  plan.point = {0.02};
  plan.epochs = 7;
  const TrainConfig c = trial_config(fixed, space, plan, 4, 1);
  EXPECT_EQ(c.optimizer.lr, 0.02);
  EXPECT_EQ(c.epochs, 7);
  EXPECT_EQ(c.seed, trial_seed(~uint64_t{11}, 4));
  EXPECT_EQ(c.split_seed, std::optional<uint64_t>(11));
  EXPECT_EQ(c.threads, 1);
  plan.origin = 2;  // a continued trial trains as the one it continues
  EXPECT_EQ(trial_config(fixed, space, plan, 9, 1).seed, trial_seed(~uint64_t{11}, 2));
}

TEST(TrainingTrial, RejectsWhatCannotBeSearched) {
  EXPECT_THROW(check_searchable(SearchSpace::parse("colour=1..2"), {}), std::invalid_argument);
  EXPECT_THROW(check_searchable(SearchSpace::parse("optimizer={sgd,lion}"), {}), std::invalid_argument);
  EXPECT_THROW(check_searchable(SearchSpace::parse("dropout=0..1"), {}), std::invalid_argument);
  EXPECT_THROW(check_searchable(SearchSpace::parse("hidden=10..20"), {}), std::invalid_argument);
  EXPECT_THROW(check_searchable(SearchSpace::parse("lr={1,2}"), {}), std::invalid_argument);
}

// The sizes a point turns into (a layer width, a layer count, a batch) have bounds,
// named with the parameter, so that no value is cast to an integer it does not fit.
TEST(TrainingTrial, SizesHaveSaneUpperBounds) {
  auto error = [](const std::string& text) {
    try {
      check_searchable(SearchSpace::parse(text), {});
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error("hidden=1..65536:int,depth=1..100:int,batch_size=1..1000000:int"), "");
  EXPECT_EQ(error("hidden=1..65537:int"), "hidden needs a range up to at most 65536, got hidden=1..65537:int");
  EXPECT_EQ(error("depth=1..101:int"), "depth needs a range up to at most 100, got depth=1..101:int");
  EXPECT_EQ(error("batch_size=1..1e7:int"),
            "batch_size needs a range up to at most 1000000, got batch_size=1..10000000:int");
  // Beyond 2^53 the space itself refuses, naming the part.
  try {
    SearchSpace::parse("hidden=1..1e300:int");
    ADD_FAILURE() << "hidden=1..1e300:int parsed";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'hidden=1..1e300:int'"), std::string::npos) << e.what();
  }
  // The largest point of the bounds becomes exactly these sizes.
  const SearchSpace space = SearchSpace::parse("hidden=1..65536:int,depth=1..100:int,batch_size=1..1000000:int");
  const TrainConfig s = with_point({}, space, {65536, 100, 1000000});
  EXPECT_EQ(s.hidden, std::vector<int64_t>(100, 65536));
  EXPECT_EQ(s.batch_size, 1000000);
}

TEST(TrainingTrial, SameTrialSameResultWhateverTheWorkers) {
  const TrainTest data = load_mnist(default_mnist_folder());
  const SearchSpace space = SearchSpace::parse("lr=1e-3..1e-1:log,dropout=0..0.3");
  TrainConfig fixed;
  fixed.hidden = {32, 32};
  fixed.optimizer.name = "sgd";
  fixed.schedule = "constant";
  fixed.batch_size = 50;
  fixed.train_size = 300;
  fixed.val_split = 0.2;
  fixed.seed = 5;
  auto run = [&](int workers) {
    RandomSearch random(space, 5, 6, 3);
    return run_search(random, space,
                      [&](int index, const TrialPlan& plan) {
                        return run_training_trial(trial_config(fixed, space, plan, index, 1), data.train);
                      },
                      {.workers = workers});
  };
  const SearchResult one = run(1);
  const SearchResult two = run(2);
  ASSERT_EQ(one.trials.size(), 6u);
  ASSERT_EQ(two.trials.size(), 6u);
  bool used_both = false;
  for (size_t i = 0; i < 6; ++i) {
    ASSERT_EQ(one.trials[i].val_accuracy.size(), 3u);
    EXPECT_EQ(one.trials[i].val_accuracy, two.trials[i].val_accuracy) << "trial " << i;
    EXPECT_EQ(one.trials[i].val_loss, two.trials[i].val_loss) << "trial " << i;
    used_both |= two.trials[i].worker == 1;
  }
  EXPECT_TRUE(used_both);
  double best = 0;
  for (const auto& t : one.trials) best = std::max(best, t.score);
  EXPECT_GT(best, 0.3);  // the best trial learns something in 3 epochs
}

}  // namespace
}  // namespace nnlab
