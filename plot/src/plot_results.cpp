#include "lactsim/plot/plot_results.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include "lactsim/engine/errors.hpp"
#include "plot_adapters.hpp"
#include "plot_run_figures.hpp"
#include "lactsim/plot/plot_templates.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;

bool is_run_output_dir(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "summary.json", ec) && fs::is_regular_file(dir / "daily.csv", ec) &&
         fs::is_regular_file(dir / "timeseries.csv", ec);
}

/// Figures 4-6 from every CSV file directly in `dir` whose content marks it as a figure
/// input (plot_adapters.hpp); `prefix` goes before each figure name. Files are told apart by
/// content only: an observed overlay (label, day, value, low, high) goes onto the population
/// band figures of the same folder, whatever its name.
void collect_analysis_figures(const fs::path& dir, const std::string& prefix, const ScenarioNames& names,
                              std::vector<Figure>& figures, std::vector<std::string>& notes) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".csv") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  // First pass: the kind of every file, keeping only the overlay (large tables such as a
  // run's timeseries.csv are not held while the others are read).
  std::optional<CsvTable> observed;
  std::vector<fs::path> inputs;
  for (const fs::path& file : files) {
    CsvTable table = read_csv_table(file);
    const FigureInputKind kind = detect_figure_input(table);
    if (kind == FigureInputKind::population_observed) {
      if (!observed) {
        observed = std::move(table);
      } else {
        notes.push_back(file.string() + ": a second observed overlay; the population band figures show " +
                        observed->file().string());
      }
    } else if (kind != FigureInputKind::unknown && kind != FigureInputKind::run_table) {
      inputs.push_back(file);
    }
  }
  const std::string where = prefix.empty() ? "" : " (" + prefix.substr(0, prefix.size() - 1) + ")";
  for (const fs::path& file : inputs) {
    for (Figure& figure : figures_from_table(read_csv_table(file), prefix, where, observed ? &*observed : nullptr, notes, names)) {
      figures.push_back(std::move(figure));
    }
  }
}

/// Makes figure names unique by appending _2, _3, … to repeats (two CSVs of one kind).
void make_names_unique(std::vector<Figure>& figures) {
  std::set<std::string> seen;
  for (Figure& figure : figures) {
    if (seen.insert(figure.name).second) continue;
    const std::string base = figure.name;
    for (int k = 2;; ++k) {
      const std::string candidate = base + "_" + std::to_string(k);
      if (seen.insert(candidate).second) {
        // Data files and the script's default outputs carry the name too.
        for (auto& [file_name, content] : figure.data_files) {
          if (file_name.rfind(base, 0) == 0) file_name = candidate + file_name.substr(base.size());
        }
        std::string script;
        std::size_t position = 0;
        const std::string quoted_base = "'" + base;
        while (true) {
          const std::size_t hit = figure.script.find(quoted_base, position);
          if (hit == std::string::npos) break;
          script += figure.script.substr(position, hit - position) + "'" + candidate;
          position = hit + quoted_base.size();
        }
        figure.script = script + figure.script.substr(position);
        figure.name = candidate;
        break;
      }
    }
  }
}

/// Every figure of one figure-input CSV. A file of a known kind that supports no figure
/// (e.g. a compare CSV without population columns) gives none and its notes, not an error.
std::vector<Figure> csv_figures(const CsvTable& table, const ScenarioNames& names, std::vector<std::string>& notes) {
  const std::size_t notes_before = notes.size();
  std::vector<Figure> figures = figures_from_table(table, "", "", nullptr, notes, names);
  if (figures.empty() && (notes.size() == notes_before || detect_figure_input(table) == FigureInputKind::unknown)) {
    throw InputError({table.file().string(), 1, 1}, "header",
                     "not a figure input: no known header (docs/figures.md lists the file formats)" +
                         (notes.empty() ? std::string() : "; " + notes.back()));
  }
  make_names_unique(figures);
  return figures;
}

}  // namespace

