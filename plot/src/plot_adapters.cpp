#include "plot_adapters.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "lactsim/engine/errors.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/run_outputs.hpp"
#include "infant_weight_reference.hpp"
#include "plot_analysis_figures.hpp"
#include "plot_labels.hpp"
#include "plot_population_comparison.hpp"
#include "lactsim/plot/plot_templates.hpp"
#include "lactsim/engine/text_format.hpp"

namespace lactsim {
namespace {

bool header_starts_with(const CsvTable& table, const std::vector<std::string>& columns) {
  const auto& header = table.header();
  if (header.size() < columns.size()) return false;
  return std::equal(columns.begin(), columns.end(), header.begin());
}

bool has_columns(const CsvTable& table, const std::vector<std::string>& columns) {
  return std::all_of(columns.begin(), columns.end(), [&](const std::string& c) { return table.find_column(c).has_value(); });
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

/// Whether every cell of `table` is a finite number (what the heat-map contract holds).
bool all_cells_are_numbers(const CsvTable& table) {
  for (std::size_t row = 0; row < table.rows(); ++row) {
    for (std::size_t column = 0; column < table.header().size(); ++column) {
      if (!parse_plain_number(table.text(row, column))) return false;
    }
  }
  return true;
}

/// The header of a table as `lactsim run` writes it (the wide layout).
std::vector<std::string> table_header(const std::vector<ResultColumn>& table) {
  std::vector<std::string> header;
  for (const ResultColumn& column : table) header.emplace_back(column.name);
  return header;
}

/// Whether `table` is a `lactsim run` table: timeseries.csv or daily.csv (all numbers too, but
/// no heat-map input: its figures are drawn from its result folder), or one of their long forms.
bool is_run_table(const CsvTable& table) {
  static const std::vector<std::string> timeseries = table_header(timeseries_table(Scenario{}, RunResult{}));
  static const std::vector<std::string> daily = table_header(daily_table(RunResult{}));
  const auto long_header = [](const std::string& key) {
    return std::vector<std::string>{"scenario", key, "variable", "unit", "value"};
  };
  return table.header() == timeseries || table.header() == daily || table.header() == long_header("time_h") ||
         table.header() == long_header("day");
}

/// The [scenario] name of the scenario with file stem `stem`; the stem when it is not known.
std::string scenario_title(const ScenarioNames& names, const std::string& stem) {
  const auto it = names.find(stem);
  return it == names.end() ? stem : it->second;
}

/// " — <name>" when the figure's input names no scenario but exactly one is known (the command
/// that wrote it ran one scenario).
std::string single_scenario_suffix(const ScenarioNames& names) {
  return names.size() == 1 ? " \u2014 " + names.begin()->second : std::string();
}

/// Figure 4c "population_infant_weight" from a compare table with population columns: per
/// scenario the 5-95% spread (bars) and median (points) of the infant weight change at 24, 48
/// and 72 h, with the vaginal nomogram median; empty when the table has no such rows.
std::optional<Figure> population_infant_weight_figure(const std::string& name, const std::string& title,
                                                      const CsvTable& table, const ScenarioNames& names) {
  const std::size_t c_endpoint = table.require_column("endpoint"), c_scenario = table.require_column("scenario"),
                    c5 = table.require_column("population_p5"), c50 = table.require_column("population_p50"),
                    c95 = table.require_column("population_p95");
  constexpr std::pair<const char*, double> kTimes[] = {{"infant_weight_change_24h_percent", 1.0},
                                                       {"infant_weight_change_48h_percent", 2.0},
                                                       {"infant_weight_change_72h_percent", 3.0}};
  std::vector<std::string> scenarios;
  std::map<std::string, std::string> rows;  // scenario -> "time_days,p5,p50,p95" rows
  for (std::size_t row = 0; row < table.rows(); ++row) {
    const auto time = std::find_if(std::begin(kTimes), std::end(kTimes),
                                   [&](const auto& t) { return table.text(row, c_endpoint) == t.first; });
    if (time == std::end(kTimes)) continue;
    const auto p5 = finite_cell(table, row, c5), p50 = finite_cell(table, row, c50), p95 = finite_cell(table, row, c95);
    if (!p5 || !p50 || !p95) continue;
    if (!(*p5 <= *p50 && *p50 <= *p95)) fail_at(table, row, "population_p50", "percentiles out of order: need p5 <= p50 <= p95");
    const std::string& scenario = table.text(row, c_scenario);
    if (std::find(scenarios.begin(), scenarios.end(), scenario) == scenarios.end()) scenarios.push_back(scenario);
    rows[scenario] += format_number(time->second) + "," + format_number(*p5) + "," + format_number(*p50) + "," +
                      format_number(*p95) + "\n";
  }
  if (scenarios.empty()) return std::nullopt;
  Figure figure;
  figure.name = name;
  std::vector<std::string> elements;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const std::string file = name + "_" + std::to_string(k + 1) + ".csv";
    figure.data_files.emplace_back(file, "time_days,p5,p50,p95\n" + rows[scenarios[k]]);
    // Scenarios side by side around each time point, so their bars do not hide each other.
    const double shift = 0.08 * (static_cast<double>(k) - 0.5 * static_cast<double>(scenarios.size() - 1));
    const std::string x = "($1 + " + format_number(shift) + ")";
    const std::string label = scenario_title(names, scenarios[k]);
    const std::string style = std::to_string(k % 6 + 1);
    elements.push_back(gnuplot_quote(file) + " using " + x + ":3:2:4 with yerrorbars ls " + style + " title " +
                       gnuplot_quote(label + ": 5-95% of the population and median"));
    figure.series_titles.push_back(label + ": 5-95% of the population and median");
    elements.push_back(gnuplot_quote(file) + " using " + x + ":3 with lines ls " + style + " notitle");
  }
  elements.push_back(add_vaginal_nomogram_reference(figure, name + "_nomogram.csv"));
  const double rows_in_key = static_cast<double>(scenarios.size() + 1);
  figure.script = fill_plot_template(
      plot_template("population_infant_weight"),
      {{"SCRIPT_FILE", gnuplot_quote(name + ".gp")},
       {"PREAMBLE", figure_preamble(name)},
       {"TERMINAL", figure_terminal(900, 560 + 22 * static_cast<int>(rows_in_key), 11)},
       {"BOTTOM_MARGIN", format_number((80.0 + 22.0 * rows_in_key) / (560.0 + 22.0 * rows_in_key))},
       {"TITLE", gnuplot_quote(title)},
       {"PLOT_ELEMENTS", plot_element_lines(elements)}});
  return figure;
}

std::vector<Figure> from_compare(const CsvTable& table, const std::string& prefix, const std::string& suffix,
                                 const CsvTable* observed, std::vector<std::string>& notes, const ScenarioNames& names) {
  if (!has_columns(table, {"population_p5", "population_p50", "population_p95"})) {
    notes.push_back(table.file().string() +
                    ": no population columns (the scenarios have no [population]); no band or population_comparison figure");
    return {};
  }
  const std::size_t c_endpoint = table.require_column("endpoint"), c_scenario = table.require_column("scenario"),
                    c5 = table.require_column("population_p5"), c50 = table.require_column("population_p50"),
                    c95 = table.require_column("population_p95");
  std::vector<std::string> scenarios;
  std::map<std::string, std::string> bands;  // scenario -> contract CSV body
  for (std::size_t row = 0; row < table.rows(); ++row) {
    const auto day = milk_day(table.text(row, c_endpoint));
    const auto p5 = finite_cell(table, row, c5), p50 = finite_cell(table, row, c50), p95 = finite_cell(table, row, c95);
    if (!day || !p5 || !p50 || !p95) continue;
    const std::string& scenario = table.text(row, c_scenario);
    if (std::find(scenarios.begin(), scenarios.end(), scenario) == scenarios.end()) scenarios.push_back(scenario);
    bands[scenario] += std::to_string(*day) + "," + format_number(*p5) + "," + format_number(*p50) + "," + format_number(*p95) + "\n";
  }
  std::vector<Figure> figures;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const CsvTable contract("day,milk_ml_p05,milk_ml_p50,milk_ml_p95\n" + bands[scenarios[k]], table.file());
    figures.push_back(population_bands_figure(
        prefix + "population_bands" + (scenarios.size() > 1 ? "_" + safe_file_stem(scenarios[k]) : ""),
        "Population prediction: " + scenario_title(names, scenarios[k]) + suffix, contract, observed));
  }
  if (auto figure = population_infant_weight_figure(prefix + "population_infant_weight",
                                                    "Population prediction of infant weight" + suffix, table, names)) {
    figures.push_back(std::move(*figure));
  }
  if (scenarios.size() >= 2) {
    const std::string arms = scenarios.size() == 2
                                 ? scenario_title(names, scenarios[1]) + " vs " + scenario_title(names, scenarios[0])
                                 : std::to_string(scenarios.size()) + " arms";
    if (auto figure = population_comparison_figure(prefix + "population_comparison",
                                                   "Paired population comparison, " + arms + suffix, table, notes)) {
      figures.push_back(std::move(*figure));
    }
  }
  return figures;
}

std::vector<Figure> from_sensitivity(const CsvTable& table, bool sobol, const std::string& prefix, const std::string& suffix,
                                     const ScenarioNames& names) {
  const std::size_t c_endpoint = table.require_column("endpoint"), c_parameter = table.require_column("parameter");
  std::string contract = "output,parameter,index,estimate,ci_low,ci_high\n";
  std::vector<std::string> outputs;
  for (std::size_t row = 0; row < table.rows(); ++row) {
    const std::string& output = table.text(row, c_endpoint);
    if (std::find(outputs.begin(), outputs.end(), output) == outputs.end()) outputs.push_back(output);
    const std::string head = csv_field(output) + "," + csv_field(table.text(row, c_parameter)) + ",";
    if (sobol) {
      const auto value = finite_cell(table, row, table.require_column("value"));
      const auto low = finite_cell(table, row, table.require_column("ci95_low"));
      const auto high = finite_cell(table, row, table.require_column("ci95_high"));
      if (!value) continue;
      const std::string kind = table.text(row, table.require_column("index"));
      const std::string label = kind == "first" ? "S1 (first order)" : kind == "total" ? "ST (total)" : kind;
      contract += head + csv_field(label) + "," + format_number(*value) + "," + (low ? format_number(*low) : "") + "," +
                  (high ? format_number(*high) : "") + "\n";
    } else {
      for (const char* measure : {"mu_star", "sigma"}) {
        const auto value = finite_cell(table, row, table.require_column(measure));
        if (!value) continue;
        contract += head + (std::string(measure) == "mu_star" ? "mu* (mean |effect|)" : "sigma (SD of effects)") + "," +
                    format_number(*value) + ",,\n";
      }
    }
  }
  const CsvTable indices(contract, table.file());
  std::vector<Figure> figures;
  for (const std::string& output : outputs) {
    // Morris effects carry the endpoint's unit; Sobol indices are fractions of its variance.
    const QuantityLabel endpoint = quantity_label(output);
    const std::string effect_unit = endpoint.unit.empty() ? "unit of the endpoint" : endpoint.unit;
    const std::string value_label = sobol ? "Sobol index (fraction of variance, 95% bootstrap CI)"
                                          : axis_label({"Elementary effect over the full range", effect_unit});
    figures.push_back(sensitivity_figure(prefix + "sensitivity" + (outputs.size() > 1 ? "_" + safe_file_stem(output) : ""),
                                         std::string(sobol ? "Sobol" : "Morris") + " sensitivity of " + axis_label(endpoint) +
                                             single_scenario_suffix(names) + suffix,
                                         indices, output, value_label));
  }
  return figures;
}

/// What an empty endpoint cell of a successful sample means, for the notes.
std::string missing_endpoint_note(const std::string& endpoint) {
  if (endpoint == "onset_h") return "without onset within the horizon";
  return "without " + endpoint;
}

/// Notes for the endpoints that successful samples lack (`missing[k]` samples without
/// `outputs[k]`), each left out of that endpoint's panel or heat map only.
void note_missing_endpoints(const CsvTable& table, const std::vector<std::size_t>& outputs,
                            const std::vector<std::size_t>& missing, const std::string& where,
                            std::vector<std::string>& notes) {
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    if (missing[k] == 0) continue;
    const std::string& endpoint = table.header()[outputs[k]];
    notes.push_back(table.file().string() + ": " + std::to_string(missing[k]) + " sample(s) " +
                    missing_endpoint_note(endpoint) + ", left out of the " + endpoint + " " + where);
  }
}

