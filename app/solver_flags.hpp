#pragma once
// --rtol, --atol and --solver: the integrator settings every simulating command shares.

#include <CLI/CLI.hpp>
#include <string>

#include "lactsim/engine/solver_options.hpp"

namespace lactsim::cli {

/// The solver options of one command line.
class SolverFlags {
 public:
  /// Registers --rtol, --atol and --solver on `app`.
  void add_to(CLI::App& app);
  /// The validated options. @throws InputError naming --rtol, --atol or --solver
  SolverOptions options() const;

 private:
  double relative_tolerance_ = 1e-6;
  double absolute_tolerance_ = 1e-8;
  std::string solver_{solver_method_name(kDefaultSolverMethod)};  // docs/performance.md
};

}  // namespace lactsim::cli
