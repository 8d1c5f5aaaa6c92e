#include "nnlab/model/model_spec.h"

#include <cmath>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>

#include "nnlab/layers/avg_pool2d.h"
#include "nnlab/layers/batchnorm.h"
#include "nnlab/layers/conv2d.h"
#include "nnlab/layers/dropout.h"
#include "nnlab/layers/flatten.h"
#include "nnlab/layers/global_avg_pool.h"
#include "nnlab/layers/identity.h"
#include "nnlab/layers/layernorm.h"
#include "nnlab/layers/linear.h"
#include "nnlab/layers/max_pool2d.h"
#include "nnlab/layers/relu.h"
#include "nnlab/layers/sigmoid.h"
#include "nnlab/layers/softmax.h"
#include "nnlab/layers/step.h"
#include "nnlab/layers/tanh.h"

namespace nnlab {

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

// The arguments of one layer token: positional values and key=value options.
struct LayerArgs {
  std::string token;
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;

  [[noreturn]] void fail(const std::string& why) const {
    throw std::invalid_argument("bad layer '" + token + "': " + why);
  }
  int64_t positive(size_t index, const std::string& what) const {
    if (index >= positional.size()) fail("missing " + what);
    const std::string& text = positional[index];
    size_t used = 0;
    long long value = 0;
    try {
      value = std::stoll(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != text.size() || value <= 0) fail(what + " '" + text + "' is not a positive integer");
    return value;
  }
  bool flag(const std::string& key, bool fallback) const {
    const auto it = options.find(key);
    if (it == options.end()) return fallback;
    if (it->second == "true" || it->second == "1") return true;
    if (it->second == "false" || it->second == "0") return false;
    fail(key + "=" + it->second + " is not true or false");
  }
  void allow(size_t max_positional, std::initializer_list<const char*> keys) const {
    if (positional.size() > max_positional) fail("too many values");
    for (const auto& [key, value] : options) {
      bool known = key == "init";  // every layer with weights takes a per-layer initialiser
      for (const char* k : keys) known = known || key == k;
      if (!known) fail("unknown option '" + key + "'");
    }
  }
};

LayerArgs parse_token(const std::string& token) {
  LayerArgs args;
  args.token = token;
  const auto parts = split(token, ':');
  for (size_t i = 1; i < parts.size(); ++i) {
    const auto eq = parts[i].find('=');
    if (parts[i].empty()) args.fail("empty argument");
    if (eq == std::string::npos) {
      args.positional.push_back(parts[i]);
    } else if (parts[i].starts_with("init=")) {
      // An initialiser may hold its own ':' (normal:0.01): it takes the rest of the token.
      std::string value = parts[i].substr(eq + 1);
      for (size_t j = i + 1; j < parts.size(); ++j) value += ":" + parts[j];
      args.options["init"] = value;
      break;
    } else {
      args.options[parts[i].substr(0, eq)] = parts[i].substr(eq + 1);
    }
  }
  return args;
}

template <typename T>
using Factory = std::function<LayerPtr<T>(const LayerArgs&, const Shape&)>;

template <typename T, template <typename> class L>
Factory<T> plain() {
  return [](const LayerArgs& args, const Shape&) -> LayerPtr<T> {
    args.allow(0, {});
    return std::make_unique<L<T>>();
  };
}

// A finite real number from the token; fails naming what it is.
double real_number(const LayerArgs& args, const std::string& text, const std::string& what) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(value)) {
    args.fail(what + " '" + text + "' is not a number");
  }
  return value;
}

double real_option(const LayerArgs& args, const std::string& key, double fallback) {
  const auto it = args.options.find(key);
  return it == args.options.end() ? fallback : real_number(args, it->second, key);
}

// Runs a layer's constructor, whose range checks then name the token too.
template <typename T, typename Make>
LayerPtr<T> checked(const LayerArgs& args, Make make) {
  try {
    return make();
  } catch (const std::invalid_argument& e) {
    args.fail(e.what());
  }
}

// Normalisation layers start at γ = 1, β = 0 whatever the initialiser, so init= would be silently ignored.
void reject_init(const LayerArgs& args, const std::string& layer) {
  if (args.options.count("init")) args.fail(layer + " takes no init: its weight (γ) and bias (β) start at 1 and 0");
}

