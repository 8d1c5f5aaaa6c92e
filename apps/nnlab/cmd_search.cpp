// nnlab search: hyperparameter search over training settings on a validation
// split; the test set is used once, for the best configuration, at the end.

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>
#include <thread>

#include "commands.h"
#include "nnlab/data/data_source.h"
#include "nnlab/distributed/communicator.h"
#include "nnlab/io/atomic_file.h"
#include "nnlab/io/csv.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/report/grid.h"
#include "nnlab/search/bayesian_search.h"
#include "nnlab/search/distributed_trials.h"
#include "nnlab/search/grid_search.h"
#include "nnlab/search/narrowing.h"
#include "nnlab/search/random_search.h"
#include "nnlab/search/search_runner.h"
#include "nnlab/search/successive_halving.h"
#include "nnlab/search/training_trial.h"
#include "nnlab/train/train.h"
#include "nnlab/train/trainer.h"
#include "train_flags.h"

namespace nnlab::cli {

namespace {

struct SearchSettings {
  std::string space;
  std::string strategy = "random";
  int trials = 100;
  double minutes = 0;
  double target = NAN;
  int workers = 2;
  TrainConfig fixed{};          // nnlab train's flags: what every trial shares; its epochs are the trials'
  std::set<std::string> given;  // the flags given (the data's hints fill the others)
  int grid_points = 5;
  int initial_trials = 10;
  int candidates = 4000;
  int min_epochs = 5;
  int halving_rate = 3;
  int top = 5;
  std::string data;
  std::string out = "runs/search";
};

double user_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec) + 1e-6 * static_cast<double>(usage.ru_utime.tv_usec);
}

std::unique_ptr<SearchStrategy> make_strategy(const SearchSettings& s, const SearchSpace& space) {
  const uint64_t seed = s.fixed.seed;
  const int epochs = s.fixed.epochs;
  if (s.strategy == "random") return std::make_unique<RandomSearch>(space, seed, s.trials, epochs);
  if (s.strategy == "grid") return std::make_unique<GridSearch>(space, s.grid_points, epochs);
  if (s.strategy == "bayes") {
    BayesianSearch::Options options;
    options.initial_trials = s.initial_trials;
    options.candidates = s.candidates;
    return std::make_unique<BayesianSearch>(space, seed, s.trials, epochs, options);
  }
  return std::make_unique<SuccessiveHalving>(space, seed, s.trials, s.min_epochs, epochs, s.halving_rate);
}

nlohmann::json header_json(const SearchSettings& s, const SearchSpace& space, const std::string& data) {
  // Every setting that decides a trial's result; the thread count is left out, so that a
  // search may resume with other --workers or --threads.
  nlohmann::json fixed = to_json(s.fixed);
  fixed.erase("threads");
  nlohmann::json header = {{"space", space.str()}, {"strategy", s.strategy}, {"fixed", fixed}, {"data", data}};
  // Only the settings that change what a trial is: more --trials or --minutes extend a search.
  if (s.strategy == "grid") header["grid_points"] = s.grid_points;
  if (s.strategy == "bayes") header["bayes"] = {s.initial_trials, s.candidates};
  if (s.strategy == "halving") header["halving"] = {s.min_epochs, s.halving_rate, s.trials};
  return header;
}

void write_tables(const std::vector<TrialRecord>& trials, const SearchSpace& space, const std::string& out) {
  std::vector<std::string> columns = {"trial"};
  for (const auto& d : space.dimensions()) columns.push_back(d.name);
  for (const char* c : {"epochs", "rung", "val_accuracy", "val_loss", "diverged", "seconds", "worker"}) {
    columns.push_back(c);
  }
  CsvTable table(columns);
  nlohmann::json all = nlohmann::json::array();
  for (const TrialRecord& t : trials) {
    std::vector<CsvTable::Cell> row = {static_cast<long long>(t.index)};
    for (size_t i = 0; i < space.size(); ++i) {
      const Dimension& d = space.dimensions()[i];
      if (d.is_choice()) {
        row.emplace_back(d.format(t.plan.point[i]));
      } else {
        row.emplace_back(t.plan.point[i]);
      }
    }
    row.emplace_back(static_cast<long long>(t.plan.epochs));
    row.emplace_back(static_cast<long long>(t.plan.rung));
    row.emplace_back(t.score);
    row.emplace_back(t.val_loss.empty() ? NAN : t.val_loss.back());
    row.emplace_back(static_cast<long long>(t.diverged));
    row.emplace_back(t.seconds);
    row.emplace_back(static_cast<long long>(t.worker));
    table.add_row(row);
    all.push_back(t.to_json(space));
  }
  table.save(out + "/trials.csv");
  write_file_atomic(out + "/trials.json", all.dump(1));
}

