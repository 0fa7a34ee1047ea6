/// @file bind_analysis.cpp
/// Designs and sweeps, populations, comparisons, sensitivity analyses and fits: each one
/// library call run with the GIL released and steered by a PythonRunControl.

#include <cstdint>
#include <cstring>

#include "bindings.hpp"
#include "lactsim/analysis/comparison.hpp"
#include "lactsim/analysis/design.hpp"
#include "lactsim/fit/fit.hpp"
#include "lactsim/io/case_table.hpp"
#include "lactsim/analysis/population.hpp"
#include "lactsim/analysis/population_study.hpp"
#include "lactsim/io/population_file.hpp"
#include "lactsim/io/scenario.hpp"
#include "lactsim/analysis/scenario_sensitivity.hpp"
#include "lactsim/analysis/sweep.hpp"

namespace lactsim::python {
namespace {

/// A row-major rows × columns matrix as a 2-D float64 array (copied).
py::array_t<double> to_matrix(const std::vector<double>& values, std::size_t rows, std::size_t columns) {
  py::array_t<double> array({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(columns)});
  if (!values.empty()) std::memcpy(array.mutable_data(), values.data(), values.size() * sizeof(double));
  return array;
}

/// A vector of indices as an int64 array.
template <class Index>
py::array_t<std::int64_t> to_index_array(const std::vector<Index>& values) {
  py::array_t<std::int64_t> array(static_cast<py::ssize_t>(values.size()));
  std::int64_t* out = array.mutable_data();
  for (Index v : values) *out++ = static_cast<std::int64_t>(v);
  return array;
}

/// A table as to_table() gives it, from named columns built by the caller.
py::dict column_table(const std::vector<std::pair<std::string, py::object>>& columns) {
  py::dict values, units;
  for (const auto& [name, column] : columns) {
    values[py::str(name)] = column;
    units[py::str(name)] = "";
  }
  py::dict out;
  out["columns"] = values;
  out["units"] = units;
  return out;
}

/// Rows held by a MemorySweepSink, as the Python layer assembles its sweep table.
py::dict sweep_rows(const MemorySweepSink& rows) {
  py::list status, errors;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    status.append(rows.ok[i] != 0 ? "ok" : "failed");
    errors.append(rows.errors[i]);
  }
  py::dict out;
  out["sample"] = to_index_array(rows.samples);
  out["status"] = status;
  out["parameter_names"] = rows.parameter_names;
  out["endpoint_names"] = rows.endpoint_names;
  out["parameters"] = to_matrix(rows.parameters, rows.size(), rows.parameter_names.size());
  out["endpoints"] = to_matrix(rows.endpoints, rows.size(), rows.endpoint_names.size());
  out["error"] = errors;
  return out;
}

/// A sweep's rows kept in memory, or handed block by block to a Python callback.
class PythonSweepSink final : public SweepSink {
 public:
  PythonSweepSink(py::object on_rows, PythonRunControl& control) : on_rows_(std::move(on_rows)), control_(control) {}

  void begin(const std::vector<std::string>& parameter_names, const std::vector<std::string>& endpoint_names) override {
    kept_.begin(parameter_names, endpoint_names);
  }

  void write(std::span<const SweepRow> rows) override {
    if (on_rows_.is_none()) {
      kept_.write(rows);
      return;
    }
    MemorySweepSink block;
    block.begin(kept_.parameter_names, kept_.endpoint_names);
    block.write(rows);
    control_.run_python([&] { on_rows_(sweep_rows(block)); });
  }

  /// The rows kept (none when they went to the callback).
  const MemorySweepSink& kept() const { return kept_; }

