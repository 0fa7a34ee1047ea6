#include "plot_run_figures.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/json_reader.hpp"
#include "lactsim/io/observables.hpp"
#include "lactsim/io/run_outputs.hpp"
#include "lactsim/io/run_scenarios.hpp"
#include "infant_weight_reference.hpp"
#include "plot_csv.hpp"
#include "lactsim/plot/plot_templates.hpp"
#include "lactsim/engine/infant_weight.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/engine/unit_conversion.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;

// ---- summary.json: the few fields figures need (json_reader.hpp). ----

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({file.string(), 0, 0}, "", "cannot read file (is this a `lactsim run` output directory?)");
  return read_bounded(in, file, limits::kMaxJsonFileBytes, "");
}

const JsonNode& require_member(const JsonNode& node, std::string_view key, const fs::path& file,
                               const std::string& path) {
  if (const JsonNode* child = node.member(key)) return *child;
  throw InputError({file.string(), 0, 0}, path + std::string(key), "missing field");
}

/// The observed series of a run, from the first of `candidates` that is a regular file (a
/// FIFO or device there would block or never end the read): the copy of the
/// scenario in the result folder (so the data are found from any folder, or on another
/// machine), then the scenario file by the absolute path and the path as given that
/// summary.json records (outputs of lactsim versions without the copy). When none can be
/// used, returns none and says why in `problem`.
std::vector<ObservedSeries> observed_from_scenario_file(const std::vector<std::string>& candidates,
                                                        const std::string& sha256, std::string& problem) {
  std::error_code ec;
  const auto found = std::find_if(candidates.begin(), candidates.end(), [&](const std::string& file) {
    return !file.empty() && fs::is_regular_file(file, ec);
  });
  if (found == candidates.end()) {
    const std::string file = candidates.empty() ? std::string() : candidates.back();
    problem = std::string("no ") + kScenarioCopyFileName + " in the result folder, and scenario file '" + file +
              "' (as recorded in summary.json) not found from " + fs::current_path(ec).string();
    return {};
  }
  const std::string& file = *found;
  try {
    Scenario scenario = load_scenario(file);
    if (!sha256.empty() && scenario.sha256 != sha256) {
      problem = "scenario file '" + file + "' changed since the run (SHA-256 differs)";
      return {};
    }
    return scenario.observed;
  } catch (const InputError& error) {
    problem = error.what();
    return {};
  }
}

/// The observed series as the run wrote them to its observed.csv (docs/outputs.md): what the
/// figures draw when the scenario file cannot be reloaded. That file keeps values in the
/// model's units and no labels, so the legend names each series by its source.
std::vector<ObservedSeries> observed_from_run_csv(const fs::path& file) {
  const CsvTable table = read_csv_table(file);
  const std::size_t c_series = table.require_column("series"), c_quantity = table.require_column("quantity"),
                    c_unit = table.require_column("unit"), c_day = table.require_column("day"),
                    c_time = table.require_column("time_h"), c_observed = table.require_column("observed"),
                    c_sd = table.require_column("sd"), c_sd_origin = table.require_column("sd_origin"),
                    c_min = table.require_column("range_min"), c_max = table.require_column("range_max"),
                    c_source = table.require_column("source");
  std::vector<ObservedSeries> out;
  std::vector<std::string> series_ids;
  for (std::size_t row = 0; row < table.rows(); ++row) {
    const std::string& id = table.text(row, c_series);
    auto at = std::find(series_ids.begin(), series_ids.end(), id);
    if (at == series_ids.end()) {
      series_ids.push_back(id);
      out.push_back({table.text(row, c_quantity), table.text(row, c_unit), table.text(row, c_source), "", {}, {}});
      at = series_ids.end() - 1;
    }
    ObservedPoint point{};
    if (const auto day = table.optional_number(row, c_day)) point.day = static_cast<int>(std::lround(*day));
    point.time_h = table.optional_number(row, c_time);
    point.value = table.number(row, c_observed);
    // Only a reported SD is an SD of the data; the others were derived for weighting.
    if (table.text(row, c_sd_origin) == to_string(SigmaOrigin::reported_sd)) point.sd = table.number(row, c_sd);
    point.min = table.optional_number(row, c_min);
    point.max = table.optional_number(row, c_max);
    point.where = {file.string(), table.line_of(row), 1};
    out[static_cast<std::size_t>(at - series_ids.begin())].points.push_back(point);
  }
  return out;
}

bool flag(const CsvTable& table, std::size_t row, std::size_t column) { return table.number(row, column) != 0.0; }

// ---- figure building helpers ----

/// Observed points of one series for a day-indexed figure: day, value, low, high.
struct DailyObservation {
  int day;
  double value, low, high;
};

std::vector<DailyObservation> daily_observations(const ObservedSeries& series) {
  std::vector<DailyObservation> out;
  for (const ObservedPoint& point : series.points) {
    if (!point.day) continue;
    double low = point.value, high = point.value;
    if (point.sd) low = point.value - *point.sd, high = point.value + *point.sd;
    if (point.min) low = *point.min;
    if (point.max) high = *point.max;
    out.push_back({*point.day, point.value, low, high});
  }
  return out;
}

bool is_daily_milk(const ObservedSeries& series) {
  return series.quantity == "milk_transferred_daily" || series.quantity == "milk_daily";
}

