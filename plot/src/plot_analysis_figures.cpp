#include "plot_analysis_figures.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "lactsim/engine/errors.hpp"
#include "plot_labels.hpp"
#include "lactsim/plot/plot_templates.hpp"
#include "lactsim/engine/text_format.hpp"

namespace lactsim {
namespace {

std::string style_of(std::size_t index) { return std::to_string(index % 6 + 1); }
std::string observed_style_of(std::size_t index) { return std::to_string(11 + index % 6); }

/// Distinct texts of a column in first-seen order.
std::vector<std::string> distinct(const CsvTable& table, std::size_t column, const std::vector<std::size_t>& rows) {
  std::vector<std::string> out;
  for (std::size_t row : rows) {
    if (std::find(out.begin(), out.end(), table.text(row, column)) == out.end()) out.push_back(table.text(row, column));
  }
  return out;
}

std::vector<std::size_t> all_rows(const CsvTable& table) {
  std::vector<std::size_t> rows(table.rows());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return rows;
}

void require_rows(const CsvTable& table) {
  if (table.rows() == 0) throw InputError({table.file().string(), 0, 0}, "", "no data rows");
}

/// Tick labels "'label' position, …" for gnuplot's `set xtics (…)`.
std::string tic_list(const std::vector<double>& positions, const std::vector<std::string>& labels) {
  std::string out;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    out += (i ? ", " : "") + gnuplot_quote(labels[i]) + " " + format_number(positions[i]);
  }
  return out;
}

/// Short numeric label for a cell or tick.
std::string short_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

/// "95% CI: [a, b]" from a profile by linear interpolation where 2·(NLL − NLL_min)
/// crosses kChiSquare1Dof95 on each side of the minimum; "open" where it never does.
std::string profile_interval_text(const std::vector<std::pair<double, double>>& points, double nll_min) {
  std::size_t best = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (points[i].second < points[best].second) best = i;
  }
  auto delta = [&](std::size_t i) { return 2.0 * (points[i].second - nll_min); };
  auto crossing = [&](std::size_t inside, std::size_t outside) {
    const double d0 = delta(inside), d1 = delta(outside);
    const double t = (kChiSquare1Dof95 - d0) / (d1 - d0);
    return points[inside].first + t * (points[outside].first - points[inside].first);
  };
  std::string low = "open", high = "open";
  for (std::size_t i = best; i > 0; --i) {
    if (delta(i - 1) >= kChiSquare1Dof95) {
      low = short_number(crossing(i, i - 1));
      break;
    }
  }
  for (std::size_t i = best; i + 1 < points.size(); ++i) {
    if (delta(i + 1) >= kChiSquare1Dof95) {
      high = short_number(crossing(i, i + 1));
      break;
    }
  }
  return "minimum at " + short_number(points[best].first) + "; 95% CI [" + low + ", " + high + "]";
}

}  // namespace

