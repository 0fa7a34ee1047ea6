#pragma once
/// @file step_checks.hpp
/// The checks the segment loop (solver_interface.hpp) makes on every step, for every solver,
/// so all solvers fail the same way with the same messages.

#include <cmath>
#include <cstddef>
#include <string>

#include "lactsim/engine/errors.hpp"
#include "lactsim/engine/solver_options.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/model/lactation_model.hpp"
#include "lactsim/model/state_info.hpp"

namespace lactsim {

/// Before each attempt: throws when accepted + rejected steps have used `options.max_steps`.
/// @throws SimulationError at `t_h`, naming the budget
inline void check_step_budget(const SolverStats& stats, const SolverOptions& options, double t_h) {
  if (stats.accepted_steps + stats.rejected_steps >= options.max_steps) {
    throw SimulationError(t_h, "", "step budget of " + std::to_string(options.max_steps) +
                                       " steps exhausted (the model is too stiff for these parameters?)");
  }
}

/// After a rejected step: throws when the next trial step is below `options.min_step_h`.
/// @throws SimulationError at `t_h`, naming the floor
inline void check_step_size(double step_h, const SolverOptions& options, double t_h) {
  if (step_h < options.min_step_h) {
    throw SimulationError(t_h, "", "step size fell below " + format_number(options.min_step_h) + " h");
  }
}

/// After an accepted step ending at `t_h`: throws naming the first non-finite state of `x`.
/// @throws SimulationError at `t_h`, naming the state
inline void check_finite_state(const model::State& x, double t_h) {
  for (std::size_t k = 0; k < model::kStateCount; ++k) {
    if (!std::isfinite(x[k])) {
      throw SimulationError(t_h, std::string(model::state_info()[k].name), "state became non-finite");
    }
  }
}

}  // namespace lactsim