std::string spread_description(const ObservedSeries& series) {
  bool sd = false, range = false;
  for (const auto& point : series.points) sd |= point.sd.has_value(), range |= point.min.has_value() || point.max.has_value();
  if (range) return "bars: range";
  if (sd) return "bars: ±1 SD";
  return "";
}

/// Day-axis tick spacing that keeps labels apart on long runs.
std::string day_tic_step(int days) { return days <= 14 ? "1" : days <= 28 ? "2" : "7"; }

int max_day(const std::vector<PlotScenario>& scenarios) {
  int days = 1;
  for (const auto& s : scenarios) {
    if (!s.days.empty()) days = std::max(days, *std::max_element(s.days.begin(), s.days.end()));
  }
  return days;
}

/// Wide CSV of daily milk: day, then one column per scenario (empty where a scenario has no such day).
std::string daily_milk_csv(const std::vector<PlotScenario>& scenarios, int days) {
  std::string out = "day";
  for (const auto& s : scenarios) out += "," + safe_file_stem(s.stem) + "_milk_ml_per_day";
  out += "\n";
  for (int day = 1; day <= days; ++day) {
    out += std::to_string(day);
    for (const auto& s : scenarios) {
      auto it = std::find(s.days.begin(), s.days.end(), day);
      out += ",";
      if (it != s.days.end()) out += format_number(s.milk_ml_per_day[static_cast<std::size_t>(it - s.days.begin())]);
    }
    out += "\n";
  }
  return out;
}

std::string clock_of_hour(double time_h) {
  const long minutes = std::lround(time_h * kMinutesPerHour);
  char text[32];
  std::snprintf(text, sizeof text, "%.1f h after birth", static_cast<double>(minutes) / kMinutesPerHour);
  return text;
}

struct Interval {
  double start_h, end_h;
};

/// Sessions of one kind as intervals: from the first row with the flag set to the first
/// row after it without (the stimulus flag holds from its row's time on).
template <typename Flag>
std::vector<Interval> intervals(const std::vector<TracePoint>& trace, Flag flag_of) {
  std::vector<Interval> out;
  for (std::size_t i = 0; i < trace.size(); ++i) {
    if (!flag_of(trace[i]) || (i > 0 && flag_of(trace[i - 1]))) continue;
    std::size_t j = i;
    while (j + 1 < trace.size() && flag_of(trace[j + 1])) ++j;
    const double end_h = j + 1 < trace.size() ? trace[j + 1].time_h : trace[j].time_h;
    out.push_back({trace[i].time_h, end_h});
  }
  return out;
}

}  // namespace

PlotScenario read_scenario_outputs(const fs::path& scenario_dir, std::vector<std::string>& notes) {
  PlotScenario out;
  out.stem = scenario_dir.filename().string();
  if (out.stem.empty()) out.stem = scenario_dir.parent_path().filename().string();

  const fs::path summary_file = scenario_dir / "summary.json";
  const auto summary = parse_json(read_text(summary_file), summary_file);
  const JsonNode& scenario = require_member(*summary, "scenario", summary_file, "");
  const JsonNode& endpoints = require_member(*summary, "endpoints", summary_file, "");
  out.name = require_member(scenario, "name", summary_file, "scenario.").text;
  const JsonNode& onset = require_member(endpoints, "onset_lactogenesis_ii_h", summary_file, "endpoints.");
  if (onset.kind == JsonNode::Kind::number) out.onset_h = onset.number;
  const JsonNode* file = scenario.member("file");
  const JsonNode* absolute_file = scenario.member("absolute_file");
  const JsonNode* sha = scenario.member("sha256");
  std::string problem;
  out.observed = observed_from_scenario_file({(scenario_dir / kScenarioCopyFileName).string(),
                                               absolute_file ? absolute_file->text : "", file ? file->text : ""},
                                              sha ? sha->text : "", problem);
  std::error_code ec;
  if (!problem.empty() && fs::is_regular_file(scenario_dir / "observed.csv", ec)) {
    // The run's own record of its observed data, beside summary.json: found wherever the
    // plot is made from, and it cannot have changed since the run.
    try {
      out.observed = observed_from_run_csv(scenario_dir / "observed.csv");
      notes.push_back(out.stem + ": observed data drawn from " + (scenario_dir / "observed.csv").string() +
                      " (values in the model's units, each series named by its source): " + problem);
    } catch (const InputError& error) {  // e.g. a source with a line break, which CsvTable cannot read back
      notes.push_back(out.stem + ": observed data not drawn: " + problem + "; and " + error.what());
    }
  } else if (!problem.empty()) {
    notes.push_back(out.stem + ": observed data (if any) not drawn: " + problem);
  }

  const CsvTable daily = read_csv_table(scenario_dir / "daily.csv");
  const std::size_t day_column = daily.require_column("day");
  const std::size_t milk_column = daily.require_column("milk_ml");
  for (std::size_t row = 0; row < daily.rows(); ++row) {
    out.days.push_back(static_cast<int>(std::lround(daily.number(row, day_column))));
    out.milk_ml_per_day.push_back(daily.number(row, milk_column));
  }

  const CsvTable series = read_csv_table(scenario_dir / "timeseries.csv");
  const std::size_t c_time = series.require_column("time_h"), c_pain = series.require_column("pain_nrs"),
                    c_effective = series.require_column("effective_pain_nrs"),
                    c_oxytocin = series.require_column("oxytocin_uU_ml"),
                    c_prolactin = series.require_column("prolactin_ng_ml"),
                    c_activation = series.require_column("activation"),
                    c_stored = series.require_column("milk_stored_ml"), c_feeding = series.require_column("feeding"),
                    c_pumping = series.require_column("pumping"), c_massage = series.require_column("massage");
  if (const auto c_weight = series.find_column("infant_weight_change_percent")) {
    for (std::size_t row = 0; row < series.rows(); ++row) out.weight_change_percent.push_back(series.number(row, *c_weight));
  }
  if (const JsonNode* birth_weight = endpoints.member("infant_birth_weight_g");
      birth_weight && birth_weight->kind == JsonNode::Kind::number) {
    out.birth_weight_g = birth_weight->number;
  }
  out.trace.reserve(series.rows());
  for (std::size_t row = 0; row < series.rows(); ++row) {
    out.trace.push_back({series.number(row, c_time), series.number(row, c_pain), series.number(row, c_effective),
                         series.number(row, c_oxytocin), series.number(row, c_prolactin),
                         series.number(row, c_activation), series.number(row, c_stored),
                         flag(series, row, c_feeding), flag(series, row, c_pumping), flag(series, row, c_massage)});
  }
  return out;
}

