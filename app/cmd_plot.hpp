#pragma once

#include <filesystem>

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

/// For --plot on a command that writes its results to `out` (a CSV file or directory):
/// fails before any work when there is no output to draw from or gnuplot is missing.
/// @throws InputError (exit 2) naming --plot or gnuplot
void check_plot_request(const std::string& out);

}  // namespace lactsim::cli
