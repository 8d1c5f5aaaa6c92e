#include "nnlab/io/finite_check.h"

#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

namespace nnlab {

namespace {

void check_tensor(const Tensor<float>& tensor, const std::string& name, const std::string& path) {
  int64_t nan = 0, infinite = 0;
  for (const float value : tensor) {
    nan += std::isnan(value);
    infinite += std::isinf(value);
  }
  if (nan == 0 && infinite == 0) return;
  std::string counts;
  if (nan > 0) counts = std::to_string(nan) + " NaN";
  if (infinite > 0) counts += (counts.empty() ? "" : " and ") + std::to_string(infinite) + " infinite";
  throw std::runtime_error("model " + path + ": tensor " + name + " holds NaN/Inf values (" + counts + " of " +
                           std::to_string(tensor.size()) +
                           "); the file is damaged or was saved from a run that diverged");
}

}  // namespace

void check_finite_tensors(Module<float>& model, const std::string& path) {
  for (const Parameter<float>& p : model.parameters()) check_tensor(*p.value, p.name, path);
  for (const auto& [name, buffer] : model.buffers()) check_tensor(*buffer, name, path);
}

}  // namespace nnlab