PlotScenario plot_scenario_of_run(const ScenarioRun& run, const std::string& stem) {
  // A number as the run's files hold it (format_number, read back as CsvTable does): the
  // figures' data then match those `lactsim plot` computes from the files to the last digit.
  const auto as_written = [](double value) {
    if (!std::isfinite(value)) return value;
    return parse_plain_number(format_number(value)).value_or(value);
  };
  const auto column = [](const std::vector<ResultColumn>& table, std::string_view name) -> const std::vector<double>& {
    for (const ResultColumn& c : table) {
      if (c.name == name) return c.values;
    }
    throw std::logic_error("plot_scenario_of_run: no result column " + std::string(name));
  };
  PlotScenario out;
  out.stem = stem;
  out.name = run.scenario.name;
  if (run.endpoints.onset_h) out.onset_h = as_written(*run.endpoints.onset_h);
  out.observed = run.scenario.observed;

  const std::vector<ResultColumn> daily = daily_table(run.result);
  const std::vector<double>& day = column(daily, "day");
  const std::vector<double>& milk = column(daily, "milk_ml");
  for (std::size_t row = 0; row < day.size(); ++row) {
    out.days.push_back(static_cast<int>(std::lround(day[row])));
    out.milk_ml_per_day.push_back(as_written(milk[row]));
  }

  const std::vector<ResultColumn> series = timeseries_table(run.scenario, run.result);
  const std::vector<double>&time = column(series, "time_h"), &pain = column(series, "pain_nrs"),
                           &effective = column(series, "effective_pain_nrs"),
                           &oxytocin = column(series, "oxytocin_uU_ml"), &prolactin = column(series, "prolactin_ng_ml"),
                           &activation = column(series, "activation"), &stored = column(series, "milk_stored_ml"),
                           &feeding = column(series, "feeding"), &pumping = column(series, "pumping"),
                           &massage = column(series, "massage");
  for (double change : column(series, "infant_weight_change_percent")) out.weight_change_percent.push_back(as_written(change));
  out.birth_weight_g = as_written(run.scenario.birth_weight_g);
  out.trace.reserve(time.size());
  for (std::size_t row = 0; row < time.size(); ++row) {
    out.trace.push_back({as_written(time[row]), as_written(pain[row]), as_written(effective[row]),
                         as_written(oxytocin[row]), as_written(prolactin[row]), as_written(activation[row]),
                         as_written(stored[row]), feeding[row] != 0.0, pumping[row] != 0.0, massage[row] != 0.0});
  }
  return out;
}

std::vector<Figure> run_figures(const std::vector<PlotScenario>& scenarios, const std::string& reference_stem,
                                std::vector<std::string>& notes) {
  std::vector<Figure> figures;
  if (scenarios.empty()) return figures;
  figures.push_back(daily_milk_figure(scenarios));
  for (const PlotScenario& scenario : scenarios) figures.push_back(traces_figure(scenario));
  if (std::any_of(scenarios.begin(), scenarios.end(), [](const PlotScenario& s) { return !s.weight_change_percent.empty(); })) {
    figures.push_back(infant_weight_figure(scenarios));
  }
  if (scenarios.size() >= 2) {
    figures.push_back(comparison_figure(scenarios, choose_reference(scenarios, reference_stem)));
  } else if (!reference_stem.empty()) {
    notes.push_back("the reference scenario given is ignored: the comparison figure needs two or more scenarios");
  }
  return figures;
}

