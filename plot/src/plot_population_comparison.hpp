#pragma once
/// @file plot_population_comparison.hpp
/// Figure 4b (docs/figures.md): two or more arms of a paired population comparison over
/// days, drawn from the CSV `lactsim compare --out` writes when the scenarios run on a
/// population (recognised by its columns, not its file name).

#include <optional>
#include <string>
#include <vector>

#include "plot_csv.hpp"
#include "lactsim/plot/plot_render.hpp"

namespace lactsim {

/// Figure `name` from a `lactsim compare --out` table with population columns: top panel,
/// milk per day (mL/day) by day, the median and the shaded 5-95% band of each arm; bottom
/// panel, the paired mean difference to the first arm per day with its 95% bootstrap
/// interval; beside them, each arm's fraction with onset > 72 h and its Wilson interval,
/// and the mothers requested and included per arm.
/// @param compare  compare CSV: endpoint, scenario, population_p5/p50/p95,
///                 paired_mean_difference[_lower_95/_upper_95], fraction[_lower_95/_upper_95],
///                 n_requested, n_included (rows milk_day<N>_ml and onset_after_72h_fraction)
/// @return nothing, with a line in `notes` saying why, when the table cannot give this
///         figure: no population or paired columns, fewer than two arms, or no day rows
/// @throws InputError for non-numbers or p5 > p50 > p95 out of order (naming file, line, column)
std::optional<Figure> population_comparison_figure(const std::string& name, const std::string& title,
                                                   const CsvTable& compare, std::vector<std::string>& notes);

}  // namespace lactsim
