#include "cmd_plot.hpp"

#include <iostream>

#include "lactsim/sim/plot_results.hpp"

namespace lactsim::cli {

PlotCommand::PlotCommand(CLI::App& parent) {
  app_ = parent.add_subcommand(
      "plot",
      "Render figures (PNG + SVG, with their data and gnuplot scripts) of a result directory into RESULT_DIR/figures/");
  app_->add_option("result_dir", result_dir_,
                   "output directory of `lactsim run` (or one holding the figure input CSVs of docs/figures.md)")
      ->required();
  app_->add_option("--reference", reference_stem_,
                   "scenario (file stem) the comparison figure subtracts; default: the one named *control*, else the first");
  app_->add_flag("--quiet,-q", quiet_, "print nothing on success");
  app_->footer("Needs gnuplot (Debian package gnuplot-nox); set LACTSIM_GNUPLOT to use another executable.");
}

int PlotCommand::execute() {
  render_result_figures(result_dir_, {}, reference_stem_, quiet_);
  return 0;
}

void render_result_figures(const std::string& result_dir, const std::vector<std::string>& scenario_order,
                           const std::string& reference_stem, bool quiet) {
  const GnuplotProgram gnuplot = find_gnuplot();  // fail before any work when it is missing
  const PlotReport report = plot_result_directory(result_dir, {scenario_order, reference_stem}, gnuplot);
  for (const std::string& note : report.notes) std::cerr << "lactsim: note: " << note << "\n";
  if (!quiet) {
    std::cout << "figures written to " << (std::filesystem::path(result_dir) / "figures").string() << "/:";
    for (const std::string& name : report.figure_names) std::cout << " " << name;
    std::cout << " (.png, .svg, .gp and data .csv each)\n";
  }
}

}  // namespace lactsim::cli
