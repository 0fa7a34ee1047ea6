#include "solvers/solver_interface.hpp"

#include <stdexcept>

#include "solvers/cascade_solver.hpp"
#include "solvers/integrator.hpp"

namespace lactsim {

SolverStats integrate_segments(const model::LactationModel& model, std::span<const Segment> segments,
                               model::State& x, const SolverOptions& options, SolverObserver& observer,
                               const IntegrationExtras& extras) {
  switch (options.method) {  // no default: a new method must be handled here (-Wswitch)
    case SolverMethod::dormand_prince:
      return integrate_segments_dopri5(model, segments, x, options, observer);
    case SolverMethod::cascade:
      return integrate_segments_cascade(model, segments, x, options, observer, extras.cascade_caches,
                                        extras.dense_output);
  }
  throw std::invalid_argument("integrate_segments: not a SolverMethod value");
}

}  // namespace lactsim
