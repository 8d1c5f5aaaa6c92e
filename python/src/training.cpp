// Training from Python: TrainConfig, and fit/train on the library's Training with the GIL
// released, Python callbacks called with the GIL taken only inside them, and Ctrl-C
// (KeyboardInterrupt) ending the run cleanly after the current step.

#include <pybind11/stl.h>

#include <chrono>
#include <optional>

#include "arrays.h"
#include "nnlab/data/data_source.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/losses/loss_factory.h"
#include "nnlab/state/model_state.h"
#include "nnlab/train/train.h"
#include "py_model.h"

namespace nnlab::python {

namespace {

// Calls the Python side's callback list (nnlab/callbacks.py: CallbackList) from the training
// loop. Every call takes the GIL and checks for signals; a Python exception (a callback's, or
// KeyboardInterrupt) is kept and ends the run after the current step, to be raised once
// training has returned. Without a callback that wants every batch, on_batch_end is called at
// most every 0.1 s (for the progress display and the Ctrl-C check): a training step of a small
// MLP takes less time than a call into Python.
class PythonCallbacks final : public Callback {
 public:
  explicit PythonCallbacks(py::object target) : target_(std::move(target)) {
    every_batch_ = py::hasattr(target_, "every_batch") && target_.attr("every_batch").cast<bool>();
  }
  ~PythonCallbacks() override {
    py::gil_scoped_acquire gil;
    target_ = py::object();
  }

  void on_train_begin(TrainState& state) override {
    call(state, [&] {
      py::dict params;
      params["epochs"] = state.total_epochs;
      params["steps"] = state.total_steps;
      params["batches_per_epoch"] = state.batches_per_epoch;
      target_.attr("on_train_begin")(params);
    });
  }
  void on_step_end(TrainState& state, double loss) override {
    ++batch_;
    loss_sum_ += loss;
    const auto now = std::chrono::steady_clock::now();
    if (!every_batch_ && batch_ > 1 && now - last_call_ < std::chrono::milliseconds(100)) return;
    last_call_ = now;
    call(state, [&] {
      py::dict logs;
      logs["loss"] = loss_sum_ / static_cast<double>(batch_);
      logs["batch_loss"] = loss;
      logs["step"] = state.history.step_loss.size();
      target_.attr("on_batch_end")(batch_ - 1, logs);
    });
  }
  void on_epoch_end(TrainState& state, const EpochRecord& record) override {
    batch_ = 0;
    loss_sum_ = 0;
    call(state, [&] {
      py::dict logs;
      logs["loss"] = record.train_loss;
      if (!std::isnan(record.train_accuracy)) logs["accuracy"] = record.train_accuracy;
      if (!std::isnan(record.val_loss)) logs["val_loss"] = record.val_loss;
      if (!std::isnan(record.val_accuracy)) logs["val_accuracy"] = record.val_accuracy;
      logs["lr"] = record.lr;
      logs["seconds"] = record.seconds;
      logs["steps"] = record.steps;
      target_.attr("on_epoch_end")(record.epoch - 1, logs);
    });
  }
  void on_train_end(TrainState& state) override {
    call(state, [&] {
      py::dict logs;
      logs["stop_reason"] = state.history.stop_reason.empty() ? state.stop_reason : state.history.stop_reason;
      target_.attr("on_train_end")(logs);
    });
  }

  // Raises the kept Python exception, if any.
  void raise_error() {
    if (error_) {
      py::error_already_set error = std::move(*error_);
      error_.reset();
      throw error;
    }
  }

 private:
  template <typename Call>
  void call(TrainState& state, Call&& body) {
    if (error_) return;
    py::gil_scoped_acquire gil;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      body();
      if (py::hasattr(target_, "stop_training") && target_.attr("stop_training").cast<bool>() && !state.stop) {
        state.request_stop("stopped by a callback");
      }
    } catch (py::error_already_set& e) {
      const bool interrupt = e.matches(PyExc_KeyboardInterrupt);
      error_.emplace(std::move(e));
      state.interrupt(interrupt ? "interrupted (KeyboardInterrupt)" : "stopped by an exception in a callback");
    }
  }

