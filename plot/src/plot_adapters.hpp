#pragma once
/// @file plot_adapters.hpp
/// Figures 4-6 from the CSV files other lactsim commands write, recognised by their
/// header: `compare --out` (population bands), `sensitivity --out` (Sobol or Morris),
/// `sweep --out` (2-parameter grid heat maps), `fit --out` DIR/observed.csv and
/// DIR/profile.csv. Each is converted to the figure input contract of docs/figures.md
/// and drawn by the builders of plot_analysis_figures.hpp.

#include <string>
#include <vector>

#include "plot_csv.hpp"
#include "lactsim/plot/plot_render.hpp"
#include "lactsim/plot/plot_results.hpp"

namespace lactsim {

/// What a CSV file holds, judged by its header.
enum class FigureInputKind {
  unknown,
  population_bands,        ///< contract: day, milk_ml_p05, milk_ml_p50, milk_ml_p95
  sensitivity_indices,     ///< contract: parameter, index, estimate, ci_low, ci_high
  sweep_grid,              ///< contract: free-form header, >= 3 columns, every cell a number (no other kind's header)
  population_observed,     ///< overlay of the population band figure: label, day, value, low, high
  fit_observed_predicted,  ///< contract: series, day, observed, observed_low, observed_high, predicted
  profile_likelihood,      ///< contract or `fit` profile.csv: parameter, value, neg_log_likelihood | chi_square
  compare_output,          ///< `lactsim compare --out`: endpoint, scenario, value, difference, ratio[, population_p5…]
  sobol_output,            ///< `lactsim sensitivity --method sobol --out`
  morris_output,           ///< `lactsim sensitivity --method morris --out`
  sweep_output,            ///< `lactsim sweep --out`: sample, status, <parameters>, <endpoints>, error
  fit_observed_output,     ///< `lactsim fit --out DIR`: DIR/observed.csv
  subject_fit_panels,      ///< `lactsim fit --observations`: subject, quantity, unit, axis, x, kind, value, sd
  run_table,               ///< `lactsim run`'s timeseries.csv, daily.csv or their long forms (drawn from its folder only)
};

/// The kind of `table`, from its content alone (header, and for the free-form heat-map
/// contract the cells), never from its file name: a file may be saved under any name.
FigureInputKind detect_figure_input(const CsvTable& table);

/// Every figure `table` supports; `prefix` goes before each figure name and
/// `title_suffix` after each title; titles name scenarios by `scenario_names` (PlotOptions).
/// Inputs that cannot be drawn (e.g. a sweep of two parameters not on a full grid) add a line
/// to `notes` instead.
/// @throws InputError for malformed content
std::vector<Figure> figures_from_table(const CsvTable& table, const std::string& prefix,
                                       const std::string& title_suffix, const CsvTable* population_observed,
                                       std::vector<std::string>& notes, const ScenarioNames& scenario_names = {});

}  // namespace lactsim
