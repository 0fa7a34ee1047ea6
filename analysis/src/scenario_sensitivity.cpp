#include "lactsim/analysis/scenario_sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/analysis/sweep.hpp"
#include "lactsim/engine/text_format.hpp"

namespace lactsim {

SensitivityMethod parse_sensitivity_method(std::string_view text) {
  if (text == "sobol") return SensitivityMethod::sobol;
  if (text == "morris") return SensitivityMethod::morris;
  throw InputError({kArgumentsOrigin, 0, 0}, "method",
                   "unknown method '" + std::string(text) + "'; expected sobol or morris");
}

ScenarioSensitivity scenario_sensitivity(const SimulationInput& base, const ScenarioSensitivityRequest& request) {
  const int days = horizon_days(base.horizon_h);
  const std::vector<ParameterRange>& ranges = request.ranges;
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (ranges[i].name == ranges[j].name) {
        throw InputError({kArgumentsOrigin, 0, 0}, "ranges " + ranges[i].name, "is given twice");
      }
    }
  }
  ScenarioSensitivity result;
  result.method = request.method;
  for (const auto& r : ranges) result.parameters.push_back(r.name);
  result.endpoints = request.endpoints;
  if (result.endpoints.empty()) result.endpoints = {days >= 3 ? "milk_day3_ml" : "milk_day1_ml", "onset_h"};
  std::vector<std::size_t> endpoint_index;
  for (const auto& name : result.endpoints) endpoint_index.push_back(find_endpoint(name, days, "endpoints " + name));

  result.options = request.options;
  result.options.dimensions = ranges.size();
  result.options.outputs = endpoint_index.size();
  const unsigned threads = std::max(1u, result.options.threads);
  result.options.threads = threads;

  std::vector<double model::ModelParameters::*> members;
  for (const auto& r : ranges) {
    if (r.member == nullptr) {  // a schedule or covariate variable: this runner does not reload the scenario
      throw InputError({kArgumentsOrigin, 0, 0}, "ranges " + r.name,
                       "schedule and covariate variables can be varied in sweeps (lactsim sweep), "
                       "not in sensitivity analyses");
    }
    members.push_back(r.member);
  }
  std::vector<SampleEvaluator> evaluators;
  std::vector<std::vector<double>> values(threads, std::vector<double>(ranges.size()));
  for (unsigned w = 0; w < threads; ++w) evaluators.emplace_back(base, members, request.solver);
  // Onset not reached within the horizon is censored at the horizon, so it stays a number
  // (a scientific choice: the indices then describe the censored onset).
  const UnitModel model = [&](std::span<const double> unit, std::span<double> outputs, unsigned worker) {
    for (std::size_t j = 0; j < ranges.size(); ++j) values[worker][j] = ranges[j].value_at(unit[j]);
    const SampleOutcome o = evaluators[worker].evaluate(values[worker]);
    if (!o.ok) return false;
    for (std::size_t k = 0; k < endpoint_index.size(); ++k) {
      const double v = endpoint_value(o.endpoints, endpoint_index[k], days);
      outputs[k] = (endpoint_index[k] == 0 && std::isnan(v)) ? base.horizon_h : v;
    }
    return true;
  };
  if (request.method == SensitivityMethod::sobol) {
    result.sobol = sobol_analysis(model, result.options);
  } else {
    result.morris = morris_analysis(model, result.options);
  }
  return result;
}

void record_sensitivity_manifest(RunManifest& manifest, const ScenarioSensitivityRequest& request,
                                 const ScenarioSensitivity& result) {
  const bool sobol = request.method == SensitivityMethod::sobol;
  ManifestDesign design;
  design.kind = sobol ? "sobol" : "morris";
  design.n = request.options.samples;
  design.seed = request.options.seed;
  design.ranges = manifest_ranges(request.ranges);
  manifest.design = std::move(design);
  manifest.seeds.emplace_back(sobol ? "bootstrap" : "trajectories", request.options.seed);
  manifest.solver = request.solver;
  const std::size_t failed = result.sobol ? result.sobol->failed_samples : result.morris ? result.morris->failed_trajectories : 0;
  const std::size_t requested = request.options.samples;
  manifest.counts = ManifestCounts{sobol ? "base samples" : "trajectories", requested,
                                   requested - std::min(failed, requested), failed};
}

