// Builds without MPI (the default): run_sweep_mpi only reports that MPI is missing.

#include <cstdlib>

#include "lactsim/analysis/sweep.hpp"

namespace lactsim {

bool mpi_available() { return false; }

MpiSession::MpiSession() = default;
MpiSession::~MpiSession() = default;
void MpiSession::abort_all(int exit_code) const { std::exit(exit_code); }

SweepSummary run_sweep_mpi(const SimulationInput&, const Design&, const SweepOptions&, SweepSink&) {
  throw Error("this lactsim was built without MPI; configure with -DLACTSIM_WITH_MPI=ON (Debian: libopenmpi-dev)");
}

}  // namespace lactsim
