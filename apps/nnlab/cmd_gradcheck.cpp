// nnlab gradcheck: backpropagation against central-difference gradients in float64,
// for every layer on its own and for whole models with each loss.
//
// Each coordinate costs two forwards, so by default a random sample of 200 coordinates
// per tensor is checked (--coordinates), with a progress line per tensor: a CNN's
// hundreds of thousands of weights would otherwise take hours.

#include <cstdio>

#include "commands.h"
#include "nnlab/gradcheck/gradcheck.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/losses/mean_squared_error.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"

namespace nnlab::cli {

namespace {

struct GradcheckSettings {
  std::string model;
  std::string input = "12";
  int64_t batch = 2;
  uint64_t seed = 0;
  double tolerance = 1e-7;
  std::string coordinates = "200";
  // One thread by default: a batch of 2 is too small to share, and on a busy machine waiting
  // threads made a ResNet check 8× slower (93 s on 2 threads, 11.6 s on 1).
  int threads = 1;
};

// Every differentiable layer of the grammar, each with an input it can take.
const std::vector<std::pair<std::string, Shape>>& layer_cases() {
  static const std::vector<std::pair<std::string, Shape>> cases = {
      {"linear:5", Shape{7}}, {"linear:5:bias=false", Shape{2, 3, 3}},
      {"relu", Shape{9}},     {"sigmoid", Shape{9}},
      {"tanh", Shape{9}},     {"identity", Shape{9}},
      {"softmax", Shape{9}},  {"dropout:0.5", Shape{9}},
  };
  return cases;
}

Tensor<double> random_tensor(const Shape& shape, Rng& rng) {
  Tensor<double> t(shape);
  for (double& v : t) v = rng.normal();
  return t;
}

// "all" is 0 (every coordinate), otherwise a positive count.
int64_t parse_coordinates(const std::string& text) {
  if (text == "all") return 0;
  size_t used = 0;
  long long count = 0;
  try {
    count = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || count < 1) {
    throw UsageError("--coordinates: expected a positive number or all, got '" + text + "'");
  }
  return count;
}

// What the check did beyond plain central differences.
std::string notes(const GradientCheckReport& r) {
  std::string text;
  if (r.rechecked() > 0) text += ", " + std::to_string(r.rechecked()) + " rechecked with a smaller step (kinks)";
  if (r.frozen_dropout_layers > 0) {
    text += ", dropout: " + std::to_string(r.frozen_dropout_layers) + " layer(s) in training mode, mask frozen";
  }
  return text;
}

bool report(const std::string& what, const GradientCheckReport& r, double tolerance) {
  const bool ok = r.passed(tolerance);
  std::printf("%-44s max error %.2e  %s (%lld of %lld coordinates%s)\n", what.c_str(), r.max_error(),
              ok ? "ok" : "FAILED", static_cast<long long>(r.checked()), static_cast<long long>(r.elements()),
              notes(r).c_str());
  if (!ok) std::printf("%s", r.str().c_str());
  std::fflush(stdout);
  return ok;
}

bool check_model(const std::string& spec, const Shape& input, const GradcheckSettings& s,
                 const GradientCheckOptions& sampling, Rng& rng) {
  bool ok = true;
  for (const std::string loss_name : {"cross-entropy", "mse"}) {
    Sequential<double> model = build_model<double>(spec, input);
    model.initialize(Initializer::xavier_normal(), rng);
    for (auto& p : model.parameters()) {
      if (p.name.ends_with("bias")) {
        for (double& b : *p.value) b = 0.1 * rng.normal();
      }
    }
    const Tensor<double> x = random_tensor(input.with_batch(s.batch), rng);
    const int64_t outputs = model.output_shape().numel();
    Tensor<double> target;
    std::unique_ptr<Loss<double>> loss;
    if (loss_name == "mse") {
      target = random_tensor(model.output_shape().with_batch(s.batch), rng);
      loss = std::make_unique<MeanSquaredError<double>>();
    } else {
      target = Tensor<double>(Shape{s.batch});
      for (double& t : target) t = static_cast<double>(rng.below(static_cast<uint64_t>(outputs)));
      loss = std::make_unique<SoftmaxCrossEntropy<double>>();
    }
    const std::string what = "model " + spec + " + " + loss_name;
    std::printf("%s, batch %lld:\n", what.c_str(), static_cast<long long>(s.batch));
    GradientCheckOptions options = sampling;
    options.on_entry = [](const GradientCheckEntry& e) {
      std::printf("  %-28s %7lld of %-8lld coordinates  max error %.2e", e.name.c_str(),
                  static_cast<long long>(e.checked), static_cast<long long>(e.elements), e.max_error);
      if (e.rechecked > 0) std::printf("  (%lld rechecked with a smaller step)", static_cast<long long>(e.rechecked));
      std::printf("\n");
      std::fflush(stdout);
    };
    const GradientCheckReport r = check_model_gradients(model, *loss, x, target, options);
    ok &= report(what, r, s.tolerance);
  }
  return ok;
}

int run_gradcheck(const GradcheckSettings& s) {
  Rng rng(s.seed);
  const Shape input = Shape::parse_spec(s.input);
  if (s.batch < 1) throw UsageError("--batch must be at least 1");
  if (s.threads < 1) throw UsageError("--threads must be at least 1");
  const ThreadScope threads(capped_threads(s.threads));
  GradientCheckOptions sampling;
  sampling.coordinates = parse_coordinates(s.coordinates);
  sampling.seed = s.seed;
  sampling.tolerance = s.tolerance;
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
                   check_layer_gradients(*layer, random_tensor(shape.with_batch(s.batch), rng), rng, sampling),
                   s.tolerance);
    }
    std::printf("Whole models, L = loss(model(x), target):\n");
    ok &= check_model("linear:10,sigmoid,linear:8,tanh,linear:6,relu,linear:3", Shape{12}, s, sampling, rng);
  } else {
    const std::string checked = sampling.coordinates == 0
                                    ? std::string("every coordinate of each tensor")
                                    : "at most " + std::to_string(sampling.coordinates) +
                                          " random coordinates per tensor (seed " + std::to_string(s.seed) + ")";
    std::printf("L = loss(model(x), target); central differences, h = 1e-5, float64; %s\n", checked.c_str());
    ok &= check_model(s.model, input, s, sampling, rng);
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
  app.add_option("--coordinates", s->coordinates,
                 "Coordinates checked per tensor, a seeded random sample (all: every one)")
      ->capture_default_str();
  app.add_option("--seed", s->seed, "Random seed (weights, input, sampled coordinates)")->capture_default_str();
  app.add_option("--tolerance", s->tolerance, "Largest error accepted")->capture_default_str();
  app.add_option("--threads", s->threads, "Threads")->capture_default_str();
  return [s] { return run_gradcheck(*s); };
}

}  // namespace nnlab::cli
