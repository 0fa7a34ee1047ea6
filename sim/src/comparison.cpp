#include "lactsim/sim/comparison.hpp"

#include <cmath>
#include <cstdio>

#include "lactsim/sim/fast_endpoints.hpp"
#include "lactsim/sim/sample_evaluation.hpp"
#include "lactsim/sim/sweep.hpp"
#include "lactsim/sim/text_format.hpp"

namespace lactsim {
namespace {

constexpr double kLateOnset_h = 72.0;  // "delayed onset" (Dewey et al. 2003, Pediatrics 112:607)
constexpr const char* kLateOnsetName = "onset_after_72h_fraction";

std::string cell(double v) { return std::isfinite(v) ? format_number(v) : std::string(); }

}  // namespace

Comparison compare_scenarios(const std::vector<Scenario>& scenarios, const SolverOptions& solver, unsigned threads,
                             bool use_population, bool progress) {
  if (scenarios.empty()) throw InputError({"<command line>", 0, 0}, "scenarios", "give at least one scenario");
  for (const auto& s : scenarios) {
    if (s.duration_days != scenarios.front().duration_days) {
      throw InputError({s.file.string(), 0, 0}, "scenario.duration_days",
                       "all compared scenarios need the same duration (" +
                           std::to_string(scenarios.front().duration_days) + " days in " +
                           scenarios.front().file.string() + ")");
    }
  }
  Comparison c;
  const int days = horizon_days(scenarios.front().horizon_h());
  const auto names = endpoint_names(days);
  std::vector<FastEndpoints> deterministic;
  std::vector<PopulationRun> populations;
  if (use_population && scenarios.front().population) c.population = scenarios.front().population;
  for (const auto& s : scenarios) {
    c.scenarios.push_back(s.file.stem().string());
    const SimulationInput input = to_simulation_input(s);
    FastWorkspace workspace;
    deterministic.push_back(simulate_endpoints(input, solver, workspace));
    if (c.population) {
      populations.push_back(run_population(input, *c.population, solver, threads, progress));
      c.failed_mothers.push_back(populations.back().failed);
      std::string first;
      for (const auto& e : populations.back().errors) {
        if (!e.empty()) {
          first = e;
          break;
        }
      }
      c.first_failure.push_back(first);
    }
  }
  auto add_rows = [&](const std::string& name, auto value_of, auto population_values) {
    const double reference = value_of(std::size_t{0});
    std::vector<double> reference_values;
    if (c.population) reference_values = population_values(std::size_t{0});
    for (std::size_t a = 0; a < scenarios.size(); ++a) {
      ComparisonRow row;
      row.endpoint = name;
      row.scenario = c.scenarios[a];
      row.value = value_of(a);
      row.difference = row.value - reference;
      row.ratio = reference != 0.0 ? row.value / reference : std::nan("");
      if (c.population) {
        const std::vector<double> values = population_values(a);
        row.population = percentile_band(values);
        std::vector<double> paired(values.size());
        for (std::size_t i = 0; i < values.size(); ++i) paired[i] = values[i] - reference_values[i];
        row.paired_difference = percentile_band(paired);
      }
      c.rows.push_back(row);
    }
  };
  for (std::size_t k = 0; k < names.size(); ++k) {
    add_rows(
        names[k], [&](std::size_t a) { return endpoint_value(deterministic[a], k, days); },
        [&](std::size_t a) {
          std::vector<double> v(populations[a].mothers);
          for (std::size_t i = 0; i < v.size(); ++i) v[i] = populations[a].at(i, k);
          return v;
        });
  }
  if (c.population) {
    // Onset not reached within the horizon counts as later than 72 h when the horizon is longer.
    auto late = [&](double onset_h, bool failed) {
      if (failed) return std::nan("");
      return (!std::isfinite(onset_h) || onset_h > kLateOnset_h) ? 1.0 : 0.0;
    };
    add_rows(
        kLateOnsetName,
        [&](std::size_t a) {
          const auto& o = deterministic[a].onset_h;
          return late(o ? *o : std::nan(""), false);
        },
        [&](std::size_t a) {
          std::vector<double> v(populations[a].mothers);
          for (std::size_t i = 0; i < v.size(); ++i) v[i] = late(populations[a].at(i, 0), !populations[a].errors[i].empty());
          return v;
        });
    // The band of a 0/1 indicator is uninformative: report its mean as the fraction instead,
    // and the paired difference as the difference of fractions.
    double reference_fraction = std::nan("");
    for (auto& row : c.rows) {
      if (row.endpoint != kLateOnsetName) continue;
      std::size_t a = 0;
      while (c.scenarios[a] != row.scenario) ++a;
      double sum = 0;
      std::size_t count = 0;
      for (std::size_t i = 0; i < populations[a].mothers; ++i) {
        if (!populations[a].errors[i].empty()) continue;
        sum += late(populations[a].at(i, 0), false);
        ++count;
      }
      const double fraction = count > 0 ? sum / static_cast<double>(count) : std::nan("");
      row.population = PercentileBand{fraction, fraction, fraction, count};
      if (a == 0) reference_fraction = fraction;
      const double change = fraction - reference_fraction;
      row.paired_difference = PercentileBand{change, change, change, count};
    }
  }
  return c;
}

std::string comparison_csv(const Comparison& c) {
  std::string out = "endpoint,scenario,value,difference,ratio";
  if (c.population) out += ",population_p5,population_p50,population_p95,paired_difference_p5,paired_difference_p50,paired_difference_p95";
  out += "\n";
  for (const auto& r : c.rows) {
    out += r.endpoint + "," + csv_escape(r.scenario) + "," + cell(r.value) + "," + cell(r.difference) + "," + cell(r.ratio);
    if (c.population) {
      const PercentileBand none{std::nan(""), std::nan(""), std::nan(""), 0};
      const PercentileBand& b = r.population ? *r.population : none;
      const PercentileBand& d = r.paired_difference ? *r.paired_difference : none;
      out += "," + cell(b.p5) + "," + cell(b.p50) + "," + cell(b.p95) + "," + cell(d.p5) + "," + cell(d.p50) + "," +
             cell(d.p95);
    }
    out += "\n";
  }
  return out;
}

std::string comparison_table(const Comparison& c) {
  std::string out;
  char line[512];
  if (c.population) {
    std::snprintf(line, sizeof line, "population: %zu mothers (seed %llu) per scenario, same mothers in every arm\n",
                  c.population->size, static_cast<unsigned long long>(c.population->seed));
    out += line;
    for (std::size_t a = 0; a < c.scenarios.size(); ++a) {
      if (c.failed_mothers[a] > 0) {
        std::snprintf(line, sizeof line, "  %s: %zu mothers failed and are left out; first reason: ",
                      c.scenarios[a].c_str(), c.failed_mothers[a]);
        out += line + c.first_failure[a] + "\n";
      }
    }
  }
  std::snprintf(line, sizeof line, "%-28s %-24s %12s %12s %8s", "endpoint", "scenario", "value", "diff", "ratio");
  out += line;
  if (c.population) {
    std::snprintf(line, sizeof line, "  %-32s %-32s", "population 5/50/95%", "paired diff 5/50/95%");
    out += line;
  }
  out += "\n";
  auto number = [](double v) { return std::isfinite(v) ? format_number(v) : std::string("-"); };
  for (const auto& r : c.rows) {
    std::snprintf(line, sizeof line, "%-28s %-24s %12s %12s %8s", r.endpoint.c_str(), r.scenario.c_str(),
                  number(r.value).c_str(), number(r.difference).c_str(), number(r.ratio).c_str());
    out += line;
    if (r.population) {
      auto band = [&](const PercentileBand& b) {
        return number(b.p5).substr(0, 9) + " / " + number(b.p50).substr(0, 9) + " / " + number(b.p95).substr(0, 9);
      };
      std::snprintf(line, sizeof line, "  %-32s %-32s", band(*r.population).c_str(),
                    r.paired_difference ? band(*r.paired_difference).c_str() : "");
      out += line;
    }
    out += "\n";
  }
  return out;
}

}  // namespace lactsim
