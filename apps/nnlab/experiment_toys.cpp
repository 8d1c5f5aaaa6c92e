// nnlab experiment decision-boundary and nnlab experiment regression: small networks on the
// 2-D and 1-D toy data, drawn as TensorFlow Playground draws them.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "experiments.h"
#include "nnlab/data/toy_datasets.h"
#include "nnlab/experiments/decision_boundary.h"
#include "nnlab/experiments/regression.h"
#include "nnlab/io/csv.h"
#include "nnlab/report/decision_map.h"
#include "nnlab/report/grid.h"

namespace nnlab::cli {

namespace {

struct BoundaryFlags {
  int epochs = 30;
  std::vector<std::string> datasets = boundary_datasets();
  double noise = 0.1;
  int resolution = 60;
};

report::DecisionMap decision_map(const BoundaryStudy& study, const BoundaryMap& map, std::string title) {
  report::DecisionMap chart;
  chart.title = std::move(title);
  chart.x_min = study.x_min;
  chart.x_max = study.x_max;
  chart.y_min = study.y_min;
  chart.y_max = study.y_max;
  chart.resolution = study.resolution;
  chart.classes = study.classes;
  chart.probabilities = map.probabilities;
  for (int64_t i = 0; i < study.test.size(); ++i) {
    chart.xs.push_back(study.test.x.row(i)[0]);
    chart.ys.push_back(study.test.x.row(i)[1]);
    chart.labels.push_back(static_cast<int>(study.test.y[i]));
  }
  if (&map == &study.snapshots.back()) chart.correct = study.test_correct;
  return chart;
}

int run_decision_boundary(const ExperimentSettings& s, const std::string& out, const BoundaryFlags& flags) {
  if (flags.epochs < 1) throw UsageError("--epochs must be at least 1, got " + std::to_string(flags.epochs));
  if (!(flags.noise >= 0)) throw UsageError("--noise must be at least 0");
  BoundarySettings settings;
  settings.epochs = flags.epochs;
  settings.noise = flags.noise;
  settings.resolution = flags.resolution;
  settings.seed = s.seed;
  const auto models = boundary_models();
  std::printf(
      "%zu toy datasets × %zu networks (ReLU; Adam %g, cosine schedule, batch %lld, %d epochs); "
      "%lld training and %lld test points each, noise %g\n",
      flags.datasets.size(), models.size(), settings.lr, static_cast<long long>(settings.batch_size), settings.epochs,
      static_cast<long long>(settings.train_points), static_cast<long long>(settings.test_points), settings.noise);

  report::Grid grid;
  grid.title =
      "What hidden layers buy: the boundary each network draws (shade: predicted class, paler where "
      "unsure; points: the test data, ringed when misclassified)";
  grid.cols = static_cast<int>(models.size());
  grid.panel_width = 300;
  grid.panel_height = 280;
  CsvTable table({"dataset", "model", "spec", "train_accuracy", "test_accuracy", "seconds"});
  std::printf("%-10s", "test acc.");
  for (const auto& model : models) std::printf("  %-22s", model.label.c_str());
  std::printf("\n");
  for (const auto& dataset : flags.datasets) {
    std::printf("%-10s", dataset.c_str());
    for (const auto& model : models) {
      BoundarySettings run = settings;
      // The deepest network on the spirals is also drawn as it learns.
      if (&model == &models.back() && dataset == "spirals") run.snapshot_epochs = {1, 3, 10};
      const BoundaryStudy study = learn_boundary(dataset, model, run);
      char title[160];
      std::snprintf(title, sizeof title, "%s · %s: test %.3f", dataset.c_str(), model.label.c_str(),
                    study.test_metrics.accuracy);
      grid.panels.push_back(decision_map(study, study.snapshots.back(), title));
      table.add_row(
          {dataset, model.label, study.spec, study.train_metrics.accuracy, study.test_metrics.accuracy, study.seconds});
      std::printf("  %-22.3f", study.test_metrics.accuracy);
      std::fflush(stdout);
      if (study.snapshots.size() > 1) {
        report::Grid epochs;
        epochs.title = "Two hidden layers of 64 learning the spirals, epoch by epoch";
        epochs.cols = static_cast<int>(study.snapshots.size());
        epochs.panel_width = 280;
        epochs.panel_height = 270;
        for (const auto& map : study.snapshots) {
          epochs.panels.push_back(decision_map(
              study, map, "after epoch " + std::to_string(map.epoch) + " of " + std::to_string(run.epochs)));
        }
        report::write_svg(out + "/decision_boundary_epochs.svg", epochs.render());
      }
    }
    std::printf("\n");
  }
  report::write_svg(out + "/decision_boundary.svg", grid.render());
  table.save(out + "/decision_boundary.csv");
  std::printf(
      "lesson: without a hidden layer a network can only cut the plane with straight lines, so circles and "
      "XOR stay near chance; a hidden layer of ReLUs bends the boundary, and two wide layers fold it around "
      "the spirals.\n");
  std::printf("wrote %s/decision_boundary.svg, decision_boundary.csv%s\n", out.c_str(),
              std::find(flags.datasets.begin(), flags.datasets.end(), "spirals") != flags.datasets.end()
                  ? " and decision_boundary_epochs.svg"
                  : "");
  return 0;
}

struct RegressionFlags {
  int epochs = 60;
  double noise = 0.2;
};

report::LineChart fit_chart(const RegressionStudy& study, const HeadStudy& head, bool probabilities) {
  report::LineChart chart;
  chart.x_label = "x";
  std::vector<double> xs, ys;
  for (int64_t i = 0; i < study.train.size(); ++i) {
    xs.push_back(study.train.x[i]);
    ys.push_back(probabilities ? (study.train.y[i] > 0 ? 1.0 : 0.0) : study.train.y[i]);
  }
  auto& points = chart.add(probabilities ? "training labels (y > 0)" : "training points", xs, ys);
  points.markers_only = true;
  points.color = "#bbbbbb";
  std::vector<double> truth;
  for (const double x : study.xs) truth.push_back(probabilities ? (std::sin(x) > 0 ? 1.0 : 0.0) : std::sin(x));
  chart.add(probabilities ? "sin(x) > 0" : "sin(x)", study.xs, truth).dashed = true;
  for (const auto& curve : head.curves) chart.add("epoch " + std::to_string(curve.epoch), study.xs, curve.ys);
  if (probabilities) {
    chart.title = "classification: softmax + cross-entropy predicts P(y > 0)";
    chart.y_label = "P(y > 0)";
    chart.y_range = report::Range{-0.05, 1.05};
  } else {
    chart.title = "regression: identity output + MSE predicts y";
    chart.y_label = "y";
  }
  return chart;
}

report::LineChart loss_chart(const HeadStudy& head) {
  report::LineChart chart;
  chart.title = head.task + " loss (" + head.loss + ")";
  chart.x_label = "epoch";
  chart.y_label = head.loss;
  chart.log_y = true;
  chart.add("train", head.train_loss);
  chart.add("test", head.test_loss).dashed = true;
  return chart;
}

int run_regression(const ExperimentSettings& s, const std::string& out, const RegressionFlags& flags) {
  if (flags.epochs < 1) throw UsageError("--epochs must be at least 1, got " + std::to_string(flags.epochs));
  if (!(flags.noise >= 0)) throw UsageError("--noise must be at least 0");
  RegressionSettings settings;
  settings.epochs = flags.epochs;
  settings.noise = flags.noise;
  settings.seed = s.seed;
  std::printf(
      "y = sin(x) + N(0, %g²), %lld training / %lld test points; one MLP of %lld-%lld ReLUs, twice "
      "(Adam %g, cosine schedule, batch %lld, %d epochs)\n",
      settings.noise, static_cast<long long>(settings.train_points), static_cast<long long>(settings.test_points),
      static_cast<long long>(settings.hidden[0]), static_cast<long long>(settings.hidden[1]), settings.lr,
      static_cast<long long>(settings.batch_size), settings.epochs);
  const RegressionStudy study = learn_regression(settings);
  const HeadStudy& r = study.regression;
  const HeadStudy& c = study.classification;

  report::Grid grid;
  grid.title = "The output layer and the loss decide the task: the same hidden layers fit a value or a class";
  grid.cols = 2;
  grid.panel_legends = true;
  grid.panel_width = 420;
  grid.panel_height = 300;
  grid.panels = {fit_chart(study, r, false), fit_chart(study, c, true), loss_chart(r), loss_chart(c)};
  report::write_svg(out + "/regression.svg", grid.render());

  std::vector<std::string> header = {"x", "sin_x"};
  for (const auto* head : {&r, &c}) {
    for (const auto& curve : head->curves) header.push_back(head->task + "_epoch_" + std::to_string(curve.epoch));
  }
  CsvTable curves(header);
  for (size_t i = 0; i < study.xs.size(); ++i) {
    std::vector<CsvTable::Cell> row = {study.xs[i], std::sin(study.xs[i])};
    for (const auto* head : {&r, &c}) {
      for (const auto& curve : head->curves) row.emplace_back(curve.ys[i]);
    }
    curves.add_row(row);
  }
  curves.save(out + "/regression_curves.csv");
  CsvTable losses({"epoch", "regression_train_mse", "regression_test_mse", "classification_train_loss",
                   "classification_test_loss"});
  for (size_t e = 0; e < r.train_loss.size(); ++e) {
    losses.add_row({static_cast<long long>(e + 1), r.train_loss[e], r.test_loss[e], c.train_loss[e], c.test_loss[e]});
  }
  losses.save(out + "/regression_losses.csv");

  std::printf("regression (%s, identity output, MSE): test MSE %.4f (the noise alone gives %.4f), MAE %.4f, R² %.3f\n",
              r.spec.c_str(), r.test.mse, settings.noise * settings.noise, r.test.mae, r.test.r2);
  std::printf("classification (%s, softmax + cross-entropy): test accuracy %.4f on y > 0, loss %.4f\n", c.spec.c_str(),
              c.test.accuracy, c.test.loss);
  std::printf(
      "lesson: the hidden layers are the same; an identity output trained on the squared error predicts a "
      "number, softmax trained on the cross-entropy predicts how likely each class is.\n");
  std::printf("wrote %s/regression.svg, regression_curves.csv and regression_losses.csv\n", out.c_str());
  return 0;
}

}  // namespace

void add_toy_experiments(CLI::App& parent, std::vector<std::pair<CLI::App*, Run>>& runs) {
  auto boundary = std::make_shared<BoundaryFlags>();
  CLI::App* app = add_experiment(
      parent, "decision-boundary",
      "Networks of 0, 1 and 2 hidden layers on the 2-D toys (circles, XOR, spirals, blobs): the boundary each draws",
      [boundary](const ExperimentSettings& s, const std::string& out) {
        return run_decision_boundary(s, out, *boundary);
      },
      runs);
  app->add_option("--epochs", boundary->epochs, "Passes over the training points")
      ->check(positive_integer())
      ->capture_default_str();
  app->add_option("--datasets", boundary->datasets, "The toys to learn")
      ->check(CLI::IsMember(boundary_datasets()))
      ->delimiter(',')
      ->capture_default_str();
  app->add_option("--noise", boundary->noise, "Std of the noise added to the points")->capture_default_str();
  app->add_option("--resolution", boundary->resolution, "Grid cells per side of each map")
      ->check(CLI::Range(2, 400))
      ->capture_default_str();

  auto regression = std::make_shared<RegressionFlags>();
  app = add_experiment(
      parent, "regression",
      "One MLP fits y = sin(x) + noise with an identity output and MSE, and classifies y > 0 with softmax",
      [regression](const ExperimentSettings& s, const std::string& out) { return run_regression(s, out, *regression); },
      runs);
  app->add_option("--epochs", regression->epochs, "Passes over the training points")
      ->check(positive_integer())
      ->capture_default_str();
  app->add_option("--noise", regression->noise, "Std of the noise on y")->capture_default_str();
}

}  // namespace nnlab::cli