Figure population_bands_figure(const std::string& name, const std::string& title, const CsvTable& bands,
                               const CsvTable* observed) {
  require_rows(bands);
  const std::size_t c_day = bands.require_column("day"), c_p05 = bands.require_column("milk_ml_p05"),
                    c_p50 = bands.require_column("milk_ml_p50"), c_p95 = bands.require_column("milk_ml_p95");
  const auto c_p25 = bands.find_column("milk_ml_p25"), c_p75 = bands.find_column("milk_ml_p75");
  const bool inner = c_p25 && c_p75;
  Figure figure;
  figure.name = name;
  std::string csv = std::string("day,milk_ml_p05,milk_ml_p50,milk_ml_p95") + (inner ? ",milk_ml_p25,milk_ml_p75" : "") + "\n";
  double day_min = 1e300, day_max = -1e300;
  for (std::size_t row = 0; row < bands.rows(); ++row) {
    const double day = bands.number(row, c_day), p05 = bands.number(row, c_p05), p50 = bands.number(row, c_p50),
                 p95 = bands.number(row, c_p95);
    if (!(p05 <= p50 && p50 <= p95)) fail_at(bands, row, "milk_ml_p50", "percentiles out of order: need p05 <= p50 <= p95");
    day_min = std::min(day_min, day), day_max = std::max(day_max, day);
    csv += format_number(day) + "," + format_number(p05) + "," + format_number(p50) + "," + format_number(p95);
    if (inner) {
      const double p25 = bands.number(row, *c_p25), p75 = bands.number(row, *c_p75);
      if (!(p05 <= p25 && p25 <= p50 && p50 <= p75 && p75 <= p95)) {
        fail_at(bands, row, "milk_ml_p25", "percentiles out of order: need p05 <= p25 <= p50 <= p75 <= p95");
      }
      csv += "," + format_number(p25) + "," + format_number(p75);
    }
    csv += "\n";
  }
  const std::string data = name + ".csv";
  figure.data_files.emplace_back(data, csv);
  const std::string q = gnuplot_quote(data);
  std::vector<std::string> elements = {q + " using 1:2:4 with filledcurves fc rgb '#7f7f7f' title '5-95% of the population'"};
  figure.series_titles.push_back("5-95% of the population");
  if (inner) {
    elements.push_back(q + " using 1:5:6 with filledcurves fc rgb '#3f3f3f' title '25-75%'");
    figure.series_titles.push_back("25-75%");
  }
  elements.push_back(q + " using 1:3 with lines ls 1 title 'median'");
  figure.series_titles.push_back("median");

  if (observed != nullptr) {
    require_rows(*observed);
    const std::size_t c_label = observed->require_column("label"), o_day = observed->require_column("day"),
                      o_value = observed->require_column("value"), o_low = observed->require_column("low"),
                      o_high = observed->require_column("high");
    const auto labels = distinct(*observed, c_label, all_rows(*observed));
    for (std::size_t k = 0; k < labels.size(); ++k) {
      std::string obs_csv = "day,value,low,high\n";
      for (std::size_t row = 0; row < observed->rows(); ++row) {
        if (observed->text(row, c_label) != labels[k]) continue;
        const double value = observed->number(row, o_value);
        const double low = observed->optional_number(row, o_low).value_or(value);
        const double high = observed->optional_number(row, o_high).value_or(value);
        if (!(low <= value && value <= high)) fail_at(*observed, row, "low", "need low <= value <= high");
        obs_csv += format_number(observed->number(row, o_day)) + "," + format_number(value) + "," +
                   format_number(low) + "," + format_number(high) + "\n";
      }
      const std::string file = name + "_observed_" + std::to_string(k + 1) + ".csv";
      figure.data_files.emplace_back(file, obs_csv);
      elements.push_back(gnuplot_quote(file) + " using 1:2:3:4 with yerrorbars ls " + observed_style_of(k) +
                         " title " + gnuplot_quote("observed: " + labels[k]));
      figure.series_titles.push_back("observed: " + labels[k]);
    }
  }
  figure.script = fill_plot_template(plot_template("population_bands"),
                                     {{"SCRIPT_FILE", gnuplot_quote(name + ".gp")},
                                      {"PREAMBLE", figure_preamble(name)},
                                      {"TERMINAL", figure_terminal(900, 560 + 22 * static_cast<int>(elements.size()), 11)},
                                      {"BOTTOM_MARGIN", format_number((80.0 + 22.0 * static_cast<double>(elements.size())) /
                                                                      (560.0 + 22.0 * static_cast<double>(elements.size())))},
                                      {"TITLE", gnuplot_quote(title)},
                                      {"X_FROM", format_number(day_min - 0.5)},
                                      {"X_TO", format_number(day_max + 0.5)},
                                      {"PLOT_ELEMENTS", plot_element_lines(elements)}});
  return figure;
}

