#include "nnlab/train/early_stopping.h"

#include <cmath>

#include "nnlab/layers/batchnorm.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/optim/sgd.h"
#include "nnlab/train/trainer.h"
#include "test_util.h"

namespace nnlab::test {

namespace {

// Drives the callback by hand with validation values chosen by the test: the model's
// parameters and BatchNorm statistics are set to the epoch number, so the restored
// values say which epoch they came from.
struct Scripted {
  Sequential<float> model = build_model<float>("linear:3,batchnorm,relu,linear:2", Shape{4});
  SGD<float> sgd{model.parameters(), 0.1};
  History history;
  TrainState state{model, sgd, history};

  void stamp(float value) {
    for (const auto& p : model.parameters()) p.value->fill(value);
    for (const auto& [name, buffer] : model.buffers()) buffer->fill(value);
  }
  bool holds(float value) {
    for (const auto& p : model.parameters()) {
      for (float v : *p.value) {
        if (v != value) return false;
      }
    }
    for (const auto& [name, buffer] : model.buffers()) {
      for (float v : *buffer) {
        if (v != value) return false;
      }
    }
    return true;
  }
  // Runs epochs with these validation values until the callback stops training;
  // returns the number of epochs run.
  int run(EarlyStopping& callback, const std::vector<double>& values, bool accuracy = false) {
    callback.on_train_begin(state);
    int epoch = 0;
    for (double v : values) {
      ++epoch;
      state.epoch = epoch;
      stamp(static_cast<float>(epoch));
      EpochRecord record;
      record.epoch = epoch;
      record.val_loss = accuracy ? 1.0 : v;
      record.val_accuracy = accuracy ? v : 0.5;
      history.epochs.push_back(record);
      callback.on_epoch_end(state, record);
      if (state.stop) break;
    }
    history.stop_reason = state.stop ? state.stop_reason : "completed";
    callback.on_train_end(state);
    return epoch;
  }
};

// Random points with random labels: a wide network memorises the training points,
// so the loss on other random points rises after the first epochs.
Dataset noise(int64_t n, Rng& rng) {
  Dataset d;
  d.num_classes = 3;
  d.x = Tensor<float>(Shape{n, 8});
  d.y = Tensor<float>(Shape{n});
  for (auto& v : d.x) v = static_cast<float>(rng.normal());
  for (int64_t i = 0; i < n; ++i) d.y[i] = static_cast<float>(rng.below(3));
  return d;
}

struct FitResult {
  History history;
  std::vector<Tensor<float>> weights;
};

// A real fit on noise, with or without early stopping, from the same seeds.
FitResult fit_noise(int epochs, std::shared_ptr<Callback> callback, std::shared_ptr<Callback> other = nullptr) {
  Rng data_rng(11);
  const Dataset train = noise(40, data_rng);
  const Dataset validation = noise(40, data_rng);
  Rng rng(3);
  Sequential<float> model = build_model<float>("linear:64,batchnorm,relu,linear:3", Shape{8});
  model.initialize(Initializer::he_normal(), rng);
  SoftmaxCrossEntropy<float> loss;
  SGD<float> sgd(model.parameters(), 0.2);
  Trainer trainer(model, loss, sgd);
  if (callback) trainer.add_callback(callback);
  if (other) trainer.add_callback(other);
  FitResult run;
  run.history = trainer.fit(train, &validation, {.epochs = epochs, .batch_size = 10}, rng);
  for (const auto& p : model.parameters()) run.weights.push_back(*p.value);
  for (const auto& [name, buffer] : model.buffers()) run.weights.push_back(*buffer);
  return run;
}

class StopAt final : public Callback {
 public:
  explicit StopAt(int epoch) : epoch_(epoch) {}
  void on_epoch_end(TrainState& state, const EpochRecord& record) override {
    if (record.epoch == epoch_) state.request_stop("stopped by another callback");
  }

