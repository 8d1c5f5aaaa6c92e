// Models to and from safetensors files (the files nnlab train writes and PyTorch reads).

#include <pybind11/stl.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "nnlab/export/onnx.h"
#include "nnlab/io/model_file.h"
#include "py_model.h"

namespace nnlab::python {

namespace {

constexpr const char* kClassNamesKey = "nnlab.class_names";

[[noreturn]] void raise(PyObject* type, const std::string& message) {
  PyErr_SetString(type, message.c_str());
  throw py::error_already_set();
}

// The class names a file keeps: ours, or those of nnlab train's data description.
std::vector<std::string> class_names(const std::map<std::string, std::string>& metadata) {
  for (const char* key : {kClassNamesKey, "nnlab.data"}) {
    const auto it = metadata.find(key);
    if (it == metadata.end()) continue;
    const nlohmann::json j = nlohmann::json::parse(it->second, nullptr, /*allow_exceptions=*/false);
    const nlohmann::json& names = j.is_object() && j.contains("classes") ? j["classes"] : j;
    if (!names.is_array()) continue;
    std::vector<std::string> out;
    for (const auto& name : names) {
      if (name.is_string()) out.push_back(name.get<std::string>());
    }
    if (!out.empty()) return out;
  }
  return {};
}

}  // namespace

void bind_io(py::module_& m) {
  m.def(
      "save",
      [](PyModel& model, const std::string& path) {
        std::map<std::string, std::string> metadata;
        if (!model.loss.empty()) metadata["nnlab.loss"] = model.loss;
        if (!model.classes.empty()) metadata[kClassNamesKey] = nlohmann::json(model.classes).dump();
        try {
          py::gil_scoped_release release;
          std::lock_guard lock(model.mutex);
          save_model(model.model, path, metadata);
        } catch (const std::runtime_error& e) {
          raise(PyExc_OSError, e.what());
        }
      },
      py::arg("model"), py::arg("path"),
      "Writes the model as a safetensors file (atomically), with its spec, input shape, loss and class names; "
      "OSError naming the path when it cannot be written.");
  m.def(
      "export_onnx",
      [](PyModel& model, const std::string& path) {
        OnnxExport written;
        try {
          py::gil_scoped_release release;
          std::lock_guard lock(model.mutex);
          written = export_onnx(model.model, path);
        } catch (const std::runtime_error& e) {
          raise(PyExc_OSError, e.what());
        }
        py::dict info;
        info["path"] = written.path;
        info["input"] = written.input_name;
        info["output"] = written.output_name;
        info["nodes"] = written.nodes;
        info["opset"] = written.opset;
        return info;
      },
      py::arg("model"), py::arg("path"),
      "Writes the model as an ONNX file (opset 17, a dynamic batch dimension; docs/export.md), whole or not at "
      "all; returns its path, the names of its input and output, its node count and opset. OSError naming the layer or the path when "
      "it cannot be exported or written.");
  m.def(
      "load",
      [](const std::string& path) {
        if (!std::filesystem::exists(path)) raise(PyExc_FileNotFoundError, "no such model file: " + path);
        std::unique_ptr<PyModel> model;
        try {
          py::gil_scoped_release release;
          LoadedModel loaded = load_model(path);
          model = std::make_unique<PyModel>(std::move(loaded.model));
          model->metadata = std::move(loaded.metadata);
        } catch (const std::runtime_error& e) {
          raise(PyExc_OSError, e.what());
        }
        const auto loss = model->metadata.find("nnlab.loss");
        if (loss != model->metadata.end()) model->loss = loss->second;
        model->classes = class_names(model->metadata);
        return model;
      },
      py::arg("path"),
      "The model of a safetensors file nnlab wrote (nnlab train's model.safetensors included), in eval mode. "
      "FileNotFoundError when it is missing, OSError naming the problem when it is no nnlab model.");
}

}  // namespace nnlab::python
