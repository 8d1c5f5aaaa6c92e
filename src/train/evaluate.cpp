#include "nnlab/train/evaluate.h"

#include <algorithm>

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

Metrics evaluate_in_place(Module<float>& model, Loss<float>& loss, const Dataset& data, int64_t batch_size) {
  if (data.size() == 0) return {};
  const bool was_training = model.training();
  model.eval();
  Rng unused(0);
  DataLoader loader(data, batch_size, unused, /*shuffle=*/false);
  loader.start_epoch();
  Tensor<float> x, y;
  double total_loss = 0;
  int64_t correct = 0;
  while (loader.next(x, y)) {
    const Tensor<float>& output = model.forward(x);
    total_loss += static_cast<double>(loss.forward(output, y)) * static_cast<double>(x.rows());
    if (data.classification()) correct += count_correct(output, y);
  }
  model.set_training(was_training);
  const auto n = static_cast<double>(data.size());
  return {total_loss / n, data.classification() ? static_cast<double>(correct) / n : NAN};
}

Metrics evaluate(const Sequential<float>& model, const Loss<float>& loss, const Dataset& data, int64_t batch_size) {
  if (data.size() == 0) return {};
  Sequential<float> copy = clone_model(model);
  const std::unique_ptr<Loss<float>> own_loss = loss.clone();
  return evaluate_in_place(copy, *own_loss, data, batch_size);
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