 private:
  int epoch_;
};

}  // namespace

TEST(EarlyStopping, StopsAfterPatienceEpochsWithoutImprovementAndRestoresTheBestEpoch) {
  Scripted s;
  EarlyStopping callback({.patience = 3});
  const int epochs = s.run(callback, {1.0, 0.8, 0.9, 0.85, 0.95, 0.1, 0.1});
  EXPECT_EQ(epochs, 5);  // best at 2, then 3, 4, 5 without improvement
  EXPECT_TRUE(s.state.stop);
  EXPECT_EQ(s.history.best_epoch, 2);
  EXPECT_DOUBLE_EQ(s.history.best_value, 0.8);
  EXPECT_EQ(s.history.stopped_epoch, 5);
  EXPECT_TRUE(s.history.restored);
  EXPECT_TRUE(s.holds(2.0f));  // every parameter and the BatchNorm running statistics
  EXPECT_EQ(s.history.stop_reason, "early stopping: val_loss did not improve for 3 epochs; best epoch 2 restored");
}

TEST(EarlyStopping, MaximisesValidationAccuracy) {
  Scripted s;
  EarlyStopping callback({.monitor = "val_accuracy", .patience = 2});
  const int epochs = s.run(callback, {0.5, 0.7, 0.6, 0.7, 0.9}, /*accuracy=*/true);
  EXPECT_EQ(epochs, 4);  // 0.7 again is no improvement
  EXPECT_EQ(s.history.best_epoch, 2);
  EXPECT_EQ(s.history.monitor, "val_accuracy");
  EXPECT_TRUE(s.holds(2.0f));
}

TEST(EarlyStopping, ChangesSmallerThanMinDeltaAreNoImprovement) {
  {
    Scripted s;
    EarlyStopping callback({.patience = 3, .min_delta = 0.01});
    EXPECT_EQ(s.run(callback, {1.0, 0.995, 0.991, 0.992, 0.5}), 4);
    EXPECT_EQ(s.history.best_epoch, 1);
    EXPECT_TRUE(s.holds(1.0f));
    EXPECT_EQ(s.history.stop_reason,
              "early stopping: val_loss did not improve by 0.01 for 3 epochs; best epoch 1 restored");
  }
  {
    Scripted s;  // the same values without min_delta: every epoch improves
    EarlyStopping callback({.patience = 3});
    EXPECT_EQ(s.run(callback, {1.0, 0.995, 0.991, 0.992, 0.5}), 5);
    EXPECT_FALSE(s.state.stop);
    EXPECT_EQ(s.history.best_epoch, 5);
  }
  {
    Scripted s;  // 0.979 beats 0.99 − 0.01 and resets the count
    EarlyStopping callback({.patience = 2, .min_delta = 0.01});
    EXPECT_EQ(s.run(callback, {0.99, 0.985, 0.979, 0.975, 0.972}), 5);
    EXPECT_EQ(s.history.best_epoch, 3);
  }
}

TEST(EarlyStopping, RestoresWhenThePlannedEpochsRunOut) {
  Scripted s;
  EarlyStopping callback({.patience = 10});
  EXPECT_EQ(s.run(callback, {1.0, 0.7, 0.8, 0.9}), 4);
  EXPECT_FALSE(s.state.stop);
  EXPECT_EQ(s.history.stopped_epoch, 0);
  EXPECT_TRUE(s.history.restored);
  EXPECT_TRUE(s.holds(2.0f));
  EXPECT_EQ(s.history.stop_reason, "completed; best epoch 2 (val_loss 0.7) restored");
}

TEST(EarlyStopping, KeepsTheLastWeightsWhenAskedNotToRestore) {
  Scripted s;
  EarlyStopping callback({.patience = 2, .restore_best = false});
  EXPECT_EQ(s.run(callback, {1.0, 0.7, 0.8, 0.9}), 4);
  EXPECT_FALSE(s.history.restored);
  EXPECT_TRUE(s.holds(4.0f));
  EXPECT_EQ(s.history.stop_reason,
            "early stopping: val_loss did not improve for 2 epochs; best epoch 2 (not restored)");
}

TEST(EarlyStopping, RejectsBadOptions) {
  EXPECT_THROW(EarlyStopping({.monitor = "train_loss"}), std::invalid_argument);
  EXPECT_THROW(EarlyStopping({.patience = 0}), std::invalid_argument);
  EXPECT_THROW(EarlyStopping({.min_delta = -0.1}), std::invalid_argument);
  EXPECT_THROW(EarlyStopping({.min_delta = NAN}), std::invalid_argument);
}

TEST(EarlyStopping, WithoutValidationDataIsAClearError) {
  Rng rng(1);
  const Dataset train = noise(20, rng);
  Sequential<float> model = build_model<float>("linear:3", Shape{8});
  model.initialize(Initializer::he_normal(), rng);
  SoftmaxCrossEntropy<float> loss;
  SGD<float> sgd(model.parameters(), 0.1);
  Trainer trainer(model, loss, sgd);
  trainer.add_callback(std::make_shared<EarlyStopping>());
  try {
    trainer.fit(train, nullptr, {.epochs = 3, .batch_size = 10}, rng);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("no validation data"), std::string::npos) << e.what();
  }
}

