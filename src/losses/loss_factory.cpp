#include "nnlab/losses/loss_factory.h"

#include <stdexcept>

#include "nnlab/io/number_text.h"
#include "nnlab/losses/huber.h"
#include "nnlab/losses/mean_absolute_error.h"
#include "nnlab/losses/mean_squared_error.h"
#include "nnlab/losses/softmax_cross_entropy.h"

namespace nnlab {

std::string loss_names() { return "cross-entropy, mse, mae, huber[:DELTA]"; }

template <typename T>
std::unique_ptr<Loss<T>> make_loss(const std::string& spec) {
  if (spec == "cross-entropy" || spec == "softmax-cross-entropy") return std::make_unique<SoftmaxCrossEntropy<T>>();
  if (spec == "mse") return std::make_unique<MeanSquaredError<T>>();
  if (spec == "mae") return std::make_unique<MeanAbsoluteError<T>>();
  if (spec == "huber") return std::make_unique<Huber<T>>();
  if (spec.starts_with("huber:")) {
    double delta = 0;
    if (!read_number(spec.substr(6), delta)) {
      throw std::invalid_argument("loss '" + spec + "': huber's delta must be a number, e.g. huber:0.5");
    }
    return std::make_unique<Huber<T>>(delta);
  }
  throw std::invalid_argument("unknown loss '" + spec + "' (known: " + loss_names() + ")");
}

bool regression_loss(const std::string& spec) {
  return spec == "mse" || spec == "mae" || spec == "huber" || spec.starts_with("huber:");
}

template std::unique_ptr<Loss<float>> make_loss<float>(const std::string&);
template std::unique_ptr<Loss<double>> make_loss<double>(const std::string&);

}  // namespace nnlab