Figure sensitivity_figure(const std::string& name, const std::string& title, const CsvTable& indices,
                          const std::string& output, const std::string& value_label) {
  const std::size_t c_parameter = indices.require_column("parameter"), c_index = indices.require_column("index"),
                    c_estimate = indices.require_column("estimate"), c_low = indices.require_column("ci_low"),
                    c_high = indices.require_column("ci_high");
  const auto c_output = indices.find_column("output");
  std::vector<std::size_t> rows;
  for (std::size_t row = 0; row < indices.rows(); ++row) {
    if (output.empty() || (c_output && indices.text(row, *c_output) == output)) rows.push_back(row);
  }
  if (rows.empty()) {
    throw InputError({indices.file().string(), 0, 0}, "output", "no rows" + (output.empty() ? "" : " for output '" + output + "'"));
  }
  const auto parameters = distinct(indices, c_parameter, rows);
  const auto kinds = distinct(indices, c_index, rows);
  // Wide table: parameter, then estimate/ci_low/ci_high per index kind (empty when absent).
  std::map<std::pair<std::string, std::string>, std::array<double, 3>> values;
  double lowest = 0.0, highest = 0.0;
  for (std::size_t row : rows) {
    // Bootstrap percentile intervals need not contain the point estimate, so only their
    // order is checked; an empty interval cell means no interval.
    const double estimate = indices.number(row, c_estimate);
    const double low = indices.optional_number(row, c_low).value_or(estimate);
    const double high = indices.optional_number(row, c_high).value_or(estimate);
    if (!(low <= high)) fail_at(indices, row, "ci_low", "need ci_low <= ci_high");
    if (!values.emplace(std::pair{indices.text(row, c_parameter), indices.text(row, c_index)},
                        std::array<double, 3>{estimate, low, high}).second) {
      fail_at(indices, row, "index", "duplicate row for parameter '" + indices.text(row, c_parameter) + "', index '" +
                                         indices.text(row, c_index) + "'");
    }
    lowest = std::min({lowest, low, estimate});
    highest = std::max({highest, high, estimate});
  }
  std::string csv = "position,parameter";
  for (const auto& kind : kinds) csv += "," + kind + "_estimate," + kind + "_ci_low," + kind + "_ci_high";
  csv += "\n";
  for (std::size_t p = 0; p < parameters.size(); ++p) {
    std::string label = quantity_label(parameters[p]).name;
    for (char& c : label) if (c == ',') c = ';';
    csv += std::to_string(p) + "," + label;
    for (const auto& kind : kinds) {
      auto it = values.find({parameters[p], kind});
      if (it == values.end()) csv += ",,,";
      else csv += "," + format_number(it->second[0]) + "," + format_number(it->second[1]) + "," + format_number(it->second[2]);
    }
    csv += "\n";
  }
  Figure figure;
  figure.name = name;
  const std::string data = name + ".csv";
  figure.data_files.emplace_back(data, csv);
  const double group_width = 0.8;
  const double box_width = group_width / static_cast<double>(kinds.size());
  std::vector<std::string> elements;
  const char* fills[] = {"solid 0.85", "pattern 2", "solid 0.3", "pattern 4", "pattern 5", "pattern 1"};
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    const double offset = -group_width / 2 + box_width * (static_cast<double>(k) + 0.5);
    const std::string x = "($1 + " + format_number(offset) + ")";
    const std::size_t base = 3 + 3 * k;
    const std::string title = kinds[k];
    std::string element = gnuplot_quote(data) + " using " + x + ":" + std::to_string(base) + (k == 0 ? ":xtic(2)" : "") +
                          " with boxes ls " + style_of(k) + " lw 1 fs " + fills[k % 6] + " border title " +
                          gnuplot_quote(title);
    elements.push_back(element);
    // Intervals as capped vertical vectors (no point marker over the bar), only for kinds
    // that have any interval.
    const bool has_interval = std::any_of(values.begin(), values.end(), [&](const auto& entry) {
      return entry.first.second == kinds[k] && entry.second[2] > entry.second[1];
    });
    if (has_interval) {
      elements.push_back(gnuplot_quote(data) + " using " + x + ":" + std::to_string(base + 1) + ":(0):(column(" +
                         std::to_string(base + 2) + ") - column(" + std::to_string(base + 1) +
                         ")) with vectors heads size screen 0.006,90 lc rgb '#000000' lw 1.2 notitle");
    }
    figure.series_titles.push_back(title);
  }
  figure.script = fill_plot_template(plot_template("sensitivity"),
                                     {{"SCRIPT_FILE", gnuplot_quote(name + ".gp")},
                                      {"PREAMBLE", figure_preamble(name)},
                                      {"TERMINAL", figure_terminal(std::max(900, 320 + 70 * static_cast<int>(parameters.size())), 560, 11)},
                                      {"TITLE", gnuplot_quote(title)},
                                      {"PARAMETER_COUNT", std::to_string(parameters.size())},
                                      {"VALUE_LABEL", gnuplot_quote(value_label)},
                                      {"Y_FROM", format_number(lowest < 0 ? lowest - 0.05 * (highest - lowest) : 0.0)},
                                      {"Y_TO", format_number(highest + 0.08 * std::max(highest - lowest, 1e-12))},
                                      {"BOX_WIDTH", format_number(box_width)},
                                      {"PLOT_ELEMENTS", plot_element_lines(elements)}});
  return figure;
}

