#pragma once
/// @file plot_run_figures.hpp
/// Figures 1-3 (docs/figures.md), drawn from the files `lactsim run` writes per scenario:
/// DIR/<stem>/{daily.csv,timeseries.csv,summary.json}, plus the observed series of the
/// scenario file that summary.json names; or from the runs themselves, in memory.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "lactsim/plot/plot_render.hpp"
#include "lactsim/io/run_scenarios.hpp"
#include "lactsim/io/scenario.hpp"

namespace lactsim {

/// One row of a run's timeseries, reduced to what the trace figure draws.
struct TracePoint {
  double time_h;
  double pain_nrs;
  double effective_pain_nrs;
  double oxytocin_uU_ml;
  double prolactin_ng_ml;
  double activation;
  double milk_stored_ml;
  bool feeding;
  bool pumping;
  bool massage;
};

/// The outputs of one scenario run, as the figures need them.
struct PlotScenario {
  std::string stem;   ///< directory name: the scenario file's stem
  std::string name;   ///< scenario name, for titles and legends
  std::optional<double> onset_h;             ///< model onset of lactogenesis II, h
  std::vector<int> days;                     ///< daily.csv: day numbers
  std::vector<double> milk_ml_per_day;       ///< daily.csv: milk to the infant, mL/day
  std::vector<TracePoint> trace;             ///< timeseries.csv rows
  std::vector<ObservedSeries> observed;      ///< from the scenario file, when it could be read
  /// timeseries.csv infant_weight_change_percent, one per trace row (%); empty for a run
  /// whose files predate the infant weight (docs/model.md §Infant weight)
  std::vector<double> weight_change_percent;
  std::optional<double> birth_weight_g;      ///< the scenario's infant birth weight, g
};

/// Reads the outputs in `scenario_dir` (one DIR/<stem> of `lactsim run`). Observed data
/// come from the scenario file recorded in summary.json; when that file is missing, changed
/// since the run or unreadable, from the run's observed.csv beside it (values in the model's
/// units, series named by their source), else the figures go without them. Either way a line
/// saying why is appended to `notes`.
/// @throws InputError naming file, line and column for a missing or malformed output file
PlotScenario read_scenario_outputs(const std::filesystem::path& scenario_dir, std::vector<std::string>& notes);

/// The outputs of a run just made (run_scenarios()), from memory, as read_scenario_outputs()
/// reads them back from the files stage_run_outputs() writes for it under `stem`: numbers as
/// those files hold them (10 significant digits), so `run --plot` draws exactly what `lactsim
/// plot DIR` draws later; observed series from the run's scenario (no file is reloaded).
PlotScenario plot_scenario_of_run(const ScenarioRun& run, const std::string& stem);

/// Figures 1-3 and 5 of `scenarios`: "daily_milk", one "traces_<stem>" each, "infant_weight"
/// when the runs hold infant weights and, for two or more, "comparison" against the one
/// choose_reference() picks. A `reference_stem` with fewer
/// than two scenarios adds a line to `notes`.
/// @throws InputError as choose_reference()
std::vector<Figure> run_figures(const std::vector<PlotScenario>& scenarios, const std::string& reference_stem,
                                std::vector<std::string>& notes);

/// Figure 1 "daily_milk": milk per day for each scenario, with every scenario's observed
/// daily series (mean ± SD or range) named by its source.
/// @throws std::invalid_argument when `scenarios` is empty
Figure daily_milk_figure(const std::vector<PlotScenario>& scenarios);

/// Figure 2 "traces_<safe_file_stem(stem)>": pain, oxytocin, prolactin, activation and stored milk over
/// the days, sessions marked, and a zoomed panel of one feed: the first feed on day 3
/// (after a massage session that day when there is one), else the last feed.
/// @throws std::invalid_argument when the scenario has fewer than two timeseries rows
Figure traces_figure(const PlotScenario& scenario);

/// Figure 5 "infant_weight": infant weight change since birth (%) over time for each scenario
/// with weight data, the vaginal nomogram median of Flaherman et al. 2015 at 24, 48 and 72 h
/// for reference, and every scenario's observed infant_weight (converted to % of its birth
/// weight) and infant_weight_change series with their SD or range.
/// @throws std::invalid_argument when no scenario has weight data
Figure infant_weight_figure(const std::vector<PlotScenario>& scenarios);

/// Figure 3 "comparison": milk per day of every scenario and each one's difference per
/// day from `scenarios[reference]`.
/// @throws std::invalid_argument with fewer than two scenarios or a bad reference index
Figure comparison_figure(const std::vector<PlotScenario>& scenarios, std::size_t reference);

/// The index of the reference scenario for figure 3: the one whose stem is
/// `reference_stem` when given, else the only stem containing "control", else 0.
/// @throws InputError (argument "reference_stem") when `reference_stem` names no scenario
std::size_t choose_reference(const std::vector<PlotScenario>& scenarios, const std::string& reference_stem);

}  // namespace lactsim
