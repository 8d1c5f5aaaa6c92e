// evaluate and predict on one loaded model from several threads at once give what one thread
// gives, to the bit: each call works on its own copy of the model's working buffers. `make
// test` also runs this file under ThreadSanitizer (tsan/CMakeLists.txt), which reports any
// unsynchronised access between the threads.

#include <gtest/gtest.h>

#include <thread>

#include "nnlab/io/model_file.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/clone.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/train/evaluate.h"
#include "temp_dir.h"

namespace nnlab::test {

namespace {

// Images with many zero pixels (so a first Linear takes its sparse path), labels 0..9.
Dataset images(const Shape& sample, int64_t n, uint64_t seed) {
  Rng rng(seed);
  Dataset d;
  d.num_classes = 10;
  d.x = Tensor<float>(sample.with_batch(n));
  d.y = Tensor<float>(Shape{n});
  for (float& v : d.x) v = rng.uniform() < 0.7 ? 0.f : static_cast<float>(rng.uniform());
  for (int64_t i = 0; i < n; ++i) d.y[i] = static_cast<float>(i % 10);
  return d;
}

LoadedModel saved_and_loaded(const std::string& spec, const Shape& sample, const std::string& path) {
  Sequential<float> model = build_model<float>(spec, sample);
  Rng rng(3);
  model.initialize(Initializer::he_normal(), rng);
  for (auto& [name, tensor] : model.buffers()) {
    for (float& v : *tensor) v = name.ends_with("running_var") ? 0.5f + static_cast<float>(rng.uniform()) : 0.05f;
  }
  save_model(model, path);
  return load_model(path);
}

struct Outcome {
  Metrics metrics;
  std::vector<float> scores;
  std::vector<int64_t> classes;
};

Outcome infer(const Sequential<float>& model, const Dataset& data, const Tensor<float>& batch) {
  SoftmaxCrossEntropy<float> loss;
  Outcome o;
  o.metrics = evaluate(model, loss, data, 64);
  const Tensor<float> scores = predict(model, batch);
  o.scores.assign(scores.begin(), scores.end());
  Predictor predictor(model);
  o.classes = predictor.classes(batch);
  return o;
}

}  // namespace

TEST(ConcurrentInference, ThreadsOnOneModelGetWhatOneThreadGets) {
  TempDir dir;
  for (const auto& [spec, sample] : std::vector<std::pair<std::string, Shape>>{
           {"conv:4x3x3:pad=1,batchnorm,relu,res(conv:4x3x3:pad=1,batchnorm,relu,conv:4x3x3:pad=1),"
            "maxpool:2,dropout:0.3,linear:10",
            Shape{1, 10, 10}},
           {"linear:32,relu,dropout:0.5,linear:16,layernorm,tanh,linear:10", Shape{1, 10, 10}}}) {
    SCOPED_TRACE(spec);
    const LoadedModel loaded = saved_and_loaded(spec, sample, (dir.path() / "model.safetensors").string());
    const Dataset data = images(sample, 150, 1);
    const Tensor<float> batch = images(sample, 7, 2).x;
    Outcome alone;
    {
      const ThreadScope one(1);
      alone = infer(loaded.model, data, batch);
    }
    EXPECT_GT(alone.metrics.loss, 0);

    constexpr int kThreads = 4;
    constexpr int kRounds = 3;
    std::vector<std::vector<Outcome>> seen(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        const ThreadScope one(1);  // nnlab's own loops on this thread alone
        for (int round = 0; round < kRounds; ++round) seen[t].push_back(infer(loaded.model, data, batch));
      });
    }
    for (auto& thread : threads) thread.join();
    for (int t = 0; t < kThreads; ++t) {
      ASSERT_EQ(seen[t].size(), static_cast<size_t>(kRounds));
      for (const Outcome& o : seen[t]) {
        EXPECT_EQ(o.metrics.loss, alone.metrics.loss) << "thread " << t;
        EXPECT_EQ(o.metrics.accuracy, alone.metrics.accuracy) << "thread " << t;
        EXPECT_EQ(o.scores, alone.scores) << "thread " << t;
        EXPECT_EQ(o.classes, alone.classes) << "thread " << t;
      }
    }
  }
}

TEST(ConcurrentInference, CloneIsIndependentOfTheOriginal) {
  Sequential<float> model = build_model<float>("linear:5,batchnorm,relu,dropout:0.5,linear:3", Shape{4});
  Rng rng(1);
  model.initialize(Initializer::he_normal(), rng);
  Sequential<float> copy = clone_model(model);
  EXPECT_EQ(copy.spec(), model.spec());
  const Tensor<float> x(Shape{6, 4}, 0.25f);
  model.eval();
  copy.eval();
  auto values = [](const Tensor<float>& t) { return std::vector<float>(t.begin(), t.end()); };
  const std::vector<float> before = values(model.forward(x));
  EXPECT_EQ(values(copy.forward(x)), before);
  // Training the original changes neither the copy's weights nor its statistics.
  (*model.parameters()[0].value)[0] += 1.f;
  model.train();
  model.forward(x);
  EXPECT_EQ(values(copy.forward(x)), before);
}

}  // namespace nnlab::test
