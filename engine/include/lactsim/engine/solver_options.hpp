#pragma once
/// @file solver_options.hpp
/// Tolerances and budgets of the adaptive integrator.

#include <cstddef>
#include <string_view>

namespace lactsim {

/// Which integrator solves the model.
enum class SolverMethod {
  /// Boost.Odeint's classical controlled dopri5: the reference path (and SolverOptions' default).
  dormand_prince,
  /// Semi-analytic cascade solver (engine/solvers/cascade_solver.hpp), with dense output for
  /// timeseries: the CLI's default (faster and more accurate; docs/performance.md).
  cascade,
};

/// Every method, in the order error messages list them.
inline constexpr SolverMethod kSolverMethods[] = {SolverMethod::dormand_prince, SolverMethod::cascade};

/// Settings of the error-controlled Dormand–Prince 5(4) integrator.
/// The solver the commands (`run`, `sweep`, `compare`, `sensitivity`) and the Python package
/// use when none is named: the fastest one that meets the documented accuracy over the whole
/// parameter box, corners included (docs/performance.md). SolverOptions{} stays dopri5, the
/// reference the tests hold the cascade solver to, and the fit's solver.
inline constexpr SolverMethod kDefaultSolverMethod = SolverMethod::cascade;

struct SolverOptions {
  SolverMethod method = SolverMethod::dormand_prince;  ///< stepper
  double relative_tolerance = 1e-6;  ///< per-step relative error bound
  double absolute_tolerance = 1e-8;  ///< per-step absolute error bound (state units)
  double initial_step_h = 1.0 / 60.0;///< first trial step, h
  double max_step_h = 1.0;           ///< largest step, h (keeps slow drifts resolved)
  double min_step_h = 1e-12;         ///< step-size underflow limit, h
  std::size_t max_steps = 1'000'000; ///< accepted+rejected step budget for one run (no hangs)
};

/// Step counts of one integration (substeps for the cascade solver).
struct SolverStats {
  std::size_t accepted_steps = 0;
  std::size_t rejected_steps = 0;
  /// Same counts.
  bool operator==(const SolverStats&) const = default;
};

/// Throws InputError naming the field when an option is not positive and finite, or
/// when the tolerances are outside (0, 0.1].
void validate_solver_options(const SolverOptions& options);

/// Default options with the given tolerances and stepper (as from --rtol/--atol/--solver), validated.
/// @throws InputError naming rtol or atol when out of range
SolverOptions solver_options_with_tolerances(double relative_tolerance, double absolute_tolerance,
                                             SolverMethod method = SolverMethod::dormand_prince);

/// The method's name on the command line and in outputs: "dopri5" or "cascade".
std::string_view solver_method_name(SolverMethod method);

/// Parses a method name as solver_method_name writes it.
/// @throws InputError naming `field` for any other text, listing the accepted names
SolverMethod parse_solver_method(std::string_view text, std::string_view field = "solver");

}  // namespace lactsim
