#pragma once
// The demonstrations of chapter 6's second half: BatchNorm against the weight
// scale, overfitting with and without weight decay or dropout, and early stopping.
//
// In each comparison every run sees the same batches in the same order (a batch
// generator seeded apart from the weights), and runs that differ only in a layer
// without weights (BatchNorm, Dropout) or in the penalty start from the same weights.

#include <string>
#include <vector>

#include "nnlab/data/mnist.h"
#include "nnlab/losses/loss.h"
#include "nnlab/optim/factory.h"
#include "nnlab/train/callback.h"
#include "nnlab/train/trainer.h"

namespace nnlab {

// "linear:U,[NORMALIZATION,]relu,[dropout:P,]" × hidden_layers, then "linear:outputs";
// normalization is a spec token such as "batchnorm", "batchnorm:eps=1e-06" or "layernorm".
std::string deep_mlp_spec(int hidden_layers, int64_t units, int64_t outputs, const std::string& normalization = "",
                          double dropout = 0.0);

// count values from `from` to `to`, evenly spaced on a log scale (NumPy's logspace).
std::vector<double> log_spaced(double from, double to, int count);

// Measures the model on fixed data sets after every epoch, in eval mode. (The Trainer's
// own training accuracy is taken in training mode, on each batch as it was before its
// update, with dropout active: not the accuracy of the model the epoch ends with.)
class EpochEvaluator final : public Callback {
 public:
  EpochEvaluator(Loss<float>& loss, std::vector<const Dataset*> data) : loss_(loss), data_(std::move(data)) {
    metrics_.resize(data_.size());
  }
  void on_epoch_end(TrainState& state, const EpochRecord& record) override;
  // metrics()[d][e]: data set d after epoch e + 1.
  const std::vector<std::vector<Metrics>>& metrics() const { return metrics_; }
  std::vector<double> accuracy(size_t data_index) const;
  std::vector<double> loss(size_t data_index) const;

 private:
  Loss<float>& loss_;
  std::vector<const Dataset*> data_;
  std::vector<std::vector<Metrics>> metrics_;
};

// ---- BatchNorm against the weight scale -------------------------------------------------

struct BatchNormSettings {
  int64_t train_size = 1000;  // the first images of the training set
  int hidden_layers = 5;
  int64_t units = 100;
  // 20 epochs of 10 shuffled batches: 200 updates. The textbook takes 191 updates with
  // batches drawn with replacement and measures after every 10th.
  int epochs = 20;
  int64_t batch_size = 100;
  double lr = 0.01;  // plain SGD
  // BatchNorm's ε: the textbook's 1e-6 rather than PyTorch's 1e-5. At the smallest scales the
  // activations' variance falls below 1e-5, so with ε = 1e-5 each layer shrinks the signal
  // instead of normalising it and at std 1e-4 nothing is learnt in 200 updates.
  double eps = 1e-6;
  uint64_t seed = 0;
};

struct BatchNormCurves {
  double weight_std = 0;
  std::vector<double> plain;      // accuracy on the training images after each epoch, without BatchNorm
  std::vector<double> batchnorm;  // the same with BatchNorm after every hidden Linear
  // The step at which the loss became NaN or infinite (0: it did not); the epochs from
  // there on hold NaN. Large weights make the activations, and then the updates, explode.
  int64_t plain_diverged_step = 0;
  int64_t batchnorm_diverged_step = 0;
};

// The textbook's 16 scales: logspace(0, −4, 16), 1 … 1e-4.
std::vector<double> textbook_weight_stds();

// For each std, trains the network initialised N(0, std²) with and without BatchNorm on
// the first settings.train_size images of `train`.
std::vector<BatchNormCurves> batchnorm_comparison(const Dataset& train, const BatchNormSettings& settings,
                                                  const std::vector<double>& weight_stds);

// ---- Overfitting, weight decay and dropout ----------------------------------------------

struct OverfitSettings {
  int64_t train_size = 300;  // the first images of the training set: few enough to memorise
  int hidden_layers = 6;
  int64_t units = 100;
  int epochs = 200;  // 3 batches each: 600 updates
  int64_t batch_size = 100;
  double lr = 0.01;  // plain SGD, He initialisation
  uint64_t seed = 0;
};

struct RegularizationRun {
  std::string label;     // "weight decay λ = 0.1"
  WeightDecay decay{};   // L2: loss + ½λΣW² over the weights
  double dropout = 0.0;  // Dropout after each hidden ReLU
  int epochs = 0;        // 0: settings.epochs
};

struct OverfitOutcome {
  std::string label;
  std::string model;                   // the spec
  std::string optimizer;               // describe()
  std::vector<double> train_accuracy;  // on the training images, eval mode, after each epoch
  std::vector<double> test_accuracy;   // on the test images, eval mode, after each epoch
  std::vector<double> train_loss;      // the Trainer's epoch mean (penalty included)
  double seconds = 0;

  double final_train() const { return train_accuracy.empty() ? NAN : train_accuracy.back(); }
  double final_test() const { return test_accuracy.empty() ? NAN : test_accuracy.back(); }
  double gap() const { return final_train() - final_test(); }
};

// No regularisation, L2 weight decay λ = 0.1, Dropout 0.2.
std::vector<RegularizationRun> textbook_regularization_runs();

// Trains one network per run on the first settings.train_size images of data.train.
std::vector<OverfitOutcome> overfit_comparison(const TrainTest& data, const OverfitSettings& settings,
                                               const std::vector<RegularizationRun>& runs);

// ---- Early stopping ---------------------------------------------------------------------

struct EarlyStoppingDemoSettings {
  int64_t train_size = 1000;      // the first images of the training set ...
  double validation_share = 0.2;  // ... of which this share is held out for validation
  int hidden_layers = 6;
  int64_t units = 100;
  int max_epochs = 100;
  int64_t batch_size = 100;
  // Momentum reaches the overfitting regime in a dozen epochs (plain SGD 0.01 needs about 70).
  OptimizerOptions optimizer{"momentum", 0.01, WeightDecay::none(), 0.9};
  int patience = 10;
  double min_delta = 0.0;
  uint64_t seed = 0;
};

struct EarlyStoppingDemo {
  std::vector<EpochRecord> epochs;  // the run without early stopping, all max_epochs
  std::vector<Metrics> test;        // its test metrics after each epoch: shown, never used to choose
  History stopped;                  // the same run with EarlyStopping: the first epochs of the one above
  Metrics restored_validation;      // the restored (best) model on the validation data
  Metrics restored_test;            // and on the test data
  Metrics final_test;               // the model after all max_epochs, on the test data
  std::string model;
  std::string optimizer;
  int64_t train_images = 0;
  int64_t validation_images = 0;
  double seconds = 0;  // both runs
};

EarlyStoppingDemo early_stopping_demo(const TrainTest& data, const EarlyStoppingDemoSettings& settings);

}  // namespace nnlab
