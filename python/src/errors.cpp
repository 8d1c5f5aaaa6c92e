// nnlab's exceptions as Python's, with nnlab's message: bad arguments are ValueError,
// a diverged run is nnlab.TrainingDiverged (a RuntimeError), files are OSError (io.cpp
// raises FileNotFoundError itself), the rest RuntimeError.

#include <stdexcept>

#include "nnlab/train/trainer.h"
#include "py_model.h"

namespace nnlab::python {

void bind_errors(py::module_& m) {
  static py::exception<TrainingDiverged> diverged(m, "TrainingDiverged", PyExc_RuntimeError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const TrainingDiverged& e) {
      diverged(e.what());
    } catch (const std::invalid_argument& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const std::out_of_range& e) {
      PyErr_SetString(PyExc_IndexError, e.what());
    } catch (const std::domain_error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const std::length_error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const std::logic_error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
}

}  // namespace nnlab::python
