#include "nnlab/optim/factory.h"

#include <stdexcept>

#include "nnlab/optim/sgd.h"

namespace nnlab {

const std::vector<std::string>& optimizer_names() {
  static const std::vector<std::string> names = {"sgd"};
  return names;
}

template <typename T>
std::unique_ptr<Optimizer<T>> make_optimizer(const OptimizerOptions& options, std::vector<Parameter<T>> parameters) {
  if (options.name == "sgd") {
    return std::make_unique<SGD<T>>(std::move(parameters), options.lr, options.weight_decay);
  }
  std::string known;
  for (const auto& n : optimizer_names()) known += (known.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown optimizer '" + options.name + "' (known: " + known + ")");
}

template std::unique_ptr<Optimizer<float>> make_optimizer<float>(const OptimizerOptions&,
                                                                 std::vector<Parameter<float>>);
template std::unique_ptr<Optimizer<double>> make_optimizer<double>(const OptimizerOptions&,
                                                                   std::vector<Parameter<double>>);

}  // namespace nnlab