Figure sweep_heatmap_figure(const std::string& name, const std::string& title, const CsvTable& sweep,
                            std::size_t output_column) {
  if (sweep.header().size() < 3 || output_column < 2 || output_column >= sweep.header().size()) {
    throw InputError({sweep.file().string(), 1, 1}, "",
                     "a sweep grid needs columns <parameter x>,<parameter y>,<output>[,…]; found " +
                         std::to_string(sweep.header().size()) + " columns");
  }
  require_rows(sweep);
  std::set<double> xs, ys;
  std::map<std::pair<double, double>, double> cells;
  std::set<std::pair<double, double>> points;
  for (std::size_t row = 0; row < sweep.rows(); ++row) {
    const double x = sweep.number(row, 0), y = sweep.number(row, 1);
    if (!points.emplace(x, y).second) {
      fail_at(sweep, row, sweep.header()[0], "grid point (" + format_number(x) + ", " + format_number(y) + ") appears twice");
    }
    xs.insert(x), ys.insert(y);
    // An empty cell (a sweep sample without this endpoint, e.g. onset not reached) stays blank.
    if (const auto z = sweep.optional_number(row, output_column)) cells.emplace(std::pair{x, y}, *z);
  }
  if (cells.empty()) {
    throw InputError({sweep.file().string(), 1, 1}, sweep.header()[output_column], "no grid point has a value");
  }
  const std::vector<double> x_values(xs.begin(), xs.end()), y_values(ys.begin(), ys.end());
  // Cells are drawn at grid index positions so uneven (e.g. logarithmic) grids give equal
  // cells; tick labels carry the parameter values.
  auto index_of = [](const std::vector<double>& values, double v) {
    return static_cast<double>(std::lower_bound(values.begin(), values.end(), v) - values.begin());
  };
  std::string csv = "x_index,y_index," + sweep.header()[0] + "," + sweep.header()[1] + "," + sweep.header()[output_column] + "\n";
  for (const auto& [point, z] : cells) {
    csv += format_number(index_of(x_values, point.first)) + "," + format_number(index_of(y_values, point.second)) + "," +
           format_number(point.first) + "," + format_number(point.second) + "," + format_number(z) + "\n";
  }
  Figure figure;
  figure.name = name;
  const std::string data = name + ".csv";
  figure.data_files.emplace_back(data, csv);
  std::vector<std::string> elements = {gnuplot_quote(data) + " using 1:2:(0.5):(0.5):5 with boxxyerror fc palette notitle"};
  // Grid points without a value are hatched grey and say so: a blank cell would read as the
  // palette's lowest (white) value.
  if (cells.size() < points.size()) {
    std::string missing = "x_index,y_index\n";
    for (const auto& point : points) {
      if (cells.count(point)) continue;
      missing += format_number(index_of(x_values, point.first)) + "," + format_number(index_of(y_values, point.second)) + "\n";
    }
    const std::string missing_data = name + "_no_value.csv";
    figure.data_files.emplace_back(missing_data, missing);
    elements.push_back(gnuplot_quote(missing_data) +
                       " using 1:2:(0.5):(0.5) with boxxyerror fc rgb '#888888' fs transparent pattern 4 border lc rgb '#888888' notitle");
    elements.push_back(gnuplot_quote(missing_data) + " using 1:2:('no value') with labels font ',9' notitle");
  }
  // Value labels when there is room: white on dark cells, black on light ones.
  if (x_values.size() <= 12 && y_values.size() <= 12) {
    double z_min = 1e300, z_max = -1e300;
    for (const auto& cell : cells) z_min = std::min(z_min, cell.second), z_max = std::max(z_max, cell.second);
    const std::string middle = format_number(0.5 * (z_min + z_max));
    elements.push_back(gnuplot_quote(data) + " using 1:2:(sprintf('%.3g', $5)):($5 > " + middle +
                       " ? 0xffffff : 0x000000) with labels tc rgb variable font ',9' notitle");
  }
  figure.series_titles.push_back(sweep.header()[output_column]);
  std::vector<double> x_positions, y_positions;
  std::vector<std::string> x_labels, y_labels;
  for (std::size_t i = 0; i < x_values.size(); ++i) x_positions.push_back(static_cast<double>(i)), x_labels.push_back(short_number(x_values[i]));
  for (std::size_t i = 0; i < y_values.size(); ++i) y_positions.push_back(static_cast<double>(i)), y_labels.push_back(short_number(y_values[i]));
  figure.script = fill_plot_template(plot_template("sweep_heatmap"),
                                     {{"SCRIPT_FILE", gnuplot_quote(name + ".gp")},
                                      {"PREAMBLE", figure_preamble(name)},
                                      {"TERMINAL", figure_terminal(860, 680, 11)},
                                      {"TITLE", gnuplot_quote(quantity_label(sweep.header()[output_column]).name + ": " + title)},
                                      {"X_LABEL", gnuplot_quote(axis_label(quantity_label(sweep.header()[0])))},
                                      {"Y_LABEL", gnuplot_quote(axis_label(quantity_label(sweep.header()[1])))},
                                      {"CB_LABEL", gnuplot_quote(axis_label(quantity_label(sweep.header()[output_column])))},
                                      {"X_FROM", "-0.5"},
                                      {"X_TO", format_number(static_cast<double>(x_values.size()) - 0.5)},
                                      {"Y_FROM", "-0.5"},
                                      {"Y_TO", format_number(static_cast<double>(y_values.size()) - 0.5)},
                                      {"X_TICS", tic_list(x_positions, x_labels)},
                                      {"Y_TICS", tic_list(y_positions, y_labels)},
                                      {"PLOT_ELEMENTS", plot_element_lines(elements)}});
  return figure;
}

