// nnlab experiment init-histograms | init-mnist

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "experiments.h"
#include "nnlab/experiments/activation_histograms.h"
#include "nnlab/experiments/training_comparison.h"
#include "nnlab/io/csv.h"
#include "nnlab/report/grid.h"
#include "nnlab/report/histogram.h"
#include "nnlab/report/palette.h"
#include "nnlab/report/svg.h"
#include "nnlab/report/ticks.h"

namespace nnlab::cli {

int write_comparison(const std::vector<TrainingOutcome>& outcomes, const std::string& title, const std::string& name,
                     const std::string& out);

namespace {

size_t init_index(const std::string& label) {
  const auto inits = histogram_inits();
  for (size_t i = 0; i < inits.size(); ++i) {
    if (inits[i].first == label) return i;
  }
  return 0;
}

// The top of a ReLU panel: the 99.5th percentile of its values rounded up to a tick (so that a
// few far outliers do not squash the rest; those beyond are counted under the panel).
double relu_panel_top(std::vector<float> values) {
  if (values.empty()) return 1.0;
  const size_t k = std::min(values.size() - 1, static_cast<size_t>(0.995 * static_cast<double>(values.size())));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  const double top = values[k];
  if (!(top > 0) || !std::isfinite(top)) return 1.0;
  const double step = report::nice_step(top / 4);
  return std::ceil(top / step) * step;
}

int run_init_histograms(const ExperimentSettings& s, const std::string& out) {
  HistogramSettings settings;
  settings.seed = s.seed;
  const std::vector<std::string> activations = {"sigmoid", "tanh", "relu"};
  const auto studies = activation_histograms(settings, activations);
  CsvTable stats({"activation", "init", "layer", "mean", "std", "saturated", "zero"});
  for (const std::string& activation : activations) {
    report::Grid grid;
    grid.title = "Activations of 5 layers of 100 " + activation + " units for 1000 random inputs";
    grid.cols = settings.layers;
    grid.panel_width = 220;
    grid.panel_height = 170;
    const double lo = activation == "tanh" ? -1.0 : 0.0;
    // About half of all ReLU outputs are exactly 0 whatever the scale; a spike at 0 would
    // flatten everything else, so ReLU panels show the positive outputs only. They have no
    // bound, and their scale grows or shrinks by layer with the initialisation (std 1 takes
    // layer 5 to thousands): each ReLU panel's range is its own, from its data.
    if (activation == "relu") grid.title += " (outputs > 0; about half are 0; ranges per panel)";
    for (const auto& study : studies) {
      if (study.activation != activation) continue;
      for (size_t l = 0; l < study.layers.size(); ++l) {
        const LayerActivations& layer = study.layers[l];
        report::Histogram h;
        h.title = study.init + ", layer " + std::to_string(l + 1);
        h.fractions = true;
        h.y_label = "share";
        std::vector<float> shown;
        for (float v : layer.values) {
          if (activation != "relu" || v > 0) shown.push_back(v);
        }
        h.lo = lo;
        h.hi = activation == "relu" ? relu_panel_top(shown) : 1.0;
        h.add_values(study.init, shown, settings.bins).color = report::series_color(init_index(study.init));
        grid.panels.emplace_back(h);
        stats.add_row({activation, study.init, static_cast<long long>(l + 1), layer.mean, layer.std, layer.saturated,
                       layer.zero});
      }
    }
    report::write_svg(out + "/histograms_" + activation + ".svg", grid.render());
  }
  stats.save(out + "/activation_stats.csv");

  std::printf("Standard deviation of the activations, layer 1 → 5 (sigmoid: share saturated below 0.1 or above 0.9)\n");
  for (const auto& study : studies) {
    std::printf("  %-8s %-9s std", study.activation.c_str(), study.init.c_str());
    for (const auto& layer : study.layers) std::printf(" %8.3g", layer.std);
    if (study.activation == "sigmoid") {
      std::printf("   saturated %3.0f%% → %3.0f%%", 100 * study.layers.front().saturated,
                  100 * study.layers.back().saturated);
    }
    if (study.activation == "relu") std::printf("   zero %3.0f%%", 100 * study.layers.back().zero);
    std::printf("\n");
  }
  std::printf("wrote %s/histograms_{sigmoid,tanh,relu}.svg and activation_stats.csv\n", out.c_str());
  return 0;
}

int run_init_mnist(const ExperimentSettings& s, const std::string& out) {
  const TrainTest data = load_mnist(s.data.empty() ? default_mnist_folder() : s.data);
  ComparisonSettings settings;
  settings.seed = s.seed;
  std::printf("784-100-100-100-100-10 ReLU, SGD lr 0.01, batch %lld, %lld iterations, the same batches for each; %s\n",
              static_cast<long long>(settings.batch_size), static_cast<long long>(settings.iterations),
              data.description.c_str());
  const auto outcomes = compare_training(data, settings, textbook_init_runs());
  return write_comparison(outcomes, "Weight initialisation on MNIST (784-100×4-10, ReLU, SGD 0.01)", "init_mnist", out);
}

}  // namespace

void add_init_experiments(CLI::App& parent, std::vector<std::pair<CLI::App*, Run>>& runs) {
  add_experiment(parent, "init-histograms",
                 "Activation histograms of 5 layers for sigmoid, tanh and ReLU with std 1, std 0.01, Xavier and He",
                 run_init_histograms, runs);
  add_experiment(parent, "init-mnist", "std 0.01 against Xavier against He training the same network on MNIST",
                 run_init_mnist, runs);
}

}  // namespace nnlab::cli