 private:
  py::object on_rows_;
  PythonRunControl& control_;
  MemorySweepSink kept_;
};

Design generated_design(const std::string& kind_text, const std::vector<std::string>& ranges, std::size_t samples,
                        std::uint64_t seed) {
  std::filesystem::path unused;
  const DesignKind kind = parse_design_kind(kind_text, &unused);
  std::vector<ParameterRange> parsed;
  for (const std::string& text : ranges) parsed.push_back(parse_parameter_range(text, kPythonArgument));
  return Design::generated(kind, std::move(parsed), samples, seed);
}

Design samples_design(const std::vector<std::string>& names,
                      const py::array_t<double, py::array::c_style | py::array::forcecast>& matrix) {
  std::vector<double> values(matrix.data(), matrix.data() + matrix.size());
  return Design::from_samples(names, std::move(values));
}

py::dict run_python_sweep(const Scenario& scenario, const Design& design, const std::optional<std::string>& solver,
                          double rtol, double atol, unsigned threads, std::size_t block_size, py::object on_rows,
                          py::object progress) {
  PythonRunControl control(std::move(progress));
  SweepOptions options;
  options.solver = solver_options(solver, rtol, atol);
  options.threads = thread_count(threads);
  options.block_size = block_size;
  options.cancel = control.token();
  options.progress = control.progress_callback();
  options.scenario = &scenario;
  PythonSweepSink sink(std::move(on_rows), control);
  SweepSummary summary;
  {
    py::gil_scoped_release release;
    summary = run_sweep(to_simulation_input(scenario), design, options, sink);
  }
  control.rethrow();
  py::dict out;
  out["rows"] = sweep_rows(sink.kept());
  out["samples"] = summary.samples;
  out["failed"] = summary.failed;
  return out;
}

py::dict run_python_population(Scenario scenario, const std::optional<std::string>& solver, double rtol,
                               double atol, unsigned threads, py::object progress) {
  choose_population(scenario, {});  // the scenario's own table, else the calibrated default
  PythonRunControl control(std::move(progress));
  const SolverOptions options = solver_options(solver, rtol, atol);
  PopulationRun run;
  try {
    py::gil_scoped_release release;
    run = run_population(to_simulation_input(scenario), *scenario.population, options, thread_count(threads),
                         control.progress_callback(), control.token());
  } catch (const Cancelled&) {
    control.rethrow();
    throw;
  }
  py::list status;
  for (const std::string& error : run.errors) status.append(error.empty() ? "ok" : "failed");
  std::vector<std::size_t> mothers(run.mothers);
  for (std::size_t i = 0; i < run.mothers; ++i) mothers[i] = i;
  py::dict out;
  out["mother"] = to_index_array(mothers);
  out["status"] = status;
  out["endpoint_names"] = run.endpoint_names;
  out["values"] = to_matrix(run.values, run.mothers, run.endpoint_names.size());
  out["error"] = run.errors;
  return out;
}

py::dict run_python_population_study(Scenario scenario, const std::optional<std::string>& population_file,
                                     const std::string& out, bool resume, const std::optional<std::string>& solver,
                                     double rtol, double atol, unsigned threads, py::object progress) {
  choose_population(scenario, population_file ? std::filesystem::path(*population_file) : std::filesystem::path());
  PythonRunControl control(std::move(progress));
  PopulationStudyOptions options;
  options.solver = solver_options(solver, rtol, atol);
  options.threads = thread_count(threads);
  options.cancel = control.token();
  options.progress = control.progress_callback();
  // What determines the rows, as the command line records it (files by their SHA-256 when
  // the scenario came from one; text scenarios by their own hash).
  RunFingerprint fingerprint;
  fingerprint.add("command", "python population_study");
  fingerprint.add("scenario_sha256", scenario.sha256);
  fingerprint.add("population_sha256", population_file ? file_sha256(*population_file) : std::string("scenario"));
  add_solver_fingerprint(fingerprint, options.solver);
  PopulationStudyResult result;
  {
    py::gil_scoped_release release;
    result = run_population_study(scenario, options, {out, fingerprint, resume, nullptr});
  }
  control.rethrow();
  if (result.interrupted) throw Cancelled();
  py::dict counts;
  counts["requested"] = result.summary.requested;
  counts["included"] = result.summary.included;
  counts["failed"] = result.summary.failed;
  return counts;
}

py::dict run_python_compare(std::vector<Scenario> scenarios, bool with_population,
                            const std::optional<std::string>& population_file, const std::optional<std::string>& solver,
                            double rtol, double atol, unsigned threads, py::object progress) {
  if (population_file) {
    // As `compare --population`: every arm runs the file's mothers, replacing its own table.
    const PopulationSpec spec = load_population_file(*population_file);
    for (Scenario& scenario : scenarios) use_population(scenario, spec);
  }
  PythonRunControl control(std::move(progress));
  CompareOptions options;
  options.solver = solver_options(solver, rtol, atol);
  options.threads = thread_count(threads);
  options.use_population = with_population;
  options.cancel = control.token();
  options.progress = control.progress_callback();
  Comparison comparison;
  {
    py::gil_scoped_release release;
    comparison = compare_scenarios(scenarios, options);
  }
  control.rethrow();
  if (comparison.interrupted) throw Cancelled();
  // The columns of comparison_csv(); NaN where it writes an empty cell.
  const std::size_t rows = comparison.rows.size();
  std::vector<std::string> endpoint(rows), scenario(rows);
  std::vector<double> value(rows), difference(rows), ratio(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const ComparisonRow& row = comparison.rows[r];
    endpoint[r] = row.endpoint;
    scenario[r] = row.scenario;
    value[r] = row.value;
    difference[r] = row.difference;
    ratio[r] = row.ratio;
  }
  std::vector<std::pair<std::string, py::object>> columns = {
      {"endpoint", py::cast(endpoint)},  {"scenario", py::cast(scenario)}, {"value", to_array(value)},
      {"difference", to_array(difference)}, {"ratio", to_array(ratio)}};
  // The population columns are comparison_csv()'s, by construction; counts as integers.
  for (auto& [name, values] : comparison_population_columns(comparison)) {
    if (name.starts_with("n_")) {
      std::vector<std::size_t> counts(values.begin(), values.end());
      columns.emplace_back(name, to_index_array(counts));
    } else {
      columns.emplace_back(name, to_array(values));
    }
  }
  return column_table(columns);
}

py::dict run_python_sensitivity(const Scenario& scenario, const std::string& method,
                                const std::vector<std::string>& ranges, const std::vector<std::string>& endpoints,
                                std::size_t samples, std::uint64_t seed, std::size_t bootstrap, int levels,
                                const std::optional<std::string>& solver, double rtol, double atol, unsigned threads,
                                py::object progress) {
  PythonRunControl control(std::move(progress));
  ScenarioSensitivityRequest request;
  request.method = parse_sensitivity_method(method);
  for (const std::string& text : ranges) request.ranges.push_back(parse_parameter_range(text, kPythonArgument));
  request.endpoints = endpoints;
  request.solver = solver_options(solver, rtol, atol);
  request.options.samples = samples;
  request.options.threads = thread_count(threads);
  request.options.seed = seed;
  request.options.bootstrap_replicates = bootstrap;
  request.options.morris_levels = levels;
  request.options.progress = control.progress_callback();
  request.options.cancel = control.token();
  ScenarioSensitivity result;
  try {
    py::gil_scoped_release release;
    result = scenario_sensitivity(to_simulation_input(scenario), request);
  } catch (const Cancelled&) {
    control.rethrow();
    throw;
  }
  // The columns of sensitivity_csv(): endpoint-major, then parameter (then first, total).
  std::vector<std::string> endpoint, parameter, index;
  std::vector<double> a, b, c;
  py::dict out;
  if (result.sobol) {
    for (std::size_t o = 0; o < result.endpoints.size(); ++o) {
      for (std::size_t i = 0; i < result.parameters.size(); ++i) {
        const SobolIndices& s = result.sobol->by_output[o];
        for (const auto& [kind, estimate] : {std::pair{"first", s.first_order[i]}, std::pair{"total", s.total_order[i]}}) {
          endpoint.push_back(result.endpoints[o]);
          parameter.push_back(result.parameters[i]);
          index.emplace_back(kind);
          a.push_back(estimate.value);
          b.push_back(estimate.low);
          c.push_back(estimate.high);
        }
      }
    }
    out["indices"] = column_table({{"endpoint", py::cast(endpoint)},
                                   {"parameter", py::cast(parameter)},
                                   {"index", py::cast(index)},
                                   {"value", to_array(a)},
                                   {"ci95_low", to_array(b)},
                                   {"ci95_high", to_array(c)}});
    out["method"] = "sobol";
    out["model_runs"] = result.sobol->model_runs;
    out["used"] = result.sobol->base_samples;
    out["failed"] = result.sobol->failed_samples;
  } else {
    std::vector<double> d;
    for (std::size_t o = 0; o < result.endpoints.size(); ++o) {
      for (std::size_t i = 0; i < result.parameters.size(); ++i) {
        const MorrisMeasures& m = result.morris->by_output[o][i];
        endpoint.push_back(result.endpoints[o]);
        parameter.push_back(result.parameters[i]);
        a.push_back(m.mu);
        b.push_back(m.mu_star);
        c.push_back(m.sigma);
      }
    }
    out["indices"] = column_table({{"endpoint", py::cast(endpoint)},
                                   {"parameter", py::cast(parameter)},
                                   {"mu", to_array(a)},
                                   {"mu_star", to_array(b)},
                                   {"sigma", to_array(c)}});
    out["method"] = "morris";
    out["model_runs"] = result.morris->model_runs;
    out["used"] = result.morris->trajectories;
    out["failed"] = result.morris->failed_trajectories;
  }
  return out;
}

py::dict run_python_fit(const std::vector<Scenario>& scenarios, const std::vector<std::string>& free_names,
                        const std::vector<std::pair<std::string, std::pair<double, double>>>& bounds,
                        double default_cv, std::size_t multistart, std::uint64_t seed, bool profile,
                        std::size_t profile_points, std::size_t max_iterations, py::object progress,
                        const std::string& observations, const std::string& subject) {
  PythonRunControl control;
  FitSettings settings;
  settings.multistart = multistart;
  settings.seed = seed;
  settings.profile = profile;
  settings.profile_points = profile_points;
  settings.max_iterations = max_iterations;
  settings.cancel = control.token();
  settings.progress = [&](const FitProgress& p) {
    control.run_python([&] {
      if (!progress.is_none()) progress(p.stage, p.evaluations, p.best_chi_square);
    });
  };
  std::optional<FitResult> fitted;
  {
    py::gil_scoped_release release;
    std::vector<Scenario> observed = scenarios;
    if (!observations.empty()) {
      // Thin: one mother's rows from a case table; a whole case series is `lactsim fit --observations`.
      if (observed.size() != 1) {
        throw InputError({kArgumentsOrigin, 0, 0}, "observations",
                         "takes one scenario (one subject); fit a case series with `lactsim fit --observations`");
      }
      attach_case_table(observed, read_case_table(observations), subject, false);
    }
    const FitProblem problem(std::move(observed), free_names, bounds, default_cv);
    fitted = fit_parameters(problem, settings);
  }
  control.rethrow();
  const FitResult& fit = *fitted;
  const std::size_t k = fit.parameters.size();
  std::vector<std::string> names(k), units(k);
  std::vector<double> profile_low(k, std::numeric_limits<double>::quiet_NaN()), profile_high = profile_low;
  std::vector<bool> at_bound(fit.at_bound.begin(), fit.at_bound.end());
  for (std::size_t i = 0; i < k; ++i) {
    names[i] = fit.parameters[i].name;
    units[i] = fit.parameters[i].unit;
  }
  py::dict profiles;
  for (const Profile& p : fit.profiles) {
    const auto at = std::find(names.begin(), names.end(), p.name) - names.begin();
    if (static_cast<std::size_t>(at) < k) {
      if (p.lower_95) profile_low[at] = *p.lower_95;
      if (p.upper_95) profile_high[at] = *p.upper_95;
    }
    profiles[py::str(p.name)] = column_table({{"value", to_array(p.values)}, {"chi_square", to_array(p.chi_square)}});
  }
  std::vector<std::pair<std::string, py::object>> columns = {
      {"name", py::cast(names)},
      {"unit", py::cast(units)},
      {"estimate", to_array(fit.estimate)},
      {"standard_error", to_array(fit.standard_error)},
      {"ci95_low", to_array(fit.ci_lower)},
      {"ci95_high", to_array(fit.ci_upper)},
      {"at_bound", py::cast(at_bound)}};
  if (profile) {
    columns.emplace_back("profile_low", to_array(profile_low));
    columns.emplace_back("profile_high", to_array(profile_high));
  }
  std::vector<double> correlation;
  for (const auto& row : fit.correlation) correlation.insert(correlation.end(), row.begin(), row.end());
  std::vector<std::string> warnings;
  for (const IdentifiabilityWarning& w : fit.warnings) warnings.push_back(w.message);
  for (const Profile& p : fit.profiles) {
    if (!p.warning.empty()) warnings.push_back(p.name + ": " + p.warning);
  }
  py::dict out;
  out["parameters"] = column_table(columns);
  out["chi_square"] = fit.chi_square;
  out["residuals"] = fit.residuals;
  out["correlation"] = to_matrix(correlation, fit.correlation.size(), fit.correlation.size());
  out["warnings"] = warnings;
  out["evaluations"] = fit.evaluations;
  out["interrupted"] = fit.interrupted;
  out["profiles"] = profiles;
  return out;
}

}  // namespace

