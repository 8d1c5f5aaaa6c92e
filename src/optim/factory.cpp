#include "nnlab/optim/factory.h"

#include <stdexcept>

#include "checks.h"
#include "nnlab/optim/adagrad.h"
#include "nnlab/optim/adam.h"
#include "nnlab/optim/adamw.h"
#include "nnlab/optim/momentum.h"
#include "nnlab/optim/nesterov.h"
#include "nnlab/optim/rmsprop.h"
#include "nnlab/optim/sgd.h"

namespace nnlab {
namespace {

// The defaults of the constructors, which eps <= 0 stands for.
constexpr double kAdaGradEps = 1e-10;
constexpr double kRMSPropEps = 1e-8;
constexpr double kAdamEps = 1e-8;
constexpr double kAdamWWeightDecay = 0.01;

double eps_or(const OptimizerOptions& options, double fallback) { return options.eps > 0 ? options.eps : fallback; }

WeightDecay adamw_decay(const OptimizerOptions& options) {
  return options.weight_decay.kind == WeightDecay::Kind::kNone ? WeightDecay::l2(kAdamWWeightDecay)
                                                               : options.weight_decay;
}

[[noreturn]] void unknown_name(const std::string& name) {
  std::string known;
  for (const auto& n : optimizer_names()) known += (known.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown optimizer '" + name + "' (known: " + known + ")");
}

std::string describe_decay(const WeightDecay& decay) {
  switch (decay.kind) {
    case WeightDecay::Kind::kL2:
      return "l2:" + detail::format_number(decay.lambda);
    case WeightDecay::Kind::kL1:
      return "l1:" + detail::format_number(decay.lambda);
    case WeightDecay::Kind::kNone:
      break;
  }
  return "none";
}

}  // namespace

const std::vector<std::string>& optimizer_names() {
  static const std::vector<std::string> names = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"};
  return names;
}

template <typename T>
std::unique_ptr<Optimizer<T>> make_optimizer(const OptimizerOptions& options, std::vector<Parameter<T>> parameters) {
  const std::string& name = options.name;
  const WeightDecay& decay = options.weight_decay;
  if (name == "sgd") return std::make_unique<SGD<T>>(std::move(parameters), options.lr, decay);
  if (name == "momentum")
    return std::make_unique<Momentum<T>>(std::move(parameters), options.lr, options.momentum, decay);
  if (name == "nesterov")
    return std::make_unique<Nesterov<T>>(std::move(parameters), options.lr, options.momentum, decay);
  if (name == "adagrad") {
    return std::make_unique<AdaGrad<T>>(std::move(parameters), options.lr, 0.0, eps_or(options, kAdaGradEps), decay);
  }
  if (name == "rmsprop") {
    return std::make_unique<RMSProp<T>>(std::move(parameters), options.lr, options.alpha, eps_or(options, kRMSPropEps),
                                        decay);
  }
  if (name == "adam") {
    return std::make_unique<Adam<T>>(std::move(parameters), options.lr, options.beta1, options.beta2,
                                     eps_or(options, kAdamEps), decay);
  }
  if (name == "adamw") {
    return std::make_unique<AdamW<T>>(std::move(parameters), options.lr, options.beta1, options.beta2,
                                      eps_or(options, kAdamEps), adamw_decay(options));
  }
  unknown_name(name);
}

std::string describe(const OptimizerOptions& options) {
  using detail::format_number;
  const std::string& name = options.name;
  std::string text = name + "(lr=" + format_number(options.lr);
  if (name == "momentum" || name == "nesterov") {
    text += ", momentum=" + format_number(options.momentum);
  } else if (name == "adagrad") {
    text += ", eps=" + format_number(eps_or(options, kAdaGradEps));
  } else if (name == "rmsprop") {
    text += ", alpha=" + format_number(options.alpha) + ", eps=" + format_number(eps_or(options, kRMSPropEps));
  } else if (name == "adam" || name == "adamw") {
    text += ", beta1=" + format_number(options.beta1) + ", beta2=" + format_number(options.beta2) +
            ", eps=" + format_number(eps_or(options, kAdamEps));
  } else if (name != "sgd") {
    unknown_name(name);
  }
  if (name == "adamw") return text + ", decoupled_weight_decay=" + describe_decay(adamw_decay(options)) + ")";
  return text + ", weight_decay=" + describe_decay(options.weight_decay) + ")";
}

template std::unique_ptr<Optimizer<float>> make_optimizer<float>(const OptimizerOptions&,
                                                                 std::vector<Parameter<float>>);
template std::unique_ptr<Optimizer<double>> make_optimizer<double>(const OptimizerOptions&,
                                                                   std::vector<Parameter<double>>);

}  // namespace nnlab
