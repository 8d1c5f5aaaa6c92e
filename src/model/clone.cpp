#include "nnlab/model/clone.h"

#include <algorithm>
#include <stdexcept>

#include "nnlab/model/model_spec.h"

namespace nnlab {

template <typename T>
Sequential<T> clone_model(const Sequential<T>& model) {
  // Listing a model's tensors changes nothing in it; the accessors are not const only
  // because they hand out pointers that optimizers write through.
  auto& source = const_cast<Sequential<T>&>(model);
  Sequential<T> copy = build_model<T>(source.spec(), source.input_shape());
  const auto from = source.parameters();
  const auto to = copy.parameters();
  const auto buffers_from = source.buffers();
  const auto buffers_to = copy.buffers();
  const auto integers_from = source.integer_buffers();
  const auto integers_to = copy.integer_buffers();
  const auto generators_from = source.generators();
  const auto generators_to = copy.generators();
  if (from.size() != to.size() || buffers_from.size() != buffers_to.size() ||
      integers_from.size() != integers_to.size() || generators_from.size() != generators_to.size()) {
    throw std::logic_error("clone_model: the rebuilt model differs from " + source.spec());
  }
  for (size_t i = 0; i < from.size(); ++i)
    std::copy(from[i].value->begin(), from[i].value->end(), to[i].value->begin());
  for (size_t i = 0; i < buffers_from.size(); ++i) {
    std::copy(buffers_from[i].second->begin(), buffers_from[i].second->end(), buffers_to[i].second->begin());
  }
  for (size_t i = 0; i < integers_from.size(); ++i) *integers_to[i].second = *integers_from[i].second;
  for (size_t i = 0; i < generators_from.size(); ++i) *generators_to[i].second = *generators_from[i].second;
  copy.set_training(source.training());
  copy.set_needs_input_grad(source.needs_input_grad());
  return copy;
}

template Sequential<float> clone_model(const Sequential<float>&);
template Sequential<double> clone_model(const Sequential<double>&);

}  // namespace nnlab
