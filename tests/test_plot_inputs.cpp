// `lactsim plot` recognises its inputs by their content, never by their file name (issue #15):
// a sweep output the user saved as sweep_grid.csv was read as a heat-map contract file and
// refused ("status: 'ok' is not a finite number", exit 2), while a heat-map file under any other
// name was not recognised at all. Needs gnuplot (Debian package gnuplot-nox).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "plot_adapters.hpp"
#include "plot_csv.hpp"
#include "lactsim/plot/plot_render.hpp"
#include "lactsim/io/run_scenarios.hpp"
#include "lactsim/engine/text_format.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;
using test::quoted;

/// A 4 x 3 heat-map contract table (free-form header: x, y, one output).
std::string heat_map_contract() {
  std::string grid = "massage_relief_nrs,pain_ot_inhibition,milk_day3_ml\n";
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 3; ++j) grid += std::to_string(i) + "," + std::to_string(0.1 * j) + "," + std::to_string(200 + 10 * i - 50 * j) + "\n";
  }
  return grid;
}

class PlotInputs : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_THROW(find_gnuplot()) << "these tests need gnuplot: apt-get install gnuplot-nox";
    dir_ = test::fresh_temp_dir("plot-inputs");
    test::write_text(dir_ / "s.toml", test::short_vaginal_scenario_toml("s"));
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(PlotInputs, ASweepOutputSavedAsSweepGridCsvIsReadAsTheSweepOutputItIs) {
  const fs::path grid = dir_ / "grid" / "sweep_grid.csv";
  auto r = test::run_cli("sweep " + quoted(dir_ / "s.toml") +
                         " --vary pain_peak_nrs=4:8 --vary ot_feed_rise_uU_ml=2:10 --design grid -n 4 -j 1 -q -o " +
                         quoted(grid));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = test::run_cli("plot " + quoted(grid));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(grid.parent_path() / "figures" / "sweep_milk_day3_ml.png")) << r.err;
  r = test::run_cli("plot " + quoted(grid.parent_path()));  // the same file found in its folder
  EXPECT_EQ(r.exit_code, 0) << r.err;

  // Not a full grid: the documented note, and success.
  const fs::path lhs = dir_ / "lhs" / "sweep_grid.csv";
  r = test::run_cli("sweep " + quoted(dir_ / "s.toml") +
                    " --vary pain_peak_nrs=4:8 --vary ot_feed_rise_uU_ml=2:10 -n 4 -j 1 -q -o " + quoted(lhs));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = test::run_cli("plot " + quoted(lhs));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("not a full grid"), std::string::npos) << r.err;
}

TEST_F(PlotInputs, AHeatMapContractFilePlotsUnderAnyName) {
  for (const std::string name : {"my grid.csv", "results.csv", "sweep_grid_v2.csv"}) {
    const fs::path folder = dir_ / ("f" + std::to_string(name.size()));
    test::write_text(folder / name, heat_map_contract());
    auto r = test::run_cli("plot " + quoted(folder / name));
    EXPECT_EQ(r.exit_code, 0) << name << "\n" << r.err;
    EXPECT_TRUE(fs::is_regular_file(folder / "figures" / "sweep.png")) << name << "\n" << r.err;
    fs::remove_all(folder / "figures");
    r = test::run_cli("plot " + quoted(folder));
    EXPECT_EQ(r.exit_code, 0) << name << "\n" << r.err;
    EXPECT_TRUE(fs::is_regular_file(folder / "figures" / "sweep.png")) << name << "\n" << r.err;
  }
}

TEST_F(PlotInputs, ThePopulationObservedOverlayIsFoundUnderAnyName) {
  test::write_text(dir_ / "bands" / "predicted.csv",
                   "day,milk_ml_p05,milk_ml_p50,milk_ml_p95\n1,20,50,90\n2,50,100,180\n3,100,230,420\n");
  test::write_text(dir_ / "bands" / "saint_1984.csv",
                   "label,day,value,low,high\n\"Saint 1984 (n=9), mean and range\",1,37.1,7,122.5\n");
  const auto r = test::run_cli("plot " + quoted(dir_ / "bands") + " --figure-format png,svg");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string svg = test::read_file(dir_ / "bands" / "figures" / "population_bands.svg");
  EXPECT_NE(svg.find("observed: Saint 1984 (n=9), mean and range"), std::string::npos);
}

