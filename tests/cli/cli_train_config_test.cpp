// One TrainConfig behind train and search: the flags nnlab train reads are the ones
// train_args writes (every field, exactly), and the command a search prints for its best
// trial is that trial, to the last digit of its validation accuracy.

#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"
#include "nnlab/train/train_config.h"
#include "test_util.h"

namespace nnlab::test {

class CliTrainConfig : public CliRunner {
 protected:
  // What `nnlab train ARGS --dry-run` reads from the flags.
  TrainConfig parsed(const TrainConfig& config) {
    const std::string command = train_command(config);
    EXPECT_EQ(command.rfind("nnlab train", 0), 0u) << command;
    const CliResult r = run(command.substr(std::string("nnlab ").size()) + " --dry-run");
    EXPECT_EQ(r.code, 0) << command << "\n" << r.err;
    return train_config_from_json(nlohmann::json::parse(r.out));
  }
};

TEST_F(CliTrainConfig, EveryFieldSurvivesTheCommandLine) {
  TrainConfig a;
  a.hidden = {7, 9, 11};
  a.activation = "tanh";
  a.dropout = 0.25;
  a.init = "xavier-uniform";
  a.optimizer.name = "rmsprop";
  a.optimizer.lr = 0.012345678901234567;
  a.optimizer.momentum = 0.8;
  a.optimizer.beta1 = 0.85;
  a.optimizer.beta2 = 0.9995;
  a.optimizer.eps = 1e-7;
  a.optimizer.alpha = 0.95;
  a.l1 = 1.5e-5;
  a.schedule = "warmup:10+cosine";
  a.clip_norm = 2.5;
  a.clip_value = 0.75;
  a.augment = "none";
  a.batch_size = 33;
  a.accumulate_steps = 3;
  a.iterations = 17;
  a.train_size = 400;
  a.val_split = 0.15;
  a.early_stopping = 4;
  a.early_stopping_metric = "val_accuracy";
  a.min_delta = 0.001;
  a.seed = 9223372036854775813ULL;
  a.split_seed = 7;
  a.shuffle_seed = 18446744073709551615ULL;
  a.threads = 1;
  EXPECT_EQ(to_json(parsed(a)), to_json(a));

  TrainConfig b;
  b.model = "conv:4x3x3:pad=1,relu,maxpool:2,gap,linear:10";
  b.optimizer.name = "sgd";
  b.weight_decay = 1e-4;
  b.schedule = "step:100:0.5";
  b.augment = "shift:1";
  b.epochs = 3;
  b.val_split = 0;
  EXPECT_EQ(to_json(parsed(b)), to_json(b));
  // Nothing but the defaults: no flags at all.
  const TrainConfig defaults;
  EXPECT_EQ(train_command(defaults), "nnlab train");
}

TEST_F(CliTrainConfig, SearchPrintsTheCommandOfItsBestTrial) {
  const std::string out = (dir_ / "search").string();
  const CliResult search =
      run("search --space \"lr=1e-3..3e-2:log,weight_decay=1e-6..1e-3:log\" --trials 3 --epochs 2 --hidden 24 "
          "--train-size 300 --val-split 0.2 --workers 2 --threads 2 --out " +
          out);
  ASSERT_EQ(search.code, 0) << search.err;
  const std::string marker = "the same run: nnlab train ";
  const size_t at = search.out.find(marker);
  ASSERT_NE(at, std::string::npos) << search.out;
  const std::string args = search.out.substr(at + marker.size(), search.out.find('\n', at) - at - marker.size());
  // The search's own settings and the trial's are all there.
  for (const char* flag : {"--hidden 24", "--train-size 300", "--val-split 0.2", "--epochs 2", "--split-seed 0",
                           "--threads 1", "--lr ", "--weight-decay ", "--seed "}) {
    EXPECT_NE(args.find(flag), std::string::npos) << flag << " in " << args;
  }

  double best = -1;
  for (const auto& trial : nlohmann::json::parse(slurp(std::filesystem::path(out) / "trials.json"))) {
    best = std::max(best, trial.at("score").get<double>());
  }
  const std::string replay = (dir_ / "replay").string();
  const CliResult train = run("train " + args + " --progress quiet --out " + replay);
  ASSERT_EQ(train.code, 0) << train.err;
  const auto history = nlohmann::json::parse(slurp(std::filesystem::path(replay) / "history.json"));
  EXPECT_EQ(history.at("epochs").back().at("val_accuracy").get<double>(), best) << args;
  EXPECT_EQ(history.at("epochs").size(), 2u);
}

TEST_F(CliTrainConfig, BadValuesNameTheFlag) {
  for (const auto& [args, flag] :
       std::vector<std::pair<std::string, std::string>>{{"--lr 0", "--lr"},
                                                        {"--accumulate-steps 0", "--accumulate-steps"},
                                                        {"--dropout 1", "--dropout"},
                                                        {"--model linear:10 --dropout 0.5", "--dropout"},
                                                        {"--l1 0.1 --weight-decay 0.1", "--weight-decay"},
                                                        {"--val-split 1", "--val-split"}}) {
    const CliResult r = run("train " + args + " --out " + (dir_ / "x").string());
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_NE(r.err.find(flag), std::string::npos) << args << ": " << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
  }
}

}  // namespace nnlab::test
