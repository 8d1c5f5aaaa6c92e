// nnlab experiment NAME: the classic demonstrations of a deep-learning course.

#include <thread>

#include "experiments.h"
#include "nnlab/io/atomic_file.h"
#include "nnlab/kernels/threads.h"

namespace nnlab::cli {

CLI::App* add_experiment(CLI::App& parent, const std::string& name, const std::string& description, ExperimentRun run,
                         std::vector<std::pair<CLI::App*, Run>>& runs) {
  CLI::App* app = parent.add_subcommand(name, description);
  auto s = std::make_shared<ExperimentSettings>();
  app->add_option("--out", s->out,
                  "Output folder for the CSV data and SVG charts (default: runs/experiments/" + name + ")");
  app->add_option("--seed", s->seed, "Random seed")->capture_default_str();
  app->add_option("--threads", s->threads, "Threads (default: all cores)")->check(positive_integer());
  app->add_option("--data", s->data, "Folder of MNIST IDX files; default: $NNLAB_DATA or the bundled sample");
  runs.emplace_back(app, [s, run, name] {
    const ThreadScope threads(capped_threads(s->threads));
    const std::string out = s->out.empty() ? "runs/experiments/" + name : s->out;
    make_folders(out);
    return run(*s, out);
  });
  return app;
}

Run add_experiment_command(CLI::App& app) {
  app.require_subcommand(1);
  auto runs = std::make_shared<std::vector<std::pair<CLI::App*, Run>>>();
  add_optimizer_experiments(app, *runs);
  add_init_experiments(app, *runs);
  add_regularization_experiments(app, *runs);
  add_filter_experiments(app, *runs);
  add_toy_experiments(app, *runs);
  return [runs] {
    for (auto& [sub, run] : *runs) {
      if (sub->parsed()) return run();
    }
    throw UsageError("choose an experiment (see nnlab experiment --help)");
  };
}

}  // namespace nnlab::cli