std::string axis_label(const Dimension& d) {
  std::string label = d.name;
  if (d.is_choice()) {
    label += " (";
    for (size_t i = 0; i < d.choices.size(); ++i) label += (i ? ", " : "") + std::to_string(i) + "=" + d.choices[i];
    label += ")";
  }
  return label;
}

void write_charts(const std::vector<TrialRecord>& trials, const SearchSpace& space, const SearchSpace& narrowed,
                  int top, const std::string& out) {
  const std::vector<TrialRecord> best = ranked(trials);
  report::LineChart curves{.title = "Validation accuracy of the best trials",
                           .x_label = "epoch",
                           .y_label = "validation accuracy",
                           .y_range = report::Range{0, 1}};
  for (int i = 0; i < std::min<int>(top, static_cast<int>(best.size())); ++i) {
    if (best[i].val_accuracy.empty()) continue;
    curves.add("Best-" + std::to_string(i + 1) + ": " + space.describe(best[i].plan.point), best[i].val_accuracy);
  }
  write_file_atomic(out + "/search_curves.svg", curves.render());

  // Scores of every trial, and the best (the top narrowing_count) ringed.
  std::vector<double> scores;
  for (const auto& t : trials) scores.push_back(t.score);
  std::vector<size_t> highlighted;
  const int count = narrowing_count(trials.size());
  for (int i = 0; i < std::min<int>(count, static_cast<int>(best.size())); ++i) {
    for (size_t j = 0; j < trials.size(); ++j) {
      if (trials[j].index == best[i].index && std::isfinite(best[i].score)) highlighted.push_back(j);
    }
  }
  auto column = [&](size_t dim) {
    std::vector<double> xs;
    for (const auto& t : trials) xs.push_back(t.plan.point[dim]);
    return xs;
  };
  auto band = [&](size_t dim) -> std::optional<report::Range> {
    const Dimension& d = narrowed.dimensions()[dim];
    if (d.is_choice()) return std::nullopt;
    return report::Range{d.low, d.high};
  };
  const std::string best_label = "top " + std::to_string(count);
  report::Grid grid{.title = "Validation accuracy over the searched settings", .cols = 1};
  if (space.size() >= 2) {
    report::Scatter pair{.title = space.dimensions()[0].name + " × " + space.dimensions()[1].name,
                         .x_label = axis_label(space.dimensions()[0]),
                         .y_label = axis_label(space.dimensions()[1]),
                         .log_x = space.dimensions()[0].log,
                         .log_y = space.dimensions()[1].log,
                         .xs = column(0),
                         .ys = column(1),
                         .values = scores,
                         .value_label = "validation accuracy",
                         .highlighted = highlighted,
                         .highlight_label = best_label,
                         .x_band = band(0),
                         .y_band = band(1)};
    grid.panels.push_back(pair);
  }
  for (size_t dim = 0; dim < space.size(); ++dim) {
    const Dimension& d = space.dimensions()[dim];
    grid.panels.push_back(report::Scatter{.title = "validation accuracy vs " + d.name,
                                          .x_label = axis_label(d),
                                          .y_label = "validation accuracy",
                                          .log_x = d.log,
                                          .xs = column(dim),
                                          .ys = scores,
                                          .highlighted = highlighted,
                                          .highlight_label = best_label,
                                          .x_band = band(dim)});
  }
  grid.cols = std::min<int>(3, static_cast<int>(grid.panels.size()));
  grid.panel_width = 380;
  grid.panel_height = 300;
  grid.panel_legends = true;
  write_file_atomic(out + "/search_scatter.svg", grid.render());
}

