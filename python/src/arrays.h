#pragma once
// Tensors to and from NumPy at the module's boundary.
//
// To NumPy without copying: an array over a tensor's own memory, whose base object keeps that
// memory alive (the model for its parameters, a capsule owning the tensor for results).
// From NumPy: a Tensor owns its storage (a std::vector) and cannot adopt memory it did not
// allocate, so an input array is copied exactly once, into the tensor the library reads;
// float64 and integer arrays are converted to float32 in that same copy, and a non-contiguous
// array is gathered by it.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

#include "nnlab/data/dataset.h"
#include "nnlab/tensor/tensor.h"

namespace nnlab::python {

namespace py = pybind11;

// The array over `tensor`'s memory, kept alive by `owner` (the Python object that owns the tensor).
py::array_t<float> view(Tensor<float>& tensor, py::handle owner);
// The tensor moved into the array's base: the array is its only owner.
py::array_t<float> to_numpy(Tensor<float>&& tensor);

// `value` as a float32 tensor, copied once; `name` is the argument's name in messages.
// Throws std::invalid_argument (ValueError) for something that is not an array of numbers, of
// rank 1 to 4 and not empty.
Tensor<float> to_tensor(py::handle value, const std::string& name);

// Inputs `x` of samples of shape `sample` (a batch, or one sample: the batch dimension is then
// added; a sample of as many elements in another shape is reshaped, as a Linear flattens its
// input). Throws std::invalid_argument naming `name` and both shapes.
Tensor<float> to_batch(py::handle x, const Shape& sample, const std::string& name);

// Targets for `rows` samples of a model with `outputs` outputs: integer labels of shape (N,)
// (classification, each in [0, outputs)) or values of shape (N,) or (N, outputs) (regression).
// Throws std::invalid_argument naming `name`.
Dataset to_dataset(py::handle x, py::handle y, const Shape& sample, int64_t outputs, const std::string& x_name,
                   const std::string& y_name);

// "(128, 784)"
std::string shape_text(const Shape& shape);

}  // namespace nnlab::python