/// The scan figure of a one-parameter sweep: `outputs` against the parameter (column after
/// `c_status`). Only failed samples (and repeats of a parameter value) are left out of every
/// panel; a successful sample without an endpoint (onset not reached within the horizon) is
/// missing from that endpoint's panel only, and an endpoint no sample has gets no panel.
std::vector<Figure> scan_from_sweep(const CsvTable& table, std::size_t c_status, std::vector<std::size_t> outputs,
                                    const std::string& prefix, const std::string& suffix, std::vector<std::string>& notes,
                                    const ScenarioNames& names) {
  const std::size_t c_parameter = c_status + 1;
  std::set<double> seen;
  std::size_t failed = 0, repeated = 0;
  std::vector<std::size_t> rows;
  std::vector<std::size_t> missing(outputs.size(), 0);
  for (std::size_t row = 0; row < table.rows(); ++row) {
    if (table.text(row, c_status) != "ok") {
      ++failed;
      continue;
    }
    if (!seen.insert(table.number(row, c_parameter)).second) {
      ++repeated;
      continue;
    }
    rows.push_back(row);
    for (std::size_t k = 0; k < outputs.size(); ++k) missing[k] += finite_cell(table, row, outputs[k]) ? 0 : 1;
  }
  if (failed > 0) notes.push_back(table.file().string() + ": " + std::to_string(failed) + " failed sample(s) left out of the scan");
  if (repeated > 0) {
    notes.push_back(table.file().string() + ": " + std::to_string(repeated) +
                    " sample(s) repeating a parameter value left out of the scan");
  }
  // An endpoint no drawn sample has would be an empty panel (gnuplot refuses one).
  std::vector<std::size_t> drawn, drawn_missing;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    if (!rows.empty() && missing[k] == rows.size()) {
      notes.push_back(table.file().string() + ": no successful sample has " + table.header()[outputs[k]] + " (all " +
                      missing_endpoint_note(table.header()[outputs[k]]) + "); no panel for it");
      continue;
    }
    drawn.push_back(outputs[k]), drawn_missing.push_back(missing[k]);
  }
  if (rows.empty() || drawn.empty()) {
    notes.push_back(table.file().string() + ": no successful sample with an endpoint; no scan");
    return {};
  }
  note_missing_endpoints(table, drawn, drawn_missing, "panel", notes);
  std::string contract = csv_field(table.header()[c_parameter]);
  for (std::size_t c : drawn) contract += "," + csv_field(table.header()[c]);
  contract += "\n";
  for (std::size_t row : rows) {
    contract += format_number(table.number(row, c_parameter));
    for (std::size_t c : drawn) {
      const auto value = finite_cell(table, row, c);
      contract += "," + (value ? format_number(*value) : std::string());
    }
    contract += "\n";
  }
  const std::string parameter = quantity_label(table.header()[c_parameter]).name;
  return {sweep_scan_figure(prefix + "sweep_scan", "Sweep of " + parameter + single_scenario_suffix(names) + suffix,
                            CsvTable(contract, table.file()))};
}

