#pragma once
// The loss contract: forward(output, target) returns the mean loss over the batch
// and caches what backward needs; backward(upstream) returns dL/d(output)·upstream
// in a buffer the loss owns.

#include <memory>
#include <stdexcept>
#include <string>

#include "nnlab/tensor/tensor.h"

namespace nnlab {

template <typename T>
class Loss {
 public:
  virtual ~Loss() = default;
  virtual std::string type() const = 0;
  // "cross-entropy" or "mse": the name used on the command line and in model files.
  virtual std::string spec() const = 0;
  virtual T forward(const Tensor<T>& output, const Tensor<T>& target) = 0;
  virtual const Tensor<T>& backward(T upstream = T(1)) = 0;
  // A loss of the same kind with its own buffers (for another thread).
  virtual std::unique_ptr<Loss<T>> clone() const = 0;
};

// Throws std::invalid_argument ("mse: target 2×3 does not fit output 2×2") unless target and
// output have the same rows and elements: the check of every element-wise loss.
template <typename T>
void check_loss_shapes(const char* loss, const Tensor<T>& output, const Tensor<T>& target) {
  if (output.size() != target.size() || output.rows() != target.rows()) {
    throw std::invalid_argument(std::string(loss) + ": target " + target.shape().str() + " does not fit output " +
                                output.shape().str());
  }
}

}  // namespace nnlab
