#pragma once
/// @file plot_results.hpp
/// `lactsim plot RESULT_DIR` as a library call: find every figure input in a result
/// directory, build the figures and render them into RESULT_DIR/figures/; and the same
/// figures of runs just made, from memory (`lactsim run --plot`).

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "lactsim/io/output_files.hpp"
#include "lactsim/io/run_scenarios.hpp"
#include "lactsim/plot/plot_render.hpp"

namespace lactsim {

/// Display names of scenarios by file stem.
using ScenarioNames = std::map<std::string, std::string>;

/// Choices for plot_result_directory().
struct PlotOptions {
  /// Scenario stems in the order to draw them (e.g. the order given to `lactsim run`);
  /// stems not listed follow in alphabetical order.
  std::vector<std::string> scenario_order;
  /// Draw only the scenarios in scenario_order (e.g. those of the run just made), not
  /// older run outputs in the same directory.
  bool only_listed_scenarios = false;
  /// Stem of the reference scenario of the comparison figure; empty: see choose_reference().
  std::string reference_stem;
  /// Image formats and size of every figure.
  FigureFormat format;
  /// The [scenario] name of each scenario by file stem, for titles of figures whose input names
  /// scenarios by stem (a compare CSV) or not at all (a sweep: titled with the one name given);
  /// a stem not listed is shown as it is.
  ScenarioNames scenario_names;
};

/// What plot_result_directory() found and did.
struct PlotReport {
  std::vector<std::string> figure_names;          ///< figures rendered
  std::vector<std::filesystem::path> written;     ///< every file written
  std::vector<std::string> notes;                 ///< what was left out and why
  std::filesystem::path figures_dir;              ///< where the figures went
};

/// Every figure the inputs in `result_dir` support, not yet rendered:
///  - run outputs in subdirectories (<stem>/summary.json, daily.csv, timeseries.csv):
///    figure 1 "daily_milk", figure 2 "traces_<stem>" per scenario, figure 3
///    "comparison" when there are two or more scenarios;
///  - CSV files whose header marks them as figure inputs (docs/figures.md: the figure
///    input contracts and the outputs of compare, sensitivity, sweep and fit), at the top
///    level or one directory down (figure name then prefixed by that directory's name).
/// `result_dir` may also be one such CSV file; its figures go to the file's directory. A file
/// of a known kind that supports no figure (e.g. a compare CSV without population columns)
/// gives no figure and a line in `notes` saying why, not an error.
/// @throws InputError when `result_dir` is neither, holds no figure input, or an input
///         file is malformed (naming file, line and column)
std::vector<Figure> collect_figures(const std::filesystem::path& result_dir, const PlotOptions& options,
                                    std::vector<std::string>& notes);

/// Figures 1-3 of runs just made (run_scenarios()), from the runs in memory: the figures
/// collect_figures() builds from the files stage_run_outputs() writes for them (scenario
/// order as `runs`, numbers as the files hold them), without reading those files back or
/// reloading the scenario files. Only options.reference_stem is read.
/// @throws InputError as result_folder_names(), or for a reference_stem naming no run
std::vector<Figure> collect_run_figures(const std::vector<ScenarioRun>& runs, const PlotOptions& options,
                                        std::vector<std::string>& notes);

/// Renders collect_run_figures() into `figures_dir`.
/// @throws InputError as collect_run_figures(); Error (exit 1) when rendering fails
PlotReport plot_scenario_runs(const std::vector<ScenarioRun>& runs, const std::filesystem::path& figures_dir,
                              const PlotOptions& options, const GnuplotProgram& gnuplot);

/// The figures of a figure-input CSV held in memory, e.g. one a command has just written to
/// `file`: what collect_figures(`file`) builds from that file, without reading it back.
/// @throws InputError as collect_figures() for a CSV file
std::vector<Figure> collect_csv_figures(std::string_view csv_text, const std::filesystem::path& file,
                                        std::vector<std::string>& notes, const ScenarioNames& scenario_names = {});

/// Renders collect_csv_figures() into figures/ next to `file`.
/// @throws InputError as collect_csv_figures(); Error (exit 1) when rendering fails
PlotReport plot_csv_text(std::string_view csv_text, const std::filesystem::path& file, const GnuplotProgram& gnuplot,
                         const FigureFormat& format = {}, const ScenarioNames& scenario_names = {});

/// Collects and renders every figure of `result_dir` into `result_dir`/figures (for a
/// file: figures/ next to it).
/// @throws InputError as collect_figures(); Error (exit 1) when rendering fails
PlotReport plot_result_directory(const std::filesystem::path& result_dir, const PlotOptions& options,
                                 const GnuplotProgram& gnuplot);

}  // namespace lactsim