Figure sweep_scan_figure(const std::string& name, const std::string& title, const CsvTable& scan) {
  if (scan.header().size() < 2) {
    throw InputError({scan.file().string(), 1, 1}, "", "a scan needs columns <parameter>,<output>[,…]; found " +
                                                           std::to_string(scan.header().size()) + " columns");
  }
  require_rows(scan);
  const std::size_t outputs = scan.header().size() - 1;
  std::map<double, std::vector<std::optional<double>>> rows;  // parameter value -> outputs, in parameter order
  for (std::size_t row = 0; row < scan.rows(); ++row) {
    // An empty cell (a sweep sample without this endpoint, e.g. onset not reached) is missing
    // from that panel only; gnuplot skips an empty CSV field.
    std::vector<std::optional<double>> values;
    for (std::size_t k = 1; k <= outputs; ++k) values.push_back(scan.optional_number(row, k));
    if (!rows.emplace(scan.number(row, 0), std::move(values)).second) {
      fail_at(scan, row, scan.header()[0], "parameter value " + format_number(scan.number(row, 0)) + " appears twice");
    }
  }
  std::string csv = scan.header()[0];
  for (std::size_t k = 1; k <= outputs; ++k) csv += "," + scan.header()[k];
  csv += "\n";
  for (const auto& [x, values] : rows) {
    csv += format_number(x);
    for (const auto& value : values) csv += "," + (value ? format_number(*value) : std::string());
    csv += "\n";
  }
  Figure figure;
  figure.name = name;
  const std::string data = name + ".csv";
  figure.data_files.emplace_back(data, csv);
  // Each panel: the endpoint's name as its title, its unit on the y axis; the parameter with its
  // unit under the bottom panel only (they share the x axis).
  std::string panels;
  for (std::size_t k = 1; k <= outputs; ++k) {
    const QuantityLabel output = quantity_label(scan.header()[k]);
    if (k == outputs) panels += "  set format x '%g'\n  set xlabel " + gnuplot_quote(axis_label(quantity_label(scan.header()[0]))) + "\n";
    panels += "  set title " + gnuplot_quote(output.name) + "\n  set ylabel " +
              gnuplot_quote(output.unit.empty() ? "value" : display_unit(output.unit)) + "\n  plot \\\n" +
              plot_element_lines({gnuplot_quote(data) + " using 1:" + std::to_string(k + 1) + " with linespoints ls 1 ps 0.8 notitle"});
    figure.series_titles.push_back(output.name);
  }
  const double x_min = rows.begin()->first, x_max = rows.rbegin()->first;
  const double pad = x_max > x_min ? 0.03 * (x_max - x_min) : std::max(1e-6, 0.1 * std::abs(x_min));
  // Pixels per part, converted to screen fractions for the layout this size is made for.
  const double width_px = 760.0, panel_px = 230.0, title_px = 80.0, gap_px = 60.0, bottom_px = 70.0;
  const double height_px = title_px + panel_px * static_cast<double>(outputs) + gap_px * static_cast<double>(outputs - 1) + bottom_px;
  figure.script = fill_plot_template(plot_template("sweep_scan"),
                                     {{"SCRIPT_FILE", gnuplot_quote(name + ".gp")},
                                      {"PREAMBLE", figure_preamble(name)},
                                      {"TERMINAL", figure_terminal(static_cast<int>(width_px), static_cast<int>(height_px), 11)},
                                      {"TITLE", gnuplot_quote(title)},
                                      {"ROWS", std::to_string(outputs)},
                                      {"MARGIN_LEFT", format_number(95.0 / width_px)},
                                      {"MARGIN_RIGHT", format_number(1.0 - 25.0 / width_px)},
                                      {"MARGIN_BOTTOM", format_number(bottom_px / height_px)},
                                      {"MARGIN_TOP", format_number(1.0 - title_px / height_px)},
                                      {"SPACING_Y", format_number(gap_px / height_px)},
                                      {"X_FROM", format_number(x_min - pad)},
                                      {"X_TO", format_number(x_max + pad)},
                                      {"PANELS", panels}});
  return figure;
}