// batchnorm[:eps=E][:momentum=M]: over F features for a sample of shape F, per channel for C×H×W.
template <typename T>
LayerPtr<T> make_batchnorm(const LayerArgs& args, const Shape& in) {
  args.allow(0, {"eps", "momentum"});
  reject_init(args, "BatchNorm");
  if (in.rank() == 0) args.fail("needs samples of F features or C×H×W");
  const double eps = real_option(args, "eps", 1e-5);
  const double momentum = real_option(args, "momentum", 0.1);
  return checked<T>(args, [&] { return std::make_unique<BatchNorm<T>>(in[0], eps, momentum); });
}

// layernorm[:eps=E]: over all the elements of each sample.
template <typename T>
LayerPtr<T> make_layernorm(const LayerArgs& args, const Shape& in) {
  args.allow(0, {"eps"});
  reject_init(args, "LayerNorm");
  const double eps = real_option(args, "eps", 1e-5);
  return checked<T>(args, [&] { return std::make_unique<LayerNorm<T>>(in, eps); });
}

// dropout:P
template <typename T>
LayerPtr<T> make_dropout(const LayerArgs& args, const Shape&) {
  args.allow(1, {});
  if (args.positional.empty()) args.fail("missing drop probability");
  const double p = real_number(args, args.positional[0], "drop probability");
  return checked<T>(args, [&] { return std::make_unique<Dropout<T>>(p); });
}

// A whole number from the token, at least `minimum`; fails naming what it is.
int64_t whole_number(const LayerArgs& args, const std::string& text, const std::string& what, int64_t minimum) {
  size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || value < minimum) {
    args.fail(what + " '" + text + "' is not " + (minimum > 0 ? "a positive integer" : "an integer >= 0"));
  }
  return value;
}

int64_t whole_option(const LayerArgs& args, const std::string& key, int64_t fallback, int64_t minimum) {
  const auto it = args.options.find(key);
  return it == args.options.end() ? fallback : whole_number(args, it->second, key, minimum);
}

// conv:OUTxKHxKW or conv:OUTxK (square kernel) [:stride=S][:pad=P][:bias=false];
// the input channels are those of the input sample C×H×W.
template <typename T>
LayerPtr<T> make_conv(const LayerArgs& args, const Shape& in) {
  args.allow(1, {"stride", "pad", "bias"});
  if (args.positional.empty()) args.fail("missing OUTxKHxKW (output channels x kernel height x kernel width)");
  const std::vector<std::string> sizes = split(args.positional[0], 'x');
  if (sizes.size() != 2 && sizes.size() != 3) args.fail("'" + args.positional[0] + "' is not OUTxKHxKW or OUTxK");
  const int64_t out_channels = whole_number(args, sizes[0], "output channels", 1);
  const int64_t kernel_h = whole_number(args, sizes[1], "kernel height", 1);
  const int64_t kernel_w = sizes.size() == 3 ? whole_number(args, sizes[2], "kernel width", 1) : kernel_h;
  const int64_t stride = whole_option(args, "stride", 1, 1);
  const int64_t padding = whole_option(args, "pad", 0, 0);
  if (in.rank() != 3) args.fail("Conv2d needs image input CxHxW, got " + in.str());
  return std::make_unique<Conv2d<T>>(in[0], out_channels, kernel_h, kernel_w, stride, padding, args.flag("bias", true));
}

// maxpool:K and avgpool:K [:stride=S][:pad=P]; the stride defaults to K (windows side by side).
template <typename T, template <typename> class Pool>
Factory<T> pool() {
  return [](const LayerArgs& args, const Shape&) -> LayerPtr<T> {
    args.allow(1, {"stride", "pad"});
    const int64_t kernel = args.positive(0, "kernel size");
    const int64_t stride = whole_option(args, "stride", kernel, 1);
    const int64_t padding = whole_option(args, "pad", 0, 0);
    try {
      return std::make_unique<Pool<T>>(kernel, stride, padding);
    } catch (const std::invalid_argument& e) {
      args.fail(e.what());
    }
  };
}

template <typename T>
const std::map<std::string, Factory<T>>& factories() {
  static const std::map<std::string, Factory<T>> table = {
      {"linear",
       [](const LayerArgs& args, const Shape& in) -> LayerPtr<T> {
         args.allow(1, {"bias"});
         return std::make_unique<Linear<T>>(in.numel(), args.positive(0, "output size"), args.flag("bias", true));
       }},
      {"relu", plain<T, ReLU>()},
      {"sigmoid", plain<T, Sigmoid>()},
      {"tanh", plain<T, Tanh>()},
      {"identity", plain<T, Identity>()},
      {"step", plain<T, Step>()},
      {"softmax", plain<T, Softmax>()},
      {"batchnorm", make_batchnorm<T>},
      {"layernorm", make_layernorm<T>},
      {"dropout", make_dropout<T>},
      {"conv", make_conv<T>},
      {"maxpool", pool<T, MaxPool2d>()},
      {"avgpool", pool<T, AvgPool2d>()},
      {"gap", plain<T, GlobalAvgPool>()},
      {"flatten", plain<T, Flatten>()},
  };
  return table;
}

}  // namespace

