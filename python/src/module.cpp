/// @file module.cpp
/// The extension module lactsim._lactsim. Users import `lactsim`, whose Python layer
/// (python/lactsim) wraps these functions with documented signatures.

#include "bindings.hpp"
#include "lactsim/io/input_limits.hpp"

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
  module.attr("ARGUMENTS_ORIGIN") = lactsim::kArgumentsOrigin;
  module.def(
      "limits",
      [] {
        namespace limits = lactsim::limits;
        pybind11::dict out;
        out["max_samples"] = limits::kMaxSamples;
        out["max_threads"] = limits::kMaxThreads;
        out["max_bootstrap"] = limits::kMaxBootstrap;
        out["max_multistart"] = limits::kMaxMultistart;
        out["max_morris_levels"] = limits::kMaxMorrisLevels;
        out["max_block_size"] = limits::kMaxBlockSize;
        return out;
      },
      "The limits the command line puts on counts (io/input_limits.hpp), for the same checks in Python.");
  lactsim::python::bind_scenario(module);
  lactsim::python::bind_simulation(module);
  lactsim::python::bind_analysis(module);
}
