#include "lactsim/sim/plot_results.hpp"

#include <algorithm>
#include <set>

#include "lactsim/sim/errors.hpp"
#include "lactsim/sim/plot_analysis_figures.hpp"
#include "lactsim/sim/plot_run_figures.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;

bool is_run_output_dir(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "summary.json", ec) && fs::is_regular_file(dir / "daily.csv", ec) &&
         fs::is_regular_file(dir / "timeseries.csv", ec);
}

/// A name usable in file names: letters, digits, '-' and '_' kept, the rest '_'.
std::string file_safe(const std::string& text) {
  std::string out;
  for (char c : text) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  return out;
}

/// Figures 4-6 from the contract files in `dir`; `prefix` goes before each figure name.
void collect_analysis_figures(const fs::path& dir, const std::string& prefix, std::vector<Figure>& figures) {
  std::error_code ec;
  const std::string where = prefix.empty() ? "" : " (" + prefix.substr(0, prefix.size() - 1) + ")";
  if (fs::is_regular_file(dir / "population_bands.csv", ec)) {
    const CsvTable bands = read_csv_table(dir / "population_bands.csv");
    std::optional<CsvTable> observed;
    if (fs::is_regular_file(dir / "population_observed.csv", ec)) observed = read_csv_table(dir / "population_observed.csv");
    figures.push_back(population_bands_figure(prefix + "population_bands",
                                              "Population prediction of milk per day" + where, bands,
                                              observed ? &*observed : nullptr));
  }
  if (fs::is_regular_file(dir / "sensitivity_indices.csv", ec)) {
    const CsvTable indices = read_csv_table(dir / "sensitivity_indices.csv");
    // One figure per output: split the rows by the optional `output` column.
    const auto output_column = indices.find_column("output");
    std::vector<std::string> outputs;
    for (std::size_t row = 0; row < indices.rows(); ++row) {
      const std::string output = output_column ? indices.text(row, *output_column) : "";
      if (std::find(outputs.begin(), outputs.end(), output) == outputs.end()) outputs.push_back(output);
    }
    if (outputs.size() <= 1) {
      const std::string output = outputs.empty() ? "" : outputs.front();
      figures.push_back(sensitivity_figure(prefix + "sensitivity",
                                           "Sensitivity" + (output.empty() ? "" : " of " + output) + where, indices, ""));
    } else {
      for (const std::string& output : outputs) {
        figures.push_back(sensitivity_figure(prefix + "sensitivity_" + file_safe(output),
                                             "Sensitivity of " + output + where, indices, output));
      }
    }
  }
  if (fs::is_regular_file(dir / "sweep_grid.csv", ec)) {
    const CsvTable sweep = read_csv_table(dir / "sweep_grid.csv");
    for (std::size_t column = 2; column < std::max<std::size_t>(sweep.header().size(), 3); ++column) {
      const std::string output = column < sweep.header().size() ? sweep.header()[column] : "";
      figures.push_back(sweep_heatmap_figure(
          prefix + (sweep.header().size() > 3 ? "sweep_" + file_safe(output) : "sweep"),
          "Two-parameter sweep" + where, sweep, column));
    }
  }
  if (fs::is_regular_file(dir / "fit_observed_predicted.csv", ec)) {
    figures.push_back(fit_observed_predicted_figure(prefix + "fit_observed_predicted", "Fit: observed and predicted" + where,
                                                    read_csv_table(dir / "fit_observed_predicted.csv")));
  }
  if (fs::is_regular_file(dir / "profile_likelihood.csv", ec)) {
    figures.push_back(profile_likelihood_figure(prefix + "profile_likelihood", "Profile likelihood" + where,
                                                read_csv_table(dir / "profile_likelihood.csv")));
  }
}

}  // namespace

std::vector<Figure> collect_figures(const fs::path& result_dir, const PlotOptions& options,
                                    std::vector<std::string>& notes) {
  std::error_code ec;
  if (!fs::is_directory(result_dir, ec)) {
    throw InputError({result_dir.string(), 0, 0}, "RESULT_DIR", "not a directory (expected the --out directory of a lactsim command)");
  }
  std::vector<fs::path> subdirectories;
  for (const auto& entry : fs::directory_iterator(result_dir, ec)) {
    if (entry.is_directory() && entry.path().filename() != "figures" &&
        entry.path().filename().string().front() != '.') {
      subdirectories.push_back(entry.path());
    }
  }
  std::sort(subdirectories.begin(), subdirectories.end());

  // Run outputs, in the requested order, then alphabetically.
  std::vector<fs::path> run_dirs;
  for (const std::string& stem : options.scenario_order) {
    if (is_run_output_dir(result_dir / stem)) run_dirs.push_back(result_dir / stem);
  }
  for (const fs::path& dir : subdirectories) {
    if (is_run_output_dir(dir) && std::find(run_dirs.begin(), run_dirs.end(), dir) == run_dirs.end()) {
      run_dirs.push_back(dir);
    }
  }
  std::vector<Figure> figures;
  if (!run_dirs.empty()) {
    std::vector<PlotScenario> scenarios;
    for (const fs::path& dir : run_dirs) scenarios.push_back(read_scenario_outputs(dir, notes));
    figures.push_back(daily_milk_figure(scenarios));
    for (const PlotScenario& scenario : scenarios) figures.push_back(traces_figure(scenario));
    if (scenarios.size() >= 2) {
      figures.push_back(comparison_figure(scenarios, choose_reference(scenarios, options.reference_stem)));
    } else if (!options.reference_stem.empty()) {
      notes.push_back("--reference ignored: the comparison figure needs two or more scenarios");
    }
  }
  collect_analysis_figures(result_dir, "", figures);
  for (const fs::path& dir : subdirectories) {
    if (!is_run_output_dir(dir)) collect_analysis_figures(dir, file_safe(dir.filename().string()) + "_", figures);
  }
  if (figures.empty()) {
    throw InputError({result_dir.string(), 0, 0}, "RESULT_DIR",
                     "nothing to plot: no run outputs (<stem>/summary.json, daily.csv, timeseries.csv) and no "
                     "figure input files (population_bands.csv, sensitivity_indices.csv, sweep_grid.csv, "
                     "fit_observed_predicted.csv, profile_likelihood.csv); see docs/figures.md");
  }
  return figures;
}

PlotReport plot_result_directory(const fs::path& result_dir, const PlotOptions& options,
                                 const GnuplotProgram& gnuplot) {
  PlotReport report;
  const std::vector<Figure> figures = collect_figures(result_dir, options, report.notes);
  report.written = render_figures(figures, result_dir / "figures", gnuplot);
  for (const Figure& figure : figures) report.figure_names.push_back(figure.name);
  return report;
}

}  // namespace lactsim