std::string sensitivity_csv(const ScenarioSensitivity& result) {
  std::string csv;
  if (result.sobol) {
    csv = "endpoint,parameter,index,value,ci95_low,ci95_high\n";
    for (std::size_t k = 0; k < result.endpoints.size(); ++k) {
      for (std::size_t i = 0; i < result.parameters.size(); ++i) {
        const Estimate& s = result.sobol->by_output[k].first_order[i];
        const Estimate& t = result.sobol->by_output[k].total_order[i];
        const std::string prefix = result.endpoints[k] + "," + result.parameters[i];
        csv += prefix + ",first," + csv_cell(s.value) + "," + csv_cell(s.low) + "," + csv_cell(s.high) + "\n";
        csv += prefix + ",total," + csv_cell(t.value) + "," + csv_cell(t.low) + "," + csv_cell(t.high) + "\n";
      }
    }
  } else if (result.morris) {
    csv = "endpoint,parameter,mu,mu_star,sigma\n";
    for (std::size_t k = 0; k < result.endpoints.size(); ++k) {
      for (std::size_t i = 0; i < result.parameters.size(); ++i) {
        const MorrisMeasures& m = result.morris->by_output[k][i];
        csv += result.endpoints[k] + "," + result.parameters[i] + "," + csv_cell(m.mu) + "," + csv_cell(m.mu_star) +
               "," + csv_cell(m.sigma) + "\n";
      }
    }
  }
  return csv;
}

std::string sensitivity_table(const ScenarioSensitivity& result) {
  std::string table;
  char line[256];
  if (result.sobol) {
    const SobolResult& sobol = *result.sobol;
    std::snprintf(line, sizeof line,
                  "Sobol indices: N = %zu base samples (%zu runs, %zu base samples failed), 95%% bootstrap intervals "
                  "(%zu replicates)\n",
                  sobol.base_samples, sobol.model_runs, sobol.failed_samples, result.options.bootstrap_replicates);
    table += line;
    for (std::size_t k = 0; k < result.endpoints.size(); ++k) {
      std::snprintf(line, sizeof line, "\n%s (variance %s)\n  %-36s %-28s %-28s\n", result.endpoints[k].c_str(),
                    format_number(sobol.by_output[k].variance).c_str(), "parameter", "first order S_i",
                    "total order S_Ti");
      table += line;
      for (std::size_t i = 0; i < result.parameters.size(); ++i) {
        const Estimate& s = sobol.by_output[k].first_order[i];
        const Estimate& t = sobol.by_output[k].total_order[i];
        std::snprintf(line, sizeof line, "  %-36s %6.3f [%6.3f, %6.3f]     %6.3f [%6.3f, %6.3f]\n",
                      result.parameters[i].c_str(), s.value, s.low, s.high, t.value, t.low, t.high);
        table += line;
      }
    }
  } else if (result.morris) {
    const MorrisResult& morris = *result.morris;
    std::snprintf(line, sizeof line,
                  "Morris screening: r = %zu trajectories, p = %d levels (%zu runs, %zu trajectories failed)\n"
                  "effects are per full range of each parameter, in the endpoint's unit\n",
                  morris.trajectories, result.options.morris_levels, morris.model_runs, morris.failed_trajectories);
    table += line;
    for (std::size_t k = 0; k < result.endpoints.size(); ++k) {
      std::snprintf(line, sizeof line, "\n%s\n  %-36s %12s %12s %12s\n", result.endpoints[k].c_str(), "parameter", "mu*",
                    "mu", "sigma");
      table += line;
      for (std::size_t i = 0; i < result.parameters.size(); ++i) {
        const MorrisMeasures& m = morris.by_output[k][i];
        std::snprintf(line, sizeof line, "  %-36s %12s %12s %12s\n", result.parameters[i].c_str(),
                      format_number(m.mu_star).c_str(), format_number(m.mu).c_str(), format_number(m.sigma).c_str());
        table += line;
      }
    }
  }
  return table;
}

}  // namespace lactsim
