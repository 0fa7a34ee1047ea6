#include "lactsim/io/run_outputs.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/io/json_writer.hpp"
#include "lactsim/io/observables.hpp"
#include "lactsim/engine/infant_weight.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/version.hpp"
#include "lactsim/engine/unit_conversion.hpp"

namespace lactsim {
namespace {

/// What summary.json says a method does.
const char* solver_method_description(SolverMethod method) {
  switch (method) {  // no default: see solver_method_name
    case SolverMethod::dormand_prince:
      return "Boost.Odeint controlled runge_kutta_dopri5, stopping at every stimulus edge";
    case SolverMethod::cascade:
      return "semi-analytic cascade solver (Chebyshev-Lobatto substeps), stopping at every stimulus edge";
  }
  return "";
}


std::string clock_text(double hours_after_midnight) {
  const int minutes = static_cast<int>(std::lround(hours_after_midnight * kMinutesPerHour)) % (24 * 60);
  char text[8];
  std::snprintf(text, sizeof text, "%02d:%02d", minutes / 60, minutes % 60);
  return text;
}

}  // namespace

BuildInfo build_info() { return {LACTSIM_VERSION, LACTSIM_GIT_COMMIT}; }

std::vector<ResultColumn> timeseries_table(const Scenario& scenario, const RunResult& result) {
  namespace st = model::state;
  std::vector<ResultColumn> table = {
      {"time_h", "h", false, {}},
      {"day", "", true, {}},
      {"pain_nrs", "NRS", false, {}},
      {"effective_pain_nrs", "NRS", false, {}},
      {"oxytocin_uU_ml", "uU/mL", false, {}},
      {"prolactin_ng_ml", "ng/mL", false, {}},
      {"prolactin_basal_ng_ml", "ng/mL", false, {}},
      {"prolactin_release_drive", "0-1", false, {}},
      {"activation", "0-1", false, {}},
      {"milk_stored_ml", "mL", false, {}},
      {"milk_transferred_ml", "mL", false, {}},
      {"milk_expressed_ml", "mL", false, {}},
      {"milk_synthesised_ml", "mL", false, {}},
      {"synthesis_ml_h", "mL/h", false, {}},
      {"ejection_gate", "0-1", false, {}},
      {"massage_relief", "0-1", false, {}},
      {"feeding", "0/1", true, {}},
      {"pre_feed", "0/1", true, {}},
      {"pumping", "0/1", true, {}},
      {"massage", "0/1", true, {}},
      {"infant_weight_g", "g", false, {}},
      {"infant_weight_change_percent", "%", false, {}},
  };
  for (ResultColumn& column : table) column.values.reserve(result.timeseries.size());
  for (const TimeseriesRow& row : result.timeseries) {
    const int day = std::min(static_cast<int>(std::floor(row.time_h / kHoursPerDay)) + 1, scenario.duration_days);
    const double weight_g =
        infant_weight_g(scenario.parameters, scenario.birth_weight_g, row.state[st::milk_transferred], row.time_h);
    const double values[] = {row.time_h,
                             static_cast<double>(day),
                             row.derived.pain_nrs,
                             row.derived.effective_pain_nrs,
                             row.state[st::oxytocin],
                             row.derived.prolactin_total_ng_ml,
                             row.derived.prolactin_basal_ng_ml,
                             row.state[st::prolactin_release_drive],
                             row.state[st::activation],
                             row.state[st::milk_stored],
                             row.state[st::milk_transferred],
                             row.state[st::milk_expressed],
                             row.state[st::milk_synthesised],
                             row.derived.synthesis_ml_h,
                             row.derived.ejection_gate,
                             row.state[st::massage_relief],
                             row.stimulus.feeding ? 1.0 : 0.0,
                             row.stimulus.pre_feed ? 1.0 : 0.0,
                             row.stimulus.pumping ? 1.0 : 0.0,
                             row.stimulus.massage ? 1.0 : 0.0,
                             weight_g,
                             weight_change_percent(weight_g, scenario.birth_weight_g)};
    static_assert(std::size(values) == 22, "one value per timeseries column");
    for (std::size_t i = 0; i < table.size(); ++i) table[i].values.push_back(values[i]);
  }
  return table;
}

std::vector<ResultColumn> daily_table(const RunResult& result) {
  std::vector<ResultColumn> table = {
      {"day", "", true, {}},
      {"hours", "h", false, {}},
      {"milk_ml", "mL", false, {}},
      {"milk_expressed_ml", "mL", false, {}},
      {"milk_synthesised_ml", "mL", false, {}},
      {"feeds", "count", true, {}},
      {"pumps", "count", true, {}},
      {"massages", "count", true, {}},
      {"infant_weight_g", "g", false, {}},
      {"infant_weight_change_percent", "%", false, {}},
  };
  for (ResultColumn& column : table) column.values.reserve(result.daily.size());
  for (const DailyTotals& d : result.daily) {
    const double values[] = {static_cast<double>(d.day), d.hours_covered,
                             d.milk_transferred_ml,     d.milk_expressed_ml,
                             d.milk_synthesised_ml,     static_cast<double>(d.feeds),
                             static_cast<double>(d.pumps), static_cast<double>(d.massages),
                             d.infant_weight_g,         d.infant_weight_change_percent};
    static_assert(std::size(values) == 10, "one value per daily column");
    for (std::size_t i = 0; i < table.size(); ++i) table[i].values.push_back(values[i]);
  }
  return table;
}

std::string result_cell_text(const ResultColumn& column, std::size_t row) {
  const double value = column.values[row];
  return column.integer ? std::to_string(static_cast<long long>(value)) : format_number(value);
}

namespace {

/// A table as CSV: a header of column names, then one line per row (result_cell_text).
std::string table_csv(const std::vector<ResultColumn>& table) {
  std::string out;
  for (std::size_t c = 0; c < table.size(); ++c) {
    out += c == 0 ? "" : ",";
    out += table[c].name;
  }
  out += '\n';
  const std::size_t rows = table.empty() ? 0 : table.front().values.size();
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < table.size(); ++c) {
      if (c != 0) out += ',';
      out += result_cell_text(table[c], r);
    }
    out += '\n';
  }
  return out;
}

}  // namespace

