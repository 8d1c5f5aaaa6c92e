#include "nnlab/optim/optimizer.h"

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "nnlab/kernels/threads.h"

namespace nnlab {

template <typename T>
Optimizer<T>::Optimizer(std::vector<Parameter<T>> parameters, double lr, WeightDecay decay)
    : parameters_(std::move(parameters)), lr_(lr), decay_(decay) {
  set_lr(lr);
  if (decay_.kind != WeightDecay::Kind::kNone && !(decay_.lambda >= 0 && std::isfinite(decay_.lambda))) {
    throw std::invalid_argument("weight decay must be a finite number >= 0, got " + std::to_string(decay_.lambda));
  }
  for (const auto& p : parameters_) {
    if (p.value == nullptr || p.grad == nullptr || p.value->size() != p.grad->size()) {
      throw std::invalid_argument("parameter '" + p.name + "' has no gradient of its size");
    }
  }
}

template <typename T>
void Optimizer<T>::set_lr(double lr) {
  if (!(lr >= 0) || !std::isfinite(lr)) {
    throw std::invalid_argument("learning rate must be a finite number >= 0, got " + std::to_string(lr));
  }
  lr_ = lr;
}

template <typename T>
void Optimizer<T>::step() {
  const bool add_decay = decay_.active() && couples_weight_decay();
  const auto lambda = static_cast<T>(decay_.lambda);
  for (size_t i = 0; i < parameters_.size(); ++i) {
    Parameter<T>& p = parameters_[i];
    if (add_decay && p.decay) {
      const T* w = p.value->data();
      T* g = p.grad->data();
      const int64_t n = p.value->size();
      if (decay_.kind == WeightDecay::Kind::kL2) {
        for (int64_t j = 0; j < n; ++j) g[j] += lambda * w[j];
      } else {
        for (int64_t j = 0; j < n; ++j) g[j] += lambda * static_cast<T>((w[j] > T(0)) - (w[j] < T(0)));
      }
    }
    update(i, *p.value, *p.grad);
  }
  ++steps_;
}

template <typename T>
double Optimizer<T>::penalty() const {
  if (!decay_.active()) return 0.0;
  double sum = 0;
  for (const auto& p : parameters_) {
    if (!p.decay) continue;
    for (T w : *p.value) sum += decay_.kind == WeightDecay::Kind::kL2 ? static_cast<double>(w) * w : std::abs(w);
  }
  return decay_.kind == WeightDecay::Kind::kL2 ? 0.5 * decay_.lambda * sum : decay_.lambda * sum;
}

template <typename T>
void Optimizer<T>::register_state(const std::string& key, std::vector<Tensor<T>>& tensors) {
  state_.emplace_back(key, &tensors);
}

namespace {

const char* const kType = "type";
const char* const kLr = "param_groups.0.lr";
const char* const kStep = "param_groups.0.step";
const char* const kParams = "param_groups.0.params";

std::string group_entry(const std::string& hyperparameter) { return "param_groups.0." + hyperparameter; }

std::string state_entry(size_t index, const std::string& key) { return "state." + std::to_string(index) + "." + key; }

// Weight decay as two hyperparameters, PyTorch's weight_decay (L2) and nnlab's L1.
std::vector<std::pair<std::string, double>> decay_hyperparameters(const WeightDecay& decay) {
  const bool l2 = decay.kind == WeightDecay::Kind::kL2, l1 = decay.kind == WeightDecay::Kind::kL1;
  return {{"weight_decay", l2 ? decay.lambda : 0.0}, {"l1_weight_decay", l1 ? decay.lambda : 0.0}};
}

// The shortest text that reads back as the same double, so two different values never print alike.
std::string number(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace

template <typename T>
StateDict Optimizer<T>::state_dict() const {
  StateDict state;
  state.put_bytes(kType, name());
  state.put_double(kLr, lr_);
  state.put_int(kStep, steps_);
  std::vector<int64_t> indices(parameters_.size());
  for (size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<int64_t>(i);
  state.put_ints(kParams, std::move(indices));
  for (const auto& [hyperparameter, value] : decay_hyperparameters(decay_))
    state.put_double(group_entry(hyperparameter), value);
  for (const auto& [hyperparameter, value] : hyperparameters()) state.put_double(group_entry(hyperparameter), value);
  for (const auto& [key, tensors] : state_) {
    for (size_t i = 0; i < tensors->size(); ++i) state.put(state_entry(i, key), (*tensors)[i]);
  }
  return state;
}

template <typename T>
void Optimizer<T>::load_state_dict(const StateDict& state) {
  const std::string owner = name() + " optimizer: cannot load the state";
  try {
    if (state.contains(kType) && state.get_bytes(kType) != name()) {
      throw std::runtime_error("it is the state of " + state.get_bytes(kType) + ", not of " + name());
    }
    if (state.contains(kParams) && state.get_ints(kParams).size() != parameters_.size()) {
      throw std::runtime_error("it holds " + std::to_string(state.get_ints(kParams).size()) +
                               " parameters, this optimizer has " + std::to_string(parameters_.size()));
    }
    std::vector<std::string> expected = {kType, kLr, kStep, kParams};
    auto hyper = decay_hyperparameters(decay_);
    for (auto& entry : hyperparameters()) hyper.push_back(std::move(entry));
    for (const auto& [hyperparameter, value] : hyper) expected.push_back(group_entry(hyperparameter));
    for (const auto& [key, tensors] : state_) {
      for (size_t i = 0; i < tensors->size(); ++i) expected.push_back(state_entry(i, key));
    }
    state.require_names(expected, "the state dict");

    const std::vector<int64_t> indices = state.get_ints(kParams);
    for (size_t i = 0; i < indices.size(); ++i) {
      if (indices[i] != static_cast<int64_t>(i)) {
        throw std::runtime_error("entry '" + std::string(kParams) + "' must list 0 to " +
                                 std::to_string(indices.size() - 1) + " in order");
      }
    }
    for (const auto& [hyperparameter, value] : hyper) {
      const double saved = state.get_double(group_entry(hyperparameter));
      if (saved != value) {
        throw std::runtime_error("it was saved with " + hyperparameter + " " + number(saved) + ", this optimizer has " +
                                 number(value));
      }
    }
    const double lr = state.get_double(kLr);
    if (!(lr >= 0) || !std::isfinite(lr)) throw std::runtime_error("its learning rate " + number(lr) + " is not valid");
    const int64_t steps = state.get_int(kStep);
    if (steps < 0) throw std::runtime_error("its step count " + std::to_string(steps) + " is negative");

    // Every buffer is read before any is replaced, so a failure leaves the optimizer as it was.
    std::vector<std::vector<Tensor<T>>> loaded(state_.size());
    for (size_t k = 0; k < state_.size(); ++k) {
      for (size_t i = 0; i < parameters_.size(); ++i) {
        const Shape& shape = parameters_[i].value->shape();
        const std::string entry = state_entry(i, state_[k].first);
        if (state.at(entry).shape != shape.to_vector()) {
          throw std::runtime_error("entry '" + entry + "' is " + state.at(entry).describe() + ", but parameter " +
                                   std::to_string(i) + " ('" + parameters_[i].name + "') has shape " + shape.str());
        }
        loaded[k].push_back(state.tensor<T>(entry, shape));
      }
    }
    lr_ = lr;
    steps_ = steps;
    for (size_t k = 0; k < state_.size(); ++k) *state_[k].second = std::move(loaded[k]);
  } catch (const std::runtime_error& error) {
    throw std::runtime_error(owner + ": " + error.what());
  }
}

template class Optimizer<float>;
template class Optimizer<double>;

}  // namespace nnlab