int run_search_command(SearchSettings s, Communicator& world) {
  if (s.space.empty()) throw UsageError("--space is required, e.g. --space \"lr=1e-6..1e-2:log\"");
  SearchSpace space;
  try {
    space = SearchSpace::parse(s.space);
    check_searchable(space, s.fixed);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--space: ") + e.what());
  }
  try {
    check(s.fixed);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  if (s.fixed.val_split <= 0) throw UsageError("--val-split must be in (0, 1): the search needs it");
  if (s.strategy == "halving" && s.min_epochs > s.fixed.epochs) {
    throw UsageError("--min-epochs must not exceed --epochs");
  }
  if (s.fixed.iterations > 0) throw UsageError("a search counts its trials' length in --epochs, not --iterations");
  // Under mpirun each rank has its share of its machine's cores (or --threads).
  const int threads = capped_threads(
      world.size() > 1 && s.fixed.threads <= 0 && !s.given.contains("--threads")
          ? std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / std::max(1, world.local_size()))
          : s.fixed.threads);
  s.workers = std::max(1, std::min(s.workers, threads));
  const ThreadScope scope(threads);

  const LoadedData loaded = load_data(s.data, {.stream = "off"});
  const TrainTest& data = loaded.split;
  const std::string applied = apply_data_hints(s.fixed, loaded.hints, s.given);
  if (!applied.empty() && world.is_root()) {
    std::fprintf(stderr, "settings for this data:%s (give a flag to choose otherwise)\n", applied.c_str());
  }
  if (!data.train.classification()) {
    throw UsageError("--data " + s.data +
                     " is regression data; a search ranks its trials by validation accuracy, "
                     "so it needs classes");
  }
  if (world.size() > 1 && !world.is_root()) {
    // A worker: the trials rank 0 sends, each on all of this rank's threads.
    serve_trials(world, space, [&](int index, const TrialPlan& plan) {
      return run_training_trial(trial_config(s.fixed, space, plan, index, threads), data.train);
    });
    return 0;
  }
  {
    // What every trial trains and validates on (each trial's train() makes the same split).
    Rng split_rng(s.fixed.seed);
    const TrainValidation split = split_data(s.fixed, data.train, split_rng);
    std::fprintf(stderr, "data: %s; searching on %lld train / %lld validation images\n", data.description.c_str(),
                 static_cast<long long>(split.train.size()), static_cast<long long>(split.validation.size()));
  }

  std::unique_ptr<SearchStrategy> strategy = make_strategy(s, space);
  make_folders(s.out);
  SearchOptions options;
  options.workers = world.size() > 1 ? world.size() - 1 : s.workers;
  options.threads_per_worker = world.size() > 1 ? threads : std::max(1, threads / s.workers);
  const int trial_threads = options.threads_per_worker;
  options.minutes = s.minutes;
  options.target = s.target;
  options.results_path = s.out + "/trials.jsonl";
  options.header = header_json(s, space, data.description);
  options.on_trial = [&](const TrialRecord& t) {
    std::fprintf(stderr, "trial %3d  %s  val acc %.3f  %s  (%.1f s, %d epochs, worker %d)\n", t.index,
                 t.diverged ? "diverged" : "", t.score, space.describe(t.plan.point).c_str(), t.seconds, t.plan.epochs,
                 t.worker);
  };
  std::fprintf(stderr, "%s search over %s: %d %s × %d threads\n", strategy->name().c_str(), space.str().c_str(),
               options.workers, world.size() > 1 ? "ranks (and rank 0 coordinating)" : "workers",
               options.threads_per_worker);
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = user_cpu_seconds();
  const Objective local = [&](int index, const TrialPlan& plan) {
    return run_training_trial(trial_config(s.fixed, space, plan, index, trial_threads), data.train);
  };
  const SearchResult result =
      run_search(*strategy, space, world.size() > 1 ? remote_trials(world, space) : local, options);
  if (world.size() > 1) end_trials(world);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = user_cpu_seconds() - cpu_start;
  if (result.trials.empty()) throw std::runtime_error("no trial finished");

  // Successive halving ranks only the trials of its last rung: a short trial's accuracy is not comparable.
  std::vector<TrialRecord> final_trials;
  int top_rung = 0;
  for (const auto& t : result.trials) top_rung = std::max(top_rung, t.plan.rung);
  for (const auto& t : result.trials) {
    if (t.plan.rung == top_rung) final_trials.push_back(t);
  }
  const int count = narrowing_count(final_trials.size());
  const SearchSpace narrowed = narrowed_space(final_trials, space, count);
  write_tables(result.trials, space, s.out);
  write_charts(final_trials, space, narrowed, s.top, s.out);
  write_file_atomic(s.out + "/suggested_space.txt", narrowed.str() + "\n");

  std::printf("%d trials (%d resumed from %s) in %.1f s wall, %.1f s user CPU%s\n",
              static_cast<int>(result.trials.size()), result.resumed, options.results_path.c_str(), wall, cpu,
              result.out_of_time ? "; stopped by --minutes" : "");
  std::printf("%s", ranking_text(final_trials, space, s.top).c_str());
  std::printf("next round (top %d): --space \"%s\"\n", count, narrowed.str().c_str());

  // The test set, once: the best configuration retrained with its own seed, which
  // reproduces the trial's model exactly, as does the printed nnlab train command.
  const TrialRecord best = ranked(final_trials).front();
  if (std::isfinite(best.score)) {
    const TrainConfig config = trial_config(s.fixed, space, best.plan, best.index, trial_threads);
    TrainResult result = train(config, data.train);
    SoftmaxCrossEntropy<float> loss;
    const Metrics test = evaluate(result.model, loss, data.test);
    std::printf("test accuracy of Best-1 (trial %d, retrained: val acc %.3f): %.4f on %lld images\n", best.index,
                result.history.epochs.back().val_accuracy, test.accuracy, static_cast<long long>(data.test.size()));
    std::printf("the same run: %s\n", train_command_for_data(config, s.data, loaded.hints).c_str());
  }
  std::printf(
      "wrote %s/trials.jsonl, trials.csv, trials.json, search_curves.svg, search_scatter.svg, "
      "suggested_space.txt\n",
      s.out.c_str());
  return 0;
}

}  // namespace

