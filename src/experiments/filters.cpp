#include "nnlab/experiments/filters.h"

#include <cmath>
#include <stdexcept>

#include "nnlab/experiments/experiment_config.h"
#include "nnlab/layers/conv2d.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/optim/factory.h"
#include "nnlab/train/train.h"

namespace nnlab {

double roughness(std::span<const float> filter, int64_t height, int64_t width) {
  const int64_t plane = height * width;
  if (height < 1 || width < 1 || filter.empty() || static_cast<int64_t>(filter.size()) % plane != 0) {
    throw std::invalid_argument("roughness: " + std::to_string(filter.size()) + " weights are not whole " +
                                std::to_string(height) + "×" + std::to_string(width) + " planes");
  }
  double differences = 0, magnitude = 0;
  int64_t pairs = 0;
  for (size_t start = 0; start < filter.size(); start += static_cast<size_t>(plane)) {
    auto at = [&](int64_t r, int64_t c) {
      return static_cast<double>(filter[start + static_cast<size_t>(r * width + c)]);
    };
    for (int64_t r = 0; r < height; ++r) {
      for (int64_t c = 0; c < width; ++c) {
        magnitude += std::abs(at(r, c));
        if (c + 1 < width) differences += std::abs(at(r, c + 1) - at(r, c)), ++pairs;
        if (r + 1 < height) differences += std::abs(at(r + 1, c) - at(r, c)), ++pairs;
      }
    }
  }
  if (magnitude == 0 || pairs == 0) return 0.0;
  return (differences / static_cast<double>(pairs)) / (magnitude / static_cast<double>(filter.size()));
}

namespace {

Conv2d<float>& first_convolution(Sequential<float>& model) {
  for (size_t i = 0; i < model.size(); ++i) {
    if (auto* conv = dynamic_cast<Conv2d<float>*>(&model[i])) return *conv;
  }
  throw std::invalid_argument("model " + model.spec() + " has no convolution layer");
}

std::vector<double> roughness_per_filter(const Tensor<float>& weight) {
  const int64_t height = weight.dim(2), width = weight.dim(3);
  std::vector<double> values;
  for (int64_t f = 0; f < weight.dim(0); ++f) {
    values.push_back(roughness({weight.row(f), static_cast<size_t>(weight.row_size())}, height, width));
  }
  return values;
}

}  // namespace

FilterStudy learn_filters(const TrainTest& data, const FilterSettings& settings) {
  if (settings.epochs < 1)
    throw std::invalid_argument("epochs must be at least 1, got " + std::to_string(settings.epochs));
  FilterStudy study;
  study.spec = preset_spec("simple-cnn");
  TrainConfig config =
      adam_experiment_config(study.spec, Initializer::normal(settings.init_std), settings.lr, settings.seed);
  config.epochs = settings.epochs;
  config.batch_size = settings.batch_size;
  config.train_size = settings.train_size;
  Training training(config, data.train);
  Conv2d<float>& conv = first_convolution(training.model());
  study.before = conv.weight();
  const History history = training.fit();
  study.seconds = history.epochs.empty() ? 0 : history.epochs.back().seconds;
  study.after = conv.weight();
  study.test = evaluate(training.model(), training.loss(), data.test);

  study.roughness_before = roughness_per_filter(study.before);
  study.roughness_after = roughness_per_filter(study.after);
  double magnitude = 0, change = 0;
  for (int64_t i = 0; i < study.before.size(); ++i) {
    magnitude += std::abs(study.before[i]);
    change += std::abs(study.after[i] - study.before[i]);
  }
  study.mean_abs_before = magnitude / static_cast<double>(study.before.size());
  study.mean_abs_change = change / static_cast<double>(study.before.size());
  return study;
}

}  // namespace nnlab
