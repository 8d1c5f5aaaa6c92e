// State dicts of the fit loop's own records: History and EarlyStopping.

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "nnlab/model/model_spec.h"
#include "nnlab/optim/sgd.h"
#include "nnlab/train/early_stopping.h"
#include "nnlab/train/history.h"
#include "temp_dir.h"

namespace nnlab::test {
namespace {

History example_history() {
  History h;
  for (int e = 1; e <= 3; ++e) {
    EpochRecord r;
    r.epoch = e;
    r.steps = 10 * e;
    r.train_loss = 1.0 / e;
    r.train_accuracy = e == 2 ? NAN : 0.5 + 0.1 * e;
    r.val_loss = 0.1 * e;
    r.val_accuracy = 0.7;
    r.lr = 0.01 / e;
    r.seconds = 1.25 * e;
    h.epochs.push_back(r);
  }
  h.step_loss = {2.5f, 2.25f, NAN, 1.0f};
  h.stop_reason = "early stopping: val_loss did not improve for 2 epochs; best epoch 1 restored";
  h.monitor = "val_loss";
  h.best_epoch = 1;
  h.best_value = 0.1;
  h.stopped_epoch = 3;
  h.restored = true;
  return h;
}

TEST(HistoryState, RoundTripsThroughAFileToTheBit) {
  TempDir dir;
  const History h = example_history();
  write_state_dict(dir.file("history.safetensors"), h.state_dict());
  History back;
  back.load_state_dict(read_state_dict(dir.file("history.safetensors")));
  // The JSON form holds every field; NaN becomes null in it, so compare the bits too.
  EXPECT_EQ(back.to_json(), h.to_json());
  ASSERT_EQ(back.epochs.size(), 3u);
  EXPECT_TRUE(std::isnan(back.epochs[1].train_accuracy));
  EXPECT_EQ(std::bit_cast<uint64_t>(back.epochs[2].lr), std::bit_cast<uint64_t>(0.01 / 3));
  EXPECT_EQ(back.epochs[2].steps, 30);
  EXPECT_EQ(back.step_loss.size(), 4u);
  EXPECT_TRUE(std::isnan(back.step_loss[2]));
  EXPECT_EQ(back.to_csv(), h.to_csv());
}

TEST(HistoryState, EmptyHistoryRoundTrips) {
  History back = example_history();
  back.load_state_dict(History{}.state_dict());
  EXPECT_EQ(back.to_json(), History{}.to_json());
}

TEST(HistoryState, ArraysOfDifferentLengthsAreRefused) {
  const StateDict state = example_history().state_dict();
  StateDict short_lr;
  for (const auto& [name, entry] : state.entries()) {
    if (name != "epochs.lr") short_lr.put_entry(name, entry);
  }
  short_lr.put_doubles("epochs.lr", {0.1, 0.2});
  History h;
  try {
    h.load_state_dict(short_lr);
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()),
              "history: cannot load the state: entry 'epochs.lr' has 2 values, 'epochs.epoch' 3");
  }
  EXPECT_TRUE(h.epochs.empty());  // unchanged
}

// EarlyStopping driven by hand, as early_stopping_test.cpp does: the model's
// parameters and BatchNorm statistics are stamped with the epoch number, so the
// restored weights say which epoch they came from.
struct ScriptedRun {
  explicit ScriptedRun(const std::string& spec = "linear:3,batchnorm,relu,linear:2")
      : model(build_model<float>(spec, Shape{4})) {}
  Sequential<float> model;
  SGD<float> sgd{model.parameters(), 0.1};
  History history;
  TrainState state{model, sgd, history};

  void stamp(float value) {
    for (const auto& p : model.parameters()) p.value->fill(value);
    for (const auto& [name, buffer] : model.buffers()) buffer->fill(value);
  }
  float stamped() { return (*model.parameters()[0].value)[0]; }
  // Epochs first … last (1-based) with these validation losses; false once the callback stopped training.
  bool epochs(EarlyStopping& callback, const std::vector<double>& losses, int first, int last) {
    for (int epoch = first; epoch <= last; ++epoch) {
      state.epoch = epoch;
      stamp(static_cast<float>(epoch));
      EpochRecord record;
      record.epoch = epoch;
      record.val_loss = losses[static_cast<size_t>(epoch - 1)];
      record.val_accuracy = 0.5;
      history.epochs.push_back(record);
      callback.on_epoch_end(state, record);
      if (state.stop) return false;
    }
    return true;
  }
  void end(EarlyStopping& callback) {
    history.stop_reason = state.stop ? state.stop_reason : "completed";
    callback.on_train_end(state);
  }
};

const std::vector<double> kLosses = {5, 4, 4.5, 3, 3.2, 3.3, 3.4, 1.0};

