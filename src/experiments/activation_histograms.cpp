#include "nnlab/experiments/activation_histograms.h"

#include <cmath>

#include "nnlab/model/model_spec.h"

namespace nnlab {

std::vector<std::pair<std::string, Initializer>> histogram_inits() {
  return {{"std 1", Initializer::normal(1.0)},
          {"std 0.01", Initializer::normal(0.01)},
          {"Xavier", Initializer::xavier_normal()},
          {"He", Initializer::he_normal()}};
}

std::vector<ActivationStudy> activation_histograms(const HistogramSettings& settings,
                                                   const std::vector<std::string>& activations) {
  Rng input_rng(settings.seed);
  Tensor<float> x(Shape{settings.samples, settings.units});
  for (float& v : x) v = static_cast<float>(input_rng.normal());

  std::string spec;
  for (int l = 0; l < settings.layers; ++l) {
    spec += (l ? "," : "") + std::string("linear:") + std::to_string(settings.units) + ":bias=false,";
    spec += "ACT";
  }
  std::vector<ActivationStudy> studies;
  for (const std::string& activation : activations) {
    std::string model_spec = spec;
    for (size_t at = model_spec.find("ACT"); at != std::string::npos; at = model_spec.find("ACT")) {
      model_spec.replace(at, 3, activation);
    }
    for (const auto& [label, init] : histogram_inits()) {
      Rng rng(settings.seed + 1);  // the same weight draws, scaled differently, for every initialiser
      Sequential<float> model = build_model<float>(model_spec, Shape{settings.units});
      model.initialize(init, rng);
      model.eval();
      ActivationStudy study{activation, label, {}};
      const Tensor<float>* current = &x;
      for (size_t i = 0; i < model.size(); ++i) {
        current = &model[i].forward(*current);
        if (i % 2 == 0) continue;  // record after each activation, not after the Linear
        LayerActivations layer;
        layer.values.assign(current->begin(), current->end());
        double sum = 0, sq = 0;
        int64_t saturated = 0, zero = 0;
        for (float v : layer.values) {
          sum += v;
          sq += static_cast<double>(v) * v;
          saturated += activation == "sigmoid" && (v < 0.1f || v > 0.9f);
          zero += v == 0.0f;
        }
        const auto n = static_cast<double>(layer.values.size());
        layer.mean = sum / n;
        layer.std = std::sqrt(std::max(0.0, sq / n - layer.mean * layer.mean));
        layer.saturated = static_cast<double>(saturated) / n;
        layer.zero = static_cast<double>(zero) / n;
        study.layers.push_back(std::move(layer));
      }
      studies.push_back(std::move(study));
    }
  }
  return studies;
}

}  // namespace nnlab
