#include "nnlab/gradcheck/gradcheck.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>
#include <stdexcept>

namespace nnlab {

double GradientCheckReport::max_error() const {
  double worst = 0;
  for (const auto& e : entries) worst = std::max(worst, e.max_error);
  return worst;
}

std::string GradientCheckReport::str() const {
  std::ostringstream out;
  out.precision(3);
  for (const auto& e : entries) {
    out << "  " << e.name << ": " << e.elements << " elements, max error " << std::scientific << e.max_error
        << ", mean |difference| " << e.mean_absolute_error << std::defaultfloat << "\n";
  }
  return out.str();
}

namespace {

// Compares `analytic` with central differences of `objective` in the elements of `values`.
GradientCheckEntry compare(const std::string& name, Tensor<double>& values, const Tensor<double>& analytic,
                           const std::function<double()>& objective, double h) {
  GradientCheckEntry entry{name, values.size(), 0, 0};
  for (int64_t i = 0; i < values.size(); ++i) {
    const double saved = values[i];
    values[i] = saved + h;
    const double plus = objective();
    values[i] = saved - h;
    const double minus = objective();
    values[i] = saved;
    const double numerical = (plus - minus) / (2 * h);
    const double difference = std::abs(analytic[i] - numerical);
    const double scale = std::max({1.0, std::abs(analytic[i]), std::abs(numerical)});
    if (!std::isfinite(difference)) {
      entry.max_error = INFINITY;
    } else {
      entry.max_error = std::max(entry.max_error, difference / scale);
    }
    entry.mean_absolute_error += difference;
  }
  if (values.size() > 0) entry.mean_absolute_error /= static_cast<double>(values.size());
  return entry;
}

}  // namespace

GradientCheckReport check_layer_gradients(Layer<double>& layer, const Tensor<double>& x, Rng& rng, double h) {
  if (!layer.differentiable()) throw std::invalid_argument(layer.type() + " has no gradient to check");
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
  const Tensor<double> input_grad = layer.backward(weights);
  std::vector<Tensor<double>> param_grads;
  for (const auto& p : layer.parameters()) param_grads.push_back(*p.grad);

  GradientCheckReport report;
  report.entries.push_back(compare("input", input, input_grad, objective, h));
  auto params = layer.parameters();
  for (size_t k = 0; k < params.size(); ++k) {
    report.entries.push_back(compare(params[k].name, *params[k].value, param_grads[k], objective, h));
  }
  return report;
}

GradientCheckReport check_model_gradients(Sequential<double>& model, Loss<double>& loss, const Tensor<double>& x,
                                          const Tensor<double>& target, double h) {
  model.check_trainable();
  model.set_input_grad(true);
  Tensor<double> input = x;
  auto objective = [&] { return loss.forward(model.forward(input), target); };
  objective();
  const Tensor<double> input_grad = model.backward(loss.backward());
  std::vector<Tensor<double>> param_grads;
  for (const auto& p : model.parameters()) param_grads.push_back(*p.grad);

  GradientCheckReport report;
  report.entries.push_back(compare("input", input, input_grad, objective, h));
  auto params = model.parameters();
  for (size_t k = 0; k < params.size(); ++k) {
    report.entries.push_back(compare(params[k].name, *params[k].value, param_grads[k], objective, h));
  }
  model.set_input_grad(false);
  return report;
}

}  // namespace nnlab
