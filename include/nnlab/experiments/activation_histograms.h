#pragma once
// The activation-histogram demonstration: random inputs through a stack of
// layers with no training, to show how the initial weight scale decides
// whether activations saturate (sigmoid at 0 and 1), collapse (all alike) or
// keep their spread layer after layer.
//
// Settings (the textbook's): input 1000×100 from N(0, 1); 5 layers of 100 units,
// Linear without bias then the activation; weights N(0, std²).

#include <string>
#include <vector>

#include "nnlab/init/initializer.h"

namespace nnlab {

struct HistogramSettings {
  int64_t samples = 1000;
  int64_t units = 100;
  int layers = 5;
  int bins = 30;
  uint64_t seed = 0;
};

struct LayerActivations {
  std::vector<float> values;  // every activation of the layer (samples × units)
  double mean = 0, std = 0;
  double saturated = 0;   // share below 0.1 or above 0.9 (for sigmoid; 0 otherwise)
  double zero = 0;        // share exactly 0 (dead ReLU outputs)
};

struct ActivationStudy {
  std::string activation;  // "sigmoid", "tanh", "relu"
  std::string init;        // label: "std 1", "std 0.01", "Xavier", "He"
  std::vector<LayerActivations> layers;
};

// The initialisers compared: std 1, std 0.01, Xavier (Glorot normal; equal to
// √(1/n) here since fan-in = fan-out), He.
std::vector<std::pair<std::string, Initializer>> histogram_inits();

// Every activation × initialiser, each from the same input.
std::vector<ActivationStudy> activation_histograms(const HistogramSettings& settings,
                                                   const std::vector<std::string>& activations);

}  // namespace nnlab
