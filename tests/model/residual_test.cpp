#include "nnlab/model/residual.h"

#include "layers/layer_checks.h"
#include "nnlab/io/model_file.h"
#include "nnlab/model/model_spec.h"
#include "temp_dir.h"
#include "test_util.h"

namespace nnlab::test {

namespace {
const nlohmann::json& residual_case(const std::string& name) {
  static const nlohmann::json cases = load_json("residual.json").at("cases");
  for (const auto& c : cases) {
    if (c.at("name") == name) return c;
  }
  throw std::runtime_error("no case " + name + " in residual.json");
}

Shape sample_shape(const nlohmann::json& c) { return Shape(c.at("input_sample").get<std::vector<int64_t>>()); }
}  // namespace

// Every block against PyTorch's float64 values, the block itself (names "body.0.weight") as the module.
TEST(Residual, MatchesPyTorchForEveryBlock) {
  for (const char* name :
       {"residual_identity_conv", "residual_projection_conv", "residual_identity_dense", "residual_projection_dense"}) {
    SCOPED_TRACE(name);
    const auto& c = residual_case(name);
    Sequential<double> model = build_model<double>(c.at("spec"), sample_shape(c));
    ASSERT_EQ(model.size(), 1u);
    EXPECT_EQ(model[0].type(), "Residual");
    EXPECT_EQ(model[0].spec(), c.at("spec"));
    std::vector<std::string> names;
    for (const auto& p : model[0].parameters()) names.push_back(p.name);
    std::vector<std::string> expected;
    for (const auto& [key, value] : c.at("params").items()) expected.push_back(key);
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, expected);
    expect_matches_reference(model[0], c, 1e-10);
    Sequential<float> model_f = build_model<float>(c.at("spec"), sample_shape(c));
    expect_matches_reference(model_f[0], c, 2e-4);
  }
}

// Blocks inside a Sequential: the names nest as PyTorch's do ("2.shortcut.weight").
TEST(Residual, NestedNamesAndValuesMatchPyTorch) {
  const auto& c = residual_case("residual_stack");
  Sequential<double> model = build_model<double>(c.at("spec"), sample_shape(c));
  std::vector<std::string> names;
  for (const auto& p : model.parameters()) names.push_back(p.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"0.body.0.weight", "0.body.0.bias", "0.body.2.weight", "0.body.2.bias",
                                      "2.body.0.weight", "2.body.0.bias", "2.shortcut.weight", "2.shortcut.bias"}));
  expect_matches_reference(model, c, 1e-10);
}

TEST(Residual, GradientsCheckWithIdentityAndProjection) {
  for (const std::string spec : {"res(conv:2x3x3:pad=1,tanh,conv:2x3x3:pad=1)", "res(conv:3x3x3:stride=2:pad=1)",
                                 "res(conv:2x3x3:pad=1,batchnorm,relu,conv:2x3x3:pad=1,batchnorm)",
                                 "res(linear:4,sigmoid,linear:3)", "res(layernorm,linear:4)"}) {
    SCOPED_TRACE(spec);
    const Shape sample = spec.find("conv") != std::string::npos ? Shape{2, 5, 5} : Shape{4};
    Sequential<double> model = build_model<double>(spec, sample);
    expect_gradients_check(model[0], sample.with_batch(3));
  }
}

TEST(Residual, ProjectionOnlyWhereTheShapeChanges) {
  Sequential<float> same = build_model<float>("res(conv:4x3x3:pad=1)", Shape{4, 8, 8});
  EXPECT_EQ(dynamic_cast<Residual<float>&>(same[0]).shortcut(), nullptr);
  Sequential<float> wider = build_model<float>("res(conv:8x3x3:stride=2:pad=1)", Shape{4, 8, 8});
  Module<float>* shortcut = dynamic_cast<Residual<float>&>(wider[0]).shortcut();
  ASSERT_NE(shortcut, nullptr);
  EXPECT_EQ(shortcut->spec(), "conv:8x1x1:stride=2");
  EXPECT_EQ(wider.output_shape(), (Shape{8, 4, 4}));
  // Forward: body + identity, by hand.
  Sequential<float> block = build_model<float>("res(relu)", Shape{3});
  Tensor<float> x(Shape{1, 3}, std::vector<float>{-1, 2, 0.5f});
  const Tensor<float>& y = block.forward(x);
  EXPECT_EQ(std::vector<float>(y.begin(), y.end()), (std::vector<float>{-1, 4, 1}));
}

TEST(Residual, SpecErrorsNameTheBlock) {
  auto message = [](const std::string& spec, const Shape& in) {
    try {
      build_model<float>(spec, in);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("(built)");
  };
  EXPECT_NE(message("res(linear:4", Shape{4}).find("'(' without ')'"), std::string::npos);
  EXPECT_NE(message("res()", Shape{4}).find("the residual body is empty"), std::string::npos);
  EXPECT_NE(message("res(linear:4):stride=2", Shape{4}).find("unexpected ':stride=2'"), std::string::npos);
  EXPECT_NE(message("res(conv:2x3x3,flatten)", Shape{1, 5, 5}).find("images to images"), std::string::npos);
  EXPECT_NE(message("blk(relu)", Shape{4}).find("the only block is res(...)"), std::string::npos);
  EXPECT_EQ(message("res(step)", Shape{4}), "(built)");  // builds; training refuses it
  Sequential<float> stepped = build_model<float>("linear:4,res(linear:4,step)", Shape{4});
  try {
    stepped.check_trainable();
    FAIL();
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("layer 1.body.1 (Step)"), std::string::npos) << e.what();
  }
}

TEST(Residual, ResnetPresetRoundTripsThroughAModelFile) {
  Sequential<float> model = build_model<float>("resnet", Shape{1, 28, 28});
  EXPECT_EQ(model.spec(), preset_spec("resnet"));
  EXPECT_EQ(model.output_shape(), (Shape{10}));
  Rng rng(3);
  model.initialize(Initializer::he_normal(), rng);
  Tensor<float> x(Shape{2, 1, 28, 28});
  for (float& v : x) v = static_cast<float>(rng.uniform());
  model.eval();
  const Tensor<float> y = model.forward(x);
  TempDir dir;
  const std::string path = (dir.path() / "resnet.safetensors").string();
  save_model(model, path);
  LoadedModel loaded = load_model(path);
  EXPECT_EQ(loaded.model.spec(), model.spec());
  const Tensor<float>& y2 = loaded.model.forward(x);
  for (int64_t i = 0; i < y.size(); ++i) EXPECT_EQ(y[i], y2[i]) << i;
  bool projection = false;
  for (const auto& p : loaded.model.parameters()) projection = projection || p.name == "6.shortcut.weight";
  EXPECT_TRUE(projection);
}

}  // namespace nnlab::test
