// nnlab experiment filters

#include <cstdio>
#include <memory>

#include "experiments.h"
#include "nnlab/experiments/filters.h"
#include "nnlab/io/csv.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/report/image_grid.h"
#include "nnlab/report/svg.h"

namespace nnlab::cli {

namespace {

double mean(const std::vector<double>& values) {
  double sum = 0;
  for (const double v : values) sum += v;
  return values.empty() ? 0.0 : sum / static_cast<double>(values.size());
}

int count_below(const std::vector<double>& values, double limit) {
  int n = 0;
  for (const double v : values) n += v < limit;
  return n;
}

// Filters whose roughness is below this are clearly smoother than noise (about √2).
constexpr double kSmooth = 1.0;

int run_filters(const ExperimentSettings& s, const std::string& out, int epochs) {
  if (epochs < 1) throw UsageError("--epochs must be at least 1, got " + std::to_string(epochs));
  const TrainTest data = load_mnist(s.data.empty() ? default_mnist_folder() : s.data);
  FilterSettings settings;
  settings.epochs = epochs;
  settings.seed = s.seed;
  std::printf("SimpleConvNet %s; weights N(0, %g²), Adam %g, batch %lld, %d epoch%s; %s\n",
              preset_spec("simple-cnn").c_str(), settings.init_std, settings.lr,
              static_cast<long long>(settings.batch_size), epochs, epochs == 1 ? "" : "s", data.description.c_str());
  const FilterStudy study = learn_filters(data, settings);
  const Tensor<float>& before = study.before;
  const int64_t filters = before.dim(0), height = before.dim(2), width = before.dim(3);
  if (before.dim(1) != 1) throw std::logic_error("the filters experiment draws one input channel");

  report::ImageGrid grid;
  grid.title = "SimpleConvNet's " + std::to_string(filters) + " first-layer " + std::to_string(height) + "×" +
               std::to_string(width) + " filters, before and after " + std::to_string(epochs) + " epoch" +
               (epochs == 1 ? "" : "s") + " (dark: large weights)";
  grid.image_height = static_cast<int>(height);
  grid.image_width = static_cast<int>(width);
  // Ten filters to a line (30 filters: three lines before, three after), each 12 pixels to a
  // weight, so that a 5×5 filter's strokes are seen at a glance (60 × 60 pixels).
  grid.max_columns = 10;
  grid.pixel_size = 12;
  grid.invert = true;  // as the textbook shows them
  const size_t size = static_cast<size_t>(height * width);
  // One row at a time: adding a row may move the others.
  for (const auto& [label, weights] : {std::pair{"before", &before}, std::pair{"after", &study.after}}) {
    auto& row = grid.add_row(label);
    for (int64_t f = 0; f < filters; ++f) row.add(std::span<const float>(weights->row(f), size));
  }
  report::write_svg(out + "/filters.svg", grid.render());

  CsvTable weights({"filter", "row", "col", "before", "after"});
  for (int64_t f = 0; f < filters; ++f) {
    for (int64_t r = 0; r < height; ++r) {
      for (int64_t c = 0; c < width; ++c) {
        const int64_t i = (f * height + r) * width + c;
        weights.add_row({static_cast<long long>(f), static_cast<long long>(r), static_cast<long long>(c),
                         static_cast<double>(before[i]), static_cast<double>(study.after[i])});
      }
    }
  }
  weights.save(out + "/filters.csv");
  CsvTable roughness({"filter", "roughness_before", "roughness_after"});
  for (int64_t f = 0; f < filters; ++f) {
    roughness.add_row({static_cast<long long>(f), study.roughness_before[static_cast<size_t>(f)],
                       study.roughness_after[static_cast<size_t>(f)]});
  }
  roughness.save(out + "/filter_roughness.csv");

  std::printf("test accuracy %.4f (loss %.4f) on %lld images after %.1f s of training\n", study.test.accuracy,
              study.test.loss, static_cast<long long>(data.test.size()), study.seconds);
  std::printf("mean |weight| %.4f before; mean |change| %.4f (%.1f× the initial size)\n", study.mean_abs_before,
              study.mean_abs_change, study.mean_abs_change / study.mean_abs_before);
  std::printf("roughness (mean |neighbour difference| / mean |weight|; noise ≈ 1.41): %.3f before → %.3f after\n",
              mean(study.roughness_before), mean(study.roughness_after));
  std::printf("smooth filters (roughness < %g): %d/%lld before → %d/%lld after\n", kSmooth,
              count_below(study.roughness_before, kSmooth), static_cast<long long>(filters),
              count_below(study.roughness_after, kSmooth), static_cast<long long>(filters));
  std::printf("wrote %s/filters.svg, filters.csv and filter_roughness.csv\n", out.c_str());
  return 0;
}

}  // namespace

void add_filter_experiments(CLI::App& parent, std::vector<std::pair<CLI::App*, Run>>& runs) {
  auto epochs = std::make_shared<int>(5);
  CLI::App* app = add_experiment(
      parent, "filters",
      "SimpleConvNet's 30 first-layer filters before and after training on MNIST: noise becomes edges and blobs",
      [epochs](const ExperimentSettings& s, const std::string& out) { return run_filters(s, out, *epochs); }, runs);
  app->add_option("--epochs", *epochs, "Passes over the training data")
      ->check(positive_integer())
      ->capture_default_str();
}

}  // namespace nnlab::cli
