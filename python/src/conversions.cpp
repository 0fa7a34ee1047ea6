#include <cstdint>
#include <memory>

#include "bindings.hpp"
#include "lactsim/analysis/parallel_runner.hpp"

namespace lactsim::python {

SolverOptions solver_options(const std::optional<std::string>& solver, double rtol, double atol) {
  const SolverMethod method = solver ? parse_solver_method(*solver, "solver") : kDefaultSolverMethod;
  return solver_options_with_tolerances(rtol, atol, method);
}

py::array_t<double> to_array(const std::vector<double>& values) {
  py::array_t<double> array(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), array.mutable_data());
  return array;
}

py::dict to_table(const std::vector<ResultColumn>& table) {
  py::dict columns, units;
  for (const ResultColumn& column : table) {
    const py::str name(column.name.data(), column.name.size());
    if (column.integer) {
      py::array_t<std::int64_t> array(static_cast<py::ssize_t>(column.values.size()));
      std::int64_t* out = array.mutable_data();
      for (double v : column.values) *out++ = static_cast<std::int64_t>(v);
      columns[name] = std::move(array);
    } else {
      columns[name] = to_array(column.values);
    }
    units[name] = py::str(column.unit.data(), column.unit.size());
  }
  py::dict out;
  out["columns"] = columns;
  out["units"] = units;
  return out;
}

ProgressCallback PythonRunControl::progress_callback() {
  return [this](std::size_t done, std::size_t total) {
    run_python([&] {
      if (!progress_.is_none()) progress_(done, total);
    });
  };
}

void PythonRunControl::rethrow() {
  if (failure_) {
    const auto failure = std::move(failure_);
    throw py::error_already_set(*failure);
  }
}

unsigned thread_count(unsigned threads) { return threads == 0 ? default_thread_count() : threads; }

}  // namespace lactsim::python