Figure daily_milk_figure(const std::vector<PlotScenario>& scenarios) {
  if (scenarios.empty()) throw std::invalid_argument("daily_milk_figure: no scenarios");
  Figure figure;
  figure.name = "daily_milk";
  const int days = max_day(scenarios);
  figure.data_files.emplace_back("daily_milk.csv", daily_milk_csv(scenarios, days));

  std::vector<std::string> elements;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const std::string title = "model: " + scenarios[i].name;
    elements.push_back("'daily_milk.csv' using 1:" + std::to_string(i + 2) + " with linespoints ls " +
                       std::to_string(i % 6 + 1) + " title " + gnuplot_quote(title));
    figure.series_titles.push_back(title);
  }
  // Observed series, once each even when several scenarios cite the same source.
  std::vector<std::string> seen;
  int observed_index = 0;
  for (const auto& scenario : scenarios) {
    for (const ObservedSeries& series : scenario.observed) {
      if (!is_daily_milk(series)) continue;
      const std::string key = series.label + "|" + series.source;
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
      seen.push_back(key);
      const auto points = daily_observations(series);
      if (points.empty()) continue;
      // Drawn in the model's unit (mL/day) when the library defines the conversion (g/day:
      // milk density 1.03 g/mL); otherwise as reported, and the legend says so.
      const auto factor = to_model_unit_factor(series.quantity, series.unit);
      const std::string unit = factor ? std::string(*model_unit(series.quantity)) : series.unit;
      const std::string unit_note = !factor ? series.unit + ", not converted"
                                    : unit == series.unit ? unit
                                                          : series.unit + " as mL/day";
      ++observed_index;
      const std::string file = "daily_milk_observed_" + std::to_string(observed_index) + ".csv";
      // Quoted like script text, so a line break in the source cannot start a data row.
      std::string csv = "# " + gnuplot_quote(series.source) + "\n# reported in " + gnuplot_quote(series.unit) +
                        "; columns in " + gnuplot_quote(unit) + "\nday,value,low,high\n";
      const double scale = factor.value_or(1.0);
      for (const auto& p : points) {
        csv += std::to_string(p.day) + "," + format_number(scale * p.value) + "," + format_number(scale * p.low) + "," +
               format_number(scale * p.high) + "\n";
      }
      figure.data_files.emplace_back(file, csv);
      const std::string spread = spread_description(series);
      const std::string title = "observed: " + (series.label.empty() ? series.source : series.label) + " (" +
                                unit_note + (spread.empty() ? "" : "; " + spread) + ")";
      elements.push_back(gnuplot_quote(file) + " using 1:2:3:4 with yerrorbars ls " +
                         std::to_string(10 + (observed_index - 1) % 6 + 1) + " title " + gnuplot_quote(title));
      figure.series_titles.push_back(title);
    }
  }
  const std::string title = scenarios.size() == 1 ? scenarios[0].name + ": milk transferred per day"
                                                  : "Milk transferred to the infant per day";
  figure.script = fill_plot_template(
      plot_template("daily_milk"),
      {{"PREAMBLE", figure_preamble(figure.name)},
       {"TERMINAL", figure_terminal(900, 560 + 22 * static_cast<int>(elements.size()), 11)},
       {"BOTTOM_MARGIN", format_number((80.0 + 22.0 * static_cast<double>(elements.size())) /
                                       (560.0 + 22.0 * static_cast<double>(elements.size())))},
       {"TITLE", gnuplot_quote(title)},
       {"MAX_DAY", std::to_string(days)},
       {"DAY_TIC_STEP", day_tic_step(days)},
       {"PLOT_ELEMENTS", plot_element_lines(elements)}});
  if (observed_index == 0) {
    figure.script.insert(0, "# No observed daily milk series in these scenarios' files.\n");
  }
  return figure;
}

namespace {

/// An observed infant weight series as rows "days,value,low,high" in percent of birth weight;
/// empty when the series is not an infant weight, its unit has no conversion or (for weights in
/// g or kg) the birth weight is unknown.
std::string observed_weight_change_rows(const ObservedSeries& series, std::optional<double> birth_weight_g) {
  const bool change = series.quantity == "infant_weight_change";
  if (!change && series.quantity != "infant_weight") return {};
  const auto factor = to_model_unit_factor(series.quantity, series.unit);
  if (!factor || (!change && !birth_weight_g)) return {};
  const auto percent = [&](double value) {
    const double model_value = *factor * value;
    return change ? model_value : weight_change_percent(model_value, *birth_weight_g);
  };
  std::string rows;
  for (const ObservedPoint& point : series.points) {
    // A day's observation is the weight at the day's end (docs/model.md §Infant weight).
    const std::optional<double> time_h = point.time_h ? point.time_h
                                         : point.day  ? std::optional<double>(24.0 * *point.day)
                                                      : std::nullopt;
    if (!time_h) continue;
    double low = point.value, high = point.value;
    if (point.sd) low = point.value - *point.sd, high = point.value + *point.sd;
    if (point.min) low = *point.min;
    if (point.max) high = *point.max;
    rows += format_number(*time_h / 24.0) + "," + format_number(percent(point.value)) + "," +
            format_number(percent(low)) + "," + format_number(percent(high)) + "\n";
  }
  return rows;
}

}  // namespace

