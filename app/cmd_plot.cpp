#include "cmd_plot.hpp"

#include <exception>
#include <iostream>

#include "lactsim/engine/errors.hpp"
#include "lactsim/plot/plot_results.hpp"

namespace lactsim::cli {

PlotCommand::PlotCommand(CLI::App& parent) {
  app_ = parent.add_subcommand(
      "plot",
      "Render figures (PNG, SVG and/or PDF, with their data and gnuplot scripts) of a result directory into RESULT_DIR/figures/");
  app_->add_option("result_dir", result_dir_,
                   "output directory of `lactsim run` or `fit`, a directory of figure input CSVs, or one such CSV "
                   "(from compare/sensitivity/sweep --out; formats in docs/figures.md)")
      ->required();
  app_->add_option("--reference", reference_stem_,
                   "scenario (file stem) the comparison figure subtracts; default: the one named *control*, else the first");
  figure_flags_.add_to(*app_);
  app_->add_flag("--quiet,-q", quiet_, "print nothing on success");
  app_->footer(
      "Needs gnuplot (Debian package gnuplot-nox); set LACTSIM_GNUPLOT to use another executable.\n"
      "Exit codes: 0 success; 1 other failure (gnuplot failed, cannot write figures/); 2 bad input (no gnuplot, "
      "RESULT_DIR missing or holding no figure input, a malformed input file; the message names "
      "file:line:column and field).");
}

int PlotCommand::execute() {
  render_result_figures(result_dir_, {}, reference_stem_, figure_flags_.format(), quiet_);
  return 0;
}

FigureFormat check_plot_request(const std::string& out, const FigureFlags& figure_flags) {
  if (out.empty() || out == "-") {
    throw InputError({"<command line>", 0, 0}, "--plot", "needs --out FILE: the figures are drawn from the file it writes");
  }
  const FigureFormat format = figure_flags.format();
  find_gnuplot();
  return format;
}

void render_result_figures(const std::string& result_dir, const std::vector<std::string>& scenario_order,
                           const std::string& reference_stem, const FigureFormat& format, bool quiet,
                           const ScenarioNames& scenario_names) {
  const GnuplotProgram gnuplot = find_gnuplot();  // fail before any work when it is missing
  PlotOptions options;
  options.scenario_order = scenario_order;
  options.only_listed_scenarios = !scenario_order.empty();
  options.reference_stem = reference_stem;
  options.format = format;
  options.scenario_names = scenario_names;
  const PlotReport report = plot_result_directory(result_dir, options, gnuplot);
  report_figures(report, report.figures_dir, quiet);
}

ScenarioNames scenario_names_of(const std::vector<Scenario>& scenarios) {
  ScenarioNames names;
  for (const Scenario& scenario : scenarios) {
    if (!scenario.name.empty()) names[scenario.file.stem().string()] = scenario.name;
  }
  return names;
}

void draw_figures_of_written_results(const std::function<void()>& draw) {
  try {
    draw();
  } catch (const Cancelled&) {
    throw;  // the user stopped the command: that is not a figure problem
  } catch (const std::exception& error) {
    // The results were checked and written by this command, so "cannot draw them" (results
    // that support no figure, gnuplot failing, out of memory) is not the command failing: it
    // succeeded and the exit code must say so (docs/figures.md, "Notes").
    std::cerr << "lactsim: no figure drawn: " << error.what() << "\n";
  }
}

void report_figures(const PlotReport& report, const std::filesystem::path& figures_dir, bool quiet) {
  for (const std::string& note : report.notes) std::cerr << "lactsim: note: " << note << "\n";
  if (report.figure_names.empty()) {
    if (!quiet) std::cout << "no figures drawn (the notes above say why)\n";
    return;
  }
  if (!quiet) {
    std::cout << "figures written to " << figures_dir.string() << "/:";
    for (const std::string& name : report.figure_names) std::cout << " " << name;
    std::cout << " (images, .gp script and data .csv each)\n";
  }
}

}  // namespace lactsim::cli