Run add_search(CLI::App& app, Communicator& world) {
  auto s = std::make_shared<SearchSettings>();
  app.add_option("--space", s->space,
                 "What to search: \"lr=1e-6..1e-2:log,weight_decay=1e-8..1e-4:log,dropout=0..0.5,hidden=50..200:int,"
                 "optimizer={sgd,adam}\"; searchable: lr, weight_decay, dropout, hidden, depth, batch_size, "
                 "optimizer, momentum");
  app.add_option("--strategy", s->strategy,
                 "random (log-uniform on log ranges), grid, bayes (Gaussian process + expected improvement), "
                 "halving (successive halving)")
      ->check(CLI::IsMember({"random", "grid", "bayes", "halving"}))
      ->capture_default_str();
  app.add_option("--trials", s->trials, "Trials to run (halving: trials in its first rung)")
      ->check(positive_integer())
      ->capture_default_str();
  app.add_option("--minutes", s->minutes, "Start no new trial after this many minutes (0: no limit)");
  app.add_option("--target", s->target, "Start no new trial once one reaches this validation accuracy");
  app.add_option("--workers", s->workers, "Trials trained at once")->check(positive_integer())->capture_default_str();
  add_train_config_flags(app, s->fixed);
  app.add_option("--grid-points", s->grid_points, "grid: values per range")->capture_default_str();
  app.add_option("--initial-trials", s->initial_trials, "bayes: random trials before the model takes over")
      ->capture_default_str();
  app.add_option("--candidates", s->candidates, "bayes: random candidates scored by expected improvement")
      ->capture_default_str();
  app.add_option("--min-epochs", s->min_epochs, "halving: epochs of the first rung")->capture_default_str();
  app.add_option("--halving-rate", s->halving_rate, "halving: keep 1/rate of a rung, with rate× the epochs")
      ->capture_default_str();
  app.add_option("--top", s->top, "Trials shown in the ranking and the curves chart")->capture_default_str();
  app.add_option("--data", s->data,
                 "The data, as for nnlab train: mnist (default), fashion-mnist, a bundled table, a CSV file (its last "
                 "column the classes) or a folder of IDX files");
  app.add_option("--out", s->out, "Output folder; a search started again on it resumes")->capture_default_str();
  return [s, &app, &world] {
    s->given = given_flags(app);
    return run_search_command(*s, world);
  };
}

}  // namespace nnlab::cli