std::vector<Figure> from_sweep(const CsvTable& table, const std::string& prefix, const std::string& suffix,
                               std::vector<std::string>& notes, const ScenarioNames& names) {
  // Parameters sit between `status` and the first endpoint (onset_h leads the endpoints).
  const auto c_onset = table.find_column("onset_h");
  if (!c_onset) {
    notes.push_back(table.file().string() + ": sweep without an onset_h column; cannot tell parameters from endpoints");
    return {};
  }
  const std::size_t c_status = table.require_column("status");
  const std::size_t parameters = *c_onset - c_status - 1;
  // Endpoints drawn: onset, milk on day 3 and on the last day.
  std::vector<std::size_t> outputs = {*c_onset};
  if (auto c = table.find_column("milk_day3_ml")) outputs.push_back(*c);
  std::optional<std::size_t> last_day;
  for (std::size_t c = *c_onset + 1; c < table.header().size(); ++c) {
    if (milk_day(table.header()[c])) last_day = c;
  }
  if (last_day && std::find(outputs.begin(), outputs.end(), *last_day) == outputs.end()) outputs.push_back(*last_day);
  if (parameters == 1) return scan_from_sweep(table, c_status, outputs, prefix, suffix, notes, names);
  if (parameters != 2) {
    notes.push_back(table.file().string() + ": a sweep figure needs 1 parameter (a scan) or 2 (a heat map); this one varies " +
                    std::to_string(parameters));
    return {};
  }

  // The grid is made of the successful samples; an endpoint a sample lacks (onset not reached
  // within the horizon) is a "no value" cell in that endpoint's heat map only.
  std::string contract = csv_field(table.header()[c_status + 1]) + "," + csv_field(table.header()[c_status + 2]);
  for (std::size_t c : outputs) contract += "," + csv_field(table.header()[c]);
  contract += "\n";
  std::set<double> xs, ys;
  std::size_t points = 0, failed = 0;
  std::vector<std::size_t> missing(outputs.size(), 0);
  for (std::size_t row = 0; row < table.rows(); ++row) {
    if (table.text(row, c_status) != "ok") {
      ++failed;
      continue;
    }
    std::string line = format_number(table.number(row, c_status + 1)) + "," + format_number(table.number(row, c_status + 2));
    for (std::size_t k = 0; k < outputs.size(); ++k) {
      const auto value = finite_cell(table, row, outputs[k]);
      missing[k] += value ? 0 : 1;
      line += "," + (value ? format_number(*value) : std::string());
    }
    xs.insert(table.number(row, c_status + 1)), ys.insert(table.number(row, c_status + 2));
    contract += line + "\n";
    ++points;
  }
  if (points == 0 || xs.size() * ys.size() != points) {
    notes.push_back(table.file().string() + ": not a full grid of 2 parameters (" + std::to_string(points) +
                    " successful samples on " + std::to_string(xs.size()) + " x " + std::to_string(ys.size()) +
                    " values; use `lactsim sweep --design grid`); no heat map");
    return {};
  }
  if (failed > 0) notes.push_back(table.file().string() + ": " + std::to_string(failed) + " failed samples left out");
  const CsvTable grid(contract, table.file());
  std::vector<Figure> figures;
  std::vector<std::size_t> drawn, drawn_missing;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    if (missing[k] == points) {
      notes.push_back(table.file().string() + ": no successful sample has " + table.header()[outputs[k]] + " (all " +
                      missing_endpoint_note(table.header()[outputs[k]]) + "); no heat map for it");
      continue;
    }
    drawn.push_back(outputs[k]), drawn_missing.push_back(missing[k]);
    figures.push_back(sweep_heatmap_figure(prefix + "sweep_" + safe_file_stem(table.header()[outputs[k]]),
                                           "two-parameter sweep" + single_scenario_suffix(names) + suffix, grid, 2 + k));
  }
  note_missing_endpoints(table, drawn, drawn_missing, "heat map (hatched cells marked \"no value\")", notes);
  return figures;
}

