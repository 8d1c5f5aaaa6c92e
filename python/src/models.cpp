// Models: built from a spec or a preset, called on NumPy arrays, their parameters as NumPy
// views of the model's own memory, forward hooks that hand NumPy arrays.

#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <cstring>
#include <thread>

#include "arrays.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/losses/loss_factory.h"
#include "nnlab/model/clone.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/train/evaluate.h"
#include "nnlab/train/train_config.h"
#include "py_model.h"

namespace nnlab::python {

std::string loss_for(const PyModel& model, bool classification) {
  if (!model.loss.empty()) return model.loss;
  return classification ? "cross-entropy" : "mse";
}

int resolve_threads(int threads) {
  if (threads < 0)
    throw std::invalid_argument("threads must be at least 1 (0: every core), got " + std::to_string(threads));
  TrainConfig config;
  config.threads = threads;
  return thread_count(config);
}

namespace {

Shape shape_from(const std::vector<int64_t>& dims, const std::string& name) {
  if (dims.empty() || dims.size() > 3) {
    throw std::invalid_argument(name + " must give one sample's shape, 1 to 3 numbers such as (784,) or (1, 28, 28)");
  }
  for (int64_t d : dims) {
    if (d < 1) throw std::invalid_argument(name + " must hold positive sizes, got " + std::to_string(d));
  }
  return Shape(dims);
}

py::tuple tuple_of(const Shape& shape) {
  py::tuple t(shape.rank());
  for (int i = 0; i < shape.rank(); ++i) t[i] = shape[i];
  return t;
}

// Restores the model's train/eval mode on every way out.
struct ModeGuard {
  Module<float>& model;
  bool was;
  ~ModeGuard() { model.set_training(was); }
};

// The model's outputs for every row of x in eval mode, batch_size rows at a time, on the
// model's own buffers (so its hooks run).
Tensor<float> forward_batches(Sequential<float>& model, const Tensor<float>& x, int64_t batch_size) {
  const ModeGuard mode{model, model.training()};
  model.eval();
  const int64_t rows = x.dim(0);
  if (rows <= batch_size) return model.forward(x);
  Tensor<float> out, batch;
  for (int64_t begin = 0; begin < rows; begin += batch_size) {
    const int64_t n = std::min(batch_size, rows - begin);
    batch.resize(x.shape().sample_shape().with_batch(n));
    std::memcpy(batch.data(), x.row(begin), sizeof(float) * static_cast<size_t>(batch.size()));
    const Tensor<float>& y = model.forward(batch);
    if (out.empty()) out = Tensor<float>(y.shape().sample_shape().with_batch(rows));
    std::memcpy(out.row(begin), y.data(), sizeof(float) * static_cast<size_t>(y.size()));
  }
  return out;
}

py::dict metrics_dict(const Metrics& metrics, bool classification) {
  py::dict d;
  d["loss"] = metrics.loss;
  if (classification) {
    d["accuracy"] = metrics.accuracy;
  } else {
    d["mse"] = metrics.mse;
    d["mae"] = metrics.mae;
    d["r2"] = metrics.r2;
  }
  return d;
}

void check_batch_size(int64_t batch_size) {
  if (batch_size < 1) throw std::invalid_argument("batch_size must be at least 1, got " + std::to_string(batch_size));
}

struct PyHook {
  py::object model;  // keeps the model alive while the handle can still remove its hook
  uint64_t id = 0;
  void remove() {
    if (id == 0) return;
    model.cast<PyModel&>().model.remove_hook(id);
    id = 0;
  }
};

}  // namespace

py::dict metrics_to_dict(const Metrics& metrics, bool classification) { return metrics_dict(metrics, classification); }

void bind_models(py::module_& m) {
  m.def("is_preset", &is_preset, py::arg("name"), "Whether `name` is a model preset (simple-cnn, deep-cnn, resnet).");
  m.def("preset_spec", &preset_spec, py::arg("name"), "The spec a preset stands for; ValueError listing the presets.");
  m.def("layer_names", &layer_names, "The layer names of the spec grammar.");
  py::class_<PyHook>(m, "Hook", "A registered hook; remove() unregisters it (PyTorch's RemovableHandle).")
      .def("remove", &PyHook::remove, "Unregisters the hook (a second call does nothing).")
      .def_property_readonly("active", [](const PyHook& h) { return h.id != 0; });

  py::class_<PyModel>(m, "Model", "A Sequential model of nnlab layers (float32). Made by build() or load().")
      .def_static(
          "build",
          [](const std::string& spec, const std::vector<int64_t>& input_shape, const std::string& init, uint64_t seed) {
            TrainConfig config;
            config.init = init;
            const Initializer initializer = nnlab::initializer(config);
            auto model = std::make_unique<PyModel>(build_model<float>(spec, shape_from(input_shape, "input_shape")));
            Rng rng(seed);
            model->model.initialize(initializer, rng);
            return model;
          },
          py::arg("spec"), py::arg("input_shape"), py::arg("init") = "auto", py::arg("seed") = 0,
          "Builds the model of a spec or preset (docs/model-spec.md) for samples of input_shape and initialises "
          "its weights with `init` from Rng(seed), as `nnlab train --init INIT --seed SEED --val-split 0` does.")
      .def_property_readonly(
          "spec", [](const PyModel& m) { return m.model.spec(); },
          "The model in the spec grammar, e.g. 'linear:100,relu,linear:10'.")
      .def_property_readonly("input_shape", [](const PyModel& m) { return tuple_of(m.model.input_shape()); })
      .def_property_readonly("output_shape", [](const PyModel& m) { return tuple_of(m.model.output_shape()); })
      .def_property_readonly("parameter_count", [](PyModel& m) { return m.model.parameter_count(); })
      .def_property(
          "loss", [](const PyModel& m) { return m.loss; },
          [](PyModel& m, const std::string& spec) {
            if (!spec.empty()) make_loss<float>(spec);
            m.loss = spec;
          },
          "The loss spec the model trains and evaluates with ('' : cross-entropy for labels, mse for "
          "values).")
      .def_readwrite("classes", &PyModel::classes, "Class names by label (empty when none are known).")
      .def_readonly("metadata", &PyModel::metadata, "The metadata of the file the model was loaded from.")
      .def_property(
          "training", [](const PyModel& m) { return m.model.training(); },
          [](PyModel& m, bool training) { m.model.set_training(training); },
          "Train mode (Dropout drops, BatchNorm uses batch statistics) or eval mode.")
      .def(
          "layers",
          [](const PyModel& m) {
            std::vector<std::pair<std::string, std::string>> out;
            for (size_t i = 0; i < m.model.size(); ++i) out.emplace_back(m.model[i].type(), m.model[i].spec());
            return out;
          },
          "(type, spec) of each layer, e.g. [('Linear', 'linear:100'), ('ReLU', 'relu')].")
      .def(
          "summary", [](PyModel& m) { return m.model.summary(); }, "A table of layers, output shapes and parameters.")
      .def(
          "parameters",
          [](py::object self) {
            py::dict out;
            for (const Parameter<float>& p : self.cast<PyModel&>().model.parameters())
              out[py::str(p.name)] = view(*p.value, self);
            return out;
          },
          "Name → NumPy view of each parameter, under PyTorch's names ('0.weight'): the model's own memory, "
          "so writing into a view changes the model.")
      .def(
          "gradients",
          [](py::object self) {
            py::dict out;
            for (const Parameter<float>& p : self.cast<PyModel&>().model.parameters())
              out[py::str(p.name)] = view(*p.grad, self);
            return out;
          },
          "Name → NumPy view of each parameter's gradient (after a backward; empty before one).")
      .def(
          "buffers",
          [](py::object self) {
            py::dict out;
            for (auto& [name, tensor] : self.cast<PyModel&>().model.buffers()) out[py::str(name)] = view(*tensor, self);
            return out;
          },
          "Name → NumPy view of each buffer (BatchNorm's running_mean and running_var).")
      .def(
          "forward",
          [](PyModel& m, py::handle x, int64_t batch_size, int threads) {
            check_batch_size(batch_size);
            const Tensor<float> input = to_batch(x, m.model.input_shape(), "x");
            const int count = resolve_threads(threads);
            Tensor<float> out;
            {
              py::gil_scoped_release release;
              std::lock_guard lock(m.mutex);
              const ThreadScope scope(count);
              out = forward_batches(m.model, input, batch_size);
            }
            return to_numpy(std::move(out));
          },
          py::arg("x"), py::arg("batch_size") = kEvaluationBatch, py::arg("threads") = 0,
          "The model's outputs (logits) for x, in eval mode, batch_size samples at a time, with the GIL released. "
          "x is copied once into float32 (float64 and integers converted); the result is a new array (N, outputs).")
      .def(
          "evaluate",
          [](PyModel& m, py::handle x, py::handle y, int64_t batch_size, int threads) {
            check_batch_size(batch_size);
            const Dataset data = to_dataset(x, y, m.model.input_shape(), m.outputs(), "x", "y");
            const auto loss = make_loss<float>(loss_for(m, data.classification()));
            const int count = resolve_threads(threads);
            Metrics metrics;
            {
              py::gil_scoped_release release;
              std::lock_guard lock(m.mutex);
              const ThreadScope scope(count);
              metrics = evaluate_in_place(m.model, *loss, data, batch_size);
            }
            return metrics_dict(metrics, data.classification());
          },
          py::arg("x"), py::arg("y"), py::arg("batch_size") = kEvaluationBatch, py::arg("threads") = 0,
          "Loss and accuracy (classes) or loss, mse, mae and r2 (values) on (x, y), in eval mode.")
      .def(
          "add_forward_hook",
          [](py::object self, py::function fn, int64_t layer) {
            PyModel& m = self.cast<PyModel&>();
            ForwardHook<float> hook = [fn](size_t index, Module<float>& module, const Tensor<float>& in,
                                           const Tensor<float>& out) {
              py::gil_scoped_acquire gil;
              fn(index, module.type(), to_numpy(Tensor<float>(in)), to_numpy(Tensor<float>(out)));
            };
            std::lock_guard lock(m.mutex);
            if (layer >= static_cast<int64_t>(m.model.size())) {
              throw std::invalid_argument("layer " + std::to_string(layer) + " of a model of " +
                                          std::to_string(m.model.size()) + " layers");
            }
            HookHandle<float> handle = layer < 0
                                           ? m.model.add_forward_hook(std::move(hook))
                                           : m.model.add_forward_hook(static_cast<size_t>(layer), std::move(hook));
            return PyHook{self, handle.release()};
          },
          py::arg("fn"), py::arg("layer") = -1,
          "Calls fn(index, layer_type, input, output) after the forward of layer `layer` (-1: every layer), with "
          "copies of its input and output as NumPy arrays, whenever the model is called (forward, evaluate, "
          "predict; not inside fit, which trains a copy: use a callback there). Returns a Hook.")
      .def(
          "clone",
          [](const PyModel& m) {
            auto copy = std::make_unique<PyModel>(clone_model(m.model));
            copy->loss = m.loss;
            copy->classes = m.classes;
            copy->metadata = m.metadata;
            return copy;
          },
          "An independent copy: the same weights, buffers and mode.");
}

}  // namespace nnlab::python