void bind_analysis(py::module_& module) {
  py::class_<Design>(module, "DesignData", "A sweep design (lactsim::Design).")
      .def_property_readonly("names", &Design::names)
      .def_property_readonly("size", &Design::size)
      .def_property_readonly("kind", [](const Design& d) {
        switch (d.kind()) {
          case DesignKind::grid: return "grid";
          case DesignKind::lhs: return "lhs";
          case DesignKind::sobol: return "sobol";
          case DesignKind::file: return "file";
          case DesignKind::samples: return "samples";
        }
        return "";
      });
  module.def("design_generated", &generated_design, py::arg("kind"), py::arg("ranges"), py::arg("samples"),
             py::arg("seed"), "A grid, Latin hypercube or Sobol design over 'NAME=LO:HI[:log]' ranges.");
  module.def(
      "design_from_csv", [](const std::string& path) { return Design::from_csv(path); }, py::arg("path"),
      "Parameter sets from a CSV file.");
  module.def("design_from_samples", &samples_design, py::arg("names"), py::arg("values"),
             "Parameter sets from a 2-D array, one row per sample.");
  module.def("sweep", &run_python_sweep, py::arg("scenario"), py::arg("design"), py::arg("solver"), py::arg("rtol"),
             py::arg("atol"), py::arg("threads"), py::arg("block_size"), py::arg("on_rows"), py::arg("progress"),
             "Runs a sweep; rows kept in memory or handed to on_rows block by block.");
  module.def("population", &run_python_population, py::arg("scenario"), py::arg("solver"), py::arg("rtol"),
             py::arg("atol"), py::arg("threads"), py::arg("progress"), "Simulates the scenario's [population].");
  module.def("population_study", &run_python_population_study, py::arg("scenario"), py::arg("population_file"),
             py::arg("out"), py::arg("resume"), py::arg("solver"), py::arg("rtol"), py::arg("atol"), py::arg("threads"),
             py::arg("progress"), "Runs a population study into a folder (mothers.csv, summary.csv).");
  module.def("compare", &run_python_compare, py::arg("scenarios"), py::arg("use_population"), py::arg("population_file"),
             py::arg("solver"),
             py::arg("rtol"), py::arg("atol"), py::arg("threads"), py::arg("progress"), "Compares scenarios.");
  module.def("sensitivity", &run_python_sensitivity, py::arg("scenario"), py::arg("method"), py::arg("ranges"),
             py::arg("endpoints"), py::arg("samples"), py::arg("seed"), py::arg("bootstrap"), py::arg("levels"),
             py::arg("solver"), py::arg("rtol"), py::arg("atol"), py::arg("threads"), py::arg("progress"),
             "Sobol or Morris sensitivity of the scenario's endpoints.");
  module.def("fit", &run_python_fit, py::arg("scenarios"), py::arg("free"), py::arg("bounds"), py::arg("default_cv"),
             py::arg("multistart"), py::arg("seed"), py::arg("profile"), py::arg("profile_points"),
             py::arg("max_iterations"), py::arg("progress"), py::arg("observations"), py::arg("subject"),
             "Weighted least-squares fit to observed data (and, for one scenario, a case table's rows of its subject).");
}

}  // namespace lactsim::python
