#pragma once
/// @file bindings.hpp
/// Shared pieces of the pybind11 extension lactsim._lactsim: one bind_* function per
/// file, and the conversions between library results and Python objects. The extension
/// only converts and forwards: every computation is a library call.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lactsim/engine/errors.hpp"
#include "lactsim/engine/run_control.hpp"
#include "lactsim/io/run_outputs.hpp"
#include "lactsim/engine/solver_options.hpp"

namespace lactsim::python {

namespace py = pybind11;

/// Where errors about Python arguments are located: where the library locates errors in its
/// arguments (kArgumentsOrigin), so one rule holds from C++ and Python; the field names the
/// Python keyword (lactsim/_api.py restates library argument names that differ).
inline const SourceLocation kPythonArgument{kArgumentsOrigin, 0, 0};

/// Registers the translation of lactsim's C++ errors to lactsim.errors' exceptions.
void bind_errors(py::module_& module);
/// Scenario loading, overrides and the parameter registry.
void bind_scenario(py::module_& module);
/// simulate() and endpoints().
void bind_simulation(py::module_& module);
/// Sweeps, populations, comparisons, sensitivity analyses and fits.
void bind_analysis(py::module_& module);

/// Solver options from the Python arguments: `solver` None means the library's default method.
/// @throws InputError naming "solver", "rtol" or "atol"
SolverOptions solver_options(const std::optional<std::string>& solver, double rtol, double atol);

/// A copy of `values` as a 1-D float64 array.
py::array_t<double> to_array(const std::vector<double>& values);

/// A result table as {"columns": {name: array}, "units": {name: unit}}; integer columns
/// become int64 arrays.
py::dict to_table(const std::vector<ResultColumn>& table);

/// Steers a long library call from Python: the call runs with the GIL released, and after
/// each block the library's progress callback (on the calling thread) takes the GIL, runs
/// Python's signal handlers (Ctrl-C raises KeyboardInterrupt there) and the user's progress
/// callback. Either raising cancels the token, so the call stops at that block boundary;
/// rethrow() (GIL held, after the call) then raises that exception.
class PythonRunControl {
 public:
  /// @param progress  None, or called as progress(done, total)
  explicit PythonRunControl(py::object progress = py::none()) : progress_(std::move(progress)) {}
  PythonRunControl(const PythonRunControl&) = delete;
  PythonRunControl& operator=(const PythonRunControl&) = delete;

  /// The token to pass to the library call.
  const CancellationToken* token() const { return &token_; }
  /// The progress callback to pass to the library call.
  ProgressCallback progress_callback();
  /// Runs `python_code` (which may call into Python) under the GIL after checking for
  /// Ctrl-C; an exception it raises is kept and cancels the call. False once cancelled.
  template <class Code>
  bool run_python(Code&& python_code) {
    if (token_.cancelled()) return false;
    py::gil_scoped_acquire gil;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      python_code();
    } catch (py::error_already_set& error) {
      failure_ = std::make_shared<py::error_already_set>(std::move(error));
      token_.cancel();
    }
    return !token_.cancelled();
  }
  /// Raises the exception that cancelled the call, if any (GIL held).
  void rethrow();

 private:
  CancellationToken token_;
  py::object progress_;
  std::shared_ptr<py::error_already_set> failure_;
};

/// Threads from Python's `threads` argument: 0 means every core.
unsigned thread_count(unsigned threads);

}  // namespace lactsim::python
