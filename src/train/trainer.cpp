#include "nnlab/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>

#include "nnlab/data/data_loader.h"
#include "nnlab/distributed/data_parallel.h"
#include "nnlab/state/model_state.h"

namespace nnlab {

Trainer::Trainer(Module<float>& model, Loss<float>& loss, Optimizer<float>& optimizer)
    : model_(model), loss_(loss), optimizer_(optimizer) {}

namespace {
std::string divergence_message(double loss, int64_t step, int epoch, double lr) {
  std::ostringstream out;
  out.precision(3);
  out << "training diverged at step " << step << " (epoch " << epoch << "): the loss is "
      << (std::isnan(loss) ? "NaN" : "infinite") << ". The learning rate " << lr << " is probably too high; try "
      << lr / 10 << ".";
  return out.str();
}

// ExplosionCheck's rule, fed one loss per step; no allocation after construction.
class ExplosionDetector {
 public:
  explicit ExplosionDetector(const ExplosionCheck& check) : check_(check) {
    if (check_.factor > 0) first_.reserve(static_cast<size_t>(std::max<int64_t>(check_.warmup, 1)));
  }

  // True once the loss has stayed above the limit for `patience` steps in a row.
  bool exploded(double loss) {
    if (!(check_.factor > 0)) return false;
    if (static_cast<int64_t>(first_.size()) < std::max<int64_t>(check_.warmup, 1)) {
      first_.push_back(loss);
      if (static_cast<int64_t>(first_.size()) == std::max<int64_t>(check_.warmup, 1)) {
        // The median, so that one odd first batch does not set the scale.
        std::nth_element(first_.begin(), first_.begin() + static_cast<std::ptrdiff_t>(first_.size() / 2), first_.end());
        reference_ = std::max(first_[first_.size() / 2], check_.min_reference);
      }
      return false;
    }
    above_ = loss > check_.factor * reference_ ? above_ + 1 : 0;
    return above_ >= std::max<int64_t>(check_.patience, 1);
  }
  double reference() const { return reference_; }
  void save(FitProgress& progress) const {
    progress.explosion_first = first_;
    progress.explosion_reference = reference_;
    progress.explosion_above = above_;
  }
  void restore(const FitProgress& progress) {
    first_ = progress.explosion_first;
    reference_ = progress.explosion_reference;
    above_ = progress.explosion_above;
  }