std::vector<Figure> from_fit_observed(const CsvTable& table, const std::string& prefix, const std::string& suffix,
                                      std::vector<std::string>& notes, const ScenarioNames& names) {
  const std::size_t c_scenario = table.require_column("scenario"), c_quantity = table.require_column("quantity"),
                    c_unit = table.require_column("unit"), c_day = table.require_column("day"),
                    c_observed = table.require_column("observed"), c_simulated = table.require_column("simulated"),
                    c_sd = table.require_column("sd"), c_min = table.require_column("range_min"),
                    c_max = table.require_column("range_max");
  std::string contract = "series,day,observed,observed_low,observed_high,predicted,unit\n";
  // The legend names a series by its [[observed]] label (observed.csv written before that
  // column existed: scenario and quantity), and by its scenario too when several were fitted.
  const auto c_label = table.find_column("label");
  const bool several_scenarios = distinct_texts(table, c_scenario).size() > 1;
  auto series_name = [&](std::size_t row) {
    const std::string& scenario = table.text(row, c_scenario);
    if (!c_label || table.text(row, *c_label).empty()) return scenario + ": " + table.text(row, c_quantity);
    return table.text(row, *c_label) + (several_scenarios ? " (" + scenario + ")" : std::string());
  };
  std::string unit;
  std::size_t left_out = 0;
  for (std::size_t row = 0; row < table.rows(); ++row) {
    const auto day = finite_cell(table, row, c_day);
    if (!day) {
      ++left_out;  // time-stamped observations (e.g. onset) have other units
      continue;
    }
    if (unit.empty()) unit = table.text(row, c_unit);
    if (table.text(row, c_unit) != unit) {
      ++left_out;
      continue;
    }
    const double observed = table.number(row, c_observed);
    double low = observed, high = observed;
    if (auto sd = finite_cell(table, row, c_sd)) low = observed - *sd, high = observed + *sd;
    if (auto min = finite_cell(table, row, c_min)) low = *min;
    if (auto max = finite_cell(table, row, c_max)) high = *max;
    low = std::min(low, observed), high = std::max(high, observed);
    contract += csv_field(series_name(row)) + "," + format_number(*day) +
                "," + format_number(observed) + "," + format_number(low) + "," + format_number(high) + "," +
                format_number(table.number(row, c_simulated)) + "," + csv_field(unit) + "\n";
  }
  if (left_out > 0) {
    notes.push_back(table.file().string() + ": " + std::to_string(left_out) +
                    " observation(s) not by day or not in " + (unit.empty() ? "a common unit" : unit) + " left out of the figure");
  }
  if (unit.empty()) return {};
  return {fit_observed_predicted_figure(prefix + "fit_observed_predicted",
                                        "Fit: observed and predicted (bars: SD or range)" + single_scenario_suffix(names) + suffix,
                                        CsvTable(contract, table.file()))};
}

}  // namespace