std::vector<Figure> collect_figures(const fs::path& result_dir, const PlotOptions& options,
                                    std::vector<std::string>& notes) {
  std::error_code ec;
  if (!fs::exists(result_dir, ec)) {
    throw InputError({result_dir.string(), 0, 0}, "RESULT_DIR", "no such file or directory");
  }
  if (fs::is_regular_file(result_dir, ec) && result_dir.extension() != ".csv") {
    throw InputError({result_dir.string(), 0, 0}, "RESULT_DIR",
                     "not a directory or a .csv file (give the --out directory of a lactsim command, or a CSV it wrote)");
  }
  if (fs::is_regular_file(result_dir, ec)) {  // one CSV file: its figures only
    return csv_figures(read_csv_table(result_dir), options.scenario_names, notes);
  }
  if (!fs::is_directory(result_dir, ec)) {
    throw InputError({result_dir.string(), 0, 0}, "RESULT_DIR", "not a directory (expected the --out directory of a lactsim command)");
  }
  std::vector<fs::path> subdirectories;
  for (const auto& entry : fs::directory_iterator(result_dir, ec)) {
    if (entry.is_directory() && entry.path().filename() != kFiguresFolderName &&
        entry.path().filename().string().front() != '.') {
      subdirectories.push_back(entry.path());
    }
  }
  std::sort(subdirectories.begin(), subdirectories.end());

  // Run outputs, in the requested order, then alphabetically.
  std::vector<fs::path> run_dirs;
  if (is_run_output_dir(result_dir)) run_dirs.push_back(result_dir);  // DIR/<stem> itself: that scenario only
  for (const std::string& stem : options.scenario_order) {
    if (is_run_output_dir(result_dir / stem)) run_dirs.push_back(result_dir / stem);
  }
  for (const fs::path& dir : subdirectories) {
    if (!options.only_listed_scenarios && is_run_output_dir(dir) &&
        std::find(run_dirs.begin(), run_dirs.end(), dir) == run_dirs.end()) {
      run_dirs.push_back(dir);
    }
  }
  std::vector<PlotScenario> scenarios;
  for (const fs::path& dir : run_dirs) scenarios.push_back(read_scenario_outputs(dir, notes));
  std::vector<Figure> figures = run_figures(scenarios, options.reference_stem, notes);
  if (!options.only_listed_scenarios) {
    collect_analysis_figures(result_dir, "", options.scenario_names, figures, notes);
    for (const fs::path& dir : subdirectories) {
      if (!is_run_output_dir(dir)) {
        collect_analysis_figures(dir, safe_file_stem(dir.filename().string()) + "_", options.scenario_names, figures, notes);
      }
    }
  }
  make_names_unique(figures);
  if (figures.empty()) {
    throw InputError({result_dir.string(), 0, 0}, "RESULT_DIR",
                     "nothing to plot: no run outputs (<stem>/summary.json, daily.csv, timeseries.csv) and no "
                     "figure input files (CSV files recognised by their columns: population bands, sensitivity "
                     "indices, sweep grid, fit observed/predicted, profile likelihood, or the outputs of compare, "
                     "sensitivity, sweep and fit); see docs/figures.md. Run outputs are drawn from their wide "
                     "tables: a `run --format long` folder has none (use --format wide,long)");
  }
  return figures;
}

std::vector<Figure> collect_run_figures(const std::vector<ScenarioRun>& runs, const PlotOptions& options,
                                        std::vector<std::string>& notes) {
  std::vector<fs::path> files;
  for (const ScenarioRun& run : runs) files.push_back(run.scenario.file);
  const std::vector<std::string> stems = result_folder_names(files);  // the folders stage_run_outputs() writes
  std::vector<PlotScenario> scenarios;
  for (std::size_t i = 0; i < runs.size(); ++i) scenarios.push_back(plot_scenario_of_run(runs[i], stems[i]));
  std::vector<Figure> figures = run_figures(scenarios, options.reference_stem, notes);
  make_names_unique(figures);
  return figures;
}

PlotReport plot_scenario_runs(const std::vector<ScenarioRun>& runs, const fs::path& figures_dir,
                              const PlotOptions& options, const GnuplotProgram& gnuplot) {
  PlotReport report;
  const std::vector<Figure> figures = collect_run_figures(runs, options, report.notes);
  report.written = render_figures(figures, figures_dir, gnuplot, options.format);
  report.figures_dir = figures_dir;
  for (const Figure& figure : figures) report.figure_names.push_back(figure.name);
  return report;
}

std::vector<Figure> collect_csv_figures(std::string_view csv_text, const fs::path& file,
                                        std::vector<std::string>& notes, const ScenarioNames& scenario_names) {
  return csv_figures(CsvTable(csv_text, file), scenario_names, notes);
}

PlotReport plot_csv_text(std::string_view csv_text, const fs::path& file, const GnuplotProgram& gnuplot,
                         const FigureFormat& format, const ScenarioNames& scenario_names) {
  PlotReport report;
  const std::vector<Figure> figures = collect_csv_figures(csv_text, file, report.notes, scenario_names);
  report.figures_dir = (file.has_parent_path() ? file.parent_path() : fs::path(".")) / kFiguresFolderName;
  if (figures.empty()) return report;  // nothing to draw (the notes say why): figures/ stays as it was
  report.written = render_figures(figures, report.figures_dir, gnuplot, format);
  for (const Figure& figure : figures) report.figure_names.push_back(figure.name);
  return report;
}

PlotReport plot_result_directory(const fs::path& result_dir, const PlotOptions& options,
                                 const GnuplotProgram& gnuplot) {
  PlotReport report;
  const std::vector<Figure> figures = collect_figures(result_dir, options, report.notes);
  std::error_code ec;
  const fs::path figures_dir = fs::is_regular_file(result_dir, ec)
                                   ? (result_dir.has_parent_path() ? result_dir.parent_path() : fs::path(".")) / kFiguresFolderName
                                   : result_dir / kFiguresFolderName;
  report.figures_dir = figures_dir;
  if (figures.empty()) return report;  // nothing to draw (the notes say why): figures/ stays as it was
  report.written = render_figures(figures, figures_dir, gnuplot, options.format);
  for (const Figure& figure : figures) report.figure_names.push_back(figure.name);
  return report;
}

}  // namespace lactsim
