// nnlab experiment optimizer-paths | optimizers-mnist

#include <cstdio>

#include "experiments.h"
#include "nnlab/experiments/optimizer_paths.h"
#include "nnlab/experiments/training_comparison.h"
#include "nnlab/io/csv.h"
#include "nnlab/report/contour.h"
#include "nnlab/report/grid.h"
#include "nnlab/report/line_chart.h"
#include "nnlab/report/palette.h"
#include "nnlab/report/svg.h"

namespace nnlab::cli {

namespace {

constexpr int kPathSteps = 30;

// "Momentum: lr 0.1, μ 0.9": what a panel needs, short enough to fit above it.
std::string short_title(const PathSetting& s) {
  std::string title = s.label + ": lr " + report::format_number(s.options.lr);
  if (s.options.name == "momentum" || s.options.name == "nesterov") {
    title += ", μ " + report::format_number(s.options.momentum);
  }
  return title;
}

// One panel per optimizer over the contour lines; returns the paths for the CSV and summary.
std::vector<OptimizerPath> draw_paths(const Surface& surface, const std::vector<PathSetting>& settings,
                                      const std::string& out) {
  std::vector<OptimizerPath> paths;
  report::Grid grid;
  grid.title = "Optimizer paths on " + surface.formula + ", " + std::to_string(kPathSteps) + " steps from (" +
               report::format_number(surface.x0) + ", " + report::format_number(surface.y0) + ")";
  grid.cols = 3;
  grid.panel_legends = false;
  for (size_t i = 0; i < settings.size(); ++i) {
    OptimizerPath path = run_path(surface, settings[i], kPathSteps);
    report::Contour panel;
    panel.title = short_title(settings[i]);
    panel.f = surface.f;
    panel.x_min = surface.xmin;
    panel.x_max = surface.xmax;
    panel.y_min = surface.ymin;
    panel.y_max = surface.ymax;
    panel.levels = surface.levels;
    // Points far outside the box (a path that escaped the saddle) would only squash the picture.
    std::vector<double> xs, ys;
    for (size_t k = 0; k < path.x.size(); ++k) {
      xs.push_back(path.x[k]);
      ys.push_back(path.y[k]);
      if (std::abs(path.x[k]) > 3 * surface.xmax || std::abs(path.y[k]) > 3 * surface.ymax) break;
    }
    panel.add_path(path.label, xs, ys).color = report::series_color(i);
    panel.points.push_back({0.0, 0.0, surface.name == "bowl" ? "minimum" : "saddle"});
    grid.panels.emplace_back(panel);
    paths.push_back(std::move(path));
  }
  report::write_svg(out + "/" + surface.name + "_paths.svg", grid.render());

  CsvTable table({"optimizer", "settings", "step", "x", "y", "f"});
  for (const auto& p : paths) {
    for (size_t k = 0; k < p.x.size(); ++k) {
      table.add_row({p.label, p.optimizer, static_cast<long long>(k), p.x[k], p.y[k], p.loss[k]});
    }
  }
  table.save(out + "/" + surface.name + "_paths.csv");
  return paths;
}

int run_optimizer_paths(const ExperimentSettings& /*settings*/, const std::string& out) {
  const auto bowl = draw_paths(bowl_surface(), bowl_settings(), out);
  std::printf("f(x, y) = x²/20 + y² from (-7, 2), %d steps: end point and f\n", kPathSteps);
  for (const auto& p : bowl) {
    std::printf("  %-9s (%7.3f, %7.3f)  f = %.4f   %s\n", p.label.c_str(), p.x.back(), p.y.back(), p.loss.back(),
                p.optimizer.c_str());
  }
  const auto saddle = draw_paths(saddle_surface(), saddle_settings(), out);
  std::printf("f(x, y) = x² - y² from (1, 0.001), %d steps: the step where |y| first reaches 1\n", kPathSteps);
  for (const auto& p : saddle) {
    if (p.escape_step > 0) {
      std::printf("  %-9s left the saddle at step %2d   %s\n", p.label.c_str(), p.escape_step, p.optimizer.c_str());
    } else {
      std::printf("  %-9s still near the saddle (|y| = %.3g)   %s\n", p.label.c_str(), std::abs(p.y.back()),
                  p.optimizer.c_str());
    }
  }
  std::printf("wrote %s/bowl_paths.svg, %s/saddle_paths.svg and their CSV\n", out.c_str(), out.c_str());
  return 0;
}

}  // namespace

// Shared by optimizers-mnist and init-mnist: loss curves in one chart, a table, CSV.
int write_comparison(const std::vector<TrainingOutcome>& outcomes, const std::string& title, const std::string& name,
                     const std::string& out) {
  report::LineChart chart;
  chart.title = title;
  chart.x_label = "iteration";
  chart.y_label = "training loss (moving average of 20)";
  chart.log_y = true;
  CsvTable curves({"run", "iteration", "loss"});
  CsvTable summary({"run", "optimizer", "init", "final_loss", "test_accuracy", "seconds", "failure"});
  for (const auto& o : outcomes) {
    std::vector<double> xs(o.step_loss.size());
    for (size_t i = 0; i < xs.size(); ++i) xs[i] = static_cast<double>(i + 1);
    chart.add(o.label, xs, smooth(o.step_loss, 20));
    for (size_t i = 0; i < o.step_loss.size(); ++i) {
      curves.add_row({o.label, static_cast<long long>(i + 1), static_cast<double>(o.step_loss[i])});
    }
    summary.add_row({o.label, o.optimizer, o.init, o.final_loss, o.test_accuracy, o.seconds, o.failure});
  }
  report::write_svg(out + "/" + name + ".svg", chart.render());
  curves.save(out + "/" + name + "_loss.csv");
  summary.save(out + "/" + name + "_summary.csv");
  std::printf("%-10s %-14s %-64s %12s %8s %7s\n", "run", "init", "optimizer", "final loss", "test acc", "seconds");
  for (const auto& o : outcomes) {
    std::printf("%-10s %-14s %-64s %12.5f %8.4f %7.1f%s\n", o.label.c_str(), o.init.c_str(), o.optimizer.c_str(),
                o.final_loss, o.test_accuracy, o.seconds, o.failure.empty() ? "" : ("  " + o.failure).c_str());
  }
  std::printf("(final loss: mean over the last 100 iterations)\nwrote %s/%s.svg, %s_loss.csv, %s_summary.csv\n",
              out.c_str(), name.c_str(), name.c_str(), name.c_str());
  return 0;
}

namespace {
int run_optimizers_mnist(const ExperimentSettings& s, const std::string& out) {
  const TrainTest data = load_mnist(s.data.empty() ? default_mnist_folder() : s.data);
  ComparisonSettings settings;
  settings.seed = s.seed;
  std::printf("784-100-100-100-100-10 ReLU, He init, batch %lld, %lld iterations, the same batches for each; %s\n",
              static_cast<long long>(settings.batch_size), static_cast<long long>(settings.iterations),
              data.description.c_str());
  const auto outcomes = compare_training(data, settings, textbook_optimizer_runs());
  return write_comparison(outcomes, "Optimizers on MNIST (784-100×4-10, ReLU, He)", "optimizers_mnist", out);
}
}  // namespace

void add_optimizer_experiments(CLI::App& parent, std::vector<std::pair<CLI::App*, Run>>& runs) {
  add_experiment(parent, "optimizer-paths",
                 "Paths of SGD, Momentum, Nesterov, AdaGrad, RMSProp and Adam on x²/20 + y² and on the saddle x² − y²",
                 run_optimizer_paths, runs);
  add_experiment(parent, "optimizers-mnist",
                 "The six optimizers training the same network on the same MNIST batches: loss curves and a table",
                 run_optimizers_mnist, runs);
}

}  // namespace nnlab::cli
