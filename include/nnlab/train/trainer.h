#pragma once
// The training loop.
//
//   Trainer trainer(model, loss, optimizer);
//   trainer.add_callback(std::make_shared<ProgressPrinter>());
//   History history = trainer.fit(train, &validation, {.epochs = 20, .batch_size = 64}, rng);
//   Metrics test = evaluate(model, loss, test_data);
//
// Each step: callbacks' on_step_begin, forward, loss, backward, on_gradients,
// optimizer step, on_step_end. After each epoch: validation in eval mode, then
// on_epoch_end. A loss that turns NaN or infinite stops training at once with
// TrainingDiverged, naming the step; so does a loss that explodes (ExplosionCheck).

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "nnlab/data/augmentation.h"
#include "nnlab/data/data_loader.h"
#include "nnlab/data/dataset.h"
#include "nnlab/distributed/communicator.h"
#include "nnlab/losses/loss.h"
#include "nnlab/train/callback.h"
#include "nnlab/train/evaluate.h"

namespace nnlab {

// A loss that has exploded though it is still finite: it stays above `factor` × its starting
// value (the median of the first `warmup` steps' losses, at least `min_reference`) for
// `patience` steps in a row. A single spike is no divergence: RMSProp at lr 0.01 on MNIST
// jumps to ~100× its first loss and recovers within a few steps, hence the large factor and
// the patience. factor 0 turns the check off.
struct ExplosionCheck {
  double factor = 1000;
  int64_t warmup = 10;
  int64_t patience = 20;
  double min_reference = 1e-3;  // so that a start near zero loss (a tiny regression) is no hair trigger
};

struct FitOptions {
  int epochs = 10;
  // When > 0, train exactly this many steps (mini-batches) instead of `epochs`.
  int64_t iterations = 0;
  // 1: online learning; the training-set size (or more): full batch.
  int64_t batch_size = 100;
  bool shuffle = true;
  // Applied to every training batch (never to validation or test data).
  Augmentation augment{};
  ExplosionCheck explosion{};
  // Batches whose gradients are summed into one optimizer step (gradient accumulation): the
  // step equals one of a batch accumulate_steps times larger, to rounding, for models whose
  // layers treat samples independently (not BatchNorm, whose statistics are per batch).
  // Steps, iterations and schedules count optimizer steps.
  int64_t accumulate_steps = 1;
};

class TrainingDiverged : public std::runtime_error {
 public:
  TrainingDiverged(const std::string& message, int64_t step) : std::runtime_error(message), step_(step) {}
  int64_t step() const { return step_; }

 private:
  int64_t step_;
};

// Where a fit stands between two steps, besides the model, optimizer, loader, generator,
// history and callbacks: the epoch and step, the running sums of an epoch that is not
// over, and the explosion check's memory.
struct FitProgress {
  int epoch = 0;          // the epoch under way (in_epoch) or the last one completed
  int64_t step = 0;       // optimizer steps taken
  bool in_epoch = false;  // stopped inside `epoch`: the loader stands in it
  double loss_sum = 0;
  int64_t seen = 0, correct = 0;
  double seconds = 0;  // of training before this fit
  std::vector<double> explosion_first;
  double explosion_reference = 0;
  int64_t explosion_above = 0;

  StateDict state_dict() const;
  void load_state_dict(const StateDict& state);
};

class Trainer {
 public:
  Trainer(Module<float>& model, Loss<float>& loss, Optimizer<float>& optimizer);

  void add_callback(std::shared_ptr<Callback> callback) { callbacks_.push_back(std::move(callback)); }

  // Trains on `train`; evaluates on `validation` after every epoch when given.
  // `rng` drives the shuffling and the augmentation.
  History fit(const Dataset& train, const Dataset* validation, const FitOptions& options, Rng& rng);
  // The same with batches from `train` (options.batch_size and shuffle are the loader's own
  // then), and `validation` gone through once after every epoch; both must outlive the call.
  History fit(BatchSource& train, BatchSource* validation, const FitOptions& options, Rng& rng);

  // The whole state of the run, while fit runs (from a callback) or after it (while the data
  // and generator given to fit live): "model.",
  // "optimizer.", "loader.", "rng.", "history.", "progress." and "callback.N." for every
  // callback that is Stateful.
  StateDict state_dict() const;
  // The next fit continues from `state` (a state_dict() of a run with the same settings)
  // instead of starting afresh: the same weights, batches, masks and history, to the bit.
  // Checked when fit starts; a mismatch throws std::runtime_error naming the entry.
  void resume_from(StateDict state) { resume_ = std::move(state); }
  // Data-parallel training over the communicator's ranks (distributed/data_parallel.h): every
  // rank calls fit alike; each trains on its share of every batch and the gradients are summed.
  // A communicator of one rank changes nothing. It must outlive the calls of fit.
  void distribute(Communicator& communicator) { communicator_ = &communicator; }
  // Seconds of the last fit this rank spent exchanging with the others (0 alone).
  double communication_seconds() const { return communication_seconds_; }

 private:
  Module<float>& model_;
  Loss<float>& loss_;
  Optimizer<float>& optimizer_;
  std::vector<std::shared_ptr<Callback>> callbacks_;
  std::optional<StateDict> resume_;
  Communicator* communicator_ = nullptr;
  double communication_seconds_ = 0;
  // Of the last fit, for state_dict(); the loader and generator refer to the data and
  // generator fit was given, which must outlive the call of state_dict().
  BatchSource* loader_ = nullptr;
  std::unique_ptr<DataLoader> own_loader_, own_validation_;  // fit on Datasets
  Rng validation_rng_{0};                                    // unused: validation is not shuffled
  History history_;
  const Rng* rng_ = nullptr;
  FitProgress progress_;
};

}  // namespace nnlab
