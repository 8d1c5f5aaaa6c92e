#pragma once
// Monitor: a training callback that looks inside the network every `every` steps through the
// hooks of every Sequential in the model's tree (the model itself, the bodies of its residual
// blocks): per layer the activations' mean, std and dead-unit fraction and the norms of
// dL/d(output) and dL/d(input); per parameter the gradient norm and the update ratio ‖Δw‖/‖w‖;
// activation histograms at the first and the last sampled step; and health warnings
// (training_health.h), printed once each. It keeps its records for CSV export and charts.
//
//   auto monitor = std::make_shared<Monitor>(MonitorOptions{.every = 20});
//   trainer.add_callback(monitor);  // before gradient clipping, to see the raw gradients
//   trainer.fit(...);
//   monitor->save_csv("runs/x");
//
// Its layers are the modules without children of the model's tree, in order, named by their
// dotted paths ("0", "3.body.1", "3.shortcut"). Activations and dL/d(output) are recorded for
// those a Sequential runs (`observed`); a residual block's shortcut projection is not, though
// its parameters are.
//
// Steps that are not sampled cost one flag test per layer call and allocate nothing.
// Evaluation passes (validation) are not recorded: the hooks only record between
// on_step_begin and on_step_end of a sampled step.

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "nnlab/diagnostics/activation_stats.h"
#include "nnlab/diagnostics/training_health.h"
#include "nnlab/diagnostics/update_ratio.h"
#include "nnlab/train/callback.h"

namespace nnlab::diagnostics {

struct MonitorOptions {
  int64_t every = 10;  // sample steps 1, 1 + every, 1 + 2·every, ...
  int histogram_bins = 40;
  int64_t histogram_values = 100000;  // values kept per layer for a histogram (the first of the batch)
  HealthOptions health{};
  std::FILE* warnings_to = stderr;  // where warnings are printed as they arise; nullptr: nowhere
};

struct LayerSample {
  int64_t step = 0;  // 1-based, as in TrainingDiverged's messages
  size_t layer = 0;
  double activation_mean = NAN;
  double activation_std = NAN;
  double dead_fraction = NAN;       // ReLU layers only
  double saturated_fraction = NAN;  // Sigmoid and Tanh layers only
  double output_grad_norm = NAN;    // ‖dL/d(output)‖
  double input_grad_norm = NAN;     // ‖dL/d(input)‖; NaN for a first layer that does not compute it
};

struct ParameterSample {
  int64_t step = 0;
  size_t parameter = 0;  // index into Monitor::parameters()
  double grad_norm = NAN;
  double value_norm = NAN;    // before the step
  double update_ratio = NAN;  // ‖Δw‖/‖w‖ of the step
};

struct ActivationHistogram {
  int64_t step = 0;
  size_t layer = 0;
  BinnedValues bins;
};

struct LayerInfo {
  std::string name;  // the dotted path in the model: "0", "3.body.1"
  std::string type;  // "Linear", "ReLU", ...
  std::string spec;
  std::string sizes;  // from its weight: "784→100" (Linear), "1→30, 5×5" (Conv2d); "" without one
  bool has_parameters = false;
  bool observed = true;  // run by a Sequential, whose hooks record its activations
};

struct ParameterInfo {
  std::string name;  // "0.weight"
  size_t layer = 0;
  int64_t size = 0;
};

class Monitor final : public Callback {
 public:
  explicit Monitor(const MonitorOptions& options = {});

  void on_train_begin(TrainState& state) override;
  void on_step_begin(TrainState& state) override;
  void on_gradients(TrainState& state) override;
  void on_step_end(TrainState& state, double loss) override;
  void on_train_end(TrainState& state) override;

  const MonitorOptions& options() const { return options_; }
  const std::vector<LayerInfo>& layers() const { return layers_; }
  const std::vector<ParameterInfo>& parameters() const { return parameters_; }
  const std::vector<LayerSample>& layer_samples() const { return layer_samples_; }
  const std::vector<ParameterSample>& parameter_samples() const { return parameter_samples_; }
  // At the first and the last sampled step, per layer, over one range per layer (both steps' values).
  const std::vector<ActivationHistogram>& histograms() const { return histograms_; }
  const std::vector<HealthWarning>& warnings() const { return warnings_; }
  std::vector<int64_t> sampled_steps() const;

  // monitor_layers.csv, monitor_parameters.csv, monitor_histograms.csv, monitor_warnings.csv in `folder`.
  void save_csv(const std::string& folder) const;
  // Builds the histograms from the values kept (on_train_end does this; call it yourself when
  // training ended with an exception).
  void finish();

 private:
  void warn(std::optional<HealthWarning> warning);
  void watch(Module<float>& module, const std::string& path);
  void record_activations(size_t layer, const Tensor<float>& output);

  MonitorOptions options_;
  std::vector<LayerInfo> layers_;
  std::vector<ParameterInfo> parameters_;
  std::vector<Parameter<float>> bound_;
  std::vector<HookHandle<float>> hooks_;
  bool sampling_ = false;
  int64_t step_ = 0;
  int64_t first_step_ = 0;
  int64_t last_step_ = 0;
  std::vector<LayerSample> current_;              // this sampled step, per layer
  std::vector<double> grad_norms_;                // this sampled step, per parameter
  std::vector<std::vector<float>> first_values_;  // activations kept for the histograms, per layer
  std::vector<std::vector<float>> last_values_;
  UpdateRatio update_ratio_;
  HealthChecks health_;
  std::vector<LayerSample> layer_samples_;
  std::vector<ParameterSample> parameter_samples_;
  std::vector<ActivationHistogram> histograms_;
  std::vector<HealthWarning> warnings_;
};

}  // namespace nnlab::diagnostics