Figure fit_observed_predicted_figure(const std::string& name, const std::string& title, const CsvTable& fit) {
  require_rows(fit);
  const std::size_t c_series = fit.require_column("series"), c_day = fit.require_column("day"),
                    c_observed = fit.require_column("observed"), c_low = fit.require_column("observed_low"),
                    c_high = fit.require_column("observed_high"), c_predicted = fit.require_column("predicted");
  const auto c_unit = fit.find_column("unit");
  const auto series = distinct(fit, c_series, all_rows(fit));
  const std::string unit = c_unit ? fit.text(0, *c_unit) : "mL/day";
  Figure figure;
  figure.name = name;
  std::vector<std::string> by_day, scatter;
  double axis_max = 0.0, day_min = 1e300, day_max = -1e300;
  for (std::size_t k = 0; k < series.size(); ++k) {
    std::string csv = "day,observed,observed_low,observed_high,predicted\n";
    for (std::size_t row = 0; row < fit.rows(); ++row) {
      if (fit.text(row, c_series) != series[k]) continue;
      const double observed = fit.number(row, c_observed), predicted = fit.number(row, c_predicted);
      const double low = fit.optional_number(row, c_low).value_or(observed);
      const double high = fit.optional_number(row, c_high).value_or(observed);
      if (!(low <= observed && observed <= high)) fail_at(fit, row, "observed_low", "need observed_low <= observed <= observed_high");
      axis_max = std::max({axis_max, high, predicted});
      day_min = std::min(day_min, fit.number(row, c_day)), day_max = std::max(day_max, fit.number(row, c_day));
      csv += format_number(fit.number(row, c_day)) + "," + format_number(observed) + "," + format_number(low) + "," +
             format_number(high) + "," + format_number(predicted) + "\n";
    }
    const std::string file = name + "_" + std::to_string(k + 1) + ".csv";
    figure.data_files.emplace_back(file, csv);
    const std::string q = gnuplot_quote(file);
    by_day.push_back(q + " using 1:2:3:4 with yerrorbars ls " + observed_style_of(k) + " title " +
                     gnuplot_quote("observed: " + series[k]));
    by_day.push_back(q + " using 1:5 with linespoints ls " + style_of(k) + " title " + gnuplot_quote("predicted: " + series[k]));
    scatter.push_back(q + " using 2:5:3:4 with xerrorbars ls " + observed_style_of(k) + " title " + gnuplot_quote(series[k]));
    figure.series_titles.push_back("observed: " + series[k]);
    figure.series_titles.push_back("predicted: " + series[k]);
  }
  scatter.insert(scatter.begin(), "x with lines lc rgb '#777777' dt 2 title 'predicted = observed'");
  figure.series_titles.push_back("predicted = observed");
  // Room under the panels for the longer of the two keys (one line per entry), below the x labels.
  const double key_lines = static_cast<double>(std::max(by_day.size(), scatter.size()));
  const double bottom_px = 75.0 + 20.0 * key_lines + 12.0;
  const double height_px = 65.0 + 430.0 + bottom_px;
  figure.script = fill_plot_template(plot_template("fit_observed_predicted"),
                                     {{"SCRIPT_FILE", gnuplot_quote(name + ".gp")},
                                      {"PREAMBLE", figure_preamble(name)},
                                      {"TERMINAL", figure_terminal(1100, static_cast<int>(height_px), 11)},
                                      {"TOP_MARGIN", format_number(1.0 - 65.0 / height_px)},
                                      {"BOTTOM_MARGIN", format_number(bottom_px / height_px)},
                                      {"TITLE", gnuplot_quote(title)},
                                      {"VALUE_LABEL", gnuplot_quote("observed and predicted (" + unit + ")")},
                                      {"OBSERVED_LABEL", gnuplot_quote("observed (" + unit + ")")},
                                      {"PREDICTED_LABEL", gnuplot_quote("predicted (" + unit + ")")},
                                      {"AXIS_MAX", format_number(axis_max * 1.08 + 1e-12)},
                                      {"DAY_FROM", format_number(day_min - 0.5)},
                                      {"DAY_TO", format_number(day_max + 0.5)},
                                      {"BY_DAY_ELEMENTS", plot_element_lines(by_day)},
                                      {"SCATTER_ELEMENTS", plot_element_lines(scatter)}});
  return figure;
}

Figure profile_likelihood_figure(const std::string& name, const std::string& title, const CsvTable& profile) {
  require_rows(profile);
  const std::size_t c_parameter = profile.require_column("parameter"), c_value = profile.require_column("value");
  // lactsim fit writes chi_square = -2 log L + constant; the figure needs NLL = chi_square / 2.
  const bool from_chi_square = !profile.find_column("neg_log_likelihood") && profile.find_column("chi_square");
  const std::size_t c_nll = profile.require_column(from_chi_square ? "chi_square" : "neg_log_likelihood");
  const double nll_per_cell = from_chi_square ? 0.5 : 1.0;
  const auto c_unit = profile.find_column("unit");
  const auto parameters = distinct(profile, c_parameter, all_rows(profile));
  Figure figure;
  figure.name = name;
  std::string panels;
  for (std::size_t k = 0; k < parameters.size(); ++k) {
    std::vector<std::pair<double, double>> points;
    std::string unit;
    std::size_t last_row = 0;
    for (std::size_t row = 0; row < profile.rows(); ++row) {
      if (profile.text(row, c_parameter) != parameters[k]) continue;
      const std::string& cell = profile.text(row, c_nll);
      if (cell == "nan" || cell == "-nan" || cell == "inf") continue;  // a failed refit: no point
      points.emplace_back(profile.number(row, c_value), nll_per_cell * profile.number(row, c_nll));
      if (c_unit) unit = profile.text(row, *c_unit);
      last_row = row;
    }
    if (points.size() < 2) fail_at(profile, last_row, "parameter", "parameter '" + parameters[k] + "' has fewer than 2 profile points");
    std::sort(points.begin(), points.end());
    double nll_min = points.front().second;
    for (const auto& p : points) nll_min = std::min(nll_min, p.second);
    std::string csv = "value,neg_log_likelihood,delta_2nll\n";
    for (const auto& [value, nll] : points) {
      csv += format_number(value) + "," + format_number(nll) + "," + format_number(2.0 * (nll - nll_min)) + "\n";
    }
    const std::string file = name + "_" + std::to_string(k + 1) + ".csv";
    figure.data_files.emplace_back(file, csv);
    QuantityLabel label = quantity_label(parameters[k]);
    if (!unit.empty()) label.unit = unit;  // the file's own unit wins over the registry's
    const std::string x_label = axis_label(label);
    const std::string interval = profile_interval_text(points, nll_min);
    if (k == 1) panels += "  unset key\n";
    panels += "  set xlabel " + gnuplot_quote(x_label) + "\n  set title " + gnuplot_quote(interval) +
              " font ',9'\n  plot \\\n" +
              plot_element_lines({gnuplot_quote(file) + " using 1:3 with linespoints ls 1 ps 0.8 title 'profile'",
                                  format_number(kChiSquare1Dof95) + " with lines lc rgb '#555555' dt 2 lw 1.5 title '95% threshold (3.84)'"});
  }
  figure.series_titles = {"profile", "95% threshold (3.84)"};
  const std::size_t columns = parameters.size() <= 1 ? 1 : (parameters.size() <= 4 ? 2 : 3);
  const std::size_t rows = (parameters.size() + columns - 1) / columns;
  // Margins in pixels converted to screen fractions, so titles and axis labels keep their
  // room whatever the number of panels.
  const double width_px = 420.0 * static_cast<double>(columns) + 80.0;
  const double height_px = 330.0 * static_cast<double>(rows) + 135.0;
  figure.script = fill_plot_template(plot_template("profile_likelihood"),
                                     {{"SCRIPT_FILE", gnuplot_quote(name + ".gp")},
                                      {"MARGIN_LEFT", format_number(70.0 / width_px)},
                                      {"MARGIN_RIGHT", format_number(1.0 - 20.0 / width_px)},
                                      {"MARGIN_BOTTOM", format_number(55.0 / height_px)},
                                      {"MARGIN_TOP", format_number(1.0 - 100.0 / height_px)},
                                      {"KEY_Y", format_number(1.0 - 32.0 / height_px)},
                                      {"SPACING_X", format_number(80.0 / width_px)},
                                      {"SPACING_Y", format_number(95.0 / height_px)},
                                      {"PREAMBLE", figure_preamble(name)},
                                      {"TERMINAL", figure_terminal(static_cast<int>(width_px), static_cast<int>(height_px), 10)},
                                      {"TITLE", gnuplot_quote(title)},
                                      {"ROWS", std::to_string(rows)},
                                      {"COLUMNS", std::to_string(columns)},
                                      {"PANELS", panels}});
  return figure;
}

}  // namespace lactsim

