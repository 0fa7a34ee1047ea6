#pragma once
/// @file sample_evaluation.hpp
/// One sample of a sweep, population or sensitivity analysis: a base simulation input with
/// some parameters replaced, simulated on the fast path, reduced to named endpoints. A
/// failure (invalid parameter, solver failure) becomes a recorded reason, not an exception.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lactsim/engine/fast_endpoints.hpp"
#include "lactsim/engine/simulation.hpp"

namespace lactsim {

/// Endpoint column names for a horizon of `days` days, in output order: onset_h,
/// milk_day1_ml … milk_dayN_ml, milk_transferred_total_ml, milk_expressed_total_ml,
/// prl_peak_per_feed_ng_ml, ot_peak_per_feed_uU_ml, first_colostrum_time_h, perceived_onset_time_h.
std::vector<std::string> endpoint_names(int days);

/// How an endpoint is named for people (figure axes, legends).
struct EndpointLabel {
  std::string display_name;  ///< sentence case without the unit, e.g. "Milk transferred on day 3"
  std::string unit;          ///< e.g. "mL/day"; "h" for onset_h
};

/// The label of a name endpoint_names() writes (for any horizon); nullopt for any other name.
std::optional<EndpointLabel> endpoint_label(std::string_view name);

/// Index of a named endpoint in endpoint_names(days).
/// @throws InputError naming `field` and listing the valid names when unknown
std::size_t find_endpoint(std::string_view name, int days, std::string_view field);

/// Value of endpoint `index` (as in endpoint_names(days)); NaN when undefined (onset, first
/// colostrum or perceived onset not reached within the horizon).
double endpoint_value(const Endpoints& endpoints, std::size_t index, int days);

/// Result of one sample.
struct SampleOutcome {
  bool ok = false;
  std::string error;  ///< why it failed, when !ok
  Endpoints endpoints;
};

/// Evaluates samples of one base input; one instance per thread (owns its buffers).
class SampleEvaluator {
 public:
  /// @param members which parameters `values` replace, in order
  SampleEvaluator(const SimulationInput& base, std::vector<double model::ModelParameters::*> members,
                  const SolverOptions& solver);
  /// Simulates the base input with `values` for the parameters given at construction.
  SampleOutcome evaluate(std::span<const double> values);
  /// Simulates `input` with `values` for the parameters given at construction: `input`
  /// replaces the base input (for this and later calls), e.g. a scenario loaded again with
  /// other schedules or covariates.
  SampleOutcome evaluate(std::span<const double> values, SimulationInput input);
  /// Simulates with a complete parameter set.
  SampleOutcome evaluate_parameters(const model::ModelParameters& parameters);

 private:
  SimulationInput input_;
  model::ModelParameters base_parameters_;
  std::vector<double model::ModelParameters::*> members_;
  SolverOptions solver_;
  FastWorkspace workspace_;
};

/// `text` quoted for CSV when it holds a comma, quote or newline.
std::string csv_escape(std::string_view text);

}  // namespace lactsim
