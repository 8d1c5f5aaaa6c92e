// nnlab train: train a model on MNIST, Fashion-MNIST, IDX data or a CSV table, and report the test
// accuracy (or, for regression, R², MSE and MAE).

#include <cstdio>
#include <filesystem>
#include <thread>

#include "commands.h"
#include "nnlab/data/data_source.h"
#include "nnlab/diagnostics/monitor.h"
#include "nnlab/distributed/communicator.h"
#include "nnlab/distributed/data_parallel.h"
#include "nnlab/distributed/launch.h"
#include "nnlab/io/atomic_file.h"
#include "nnlab/io/model_file.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/report/run_report.h"
#include "nnlab/train/checkpoint.h"
#include "nnlab/train/progress.h"
#include "nnlab/train/progress_log.h"
#include "nnlab/train/train.h"
#include "nnlab/train/trainer.h"
#include "train_flags.h"
#include "train_settings.h"

namespace nnlab::cli {

namespace {

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

// What the run's record and report show: the config with its defaults resolved.
nlohmann::json settings_json(const Training& run, const std::string& data_description) {
  const TrainConfig& c = run.config();
  return {{"model", run.spec()},
          {"init", run.init().str()},
          {"augment", run.augment().str()},
          {"optimizer", describe(run.optimizer_options())},
          {"lr", run.optimizer_options().lr},
          {"schedule", c.schedule},
          {"weight_decay", c.weight_decay},
          {"l1", c.l1},
          {"clip_norm", c.clip_norm},
          {"clip_value", c.clip_value},
          {"batch_size", c.batch_size},
          {"accumulate_steps", c.accumulate_steps},
          {"epochs", c.epochs},
          {"iterations", c.iterations},
          {"seed", c.seed},
          {"threads", run.threads()},
          {"train_size", c.train_size},
          {"val_split", c.val_split},
          {"early_stopping", c.early_stopping},
          {"early_stopping_metric", c.early_stopping_metric},
          {"min_delta", c.min_delta},
          {"data", data_description},
          {"command", train_command(c)}};
}

constexpr const char* kSettingsKey = "nnlab.train_settings";
constexpr const char* kCheckpointName = "checkpoint.safetensors";

// `nnlab train --resume DIR`: the settings the run was started with, from its checkpoint.
// Only --threads, --progress and --mpi-timeout may be given again (they do not change the result).
TrainSettings resumed_settings(const CLI::App& app, const TrainSettings& given, const CheckpointFile& checkpoint) {
  for (const CLI::Option* option : app.get_options()) {
    const std::string name = option->get_name();
    if (option->count() == 0 || name == "--resume" || name == "--threads" || name == "--progress" ||
        name == "--mpi-timeout") {
      continue;
    }
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
  if (app.count("--threads")) s.config.threads = given.config.threads;
  if (app.count("--progress")) s.progress = given.progress;
  return s;
}

// A folder that holds a finished or interrupted run.
bool holds_run(const std::string& folder) {
  namespace fs = std::filesystem;
  for (const char* file : {"history.json", kCheckpointName, "model.safetensors"}) {
    if (fs::exists(fs::path(folder) / file)) return true;
  }
  return false;
}

// Where a new run writes: the default folder, or the first of runs/train-2, -3, ... that
// holds no run; a folder given with --out that holds one only with --overwrite.
std::string output_folder(const TrainSettings& s) {
  if (!holds_run(s.out) || s.overwrite) return s.out;
  if (s.out_given) {
    throw UsageError("--out " + s.out + " holds a run already: give --overwrite to replace it, --resume " + s.out +
                     " to continue it, or another --out");
  }
  for (int n = 2;; ++n) {
    const std::string candidate = s.out + "-" + std::to_string(n);
    if (!holds_run(candidate)) {
      std::fprintf(stderr, "%s holds an earlier run: writing to %s (--out to choose, --overwrite to replace)\n",
                   s.out.c_str(), candidate.c_str());
      return candidate;
    }
  }
}

// A placeholder for a callback that only rank 0 runs (it prints or writes files): the other
// ranks keep the same list of callbacks, whose places name their state in a checkpoint.
std::shared_ptr<Callback> on_root(const Communicator& world, std::shared_ptr<Callback> callback) {
  return world.is_root() ? std::move(callback) : std::make_shared<Callback>();
}

// Under mpirun without --threads: the machine's cores shared among the ranks on it.
int threads_per_rank(const TrainSettings& s, const Communicator& world) {
  if (world.size() == 1 || s.config.threads > 0 || s.given.contains("--threads")) return s.config.threads;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(1, cores / std::max(1, world.local_size()));
}

// --sync-batchnorm: every BatchNorm of the model normalises over all ranks, which then must each
// hold rows of every batch (the last one too).
void synchronize(Sequential<float>& model, Communicator& world, int64_t samples, int64_t batch_size) {
  if (!mpi_built()) {
    throw UsageError(
        "--sync-batchnorm synchronises BatchNorm over the ranks of mpirun, and this nnlab is built "
        "without MPI (install libopenmpi-dev and build with cmake -DNNLAB_MPI=ON)");
  }
  if (synchronize_batchnorm(model, world) == 0) throw UsageError("--sync-batchnorm: the model has no batchnorm");
  const int64_t batch = std::min(batch_size, samples);
  const int64_t last = samples % batch;
  const int64_t smallest = last > 0 ? std::min(batch, last) : batch;
  if (smallest < world.size()) {
    throw UsageError("--sync-batchnorm needs a sample on every rank in every batch: batches of " +
                     std::to_string(batch) + (last > 0 ? " and a last one of " + std::to_string(last) : "") + " on " +
                     std::to_string(world.size()) +
                     " ranks leave some without (choose a --batch-size, or --train-size, that gives each rank one)");
  }
}

int run_train(TrainSettings s, const CheckpointFile* resume, Communicator& world) {
  try {
    check(s.config);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  if (s.dry_run) {
    if (world.is_root()) std::printf("%s\n", train_settings_json(s).dump(1).c_str());
    return 0;
  }
  // Rank 0 chooses the folder (the others would see the run it starts there) and tells the others.
  if (resume == nullptr && world.is_root()) s.out = output_folder(s);
  world.broadcast(s.out, 0);
  s.config.threads = capped_threads(threads_per_rank(s, world));
  // The run's threads for everything the command does, the test evaluation included.
  const ThreadScope threads(s.config.threads);
  LoadedData loaded;
  try {
    s.images.test_split = s.table.test_split;
    if (!s.image_size.empty()) parse_image_size(s.image_size, s.images.height, s.images.width);
    loaded = load_data(s.data, s.table, s.images);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  const TrainTest& data = loaded.split;
  // A streamed table's parts, read from its file each epoch.
  const std::unique_ptr<DataStream> train_rows = loaded.stream ? loaded.stream->train() : nullptr;
  const std::unique_ptr<DataStream> test_rows = loaded.stream ? loaded.stream->test() : nullptr;
  const int64_t test_size = test_rows ? test_rows->size() : data.test.size();
  if (resume == nullptr) {
    const std::string applied = apply_data_hints(s.config, loaded.hints, s.given);
    if (!applied.empty() && world.is_root()) {
      std::fprintf(stderr, "settings for this data:%s (give a flag to choose otherwise)\n", applied.c_str());
    }
  }

  std::shared_ptr<diagnostics::Monitor> monitor;
  TrainCallbacks callbacks;
  if (s.monitor) {
    if (world.is_root()) {
      monitor = std::make_shared<diagnostics::Monitor>(diagnostics::MonitorOptions{.every = s.monitor_every});
    }
    callbacks.before.push_back(on_root(world, monitor));
  }
  callbacks.after.push_back(on_root(world, std::make_shared<ProgressPrinter>(progress_mode(s.progress))));
  callbacks.after.push_back(std::make_shared<StopOnSignal>());
  // progress.jsonl, a line per epoch as it goes, for nnlab lab to follow the run (a new run starts it
  // afresh, a resumed one appends).
  const std::string progress_path = s.out + "/progress.jsonl";
  if (resume == nullptr && world.is_root()) std::filesystem::remove(progress_path);
  nlohmann::json progress_settings = to_json(s.config);
  progress_settings["data"] = s.data.empty() ? "mnist" : s.data;
  progress_settings["command"] = train_command(s.config);
  callbacks.after.push_back(on_root(world, std::make_shared<ProgressLog>(progress_path, progress_settings)));
  // Last, so that what it saves includes every other callback's view of the epoch.
  const std::string checkpoint_path = s.out + "/" + kCheckpointName;
  callbacks.after.push_back(on_root(
      world,
      std::make_shared<Checkpoint>(checkpoint_path, s.checkpoint_every,
                                   std::map<std::string, std::string>{{kSettingsKey, train_settings_json(s).dump()}})));
  std::unique_ptr<Training> made;
  try {
    made = train_rows ? std::make_unique<Training>(s.config, *train_rows, std::move(callbacks))
                      : std::make_unique<Training>(s.config, data.train, std::move(callbacks));
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  // Training holds its own copy of the training images (split into training and validation): this
  // one is not needed again (nnlab train --model deep-cnn: 25 MB of the peak memory).
  loaded.split.train.x = Tensor<float>();
  loaded.split.train.y = Tensor<float>();
  Training& run = *made;
  Sequential<float>& model = run.model();
  run.trainer().distribute(world);
  if (s.sync_batchnorm) {
    const int64_t samples = train_rows ? train_rows->size() : run.train_data().size();
    synchronize(model, world, samples, s.config.batch_size);
  }

  const std::string ranks = world.size() > 1 ? std::to_string(world.size()) + " ranks × " : "";
  if (world.is_root()) {
    std::fprintf(
        stderr,
        "data: %s; validation %lld\nmodel: %s (%lld parameters), init %s\n%s, schedule %s, batch %lld%s, "
        "augment %s, %s%d threads\n",
        data.description.c_str(), static_cast<long long>(run.validation_size()), run.spec().c_str(),
        static_cast<long long>(model.parameter_count()), run.init().str().c_str(),
        describe(run.optimizer_options()).c_str(), run.schedule().c_str(), static_cast<long long>(s.config.batch_size),
        s.config.accumulate_steps > 1 ? (" × " + std::to_string(s.config.accumulate_steps) + " accumulated").c_str()
                                      : "",
        run.augment().str().c_str(), ranks.c_str(), run.threads());
    make_folders(s.out);
  }
  if (resume != nullptr) {
    // Every rank reads the checkpoint (a folder all of them see); its state does not depend on
    // the number of ranks, so a run may go on with another.
    run.trainer().resume_from(resume->state);
  }
  if (resume != nullptr && world.is_root()) {
    const StateDict progress = resume->state.under("progress.");
    std::fprintf(stderr, "resuming %s at step %lld (epoch %lld%s)\n", checkpoint_path.c_str(),
                 static_cast<long long>(progress.get_int("step")), static_cast<long long>(progress.get_int("epoch")),
                 progress.get_int("in_epoch") ? ", part-way" : " complete");
  }
  History history;
  try {
    history = run.fit();
  } catch (const TrainingDiverged& e) {
    if (monitor) monitor->finish();
    if (world.is_root()) {
      write_reports(s.out, settings_json(run, data.description), nullptr, {}, monitor.get(), e.what());
    }
    throw;
  }
  // Rank 0 alone evaluates, prints and writes: every rank holds the same model.
  if (!world.is_root()) return history.stop_reason.starts_with("interrupted") ? 130 : 0;

  if (history.stop_reason.starts_with("interrupted")) {
    nlohmann::json record = history.to_json();
    record["settings"] = settings_json(run, data.description);
    write_file_atomic(s.out + "/history.json", record.dump(1));
    write_file_atomic(s.out + "/history.csv", history.to_csv());
    std::fprintf(stderr, "nnlab: %s; wrote %s and the history so far. Continue with: %snnlab train --resume %s\n",
                 history.stop_reason.c_str(), checkpoint_path.c_str(),
                 world.size() > 1 ? ("mpirun -np " + std::to_string(world.size()) + " ").c_str() : "", s.out.c_str());
    return 130;
  }
  Loss<float>& loss = run.loss();
  const int num_classes = train_rows ? train_rows->num_classes() : data.train.num_classes;
  const bool classification = num_classes > 0;
  Metrics test;
  if (test_rows) {
    Rng unused(0);
    const std::unique_ptr<BatchSource> batches = test_rows->loader(s.config.batch_size, unused, /*shuffle=*/false);
    test = evaluate_in_place(model, loss, *batches);
  } else {
    // On the model itself, in the training batch, its buffers already there (the monitor's hooks are
    // gone with the training): a copy's buffers, or a larger batch's, would add to the peak memory.
    test = evaluate_in_place(model, loss, data.test, s.config.batch_size);
  }
  if (!classification && loaded.schema) {
    // The model learnt standardised targets: the errors in the target's own units.
    test.mse *= loaded.schema->target_std * loaded.schema->target_std;
    test.mae *= loaded.schema->target_std;
  }
  const std::string save_path = s.save.empty() ? s.out + "/model.safetensors" : s.save;

  // The history first: it is small, and on a disk too full for the model it is
  // what is left of the finished run (its settings, every epoch, the test result).
  nlohmann::json record = history.to_json();
  record["settings"] = settings_json(run, data.description);
  record["test"] = {{"loss", json_number(test.loss)}};
  if (classification) {
    record["test"]["accuracy"] = json_number(test.accuracy);
  } else {
    record["test"]["r2"] = json_number(test.r2);
    record["test"]["mse"] = json_number(test.mse);
    record["test"]["mae"] = json_number(test.mae);
  }
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
              {"nnlab.classes", std::to_string(num_classes)},
              {"nnlab.data", loaded.description().dump()},
              {classification ? "nnlab.test_accuracy" : "nnlab.test_r2",
               std::to_string(classification ? test.accuracy : test.r2)}});

  const double seconds = history.epochs.empty() ? 0.0 : history.epochs.back().seconds;
  const char* samples = loaded.kind == "table" ? "rows" : loaded.kind == "toy" ? "points" : "images";
  if (classification) {
    std::printf("test accuracy %.4f (loss %.4f) on %lld %s after %.1f s of training\n", test.accuracy, test.loss,
                static_cast<long long>(test_size), samples, seconds);
  } else {
    std::printf("test R² %.4f, MSE %.6g, MAE %.6g (in %s's units) on %lld %s after %.1f s of training\n", test.r2,
                test.mse, test.mae, loaded.schema ? loaded.schema->target.c_str() : "the target",
                static_cast<long long>(test_size), samples, seconds);
  }
  if (history.restored) {
    std::printf("(the model of epoch %d, the best by %s %.4f, restored by early stopping after epoch %d)\n",
                history.best_epoch, history.monitor.c_str(), history.best_value,
                history.epochs.empty() ? 0 : history.epochs.back().epoch);
  }
  if (world.size() > 1) {
    // What data parallelism cost: rank 0's time in the exchanges (waiting for the others included).
    std::fprintf(stderr, "%d ranks: %.2f s of rank 0's %.2f s of training in allreduce and broadcasts (%.0f%%)\n",
                 world.size(), run.trainer().communication_seconds(), seconds,
                 seconds > 0 ? 100 * run.trainer().communication_seconds() / seconds : 0.0);
  }
  std::printf("wrote %s, %s/history.csv, %s/history.json\n", save_path.c_str(), s.out.c_str(), s.out.c_str());
  write_reports(s.out, record["settings"], &history, test, monitor.get(), "");
  std::printf("wrote %s/report.html%s\n", s.out.c_str(),
              monitor ? (", monitor_*.csv and monitor_*.svg in " + s.out).c_str() : "");
  return 0;
}

}  // namespace

Run add_train(CLI::App& app, Communicator& world) {
  auto s = std::make_shared<TrainSettings>();
  auto mpi_timeout = std::make_shared<double>(300);
  add_train_config_flags(app, s->config);
  app.add_option("--data", s->data,
                 "The data: mnist (default: $NNLAB_DATA or the bundled sample), fashion-mnist, a bundled table (" +
                     bundled_table_names() +
                     "), a CSV file, a folder of IDX files (MNIST's layout, any number of classes), or a folder "
                     "of images (PNG, JPEG, PGM) with a subfolder per class");
  app.add_option("--target", s->table.target,
                 "CSV data: the target column, by name or 0-based index (default: the last column)");
  app.add_option("--task", s->table.task,
                 "CSV data: classification, regression, or auto (text or few whole numbers: classes; "
                 "otherwise values)")
      ->check(CLI::IsMember({"auto", "classification", "regression"}))
      ->capture_default_str();
  app.add_option("--test-split", s->table.test_split,
                 "CSV data and image folders: the share of rows (images) held out as test data")
      ->capture_default_str();
  app.add_option("--stream", s->table.stream,
                 "CSV data: read the table into memory (off), or stream it from the file every epoch, a window "
                 "of 64 MB at a time (on); auto streams files of 512 MB or more")
      ->check(CLI::IsMember({"auto", "on", "off"}))
      ->capture_default_str();
  app.add_option("--image-size", s->image_size,
                 "Image folders: the size HEIGHTxWIDTH every image is resized to (default: the first image's, "
                 "its longer side at most 64)");
  app.add_option("--channels", s->images.channels, "Image folders: 1 (grey), 3 (RGB), or 0: 3 if any image is colour")
      ->check(CLI::IsMember({0, 1, 3}))
      ->capture_default_str();
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
      ->check(non_negative_integer())
      ->capture_default_str();
  app.add_flag("--overwrite", s->overwrite, "Replace the run in --out (without it, a folder holding a run is refused)");
  app.add_flag("--dry-run", s->dry_run, "Check the settings and print them as JSON without training");
  app.add_option("--resume", s->resume,
                 "Continue the run in this folder from its checkpoint, with the settings it was started with "
                 "(only --threads and --progress may be given again): the result equals an uninterrupted run's");
  app.add_flag("--sync-batchnorm", s->sync_batchnorm,
               "Under mpirun: BatchNorm normalises with the statistics of the whole global batch (summed over "
               "the ranks, as one process would), not of each rank's shard; every batch then needs a sample on "
               "every rank");
  app.add_option("--mpi-timeout", *mpi_timeout,
                 "Under mpirun: seconds a rank waits for the others in one exchange (gradients, a broadcast) "
                 "before it ends the job, naming itself (a rank died or hangs); 0: wait for ever")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  return [s, mpi_timeout, &app, &world] {
    s->out_given = app.count("--out") > 0;
    s->given = given_flags(app);
    world.set_timeout(*mpi_timeout);
    if (s->resume.empty()) return run_train(*s, nullptr, world);
    const CheckpointFile checkpoint = read_checkpoint(s->resume + "/" + kCheckpointName);
    return run_train(resumed_settings(app, *s, checkpoint), &checkpoint, world);
  };
}

}  // namespace nnlab::cli
