// A Module type of the user's own: registered by name, it is built from specs, trained,
// gradient-checked, saved, and loaded again; without the registry the file is refused
// with a message that says what is missing.

#include "nnlab/model/module_registry.h"

#include <cmath>

#include "nnlab/gradcheck/gradcheck.h"
#include "nnlab/io/model_file.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "temp_dir.h"
#include "test_util.h"

namespace nnlab::test {

namespace {

// swish[:beta=B]: y = x·σ(βx), element-wise (a layer nnlab does not have).
template <typename T>
class Swish final : public Module<T> {
 public:
  explicit Swish(double beta) : beta_(static_cast<T>(beta)) {}
  std::string type() const override { return "Swish"; }
  std::string spec() const override {
    char text[48];
    std::snprintf(text, sizeof text, "swish:beta=%.17g", static_cast<double>(beta_));
    return text;
  }
  Shape output_shape(const Shape& input) const override { return input; }
  const Tensor<T>& forward(const Tensor<T>& x) override {
    input_ = &x;
    output_.resize(x.shape());
    for (int64_t i = 0; i < x.size(); ++i) output_[i] = x[i] * sigmoid(beta_ * x[i]);
    return output_;
  }
  const Tensor<T>& backward(const Tensor<T>& dy) override {
    const Tensor<T>& x = *input_;
    grad_.resize(x.shape());
    for (int64_t i = 0; i < x.size(); ++i) {
      const T s = sigmoid(beta_ * x[i]);
      grad_[i] = dy[i] * (s + beta_ * x[i] * s * (1 - s));
    }
    return grad_;
  }

 private:
  static T sigmoid(T v) { return T(1) / (T(1) + std::exp(-v)); }
  T beta_;
  const Tensor<T>* input_ = nullptr;
  Tensor<T> output_, grad_;
};

template <typename T>
ModuleRegistry<T> registry_with_swish() {
  ModuleRegistry<T> registry;
  registry.add("swish", [](const std::string& token, const Shape&) -> ModulePtr<T> {
    double beta = 1;
    if (token != "swish") {
      if (!token.starts_with("swish:beta=")) throw std::invalid_argument("expected swish or swish:beta=B");
      beta = std::stod(token.substr(11));
    }
    return std::make_unique<Swish<T>>(beta);
  });
  return registry;
}

}  // namespace

TEST(ModuleRegistry, UserModuleBuildsChecksSavesAndLoads) {
  const std::string spec = "linear:6,swish:beta=1.5,res(linear:6,swish),linear:3";
  // Its gradients, through the model, against central differences.
  const ModuleRegistry<double> doubles = registry_with_swish<double>();
  Sequential<double> model_d = build_model<double>(spec, Shape{4}, doubles);
  Rng rng(2);
  model_d.initialize(Initializer::he_normal(), rng);
  Tensor<double> x(Shape{3, 4});
  for (double& v : x) v = rng.normal();
  const Tensor<double> labels(Shape{3}, std::vector<double>{0, 2, 1});
  SoftmaxCrossEntropy<double> loss_d;
  EXPECT_TRUE(check_model_gradients(model_d, loss_d, x, labels).passed());

  const ModuleRegistry<float> registry = registry_with_swish<float>();
  Sequential<float> model = build_model<float>(spec, Shape{4}, registry);
  EXPECT_EQ(model.spec(), "linear:6,swish:beta=1.5,res(linear:6,swish:beta=1),linear:3");
  model.initialize(Initializer::he_normal(), rng);
  TempDir dir;
  const std::string path = (dir.path() / "swish.safetensors").string();
  save_model(model, path);
  try {
    load_model(path);
    ADD_FAILURE() << "loaded without the registry";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown layer 'swish'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("ModuleRegistry"), std::string::npos) << e.what();
  }
  LoadedModel loaded = load_model(path, registry);
  model.eval();
  const Tensor<float> xf = x.cast<float>();
  const Tensor<float> expected = model.forward(xf);
  const Tensor<float>& y = loaded.model.forward(xf);
  ASSERT_EQ(y.size(), expected.size());
  for (int64_t i = 0; i < y.size(); ++i) EXPECT_EQ(y[i], expected[i]);
}

TEST(ModuleRegistry, RefusesBadAndTakenNames) {
  ModuleRegistry<float> registry;
  auto factory = [](const std::string&, const Shape&) -> ModulePtr<float> { return nullptr; };
  EXPECT_THROW(registry.add("relu", factory), std::invalid_argument);
  EXPECT_THROW(registry.add("res", factory), std::invalid_argument);
  EXPECT_THROW(registry.add("resnet", factory), std::invalid_argument);
  EXPECT_THROW(registry.add("My Layer", factory), std::invalid_argument);
  registry.add("mine", factory);
  EXPECT_THROW(registry.add("mine", factory), std::invalid_argument);
  // A factory that gives nothing is a clear error, naming the token.
  try {
    build_model<float>("linear:2,mine", Shape{3}, registry);
    ADD_FAILURE() << "built a model with a null module";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'mine'"), std::string::npos) << e.what();
  }
}

}  // namespace nnlab::test