namespace lactsim {

namespace {
/// Panels per row of the per-subject figure; more subjects wrap onto further rows.
constexpr std::size_t kSubjectPanelColumns = 6;
/// Subjects drawn in the per-subject figure (4 rows of 6): with all 11 observables that is
/// 44 rows of panels, ~18,000 px, inside cairo's 32,767-pixel limit. One column per subject
/// made 70 subjects a canvas cairo refuses, and `fit --plot` then drew no figure at all.
constexpr std::size_t kMaxSubjectsDrawn = 24;
}  // namespace

Figure subject_fit_panels_figure(const std::string& name, const std::string& title, const CsvTable& panels) {
  require_rows(panels);
  const std::size_t c_subject = panels.require_column("subject"), c_quantity = panels.require_column("quantity"),
                    c_unit = panels.require_column("unit"), c_axis = panels.require_column("axis"),
                    c_x = panels.require_column("x"), c_kind = panels.require_column("kind"),
                    c_value = panels.require_column("value"), c_sd = panels.require_column("sd");
  const std::vector<std::size_t> rows = all_rows(panels);
  std::vector<std::string> subjects = distinct(panels, c_subject, rows);
  const std::size_t subjects_in_table = subjects.size();
  if (subjects.size() > kMaxSubjectsDrawn) subjects.resize(kMaxSubjectsDrawn);
  const std::size_t columns_count = std::min(subjects.size(), kSubjectPanelColumns);
  const std::size_t rows_per_quantity = (subjects.size() + columns_count - 1) / columns_count;
  const std::vector<std::string> quantities = distinct(panels, c_quantity, rows);
  for (std::size_t row = 0; row < panels.rows(); ++row) {
    const std::string axis = panels.text(row, c_axis), kind = panels.text(row, c_kind);
    if (axis != "day" && axis != "time_h" && axis != "event") fail_at(panels, row, "axis", "must be day, time_h or event");
    if (kind != "simulated" && kind != "observed") fail_at(panels, row, "kind", "must be simulated or observed");
  }
  Figure figure;
  figure.name = name;
  std::string script;
  std::size_t panel = 0;
  for (std::size_t q = 0; q < quantities.size(); ++q) {
    for (std::size_t cell = 0; cell < rows_per_quantity * columns_count; ++cell) {
      ++panel;
      const std::size_t s = cell;
      if (s >= subjects.size()) {  // the last row of a quantity's subjects is not full
        script += "  set multiplot next\n";
        continue;
      }
      std::string simulated = "x,value\n", observed = "x,value,sd\n", unit, axis;
      bool any_simulated = false, any_observed = false;
      double x_min = 1e300, x_max = -1e300, y_min = 1e300, y_max = -1e300;
      for (std::size_t row = 0; row < panels.rows(); ++row) {
        if (panels.text(row, c_subject) != subjects[s] || panels.text(row, c_quantity) != quantities[q]) continue;
        unit = panels.text(row, c_unit), axis = panels.text(row, c_axis);
        // An event that did not happen in the simulation (e.g. no colostrum seen) has no point.
        if (!panels.optional_number(row, c_value)) continue;
        const std::string x = format_number(panels.number(row, c_x)), value = format_number(panels.number(row, c_value));
        x_min = std::min(x_min, panels.number(row, c_x)), x_max = std::max(x_max, panels.number(row, c_x));
        y_min = std::min(y_min, panels.number(row, c_value)), y_max = std::max(y_max, panels.number(row, c_value));
        if (panels.text(row, c_kind) == "simulated") {
          simulated += x + "," + value + "\n", any_simulated = true;
        } else {
          observed += x + "," + value + "," + format_number(panels.optional_number(row, c_sd).value_or(0.0)) + "\n";
          any_observed = true;
        }
      }
      if (!any_simulated && !any_observed) {  // this subject has no such observations: an empty cell
        script += "  set multiplot next\n";
        continue;
      }
      std::vector<std::string> elements;
      const std::string stem = name + "_" + std::to_string(panel);
      const bool event = axis == "event";
      if (any_simulated) {
        figure.data_files.emplace_back(stem + "_simulated.csv", simulated);
        elements.push_back(gnuplot_quote(stem + "_simulated.csv") + " using 1:2 with " +
                           (event ? "points ls 1 pt 7 ps 1.4" : axis == "day" ? "linespoints ls 1 ps 0.6" : "lines ls 1") +
                           " title " + gnuplot_quote("simulated at the estimate"));
      }
      if (any_observed) {
        figure.data_files.emplace_back(stem + "_observed.csv", observed);
        elements.push_back(gnuplot_quote(stem + "_observed.csv") + " using 1:2:3 with yerrorbars ls 11 title " + gnuplot_quote("observed ± SD"));
      }
      figure.series_titles.push_back(subjects[s] + ": " + quantities[q]);
      std::string label = quantities[q];
      std::replace(label.begin(), label.end(), '_', ' ');
      script += "  set title " + gnuplot_quote("subject " + subjects[s]) + "\n";
      // An event time is one value: drawn on the y axis (h after birth), the x axis only holds it.
      script += "  set xlabel " + gnuplot_quote(event ? "" : axis == "day" ? "day after birth" : "time after birth (h)") + "\n";
      script += "  set xtics " + std::string(event ? "('' 1)" : axis == "day" ? "1" : "auto") + "\n";
      // Days: half a day of room either side, so points on the first and last day are not cut.
      const double pad = event || axis == "day" ? 0.5 : std::max(1.0, 0.03 * (x_max - x_min));
      script += "  set xrange [" + format_number(x_min - pad) + ":" + format_number(x_max + pad) + "]\n";
      // A quantity that starts near zero (milk) is drawn from zero; one far from it (weight) is not.
      script += std::string(y_min >= 0.0 && y_min < 0.3 * y_max ? "  set yrange [0:*]\n" : "  set yrange [*:*]\n");
      script += "  set ylabel " + gnuplot_quote(label + (event ? ", after birth" : "") + " (" + display_unit(unit) + ")") + "\n";
      script += "  plot \\\n" + plot_element_lines(elements) + "\n";
    }
  }
  const double columns = static_cast<double>(columns_count),
               rows_count = static_cast<double>(quantities.size() * rows_per_quantity);
  const double panel_w = 420.0, panel_h = 300.0, left = 85.0, right = 25.0, top = 70.0, bottom = 60.0, gap_x = 85.0,
               gap_y = 110.0;
  const double width = left + right + panel_w * columns + gap_x * (columns - 1);
  const double height = top + bottom + panel_h * rows_count + gap_y * (rows_count - 1);
  figure.script = fill_plot_template(plot_template("subject_fit_panels"),
                                     {{"SCRIPT_FILE", gnuplot_quote(name + ".gp")},
                                      {"PREAMBLE", figure_preamble(name)},
                                      {"TERMINAL", figure_terminal(static_cast<int>(width), static_cast<int>(height), 11)},
                                      {"TITLE", gnuplot_quote(subjects_in_table > subjects.size()
                                                                  ? title + " (first " + std::to_string(subjects.size()) +
                                                                        " of " + std::to_string(subjects_in_table) +
                                                                        " subjects; per_subject.csv lists all)"
                                                                  : title)},
                                      {"ROWS", std::to_string(quantities.size() * rows_per_quantity)},
                                      {"COLUMNS", std::to_string(columns_count)},
                                      {"MARGIN_LEFT", format_number(left / width)},
                                      {"MARGIN_RIGHT", format_number(1.0 - right / width)},
                                      {"MARGIN_BOTTOM", format_number(bottom / height)},
                                      {"MARGIN_TOP", format_number(1.0 - top / height)},
                                      {"SPACING_X", format_number(gap_x / width)},
                                      {"SPACING_Y", format_number(gap_y / height)},
                                      {"PANELS", script}});
  return figure;
}

}  // namespace lactsim