  py::object target_;
  bool every_batch_ = false;
  int64_t batch_ = 0;
  double loss_sum_ = 0;
  std::chrono::steady_clock::time_point last_call_{};
  std::optional<py::error_already_set> error_;
};

py::dict history_dict(const History& history) {
  std::vector<int> epoch;
  std::vector<int64_t> steps;
  std::vector<double> loss, accuracy, val_loss, val_accuracy, lr, seconds;
  for (const EpochRecord& r : history.epochs) {
    epoch.push_back(r.epoch - 1);
    steps.push_back(r.steps);
    loss.push_back(r.train_loss);
    accuracy.push_back(r.train_accuracy);
    val_loss.push_back(r.val_loss);
    val_accuracy.push_back(r.val_accuracy);
    lr.push_back(r.lr);
    seconds.push_back(r.seconds);
  }
  const auto any = [](const std::vector<double>& v) {
    return std::any_of(v.begin(), v.end(), [](double x) { return !std::isnan(x); });
  };
  py::dict metrics;
  metrics["loss"] = loss;
  if (any(accuracy)) metrics["accuracy"] = accuracy;
  if (any(val_loss)) metrics["val_loss"] = val_loss;
  if (any(val_accuracy)) metrics["val_accuracy"] = val_accuracy;
  metrics["lr"] = lr;
  py::dict d;
  d["history"] = metrics;
  d["epoch"] = epoch;
  d["steps"] = steps;
  d["seconds"] = seconds;
  d["step_loss"] = std::vector<double>(history.step_loss.begin(), history.step_loss.end());
  d["stop_reason"] = history.stop_reason;
  d["monitor"] = history.monitor;
  d["best_epoch"] = history.best_epoch;
  d["best_value"] = history.best_value;
  d["stopped_epoch"] = history.stopped_epoch;
  d["restored"] = history.restored;
  return d;
}

TrainCallbacks bridge(const std::shared_ptr<PythonCallbacks>& callbacks) {
  TrainCallbacks out;
  if (callbacks) out.after.push_back(callbacks);
  return out;
}

// Trains with the GIL released; a Python exception from a callback is raised afterwards
// (after `finish`, which gives the model its weights back).
template <typename Finish>
History fit_released(Training& run, const std::shared_ptr<PythonCallbacks>& callbacks, Finish&& finish) {
  History history;
  {
    py::gil_scoped_release release;
    history = run.fit();
  }
  finish(history);
  if (callbacks) callbacks->raise_error();
  return history;
}

void check_config(const TrainConfig& config) {
  if (config.epochs < 0) throw std::invalid_argument("epochs must be at least 1, got " + std::to_string(config.epochs));
  check(config);
}

}  // namespace

