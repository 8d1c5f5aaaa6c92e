#pragma once
// The pieces of the model-spec parser (model_spec.cpp): splitting a spec into tokens, a
// token's arguments, the memory budget a build spends before anything is allocated, and
// the factory of every built-in layer. Private to src/model.

#include <cmath>
#include <functional>
#include <map>
#include <optional>
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
#include "nnlab/model/model_spec.h"
#include "nnlab/tensor/checked_size.h"

namespace nnlab::spec_parts {

inline std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

// Splits a spec at the commas outside parentheses: "res(a,b),relu" → "res(a,b)", "relu".
// Throws std::invalid_argument for unbalanced parentheses.
inline std::vector<std::string> split_top_level(const std::string& spec) {
  std::vector<std::string> parts(1);
  int depth = 0;
  for (char c : spec) {
    if (c == '(') ++depth;
    if (c == ')' && --depth < 0) throw std::invalid_argument("model spec '" + spec + "': ')' without '('");
    if (c == ',' && depth == 0) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  if (depth != 0) throw std::invalid_argument("model spec '" + spec + "': '(' without ')'");
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

inline LayerArgs parse_token(const std::string& token) {
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

// The values (parameters and buffers) a model may still hold, spent by each layer
// before it allocates: a spec from a file or the command line cannot make nnlab
// allocate more than the limit, or more than the machine holds.
class Budget {
 public:
  explicit Budget(const BuildLimits& limits) : limits_(limits) {}

  // Values the layer of `args` will hold, as a checked product of its sizes.
  void spend(const LayerArgs& args, std::initializer_list<int64_t> factors, int64_t extra = 0) {
    int64_t values = 1;
    try {
      for (int64_t f : factors) values = checked_mul(values, f, "its weight");
      values = checked_add(values, extra, "its weight");
    } catch (const std::invalid_argument& e) {
      args.fail(e.what());
    }
    if (values > limits_.max_values - spent_) {
      args.fail("it holds " + std::to_string(values) + " values, more than the " +
                std::to_string(limits_.max_values - spent_) + " allowed" +
                (limits_.reason.empty() ? "" : " (" + limits_.reason + ")"));
    }
    spent_ += values;
  }

 private:
  BuildLimits limits_;
  int64_t spent_ = 0;
};

template <typename T>
using Factory = std::function<LayerPtr<T>(const LayerArgs&, const Shape&, Budget&)>;

template <typename T, template <typename> class L>
Factory<T> plain() {
  return [](const LayerArgs& args, const Shape&, Budget&) -> LayerPtr<T> {
    args.allow(0, {});
    return std::make_unique<L<T>>();
  };
}

// A finite real number from the token; fails naming what it is.
inline double real_number(const LayerArgs& args, const std::string& text, const std::string& what) {
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

inline double real_option(const LayerArgs& args, const std::string& key, double fallback) {
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
inline void reject_init(const LayerArgs& args, const std::string& layer) {
  if (args.options.count("init")) args.fail(layer + " takes no init: its weight (γ) and bias (β) start at 1 and 0");
}

// batchnorm[:eps=E][:momentum=M]: over F features for a sample of shape F, per channel for C×H×W.
template <typename T>
LayerPtr<T> make_batchnorm(const LayerArgs& args, const Shape& in, Budget& budget) {
  args.allow(0, {"eps", "momentum"});
  reject_init(args, "BatchNorm");
  if (in.rank() == 0) args.fail("needs samples of F features or C×H×W");
  budget.spend(args, {4, in[0]});  // γ, β, running mean and variance
  const double eps = real_option(args, "eps", 1e-5);
  const double momentum = real_option(args, "momentum", 0.1);
  return checked<T>(args, [&] { return std::make_unique<BatchNorm<T>>(in[0], eps, momentum); });
}

// layernorm[:eps=E]: over all the elements of each sample.
template <typename T>
LayerPtr<T> make_layernorm(const LayerArgs& args, const Shape& in, Budget& budget) {
  args.allow(0, {"eps"});
  reject_init(args, "LayerNorm");
  budget.spend(args, {2, in.numel()});  // γ and β
  const double eps = real_option(args, "eps", 1e-5);
  return checked<T>(args, [&] { return std::make_unique<LayerNorm<T>>(in, eps); });
}

// dropout:P
template <typename T>
LayerPtr<T> make_dropout(const LayerArgs& args, const Shape&, Budget&) {
  args.allow(1, {});
  if (args.positional.empty()) args.fail("missing drop probability");
  const double p = real_number(args, args.positional[0], "drop probability");
  return checked<T>(args, [&] { return std::make_unique<Dropout<T>>(p); });
}

// A whole number from the token, at least `minimum`; fails naming what it is.
inline int64_t whole_number(const LayerArgs& args, const std::string& text, const std::string& what, int64_t minimum) {
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

inline int64_t whole_option(const LayerArgs& args, const std::string& key, int64_t fallback, int64_t minimum) {
  const auto it = args.options.find(key);
  return it == args.options.end() ? fallback : whole_number(args, it->second, key, minimum);
}

// conv:OUTxKHxKW or conv:OUTxK (square kernel) [:stride=S][:pad=P][:bias=false];
// the input channels are those of the input sample C×H×W.
template <typename T>
LayerPtr<T> make_conv(const LayerArgs& args, const Shape& in, Budget& budget) {
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
  const bool bias = args.flag("bias", true);
  // The geometry first: a kernel that does not fit the input is refused before its weight is allocated.
  const ConvGeometry g{in[0], in[1], in[2], kernel_h, kernel_w, stride, padding};
  try {
    g.check("Conv2d");
  } catch (const std::invalid_argument& e) {
    args.fail(e.what());
  }
  if (!g.fits()) {
    args.fail("Conv2d input " + in.str() + " is smaller than its kernel " + std::to_string(kernel_h) + "x" +
              std::to_string(kernel_w) + " (padding " + std::to_string(padding) + ")");
  }
  budget.spend(args, {out_channels, in[0], kernel_h, kernel_w}, bias ? out_channels : 0);
  return std::make_unique<Conv2d<T>>(in[0], out_channels, kernel_h, kernel_w, stride, padding, bias);
}

// maxpool:K and avgpool:K [:stride=S][:pad=P]; the stride defaults to K (windows side by side).
template <typename T, template <typename> class Pool>
Factory<T> pool() {
  return [](const LayerArgs& args, const Shape&, Budget&) -> LayerPtr<T> {
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
       [](const LayerArgs& args, const Shape& in, Budget& budget) -> LayerPtr<T> {
         args.allow(1, {"bias"});
         const int64_t outputs = args.positive(0, "output size");
         const bool bias = args.flag("bias", true);
         budget.spend(args, {in.numel(), outputs}, bias ? outputs : 0);
         return std::make_unique<Linear<T>>(in.numel(), outputs, bias);
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

}  // namespace nnlab::spec_parts
