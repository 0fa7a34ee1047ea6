#pragma once
// Internal: the population statistics of a comparison, computed from passes over every
// mother's rows in all arms (in memory, or streamed from the checkpoint file so that memory
// does not grow with the number of mothers).

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "lactsim/analysis/comparison.hpp"

namespace lactsim::detail {

/// Mother `mother`'s endpoint values in every arm, values[arm × m + k] (NaN when she failed in
/// that arm or the endpoint is undefined; onset NaN with ok[arm] = not reached), ok[arm] and
/// error[arm] (empty when ok).
struct MotherRecord {
  std::size_t mother = 0;
  std::vector<double> values;
  std::vector<char> ok;
  std::vector<std::string> errors;
};

/// One pass over every mother, in mother order: calls `visit` once per mother.
using MotherPass = std::function<void(const std::function<void(const MotherRecord&)>& visit)>;

/// A pass over in-memory runs (one per arm).
MotherPass memory_mother_pass(const std::vector<PopulationRun>& runs);

/// A pass over a comparison checkpoint file (rows "row,scenario,mother,status,<m endpoints>,
/// error", arm-major): one reader per arm, read in step, so only one mother is held at a time.
/// @throws InputError naming file:line when a row is not the expected one
MotherPass checkpoint_mother_pass(const std::filesystem::path& file, std::size_t arms, std::size_t mothers,
                                  std::size_t endpoints);

/// What a comparison reports per arm from its mothers.
struct ArmStatistics {
  std::size_t failed = 0;
  std::string first_failure;
  std::vector<PercentileBand> bands, paired_bands;  ///< per endpoint
  std::vector<PairedMeanDifference> paired_means;    ///< per endpoint, then the late fraction
  ProportionInterval late_fraction;                  ///< onset after 72 h (NaN when unknown)
  double not_reached_fraction = 0;                   ///< included mothers without onset
  std::size_t not_reached = 0;
};

/// Statistics of every arm (the first is the reference) over `endpoints` endpoints, onset
/// (endpoint 0) right-censored at `horizon_h`: censored percentile bands (as
/// censored_percentile_band, exact order statistics in passes), paired bands, mean paired
/// differences with Poisson-bootstrap intervals, the delayed-onset fraction with its Wilson
/// interval. Memory independent of the number of mothers.
std::vector<ArmStatistics> arm_statistics(const MotherPass& pass, std::size_t arms, std::size_t endpoints,
                                          double horizon_h);

}  // namespace lactsim::detail