Figure infant_weight_figure(const std::vector<PlotScenario>& scenarios) {
  Figure figure;
  figure.name = "infant_weight";
  std::vector<std::string> elements;
  double max_time_h = 0;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const PlotScenario& scenario = scenarios[i];
    if (scenario.weight_change_percent.empty() || scenario.weight_change_percent.size() != scenario.trace.size()) continue;
    std::string csv = "time_days,infant_weight_change_percent\n";
    for (std::size_t row = 0; row < scenario.trace.size(); ++row) {
      csv += format_number(scenario.trace[row].time_h / 24.0) + "," + format_number(scenario.weight_change_percent[row]) + "\n";
    }
    max_time_h = std::max(max_time_h, scenario.trace.back().time_h);
    const std::string file = "infant_weight_model_" + std::to_string(i + 1) + ".csv";
    figure.data_files.emplace_back(file, csv);
    const std::string title = "model: " + scenario.name;
    elements.push_back(gnuplot_quote(file) + " using 1:2 with lines ls " + std::to_string(i % 6 + 1) + " title " +
                       gnuplot_quote(title));
    figure.series_titles.push_back(title);
  }
  if (elements.empty()) throw std::invalid_argument("infant_weight_figure: no scenario with infant weights");

  elements.push_back(add_vaginal_nomogram_reference(figure, "infant_weight_nomogram.csv"));

  std::vector<std::string> seen;
  int observed_index = 0;
  for (const PlotScenario& scenario : scenarios) {
    for (const ObservedSeries& series : scenario.observed) {
      const std::string key = series.quantity + "|" + series.label + "|" + series.source;
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
      const std::string rows = observed_weight_change_rows(series, scenario.birth_weight_g);
      if (rows.empty()) continue;
      seen.push_back(key);
      ++observed_index;
      const std::string file = "infant_weight_observed_" + std::to_string(observed_index) + ".csv";
      figure.data_files.emplace_back(file, "# " + gnuplot_quote(series.source) + "\n# reported in " +
                                               gnuplot_quote(series.unit) + "; columns in % of birth weight\n" +
                                               "time_days,value,low,high\n" + rows);
      const std::string spread = spread_description(series);
      const std::string unit_note = series.quantity == "infant_weight" ? series.unit + " as % of birth weight" : series.unit;
      const std::string title = "observed: " + (series.label.empty() ? series.source : series.label) + " (" + unit_note +
                                (spread.empty() ? "" : "; " + spread) + ")";
      elements.push_back(gnuplot_quote(file) + " using 1:2:3:4 with yerrorbars ls " +
                         std::to_string(10 + (observed_index - 1) % 6 + 1) + " title " + gnuplot_quote(title));
      figure.series_titles.push_back(title);
    }
  }
  const std::string title = scenarios.size() == 1 ? scenarios[0].name + ": infant weight" : "Infant weight after birth";
  const double rows = static_cast<double>(elements.size());
  figure.script = fill_plot_template(
      plot_template("infant_weight"),
      {{"PREAMBLE", figure_preamble(figure.name)},
       {"TERMINAL", figure_terminal(900, 560 + 22 * static_cast<int>(elements.size()), 11)},
       {"BOTTOM_MARGIN", format_number((80.0 + 22.0 * rows) / (560.0 + 22.0 * rows))},
       {"TITLE", gnuplot_quote(title)},
       {"MAX_DAY", format_number(std::ceil(max_time_h / 24.0))},
       {"PLOT_ELEMENTS", plot_element_lines(elements)}});
  return figure;
}

