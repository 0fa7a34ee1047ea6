#pragma once
/// @file infant_weight_reference.hpp
/// The reference curve every infant weight figure draws: the vaginal nomogram median of
/// Flaherman et al. 2015, the data the infant losses are calibrated to.

#include <string>
#include <utility>
#include <vector>

#include "lactsim/engine/text_format.hpp"
#include "lactsim/plot/plot_render.hpp"

namespace lactsim {

/// Median weight change of exclusively breastfed, vaginally delivered newborns (Flaherman et al.
/// 2015, Pediatrics 135:e16-e23; shared/physiology.md §1b): {time h, % of birth weight}.
inline constexpr std::pair<double, double> kVaginalNomogramMedian[] = {{24.0, -4.2}, {48.0, -7.1}, {72.0, -6.4}};

/// Adds the nomogram median to `figure` as data file `file` (x in days) and returns its plot element.
inline std::string add_vaginal_nomogram_reference(Figure& figure, const std::string& file) {
  std::string csv = "time_days,infant_weight_change_percent\n";
  for (const auto& [time_h, change] : kVaginalNomogramMedian) {
    csv += format_number(time_h / 24.0) + "," + format_number(change) + "\n";
  }
  figure.data_files.emplace_back(file, csv);
  const std::string title =
      "reference: Flaherman et al. 2015, median of 83,433 vaginal births";
  figure.series_titles.push_back(title);
  return gnuplot_quote(file) + " using 1:2 with points pt 6 ps 1.6 lc rgb '#444444' title " + gnuplot_quote(title);
}

}  // namespace lactsim