FigureInputKind detect_figure_input(const CsvTable& table) {
  if (is_run_table(table)) return FigureInputKind::run_table;
  if (header_starts_with(table, {"sample", "status"})) return FigureInputKind::sweep_output;
  if (header_starts_with(table, {"endpoint", "scenario", "value", "difference", "ratio"})) return FigureInputKind::compare_output;
  if (header_starts_with(table, {"endpoint", "parameter", "index", "value", "ci95_low", "ci95_high"})) return FigureInputKind::sobol_output;
  if (header_starts_with(table, {"endpoint", "parameter", "mu", "mu_star", "sigma"})) return FigureInputKind::morris_output;
  if (has_columns(table, {"subject", "quantity", "unit", "axis", "x", "kind", "value", "sd"})) {
    return FigureInputKind::subject_fit_panels;
  }
  if (has_columns(table, {"scenario", "quantity", "unit", "day", "observed", "simulated", "sd", "range_min", "range_max"})) {
    return FigureInputKind::fit_observed_output;
  }
  if (has_columns(table, {"day", "milk_ml_p05", "milk_ml_p50", "milk_ml_p95"})) return FigureInputKind::population_bands;
  if (has_columns(table, {"parameter", "index", "estimate", "ci_low", "ci_high"})) return FigureInputKind::sensitivity_indices;
  if (has_columns(table, {"series", "day", "observed", "observed_low", "observed_high", "predicted"})) {
    return FigureInputKind::fit_observed_predicted;
  }
  if (has_columns(table, {"parameter", "value"}) &&
      (table.find_column("neg_log_likelihood") || table.find_column("chi_square"))) {
    return FigureInputKind::profile_likelihood;
  }
  if (has_columns(table, {"label", "day", "value", "low", "high"})) return FigureInputKind::population_observed;
  // The heat-map contract has a free-form header: after every format with a known header,
  // a table of numbers with two parameter columns and at least one output is one.
  if (table.header().size() >= 3 && table.rows() > 0 && all_cells_are_numbers(table)) return FigureInputKind::sweep_grid;
  return FigureInputKind::unknown;
}

