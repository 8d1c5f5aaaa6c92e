#pragma once
// Measuring and using a trained model: loss and accuracy on a dataset, and predictions.
//
//   Metrics test = evaluate(model, loss, data.test);    // from any thread, at once
//   Tensor<float> scores = predict(model, images);       // N×classes, eval mode
//
// Thread safety: every layer's forward writes into buffers the layer owns, so two threads
// must never run forward on one model object. evaluate and predict therefore work on a
// private copy of the model (clone_model) and of the loss: any number of threads may call
// them on one model at once, with the same results as one thread, as long as nothing trains
// or changes the model meanwhile. A Predictor keeps its copy for many calls (one per thread).
// evaluate_in_place uses the model's own buffers, without a copy: the Trainer's validation
// after each epoch, one caller at a time.

#include <cmath>
#include <cstdint>
#include <vector>

#include "nnlab/data/batch_source.h"
#include "nnlab/data/dataset.h"
#include "nnlab/losses/loss.h"
#include "nnlab/model/sequential.h"

namespace nnlab {

struct Metrics {
  double loss = NAN;
  double accuracy = NAN;  // NaN for regression
  // Regression only (NaN for classification): the mean squared and absolute errors over all
  // target values, and R², the coefficient of determination 1 − Σ(y − t)² / Σ(t − t̄)², per
  // target column and averaged over them (scikit-learn's r2_score): 1 for a perfect fit, 0
  // for predicting the mean, below 0 for worse.
  double mse = NAN;
  double mae = NAN;
  double r2 = NAN;
};

// The regression metrics of outputs against targets (both N×K, or [N]).
Metrics regression_metrics(const Tensor<float>& output, const Tensor<float>& target);

// The batch of evaluation and prediction where no training batch is at hand (nnlab eval and predict,
// Python). Training evaluates in its own batch (Trainer, nnlab train's test), so that every layer's
// buffers and oneDNN's primitives serve both: in a larger batch they set the peak memory (`nnlab train
// --model deep-cnn --epochs 1`, which trains in 64: 577 MB with evaluation batches of 500, 117 MB with 100,
// 106 MB with 64), and a batch size oneDNN has no primitive kept for rebuilds them at every call.
inline constexpr int64_t kEvaluationBatch = 100;

// Loss and accuracy of `model` on `data`, in eval mode, in batches.
Metrics evaluate(const Sequential<float>& model, const Loss<float>& loss, const Dataset& data,
                 int64_t batch_size = kEvaluationBatch);
// The same on the model itself (its mode is restored afterwards); not for concurrent callers.
Metrics evaluate_in_place(Module<float>& model, Loss<float>& loss, const Dataset& data,
                          int64_t batch_size = kEvaluationBatch);
// The same over one epoch of `data`'s batches (a streamed table's).
Metrics evaluate_in_place(Module<float>& model, Loss<float>& loss, BatchSource& data);
// The model's outputs for x in eval mode, on the model itself (its mode is restored
// afterwards), copied out; for a look at the model between training steps (a callback).
Tensor<float> eval_outputs_in_place(Module<float>& model, const Tensor<float>& x);

// Number of rows of `output` whose largest entry is at the class index in `labels`.
int64_t count_correct(const Tensor<float>& output, const Tensor<float>& labels);

// A model's outputs for a batch (N×... in, N×outputs out), in eval mode, on a copy of the
// model made once: one Predictor per thread.
class Predictor {
 public:
  explicit Predictor(const Sequential<float>& model);
  // The outputs, in the predictor's own buffer (valid until the next call).
  const Tensor<float>& forward(const Tensor<float>& x);
  // The index of the largest output of each row.
  std::vector<int64_t> classes(const Tensor<float>& x);

 private:
  Sequential<float> model_;
};

// One call's worth of Predictor: the outputs, copied out.
Tensor<float> predict(const Sequential<float>& model, const Tensor<float>& x);

}  // namespace nnlab
