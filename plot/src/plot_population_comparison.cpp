#include "plot_population_comparison.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

#include "lactsim/engine/errors.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/plot/plot_templates.hpp"

namespace lactsim {
namespace {

/// The compare endpoint whose rows carry the fraction with onset > 72 h (docs/analyses.md).
constexpr std::string_view kDelayedOnsetEndpoint = "onset_after_72h_fraction";

/// One arm's numbers as the figure draws them.
struct Arm {
  std::string name;
  /// day -> p5, p50, p95, paired mean difference, its lower and upper 95% bound (mL/day)
  std::map<int, std::array<double, 6>> days;
  std::optional<double> fraction, fraction_low, fraction_high;            ///< onset > 72 h (0-1)
  std::optional<double> fraction_difference, difference_low, difference_high;  ///< to the first arm
  std::string n_requested, n_included;
};

std::string percent(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", 100.0 * fraction);
  return text;
}

/// "80.0% (62.7-90.5%)", or why there is no number.
std::string fraction_text(const Arm& arm) {
  if (!arm.fraction) return "unknown (horizon shorter than 72 h)";
  std::string text = percent(*arm.fraction) + "%";
  if (arm.fraction_low && arm.fraction_high) text += " (" + percent(*arm.fraction_low) + "-" + percent(*arm.fraction_high) + "%)";
  return text;
}

/// One line of text at a screen position in the right-hand column.
std::string screen_label(const std::string& text, double x, double y) {
  return "  set label " + gnuplot_quote(text) + " at screen " + format_number(x) + ", screen " + format_number(y) +
         " left font ',10'\n";
}

}  // namespace

std::optional<Figure> population_comparison_figure(const std::string& name, const std::string& title,
                                                   const CsvTable& compare, std::vector<std::string>& notes) {
  const std::string where = compare.file().string() + ": ";
  const std::vector<std::string> needed = {"endpoint", "scenario", "population_p5", "population_p50", "population_p95",
                                           "paired_mean_difference", "paired_mean_difference_lower_95",
                                           "paired_mean_difference_upper_95", "n_requested", "n_included"};
  for (const std::string& column : needed) {
    if (!compare.find_column(column)) {
      notes.push_back(where + "no " + column + " column (not a paired population comparison); no population_comparison figure");
      return std::nullopt;
    }
  }
  const std::size_t c_endpoint = compare.require_column("endpoint"), c_scenario = compare.require_column("scenario"),
                    c5 = compare.require_column("population_p5"), c50 = compare.require_column("population_p50"),
                    c95 = compare.require_column("population_p95"), c_mean = compare.require_column("paired_mean_difference"),
                    c_low = compare.require_column("paired_mean_difference_lower_95"),
                    c_high = compare.require_column("paired_mean_difference_upper_95"),
                    c_requested = compare.require_column("n_requested"), c_included = compare.require_column("n_included");
  const auto c_fraction = compare.find_column("fraction"), c_fraction_low = compare.find_column("fraction_lower_95"),
             c_fraction_high = compare.find_column("fraction_upper_95");
  std::vector<Arm> arms;
  auto arm_of = [&](const std::string& scenario) -> Arm& {
    auto it = std::find_if(arms.begin(), arms.end(), [&](const Arm& arm) { return arm.name == scenario; });
    if (it != arms.end()) return *it;
    arms.push_back(Arm{scenario, {}, {}, {}, {}, {}, {}, {}, {}, {}});
    return arms.back();
  };
  bool any_fraction_row = false;
  for (std::size_t row = 0; row < compare.rows(); ++row) {
    const std::string& endpoint = compare.text(row, c_endpoint);
    const auto day = milk_day(endpoint);
    if (!day && endpoint != kDelayedOnsetEndpoint) continue;
    Arm& arm = arm_of(compare.text(row, c_scenario));
    arm.n_requested = compare.text(row, c_requested), arm.n_included = compare.text(row, c_included);
    if (!day) {
      any_fraction_row = true;
      if (c_fraction) arm.fraction = finite_cell(compare, row, *c_fraction);
      if (c_fraction_low) arm.fraction_low = finite_cell(compare, row, *c_fraction_low);
      if (c_fraction_high) arm.fraction_high = finite_cell(compare, row, *c_fraction_high);
      arm.fraction_difference = finite_cell(compare, row, c_mean);
      arm.difference_low = finite_cell(compare, row, c_low), arm.difference_high = finite_cell(compare, row, c_high);
      continue;
    }
    const auto p5 = finite_cell(compare, row, c5), p50 = finite_cell(compare, row, c50), p95 = finite_cell(compare, row, c95),
               mean = finite_cell(compare, row, c_mean), low = finite_cell(compare, row, c_low),
               high = finite_cell(compare, row, c_high);
    if (!p5 || !p50 || !p95 || !mean || !low || !high) continue;  // an arm without included mothers
    if (!(*p5 <= *p50 && *p50 <= *p95)) {
      throw InputError({compare.file().string(), compare.line_of(row), 0}, "population_p50",
                       "percentiles out of order: need population_p5 <= population_p50 <= population_p95");
    }
    arm.days[*day] = {*p5, *p50, *p95, *mean, *low, *high};
  }
  std::erase_if(arms, [](const Arm& arm) { return arm.days.empty(); });
  if (arms.size() < 2) {
    notes.push_back(where + "a population comparison figure needs two arms with milk per day (found " +
                    std::to_string(arms.size()) + "); no population_comparison figure");
    return std::nullopt;
  }

  // Data: one row per day of the first arm; per arm p5, p50, p95, mean, low, high.
  std::string csv = "day";
  for (const Arm& arm : arms) {
    const std::string stem = safe_file_stem(arm.name);
    csv += "," + stem + "_milk_ml_p5," + stem + "_milk_ml_p50," + stem + "_milk_ml_p95," + stem +
           "_paired_mean_difference_ml," + stem + "_paired_mean_difference_lower_95," + stem + "_paired_mean_difference_upper_95";
  }
  csv += "\n";
  double difference_low = 0.0, difference_high = 0.0;
  for (const auto& [day, ignored] : arms.front().days) {
    csv += std::to_string(day);
    for (const Arm& arm : arms) {
      const auto it = arm.days.find(day);
      for (std::size_t k = 0; k < 6; ++k) csv += "," + (it == arm.days.end() ? std::string() : format_number(it->second[k]));
      if (it != arm.days.end() && &arm != &arms.front()) {
        difference_low = std::min({difference_low, it->second[3], it->second[4]});
        difference_high = std::max({difference_high, it->second[3], it->second[5]});
      }
    }
    csv += "\n";
  }
  Figure figure;
  figure.name = name;
  const std::string data = name + ".csv";
  figure.data_files.emplace_back(data, csv);
  const std::string q = gnuplot_quote(data);

  std::vector<std::string> bands, differences;
  const double offset_step = 0.12;  // arms' difference bars side by side within a day
  for (std::size_t a = 0; a < arms.size(); ++a) {
    const std::string style = std::to_string(a % 6 + 1);
    const std::size_t base = 2 + 6 * a;
    const std::string band_title = arms[a].name + ": 5-95% of mothers", median_title = arms[a].name + ": median";
    bands.push_back(q + " using 1:" + std::to_string(base) + ":" + std::to_string(base + 2) + " with filledcurves ls " + style +
                    " title " + gnuplot_quote(band_title));
    bands.push_back(q + " using 1:" + std::to_string(base + 1) + " with linespoints ls " + style + " title " +
                    gnuplot_quote(median_title));
    figure.series_titles.push_back(band_title), figure.series_titles.push_back(median_title);
    if (a == 0) continue;
    const double offset = offset_step * (static_cast<double>(a - 1) - 0.5 * static_cast<double>(arms.size() - 2));
    const std::string difference_title = arms[a].name + " - " + arms[0].name;
    differences.push_back(q + " using ($1 + " + format_number(offset) + "):" + std::to_string(base + 3) +
                          ":" + std::to_string(base + 4) + ":" + std::to_string(base + 5) + " with yerrorbars ls " + style + " dt 1" +
                          " title " + gnuplot_quote(difference_title));
    figure.series_titles.push_back(difference_title);
  }

  // Right-hand column: keys at the top of each panel, onset text under the top key.
  std::vector<std::string> lines;
  if (any_fraction_row) {
    lines.push_back("onset of lactogenesis II > 72 h,");
    lines.push_back("fraction of mothers (95% Wilson CI):");
    for (const Arm& arm : arms) lines.push_back("  " + arm.name + ": " + fraction_text(arm));
    for (std::size_t a = 1; a < arms.size(); ++a) {
      if (!arms[a].fraction_difference) continue;
      lines.push_back("  " + arms[a].name + " - " + arms[0].name + ", paired:");
      std::string text = "    " + percent(*arms[a].fraction_difference) + " percentage points";
      if (arms[a].difference_low && arms[a].difference_high) {
        text += " (95% bootstrap CI " + percent(*arms[a].difference_low) + " to " + percent(*arms[a].difference_high) + ")";
      }
      lines.push_back(text);
    }
  } else {
    notes.push_back(where + "no " + std::string(kDelayedOnsetEndpoint) + " rows; the population_comparison figure shows no onset fractions");
  }
  lines.push_back("mothers per arm (requested / included):");
  for (const Arm& arm : arms) lines.push_back("  " + arm.name + ": " + arm.n_requested + " / " + arm.n_included);
  // Layout in pixels (11-pt keys, 10-pt text), then screen fractions: the top panel is at
  // least as tall as its key plus the onset text beside it, so neither overlaps the other.
  const double title_px = 70.0, key_line_px = 21.0, text_line_px = 17.0, gap_px = 45.0, bottom_panel_px = 280.0,
               bottom_margin_px = 60.0;
  const double key_px = key_line_px * 2.0 * static_cast<double>(arms.size()) + 10.0;
  const double top_panel_px = std::max(300.0, key_px + 15.0 + text_line_px * static_cast<double>(lines.size()));
  const int width = 1180;
  const int height = static_cast<int>(title_px + top_panel_px + gap_px + bottom_panel_px + bottom_margin_px);
  auto screen_y = [&](double px_from_top) { return 1.0 - px_from_top / static_cast<double>(height); };
  const double axes_right = 0.64, key_left = 0.66;
  const double top_top = screen_y(title_px), top_bottom = screen_y(title_px + top_panel_px),
               bottom_top = screen_y(title_px + top_panel_px + gap_px);
  const double line = text_line_px / static_cast<double>(height);
  std::string labels;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    // Baseline of line i: below the key, one text line further down per line.
    labels += screen_label(lines[i], key_left, screen_y(title_px + key_px + 15.0 + text_line_px * (static_cast<double>(i) + 0.7)));
  }
  // Under the bottom key (one line per compared arm): what the points and bars are.
  const double difference_note_y = bottom_top - (key_line_px * static_cast<double>(arms.size() - 1) + 30.0) / height;
  labels += screen_label("points: mean of the per-mother differences", key_left, difference_note_y);
  labels += screen_label("bars: 95% paired-bootstrap interval", key_left, difference_note_y - line);
  const double span = std::max(difference_high - difference_low, 1e-9);
  figure.script = fill_plot_template(plot_template("population_comparison"),
                                     {{"SCRIPT_FILE", gnuplot_quote(name + ".gp")},
                                      {"PREAMBLE", figure_preamble(name)},
                                      {"TERMINAL", figure_terminal(width, height, 11)},
                                      {"TITLE", gnuplot_quote(title)},
                                      {"AXES_RIGHT", format_number(axes_right)},
                                      {"KEY_LEFT", format_number(key_left)},
                                      {"TOP_TOP", format_number(top_top)},
                                      {"TOP_BOTTOM", format_number(top_bottom)},
                                      {"BOTTOM_TOP", format_number(bottom_top)},
                                      {"BOTTOM_BOTTOM", format_number(bottom_margin_px / height)},
                                      {"X_FROM", format_number(arms.front().days.begin()->first - 0.5)},
                                      {"X_TO", format_number(arms.front().days.rbegin()->first + 0.5)},
                                      {"ONSET_LABELS", labels},
                                      {"BAND_ELEMENTS", plot_element_lines(bands)},
                                      {"DIFFERENCE_Y_FROM", format_number(difference_low - 0.08 * span)},
                                      {"DIFFERENCE_Y_TO", format_number(difference_high + 0.08 * span)},
                                      {"DIFFERENCE_ELEMENTS", plot_element_lines(differences)}});
  return figure;
}

}  // namespace lactsim
