// The classic demonstrations (docs/experiments.md), their results as plain data: dicts of
// lists and NumPy arrays, to plot with whatever one likes.

#include <pybind11/stl.h>

#include "arrays.h"
#include "nnlab/data/mnist.h"
#include "nnlab/experiments/activation_histograms.h"
#include "nnlab/experiments/decision_boundary.h"
#include "nnlab/experiments/filters.h"
#include "nnlab/experiments/optimizer_paths.h"
#include "nnlab/experiments/regression.h"
#include "nnlab/experiments/training_comparison.h"
#include "nnlab/kernels/threads.h"
#include "py_model.h"

namespace nnlab::python {

namespace {

py::list outcomes(const std::vector<TrainingOutcome>& runs) {
  py::list out;
  for (const TrainingOutcome& r : runs) {
    py::dict d;
    d["label"] = r.label;
    d["optimizer"] = r.optimizer;
    d["init"] = r.init;
    d["step_loss"] = std::vector<double>(r.step_loss.begin(), r.step_loss.end());
    d["final_loss"] = r.final_loss;
    d["test_accuracy"] = r.test_accuracy;
    d["seconds"] = r.seconds;
    d["failure"] = r.failure;
    out.append(d);
  }
  return out;
}

py::list compare(const std::vector<TrainingRun>& runs, int64_t iterations, int64_t batch_size, uint64_t seed,
                 int threads) {
  ComparisonSettings settings;
  settings.iterations = iterations;
  settings.batch_size = batch_size;
  settings.seed = seed;
  const int count = resolve_threads(threads);
  std::vector<TrainingOutcome> result;
  {
    py::gil_scoped_release release;
    const ThreadScope scope(count);
    result = compare_training(load_mnist(default_mnist_folder()), settings, runs);
  }
  return outcomes(result);
}

}  // namespace

void bind_experiments(py::module_& m) {
  m.def(
      "optimizer_paths",
      [](const std::string& surface_name, int steps) {
        if (surface_name != "bowl" && surface_name != "saddle") {
          throw std::invalid_argument("surface must be bowl or saddle, got '" + surface_name + "'");
        }
        if (steps < 1) throw std::invalid_argument("steps must be at least 1, got " + std::to_string(steps));
        const bool bowl = surface_name == "bowl";
        const Surface surface = bowl ? bowl_surface() : saddle_surface();
        py::list out;
        for (const PathSetting& setting : bowl ? bowl_settings() : saddle_settings()) {
          const OptimizerPath path = run_path(surface, setting, steps);
          py::dict d;
          d["label"] = path.label;
          d["optimizer"] = path.optimizer;
          d["x"] = path.x;
          d["y"] = path.y;
          d["loss"] = path.loss;
          d["escape_step"] = path.escape_step;
          out.append(d);
        }
        return out;
      },
      py::arg("surface") = "bowl", py::arg("steps") = 30,
      "Each optimizer minimising f(x, y) = x²/20 + y² (bowl) or x² − y² (saddle): a list of {label, optimizer, x, "
      "y, loss, escape_step}, steps + 1 points each.");

  m.def(
      "decision_boundary",
      [](const std::string& dataset, const std::vector<int64_t>& hidden, int epochs, int resolution, uint64_t seed,
         int threads) {
        BoundarySettings settings;
        settings.epochs = epochs;
        settings.resolution = resolution;
        settings.seed = seed;
        BoundaryModel model{"hidden " + std::to_string(hidden.size()), hidden};
        const int count = resolve_threads(threads);
        BoundaryStudy study;
        {
          py::gil_scoped_release release;
          const ThreadScope scope(count);
          study = learn_boundary(dataset, model, settings);
        }
        py::dict d;
        d["spec"] = study.spec;
        d["classes"] = study.classes;
        d["box"] = std::vector<double>{study.x_min, study.x_max, study.y_min, study.y_max};
        d["train_accuracy"] = study.train_metrics.accuracy;
        d["test_accuracy"] = study.test_metrics.accuracy;
        const int side = study.resolution + 1;
        Tensor<float> map(Shape{side, side, study.classes});
        const std::vector<double>& p = study.snapshots.back().probabilities;
        for (size_t i = 0; i < p.size() && static_cast<int64_t>(i) < map.size(); ++i)
          map[static_cast<int64_t>(i)] = static_cast<float>(p[i]);
        d["probabilities"] = to_numpy(std::move(map));
        d["test_x"] = to_numpy(std::move(study.test.x));
        d["seconds"] = study.seconds;
        return d;
      },
      py::arg("dataset") = "spirals", py::arg("hidden") = std::vector<int64_t>{64, 64}, py::arg("epochs") = 30,
      py::arg("resolution") = 60, py::arg("seed") = 0, py::arg("threads") = 1,
      "Trains an MLP of `hidden` ReLU layers on a 2-D toy and maps its class probabilities over the plane: "
      "{spec, classes, box (x_min, x_max, y_min, y_max), train_accuracy, test_accuracy, probabilities "
      "((resolution+1)² × classes as a grid), test_x, seconds}.");

  m.def(
      "activation_histograms",
      [](const std::vector<std::string>& activations, int64_t samples, int64_t units, int layers, uint64_t seed) {
        HistogramSettings settings;
        settings.samples = samples;
        settings.units = units;
        settings.layers = layers;
        settings.seed = seed;
        py::list out;
        for (const ActivationStudy& study : activation_histograms(settings, activations)) {
          py::dict d;
          d["activation"] = study.activation;
          d["init"] = study.init;
          py::list layer_list;
          for (const LayerActivations& layer : study.layers) {
            py::dict l;
            l["values"] = py::array_t<float>(static_cast<py::ssize_t>(layer.values.size()), layer.values.data());
            l["mean"] = layer.mean;
            l["std"] = layer.std;
            l["saturated"] = layer.saturated;
            l["zero"] = layer.zero;
            layer_list.append(l);
          }
          d["layers"] = layer_list;
          out.append(d);
        }
        return out;
      },
      py::arg("activations") = std::vector<std::string>{"sigmoid", "tanh", "relu"}, py::arg("samples") = 1000,
      py::arg("units") = 100, py::arg("layers") = 5, py::arg("seed") = 0,
      "The textbook's activation histograms (ch. 6.2): for each activation × initialiser, each layer's "
      "activations (values, mean, std, saturated, zero).");

  m.def(
      "compare_optimizers",
      [](int64_t iterations, int64_t batch_size, uint64_t seed, int threads) {
        return compare(textbook_optimizer_runs(), iterations, batch_size, seed, threads);
      },
      py::arg("iterations") = 2000, py::arg("batch_size") = 128, py::arg("seed") = 0, py::arg("threads") = 0,
      "The textbook's optimizer comparison on MNIST (ch. 6.1.8): a list of {label, optimizer, init, step_loss, "
      "final_loss, test_accuracy, seconds, failure}.");
  m.def(
      "compare_inits",
      [](int64_t iterations, int64_t batch_size, uint64_t seed, int threads) {
        return compare(textbook_init_runs(), iterations, batch_size, seed, threads);
      },
      py::arg("iterations") = 2000, py::arg("batch_size") = 128, py::arg("seed") = 0, py::arg("threads") = 0,
      "The textbook's initialisation comparison on MNIST (ch. 6.2.4), as compare_optimizers.");

  m.def(
      "learn_filters",
      [](int epochs, int64_t train_size, uint64_t seed, int threads) {
        FilterSettings settings;
        settings.epochs = epochs;
        settings.train_size = train_size;
        settings.seed = seed;
        const int count = resolve_threads(threads);
        FilterStudy study;
        {
          py::gil_scoped_release release;
          const ThreadScope scope(count);
          study = learn_filters(load_mnist(default_mnist_folder()), settings);
        }
        py::dict d;
        d["spec"] = study.spec;
        d["before"] = to_numpy(std::move(study.before));
        d["after"] = to_numpy(std::move(study.after));
        d["roughness_before"] = study.roughness_before;
        d["roughness_after"] = study.roughness_after;
        d["test_accuracy"] = study.test.accuracy;
        d["seconds"] = study.seconds;
        return d;
      },
      py::arg("epochs") = 5, py::arg("train_size") = 0, py::arg("seed") = 0, py::arg("threads") = 0,
      "SimpleConvNet's first-layer filters before and after training (ch. 7.6): {spec, before, after (30×1×5×5), "
      "roughness_before, roughness_after, test_accuracy, seconds}.");

  m.def(
      "learn_regression",
      [](int epochs, uint64_t seed, int threads) {
        RegressionSettings settings;
        settings.epochs = epochs;
        settings.seed = seed;
        const int count = resolve_threads(threads);
        RegressionStudy study;
        {
          py::gil_scoped_release release;
          const ThreadScope scope(count);
          study = learn_regression(settings);
        }
        py::dict d;
        d["xs"] = study.xs;
        for (const HeadStudy* head : {&study.regression, &study.classification}) {
          py::dict h;
          h["spec"] = head->spec;
          h["loss"] = head->loss;
          h["train_loss"] = head->train_loss;
          h["test_loss"] = head->test_loss;
          py::list curves;
          for (const FitCurve& c : head->curves) curves.append(py::make_tuple(c.epoch, c.ys));
          h["curves"] = curves;
          d[py::str(head->task)] = h;
        }
        d["train_x"] = to_numpy(std::move(study.train.x));
        d["train_y"] = to_numpy(std::move(study.train.y));
        return d;
      },
      py::arg("epochs") = 60, py::arg("seed") = 0, py::arg("threads") = 1,
      "The same noisy sine learned by a regression head (MSE) and a classification head (cross-entropy): "
      "{xs, regression, classification (spec, loss, train_loss, test_loss, curves [(epoch, ys)]), train_x, train_y}.");
}

}  // namespace nnlab::python
