// Datasets as NumPy arrays: the bundled MNIST sample, Fashion-MNIST, the classic tables, CSV
// files, image folders and the 2-D toys, by the names `nnlab train --data` takes. Inputs come
// out without a copy (the array owns the library's tensor); class labels as int64 (converted).

#include <pybind11/stl.h>

#include <filesystem>

#include "arrays.h"
#include "nnlab/data/data_source.h"
#include "nnlab/data/toy_datasets.h"
#include "py_model.h"

namespace nnlab::python {

namespace {

py::array labels(Dataset& data) {
  if (!data.classification()) return to_numpy(std::move(data.y));
  py::array_t<int64_t> out(static_cast<py::ssize_t>(data.y.size()));
  auto w = out.mutable_unchecked<1>();
  for (int64_t i = 0; i < data.y.size(); ++i) w(i) = static_cast<int64_t>(data.y[i]);
  return out;
}

// Whether `data` names a file or folder (rather than a dataset by name), and it is missing.
bool missing_path(const std::string& data) {
  const bool named = data.empty() || data == "mnist" || data == "fashion-mnist" || is_toy_dataset(data) ||
                     bundled_table_names().find(data) != std::string::npos;
  return !named && !std::filesystem::exists(data);
}

}  // namespace

void bind_data(py::module_& m) {
  m.def(
      "load_data",
      [](const std::string& data, const std::string& target, const std::string& task, double test_split) {
        if (missing_path(data)) {
          PyErr_SetString(PyExc_FileNotFoundError,
                          ("no such file or folder: " + data + " (data names: mnist, fashion-mnist, " +
                           bundled_table_names() + ", spirals, circles, xor, blobs, sine, or a CSV file or folder)")
                              .c_str());
          throw py::error_already_set();
        }
        TableOptions table;
        table.target = target;
        table.task = task;
        table.test_split = test_split;
        table.stream = "off";
        LoadedData loaded;
        {
          py::gil_scoped_release release;
          loaded = load_data(data, table);
        }
        py::dict d;
        d["x_train"] = to_numpy(std::move(loaded.split.train.x));
        d["y_train"] = labels(loaded.split.train);
        d["x_test"] = to_numpy(std::move(loaded.split.test.x));
        d["y_test"] = labels(loaded.split.test);
        d["classes"] = loaded.classes;
        d["num_classes"] = loaded.split.train.num_classes;
        d["kind"] = loaded.kind;
        d["name"] = loaded.name;
        d["description"] = loaded.split.description;
        return d;
      },
      py::arg("data") = "mnist", py::arg("target") = "", py::arg("task") = "auto", py::arg("test_split") = 0.2,
      "The data `nnlab train --data DATA` trains on, split as it splits it: a dict of x_train, y_train, x_test, "
      "y_test (NumPy; images N×C×H×W float32 in [0, 1], labels int64, regression targets float32 N×K), classes, "
      "num_classes, kind, name and description. Raises FileNotFoundError for a missing file, ValueError or "
      "RuntimeError naming the problem otherwise.");

  m.def(
      "toy_dataset",
      [](const std::string& name, int64_t samples, double noise, uint64_t seed) {
        Dataset data = make_toy_dataset(name, {.samples = samples, .noise = noise, .seed = seed});
        return py::make_tuple(to_numpy(std::move(data.x)), labels(data));
      },
      py::arg("name"), py::arg("samples") = 1000, py::arg("noise") = 0.1, py::arg("seed") = 0,
      "A 2-D toy dataset (spirals, circles, xor, blobs; sine: regression) as (x, y), generated from the seed.");
  m.def("toy_dataset_names", &toy_dataset_names, "spirals, circles, xor, blobs, sine.");
  m.def("bundled_table_names", &bundled_table_names, "The classic tables bundled in data/tables.");
  m.def("default_mnist_folder", &default_mnist_folder, "$NNLAB_DATA, or the bundled data/mnist.");
  m.attr("FASHION_MNIST_FOLDER") = kFashionMnistFolder;
}

}  // namespace nnlab::python