std::string timeseries_csv(const Scenario& scenario, const RunResult& result) {
  return table_csv(timeseries_table(scenario, result));
}

std::string daily_csv(const RunResult& result) { return table_csv(daily_table(result)); }

std::string summary_json(const Scenario& scenario, const RunOptions& options, const RunResult& result,
                         const Endpoints& endpoints, const std::vector<ObservationComparison>& observations) {
  const BuildInfo build = build_info();
  JsonWriter json;
  json.begin_object();
  json.key("lactsim_version").value(build.version);
  json.key("git_commit").value(build.git_commit);

  json.key("scenario").begin_object();
  json.key("name").value(scenario.name);
  json.key("description").value(scenario.description);
  json.key("file").value(scenario.file.string());
  {  // as given above; absolute here, so the file is found from any folder (`lactsim plot`)
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(scenario.file, ec);
    json.key("absolute_file").value((ec ? scenario.file : absolute.lexically_normal()).string());
  }
  json.key("sha256").value(scenario.sha256);
  json.key("delivery_mode").value(model::to_string(scenario.covariates.delivery_mode));
  json.key("parity").value(model::to_string(scenario.covariates.parity));
  json.key("delivery_clock_time").value(clock_text(scenario.delivery_clock_h));
  json.key("duration_days").value(scenario.duration_days);
  json.key("pain_input").value(scenario.observed_pain.empty() ? "parametric" : "observed");
  json.end_object();

  json.key("endpoints").begin_object();
  json.key("onset_lactogenesis_ii_h").value(endpoints.onset_h);
  json.key("onset_definition").value("first time secretory activation reaches 0.5");
  json.key("milk_transferred_ml_by_day").begin_array();
  for (double ml : endpoints.milk_transferred_ml_by_day) json.value(ml);
  json.end_array();
  json.key("milk_transferred_total_ml").value(endpoints.milk_transferred_total_ml);
  json.key("milk_expressed_total_ml").value(endpoints.milk_expressed_total_ml);
  json.key("milk_synthesised_total_ml").value(endpoints.milk_synthesised_total_ml);
  json.key("mass_balance_relative_error").value(endpoints.mass_balance_relative_error);
  json.key("infant_birth_weight_g").value(scenario.birth_weight_g);
  json.key("infant_weight_change_24h_percent").value(endpoints.weight_change_24h_percent);
  json.key("infant_weight_change_48h_percent").value(endpoints.weight_change_48h_percent);
  json.key("infant_weight_change_72h_percent").value(endpoints.weight_change_72h_percent);
  json.key("infant_weight_nadir_percent").value(endpoints.weight_nadir_percent);
  json.key("infant_weight_nadir_h").value(endpoints.weight_nadir_h);
  if (endpoints.birth_weight_regained_day) {
    json.key("infant_birth_weight_regained_day").value(*endpoints.birth_weight_regained_day);
  } else {
    json.key("infant_birth_weight_regained_day").value(std::optional<double>());
  }
  json.key("first_colostrum_time_h").value(endpoints.first_colostrum_h);
  json.key("perceived_onset_time_h").value(endpoints.perceived_onset_h);
  json.key("sessions").begin_object();
  int feeds = 0, pumps = 0, massages = 0;
  for (const DailyTotals& d : result.daily) feeds += d.feeds, pumps += d.pumps, massages += d.massages;
  json.key("feeds").value(feeds).key("pumps").value(pumps).key("massages").value(massages);
  json.end_object();
  json.end_object();

  if (!scenario.observed.empty()) {  // comparison with the observed data (observed.csv has every point)
    json.key("fit_metrics");
    write_metrics_json(json, comparison_metrics(observations));
  }

  json.key("parameters").begin_array();
  for (const model::ParameterInfo& info : model::parameter_registry()) {
    const double value = scenario.parameters.*(info.member);
    auto last_override = std::find_if(scenario.overrides.rbegin(), scenario.overrides.rend(),
                                      [&](const ParameterOverride& o) { return o.name == info.name; });
    json.begin_object();
    json.key("name").value(info.name);
    json.key("value").value(value);
    json.key("unit").value(info.unit);
    json.key("default").value(info.default_for(scenario.covariates.delivery_mode));
    json.key("origin").value(last_override == scenario.overrides.rend() ? std::string("default")
                                                                        : last_override->where.to_string());
    json.end_object();
  }
  json.end_array();

  json.key("solver").begin_object();
  json.key("method").value(solver_method_description(options.solver.method));
  json.key("solver").value(solver_method_name(options.solver.method));
  json.key("relative_tolerance").value(options.solver.relative_tolerance);
  json.key("absolute_tolerance").value(options.solver.absolute_tolerance);
  json.key("max_step_h").value(options.solver.max_step_h);
  json.key("output_step_min").value(options.output_step_h * kMinutesPerHour);
  json.key("accepted_steps").value(result.endpoints.stats.accepted_steps);
  json.key("rejected_steps").value(result.endpoints.stats.rejected_steps);
  json.end_object();
  json.end_object();
  return json.str();
}

}  // namespace lactsim
