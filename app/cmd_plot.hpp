#pragma once

#include <filesystem>
#include <functional>

#include "command.hpp"
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
  bool quiet_ = false;
};

/// Renders the figures of `result_dir` (only the scenarios `scenario_order` lists, when
/// non-empty) into result_dir/figures and reports them on
/// stdout unless `quiet`; notes (e.g. observed data left out) go to stderr. Shared by
/// `lactsim plot` and the --plot flag of other commands.
/// @throws InputError (exit 2) when gnuplot is missing or an input is malformed
void render_result_figures(const std::string& result_dir, const std::vector<std::string>& scenario_order,
                           const std::string& reference_stem, bool quiet);

/// Prints `report`'s notes on stderr and, unless `quiet`, the figures rendered into
/// `figures_dir` on stdout.
void report_figures(const PlotReport& report, const std::filesystem::path& figures_dir, bool quiet);

/// For --plot once a command has written its results: runs `draw` (which renders figures of
/// them). A figure that cannot be drawn from those results (an InputError: e.g. a sweep of one
/// parameter or not on a full grid, `compare` without a population) is one note on stderr,
/// "lactsim: no figure drawn: <why>", and the command's success stands. A failure to write
/// figures that can be drawn (gnuplot failing, a figures/ path that is not a real folder:
/// Error, exit 1) still propagates.
void draw_figures_of_written_results(const std::function<void()>& draw);

/// For --plot on a command that writes its results to `out` (a CSV file or directory):
/// fails before any work when there is no output to draw from or gnuplot is missing.
/// @throws InputError (exit 2) naming --plot or gnuplot
void check_plot_request(const std::string& out);

}  // namespace lactsim::cli
