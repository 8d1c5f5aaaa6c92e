// _nnlab: the compiled part of `import nnlab` (python/nnlab/__init__.py is the rest).

#include <pybind11/pybind11.h>

#include "py_model.h"

PYBIND11_MODULE(_nnlab, m) {
  m.doc() = "nnlab's library, compiled: models, training, data, experiments and files. Use it through `import nnlab`.";
  nnlab::python::bind_errors(m);
  nnlab::python::bind_models(m);
  nnlab::python::bind_data(m);
  nnlab::python::bind_training(m);
  nnlab::python::bind_experiments(m);
  nnlab::python::bind_io(m);
}
