#include "solver_flags.hpp"

#include "number_flags.hpp"

namespace lactsim::cli {

void SolverFlags::add_to(CLI::App& app) {
  app.add_option("--rtol", relative_tolerance_, "relative error tolerance per step")
      ->capture_default_str()
      ->check(plain_number());
  app.add_option("--atol", absolute_tolerance_, "absolute error tolerance per step (state units)")
      ->capture_default_str()
      ->check(plain_number());
  app.add_option("--solver", solver_,
                 "dopri5 (Boost.Odeint, the reference), exponential (Lawson dopri5: ~3x faster, larger "
                 "error per tolerance) or cascade (semi-analytic: ~7x faster and more accurate than dopri5; "
                 "endpoints only, not for run); docs/performance.md")
      ->capture_default_str();
}

SolverOptions SolverFlags::options() const {
  return solver_options_with_tolerances(relative_tolerance_, absolute_tolerance_, parse_solver_method(solver_));
}

}  // namespace lactsim::cli
