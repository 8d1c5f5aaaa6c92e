#pragma once
// The model as the Python module holds it: a Sequential<float> with what a model file keeps
// beside the weights (the loss, the class names), and a lock, because the layers' forward
// writes into buffers they own and Python threads may call one model at once while the GIL is
// released.

#include <pybind11/pybind11.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "nnlab/model/sequential.h"
#include "nnlab/train/evaluate.h"

namespace nnlab::python {

namespace py = pybind11;

struct PyModel {
  explicit PyModel(Sequential<float> m) : model(std::move(m)) {}

  Sequential<float> model;
  std::string loss;                             // the loss it was trained with ("" until then: by the targets)
  std::vector<std::string> classes;             // class names, by label (empty: none known)
  std::map<std::string, std::string> metadata;  // of the file it was loaded from
  std::mutex mutex;                             // held while the model computes or trains

  int64_t outputs() const { return model.output_shape().numel(); }
};

// The loss spec for this model and targets: the model's own, or cross-entropy for classes
// and mse for values.
std::string loss_for(const PyModel& model, bool classification);

// The thread count of a call: `threads`, or every core for 0; std::invalid_argument below 0.
int resolve_threads(int threads);
// {"loss", "accuracy"} for classes, {"loss", "mse", "mae", "r2"} for values.
py::dict metrics_to_dict(const Metrics& metrics, bool classification);

// The submodules' bindings, one file each.
void bind_errors(py::module_& m);
void bind_models(py::module_& m);
void bind_data(py::module_& m);
void bind_training(py::module_& m);
void bind_experiments(py::module_& m);
void bind_io(py::module_& m);

}  // namespace nnlab::python
