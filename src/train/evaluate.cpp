#include "nnlab/train/evaluate.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "nnlab/data/data_loader.h"
#include "nnlab/model/clone.h"

namespace nnlab {

int64_t count_correct(const Tensor<float>& output, const Tensor<float>& labels) {
  int64_t correct = 0;
  const int64_t classes = output.row_size();
  for (int64_t r = 0; r < output.rows(); ++r) {
    const float* row = output.row(r);
    const auto predicted = std::max_element(row, row + classes) - row;
    correct += predicted == static_cast<int64_t>(labels[r]);
  }
  return correct;
}

namespace {
// Sums over batches for the regression metrics, per target column.
struct RegressionSums {
  int64_t rows = 0;
  std::vector<double> squared, absolute, target_sum, target_squares;

  void add(const Tensor<float>& output, const Tensor<float>& target) {
    if (output.size() != target.size()) {
      throw std::invalid_argument("regression metrics: outputs " + output.shape().str() + " and targets " +
                                  target.shape().str() + " differ in size");
    }
    const int64_t n = target.rank() > 0 ? target.rows() : 0;
    if (n == 0) return;
    const int64_t k = target.size() / n;
    if (squared.empty()) {
      for (auto* sums : {&squared, &absolute, &target_sum, &target_squares}) sums->assign(static_cast<size_t>(k), 0);
    }
    for (int64_t r = 0; r < n; ++r) {
      for (int64_t j = 0; j < k; ++j) {
        const double t = target[r * k + j];
        const double d = static_cast<double>(output[r * k + j]) - t;
        squared[j] += d * d;
        absolute[j] += std::abs(d);
        target_sum[j] += t;
        target_squares[j] += t * t;
      }
    }
    rows += n;
  }

  Metrics metrics() const {
    Metrics m;
    if (rows == 0) return m;
    const auto n = static_cast<double>(rows);
    double sse = 0, sae = 0, r2 = 0;
    for (size_t j = 0; j < squared.size(); ++j) {
      sse += squared[j];
      sae += absolute[j];
      const double total = target_squares[j] - target_sum[j] * target_sum[j] / n;  // Σ(t − t̄)²
      // scikit-learn's convention for a constant target: 1 for a perfect fit, 0 otherwise.
      r2 += total > 0 ? 1 - squared[j] / total : (squared[j] == 0 ? 1.0 : 0.0);
    }
    const auto k = static_cast<double>(squared.size());
    m.mse = sse / (n * k);
    m.mae = sae / (n * k);
    m.r2 = r2 / k;
    return m;
  }
};
}  // namespace

Metrics evaluate_in_place(Module<float>& model, Loss<float>& loss, BatchSource& data) {
  if (data.samples() == 0) return {};
  const bool classification = data.num_classes() > 0;
  const bool was_training = model.training();
  model.eval();
  data.start_epoch();
  Tensor<float> x, y;
  double total_loss = 0;
  int64_t correct = 0, seen = 0;
  RegressionSums sums;
  while (data.next(x, y)) {
    const Tensor<float>& output = model.forward(x);
    total_loss += static_cast<double>(loss.forward(output, y)) * static_cast<double>(x.rows());
    seen += x.rows();
    if (classification) {
      correct += count_correct(output, y);
    } else {
      sums.add(output, y);
    }
  }
  model.set_training(was_training);
  const auto n = static_cast<double>(seen);
  Metrics m = classification ? Metrics{} : sums.metrics();
  m.loss = total_loss / n;
  if (classification) m.accuracy = static_cast<double>(correct) / n;
  return m;
}

Metrics evaluate_in_place(Module<float>& model, Loss<float>& loss, const Dataset& data, int64_t batch_size) {
  if (data.size() == 0) return {};
  Rng unused(0);
  DataLoader loader(data, batch_size, unused, /*shuffle=*/false);
  return evaluate_in_place(model, loss, loader);
}

Metrics regression_metrics(const Tensor<float>& output, const Tensor<float>& target) {
  RegressionSums sums;
  sums.add(output, target);
  return sums.metrics();
}

Metrics evaluate(const Sequential<float>& model, const Loss<float>& loss, const Dataset& data, int64_t batch_size) {
  if (data.size() == 0) return {};
  Sequential<float> copy = clone_model(model);
  const std::unique_ptr<Loss<float>> own_loss = loss.clone();
  return evaluate_in_place(copy, *own_loss, data, batch_size);
}

Tensor<float> eval_outputs_in_place(Module<float>& model, const Tensor<float>& x) {
  const bool was_training = model.training();
  model.eval();
  Tensor<float> outputs = model.forward(x);
  model.set_training(was_training);
  return outputs;
}

Predictor::Predictor(const Sequential<float>& model) : model_(clone_model(model)) { model_.eval(); }

const Tensor<float>& Predictor::forward(const Tensor<float>& x) { return model_.forward(x); }

std::vector<int64_t> Predictor::classes(const Tensor<float>& x) {
  const Tensor<float>& y = forward(x);
  std::vector<int64_t> out(static_cast<size_t>(y.rows()));
  for (int64_t r = 0; r < y.rows(); ++r) {
    const float* row = y.row(r);
    out[static_cast<size_t>(r)] = std::max_element(row, row + y.row_size()) - row;
  }
  return out;
}

Tensor<float> predict(const Sequential<float>& model, const Tensor<float>& x) {
  Predictor predictor(model);
  return predictor.forward(x);
}

}  // namespace nnlab