Figure traces_figure(const PlotScenario& scenario) {
  if (scenario.trace.size() < 2) throw std::invalid_argument("traces_figure: fewer than two timeseries rows");
  Figure figure;
  // The stem is a directory name (any bytes but '/' and NUL): reduced to a safe file name, so
  // the data files need no characters gnuplot_quote() would replace.
  figure.name = "traces_" + safe_file_stem(scenario.stem);
  const std::string trace_file = figure.name + ".csv";
  const std::string sessions_file = figure.name + "_sessions.csv";
  const std::string zoom_file = figure.name + "_zoom.csv";

  std::string trace_csv =
      "time_day,pain_nrs,effective_pain_nrs,oxytocin_uU_ml,prolactin_ng_ml,activation,milk_stored_ml\n";
  for (const TracePoint& p : scenario.trace) {
    trace_csv += format_number(p.time_h / kHoursPerDay) + "," + format_number(p.pain_nrs) + "," +
                 format_number(p.effective_pain_nrs) + "," + format_number(p.oxytocin_uU_ml) + "," +
                 format_number(p.prolactin_ng_ml) + "," + format_number(p.activation) + "," +
                 format_number(p.milk_stored_ml) + "\n";
  }
  figure.data_files.emplace_back(trace_file, trace_csv);

  const auto feeds = intervals(scenario.trace, [](const TracePoint& p) { return p.feeding; });
  const auto pumps = intervals(scenario.trace, [](const TracePoint& p) { return p.pumping; });
  const auto massages = intervals(scenario.trace, [](const TracePoint& p) { return p.massage; });
  std::string sessions_csv = "kind,start_day,end_day\n";
  for (const auto& [kind, list] : {std::pair{"feed", &feeds}, std::pair{"pumping", &pumps}, std::pair{"massage", &massages}}) {
    for (const Interval& i : *list) {
      sessions_csv += std::string(kind) + "," + format_number(i.start_h / kHoursPerDay) + "," +
                      format_number(i.end_h / kHoursPerDay) + "\n";
    }
  }
  figure.data_files.emplace_back(sessions_file, sessions_csv);

  // Sessions strip: ticks for feeds and pumping, bars for massage.
  std::vector<std::string> session_elements;
  const std::string quoted_sessions = gnuplot_quote(sessions_file);
  auto strip = [&](const char* kind, double y, const char* style) {
    session_elements.push_back(quoted_sessions + " using (strcol(1) eq '" + kind + "' ? $2 : NaN):(" +
                               format_number(y - 0.4) + "):(0):(0.8) with " + style + " notitle");
  };
  strip("feed", 2.5, "vectors nohead lc rgb '#000000' lw 1");
  strip("pumping", 1.5, "vectors nohead lc rgb '#0072B2' lw 1");
  session_elements.push_back(quoted_sessions +
                             " using (strcol(1) eq 'massage' ? ($2 + $3) / 2 : NaN):(0.5):(($3 - $2) / 2):(0.4) "
                             "with boxxyerror fs solid 1.0 noborder lc rgb '#555555' notitle");

  std::string massage_objects;
  int object_id = 1;
  for (const Interval& i : massages) {
    massage_objects += "  set object " + std::to_string(object_id++) + " rect from first " +
                       format_number(i.start_h / kHoursPerDay) + ", graph 0 to first " +
                       format_number(i.end_h / kHoursPerDay) +
                       ", graph 1 behind fc rgb '#d0d0d0' fillstyle solid 1.0 noborder\n";
  }
  if (massages.empty()) massage_objects = "  # (no massage sessions)\n";

  // Onset: model (from summary.json) and observed onset series, as vertical lines.
  std::string onset_elements;
  std::string onset_csv = "kind,day,activation\n";
  if (scenario.onset_h) {
    const std::string d = format_number(*scenario.onset_h / kHoursPerDay);
    onset_csv += "model," + d + ",0\nmodel," + d + ",1\n";
  }
  std::vector<std::string> observed_onset_titles;
  for (const ObservedSeries& series : scenario.observed) {
    if (series.quantity != "onset_time" || series.points.empty() || !series.points.front().time_h) continue;
    const std::string d = format_number(*series.points.front().time_h / kHoursPerDay);
    const std::string kind = "observed" + std::to_string(observed_onset_titles.size() + 1);
    onset_csv += kind + "," + d + ",0\n" + kind + "," + d + ",1\n";
    observed_onset_titles.push_back((series.label.empty() ? series.source : series.label) + ": onset " +
                                    format_number(*series.points.front().time_h) + " h");
  }
  const std::string onset_file = figure.name + "_onset.csv";
  if (scenario.onset_h || !observed_onset_titles.empty()) {
    figure.data_files.emplace_back(onset_file, onset_csv);
    if (scenario.onset_h) {
      char text[64];
      std::snprintf(text, sizeof text, "model onset (activation 0.5): %.1f h", *scenario.onset_h);
      onset_elements += ", \\\n    " + gnuplot_quote(onset_file) +
                        " using (strcol(1) eq 'model' ? $2 : NaN):3 with lines ls 1 dt 2 lw 1.5 title " +
                        gnuplot_quote(text);
      figure.series_titles.push_back(text);
    }
    for (std::size_t i = 0; i < observed_onset_titles.size(); ++i) {
      onset_elements += ", \\\n    " + gnuplot_quote(onset_file) + " using (strcol(1) eq 'observed" +
                        std::to_string(i + 1) + "' ? $2 : NaN):3 with lines lc rgb '#000000' dt 3 lw 2 title " +
                        gnuplot_quote("observed " + observed_onset_titles[i]);
      figure.series_titles.push_back("observed " + observed_onset_titles[i]);
    }
  }

  // Zoom feed: the first feed on day 3 that follows a massage that day, else the first on
  // day 3, else the last feed; with no feeds, the middle of the run.
  constexpr double kZoomDayStartH = 48.0;
  std::optional<Interval> zoom_feed;
  for (const Interval& feed : feeds) {
    if (feed.start_h < kZoomDayStartH || feed.start_h >= kZoomDayStartH + kHoursPerDay) continue;
    const bool after_massage = std::any_of(massages.begin(), massages.end(), [&](const Interval& m) {
      return m.end_h <= feed.start_h + 1e-9 && m.start_h >= kZoomDayStartH;
    });
    if (!zoom_feed) zoom_feed = feed;
    if (after_massage) {
      zoom_feed = feed;
      break;
    }
  }
  if (!zoom_feed && !feeds.empty()) zoom_feed = feeds.back();
  const double zoom_centre_h =
      zoom_feed ? zoom_feed->start_h : 0.5 * (scenario.trace.front().time_h + scenario.trace.back().time_h);
  constexpr double kZoomBeforeMin = 60.0, kZoomAfterMin = 90.0;
  std::string zoom_csv = "minutes_from_feed_start,oxytocin_uU_ml,prolactin_ng_ml,milk_stored_ml\n";
  for (const TracePoint& p : scenario.trace) {
    const double minutes = (p.time_h - zoom_centre_h) * kMinutesPerHour;
    if (minutes < -kZoomBeforeMin - 1e-9 || minutes > kZoomAfterMin + 1e-9) continue;
    zoom_csv += format_number(minutes) + "," + format_number(p.oxytocin_uU_ml) + "," +
                format_number(p.prolactin_ng_ml) + "," + format_number(p.milk_stored_ml) + "\n";
  }
  figure.data_files.emplace_back(zoom_file, zoom_csv);
  std::string zoom_objects;
  object_id = 1;
  auto zoom_band = [&](const Interval& i, const char* colour) {
    const double from = (i.start_h - zoom_centre_h) * kMinutesPerHour, to = (i.end_h - zoom_centre_h) * kMinutesPerHour;
    if (to < -kZoomBeforeMin || from > kZoomAfterMin) return;
    zoom_objects += "  set object " + std::to_string(object_id++) + " rect from first " +
                    format_number(std::max(from, -kZoomBeforeMin)) + ", graph 0 to first " +
                    format_number(std::min(to, kZoomAfterMin)) + ", graph 1 behind fc rgb '" + colour +
                    "' fillstyle solid 1.0 noborder\n";
  };
  for (const Interval& i : feeds) zoom_band(i, "#e8e8e8");
  for (const Interval& i : massages) zoom_band(i, "#d0d0d0");
  if (zoom_objects.empty()) zoom_objects = "  # (no sessions in the zoom window)\n";
  const std::string quoted_zoom = gnuplot_quote(zoom_file);
  const std::string zoom_elements = plot_element_lines(
      {quoted_zoom + " using 1:2 with linespoints ls 2 ps 0.7 title 'oxytocin (left axis)'",
       quoted_zoom + " using 1:3 axes x1y2 with linespoints ls 3 ps 0.7 title 'prolactin (right axis)'"});
  std::string zoom_title = zoom_feed ? "Zoom: the feed on day " + std::to_string(static_cast<int>(zoom_centre_h / kHoursPerDay) + 1) +
                                           ", " + clock_of_hour(zoom_centre_h) +
                                           " (light band: feed" + (massages.empty() ? "" : "; dark: massage") + ")"
                                     : "Zoom: middle of the run (no feeds)";
  for (const char* t : {"pain, reported/profile", "pain + delivery stress, after massage relief", "oxytocin", "prolactin",
                        "secretory activation", "milk stored in the breast", "oxytocin (left axis)",
                        "prolactin (right axis)"}) {
    figure.series_titles.emplace_back(t);
  }

  const int days = static_cast<int>(std::ceil(scenario.trace.back().time_h / kHoursPerDay - 1e-9));
  figure.script = fill_plot_template(plot_template("traces"),
                                     {{"SCRIPT_FILE", gnuplot_quote(figure.name + ".gp")},
                                      {"SESSIONS_FILE", gnuplot_quote(sessions_file)},
                                      {"PREAMBLE", figure_preamble(figure.name)},
                                      {"TERMINAL", figure_terminal(1000, 1350, 11)},
                                      {"TITLE", gnuplot_quote(scenario.name)},
                                      {"MAX_DAY", std::to_string(std::max(days, 1))},
                                      {"DAY_TIC_STEP", day_tic_step(days)},
                                      {"KEY_FONT_SIZE", "9"},
                                      {"MASSAGE_OBJECTS", massage_objects},
                                      {"SESSION_ELEMENTS", plot_element_lines(session_elements)},
                                      {"TRACE_FILE", gnuplot_quote(trace_file)},
                                      {"ONSET_MARKS", ""},
                                      {"ONSET_ELEMENTS", onset_elements},
                                      {"ZOOM_OBJECTS", zoom_objects},
                                      {"ZOOM_TITLE", gnuplot_quote(zoom_title)},
                                      {"ZOOM_FROM_MIN", format_number(-kZoomBeforeMin)},
                                      {"ZOOM_TO_MIN", format_number(kZoomAfterMin)},
                                      {"ZOOM_ELEMENTS", zoom_elements}});
  return figure;
}

