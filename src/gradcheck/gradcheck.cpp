#include "nnlab/gradcheck/gradcheck.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

#include "nnlab/layers/dropout.h"

namespace nnlab {

double GradientCheckReport::max_error() const {
  double worst = 0;
  for (const auto& e : entries) worst = std::max(worst, e.max_error);
  return worst;
}

int64_t GradientCheckReport::checked() const {
  int64_t total = 0;
  for (const auto& e : entries) total += e.checked;
  return total;
}

int64_t GradientCheckReport::rechecked() const {
  int64_t total = 0;
  for (const auto& e : entries) total += e.rechecked;
  return total;
}

int64_t GradientCheckReport::elements() const {
  int64_t total = 0;
  for (const auto& e : entries) total += e.elements;
  return total;
}

std::string GradientCheckReport::str() const {
  std::ostringstream out;
  out.precision(3);
  for (const auto& e : entries) {
    out << "  " << e.name << ": " << e.checked << " of " << e.elements << " elements checked, max error "
        << std::scientific << e.max_error << ", mean |difference| " << e.mean_absolute_error << std::defaultfloat;
    if (e.rechecked > 0) out << ", " << e.rechecked << " rechecked with a smaller step (kinks)";
    out << "\n";
  }
  return out.str();
}

std::vector<int64_t> sample_coordinates(int64_t size, int64_t count, Rng& rng) {
  if (count < 0)
    throw std::invalid_argument("the number of coordinates to check must be positive, got " + std::to_string(count));
  std::vector<int64_t> chosen;
  if (count == 0 || count >= size) {
    chosen.resize(static_cast<size_t>(std::max<int64_t>(size, 0)));
    for (int64_t i = 0; i < size; ++i) chosen[static_cast<size_t>(i)] = i;
    return chosen;
  }
  // Floyd's algorithm: count draws, each index equally likely, none repeated.
  std::unordered_set<int64_t> taken;
  for (int64_t j = size - count; j < size; ++j) {
    const auto t = static_cast<int64_t>(rng.below(static_cast<uint64_t>(j) + 1));
    taken.insert(taken.contains(t) ? j : t);
  }
  chosen.assign(taken.begin(), taken.end());
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

GradientCheckEntry compare_gradient(const std::string& name, Tensor<double>& values, const Tensor<double>& analytic,
                                    const std::function<double()>& objective, const GradientCheckOptions& options,
                                    Rng& sampler) {
  if (analytic.size() != values.size()) {
    throw std::invalid_argument("gradient check of " + name + ": the gradient has " + analytic.shape().str() +
                                " elements for a tensor of " + values.shape().str());
  }
  GradientCheckEntry entry{name, values.size(), 0, 0, 0, 0};
  for (const int64_t i : sample_coordinates(values.size(), options.coordinates, sampler)) {
    const double saved = values[i];
    double error = INFINITY, difference = INFINITY;
    double h = options.h;
    for (int attempt = 0; attempt <= options.smaller_steps; ++attempt, h /= 10) {
      values[i] = saved + h;
      const double plus = objective();
      values[i] = saved - h;
      const double minus = objective();
      values[i] = saved;
      const double numerical = (plus - minus) / (2 * h);
      const double d = std::abs(analytic[i] - numerical);
      const double scale = std::max({1.0, std::abs(analytic[i]), std::abs(numerical)});
      const double e = std::isfinite(d) ? d / scale : INFINITY;
      if (!(e >= error)) {  // the smallest error so far (NaN counts as infinite)
        error = e;
        difference = d;
      }
      if (error < options.tolerance) {
        if (attempt > 0) ++entry.rechecked;
        break;
      }
    }
    entry.max_error = std::max(entry.max_error, error);
    entry.mean_absolute_error += difference;
    ++entry.checked;
  }
  if (entry.checked > 0) entry.mean_absolute_error /= static_cast<double>(entry.checked);
  if (options.on_entry) options.on_entry(entry);
  return entry;
}

namespace {

// Freezes the mask of every Dropout in a module tree for the guard's lifetime, and
// puts back each one's setting afterwards (also when the check throws).
class FrozenDropout {
 public:
  explicit FrozenDropout(Module<double>& root) {
    collect(root);
    for (Dropout<double>* d : layers_) {
      was_frozen_.push_back(d->mask_frozen());
      d->freeze_mask(true);
    }
  }
  ~FrozenDropout() {
    for (size_t i = 0; i < layers_.size(); ++i) layers_[i]->freeze_mask(was_frozen_[i]);
  }
  FrozenDropout(const FrozenDropout&) = delete;
  FrozenDropout& operator=(const FrozenDropout&) = delete;
  int64_t count() const { return static_cast<int64_t>(layers_.size()); }

 private:
  void collect(Module<double>& module) {
    if (auto* dropout = dynamic_cast<Dropout<double>*>(&module)) layers_.push_back(dropout);
    for (auto& [name, child] : module.children()) collect(*child);
  }
  std::vector<Dropout<double>*> layers_;
  std::vector<bool> was_frozen_;
};

// After a backward pass: the input's and every parameter's gradient against central differences
// of `objective`, each forward running the whole module.
GradientCheckReport compare_all(Module<double>& module, Tensor<double>& input, const Tensor<double>& input_grad,
                                const std::function<double()>& objective, const GradientCheckOptions& options) {
  std::vector<Tensor<double>> param_grads;
  for (const auto& p : module.parameters()) param_grads.push_back(*p.grad);
  GradientCheckReport report;
  Rng sampler(options.seed);
  report.entries.push_back(compare_gradient("input", input, input_grad, objective, options, sampler));
  auto params = module.parameters();
  for (size_t k = 0; k < params.size(); ++k) {
    report.entries.push_back(
        compare_gradient(params[k].name, *params[k].value, param_grads[k], objective, options, sampler));
  }
  return report;
}

}  // namespace

GradientCheckReport check_layer_gradients(Layer<double>& layer, const Tensor<double>& x, Rng& rng, double h) {
  GradientCheckOptions options;
  options.h = h;
  return check_layer_gradients(layer, x, rng, options);
}

GradientCheckReport check_layer_gradients(Layer<double>& layer, const Tensor<double>& x, Rng& rng,
                                          const GradientCheckOptions& options) {
  if (!layer.differentiable()) throw std::invalid_argument(layer.type() + " has no gradient to check");
  const FrozenDropout frozen(layer);
  layer.set_needs_input_grad(true);
  Tensor<double> input = x;
  Tensor<double> weights(layer.forward(input).shape());
  for (double& r : weights) r = rng.normal();
  auto objective = [&] {
    const Tensor<double>& y = layer.forward(input);
    double sum = 0;
    for (int64_t i = 0; i < y.size(); ++i) sum += weights[i] * y[i];
    return sum;
  };
  objective();
  layer.zero_grad();
  const Tensor<double> input_grad = layer.backward(weights);
  GradientCheckReport report = compare_all(layer, input, input_grad, objective, options);
  report.frozen_dropout_layers = frozen.count();
  return report;
}

GradientCheckReport check_model_gradients(Module<double>& model, Loss<double>& loss, const Tensor<double>& x,
                                          const Tensor<double>& target, double h) {
  GradientCheckOptions options;
  options.h = h;
  return check_model_gradients(model, loss, x, target, options);
}

namespace {

// Any module: every forward runs the whole module.
GradientCheckReport check_module(Module<double>& model, Loss<double>& loss, Tensor<double>& input,
                                 const Tensor<double>& target, const GradientCheckOptions& options) {
  const auto objective = [&] { return loss.forward(model.forward(input), target); };
  objective();
  model.zero_grad();
  const Tensor<double> input_grad = model.backward(loss.backward());  // a copy: the module reuses its buffer
  return compare_all(model, input, input_grad, objective, options);
}

// A Sequential: a parameter's forwards start at its layer.
GradientCheckReport check_sequential(Sequential<double>& model, Loss<double>& loss, Tensor<double>& input,
                                     const Tensor<double>& target, const GradientCheckOptions& options) {
  // inputs[k]: the input of layer k in the last forward (each layer's output is its own
  // buffer, reused), so that a change in layer k needs only layers k, k + 1, ... again.
  std::vector<const Tensor<double>*> inputs(model.size() + 1, &input);
  auto forward_from = [&](size_t first) {
    for (size_t k = first; k < model.size(); ++k) inputs[k + 1] = &model[k].forward(*inputs[k]);
    return loss.forward(*inputs[model.size()], target);
  };
  model.forward(input);  // checks the input's shape
  forward_from(0);
  model.zero_grad();
  const Tensor<double> input_grad = model.backward(loss.backward());
  std::vector<Tensor<double>> param_grads;
  for (const auto& p : model.parameters()) param_grads.push_back(*p.grad);

  GradientCheckReport report;
  Rng sampler(options.seed);
  report.entries.push_back(compare_gradient(
      "input", input, input_grad, [&] { return forward_from(0); }, options, sampler));
  auto params = model.parameters();
  size_t k = 0;
  for (size_t layer = 0; layer < model.size(); ++layer) {
    const size_t owned = model[layer].parameters().size();  // the layer's, in model.parameters()' order
    for (size_t j = 0; j < owned; ++j, ++k) {
      // The last forward of the entry before ran at a perturbed value: refresh the cached inputs.
      forward_from(0);
      report.entries.push_back(compare_gradient(
          params[k].name, *params[k].value, param_grads[k], [&] { return forward_from(layer); }, options, sampler));
    }
  }
  return report;
}

}  // namespace

GradientCheckReport check_model_gradients(Module<double>& model, Loss<double>& loss, const Tensor<double>& x,
                                          const Tensor<double>& target, const GradientCheckOptions& options) {
  model.check_trainable();
  const FrozenDropout frozen(model);
  const bool needed_input_grad = model.needs_input_grad();
  model.set_needs_input_grad(true);
  Tensor<double> input = x;
  auto* sequential = dynamic_cast<Sequential<double>*>(&model);
  GradientCheckReport report = sequential != nullptr ? check_sequential(*sequential, loss, input, target, options)
                                                     : check_module(model, loss, input, target, options);
  report.frozen_dropout_layers = frozen.count();
  model.set_needs_input_grad(needed_input_grad);
  return report;
}

}  // namespace nnlab