// The run tables are all numbers too: they must not be taken for heat-map inputs when a run's
// own folder is plotted (with either layout of the tables).
TEST_F(PlotInputs, ARunsOwnFolderGivesOnlyTheRunFigures) {
  auto r = test::run_cli("run " + quoted(dir_ / "s.toml") + " --format wide,long -q --out " + quoted(dir_ / "run"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = test::run_cli("plot " + quoted(dir_ / "run" / "s"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> figures;
  for (const auto& entry : fs::directory_iterator(dir_ / "run" / "s" / "figures")) {
    if (entry.path().extension() == ".png") figures.push_back(entry.path().stem().string());
  }
  std::sort(figures.begin(), figures.end());
  EXPECT_EQ(figures, (std::vector<std::string>{"daily_milk", "infant_weight", "traces_s"}));
  EXPECT_EQ(r.err, "");
}

// `lactsim plot DIR` where the scenario file cannot be reloaded (plotted from another folder,
// moved, on another machine) drew the daily milk figure without the observed data and replaced
// the good one, although the run's observed.csv sits beside summary.json. The observed points
// drawn from it must be those drawn from the scenario file (the values in mL/day).
TEST_F(PlotInputs, ObservedDataComeFromTheRunsObservedCsvWhenTheScenarioFileIsGone) {
  test::write_text(dir_ / "ref.toml", test::read_file(test::scenario_path("reference_vaginal.toml")));
  auto r = test::run_cli("run " + quoted(dir_ / "ref.toml") + " --plot --figure-format png,svg -q --out " +
                         quoted(dir_ / "out"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path drawn = dir_ / "out" / "figures" / "daily_milk_observed_1.csv";
  const CsvTable from_scenario = read_csv_table(drawn);
  ASSERT_GT(from_scenario.rows(), 0u);

  // Neither the scenario file nor the run's copy of it (outputs of a lactsim without the copy).
  fs::remove(dir_ / "ref.toml");
  fs::remove(dir_ / "out" / "ref" / kScenarioCopyFileName);
  fs::remove_all(dir_ / "out" / "figures");  // what is drawn now, not what the first run left
  r = test::run_cli("plot " + quoted(dir_ / "out") + " --figure-format png,svg");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("not found"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("observed.csv"), std::string::npos) << r.err;
  ASSERT_TRUE(fs::is_regular_file(drawn)) << "observed data not drawn\n" << r.err;
  const CsvTable from_run = read_csv_table(drawn);
  ASSERT_EQ(from_run.rows(), from_scenario.rows());
  for (std::size_t row = 0; row < from_run.rows(); ++row) {
    for (std::size_t column = 0; column < from_run.header().size(); ++column) {
      const double expected = from_scenario.number(row, column);
      EXPECT_NEAR(from_run.number(row, column), expected, 1e-8 * std::abs(expected)) << "row " << row << ", column " << column;
    }
  }
  EXPECT_NE(test::read_file(dir_ / "out" / "figures" / "daily_milk.svg").find("observed: Saint"), std::string::npos);
}

// Detection from the header and cells alone: the same text under two names is the same kind.
TEST(PlotInputKinds, DoNotDependOnTheFileName) {
  const std::string sweep = "sample,status,a,onset_h,milk_day1_ml,error\n0,ok,1,50,30,\n";
  for (const char* name : {"sweep_grid.csv", "x.csv"}) {
    EXPECT_EQ(detect_figure_input(CsvTable(sweep, name)), FigureInputKind::sweep_output) << name;
    EXPECT_EQ(detect_figure_input(CsvTable(heat_map_contract(), name)), FigureInputKind::sweep_grid) << name;
    EXPECT_EQ(detect_figure_input(CsvTable("label,day,value,low,high\nx,1,2,,\n", name)),
              FigureInputKind::population_observed)
        << name;
    // The run tables, wide (all numbers, as docs/outputs.md lists the columns) and long.
    EXPECT_EQ(detect_figure_input(CsvTable("day,hours,milk_ml,milk_expressed_ml,milk_synthesised_ml,feeds,pumps,massages,"
                                           "infant_weight_g,infant_weight_change_percent\n"
                                           "1,24,30,0,40,8,0,0,3180,-3.6\n",
                                           name)),
              FigureInputKind::run_table)
        << name;
    EXPECT_EQ(detect_figure_input(CsvTable("scenario,day,variable,unit,value\ns,1,milk_ml,mL,30\n", name)),
              FigureInputKind::run_table)
        << name;
    // Text in a cell, fewer than three columns, or no rows: not a heat-map table.
    EXPECT_EQ(detect_figure_input(CsvTable("a,b,c\n1,2,x\n", name)), FigureInputKind::unknown) << name;
    EXPECT_EQ(detect_figure_input(CsvTable("a,b\n1,2\n", name)), FigureInputKind::unknown) << name;
    EXPECT_EQ(detect_figure_input(CsvTable("a,b,c\n", name)), FigureInputKind::unknown) << name;
  }
}

}  // namespace
}  // namespace lactsim

namespace lactsim {
namespace {

namespace fs = std::filesystem;
using test::quoted;

/// The data file `file` of `figure`, parsed.
CsvTable drawn_data(const Figure& figure, const std::string& file) {
  for (const auto& [name, content] : figure.data_files) {
    if (name == file) return CsvTable(content, name);
  }
  ADD_FAILURE() << figure.name << " has no data file " << file;
  return CsvTable("none\n", file);
}

/// Whether some note contains `text`.
bool has_note(const std::vector<std::string>& notes, const std::string& text) {
  return std::any_of(notes.begin(), notes.end(), [&](const std::string& n) { return n.find(text) != std::string::npos; });
}

// A sweep sample whose onset is not reached within the horizon (status ok, onset_h empty) was
// dropped from every panel of the scan, milk panels included, with the note "failed".
TEST(SweepFigures, ACensoredOnsetIsMissingFromTheOnsetPanelOnly) {
  // Written by hand: 5 successful samples (onset not reached in 3 of them) and 1 failed.
  const CsvTable sweep("sample,status,activation_rate_per_h,onset_h,milk_day3_ml,milk_day5_ml,error\n"
                       "0,ok,0.02,,110,300,\n"
                       "1,ok,0.03,,150,380,\n"
                       "2,failed,0.035,,,,step size underflow\n"
                       "3,ok,0.04,,190,420,\n"
                       "4,ok,0.05,60.5,260,500,\n"
                       "5,ok,0.06,52.25,300,540,\n",
                       "scan.csv");
  std::vector<std::string> notes;
  const std::vector<Figure> figures = figures_from_table(sweep, "", "", nullptr, notes);
  ASSERT_EQ(figures.size(), 1u);
  const CsvTable drawn = drawn_data(figures[0], "sweep_scan.csv");
  EXPECT_EQ(drawn.header(), (std::vector<std::string>{"activation_rate_per_h", "onset_h", "milk_day3_ml", "milk_day5_ml"}));
  const std::vector<double> x = {0.02, 0.03, 0.04, 0.05, 0.06}, milk3 = {110, 150, 190, 260, 300}, milk5 = {300, 380, 420, 500, 540};
  const std::vector<std::optional<double>> onset = {std::nullopt, std::nullopt, std::nullopt, 60.5, 52.25};
  ASSERT_EQ(drawn.rows(), x.size()) << "every successful sample is in the milk panels";
  for (std::size_t row = 0; row < x.size(); ++row) {
    EXPECT_DOUBLE_EQ(drawn.number(row, 0), x[row]);
    EXPECT_EQ(drawn.optional_number(row, 1), onset[row]) << "row " << row;
    EXPECT_DOUBLE_EQ(drawn.number(row, 2), milk3[row]);
    EXPECT_DOUBLE_EQ(drawn.number(row, 3), milk5[row]);
  }
  EXPECT_TRUE(has_note(notes, "1 failed sample(s)")) << testing::PrintToString(notes);
  EXPECT_TRUE(has_note(notes, "3 sample(s) without onset within the horizon")) << testing::PrintToString(notes);
}

// A 3 x 3 grid where some onsets are censored is a full grid: the milk heat map has all nine
// cells, the onset heat map the six onsets reached (the others blank).
TEST(SweepFigures, AFullGridWithCensoredOnsetsGetsItsHeatMaps) {
  std::string text = "sample,status,pain_peak_nrs,ot_feed_rise_uU_ml,onset_h,milk_day3_ml,error\n";
  std::map<std::pair<double, double>, double> milk;
  int sample = 0;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j, ++sample) {
      const double x = 4 + 2 * i, y = 2 + 4 * j, m = 100 + 10 * i + j;
      milk[{x, y}] = m;
      const std::string onset = i == 0 ? "" : std::to_string(50 + i + j);  // not reached for x = 4
      text += std::to_string(sample) + ",ok," + format_number(x) + "," + format_number(y) + "," + onset + "," +
              format_number(m) + ",\n";
    }
  }
  std::vector<std::string> notes;
  const std::vector<Figure> figures = figures_from_table(CsvTable(text, "grid.csv"), "", "", nullptr, notes);
  ASSERT_EQ(figures.size(), 2u) << testing::PrintToString(notes);
  EXPECT_FALSE(has_note(notes, "not a full grid")) << testing::PrintToString(notes);
  EXPECT_TRUE(has_note(notes, "3 sample(s) without onset within the horizon")) << testing::PrintToString(notes);
  const CsvTable milk_cells = drawn_data(figures[1], "sweep_milk_day3_ml.csv");
  ASSERT_EQ(milk_cells.rows(), 9u);
  for (std::size_t row = 0; row < milk_cells.rows(); ++row) {
    const std::pair<double, double> point{milk_cells.number(row, 2), milk_cells.number(row, 3)};
    ASSERT_EQ(milk.count(point), 1u);
    EXPECT_DOUBLE_EQ(milk_cells.number(row, 4), milk.at(point));
  }
  const CsvTable onset_cells = drawn_data(figures[0], "sweep_onset_h.csv");
  ASSERT_EQ(onset_cells.rows(), 6u);
  for (std::size_t row = 0; row < onset_cells.rows(); ++row) EXPECT_NE(onset_cells.number(row, 2), 4.0);
}

// `lactsim plot` on a sweep whose horizon is too short for any onset exited 2 ("no data rows");
// the milk panels draw, the onset panel is left out with a note.
TEST(SweepFigures, ASweepWithoutAnyOnsetStillPlotsItsMilk) {
  ASSERT_NO_THROW(find_gnuplot());
  const fs::path dir = test::fresh_temp_dir("sweep-no-onset");
  test::write_text(dir / "short.csv",
                   "sample,status,activation_rate_per_h,onset_h,milk_day1_ml,milk_day3_ml,error\n"
                   "0,ok,0.02,,20,110,\n1,ok,0.04,,25,190,\n2,ok,0.06,,31,300,\n");
  const auto r = test::run_cli("plot " + quoted(dir / "short.csv"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "figures" / "sweep_scan.png")) << r.err;
  EXPECT_NE(r.err.find("onset_h"), std::string::npos) << r.err;
  const CsvTable drawn = read_csv_table(dir / "figures" / "sweep_scan.csv");
  EXPECT_EQ(drawn.header(), (std::vector<std::string>{"activation_rate_per_h", "milk_day3_ml"}));
  EXPECT_EQ(drawn.rows(), 3u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace lactsim