Figure comparison_figure(const std::vector<PlotScenario>& scenarios, std::size_t reference) {
  if (scenarios.size() < 2) throw std::invalid_argument("comparison_figure: needs at least two scenarios");
  if (reference >= scenarios.size()) throw std::invalid_argument("comparison_figure: reference index out of range");
  Figure figure;
  figure.name = "comparison";
  const int days = max_day(scenarios);
  figure.data_files.emplace_back("comparison_daily.csv", daily_milk_csv(scenarios, days));

  // Differences: one column per non-reference scenario, in mL/day.
  const PlotScenario& base = scenarios[reference];
  std::string diff_csv = "day";
  std::vector<std::size_t> others;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    if (i == reference) continue;
    others.push_back(i);
    diff_csv += "," + safe_file_stem(scenarios[i].stem) + "_minus_" + safe_file_stem(base.stem) + "_ml_per_day";
  }
  diff_csv += "\n";
  auto milk_on = [](const PlotScenario& s, int day) -> std::optional<double> {
    auto it = std::find(s.days.begin(), s.days.end(), day);
    if (it == s.days.end()) return std::nullopt;
    return s.milk_ml_per_day[static_cast<std::size_t>(it - s.days.begin())];
  };
  double lowest = 0.0, highest = 0.0;
  for (int day = 1; day <= days; ++day) {
    diff_csv += std::to_string(day);
    for (std::size_t i : others) {
      const auto a = milk_on(scenarios[i], day), b = milk_on(base, day);
      diff_csv += "," + (a && b ? format_number(*a - *b) : std::string());
      if (a && b) lowest = std::min(lowest, *a - *b), highest = std::max(highest, *a - *b);
    }
    diff_csv += "\n";
  }
  figure.data_files.emplace_back("comparison_difference.csv", diff_csv);

  std::vector<std::string> daily_elements, difference_elements;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const std::string title = scenarios[i].name + (i == reference ? " (reference)" : "");
    daily_elements.push_back("'comparison_daily.csv' using 1:" + std::to_string(i + 2) + " with linespoints ls " +
                             std::to_string(i % 6 + 1) + " title " + gnuplot_quote(title));
    figure.series_titles.push_back(title);
  }
  // Side-by-side boxes when there are several differences; fill patterns tell them apart in grey.
  const double group_width = 0.7;
  const double box_width = group_width / static_cast<double>(others.size());
  for (std::size_t k = 0; k < others.size(); ++k) {
    const std::size_t i = others[k];
    const double offset = -group_width / 2 + box_width * (static_cast<double>(k) + 0.5);
    const std::string title = scenarios[i].name + " minus " + base.name;
    difference_elements.push_back("'comparison_difference.csv' using ($1 + " + format_number(offset) + "):" +
                                  std::to_string(k + 2) + " with boxes ls " + std::to_string(i % 6 + 1) +
                                  " lw 1.5 fs pattern " + std::to_string(k % 4 == 0 ? 1 : k % 4 + 3) +
                                  " border title " + gnuplot_quote(title));
    figure.series_titles.push_back(title);
  }
  // Value labels just beyond the end of each bar (above positive, below negative ones).
  const std::string label_gap = format_number(0.06 * std::max(highest - lowest, 1.0));
  difference_elements.push_back("'comparison_difference.csv' using 1:(column(2) + (column(2) >= 0 ? 1 : -1) * " +
                                label_gap + "):(sprintf('%+.0f', column(2))) with labels center font ',9' notitle");
  if (others.size() != 1) difference_elements.pop_back();  // value labels only when unambiguous

  // Titled from the scenario names while that stays on one line.
  std::string comparison_title = "Milk to the infant per day: ";
  for (std::size_t i = 0; i < scenarios.size(); ++i) comparison_title += (i ? " vs. " : "") + scenarios[i].name;
  if (comparison_title.size() > 110) comparison_title = "Milk to the infant per day: scenario comparison";
  // Head room above (and below) the bars for value labels and the key.
  const double span = std::max(highest - lowest, 1.0);
  const double y_from = lowest < 0.0 ? lowest - 0.2 * span : 0.0;
  const double y_to = highest + (others.size() == 1 ? 0.2 : 0.1) * span;
  // Layout in pixels, then screen fractions: each key under its panel (the bottom one under the
  // x label), one line per entry, so no key covers a curve or a bar.
  const double key_line_px = 20.0;
  const double top_key_px = key_line_px * static_cast<double>(scenarios.size()) + 14.0;
  const double bottom_key_px = others.size() == 1 ? 0.0 : key_line_px * static_cast<double>(others.size()) + 14.0;
  const double title_px = 60.0, top_panel_px = 300.0, gap_px = 18.0, bottom_panel_px = 240.0, x_axis_px = 58.0;
  const double height_px = title_px + top_panel_px + 8.0 + top_key_px + gap_px + bottom_panel_px + x_axis_px + bottom_key_px + 10.0;
  auto screen_y = [&](double px_from_top) { return format_number(1.0 - px_from_top / height_px); };
  const double top_bottom_px = title_px + top_panel_px, bottom_top_px = top_bottom_px + 8.0 + top_key_px + gap_px;
  const double bottom_bottom_px = bottom_top_px + bottom_panel_px;
  // One difference: named in the panel title; several: a key.
  const std::string difference_key =
      others.size() == 1
          ? "  unset key\n  set title " + gnuplot_quote(scenarios[others[0]].name + " minus " + base.name) +
                " offset 0, -0.7 font ',10'"
          : "  set key at screen 0.11, screen " + screen_y(bottom_bottom_px + x_axis_px) +
                " left top Left reverse box samplen 3 spacing 1.1";
  figure.script = fill_plot_template(
      plot_template("comparison"),
      {{"PREAMBLE", figure_preamble(figure.name)},
       {"TERMINAL", figure_terminal(900, static_cast<int>(height_px), 11)},
       {"TITLE", gnuplot_quote(comparison_title)},
       {"TOP_TOP", screen_y(title_px)},
       {"TOP_BOTTOM", screen_y(top_bottom_px)},
       {"TOP_KEY_Y", screen_y(top_bottom_px + 8.0)},
       {"BOTTOM_TOP", screen_y(bottom_top_px)},
       {"BOTTOM_BOTTOM", screen_y(bottom_bottom_px)},
       {"MAX_DAY", std::to_string(days)},
       {"DAY_TIC_STEP", day_tic_step(days)},
       {"BOX_WIDTH", format_number(box_width)},
       {"DIFFERENCE_Y_FROM", format_number(y_from)},
       {"DIFFERENCE_Y_TO", format_number(y_to)},
       {"DIFFERENCE_KEY", difference_key},
       {"DAILY_ELEMENTS", plot_element_lines(daily_elements)},
       {"DIFFERENCE_ELEMENTS", plot_element_lines(difference_elements)}});
  return figure;
}

std::size_t choose_reference(const std::vector<PlotScenario>& scenarios, const std::string& reference_stem) {
  if (!reference_stem.empty()) {
    std::string stems;
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
      if (scenarios[i].stem == reference_stem) return i;
      stems += (stems.empty() ? "" : ", ") + scenarios[i].stem;
    }
    throw InputError({kArgumentsOrigin, 0, 0}, "reference_stem",
                     "no scenario '" + reference_stem + "' in the results (scenarios: " + stems + ")");
  }
  std::optional<std::size_t> control;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    if (scenarios[i].stem.find("control") == std::string::npos) continue;
    if (control) return 0;  // ambiguous: fall back to the first
    control = i;
  }
  return control.value_or(0);
}

}  // namespace lactsim