 private:
  ExplosionCheck check_;
  std::vector<double> first_;
  double reference_ = 0;
  int64_t above_ = 0;
};

std::string explosion_message(double loss, double reference, const ExplosionCheck& check, int64_t step, int epoch,
                              double lr) {
  std::ostringstream out;
  out.precision(3);
  out << "training diverged at step " << step << " (epoch " << epoch << "): the loss " << loss << " has stayed above "
      << check.factor << "× its starting value " << reference << " for " << check.patience
      << " steps. The learning rate " << lr << " is probably too high; try " << lr / 10 << ".";
  return out.str();
}
}  // namespace

StateDict FitProgress::state_dict() const {
  StateDict state;
  state.put_int("epoch", epoch);
  state.put_int("step", step);
  state.put_int("in_epoch", in_epoch ? 1 : 0);
  state.put_double("loss_sum", loss_sum);
  state.put_int("seen", seen);
  state.put_int("correct", correct);
  state.put_double("seconds", seconds);
  state.put_doubles("explosion.first", explosion_first);
  state.put_double("explosion.reference", explosion_reference);
  state.put_int("explosion.above", explosion_above);
  return state;
}

void FitProgress::load_state_dict(const StateDict& state) {
  state.require_names(FitProgress{}.state_dict().names(), "the training progress");
  FitProgress loaded;
  loaded.epoch = static_cast<int>(state.get_int("epoch"));
  loaded.step = state.get_int("step");
  loaded.in_epoch = state.get_int("in_epoch") != 0;
  loaded.loss_sum = state.get_double("loss_sum");
  loaded.seen = state.get_int("seen");
  loaded.correct = state.get_int("correct");
  loaded.seconds = state.get_double("seconds");
  loaded.explosion_first = state.get_doubles("explosion.first");
  loaded.explosion_reference = state.get_double("explosion.reference");
  loaded.explosion_above = state.get_int("explosion.above");
  if (loaded.epoch < 0 || loaded.step < 0 || loaded.seen < 0 || loaded.correct < 0) {
    throw std::runtime_error("the training progress is damaged: negative epoch, step or counts");
  }
  *this = loaded;
}

StateDict Trainer::state_dict() const {
  StateDict state;
  state.merge(model_state_dict(model_), "model.");
  state.merge(optimizer_.state_dict(), "optimizer.");
  if (loader_) state.merge(loader_->state_dict(), "loader.");
  if (rng_ != nullptr) state.merge(rng_->state_dict(), "rng.");
  state.merge(history_.state_dict(), "history.");
  state.merge(progress_.state_dict(), "progress.");
  for (size_t i = 0; i < callbacks_.size(); ++i) {
    if (const auto* stateful = dynamic_cast<const Stateful*>(callbacks_[i].get())) {
      state.merge(stateful->state_dict(), "callback." + std::to_string(i) + ".");
    }
  }
  return state;
}

History Trainer::fit(const Dataset& train, const Dataset* validation, const FitOptions& options, Rng& rng) {
  if (train.size() == 0) throw std::invalid_argument("no training data");
  if (options.batch_size < 1) throw std::invalid_argument("batch size must be at least 1");
  own_loader_ = std::make_unique<DataLoader>(train, options.batch_size, rng, options.shuffle);
  own_validation_.reset();
  if (validation != nullptr && validation->size() > 0) {
    // In the training batch: the layers' buffers and oneDNN's primitives of training serve it too.
    own_validation_ =
        std::make_unique<DataLoader>(*validation, options.batch_size, validation_rng_, /*shuffle=*/false);
  }
  return fit(*own_loader_, own_validation_.get(), options, rng);
}

History Trainer::fit(BatchSource& loader, BatchSource* validation, const FitOptions& options, Rng& rng) {
  if (loader.samples() == 0) throw std::invalid_argument("no training data");
  const bool classification = loader.num_classes() > 0;
  if (options.iterations <= 0 && options.epochs < 1) throw std::invalid_argument("epochs must be at least 1");
  if (options.accumulate_steps < 1) {
    throw std::invalid_argument("accumulate_steps must be at least 1, got " + std::to_string(options.accumulate_steps));
  }
  model_.check_trainable();
  Augmentation augment = options.augment;
  if (augment.enabled() && loader.sample_shape().rank() != 3) {
    throw std::invalid_argument("augmentation " + augment.str() +
                                " needs image samples (C×H×W), got samples of shape " + loader.sample_shape().str());
  }
  model_.train();

  loader_ = &loader;
  rng_ = &rng;
  history_ = History{};
  progress_ = FitProgress{};
  History& history = history_;
  ExplosionDetector explosion(options.explosion);
  TrainState state{model_, optimizer_, history};
  state.snapshot = [this, &explosion] {
    explosion.save(progress_);
    return state_dict();
  };
  // Steps per epoch: an optimizer step takes accumulate_steps batches, fewer at the end of an epoch.
  const int64_t accumulate = options.accumulate_steps;
  state.batches_per_epoch = (loader.batches_per_epoch() + accumulate - 1) / accumulate;
  state.total_steps = options.iterations > 0 ? options.iterations : options.epochs * state.batches_per_epoch;
  const int64_t total_epochs = (state.total_steps + state.batches_per_epoch - 1) / state.batches_per_epoch;
  if (total_epochs > std::numeric_limits<int>::max()) {
    throw std::invalid_argument(std::to_string(state.total_steps) + " iterations of " +
                                std::to_string(state.batches_per_epoch) + " batches per epoch would take " +
                                std::to_string(total_epochs) + " epochs, more than " +
                                std::to_string(std::numeric_limits<int>::max()));
  }
  state.total_epochs = static_cast<int>(total_epochs);
  if (resume_) {
    // Everything is checked before anything changes: a mismatch leaves the fresh run as it was.
    const StateDict saved = std::move(*resume_);
    resume_.reset();
    FitProgress progress;
    progress.load_state_dict(saved.under("progress."));
    load_model_state_dict(model_, saved.under("model."));
    optimizer_.load_state_dict(saved.under("optimizer."));
    loader.load_state_dict(saved.under("loader."));
    rng.load_state_dict(saved.under("rng."));
    history.load_state_dict(saved.under("history."));
    for (size_t i = 0; i < callbacks_.size(); ++i) {
      if (auto* stateful = dynamic_cast<Stateful*>(callbacks_[i].get())) {
        stateful->load_state_dict(saved.under("callback." + std::to_string(i) + "."));
      }
    }
    progress_ = progress;
    explosion.restore(progress_);
  }
  std::optional<DataParallel> parallel;
  if (communicator_ != nullptr && communicator_->size() > 1) {
    parallel.emplace(*communicator_, model_);
    parallel->start();
  }
  // Room for the planned steps' losses, up to a bound: a run planned for a billion
  // epochs starts as any other and grows its record as it goes (rarely, doubling).
  constexpr int64_t kReservedSteps = int64_t{1} << 20;
  history.step_loss.reserve(static_cast<size_t>(std::min(state.total_steps, kReservedSteps)));
  for (auto& c : callbacks_) c->on_train_begin(state);

  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return progress_.seconds + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  Tensor<float> x, y;
  Tensor<float> shard_x, shard_y;  // this rank's rows of x and y, when data-parallel
  FitProgress& p = progress_;
  while (p.step < state.total_steps && !state.stop) {
    if (!p.in_epoch) {
      ++p.epoch;
      p.in_epoch = true;
      p.loss_sum = 0;
      p.seen = p.correct = 0;
      loader.start_epoch();
    }
    state.epoch = p.epoch;
    while (p.step < state.total_steps && !state.stop) {
      // One optimizer step: the gradient of the mean loss over up to `accumulate` batches (the
      // rest of the epoch at its end), each batch's weighted by its share of the samples.
      const int64_t group_start = loader.position();
      if (!loader.next(x, y)) break;
      const int64_t group = std::min(accumulate * loader.batch_size(), loader.samples() - group_start);
      for (auto& c : callbacks_) c->on_step_begin(state);
      model_.zero_grad();
      double loss = 0;
      int64_t rows = 0, correct = 0;
      bool computed = false;  // a backward ran on this rank (a shard may have no rows)
      // Alone, a batch's loss has weight 1 (of `accumulate`, its share of the rows); in data
      // parallel, each rank's shard its share of the rows, and the ranks' sum is the loss.
      const bool weighted = accumulate > 1 || parallel.has_value();
      for (int64_t batch = 1;; ++batch) {
        augment.apply(x, rng);
        rows += x.rows();
        if (parallel) {
          parallel->shard(x, shard_x);
          parallel->shard(y, shard_y);
        }
        const Tensor<float>& inputs = parallel ? shard_x : x;
        const Tensor<float>& targets = parallel ? shard_y : y;
        if (inputs.rows() > 0) {
          const Tensor<float>& output = model_.forward(inputs);
          const double batch_loss = static_cast<double>(loss_.forward(output, targets));
          const double share = static_cast<double>(inputs.rows()) / static_cast<double>(group);
          loss += weighted ? share * batch_loss : batch_loss;
          if (!std::isfinite(batch_loss) && !parallel) {
            throw TrainingDiverged(divergence_message(batch_loss, p.step + 1, p.epoch, optimizer_.lr()), p.step + 1);
          }
          if (classification) correct += count_correct(output, targets);
          model_.backward(loss_.backward(weighted ? static_cast<float>(share) : 1.0F));
          computed = true;
        }
        if (batch == accumulate || !loader.next(x, y)) break;
      }
      if (parallel) {
        parallel->allreduce_gradients(computed);
        double sums[2] = {loss, static_cast<double>(correct)};
        parallel->allreduce(sums);
        loss = sums[0];
        correct = static_cast<int64_t>(sums[1]);
        if (!std::isfinite(loss)) {
          throw TrainingDiverged(divergence_message(loss, p.step + 1, p.epoch, optimizer_.lr()), p.step + 1);
        }
      }
      p.correct += correct;
      loss += optimizer_.penalty();
      if (!std::isfinite(loss)) {
        throw TrainingDiverged(divergence_message(loss, p.step + 1, p.epoch, optimizer_.lr()), p.step + 1);
      }
      if (explosion.exploded(loss)) {
        throw TrainingDiverged(
            explosion_message(loss, explosion.reference(), options.explosion, p.step + 1, p.epoch, optimizer_.lr()),
            p.step + 1);
      }
      for (auto& c : callbacks_) c->on_gradients(state);
      optimizer_.step();
      ++p.step;
      p.loss_sum += loss * static_cast<double>(rows);
      p.seen += rows;
      history.step_loss.push_back(static_cast<float>(loss));
      for (auto& c : callbacks_) c->on_step_end(state, loss);
      // A signal reaches the ranks at different steps: they stop together, at the first.
      if (parallel) {
        double asked[2] = {state.stop ? 1.0 : 0.0, state.interrupted ? 1.0 : 0.0};
        parallel->allreduce(asked);
        if (asked[1] > 0 && !state.interrupted) state.interrupt("interrupted on another rank");
        if (asked[0] > 0 && !state.stop) state.request_stop("stopped on another rank");
      }
    }
    if (state.interrupted) break;  // inside the epoch: the checkpoint continues it
    p.in_epoch = false;
    EpochRecord record;
    record.epoch = p.epoch;
    record.steps = p.step;
    record.train_loss = p.loss_sum / static_cast<double>(std::max<int64_t>(p.seen, 1));
    record.train_accuracy = classification ? static_cast<double>(p.correct) / static_cast<double>(p.seen) : NAN;
    if (parallel) parallel->broadcast_buffers();  // every rank evaluates rank 0's model
    if (validation != nullptr && validation->samples() > 0) {
      const Metrics val = evaluate_in_place(model_, loss_, *validation);
      record.val_loss = val.loss;
      record.val_accuracy = val.accuracy;
    }
    record.lr = optimizer_.lr();
    record.seconds = elapsed();
    history.epochs.push_back(record);
    for (auto& c : callbacks_) c->on_epoch_end(state, record);
  }
  p.seconds = elapsed();
  communication_seconds_ = parallel ? parallel->communication_seconds() : 0.0;
  explosion.save(p);
  if (state.stop) {
    history.stop_reason = state.stop_reason;
  } else if (options.iterations > 0) {
    history.stop_reason = "completed " + std::to_string(p.step) + " iterations";
  } else {
    history.stop_reason = "completed " + std::to_string(options.epochs) + " epochs";
  }
  for (auto& c : callbacks_) c->on_train_end(state);
  return history;
}

}  // namespace nnlab
