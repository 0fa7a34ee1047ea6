#pragma once
/// @file plot_analysis_figures.hpp
/// Figures 4-6 (docs/figures.md), drawn from CSV files whose columns docs/figures.md
/// fixes: population bands, sensitivity indices, a 2-parameter sweep, fit results.
/// Each builder validates its table and names the file, line and column at fault.

#include <string>

#include "plot_csv.hpp"
#include "lactsim/plot/plot_render.hpp"

namespace lactsim {

/// χ²(1) 0.95 quantile: a profile-likelihood 95% interval is where
/// 2·(NLL − NLL_min) stays below it.
inline constexpr double kChiSquare1Dof95 = 3.841458820694124;

/// Figure 4 `name`: 5-95% (and 25-75% when given) prediction bands of daily milk with
/// the median, and observed data overlaid when `observed` is non-null.
/// @param bands     population_bands.csv: day, milk_ml_p05, milk_ml_p50, milk_ml_p95
///                  [, milk_ml_p25, milk_ml_p75]
/// @param observed  population_observed.csv: label, day, value, low, high (low/high may be empty)
/// @throws InputError for missing columns, non-numbers or p05 > p50 > p95 out of order
Figure population_bands_figure(const std::string& name, const std::string& title, const CsvTable& bands,
                               const CsvTable* observed);

/// Figure 5a `name`: sensitivity indices as bars with confidence intervals, grouped by
/// parameter, one bar per index kind (e.g. S1 and ST, or mu* and sigma).
/// @param indices      sensitivity_indices.csv: parameter, index, estimate, ci_low, ci_high
///                     [, output]; ci cells may be empty (no interval drawn)
/// @param output       draw only rows whose `output` column equals this; "" draws all rows
/// @param value_label  y-axis label, with the unit of the indices
/// @throws InputError for missing columns, non-numbers, ci_low > ci_high, duplicate
///         (parameter, index) rows, or no rows to draw
Figure sensitivity_figure(const std::string& name, const std::string& title, const CsvTable& indices,
                          const std::string& output, const std::string& value_label);

/// Figure 5b `name`: heat map of `output_column` over the grid of the first two columns
/// (the swept parameters), each cell labelled with its value when the grid is small; titled
/// "<output's display name>: `title`". An empty output cell (a sample without that endpoint)
/// is a hatched grey cell labelled "no value".
/// @param sweep  sweep_grid.csv: <parameter x>, <parameter y>, <output>[, <output>…]
/// @throws InputError for fewer than 3 columns, non-numbers, duplicate grid points or an
///         output column without any value
Figure sweep_heatmap_figure(const std::string& name, const std::string& title, const CsvTable& sweep,
                            std::size_t output_column);

/// Figure 5c `name`: a one-parameter sweep (scan), one panel per output column against the
/// swept parameter (points joined in parameter order). An empty output cell (a sample
/// without that endpoint, e.g. onset not reached) is missing from that panel only.
/// @param scan  <parameter>, <output>[, <output>…]; one row per sample
/// @throws InputError for fewer than 2 columns, no rows, non-numbers or a parameter value
///         that appears twice
Figure sweep_scan_figure(const std::string& name, const std::string& title, const CsvTable& scan);

/// Figure 6a `name`: observed against predicted (left: by day with observed spread;
/// right: predicted vs observed with the 1:1 line).
/// @param fit  fit_observed_predicted.csv: series, day, observed, observed_low,
///             observed_high, predicted [, unit]
/// @throws InputError for missing columns or non-numbers
Figure fit_observed_predicted_figure(const std::string& name, const std::string& title, const CsvTable& fit);

/// Figure 6b `name`: profile likelihood per parameter, 2·(NLL − NLL_min) against the
/// parameter value, with the 95% threshold kChiSquare1Dof95.
/// @param profile  profile_likelihood.csv: parameter, value, neg_log_likelihood [, unit];
///                 or `lactsim fit`'s profile.csv with chi_square instead (NLL = χ²/2 up
///                 to a constant). Rows whose likelihood is nan/inf (failed refits) are skipped.
/// @throws InputError for missing columns, non-numbers, or a parameter with < 2 points
Figure profile_likelihood_figure(const std::string& name, const std::string& title, const CsvTable& profile);

/// Figure 6c `name`: a case-series fit, one panel per subject (columns) and quantity (rows):
/// the simulated curve at the subject's estimate and its observed points with ±SD bars.
/// @param panels  subject_fit_panels.csv: subject, quantity, unit, axis (day | time_h | event), x,
///                kind (simulated | observed), value, sd
/// @throws InputError for a table without rows or with an unknown axis or kind
Figure subject_fit_panels_figure(const std::string& name, const std::string& title, const CsvTable& panels);

}  // namespace lactsim