namespace {
// The networks of "Deep Learning from Scratch", ch. 7 and 8, for 1×28×28 images.
const std::map<std::string, std::string>& presets() {
  static const std::map<std::string, std::string> table = {
      // SimpleConvNet: conv 30 filters 5×5 - relu - pool 2×2 - affine 100 - relu - affine 10.
      {"simple-cnn", "conv:30x5x5,relu,maxpool:2,linear:100,relu,linear:10"},
      // DeepConvNet (deep_convnet.py): 3×3 convolutions, the 4th padded by 2 so that the
      // last pool leaves 64×4×4; dropout after both affine layers, as in the book.
      {"deep-cnn",
       "conv:16x3x3:pad=1,relu,conv:16x3x3:pad=1,relu,maxpool:2,"
       "conv:32x3x3:pad=1,relu,conv:32x3x3:pad=2,relu,maxpool:2,"
       "conv:64x3x3:pad=1,relu,conv:64x3x3:pad=1,relu,maxpool:2,"
       "linear:50,relu,dropout:0.5,linear:10,dropout:0.5"},
  };
  return table;
}
}  // namespace

template <typename T>
LayerPtr<T> make_layer(const std::string& token, const Shape& input_sample) {
  const LayerArgs args = parse_token(token);
  const std::string name = token.substr(0, token.find(':'));
  const auto& table = factories<T>();
  const auto it = table.find(name);
  if (it == table.end()) {
    std::string known;
    for (const auto& [key, factory] : table) known += (known.empty() ? "" : ", ") + key;
    std::string presets_known;
    for (const auto& [key, spec] : presets()) presets_known += (presets_known.empty() ? "" : ", ") + key;
    throw std::invalid_argument("unknown layer '" + name + "' in '" + token + "' (known: " + known +
                                "; whole-model presets: " + presets_known + ")");
  }
  LayerPtr<T> layer = it->second(args, input_sample);
  if (const auto init = args.options.find("init"); init != args.options.end()) {
    if (layer->parameters().empty()) args.fail(layer->type() + " has no weights to initialise");
    try {
      layer->set_initializer(Initializer::parse(init->second));
    } catch (const std::invalid_argument& e) {
      args.fail(e.what());
    }
  }
  return layer;
}

template <typename T>
Sequential<T> build_model(const std::string& spec_or_preset, const Shape& input_sample) {
  if (spec_or_preset.empty()) throw std::invalid_argument("empty model spec");
  const std::string spec = is_preset(spec_or_preset) ? preset_spec(spec_or_preset) : spec_or_preset;
  Sequential<T> model(input_sample);
  for (const std::string& token : split(spec, ',')) {
    if (token.empty()) throw std::invalid_argument("empty layer in model spec '" + spec + "'");
    try {
      model.add(make_layer<T>(token, model.output_shape()));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("model spec '" + spec + "': " + e.what());
    }
  }
  return model;
}

std::string mlp_spec(const std::vector<int64_t>& hidden, const std::string& activation, int64_t outputs) {
  std::string spec;
  for (int64_t h : hidden) spec += "linear:" + std::to_string(h) + "," + activation + ",";
  return spec + "linear:" + std::to_string(outputs);
}

bool is_preset(const std::string& name) { return presets().count(name) > 0; }

std::string preset_spec(const std::string& name) {
  const auto it = presets().find(name);
  if (it == presets().end()) {
    std::string known;
    for (const auto& [key, spec] : presets()) known += (known.empty() ? "" : ", ") + key;
    throw std::invalid_argument("unknown model preset '" + name + "' (known: " + known + ")");
  }
  return it->second;
}

const std::vector<std::string>& activation_names() {
  static const std::vector<std::string> names = {"relu", "sigmoid", "tanh", "identity", "step"};
  return names;
}

template Sequential<float> build_model<float>(const std::string&, const Shape&);
template Sequential<double> build_model<double>(const std::string&, const Shape&);
template LayerPtr<float> make_layer<float>(const std::string&, const Shape&);
template LayerPtr<double> make_layer<double>(const std::string&, const Shape&);

}  // namespace nnlab
