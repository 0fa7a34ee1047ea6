#pragma once

#include <filesystem>
#include <functional>

#include "command.hpp"
#include "figure_flags.hpp"
#include "lactsim/plot/plot_results.hpp"

namespace lactsim::cli {

/// `lactsim plot RESULT_DIR`: render the figures of a result directory after the fact.
class PlotCommand : public Command {
 public:
  explicit PlotCommand(CLI::App& parent);
  int execute() override;

 private:
  std::string result_dir_;
  std::string reference_stem_;
  FigureFlags figure_flags_;
  bool quiet_ = false;
};

/// Renders the figures of `result_dir` (only the scenarios `scenario_order` lists, when
/// non-empty) into result_dir/figures and reports them on
/// stdout unless `quiet`; notes (e.g. observed data left out) go to stderr. Shared by
/// `lactsim plot` and the --plot flag of other commands.
/// @throws InputError (exit 2) when gnuplot is missing or an input is malformed
void render_result_figures(const std::string& result_dir, const std::vector<std::string>& scenario_order,
                           const std::string& reference_stem, const FigureFormat& format, bool quiet,
                           const ScenarioNames& scenario_names = {});

/// The [scenario] name of each of `scenarios` by file stem (as compare and the figures name
/// them), for figure titles; scenarios without a name are left out.
ScenarioNames scenario_names_of(const std::vector<Scenario>& scenarios);

/// Prints `report`'s notes on stderr and, unless `quiet`, the figures rendered into
/// `figures_dir` on stdout.
void report_figures(const PlotReport& report, const std::filesystem::path& figures_dir, bool quiet);

/// For --plot once a command has written (or staged) its results: runs `draw` (which renders
/// figures of them). Any failure to draw them — results that support no figure (e.g. a sweep
/// of three parameters, `compare` without a population), gnuplot failing or running out of
/// memory, a figures/ path that is not a real folder — is one note on stderr, "lactsim: no
/// figure drawn: <why>", and the command's success stands (issue #15: --plot never changes a
/// successful command's exit code). Only Cancelled (the user interrupted) propagates.
void draw_figures_of_written_results(const std::function<void()>& draw);

/// For --plot on a command that writes its results to `out` (a CSV file or directory):
/// fails before any work when there is no output to draw from, the figure flags are bad or
/// gnuplot is missing; returns the figure format.
/// @throws InputError (exit 2) naming --plot, a figure flag or gnuplot
FigureFormat check_plot_request(const std::string& out, const FigureFlags& figure_flags);

}  // namespace lactsim::cli
