// nnlab gradcheck: backpropagation against central-difference gradients in float64,
// for every layer on its own and for whole models with each loss.

#include <cstdio>

#include "commands.h"
#include "nnlab/gradcheck/gradcheck.h"
#include "nnlab/losses/mean_squared_error.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"

namespace nnlab::cli {

namespace {

struct GradcheckSettings {
  std::string model;
  std::string input = "12";
  int64_t batch = 4;
  uint64_t seed = 0;
  double tolerance = 1e-7;
};

// Every differentiable layer of the grammar, each with an input it can take.
const std::vector<std::pair<std::string, Shape>>& layer_cases() {
  static const std::vector<std::pair<std::string, Shape>> cases = {
      {"linear:5", Shape{7}}, {"linear:5:bias=false", Shape{2, 3, 3}},
      {"relu", Shape{9}},     {"sigmoid", Shape{9}},
      {"tanh", Shape{9}},     {"identity", Shape{9}},
      {"softmax", Shape{9}},
  };
  return cases;
}

Tensor<double> random_tensor(const Shape& shape, Rng& rng) {
  Tensor<double> t(shape);
  for (double& v : t) v = rng.normal();
  return t;
}

bool report(const std::string& what, const GradientCheckReport& r, double tolerance) {
  const bool ok = r.passed(tolerance);
  std::printf("%-44s max error %.2e  %s\n", what.c_str(), r.max_error(), ok ? "ok" : "FAILED");
  if (!ok) std::printf("%s", r.str().c_str());
  return ok;
}

bool check_model(const std::string& spec, const Shape& input, int64_t batch, Rng& rng, double tolerance) {
  bool ok = true;
  for (const std::string loss_name : {"cross-entropy", "mse"}) {
    Sequential<double> model = build_model<double>(spec, input);
    model.initialize(Initializer::xavier_normal(), rng);
    for (auto& p : model.parameters()) {
      if (p.name.ends_with("bias")) {
        for (double& b : *p.value) b = 0.1 * rng.normal();
      }
    }
    const Tensor<double> x = random_tensor(input.with_batch(batch), rng);
    const int64_t outputs = model.output_shape().numel();
    Tensor<double> target;
    std::unique_ptr<Loss<double>> loss;
    if (loss_name == "mse") {
      target = random_tensor(model.output_shape().with_batch(batch), rng);
      loss = std::make_unique<MeanSquaredError<double>>();
    } else {
      target = Tensor<double>(Shape{batch});
      for (double& t : target) t = static_cast<double>(rng.below(static_cast<uint64_t>(outputs)));
      loss = std::make_unique<SoftmaxCrossEntropy<double>>();
    }
    ok &= report("model " + spec + " + " + loss_name, check_model_gradients(model, *loss, x, target), tolerance);
  }
  return ok;
}

int run_gradcheck(const GradcheckSettings& s) {
  Rng rng(s.seed);
  const Shape input = Shape::parse_spec(s.input);
  if (s.batch < 1) throw UsageError("--batch must be at least 1");
  bool ok = true;
  if (s.model.empty()) {
    std::printf("Each layer: L = sum(r * layer(x)) with random r; central differences, h = 1e-5, float64\n");
    for (const auto& [token, shape] : layer_cases()) {
      LayerPtr<double> layer = make_layer<double>(token, shape);
      layer->initialize(Initializer::normal(0.5), rng);
      for (auto& p : layer->parameters()) {
        for (double& v : *p.value) v = rng.normal();
      }
      ok &= report("layer " + token + " on " + shape.with_batch(s.batch).str(),
                   check_layer_gradients(*layer, random_tensor(shape.with_batch(s.batch), rng), rng), s.tolerance);
    }
    std::printf("Whole models, L = loss(model(x), target):\n");
    ok &= check_model("linear:10,sigmoid,linear:8,tanh,linear:6,relu,linear:3", Shape{12}, s.batch, rng, s.tolerance);
  } else {
    ok &= check_model(s.model, input, s.batch, rng, s.tolerance);
  }
  std::printf("%s (tolerance %.0e)\n", ok ? "all gradients agree" : "some gradients disagree", s.tolerance);
  return ok ? 0 : 1;
}

}  // namespace

Run add_gradcheck(CLI::App& app) {
  auto s = std::make_shared<GradcheckSettings>();
  app.add_option("--model", s->model, "Check this model spec (with both losses) instead of the built-in list");
  app.add_option("--input", s->input, "Input sample shape for --model, e.g. 784 or 1x28x28")->capture_default_str();
  app.add_option("--batch", s->batch, "Batch size of the random input")->capture_default_str();
  app.add_option("--seed", s->seed, "Random seed")->capture_default_str();
  app.add_option("--tolerance", s->tolerance, "Largest error accepted")->capture_default_str();
  return [s] { return run_gradcheck(*s); };
}

}  // namespace nnlab::cli
