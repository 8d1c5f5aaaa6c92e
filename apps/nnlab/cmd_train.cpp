// nnlab train: train a model on MNIST (or other IDX data) and report the test accuracy.

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <thread>

#include "commands.h"
#include "nnlab/data/augmentation.h"
#include "nnlab/data/mnist.h"
#include "nnlab/diagnostics/monitor.h"
#include "nnlab/io/atomic_file.h"
#include "nnlab/io/model_file.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/optim/factory.h"
#include "nnlab/report/run_report.h"
#include "nnlab/train/checkpoint.h"
#include "nnlab/train/early_stopping.h"
#include "nnlab/train/optimization_callbacks.h"
#include "nnlab/train/progress.h"
#include "nnlab/train/trainer.h"
#include "train_settings.h"

namespace nnlab::cli {

namespace {

// Learning rates that train MNIST-sized networks well with each optimizer.
double default_lr(const std::string& optimizer) {
  if (optimizer == "sgd") return 0.1;
  if (optimizer == "momentum" || optimizer == "nesterov") return 0.05;
  if (optimizer == "adagrad") return 0.01;
  return 0.001;  // rmsprop, adam, adamw
}

Initializer initializer_for(const TrainSettings& s) {
  if (s.init != "auto") return Initializer::parse(s.init);
  // He keeps the spread of ReLU activations; Xavier suits the symmetric ones.
  return s.activation == "relu" ? Initializer::he_normal() : Initializer::xavier_normal();
}

// --augment: "auto" moves images by up to 2 pixels for a model with convolutions, whose
// filters are made to find a stroke wherever it is; an MLP's default results stay as they were.
Augmentation augmentation_for(const TrainSettings& s, const Sequential<float>& model, const Shape& sample) {
  if (s.augment != "auto") {
    Augmentation augment = Augmentation::parse(s.augment);
    if (augment.enabled() && sample.rank() != 3) {
      throw UsageError("--augment " + s.augment + " needs image data, got samples of shape " + sample.str());
    }
    return augment;
  }
  for (size_t i = 0; i < model.size(); ++i) {
    if (model[i].type() == "Conv2d") return Augmentation::shift(2);
  }
  return Augmentation::none();
}

ProgressPrinter::Mode progress_mode(const std::string& name) {
  if (name == "bar") return ProgressPrinter::Mode::kBar;
  if (name == "lines") return ProgressPrinter::Mode::kLines;
  if (name == "quiet") return ProgressPrinter::Mode::kQuiet;
  return ProgressPrinter::Mode::kAuto;
}

// Writes OUT/report.html, and with a monitor its CSV and SVG files; `failure` is why training
// stopped early with an error (the report of a diverged run is the one most worth reading).
void write_reports(const std::string& out, const nlohmann::json& settings, const History* history, const Metrics& test,
                   const diagnostics::Monitor* monitor, const std::string& failure) {
  report::RunReportInput input{.history = history, .test = test, .monitor = monitor};
  for (const auto& [key, value] : settings.items()) {
    input.settings.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
  }
  if (monitor != nullptr) {
    monitor->save_csv(out);
    if (!monitor->layer_samples().empty()) report::write_monitor_charts(*monitor, out);
  }
  report::HtmlReport page = report::run_report(input);
  if (!failure.empty()) {
    page.subtitle = "stopped: training diverged";
    page.warnings.insert(page.warnings.begin(), failure);
  }
  page.save(out + "/report.html");
}

nlohmann::json settings_json(const TrainSettings& s, const std::string& spec, const Initializer& init,
                             const Augmentation& augment, const std::string& data_description, int threads) {
  return {{"model", spec},
          {"init", init.str()},
          {"augment", augment.str()},
          {"optimizer", describe(s.optimizer)},
          {"lr", s.optimizer.lr},
          {"schedule", s.schedule},
          {"weight_decay", s.weight_decay},
          {"l1", s.l1},
          {"clip_norm", s.clip_norm},
          {"clip_value", s.clip_value},
          {"batch_size", s.batch_size},
          {"epochs", s.epochs},
          {"iterations", s.iterations},
          {"seed", s.seed},
          {"threads", threads},
          {"val_split", s.val_split},
          {"early_stopping", s.early_stopping},
          {"early_stopping_metric", s.early_stopping_metric},
          {"min_delta", s.min_delta},
          {"data", data_description}};
}

constexpr const char* kSettingsKey = "nnlab.train_settings";
constexpr const char* kCheckpointName = "checkpoint.safetensors";

// `nnlab train --resume DIR`: the settings the run was started with, from its checkpoint.
// Only --threads and --progress may be given again (they do not change the result).
TrainSettings resumed_settings(const CLI::App& app, const TrainSettings& given, const CheckpointFile& checkpoint) {
  for (const CLI::Option* option : app.get_options()) {
    const std::string name = option->get_name();
    if (option->count() == 0 || name == "--resume" || name == "--threads" || name == "--progress") continue;
    throw UsageError("--resume continues a run with the settings it was started with: drop " + name);
  }
  const auto it = checkpoint.metadata.find(kSettingsKey);
  if (it == checkpoint.metadata.end()) {
    throw UsageError(given.resume + "/" + kCheckpointName + " holds no " + kSettingsKey +
                     ": not a checkpoint of nnlab train");
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(it->second);
  } catch (const nlohmann::json::exception& e) {
    throw UsageError(given.resume + "/" + kCheckpointName + ": damaged " + kSettingsKey + ": " + e.what());
  }
  TrainSettings s = train_settings_from_json(j);
  s.resume = given.resume;
  s.out = given.resume;
  if (app.count("--threads")) s.threads = given.threads;
  if (app.count("--progress")) s.progress = given.progress;
  return s;
}

int run_train(TrainSettings s, const CheckpointFile* resume) {
  if (s.optimizer.lr == 0) s.optimizer.lr = default_lr(s.optimizer.name);
  const int threads = s.threads > 0 ? s.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  set_num_threads(threads);
  if (s.val_split < 0 || s.val_split >= 1) {
    throw UsageError("--val-split must be in [0, 1), got " + number(s.val_split));
  }
  if (!(s.optimizer.lr > 0) || !std::isfinite(s.optimizer.lr)) {
    throw UsageError("--lr must be a positive number, got " + number(s.optimizer.lr));
  }
  for (const auto& [flag, value] : {std::pair{"--weight-decay", s.weight_decay}, std::pair{"--l1", s.l1},
                                    std::pair{"--clip-norm", s.clip_norm}, std::pair{"--clip-value", s.clip_value}}) {
    if (!(value >= 0) || !std::isfinite(value)) {
      throw UsageError(std::string(flag) + " must be a number >= 0, got " + number(value));
    }
  }
  if (s.weight_decay > 0 && s.l1 > 0) throw UsageError("choose one of --weight-decay (L2) and --l1");
  if (s.batch_size < 1) throw UsageError("--batch-size must be at least 1");
  if (s.epochs < 1) throw UsageError("--epochs must be at least 1");
  if (s.early_stopping < 0) {
    throw UsageError("--early-stopping takes a patience in epochs (0: off), got " + std::to_string(s.early_stopping));
  }
  if (!(s.min_delta >= 0) || !std::isfinite(s.min_delta)) {
    throw UsageError("--min-delta must be a number >= 0, got " + number(s.min_delta));
  }
  if (s.early_stopping > 0 && s.val_split == 0) {
    throw UsageError("--early-stopping needs validation data to watch: give --val-split above 0 (e.g. 0.1)");
  }
  if (s.activation != "relu" && s.activation != "sigmoid" && s.activation != "tanh" && s.activation != "identity" &&
      s.activation != "step") {
    throw UsageError("unknown --activation '" + s.activation + "' (choose relu, sigmoid, tanh, identity, step)");
  }

  const TrainTest data = load_mnist(s.data.empty() ? default_mnist_folder() : s.data);
  Rng rng(s.seed);
  const TrainValidation split = split_validation(data.train, s.val_split, rng);

  const std::string spec = s.model.empty() ? mlp_spec(s.hidden, s.activation, data.train.num_classes) : s.model;
  Sequential<float> model = build_model<float>(spec, data.train.sample_shape());
  const Initializer init = initializer_for(s);
  model.initialize(init, rng);
  model.check_trainable();
  const Augmentation augment = augmentation_for(s, model, data.train.sample_shape());

  OptimizerOptions optimizer_options = s.optimizer;
  if (s.weight_decay > 0) optimizer_options.weight_decay = WeightDecay::l2(s.weight_decay);
  if (s.l1 > 0) optimizer_options.weight_decay = WeightDecay::l1(s.l1);
  auto optimizer = make_optimizer<float>(optimizer_options, model.parameters());
  const int64_t batches = (split.train.size() + s.batch_size - 1) / s.batch_size;
  const int64_t total_steps = s.iterations > 0 ? s.iterations : s.epochs * batches;
  const int64_t max_iterations = std::numeric_limits<int>::max() * batches;
  if (s.iterations > max_iterations) {
    throw UsageError("--iterations " + std::to_string(s.iterations) + " at " + std::to_string(batches) +
                     " batches per epoch needs more than " + std::to_string(std::numeric_limits<int>::max()) +
                     " epochs; give at most " + std::to_string(max_iterations));
  }
  auto schedule = parse_schedule(s.schedule, s.optimizer.lr, total_steps);
  SoftmaxCrossEntropy<float> loss;

  std::fprintf(stderr,
               "data: %s; validation %lld\nmodel: %s (%lld parameters), init %s\n%s, schedule %s, batch %lld, augment "
               "%s, %d threads\n",
               data.description.c_str(), static_cast<long long>(split.validation.size()), spec.c_str(),
               static_cast<long long>(model.parameter_count()), init.str().c_str(), describe(optimizer_options).c_str(),
               schedule->str().c_str(), static_cast<long long>(s.batch_size), augment.str().c_str(), threads);

  make_folders(s.out);
  Trainer trainer(model, loss, *optimizer);
  std::shared_ptr<diagnostics::Monitor> monitor;
  if (s.monitor) {
    // First, so that it sees the gradients before any clipping.
    monitor = std::make_shared<diagnostics::Monitor>(diagnostics::MonitorOptions{.every = s.monitor_every});
    trainer.add_callback(monitor);
  }
  trainer.add_callback(std::make_shared<LearningRateScheduler>(std::move(schedule)));
  if (s.clip_norm > 0)
    trainer.add_callback(std::make_shared<GradientClipper>(GradientClipper::Mode::kNorm, s.clip_norm));
  if (s.clip_value > 0) {
    trainer.add_callback(std::make_shared<GradientClipper>(GradientClipper::Mode::kValue, s.clip_value));
  }
  if (s.early_stopping > 0) {
    if (split.validation.size() == 0) throw UsageError("--early-stopping needs validation data: raise --val-split");
    // Before the progress printer, whose closing line then names the restored epoch.
    trainer.add_callback(std::make_shared<EarlyStopping>(EarlyStoppingOptions{
        .monitor = s.early_stopping_metric, .patience = s.early_stopping, .min_delta = s.min_delta}));
  }
  trainer.add_callback(std::make_shared<ProgressPrinter>(progress_mode(s.progress)));
  trainer.add_callback(std::make_shared<StopOnSignal>());
  // Last, so that what it saves includes every other callback's view of the epoch.
  const std::string checkpoint_path = s.out + "/" + kCheckpointName;
  trainer.add_callback(
      std::make_shared<Checkpoint>(checkpoint_path, s.checkpoint_every,
                                   std::map<std::string, std::string>{{kSettingsKey, train_settings_json(s).dump()}}));
  if (resume != nullptr) {
    trainer.resume_from(resume->state);
    const StateDict progress = resume->state.under("progress.");
    std::fprintf(stderr, "resuming %s at step %lld (epoch %lld%s)\n", checkpoint_path.c_str(),
                 static_cast<long long>(progress.get_int("step")), static_cast<long long>(progress.get_int("epoch")),
                 progress.get_int("in_epoch") ? ", part-way" : " complete");
  }
  FitOptions fit{s.epochs, s.iterations, s.batch_size, true, augment};
  History history;
  try {
    history = trainer.fit(split.train, split.validation.size() > 0 ? &split.validation : nullptr, fit, rng);
  } catch (const TrainingDiverged& e) {
    if (monitor) monitor->finish();
    write_reports(s.out, settings_json(s, spec, init, augment, data.description, threads), nullptr, {}, monitor.get(),
                  e.what());
    throw;
  }

  if (history.stop_reason.starts_with("interrupted")) {
    nlohmann::json record = history.to_json();
    record["settings"] = settings_json(s, spec, init, augment, data.description, threads);
    write_file_atomic(s.out + "/history.json", record.dump(1));
    write_file_atomic(s.out + "/history.csv", history.to_csv());
    std::fprintf(stderr, "nnlab: %s; wrote %s and the history so far. Continue with: nnlab train --resume %s\n",
                 history.stop_reason.c_str(), checkpoint_path.c_str(), s.out.c_str());
    return 130;
  }
  const Metrics test = evaluate(model, loss, data.test);
  const std::string save_path = s.save.empty() ? s.out + "/model.safetensors" : s.save;

  // The history first: it is small, and on a disk too full for the model it is
  // what is left of the finished run (its settings, every epoch, the test result).
  nlohmann::json record = history.to_json();
  record["settings"] = settings_json(s, spec, init, augment, data.description, threads);
  record["test"] = {{"loss", json_number(test.loss)}, {"accuracy", json_number(test.accuracy)}};
  if (monitor) {
    // The health warnings stay with the run's record, not only on the terminal.
    record["warnings"] = nlohmann::json::array();
    for (const auto& w : monitor->warnings()) {
      record["warnings"].push_back({{"step", w.step}, {"kind", w.kind}, {"layer", w.layer}, {"message", w.message}});
    }
  }
  write_file_atomic(s.out + "/history.json", record.dump(1));
  write_file_atomic(s.out + "/history.csv", history.to_csv());
  save_model(model, save_path,
             {{"nnlab.loss", loss.spec()},
              {"nnlab.classes", std::to_string(data.train.num_classes)},
              {"nnlab.test_accuracy", std::to_string(test.accuracy)}});

  const double seconds = history.epochs.empty() ? 0.0 : history.epochs.back().seconds;
  std::printf("test accuracy %.4f (loss %.4f) on %lld images after %.1f s of training\n", test.accuracy, test.loss,
              static_cast<long long>(data.test.size()), seconds);
  if (history.restored) {
    std::printf("(the model of epoch %d, the best by %s %.4f, restored by early stopping after epoch %d)\n",
                history.best_epoch, history.monitor.c_str(), history.best_value,
                history.epochs.empty() ? 0 : history.epochs.back().epoch);
  }
  std::printf("wrote %s, %s/history.csv, %s/history.json\n", save_path.c_str(), s.out.c_str(), s.out.c_str());
  write_reports(s.out, record["settings"], &history, test, monitor.get(), "");
  std::printf("wrote %s/report.html%s\n", s.out.c_str(),
              monitor ? (", monitor_*.csv and monitor_*.svg in " + s.out).c_str() : "");
  return 0;
}

}  // namespace

Run add_train(CLI::App& app) {
  auto s = std::make_shared<TrainSettings>();
  app.add_option(
      "--model", s->model,
      "Model spec, e.g. \"linear:256,relu,linear:10\" or \"conv:32x3x3:pad=1,relu,maxpool:2,gap,linear:10\", "
      "or a preset: simple-cnn, deep-cnn (see docs/model-spec.md); overrides --hidden and --activation");
  app.add_option("--hidden", s->hidden, "Hidden layer sizes of the multilayer network")
      ->delimiter(',')
      ->check(positive_integer())
      ->capture_default_str();
  app.add_option("--activation", s->activation, "Hidden activation: relu, sigmoid, tanh, identity, step")
      ->capture_default_str();
  app.add_option("--augment", s->augment,
                 "Data augmentation of training batches: none, shift:N (each image moved by up to N pixels across "
                 "and down, anew each time it is drawn), auto (shift:2 for a model with convolutions, none otherwise)")
      ->capture_default_str();
  app.add_option("--init", s->init,
                 "Weight initialiser: auto (he-normal for relu, xavier-normal otherwise), zero, constant:V, "
                 "normal:STD, xavier-normal, xavier-uniform, he-normal, he-uniform, lecun-normal")
      ->capture_default_str();
  app.add_option(
         "--optimizer", s->optimizer.name,
         "Optimizer: " +
             [] {
               std::string names;
               for (const auto& n : optimizer_names()) names += (names.empty() ? "" : ", ") + n;
               return names;
             }())
      ->capture_default_str();
  app.add_option("--lr", s->optimizer.lr,
                 "Learning rate (the base rate of the --schedule); default by optimizer: sgd 0.1, momentum and "
                 "nesterov 0.05, adagrad 0.01, rmsprop, adam and adamw 0.001");
  app.add_option("--momentum", s->optimizer.momentum, "Momentum μ for momentum and nesterov")->capture_default_str();
  app.add_option("--beta1", s->optimizer.beta1, "Adam's β1 (adam, adamw)")->capture_default_str();
  app.add_option("--beta2", s->optimizer.beta2, "Adam's β2 (adam, adamw)")->capture_default_str();
  app.add_option("--alpha", s->optimizer.alpha, "RMSProp's decay rate α")->capture_default_str();
  app.add_option("--eps", s->optimizer.eps,
                 "ε of adagrad (default 1e-10), rmsprop, adam, adamw (1e-8); 0 means the optimizer's default")
      ->capture_default_str();
  app.add_option("--schedule", s->schedule,
                 "Learning-rate schedule: constant, step:STEPS:GAMMA, exp:GAMMA, cosine[:MIN_LR], warmup:STEPS, "
                 "warmup:STEPS+cosine (steps are optimizer steps)")
      ->capture_default_str();
  app.add_option("--clip-norm", s->clip_norm, "Clip gradients to this global L2 norm (0: off)")->capture_default_str();
  app.add_option("--clip-value", s->clip_value, "Clip each gradient value to ±this (0: off)")->capture_default_str();
  app.add_option("--weight-decay", s->weight_decay,
                 "L2 weight decay λ: penalty ½λΣw² on weights, not biases (decoupled for adamw)")
      ->capture_default_str();
  app.add_option("--l1", s->l1, "L1 weight decay λ: penalty λΣ|w| on weights, not biases")->capture_default_str();
  app.add_option("--batch-size", s->batch_size,
                 "Mini-batch size; 1 is online learning, the training-set size (or more) full-batch")
      ->capture_default_str();
  auto* epochs = app.add_option("--epochs", s->epochs, "Passes over the training data")->capture_default_str();
  app.add_option("--iterations", s->iterations, "Train this many mini-batch steps instead of --epochs")
      ->check(positive_integer())
      ->excludes(epochs);
  app.add_option("--seed", s->seed, "Random seed: the same seed gives the same run")->capture_default_str();
  app.add_option("--threads", s->threads, "Threads for everything (default: all cores)")->check(positive_integer());
  app.add_option("--val-split", s->val_split, "Share of the training data held out for validation (never test data)")
      ->capture_default_str();
  app.add_option("--early-stopping", s->early_stopping,
                 "Stop after this many epochs without improvement of the validation metric and restore the best "
                 "epoch's weights (0: off; needs --val-split above 0)")
      ->capture_default_str();
  app.add_option("--early-stopping-metric", s->early_stopping_metric,
                 "What early stopping watches: val_loss (minimised) or val_accuracy (maximised)")
      ->check(CLI::IsMember({"val_loss", "val_accuracy"}))
      ->capture_default_str();
  app.add_option("--min-delta", s->min_delta,
                 "The smallest change of the early-stopping metric that counts as an improvement")
      ->capture_default_str();
  app.add_option("--data", s->data,
                 "Folder of MNIST IDX files (gzip or raw); default: $NNLAB_DATA or the bundled sample");
  app.add_option("--out", s->out, "Output folder for history.csv, history.json and model.safetensors")
      ->capture_default_str();
  app.add_option("--save", s->save, "Where to save the weights (safetensors); default: OUT/model.safetensors");
  app.add_option("--progress", s->progress, "Progress display: auto, bar, lines, quiet")
      ->check(CLI::IsMember({"auto", "bar", "lines", "quiet"}))
      ->capture_default_str();
  app.add_flag("--monitor", s->monitor,
               "Record activation mean/std/histograms, gradient norms, dead ReLUs and update ratios per layer "
               "(OUT/monitor_*.csv, charts OUT/monitor_*.svg, in report.html) and warn of vanishing gradients");
  app.add_option("--monitor-every", s->monitor_every, "Sample the monitor's statistics every N steps")
      ->check(positive_integer())
      ->capture_default_str();
  app.add_option("--checkpoint-every", s->checkpoint_every,
                 "Write OUT/checkpoint.safetensors (the whole state of the run) every N epochs (0: only when "
                 "interrupted); Ctrl-C or SIGTERM stops after the current step and writes one")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--resume", s->resume,
                 "Continue the run in this folder from its checkpoint, with the settings it was started with "
                 "(only --threads and --progress may be given again): the result equals an uninterrupted run's");
  return [s, &app] {
    if (s->resume.empty()) return run_train(*s, nullptr);
    const CheckpointFile checkpoint = read_checkpoint(s->resume + "/" + kCheckpointName);
    return run_train(resumed_settings(app, *s, checkpoint), &checkpoint);
  };
}

}  // namespace nnlab::cli
