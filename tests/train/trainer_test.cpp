#include "nnlab/train/trainer.h"

#include <cmath>

#include "nnlab/losses/mean_squared_error.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/optim/sgd.h"
#include "test_util.h"

namespace nnlab::test {

namespace {

// y = 2·x0 − 3·x1 + 0.5, no noise.
Dataset linear_regression_data(int64_t n, Rng& rng) {
  Dataset d;
  d.x = Tensor<float>(Shape{n, 2});
  d.y = Tensor<float>(Shape{n, 1});
  for (int64_t i = 0; i < n; ++i) {
    const float a = static_cast<float>(rng.normal());
    const float b = static_cast<float>(rng.normal());
    d.x[2 * i] = a;
    d.x[2 * i + 1] = b;
    d.y[i] = 2 * a - 3 * b + 0.5f;
  }
  return d;
}

// Three Gaussian blobs in the plane, labels 0..2.
Dataset blobs(int64_t n, Rng& rng) {
  Dataset d;
  d.num_classes = 3;
  d.x = Tensor<float>(Shape{n, 2});
  d.y = Tensor<float>(Shape{n});
  const float centers[3][2] = {{-2, 0}, {2, 0}, {0, 3}};
  for (int64_t i = 0; i < n; ++i) {
    const auto label = static_cast<int>(i % 3);
    d.x[2 * i] = centers[label][0] + 0.5f * static_cast<float>(rng.normal());
    d.x[2 * i + 1] = centers[label][1] + 0.5f * static_cast<float>(rng.normal());
    d.y[i] = static_cast<float>(label);
  }
  return d;
}

History train_blobs(int64_t batch_size, uint64_t seed, double lr = 0.1, int epochs = 20) {
  Rng rng(seed);
  const Dataset data = blobs(300, rng);
  Sequential<float> model = build_model<float>("linear:16,tanh,linear:3", Shape{2});
  model.initialize(Initializer::xavier_normal(), rng);
  SoftmaxCrossEntropy<float> loss;
  SGD<float> sgd(model.parameters(), lr);
  Trainer trainer(model, loss, sgd);
  return trainer.fit(data, &data, {.epochs = epochs, .batch_size = batch_size}, rng);
}

}  // namespace

TEST(Trainer, LearnsALinearRegressionWithMeanSquaredError) {
  Rng rng(1);
  const Dataset data = linear_regression_data(256, rng);
  Sequential<float> model = build_model<float>("linear:1", Shape{2});
  model.initialize(Initializer::zeros(), rng);
  MeanSquaredError<float> loss;
  SGD<float> sgd(model.parameters(), 0.1);
  Trainer trainer(model, loss, sgd);
  const History h = trainer.fit(data, nullptr, {.epochs = 30, .batch_size = 32}, rng);
  EXPECT_LT(h.epochs.back().train_loss, 1e-6);
  EXPECT_TRUE(std::isnan(h.epochs.back().train_accuracy));
  const auto params = model.parameters();
  EXPECT_NEAR((*params[0].value)[0], 2.0f, 1e-3f);
  EXPECT_NEAR((*params[0].value)[1], -3.0f, 1e-3f);
  EXPECT_NEAR((*params[1].value)[0], 0.5f, 1e-3f);
}

TEST(Trainer, ClassifiesBlobsWithMiniBatchOnlineAndFullBatch) {
  for (int64_t batch : {int64_t{1}, int64_t{32}, int64_t{300}}) {
    // Full batch takes one step per epoch: give it a bigger rate and more epochs.
    const History h = batch == 300 ? train_blobs(batch, 2, 1.0, 200) : train_blobs(batch, 2);
    EXPECT_GT(h.epochs.back().val_accuracy, 0.97) << "batch " << batch;
    EXPECT_LT(h.epochs.back().train_loss, h.epochs.front().train_loss) << "batch " << batch;
    const int64_t steps_per_epoch = (300 + batch - 1) / batch;
    EXPECT_EQ(h.epochs.back().steps, static_cast<int64_t>(h.epochs.size()) * steps_per_epoch);
    EXPECT_EQ(static_cast<int64_t>(h.step_loss.size()), h.epochs.back().steps);
  }
}

TEST(Trainer, SameSeedGivesTheSameRun) {
  const History a = train_blobs(16, 7, 0.1, 3);
  const History b = train_blobs(16, 7, 0.1, 3);
  const History c = train_blobs(16, 8, 0.1, 3);
  ASSERT_EQ(a.step_loss.size(), b.step_loss.size());
  for (size_t i = 0; i < a.step_loss.size(); ++i) EXPECT_EQ(a.step_loss[i], b.step_loss[i]);
  EXPECT_NE(a.step_loss.back(), c.step_loss.back());
}

TEST(Trainer, IterationsModeStopsAtTheExactStep) {
  Rng rng(3);
  const Dataset data = blobs(90, rng);
  Sequential<float> model = build_model<float>("linear:3", Shape{2});
  model.initialize(Initializer::xavier_normal(), rng);
  SoftmaxCrossEntropy<float> loss;
  SGD<float> sgd(model.parameters(), 0.1);
  Trainer trainer(model, loss, sgd);
  const History h = trainer.fit(data, nullptr, {.iterations = 25, .batch_size = 20}, rng);  // 5 batches per epoch
  EXPECT_EQ(h.step_loss.size(), 25u);
  EXPECT_EQ(h.epochs.size(), 5u);
  EXPECT_EQ(h.epochs.back().steps, 25);
  EXPECT_EQ(h.stop_reason, "completed 25 iterations");
}

TEST(Trainer, StopsWithTheStepWhenTheLossDiverges) {
  Rng rng(4);
  const Dataset data = linear_regression_data(64, rng);
  Sequential<float> model = build_model<float>("linear:1", Shape{2});
  model.initialize(Initializer::zeros(), rng);
  MeanSquaredError<float> loss;
  SGD<float> sgd(model.parameters(), 50.0);  // far too high: the loss grows ~10⁴× per step
  Trainer trainer(model, loss, sgd);
  try {
    trainer.fit(data, nullptr, {.epochs = 50, .batch_size = 64}, rng);
    FAIL() << "expected TrainingDiverged";
  } catch (const TrainingDiverged& e) {
    EXPECT_GT(e.step(), 1);
    EXPECT_LT(e.step(), 40);
    const std::string message = e.what();
    EXPECT_NE(message.find("diverged at step " + std::to_string(e.step())), std::string::npos) << message;
    EXPECT_NE(message.find("learning rate 50"), std::string::npos) << message;
    EXPECT_NE(message.find("try 5"), std::string::npos) << message;
  }
}

TEST(Trainer, RefusesToTrainThroughStep) {
  Rng rng(5);
  const Dataset data = blobs(30, rng);
  Sequential<float> model = build_model<float>("linear:4,step,linear:3", Shape{2});
  SoftmaxCrossEntropy<float> loss;
  SGD<float> sgd(model.parameters(), 0.1);
  Trainer trainer(model, loss, sgd);
  EXPECT_THROW(trainer.fit(data, nullptr, {.epochs = 1}, rng), std::logic_error);
}

TEST(Trainer, EvaluateCountsCorrectPredictions) {
  Sequential<float> model = build_model<float>("identity", Shape{3});
  Dataset data;
  data.num_classes = 3;
  data.x = Tensor<float>(Shape{4, 3}, std::vector<float>{1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0});
  data.y = Tensor<float>(Shape{4}, std::vector<float>{0, 1, 0, 0});
  SoftmaxCrossEntropy<float> loss;
  const Metrics m = evaluate(model, loss, data, 3);
  EXPECT_DOUBLE_EQ(m.accuracy, 0.75);
  // Every row is a one-hot logit: loss log(2 + e) − 1 when right, log(2 + e) when wrong.
  const double right = std::log(2 + std::exp(1.0)) - 1;
  EXPECT_NEAR(m.loss, (3 * right + (right + 1)) / 4, 1e-6);
}

TEST(History, WritesCsvAndJson) {
  History h;
  EpochRecord r;
  r.epoch = 1;
  r.steps = 10;
  r.train_loss = 0.5;
  r.train_accuracy = 0.75;
  r.lr = 0.1;
  r.seconds = 1.5;
  h.epochs.push_back(r);
  h.step_loss = {1.0f, 0.5f};
  h.stop_reason = "completed 1 epochs";
  EXPECT_EQ(h.to_csv(),
            "epoch,steps,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds\n1,10,0.5,0.75,,,0.1,1.5\n");
  const auto j = h.to_json();
  EXPECT_TRUE(j["epochs"][0]["val_loss"].is_null());
  EXPECT_EQ(j["step_loss"].size(), 2u);
  EXPECT_EQ(j["stop_reason"], "completed 1 epochs");
}

}  // namespace nnlab::test
