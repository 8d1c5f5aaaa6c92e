// nnlab experiment batchnorm | overfit | early-stopping

#include <cmath>
#include <cstdio>

#include "experiments.h"
#include "nnlab/experiments/regularization.h"
#include "nnlab/io/csv.h"
#include "nnlab/report/grid.h"
#include "nnlab/report/line_chart.h"
#include "nnlab/report/palette.h"
#include "nnlab/report/svg.h"
#include "nnlab/report/ticks.h"

namespace nnlab::cli {

namespace {

std::vector<double> epochs_axis(size_t count) {
  std::vector<double> xs(count);
  for (size_t i = 0; i < count; ++i) xs[i] = static_cast<double>(i + 1);
  return xs;
}

// Left-aligned in `width` characters; printf's %-22s counts bytes, and "λ" is two.
std::string padded(const std::string& text, size_t width) {
  size_t characters = 0;
  for (unsigned char c : text) characters += (c & 0xC0) != 0x80;
  return text + std::string(width > characters ? width - characters : 0, ' ');
}

TrainTest load_data(const ExperimentSettings& s) {
  return load_mnist(s.data.empty() ? default_mnist_folder() : s.data);
}

// A diverged run (NaN) has learnt nothing: any finite accuracy beats it.
bool ends_higher(double a, double b) { return std::isfinite(a) && (!std::isfinite(b) || a > b); }

std::string final_accuracy(double accuracy, int64_t diverged_step) {
  if (diverged_step > 0) return "NaN at step " + std::to_string(diverged_step);
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", accuracy);
  return text;
}

int run_batchnorm(const ExperimentSettings& s, const std::string& out) {
  const TrainTest data = load_data(s);
  BatchNormSettings settings;
  settings.seed = s.seed;
  const auto stds = textbook_weight_stds();
  std::printf(
      "first %lld training images; 784-100×%d-10 ReLU with and without BatchNorm (ε %g) after each hidden "
      "Linear; weights N(0, std²); SGD lr %g, batch %lld, %d epochs (%lld updates), the same batches and "
      "weights for both; %s\n",
      static_cast<long long>(settings.train_size), settings.hidden_layers, settings.eps, settings.lr,
      static_cast<long long>(settings.batch_size), settings.epochs,
      static_cast<long long>(settings.epochs * ((settings.train_size + settings.batch_size - 1) / settings.batch_size)),
      data.description.c_str());
  const auto curves = batchnorm_comparison(data.train, settings, stds);

  report::Grid grid;
  grid.title = "Training accuracy with and without BatchNorm by initial weight std (" +
               std::to_string(settings.train_size) + " images)";
  grid.cols = 4;
  grid.share_y = true;
  grid.panel_width = 250;
  grid.panel_height = 190;
  CsvTable table({"weight_std", "batchnorm", "epoch", "train_accuracy", "diverged_at_step"});
  int batchnorm_higher = 0;
  for (const auto& c : curves) {
    report::LineChart panel;
    panel.title = "std " + report::format_number(c.weight_std);
    if (c.plain_diverged_step > 0)
      panel.title += " (without: NaN at step " + std::to_string(c.plain_diverged_step) + ")";
    if (c.batchnorm_diverged_step > 0) {
      panel.title += " (with: NaN at step " + std::to_string(c.batchnorm_diverged_step) + ")";
    }
    panel.x_label = "epoch";
    panel.y_label = "training accuracy";
    panel.y_range = report::Range{0.0, 1.0};
    panel.add("with BatchNorm", epochs_axis(c.batchnorm.size()), c.batchnorm).color = report::series_color(0);
    auto& plain = panel.add("without BatchNorm", epochs_axis(c.plain.size()), c.plain);
    plain.color = report::series_color(1);
    plain.dashed = true;
    grid.panels.emplace_back(panel);
    for (size_t e = 0; e < c.plain.size(); ++e) {
      table.add_row({c.weight_std, "no", static_cast<long long>(e + 1), c.plain[e],
                     static_cast<long long>(c.plain_diverged_step)});
    }
    for (size_t e = 0; e < c.batchnorm.size(); ++e) {
      table.add_row({c.weight_std, "yes", static_cast<long long>(e + 1), c.batchnorm[e],
                     static_cast<long long>(c.batchnorm_diverged_step)});
    }
    batchnorm_higher += ends_higher(c.batchnorm.back(), c.plain.back());
  }
  report::write_svg(out + "/batchnorm.svg", grid.render());
  table.save(out + "/batchnorm.csv");

  std::printf("%10s %14s %14s\n", "weight std", "without BN", "with BN");
  for (const auto& c : curves) {
    std::printf("%10.3g %14s %14s\n", c.weight_std, final_accuracy(c.plain.back(), c.plain_diverged_step).c_str(),
                final_accuracy(c.batchnorm.back(), c.batchnorm_diverged_step).c_str());
  }
  std::printf("BatchNorm ends higher at %d of %zu scales (final training accuracy, eval mode)\n", batchnorm_higher,
              curves.size());
  std::printf("wrote %s/batchnorm.svg and batchnorm.csv\n", out.c_str());
  return 0;
}

int run_overfit(const ExperimentSettings& s, const std::string& out) {
  const TrainTest data = load_data(s);
  OverfitSettings settings;
  settings.seed = s.seed;
  std::printf(
      "first %lld training images; 784-100×%d-10 ReLU, He init, SGD lr %g, batch %lld, %d epochs; "
      "accuracy in eval mode after each epoch; %s\n",
      static_cast<long long>(settings.train_size), settings.hidden_layers, settings.lr,
      static_cast<long long>(settings.batch_size), settings.epochs, data.description.c_str());
  const auto outcomes = overfit_comparison(data, settings, textbook_regularization_runs());

  report::Grid grid;
  grid.title =
      "Overfitting " + std::to_string(settings.train_size) + " MNIST images (784-100×6-10): training and test accuracy";
  grid.cols = static_cast<int>(outcomes.size());
  grid.share_y = true;
  grid.panel_width = 340;
  grid.panel_height = 260;
  CsvTable curves({"run", "epoch", "train_accuracy", "test_accuracy", "train_loss"});
  CsvTable summary({"run", "model", "optimizer", "epochs", "train_accuracy", "test_accuracy", "gap", "seconds"});
  for (const auto& o : outcomes) {
    report::LineChart panel;
    panel.title = o.label + ": gap " + report::format_number(o.gap(), 2);
    panel.x_label = "epoch";
    panel.y_label = "accuracy";
    panel.y_range = report::Range{0.0, 1.0};
    panel.add("training images", epochs_axis(o.train_accuracy.size()), o.train_accuracy).color =
        report::series_color(0);
    auto& test = panel.add("test images", epochs_axis(o.test_accuracy.size()), o.test_accuracy);
    test.color = report::series_color(1);
    test.dashed = true;
    grid.panels.emplace_back(panel);
    for (size_t e = 0; e < o.train_accuracy.size(); ++e) {
      curves.add_row(
          {o.label, static_cast<long long>(e + 1), o.train_accuracy[e], o.test_accuracy[e], o.train_loss[e]});
    }
    summary.add_row({o.label, o.model, o.optimizer, static_cast<long long>(o.train_accuracy.size()), o.final_train(),
                     o.final_test(), o.gap(), o.seconds});
  }
  report::write_svg(out + "/overfit.svg", grid.render());
  curves.save(out + "/overfit.csv");
  summary.save(out + "/overfit_summary.csv");

  std::printf("%s %7s %7s %7s %7s %8s\n", padded("run", 22).c_str(), "epochs", "train", "test", "gap", "seconds");
  for (const auto& o : outcomes) {
    std::printf("%s %7zu %7.3f %7.3f %7.3f %8.1f\n", padded(o.label, 22).c_str(), o.train_accuracy.size(),
                o.final_train(), o.final_test(), o.gap(), o.seconds);
  }
  std::printf("wrote %s/overfit.svg, overfit.csv, overfit_summary.csv\n", out.c_str());
  return 0;
}

report::LineChart early_stopping_panel(const EarlyStoppingDemo& demo, bool loss) {
  report::LineChart panel;
  panel.title = loss ? "Loss" : "Accuracy";
  panel.x_label = "epoch";
  panel.y_label = loss ? "cross-entropy loss" : "accuracy";
  std::vector<double> train, validation, test;
  for (const auto& e : demo.epochs) {
    train.push_back(loss ? e.train_loss : e.train_accuracy);
    validation.push_back(loss ? e.val_loss : e.val_accuracy);
  }
  for (const auto& m : demo.test) test.push_back(loss ? m.loss : m.accuracy);
  const auto xs = epochs_axis(demo.epochs.size());
  panel.add("training batches", xs, train).color = report::series_color(0);
  panel.add("validation", xs, validation).color = report::series_color(1);
  auto& t = panel.add("test (never used to choose)", xs, test);
  t.color = report::series_color(2);
  t.dashed = true;
  if (!loss) panel.y_range = report::Range{0.5, 1.0};
  // Neutral greys: the series' colours would tie a marker to one curve.
  panel.vertical_markers.push_back({static_cast<double>(demo.stopped.best_epoch),
                                    "best " + std::to_string(demo.stopped.best_epoch) + " (restored)", "#222222"});
  const int stop = demo.stopped.epochs.empty() ? 0 : demo.stopped.epochs.back().epoch;
  panel.vertical_markers.push_back({static_cast<double>(stop), "stopped " + std::to_string(stop), "#777777"});
  return panel;
}

int run_early_stopping(const ExperimentSettings& s, const std::string& out) {
  const TrainTest data = load_data(s);
  EarlyStoppingDemoSettings settings;
  settings.seed = s.seed;
  const EarlyStoppingDemo demo = early_stopping_demo(data, settings);
  std::printf(
      "first %lld training images: %lld train, %lld validation; %s, He init, %s, batch %lld; "
      "early stopping on val_loss, patience %d; %s\n",
      static_cast<long long>(settings.train_size), static_cast<long long>(demo.train_images),
      static_cast<long long>(demo.validation_images), demo.model.c_str(), demo.optimizer.c_str(),
      static_cast<long long>(settings.batch_size), settings.patience, data.description.c_str());

  report::Grid grid;
  // Short titles: the width estimate that trims long ones is for regular text, and a bold one overflows.
  grid.title = "Early stopping on val_loss, patience " + std::to_string(settings.patience) + "; the run went on to " +
               std::to_string(settings.max_epochs) + " epochs";
  grid.cols = 2;
  grid.panel_width = 420;
  grid.panel_height = 300;
  grid.panels.emplace_back(early_stopping_panel(demo, true));
  grid.panels.emplace_back(early_stopping_panel(demo, false));
  report::write_svg(out + "/early_stopping.svg", grid.render());

  CsvTable table({"epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "test_loss", "test_accuracy",
                  "trained_with_early_stopping"});
  const int stop = demo.stopped.epochs.empty() ? 0 : demo.stopped.epochs.back().epoch;
  for (size_t i = 0; i < demo.epochs.size(); ++i) {
    const auto& e = demo.epochs[i];
    table.add_row({static_cast<long long>(e.epoch), e.train_loss, e.train_accuracy, e.val_loss, e.val_accuracy,
                   demo.test[i].loss, demo.test[i].accuracy, e.epoch <= stop ? "yes" : "no"});
  }
  table.save(out + "/early_stopping.csv");

  std::printf("%s\n", demo.stopped.stop_reason.c_str());
  std::printf("%-34s %9s %9s %9s %9s\n", "model", "val loss", "val acc", "test loss", "test acc");
  const EpochRecord& best = demo.epochs[static_cast<size_t>(demo.stopped.best_epoch - 1)];
  std::printf("%-34s %9.4f %9.4f %9.4f %9.4f\n", ("restored, epoch " + std::to_string(demo.stopped.best_epoch)).c_str(),
              demo.restored_validation.loss, demo.restored_validation.accuracy, demo.restored_test.loss,
              demo.restored_test.accuracy);
  const EpochRecord& last = demo.epochs.back();
  std::printf("%-34s %9.4f %9.4f %9.4f %9.4f\n",
              ("without early stopping, epoch " + std::to_string(last.epoch)).c_str(), last.val_loss, last.val_accuracy,
              demo.final_test.loss, demo.final_test.accuracy);
  std::printf("(the restored model's validation loss equals that of epoch %d of the full run: %.4f)\n", best.epoch,
              best.val_loss);
  std::printf("%.1f s for both runs; wrote %s/early_stopping.svg and early_stopping.csv\n", demo.seconds, out.c_str());
  return 0;
}

}  // namespace

void add_regularization_experiments(CLI::App& parent, std::vector<std::pair<CLI::App*, Run>>& runs) {
  add_experiment(parent, "batchnorm",
                 "Training accuracy with and without BatchNorm for 16 scales of the initial weights (4×4 grid)",
                 run_batchnorm, runs);
  add_experiment(parent, "overfit",
                 "A deep network memorising 300 images, with no regularisation, L2 weight decay 0.1 and dropout 0.2",
                 run_overfit, runs);
  add_experiment(parent, "early-stopping",
                 "Training and validation loss of an overfitting run, where early stopping stops and what it restores",
                 run_early_stopping, runs);
}

}  // namespace nnlab::cli
