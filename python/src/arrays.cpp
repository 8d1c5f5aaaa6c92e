#include "arrays.h"

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace nnlab::python {

namespace {

std::vector<py::ssize_t> dims(const Shape& shape) {
  std::vector<py::ssize_t> out;
  for (int i = 0; i < shape.rank(); ++i) out.push_back(static_cast<py::ssize_t>(shape[i]));
  return out;
}

std::string array_shape_text(const py::array& array) {
  std::string text = "(";
  for (py::ssize_t i = 0; i < array.ndim(); ++i) {
    text += (i ? ", " : "") + std::to_string(array.shape(i));
  }
  return text + (array.ndim() == 1 ? ",)" : ")");
}

// The value as a NumPy array of numbers (a list becomes one), unconverted.
py::array numeric_array(py::handle value, const std::string& name) {
  if (value.is_none()) throw std::invalid_argument(name + " is None; expected an array of numbers");
  py::array array;
  try {
    array = py::array::ensure(value);
  } catch (const py::error_already_set&) {
  }
  if (!array) {
    throw std::invalid_argument(name + " must be a NumPy array of numbers, got " +
                                std::string(py::str(py::type::handle_of(value).attr("__name__"))));
  }
  const char kind = array.dtype().kind();
  if (kind != 'f' && kind != 'i' && kind != 'u') {
    throw std::invalid_argument(name + " must hold numbers (float32, float64 or integers), got dtype " +
                                std::string(py::str(array.dtype())));
  }
  return array;
}

}  // namespace

std::string shape_text(const Shape& shape) {
  std::string text = "(";
  for (int i = 0; i < shape.rank(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + (shape.rank() == 1 ? ",)" : ")");
}

py::array_t<float> view(Tensor<float>& tensor, py::handle owner) {
  return py::array_t<float>(dims(tensor.shape()), tensor.data(), owner);
}

py::array_t<float> to_numpy(Tensor<float>&& tensor) {
  auto* owned = new Tensor<float>(std::move(tensor));
  py::capsule base(owned, [](void* p) { delete static_cast<Tensor<float>*>(p); });
  return py::array_t<float>(dims(owned->shape()), owned->data(), base);
}

Tensor<float> to_tensor(py::handle value, const std::string& name) {
  const py::array array = numeric_array(value, name);
  if (array.ndim() < 1 || array.ndim() > Shape::kMaxRank) {
    throw std::invalid_argument(name + " must have 1 to 4 dimensions, got " + std::to_string(array.ndim()) +
                                " (shape " + array_shape_text(array) + ")");
  }
  if (array.size() == 0) throw std::invalid_argument(name + " is empty (shape " + array_shape_text(array) + ")");
  // One copy: NumPy converts (float64 → float32) and gathers (non-contiguous) as it copies.
  const auto contiguous = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(array);
  if (!contiguous) throw py::error_already_set();
  std::vector<int64_t> shape;
  for (py::ssize_t i = 0; i < array.ndim(); ++i) shape.push_back(array.shape(i));
  Tensor<float> tensor{Shape(shape)};
  std::memcpy(tensor.data(), contiguous.data(), sizeof(float) * static_cast<size_t>(tensor.size()));
  for (const float v : tensor) {
    if (!std::isfinite(v)) throw std::invalid_argument(name + " holds NaN or infinite values");
  }
  return tensor;
}

Tensor<float> to_batch(py::handle x, const Shape& sample, const std::string& name) {
  Tensor<float> tensor = to_tensor(x, name);
  if (tensor.rank() == sample.rank() && tensor.shape() == sample) {
    tensor.reshape(sample.with_batch(1));
    return tensor;
  }
  const Shape got = tensor.shape().sample_shape();
  if (tensor.rank() >= 2 && got != sample && got.numel() == sample.numel())
    tensor.reshape(sample.with_batch(tensor.dim(0)));
  if (tensor.rank() < 2 || tensor.shape().sample_shape() != sample) {
    throw std::invalid_argument(name + " of shape " + shape_text(tensor.shape()) +
                                " for a model that takes samples of shape " + shape_text(sample) + ": give (N, " +
                                shape_text(sample).substr(1));
  }
  return tensor;
}

Dataset to_dataset(py::handle x, py::handle y, const Shape& sample, int64_t outputs, const std::string& x_name,
                   const std::string& y_name) {
  Dataset data;
  data.x = to_batch(x, sample, x_name);
  const py::array labels = numeric_array(y, y_name);
  const int64_t rows = data.x.dim(0);
  if (labels.ndim() < 1 || labels.shape(0) != rows) {
    throw std::invalid_argument(y_name + " of shape " + array_shape_text(labels) + " for " + std::to_string(rows) +
                                " samples in " + x_name + ": give one target per sample");
  }
  if (labels.dtype().kind() != 'f') {
    if (labels.ndim() != 1) {
      throw std::invalid_argument(y_name + ": class labels must have shape (N,), got " + array_shape_text(labels));
    }
    const auto as_int = py::array_t<int64_t, py::array::c_style | py::array::forcecast>::ensure(labels);
    if (!as_int) throw py::error_already_set();
    data.y = Tensor<float>(Shape{rows});
    for (int64_t i = 0; i < rows; ++i) {
      const int64_t label = as_int.at(i);
      if (label < 0 || label >= outputs) {
        throw std::invalid_argument(y_name + "[" + std::to_string(i) + "] is class " + std::to_string(label) +
                                    "; the model has " + std::to_string(outputs) + " outputs (classes 0 to " +
                                    std::to_string(outputs - 1) + ")");
      }
      data.y[i] = static_cast<float>(label);
    }
    data.num_classes = static_cast<int>(outputs);
    return data;
  }
  data.y = to_tensor(labels, y_name);
  if (data.y.rank() == 1) data.y.reshape(Shape{rows, 1});
  if (data.y.rank() != 2 || data.y.dim(1) != outputs) {
    throw std::invalid_argument(y_name + " of float targets has shape " + shape_text(data.y.shape()) + "; a model of " +
                                std::to_string(outputs) + " outputs needs (N, " + std::to_string(outputs) +
                                ") for regression, or integer class labels of shape (N,)");
  }
  data.num_classes = 0;
  return data;
}

}  // namespace nnlab::python