void bind_training(py::module_& m) {
  py::class_<TrainConfig>(m, "TrainConfig",
                          "The whole training recipe, nnlab train's flags as fields (--batch-size: batch_size); "
                          "the defaults are nnlab train's.")
      .def(py::init<>())
      .def_readwrite("model", &TrainConfig::model, "spec or preset; '' : the MLP of hidden/activation/dropout")
      .def_readwrite("hidden", &TrainConfig::hidden)
      .def_readwrite("activation", &TrainConfig::activation)
      .def_readwrite("dropout", &TrainConfig::dropout)
      .def_readwrite("init", &TrainConfig::init)
      .def_readwrite("loss", &TrainConfig::loss)
      .def_property(
          "optimizer", [](const TrainConfig& c) { return c.optimizer.name; },
          [](TrainConfig& c, const std::string& name) { c.optimizer.name = name; })
      .def_property(
          "lr", [](const TrainConfig& c) { return c.optimizer.lr; },
          [](TrainConfig& c, double lr) { c.optimizer.lr = lr; }, "the base learning rate; 0: the optimizer's default")
      .def_property(
          "momentum", [](const TrainConfig& c) { return c.optimizer.momentum; },
          [](TrainConfig& c, double v) { c.optimizer.momentum = v; })
      .def_property(
          "beta1", [](const TrainConfig& c) { return c.optimizer.beta1; },
          [](TrainConfig& c, double v) { c.optimizer.beta1 = v; })
      .def_property(
          "beta2", [](const TrainConfig& c) { return c.optimizer.beta2; },
          [](TrainConfig& c, double v) { c.optimizer.beta2 = v; })
      .def_property(
          "alpha", [](const TrainConfig& c) { return c.optimizer.alpha; },
          [](TrainConfig& c, double v) { c.optimizer.alpha = v; })
      .def_property(
          "eps", [](const TrainConfig& c) { return c.optimizer.eps; },
          [](TrainConfig& c, double v) { c.optimizer.eps = v; })
      .def_readwrite("weight_decay", &TrainConfig::weight_decay)
      .def_readwrite("l1", &TrainConfig::l1)
      .def_readwrite("schedule", &TrainConfig::schedule)
      .def_readwrite("clip_norm", &TrainConfig::clip_norm)
      .def_readwrite("clip_value", &TrainConfig::clip_value)
      .def_readwrite("augment", &TrainConfig::augment)
      .def_readwrite("batch_size", &TrainConfig::batch_size)
      .def_readwrite("accumulate_steps", &TrainConfig::accumulate_steps)
      .def_readwrite("epochs", &TrainConfig::epochs)
      .def_readwrite("iterations", &TrainConfig::iterations)
      .def_readwrite("train_size", &TrainConfig::train_size)
      .def_readwrite("val_split", &TrainConfig::val_split)
      .def_readwrite("early_stopping", &TrainConfig::early_stopping)
      .def_readwrite("early_stopping_metric", &TrainConfig::early_stopping_metric)
      .def_readwrite("min_delta", &TrainConfig::min_delta)
      .def_readwrite("seed", &TrainConfig::seed)
      .def_readwrite("split_seed", &TrainConfig::split_seed)
      .def_readwrite("shuffle_seed", &TrainConfig::shuffle_seed)
      .def_readwrite("threads", &TrainConfig::threads, "0: every core")
      .def("check", &check_config, "Raises ValueError naming the flag whose value makes no sense.")
      .def(
          "command", [](const TrainConfig& c) { return train_command(c); },
          "The nnlab train command of the same run, e.g. 'nnlab train --model simple-cnn --epochs 5'.")
      .def(
          "args", [](const TrainConfig& c) { return train_args(c); }, "The flags of command(), as a list.")
      .def(
          "to_json", [](const TrainConfig& c) { return to_json(c).dump(); }, "The config as JSON text.")
      .def_static(
          "from_json", [](const std::string& text) { return train_config_from_json(nlohmann::json::parse(text)); },
          "The config of to_json()'s text.");

  m.def(
      "fit",
      [](PyModel& model, const TrainConfig& given, py::handle x, py::handle y, py::handle val_x, py::handle val_y,
         py::object callbacks) {
        TrainConfig config = given;
        config.model = model.model.spec();
        if (config.loss == "auto" && !model.loss.empty()) config.loss = model.loss;
        check_config(config);
        const Shape sample = model.model.input_shape();
        const Dataset train = to_dataset(x, y, sample, model.outputs(), "x", "y");
        std::optional<Dataset> validation;
        if (!val_x.is_none() || !val_y.is_none()) {
          validation = to_dataset(val_x, val_y, sample, model.outputs(), "validation_data x", "validation_data y");
        }
        auto bridge_callbacks = callbacks.is_none() ? nullptr : std::make_shared<PythonCallbacks>(callbacks);
        std::unique_ptr<Training> run;
        {
          py::gil_scoped_release release;
          std::lock_guard lock(model.mutex);
          run = validation ? std::make_unique<Training>(config, train, *validation, bridge(bridge_callbacks))
                           : std::make_unique<Training>(config, train, bridge(bridge_callbacks));
          // The run starts from the model's weights (it initialised its own copy as the CLI does:
          // the same draws, so the batches that follow are the CLI's).
          load_model_state_dict(run->model(), model_state_dict(model.model));
        }
        const History history = fit_released(*run, bridge_callbacks, [&](const History&) {
          py::gil_scoped_release release;
          std::lock_guard lock(model.mutex);
          load_model_state_dict(model.model, model_state_dict(run->model()));
          model.loss = run->loss().spec();
        });
        return history_dict(history);
      },
      py::arg("model"), py::arg("config"), py::arg("x"), py::arg("y"), py::arg("val_x") = py::none(),
      py::arg("val_y") = py::none(), py::arg("callbacks") = py::none(),
      "Trains `model` from its weights as `config` says (its model field is the model's spec) on (x, y), with "
      "(val_x, val_y) as validation data when given (config.val_split must then be 0). Returns the history as a "
      "dict of plain lists. The weights are copied into the run and back when it ends (also when a callback "
      "raises or Ctrl-C stops it; not when training diverges).");

  m.def(
      "train",
      [](const TrainConfig& config, const std::string& data, const std::string& target, const std::string& task,
         double test_split, py::object callbacks) {
        check_config(config);
        TableOptions table;
        table.target = target;
        table.task = task;
        table.test_split = test_split;
        LoadedData loaded;
        {
          py::gil_scoped_release release;
          loaded = load_data(data, table);
        }
        if (loaded.stream)
          throw std::invalid_argument("data " + data + " is streamed from its file: use the CLI for it");
        auto bridge_callbacks = callbacks.is_none() ? nullptr : std::make_shared<PythonCallbacks>(callbacks);
        Training run(config, loaded.split.train, bridge(bridge_callbacks));
        const History history = fit_released(run, bridge_callbacks, [](const History&) {});
        auto model = std::make_unique<PyModel>(run.take_model());
        model->loss = run.loss().spec();
        model->classes = loaded.classes;
        Metrics test;
        const int count = resolve_threads(config.threads);
        {
          py::gil_scoped_release release;
          const ThreadScope scope(count);
          test = evaluate(model->model, run.loss(), loaded.split.test);
        }
        py::dict result;
        result["model"] = py::cast(std::move(model));
        result["history"] = history_dict(history);
        result["test"] = metrics_to_dict(test, loaded.split.test.classification());
        result["data"] = loaded.split.description;
        result["command"] = train_command(config) + (data.empty() || data == "mnist" ? "" : " --data " + data);
        return result;
      },
      py::arg("config"), py::arg("data") = "mnist", py::arg("target") = "", py::arg("task") = "auto",
      py::arg("test_split") = 0.2, py::arg("callbacks") = py::none(),
      "nnlab train in one call: the data by the CLI's --data name, the model built and initialised from the "
      "config, the same seed giving the same run as the command line. Returns {'model', 'history', 'test', 'data', "
      "'command'}.");
}

}  // namespace nnlab::python