// The model early stopping gives back is, bit for bit, the model an identical run
// had at the best epoch.
TEST(EarlyStopping, RestoresExactlyTheWeightsOfTheBestEpochInARealFit) {
  const FitResult stopped = fit_noise(60, std::make_shared<EarlyStopping>(EarlyStoppingOptions{.patience = 3}));
  const History& h = stopped.history;
  ASSERT_GT(h.stopped_epoch, 0) << "validation loss on noise should rise: " << h.stop_reason;
  ASSERT_LT(h.best_epoch, h.stopped_epoch);
  EXPECT_EQ(h.stopped_epoch - h.best_epoch, 3);
  EXPECT_EQ(static_cast<int>(h.epochs.size()), h.stopped_epoch);
  EXPECT_TRUE(h.restored);
  double best = INFINITY;
  for (const auto& e : h.epochs) best = std::min(best, e.val_loss);
  EXPECT_EQ(h.best_value, best);
  EXPECT_EQ(h.epochs[static_cast<size_t>(h.best_epoch - 1)].val_loss, best);

  const FitResult reference = fit_noise(h.best_epoch, nullptr);
  ASSERT_EQ(stopped.weights.size(), reference.weights.size());
  for (size_t i = 0; i < reference.weights.size(); ++i) {
    for (int64_t k = 0; k < reference.weights[i].size(); ++k) {
      ASSERT_EQ(stopped.weights[i][k], reference.weights[i][k]) << "tensor " << i << " element " << k;
    }
  }
}

TEST(EarlyStopping, RestoresWhenAnotherCallbackEndsTraining) {
  const FitResult stopped = fit_noise(60, std::make_shared<EarlyStopping>(EarlyStoppingOptions{.patience = 50}),
                                      std::make_shared<StopAt>(12));
  const History& h = stopped.history;
  EXPECT_EQ(h.epochs.size(), 12u);
  EXPECT_EQ(h.stopped_epoch, 0);
  EXPECT_LT(h.best_epoch, 12);
  EXPECT_TRUE(h.restored);
  EXPECT_NE(h.stop_reason.find("stopped by another callback; best epoch"), std::string::npos) << h.stop_reason;
  const FitResult reference = fit_noise(h.best_epoch, nullptr);
  for (size_t i = 0; i < reference.weights.size(); ++i) {
    for (int64_t k = 0; k < reference.weights[i].size(); ++k) {
      ASSERT_EQ(stopped.weights[i][k], reference.weights[i][k]) << "tensor " << i << " element " << k;
    }
  }
}

TEST(EarlyStopping, HistoryJsonSaysWhyAndWhereTrainingStopped) {
  Scripted s;
  EarlyStopping callback({.patience = 1});
  s.run(callback, {1.0, 0.5, 0.6});
  const auto j = s.history.to_json();
  EXPECT_EQ(j["early_stopping_metric"], "val_loss");
  EXPECT_EQ(j["best_epoch"], 2);
  EXPECT_EQ(j["best_value"], 0.5);
  EXPECT_EQ(j["stopped_epoch"], 3);
  EXPECT_EQ(j["restored"], true);
  EXPECT_EQ(j["stop_reason"], "early stopping: val_loss did not improve for 1 epoch; best epoch 2 restored");

  const auto plain = History{}.to_json();  // without early stopping
  EXPECT_EQ(plain["best_epoch"], 0);
  EXPECT_TRUE(plain["best_value"].is_null());
  EXPECT_EQ(plain["restored"], false);
}

TEST(EarlyStopping, ACallbackServesSeveralFits) {
  Scripted s;
  EarlyStopping callback({.patience = 1});
  s.run(callback, {1.0, 0.5, 0.6});
  Scripted t;
  EXPECT_EQ(t.run(callback, {2.0, 3.0}), 2);
  EXPECT_EQ(t.history.best_epoch, 1);  // not epoch 2 of the first fit
  EXPECT_TRUE(t.holds(1.0f));
}

}  // namespace nnlab::test