TEST(EarlyStoppingState, ResumedMidRunStopsAtTheSameEpochWithTheSameWeights) {
  for (int saved_after : {1, 4, 5, 6}) {
    SCOPED_TRACE(saved_after);
    ScriptedRun uninterrupted;
    EarlyStopping callback({.patience = 3});
    callback.on_train_begin(uninterrupted.state);
    uninterrupted.epochs(callback, kLosses, 1, 8);
    uninterrupted.end(callback);
    ASSERT_EQ(uninterrupted.history.stopped_epoch, 7);
    ASSERT_EQ(uninterrupted.stamped(), 4.0f);

    ScriptedRun first;
    EarlyStopping before({.patience = 3});
    before.on_train_begin(first.state);
    first.epochs(before, kLosses, 1, saved_after);
    const StateDict stopping = before.state_dict(), history = first.history.state_dict();

    ScriptedRun second;  // a new process: the model would come from its own checkpoint
    second.stamp(static_cast<float>(saved_after));
    EarlyStopping after({.patience = 3});
    after.load_state_dict(stopping);
    second.history.load_state_dict(history);
    after.on_train_begin(second.state);
    EXPECT_EQ(after.best_epoch(), before.best_epoch());
    EXPECT_EQ(after.epochs_without_improvement(), before.epochs_without_improvement());
    second.epochs(after, kLosses, saved_after + 1, 8);
    second.end(after);
    EXPECT_EQ(second.stamped(), 4.0f);  // epoch 4's weights restored, saved in the state when it was best
    EXPECT_EQ(second.history.to_json(), uninterrupted.history.to_json());
  }
}

TEST(EarlyStoppingState, SavesTheBestWeightsUnderTheModelsNames) {
  ScriptedRun run;
  EarlyStopping callback({.patience = 2});
  callback.on_train_begin(run.state);
  EXPECT_EQ(callback.state_dict().size(), 8u);  // no best epoch yet: no weights
  run.epochs(callback, kLosses, 1, 3);
  const StateDict state = callback.state_dict();
  EXPECT_EQ(state.get_int("best_epoch"), 2);
  EXPECT_EQ(state.get_double("best_value"), 4.0);
  EXPECT_EQ(state.get_int("epochs_without_improvement"), 1);
  EXPECT_EQ(state.get_bytes("monitor"), "val_loss");
  // Linear 0 (weight, bias), BatchNorm 1 (weight, bias, running_mean, running_var), Linear 3.
  const Tensor<float> weight = state.tensor<float>("best_weights.0.weight", Shape{3, 4});
  EXPECT_EQ(weight[0], 2.0f);
  EXPECT_EQ(state.tensor<float>("best_weights.1.running_var", Shape{3})[2], 2.0f);
  EXPECT_TRUE(state.contains("best_weights.3.bias"));
  EXPECT_EQ(state.size(), 8u + 8u);
}

std::string error_of(EarlyStopping& callback, const StateDict& state) {
  try {
    callback.load_state_dict(state);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(EarlyStoppingState, RefusesTheStateOfAnotherSetupOrModel) {
  ScriptedRun run;
  EarlyStopping callback({.patience = 2});
  callback.on_train_begin(run.state);
  run.epochs(callback, kLosses, 1, 2);
  const StateDict state = callback.state_dict();

  EarlyStopping accuracy({.monitor = "val_accuracy", .patience = 2});
  EXPECT_EQ(error_of(accuracy, state),
            "early stopping: cannot load the state: it monitored val_loss, this callback monitors val_accuracy");
  EarlyStopping patient({.patience = 5});
  EXPECT_EQ(error_of(patient, state), "early stopping: cannot load the state: it had patience 2, this callback 5");
  EarlyStopping keep_last({.patience = 2, .restore_best = false});
  EXPECT_EQ(error_of(keep_last, state),
            "early stopping: cannot load the state: it restored the best weights, this callback does not");
  StateDict stray = state;
  stray.put_int("best", 1);
  EarlyStopping same({.patience = 2});
  EXPECT_EQ(error_of(same, stray),
            "early stopping: cannot load the state: the state dict: unexpected state entry 'best'");

  // Weights of another model: found when training begins, named.
  ScriptedRun wider("linear:5,batchnorm,relu,linear:2");
  EarlyStopping other({.patience = 2});
  other.load_state_dict(state);
  try {
    other.on_train_begin(wider.state);
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()),
              "early stopping: the best weights of the loaded state do not fit the model: 'best_weights.0.weight' has "
              "shape [3, 4], the model's is [5, 4]");
  }
  ScriptedRun deeper("linear:3,batchnorm,relu,linear:3,relu,linear:2");
  EarlyStopping third({.patience = 2});
  third.load_state_dict(state);
  EXPECT_THROW(third.on_train_begin(deeper.state), std::runtime_error);
}

}  // namespace
}  // namespace nnlab::test
