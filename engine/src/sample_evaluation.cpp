#include "lactsim/engine/sample_evaluation.hpp"

#include <algorithm>
#include <limits>

#include "lactsim/engine/errors.hpp"

namespace lactsim {
namespace {

/// An endpoint whose name does not depend on the horizon, with its label for people.
struct NamedEndpoint {
  const char* name;
  const char* display_name;
  const char* unit;
};

constexpr NamedEndpoint kOnsetEndpoint{"onset_h", "Onset of lactogenesis II", "h"};
constexpr NamedEndpoint kTrailingEndpoints[] = {
    {"milk_transferred_total_ml", "Milk transferred over the run", "mL"},
    {"milk_expressed_total_ml", "Milk expressed over the run", "mL"},
    {"prl_peak_per_feed_ng_ml", "Prolactin peak per feed (mean)", "ng/mL"},
    {"ot_peak_per_feed_uU_ml", "Oxytocin peak per feed (mean)", "uU/mL"},
    {"infant_weight_change_24h_percent", "Infant weight change at 24 h", "%"},
    {"infant_weight_change_48h_percent", "Infant weight change at 48 h", "%"},
    {"infant_weight_change_72h_percent", "Infant weight change at 72 h", "%"},
    {"infant_weight_nadir_percent", "Infant weight nadir (change since birth)", "%"},
    {"infant_weight_nadir_h", "Time of the infant weight nadir", "h"},
    {"infant_birth_weight_regained_day", "Day birth weight is regained", "day"},
    {"first_colostrum_time_h", "First colostrum on expression", "h"},
    {"perceived_onset_time_h", "Perceived onset (milk coming in)", "h"}};

/// An optional endpoint as a number, NaN when absent (the missing-value convention of the tables).
double or_nan(const std::optional<double>& value) {
  return value ? *value : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

std::vector<std::string> endpoint_names(int days) {
  std::vector<std::string> names{kOnsetEndpoint.name};
  for (int d = 1; d <= days; ++d) names.push_back("milk_day" + std::to_string(d) + "_ml");
  for (const NamedEndpoint& endpoint : kTrailingEndpoints) names.emplace_back(endpoint.name);
  return names;
}

std::optional<EndpointLabel> endpoint_label(std::string_view name) {
  if (name == kOnsetEndpoint.name) return EndpointLabel{kOnsetEndpoint.display_name, kOnsetEndpoint.unit};
  for (const NamedEndpoint& endpoint : kTrailingEndpoints) {
    if (name == endpoint.name) return EndpointLabel{endpoint.display_name, endpoint.unit};
  }
  // milk_day<N>_ml, N a positive day number without leading zeros (as endpoint_names writes it)
  constexpr std::string_view prefix = "milk_day", suffix = "_ml";
  if (name.starts_with(prefix) && name.ends_with(suffix) && name.size() > prefix.size() + suffix.size()) {
    const std::string_view day = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    const bool digits = std::all_of(day.begin(), day.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits && day.front() != '0' && day.size() <= 3) {
      return EndpointLabel{"Milk transferred on day " + std::string(day), "mL/day"};
    }
  }
  return std::nullopt;
}

std::size_t find_endpoint(std::string_view name, int days, std::string_view field) {
  const auto names = endpoint_names(days);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return i;
  }
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  throw InputError({kArgumentsOrigin, 0, 0}, std::string(field),
                   "unknown endpoint '" + std::string(name) + "'; expected one of " + list);
}

double endpoint_value(const Endpoints& e, std::size_t index, int days) {
  const auto day_count = static_cast<std::size_t>(days);
  if (index == 0) return or_nan(e.onset_h);
  if (index <= day_count) {
    return index <= e.milk_transferred_ml_by_day.size() ? e.milk_transferred_ml_by_day[index - 1]
                                                       : std::numeric_limits<double>::quiet_NaN();
  }
  switch (index - day_count - 1) {
    case 0: return e.milk_transferred_total_ml;
    case 1: return e.milk_expressed_total_ml;
    case 2: return e.prl_peak_per_feed_ng_ml;
    case 3: return e.ot_peak_per_feed_uU_ml;
    case 4: return or_nan(e.weight_change_24h_percent);
    case 5: return or_nan(e.weight_change_48h_percent);
    case 6: return or_nan(e.weight_change_72h_percent);
    case 7: return e.weight_nadir_percent;
    case 8: return e.weight_nadir_h;
    case 9: return e.birth_weight_regained_day ? static_cast<double>(*e.birth_weight_regained_day) : or_nan(std::nullopt);
    case 10: return or_nan(e.first_colostrum_h);
    case 11: return or_nan(e.perceived_onset_h);
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}

SampleEvaluator::SampleEvaluator(const SimulationInput& base, std::vector<double model::ModelParameters::*> members,
                                 const SolverOptions& solver)
    : input_(base), base_parameters_(base.parameters), members_(std::move(members)), solver_(solver) {}

SampleOutcome SampleEvaluator::evaluate(std::span<const double> values) {
  model::ModelParameters parameters = base_parameters_;
  for (std::size_t j = 0; j < members_.size(); ++j) parameters.*(members_[j]) = values[j];
  return evaluate_parameters(parameters);
}

SampleOutcome SampleEvaluator::evaluate(std::span<const double> values, SimulationInput input) {
  input_ = std::move(input);
  base_parameters_ = input_.parameters;
  return evaluate(values);
}

SampleOutcome SampleEvaluator::evaluate_parameters(const model::ModelParameters& parameters) {
  SampleOutcome outcome;
  input_.parameters = parameters;
  try {
    outcome.endpoints = simulate_endpoints(input_, solver_, workspace_);
    outcome.ok = true;
  } catch (const InputError& error) {
    outcome.error = std::string("invalid parameter: ") + error.what();
  } catch (const SimulationError& error) {
    outcome.error = std::string("solver failure: ") + error.what();
  }
  return outcome;
}

std::string csv_escape(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace lactsim