std::vector<Figure> figures_from_table(const CsvTable& table, const std::string& prefix, const std::string& suffix,
                                       const CsvTable* population_observed, std::vector<std::string>& notes,
                                       const ScenarioNames& names) {
  switch (detect_figure_input(table)) {
    case FigureInputKind::population_bands:
      return {population_bands_figure(prefix + "population_bands", "Population prediction of milk per day" + suffix, table,
                                      population_observed)};
    case FigureInputKind::sensitivity_indices: {
      const auto c_output = table.find_column("output");
      std::vector<std::string> outputs;
      for (std::size_t row = 0; row < table.rows(); ++row) {
        const std::string output = c_output ? table.text(row, *c_output) : "";
        if (std::find(outputs.begin(), outputs.end(), output) == outputs.end()) outputs.push_back(output);
      }
      std::vector<Figure> figures;
      for (const std::string& output : outputs) {
        figures.push_back(sensitivity_figure(prefix + "sensitivity" + (outputs.size() > 1 ? "_" + safe_file_stem(output) : ""),
                                             "Sensitivity" + (output.empty() ? "" : " of " + axis_label(quantity_label(output))) + suffix, table,
                                             outputs.size() > 1 ? output : "", "index (dimensionless)"));
      }
      return figures;
    }
    case FigureInputKind::sweep_grid: {
      std::vector<Figure> figures;
      const std::size_t columns = std::max<std::size_t>(table.header().size(), 3);
      for (std::size_t column = 2; column < columns; ++column) {
        const std::string output = column < table.header().size() ? table.header()[column] : "";
        figures.push_back(sweep_heatmap_figure(prefix + (table.header().size() > 3 ? "sweep_" + safe_file_stem(output) : "sweep"),
                                               "two-parameter sweep" + suffix, table, column));
      }
      return figures;
    }
    case FigureInputKind::fit_observed_predicted:
      return {fit_observed_predicted_figure(prefix + "fit_observed_predicted", "Fit: observed and predicted" + suffix, table)};
    case FigureInputKind::profile_likelihood:
      return {profile_likelihood_figure(prefix + "profile_likelihood", "Profile likelihood" + suffix, table)};
    case FigureInputKind::compare_output: return from_compare(table, prefix, suffix, population_observed, notes, names);
    case FigureInputKind::sobol_output: return from_sensitivity(table, true, prefix, suffix, names);
    case FigureInputKind::morris_output: return from_sensitivity(table, false, prefix, suffix, names);
    case FigureInputKind::sweep_output: return from_sweep(table, prefix, suffix, notes, names);
    case FigureInputKind::fit_observed_output: return from_fit_observed(table, prefix, suffix, notes, names);
    case FigureInputKind::subject_fit_panels:
      return {subject_fit_panels_figure(prefix + "subject_fit_panels", "Case-series fit: each subject at its estimate" + suffix,
                                        table)};
    case FigureInputKind::population_observed:
      notes.push_back(table.file().string() +
                      ": observed data for the population band figure; plot the folder that holds it and the bands");
      return {};
    case FigureInputKind::run_table:
      notes.push_back(table.file().string() +
                      ": a `lactsim run` table; plot its result folder (`lactsim plot DIR/<stem>`), which needs the "
                      "wide tables (`run --format wide` or `wide,long`)");
      return {};
    case FigureInputKind::unknown: break;
  }
  return {};
}

}  // namespace lactsim
