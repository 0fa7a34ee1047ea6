/// @file module.cpp
/// The extension module lactsim._lactsim. Users import `lactsim`, whose Python layer
/// (python/lactsim) wraps these functions with documented signatures.

#include "bindings.hpp"

namespace lactsim::python {
namespace {

/// Raises lactsim.errors.<class_name>(*arguments).
void raise_python_error(const char* class_name, const py::tuple& arguments) {
  const py::object error_class = py::module_::import("lactsim.errors").attr(class_name);
  const py::object error = error_class(*arguments);
  PyErr_SetObject(error_class.ptr(), error.ptr());
}

}  // namespace

void bind_errors(py::module_& /*module*/) {
  // The exception classes live in lactsim/errors.py (plain Python, so they carry attributes
  // and docstrings); InputError is a ScenarioError, SimulationError a SimulationError, any
  // other lactsim::Error a LactsimError. Their messages are the CLI's, word for word.
  py::register_exception_translator([](std::exception_ptr pending) {
    try {
      if (pending) std::rethrow_exception(pending);
    } catch (const InputError& error) {
      raise_python_error("ScenarioError", py::make_tuple(error.what(), error.where().file, error.where().line,
                                                         error.where().column, error.field()));
    } catch (const Cancelled&) {  // only a token of ours cancels: Ctrl-C (normally re-raised before)
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    } catch (const SimulationError& error) {
      raise_python_error("SimulationError", py::make_tuple(error.what(), error.time_h(), error.state()));
    } catch (const Error& error) {
      raise_python_error("LactsimError", py::make_tuple(error.what()));
    }
  });
}

}  // namespace lactsim::python

PYBIND11_MODULE(_lactsim, module) {
  module.doc() = "lactsim's C++ library, bound for the Python package `lactsim` (use that package instead).";
  lactsim::python::bind_errors(module);
  lactsim::python::bind_scenario(module);
  lactsim::python::bind_simulation(module);
  lactsim::python::bind_analysis(module);
}
