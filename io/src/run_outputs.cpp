#include "lactsim/io/run_outputs.hpp"

#include <algorithm>
#include <cmath>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/io/json_writer.hpp"
#include "lactsim/io/observables.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/version.hpp"

namespace lactsim {
namespace {

constexpr double kHoursPerDay = 24.0;
constexpr double kMinutesPerHour = 60.0;

std::string clock_text(double hours_after_midnight) {
  const int minutes = static_cast<int>(std::lround(hours_after_midnight * kMinutesPerHour)) % (24 * 60);
  char text[8];
  std::snprintf(text, sizeof text, "%02d:%02d", minutes / 60, minutes % 60);
  return text;
}

}  // namespace

BuildInfo build_info() { return {LACTSIM_VERSION, LACTSIM_GIT_COMMIT}; }

std::string timeseries_csv(const Scenario& scenario, const RunResult& result) {
  namespace st = model::state;
  std::string out =
      "time_h,day,pain_nrs,effective_pain_nrs,oxytocin_uU_ml,prolactin_ng_ml,prolactin_basal_ng_ml,"
      "prolactin_release_drive,activation,milk_stored_ml,milk_transferred_ml,milk_expressed_ml,"
      "milk_synthesised_ml,synthesis_ml_h,ejection_gate,massage_relief,feeding,pre_feed,pumping,massage\n";
  for (const TimeseriesRow& row : result.timeseries) {
    const int day = std::min(static_cast<int>(std::floor(row.time_h / kHoursPerDay)) + 1, scenario.duration_days);
    const double values[] = {row.time_h,
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
                             row.state[st::massage_relief]};
    out += format_number(values[0]) + "," + std::to_string(day);
    for (std::size_t i = 1; i < std::size(values); ++i) out += "," + format_number(values[i]);
    for (bool flag : {row.stimulus.feeding, row.stimulus.pre_feed, row.stimulus.pumping, row.stimulus.massage}) {
      out += flag ? ",1" : ",0";
    }
    out += '\n';
  }
  return out;
}

std::string daily_csv(const RunResult& result) {
  std::string out = "day,hours,milk_ml,milk_expressed_ml,milk_synthesised_ml,feeds,pumps,massages\n";
  for (const DailyTotals& d : result.daily) {
    out += std::to_string(d.day) + "," + format_number(d.hours_covered) + "," + format_number(d.milk_transferred_ml) +
           "," + format_number(d.milk_expressed_ml) + "," + format_number(d.milk_synthesised_ml) + "," +
           std::to_string(d.feeds) + "," + std::to_string(d.pumps) + "," + std::to_string(d.massages) + "\n";
  }
  return out;
}

std::string summary_json(const Scenario& scenario, const RunOptions& options, const RunResult& result,
                         const Endpoints& endpoints) {
  const BuildInfo build = build_info();
  JsonWriter json;
  json.begin_object();
  json.key("lactsim_version").value(build.version);
  json.key("git_commit").value(build.git_commit);

  json.key("scenario").begin_object();
  json.key("name").value(scenario.name);
  json.key("description").value(scenario.description);
  json.key("file").value(scenario.file.string());
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
  json.key("sessions").begin_object();
  int feeds = 0, pumps = 0, massages = 0;
  for (const DailyTotals& d : result.daily) feeds += d.feeds, pumps += d.pumps, massages += d.massages;
  json.key("feeds").value(feeds).key("pumps").value(pumps).key("massages").value(massages);
  json.end_object();
  json.end_object();

  if (!scenario.observed.empty()) {  // comparison with the observed data (observed.csv has every point)
    json.key("fit_metrics");
    write_metrics_json(json, comparison_metrics(compare_observations(scenario, result)));
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
  json.key("method").value(options.solver.method == SolverMethod::exponential
                               ? "exponential (Lawson) Dormand-Prince 5(4), stopping at every stimulus edge"
                               : "Boost.Odeint controlled runge_kutta_dopri5, stopping at every stimulus edge");
  json.key("solver").value(solver_method_name(options.solver.method));
  json.key("relative_tolerance").value(options.solver.relative_tolerance);
  json.key("absolute_tolerance").value(options.solver.absolute_tolerance);
  json.key("max_step_h").value(options.solver.max_step_h);
  json.key("output_step_min").value(options.output_step_h * kMinutesPerHour);
  json.key("accepted_steps").value(result.stats.accepted_steps);
  json.key("rejected_steps").value(result.stats.rejected_steps);
  json.end_object();
  json.end_object();
  return json.str();
}

}  // namespace lactsim
