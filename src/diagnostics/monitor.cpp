#include "nnlab/diagnostics/monitor.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "nnlab/io/atomic_file.h"
#include "nnlab/io/csv.h"

namespace nnlab::diagnostics {

Monitor::Monitor(const MonitorOptions& options) : options_(options), health_(options.health) {
  if (options_.every < 1) throw std::invalid_argument("the monitor samples every N steps with N >= 1");
  if (options_.histogram_bins < 1) throw std::invalid_argument("the monitor's histograms need at least one bin");
}

namespace {
std::string child_path(const std::string& path, const std::string& name) {
  return path.empty() ? name : path + "." + name;
}

// What a layer maps, read off its weight (out × in, or out × in × kh × kw): "784→100", "1→30, 5×5".
std::string layer_sizes(Module<float>& module) {
  for (const Parameter<float>& p : module.parameters()) {
    if (p.name != "weight") continue;
    const Shape& shape = p.value->shape();
    if (shape.rank() == 2) return std::to_string(shape[1]) + "→" + std::to_string(shape[0]);
    if (shape.rank() == 4) {
      return std::to_string(shape[1]) + "→" + std::to_string(shape[0]) + ", " + std::to_string(shape[2]) + "×" +
             std::to_string(shape[3]);
    }
  }
  return "";
}
}  // namespace

// Adds the leaves under `module` to layers_, and hooks on every Sequential among them that map
// the Sequential's child index to the layer's.
void Monitor::watch(Module<float>& module, const std::string& path) {
  auto* sequential = dynamic_cast<Sequential<float>*>(&module);
  if (sequential == nullptr) {
    const auto children = module.children();
    if (children.empty()) {
      layers_.push_back({path.empty() ? "0" : path, module.type(), module.spec(), layer_sizes(module),
                         !module.parameters().empty(), false});
    }
    for (const auto& [name, child] : children) watch(*child, child_path(path, name));
    return;
  }
  // layer_of[i]: the index in layers_ of child i, or -1 for a container (watched through its own hooks).
  std::vector<int64_t> layer_of;
  for (size_t i = 0; i < sequential->size(); ++i) {
    Module<float>& child = (*sequential)[i];
    const std::string name = child_path(path, std::to_string(i));
    if (child.children().empty()) {
      layer_of.push_back(static_cast<int64_t>(layers_.size()));
      layers_.push_back({name, child.type(), child.spec(), layer_sizes(child), !child.parameters().empty(), true});
    } else {
      layer_of.push_back(-1);
      watch(child, name);
    }
  }
  // Hooks run on every layer call; all but a flag test is skipped on steps that are not sampled.
  hooks_.push_back(
      sequential->add_forward_hook([this, layer_of](size_t child, Layer<float>& /*layer*/,
                                                    const Tensor<float>& /*input*/, const Tensor<float>& output) {
        if (!sampling_ || layer_of[child] < 0) return;
        record_activations(static_cast<size_t>(layer_of[child]), output);
      }));
  hooks_.push_back(sequential->add_backward_hook([this, layer_of](size_t child, Layer<float>& /*layer*/,
                                                                  const Tensor<float>& output_grad,
                                                                  const Tensor<float>& input_grad) {
    if (!sampling_ || layer_of[child] < 0) return;
    LayerSample& s = current_[static_cast<size_t>(layer_of[child])];
    s.output_grad_norm = l2_norm(output_grad.span());
    s.input_grad_norm = input_grad.empty() ? NAN : l2_norm(input_grad.span());
  }));
}

void Monitor::record_activations(size_t i, const Tensor<float>& output) {
  const Moments m = moments(output.span());
  LayerSample& s = current_[i];
  s.activation_mean = m.mean;
  s.activation_std = m.std;
  const std::string& type = layers_[i].type;
  s.dead_fraction = type == "ReLU" ? dead_unit_fraction(output) : NAN;
  s.saturated_fraction = type == "Sigmoid" ? sigmoid_saturated_fraction(output.span())
                         : type == "Tanh"  ? tanh_saturated_fraction(output.span())
                                           : NAN;
  const auto kept = static_cast<size_t>(std::min(output.size(), options_.histogram_values));
  if (first_step_ == step_) first_values_[i].assign(output.begin(), output.begin() + kept);
  last_values_[i].assign(output.begin(), output.begin() + kept);
}

void Monitor::on_train_begin(TrainState& state) {
  layers_.clear();
  hooks_.clear();
  watch(state.model, "");
  bound_ = state.model.parameters();
  parameters_.clear();
  for (const auto& p : bound_) {
    // The layer whose path is the longest prefix of the parameter's name.
    size_t layer = 0, matched = 0;
    for (size_t i = 0; i < layers_.size(); ++i) {
      const std::string& name = layers_[i].name;
      if (name.size() > matched && p.name.size() > name.size() && p.name.starts_with(name) &&
          p.name[name.size()] == '.') {
        layer = i;
        matched = name.size();
      }
    }
    parameters_.push_back({p.name, layer, p.value->size()});
  }
  std::vector<std::string> names;
  for (const auto& l : layers_) names.push_back(l.name);
  health_ = HealthChecks(options_.health, names);
  update_ratio_.bind(bound_);
  current_.assign(layers_.size(), LayerSample{});
  grad_norms_.assign(bound_.size(), NAN);
  first_values_.assign(layers_.size(), {});
  last_values_.assign(layers_.size(), {});
  layer_samples_.clear();
  parameter_samples_.clear();
  histograms_.clear();
  warnings_.clear();
  first_step_ = last_step_ = 0;
}

void Monitor::on_step_begin(TrainState& state) {
  const int64_t done = state.optimizer.steps();
  sampling_ = done % options_.every == 0;
  if (!sampling_) return;
  step_ = done + 1;
  if (first_step_ == 0) first_step_ = step_;
  last_step_ = step_;
  for (size_t i = 0; i < current_.size(); ++i) current_[i] = LayerSample{step_, i};
}

void Monitor::on_gradients(TrainState& /*state*/) {
  if (!sampling_) return;
  for (size_t p = 0; p < bound_.size(); ++p) grad_norms_[p] = l2_norm(bound_[p].grad->span());
  update_ratio_.snapshot();
}

void Monitor::on_step_end(TrainState& /*state*/, double /*loss*/) {
  if (!sampling_) return;
  sampling_ = false;
  update_ratio_.measure();
  for (size_t i = 0; i < current_.size(); ++i) {
    if (layers_[i].observed) layer_samples_.push_back(current_[i]);
  }
  const ParameterInfo* first_weight = nullptr;
  const ParameterInfo* last_weight = nullptr;
  double first_rms = NAN, last_rms = NAN;
  for (size_t p = 0; p < bound_.size(); ++p) {
    parameter_samples_.push_back({step_, p, grad_norms_[p], update_ratio_.value_norms()[p], update_ratio_.ratios()[p]});
    if (bound_[p].decay) {  // weights, not biases or normalisation shifts
      const double rms = grad_norms_[p] / std::sqrt(static_cast<double>(std::max<int64_t>(parameters_[p].size, 1)));
      if (first_weight == nullptr) {
        first_weight = &parameters_[p];
        first_rms = rms;
      }
      last_weight = &parameters_[p];
      last_rms = rms;
    }
  }
  if (first_weight != nullptr) {
    warn(health_.observe_gradients(step_, first_weight->layer, first_rms, last_weight->layer, last_rms));
  }
  for (size_t i = 0; i < current_.size(); ++i) {
    if (!std::isnan(current_[i].dead_fraction)) warn(health_.observe_dead_units(step_, i, current_[i].dead_fraction));
    if (!std::isnan(current_[i].saturated_fraction)) {
      warn(health_.observe_saturation(step_, i, layers_[i].type, current_[i].saturated_fraction));
    }
  }
}

void Monitor::warn(std::optional<HealthWarning> warning) {
  if (!warning) return;
  if (options_.warnings_to != nullptr) std::fprintf(options_.warnings_to, "warning: %s\n", warning->message.c_str());
  warnings_.push_back(std::move(*warning));
}

void Monitor::on_train_end(TrainState& /*state*/) {
  hooks_.clear();
  sampling_ = false;
  finish();
}

void Monitor::finish() {
  histograms_.clear();
  if (first_step_ == 0) return;
  for (size_t i = 0; i < layers_.size(); ++i) {
    // One range for both steps, so that the two histograms of a layer compare bin by bin.
    double lo = INFINITY, hi = -INFINITY;
    for (const auto* values : {&first_values_[i], &last_values_[i]}) {
      for (float v : *values) {
        if (std::isfinite(v)) {
          lo = std::min(lo, static_cast<double>(v));
          hi = std::max(hi, static_cast<double>(v));
        }
      }
    }
    if (!(lo <= hi)) continue;
    if (hi - lo < 1e-6) {
      lo -= 0.5;
      hi += 0.5;
    }
    histograms_.push_back({first_step_, i, bin_values(first_values_[i], lo, hi, options_.histogram_bins)});
    if (last_step_ != first_step_) {
      histograms_.push_back({last_step_, i, bin_values(last_values_[i], lo, hi, options_.histogram_bins)});
    }
  }
}

std::vector<int64_t> Monitor::sampled_steps() const {
  std::vector<int64_t> steps;
  for (const auto& s : layer_samples_) {
    if (steps.empty() || steps.back() != s.step) steps.push_back(s.step);
  }
  return steps;
}

namespace {
CsvTable::Cell cell(double value) { return value; }
}  // namespace

void Monitor::save_csv(const std::string& folder) const {
  make_folders(folder);
  CsvTable layers({"step", "layer", "name", "type", "activation_mean", "activation_std", "dead_fraction",
                   "saturated_fraction", "output_grad_norm", "input_grad_norm"});
  for (const auto& s : layer_samples_) {
    layers.add_row({static_cast<long long>(s.step), static_cast<long long>(s.layer), layers_[s.layer].name,
                    layers_[s.layer].type, cell(s.activation_mean), cell(s.activation_std), cell(s.dead_fraction),
                    cell(s.saturated_fraction), cell(s.output_grad_norm), cell(s.input_grad_norm)});
  }
  layers.save(folder + "/monitor_layers.csv");

  CsvTable parameters({"step", "parameter", "layer", "grad_norm", "value_norm", "update_ratio"});
  for (const auto& s : parameter_samples_) {
    const ParameterInfo& p = parameters_[s.parameter];
    parameters.add_row({static_cast<long long>(s.step), p.name, static_cast<long long>(p.layer), cell(s.grad_norm),
                        cell(s.value_norm), cell(s.update_ratio)});
  }
  parameters.save(folder + "/monitor_parameters.csv");

  CsvTable histograms({"step", "layer", "name", "type", "bin", "lo", "hi", "count"});
  for (const auto& h : histograms_) {
    const double width = (h.bins.hi - h.bins.lo) / static_cast<double>(h.bins.counts.size());
    for (size_t b = 0; b < h.bins.counts.size(); ++b) {
      histograms.add_row({static_cast<long long>(h.step), static_cast<long long>(h.layer), layers_[h.layer].name,
                          layers_[h.layer].type, static_cast<long long>(b), h.bins.lo + width * static_cast<double>(b),
                          h.bins.lo + width * static_cast<double>(b + 1), h.bins.counts[b]});
    }
  }
  histograms.save(folder + "/monitor_histograms.csv");

  CsvTable warnings({"step", "kind", "layer", "message"});
  for (const auto& w : warnings_) {
    warnings.add_row({static_cast<long long>(w.step), w.kind, static_cast<long long>(w.layer), w.message});
  }
  warnings.save(folder + "/monitor_warnings.csv");
}

}  // namespace nnlab::diagnostics
