// Figures rendered end to end through the CLI: `lactsim run --plot` on shipped scenarios
// (figures 1-3) and `lactsim plot` on small synthetic CSVs written here (figures 4-6).
// Needs gnuplot (Debian package gnuplot-nox, installed by scripts/install-deps.sh).

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

#include "plot_csv.hpp"
#include "lactsim/io/run_scenarios.hpp"
#include "lactsim/plot/plot_render.hpp"
#include "lactsim/plot/plot_results.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;
using test::quoted;

/// Sets an environment variable for the lifetime of the guard (the CLI inherits it).
class EnvironmentGuard {
 public:
  EnvironmentGuard(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~EnvironmentGuard() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

/// A PNG file: the 8-byte signature and more than a header's worth of data.
void expect_png(const fs::path& path) {
  const std::string bytes = test::read_file(path);
  ASSERT_GT(bytes.size(), 1000u) << path;
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << path;
}

/// An SVG document holding every one of `titles` (as legend or label text).
void expect_svg_with(const fs::path& path, const std::vector<std::string>& titles) {
  const std::string svg = test::read_file(path);
  ASSERT_NE(svg.find("<svg"), std::string::npos) << path;
  EXPECT_NE(svg.find("</svg>"), std::string::npos) << path << " is truncated";
  for (const std::string& title : titles) EXPECT_NE(svg.find(title), std::string::npos) << path << ": no '" << title << "'";
}

/// Daily milk (mL/day) of one run output, read straight from its daily.csv.
std::map<int, double> daily_milk(const fs::path& scenario_dir) {
  const CsvTable table = read_csv_table(scenario_dir / "daily.csv");
  std::map<int, double> out;
  for (std::size_t row = 0; row < table.rows(); ++row) {
    out[static_cast<int>(table.number(row, table.require_column("day")))] = table.number(row, table.require_column("milk_ml"));
  }
  return out;
}

class RunFigures : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_NO_THROW(find_gnuplot()) << "these tests need gnuplot: apt-get install gnuplot-nox";
    dir_ = new fs::path(test::fresh_temp_dir("plot-run"));
    const auto result = test::run_cli("run " + quoted(test::scenario_path("seed_case_massage.toml")) + " " +
                                      quoted(test::scenario_path("seed_case_control.toml")) + " " +
                                      quoted(test::scenario_path("reference_vaginal.toml")) + " --plot --figure-format png,svg -q --out " +
                                      quoted(*dir_));
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static fs::path figures() { return *dir_ / "figures"; }
  static fs::path* dir_;
};
fs::path* RunFigures::dir_ = nullptr;

TEST_F(RunFigures, EveryFigureRendersToPngAndSvgNextToItsScriptAndData) {
  for (const char* name : {"daily_milk", "traces_seed_case_massage", "traces_seed_case_control",
                           "traces_reference_vaginal", "comparison"}) {
    expect_png(figures() / (std::string(name) + ".png"));
    expect_svg_with(figures() / (std::string(name) + ".svg"), {});
    EXPECT_TRUE(fs::is_regular_file(figures() / (std::string(name) + ".gp"))) << name;
  }
  // No staging directory is left behind.
  for (const auto& entry : fs::directory_iterator(*dir_)) {
    EXPECT_EQ(entry.path().filename().string().find(".figures.tmp"), std::string::npos) << entry.path();
  }
}

TEST_F(RunFigures, DailyMilkShowsEachScenarioAndTheObservedSourceWithItsRange) {
  expect_svg_with(figures() / "daily_milk.svg",
                  {"model: Seed case: caesarean + oxytocin massage", "model: Seed case: caesarean, no massage",
                   "model: Reference: vaginal birth", "observed: Saint 1984 (n=9), mean and range (g/day as mL/day; bars: range)"});
  // The observed data drawn are Saint, Smith & Hartmann 1984's mean (range) in g/day,
  // shown in mL/day at a milk density of 1.03 g/mL.
  const CsvTable observed = read_csv_table(figures() / "daily_milk_observed_1.csv");
  ASSERT_EQ(observed.rows(), 3u);
  const double grams[3][4] = {{1, 37.1, 7.0, 122.5}, {3, 408.0, 98.3, 775.0}, {5, 705.4, 452.5, 876.0}};
  for (std::size_t row = 0; row < 3; ++row) {
    EXPECT_DOUBLE_EQ(observed.number(row, 0), grams[row][0]);
    for (std::size_t column = 1; column < 4; ++column) {
      EXPECT_NEAR(observed.number(row, column), grams[row][column] / 1.03, 1e-6) << row << "," << column;
    }
  }
}

TEST_F(RunFigures, ComparisonDifferenceIsMassageMinusControlFromTheRunFiles) {
  expect_svg_with(figures() / "comparison.svg",
                  {"Seed case: caesarean, no massage (reference)", "Seed case: caesarean + oxytocin massage"});
  // Reference: the scenario named *control*; the difference is checked against daily.csv.
  const auto massage = daily_milk(*dir_ / "seed_case_massage");
  const auto control = daily_milk(*dir_ / "seed_case_control");
  const CsvTable difference = read_csv_table(figures() / "comparison_difference.csv");
  const auto column = difference.require_column("seed_case_massage_minus_seed_case_control_ml_per_day");
  ASSERT_EQ(difference.rows(), 7u);
  for (std::size_t row = 0; row < difference.rows(); ++row) {
    const int day = static_cast<int>(difference.number(row, 0));
    EXPECT_NEAR(difference.number(row, column), massage.at(day) - control.at(day), 1e-6 * (1 + control.at(day)));
  }
}

TEST_F(RunFigures, TracesMarkTheScheduledSessionsAndZoomOnTheFeedAfterDay3Massage) {
  expect_svg_with(figures() / "traces_seed_case_massage.svg",
                  {"Seed case: caesarean + oxytocin massage", "pain + delivery stress, after massage relief", "oxytocin (left axis)",
                   "prolactin (right axis)", "model onset (activation 0.5)"});
  expect_svg_with(figures() / "traces_reference_vaginal.svg", {"observed Nommsen-Rivers 2010 (n=431), median: onset 68.9 h"});
  // Scenario: birth 10:00, massage 08:00 and 17:00 on days 1-3 (hours after birth 7, 22,
  // 31, 46, 55, 70), feeds every 3 h from 2 h: 56 feeds in 7 days.
  const CsvTable sessions = read_csv_table(figures() / "traces_seed_case_massage_sessions.csv");
  std::vector<double> massage_start_h;
  int feeds = 0;
  for (std::size_t row = 0; row < sessions.rows(); ++row) {
    if (sessions.text(row, 0) == "massage") {
      massage_start_h.push_back(24.0 * sessions.number(row, 1));
      EXPECT_NEAR(24.0 * 60.0 * (sessions.number(row, 2) - sessions.number(row, 1)), 15.0, 1e-6);
    }
    if (sessions.text(row, 0) == "feed") ++feeds;
  }
  EXPECT_EQ(feeds, 56);
  const std::vector<double> expected = {7, 22, 31, 46, 55, 70};
  ASSERT_EQ(massage_start_h.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(massage_start_h[i], expected[i], 1e-6);
  // Zoom: the day-3 feed after the 17:00 massage is at 56 h; the window is -60..+90 min
  // and oxytocin peaks during the feed (0-15 min), above its level before the feed.
  const CsvTable zoom = read_csv_table(figures() / "traces_seed_case_massage_zoom.csv");
  double before = 0.0, during = 0.0;
  EXPECT_NEAR(zoom.number(0, 0), -60.0, 1e-6);
  EXPECT_NEAR(zoom.number(zoom.rows() - 1, 0), 90.0, 1e-6);
  for (std::size_t row = 0; row < zoom.rows(); ++row) {
    const double minute = zoom.number(row, 0), oxytocin = zoom.number(row, 1);
    if (minute > -40 && minute < -1) before = std::max(before, oxytocin);
    if (minute >= 0 && minute <= 20) during = std::max(during, oxytocin);
  }
  EXPECT_GT(during, 2.0 * before);
  EXPECT_NE(test::read_file(figures() / "traces_seed_case_massage.svg").find("the feed on day 3, 56.0 h after birth"),
            std::string::npos);
}

TEST_F(RunFigures, ScriptsReRenderByHandInTheirDirectory) {
  // Copy one figure's files elsewhere and run its script as a user would.
  const fs::path copy = test::fresh_temp_dir("plot-by-hand");
  for (const auto& entry : fs::directory_iterator(figures())) {
    if (entry.path().filename().string().rfind("comparison", 0) == 0 && entry.path().extension() != ".png" &&
        entry.path().extension() != ".svg") {
      fs::copy_file(entry.path(), copy / entry.path().filename());
    }
  }
  const std::string command = "cd " + quoted(copy) + " && " + find_gnuplot().executable +
                              " -e \"figure_formats='png svg'\" comparison.gp 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0);
  expect_png(copy / "comparison.png");
  expect_svg_with(copy / "comparison.svg", {"Seed case: caesarean + oxytocin massage minus Seed case: caesarean, no massage"});
  fs::remove_all(copy);
}

TEST_F(RunFigures, PlotAfterTheFactHonoursReferenceAndRejectsUnknownOnes) {
  const auto ok = test::run_cli("plot -q --reference reference_vaginal " + quoted(*dir_));
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const CsvTable difference = read_csv_table(figures() / "comparison_difference.csv");
  EXPECT_TRUE(difference.find_column("seed_case_control_minus_reference_vaginal_ml_per_day").has_value());
  const auto bad = test::run_cli("plot --reference nope " + quoted(*dir_));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--reference"), std::string::npos) << bad.err;
}

TEST(PlotLocale, FiguresRenderWithoutWarningsWhateverTheUsersLocale) {
  // Templates are UTF-8 (µ, °, −); under the C locale (LANG unset, as on a fresh machine or in
  // a cron job) gnuplot warned "iconv failed to convert degree sign" on every figure, which
  // broke -q's promise of silence on success.
  const fs::path dir = test::fresh_temp_dir("plot-locale");
  EnvironmentGuard lang("LANG", ""), all("LC_ALL", "");
  ::unsetenv("LANG");  // unset, not empty: gnuplot warned only then (the guards restore them)
  ::unsetenv("LC_ALL");
  const auto r = test::run_cli("run -q --plot " + quoted(test::scenario_path("seed_case_massage.toml")) + " " +
                               quoted(test::scenario_path("seed_case_control.toml")) + " --out " + quoted(dir));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "") << "a quiet successful run prints nothing";
  fs::remove_all(dir);
}

TEST(PlotErrors, MissingGnuplotExitsTwoWithAClearMessageAndWritesNothing) {
  const fs::path dir = test::fresh_temp_dir("plot-missing");
  const auto run = test::run_cli("run -q " + quoted(test::scenario_path("seed_case_control.toml")) + " --out " + quoted(dir));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EnvironmentGuard guard(kGnuplotEnvironmentVariable, "/nonexistent/bin/gnuplot");
  const auto plot = test::run_cli("plot " + quoted(dir));
  EXPECT_EQ(plot.exit_code, 2);
  EXPECT_NE(plot.err.find("cannot find the gnuplot program"), std::string::npos) << plot.err;
  EXPECT_NE(plot.err.find("LACTSIM_GNUPLOT=/nonexistent/bin/gnuplot"), std::string::npos) << plot.err;
  EXPECT_NE(plot.err.find("gnuplot-nox"), std::string::npos) << plot.err;
  EXPECT_FALSE(fs::exists(dir / "figures"));
  // run --plot checks for gnuplot before simulating: nothing is written.
  const fs::path second = dir / "second";
  const auto run_plot = test::run_cli("run --plot " + quoted(test::scenario_path("seed_case_control.toml")) + " --out " + quoted(second));
  EXPECT_EQ(run_plot.exit_code, 2);
  EXPECT_FALSE(fs::exists(second));
  fs::remove_all(dir);
}

TEST(PlotErrors, FailingGnuplotLeavesNoFiguresAndQuotesItsDiagnostics) {
  const fs::path dir = test::fresh_temp_dir("plot-failing");
  const auto run = test::run_cli("run -q " + quoted(test::scenario_path("seed_case_control.toml")) + " --out " + quoted(dir / "r"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const fs::path fake = dir / "fake-gnuplot";
  test::write_text(fake, "#!/bin/sh\necho 'simulated gnuplot crash' >&2\nexit 1\n");
  fs::permissions(fake, fs::perms::owner_all);
  EnvironmentGuard guard(kGnuplotEnvironmentVariable, fake.string());
  const auto plot = test::run_cli("plot " + quoted(dir / "r"));
  EXPECT_EQ(plot.exit_code, 1);
  EXPECT_NE(plot.err.find("simulated gnuplot crash"), std::string::npos) << plot.err;
  EXPECT_FALSE(fs::exists(dir / "r" / "figures"));
  for (const auto& entry : fs::directory_iterator(dir / "r")) {
    EXPECT_EQ(entry.path().filename().string().find(".figures.tmp"), std::string::npos) << entry.path();
  }
  fs::remove_all(dir);
}

TEST(PlotErrors, NotAResultDirectoryIsBadInput) {
  const fs::path dir = test::fresh_temp_dir("plot-empty");
  const auto empty = test::run_cli("plot " + quoted(dir));
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("nothing to plot"), std::string::npos) << empty.err;
  const auto missing = test::run_cli("plot " + quoted(dir / "absent"));
  EXPECT_EQ(missing.exit_code, 2);
  fs::remove_all(dir);
}

// ---- figures 4-6 from the CSV contracts of docs/figures.md ----

class AnalysisFigures : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_THROW(find_gnuplot()) << "these tests need gnuplot: apt-get install gnuplot-nox";
    dir_ = test::fresh_temp_dir("plot-analysis");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(AnalysisFigures, AllKindsRenderFromSyntheticContractFiles) {
  test::write_text(dir_ / "population_bands.csv",
                   "day,milk_ml_p05,milk_ml_p25,milk_ml_p50,milk_ml_p75,milk_ml_p95\n"
                   "1,20,35,50,65,90\n2,50,80,100,130,180\n3,100,170,230,300,420\n4,200,320,400,470,600\n");
  test::write_text(dir_ / "population_observed.csv",
                   "label,day,value,low,high\n\"Saint 1984 (n=9), mean and range\",1,37.1,7,122.5\n"
                   "\"Saint 1984 (n=9), mean and range\",3,408,98.3,775\n");
  test::write_text(dir_ / "sensitivity_indices.csv",
                   "output,parameter,index,estimate,ci_low,ci_high\n"
                   "milk_day3_ml,prl_gain,S1,0.42,0.35,0.5\nmilk_day3_ml,prl_gain,ST,0.5,0.41,0.6\n"
                   "milk_day3_ml,ot_gain,S1,0.1,0.05,0.16\nmilk_day3_ml,ot_gain,ST,0.18,0.1,0.25\n"
                   "onset_h,prl_gain,S1,0.3,0.2,0.4\nonset_h,prl_gain,ST,0.35,0.25,0.45\n");
  std::string sweep = "massage_relief_nrs,pain_ot_inhibition,milk_day3_ml\n";
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 3; ++j) {
      sweep += std::to_string(i) + "," + std::to_string(0.1 * j) + "," + std::to_string(200 + 10 * i - 50 * j) + "\n";
    }
  }
  test::write_text(dir_ / "sweep_grid.csv", sweep);
  test::write_text(dir_ / "fit_observed_predicted.csv",
                   "series,day,observed,observed_low,observed_high,predicted,unit\n"
                   "Saint 1984,1,37.1,7,122.5,55,g/day\nSaint 1984,3,408,98.3,775,350,g/day\nSaint 1984,5,705.4,452.5,876,690,g/day\n");
  // Quadratic profile NLL = (v - 2)^2 / (2 * 0.5^2): 2·ΔNLL = 4 (v - 2)^2, so the 95%
  // interval is 2 ± 0.98 and v = 3 gives exactly 4.
  std::string profile = "parameter,value,neg_log_likelihood,unit\n";
  for (int k = 0; k <= 8; ++k) {
    const double v = 0.5 * k;
    profile += "prl_gain," + std::to_string(v) + "," + std::to_string((v - 2) * (v - 2) / 0.5 + 10) + ",1/h\n";
    profile += "ot_gain," + std::to_string(v) + "," + std::to_string(std::abs(v - 1.5) + 3) + ",\n";
  }
  test::write_text(dir_ / "profile_likelihood.csv", profile);

  const auto result = test::run_cli("plot --figure-format png,svg " + quoted(dir_));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const fs::path f = dir_ / "figures";
  const std::map<std::string, std::vector<std::string>> expected = {
      {"population_bands", {"5-95% of the population", "25-75%", "median", "observed: Saint 1984 (n=9), mean and range"}},
      {"sensitivity_milk_day3_ml", {"S1", "ST", "prl_gain", "ot_gain", "Sensitivity of Milk transferred on day 3 (mL/day)"}},
      {"sensitivity_onset_h", {"S1", "Sensitivity of Onset of lactogenesis II (h)"}},
      {"sweep", {"massage_relief_nrs", "pain_ot_inhibition", "Milk transferred on day 3 (mL/day)"}},
      {"fit_observed_predicted", {"observed: Saint 1984", "predicted: Saint 1984", "predicted = observed", "(g/day)"}},
      {"profile_likelihood", {"profile", "95% threshold (3.84)", "prl_gain (1/h)", "ot_gain"}}};
  for (const auto& [name, titles] : expected) {
    expect_png(f / (name + ".png"));
    expect_svg_with(f / (name + ".svg"), titles);
  }
  // Analytic check of the profile transform: 2·(NLL − NLL_min) at v = 3 is 4.
  const CsvTable drawn = read_csv_table(f / "profile_likelihood_1.csv");
  bool found = false;
  for (std::size_t row = 0; row < drawn.rows(); ++row) {
    if (std::abs(drawn.number(row, 0) - 3.0) < 1e-9) {
      EXPECT_NEAR(drawn.number(row, 2), 4.0, 1e-5);
      found = true;
    }
    if (std::abs(drawn.number(row, 0) - 2.0) < 1e-9) {
      EXPECT_NEAR(drawn.number(row, 2), 0.0, 1e-12);
    }
  }
  EXPECT_TRUE(found);
}

// A case series of 70 mothers: one column per subject made a 35,000-pixel-wide canvas, which
// cairo refuses ("invalid value (typically too big) for the size"), so `fit --plot` drew no figure
// at all. The panels wrap at 6 columns and at most 24 subjects are drawn, the title says which.
TEST_F(AnalysisFigures, SubjectPanelsOfSeventySubjectsWrapAndDrawTheFirstTwentyFour) {
  std::string panels = "subject,quantity,unit,axis,x,kind,value,sd\n";
  for (int i = 1; i <= 70; ++i) {
    const std::string s = "m" + std::to_string(i);
    panels += s + ",infant_weight,g,day,1,simulated,3000,\n" + s + ",infant_weight,g,day,2,simulated,2900,\n" + s +
              ",infant_weight,g,day,2,observed," + std::to_string(2900 + i) + ",20\n";
  }
  test::write_text(dir_ / "subject_fit_panels.csv", panels);
  const auto result = test::run_cli("plot --figure-format png,svg " + quoted(dir_));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const fs::path f = dir_ / "figures";
  expect_png(f / "subject_fit_panels.png");
  const std::string script = test::read_file(f / "subject_fit_panels.gp");
  EXPECT_NE(script.find("set multiplot layout 4,6 "), std::string::npos);  // 24 subjects: 4 rows of 6
  EXPECT_NE(script.find("first 24 of 70 subjects"), std::string::npos);
  EXPECT_NE(script.find("'subject m24'"), std::string::npos);
  EXPECT_EQ(script.find("'subject m25'"), std::string::npos);
  // The 24th subject's observed point (2924 g on day 2) is drawn; no 25th panel is written.
  EXPECT_EQ(test::read_file(f / "subject_fit_panels_24_observed.csv"), "x,value,sd\n2,2924,20\n");
  EXPECT_FALSE(fs::exists(f / "subject_fit_panels_25_observed.csv"));
}

TEST_F(AnalysisFigures, MalformedContractFilesNameFileLineAndField) {
  test::write_text(dir_ / "population_bands.csv", "day,milk_ml_p05,milk_ml_p50,milk_ml_p95\n1,20,50,90\n2,50,40,180\n");
  auto result = test::run_cli("plot " + quoted(dir_));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("population_bands.csv:3"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("out of order"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir_ / "figures"));

  fs::remove(dir_ / "population_bands.csv");
  test::write_text(dir_ / "sweep_grid.csv", "a,b,out\n1,1,5\n1,2,6\n1,1,7\n");
  result = test::run_cli("plot " + quoted(dir_));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("sweep_grid.csv:4"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("appears twice"), std::string::npos) << result.err;

  fs::remove(dir_ / "sweep_grid.csv");
  test::write_text(dir_ / "sensitivity_indices.csv", "parameter,index,estimate,ci_low,ci_high\np,S1,0.5,0.7,0.6\n");
  result = test::run_cli("plot " + quoted(dir_));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("sensitivity_indices.csv:2"), std::string::npos) << result.err;

  fs::remove(dir_ / "sensitivity_indices.csv");
  test::write_text(dir_ / "profile_likelihood.csv", "parameter,value,neg_log_likelihood\np,1,x\n");
  result = test::run_cli("plot " + quoted(dir_));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("profile_likelihood.csv:2:5: neg_log_likelihood"), std::string::npos) << result.err;
}

// ---- hostile names: no file, folder, scenario or label name runs anything in gnuplot ----

/// U+FFFD, which gnuplot_quote() puts where a literal cannot hold a character.
const std::string kReplacement = "\xEF\xBF\xBD";

/// Names that run `touch $LACTSIM_TEST_MARKER` in gnuplot if they get out of their string
/// literal: a line break ending the command (LF, CR), a quote closing the literal (' and "),
/// a backslash before the closing quote, a backtick, an `@` macro, U+2028.
const std::vector<std::string> kHostileNames = {
    "x\nsystem \"touch $LACTSIM_TEST_MARKER\"\n#",
    "y\rsystem \"touch $LACTSIM_TEST_MARKER\"\r#",
    "q'; system \"touch $LACTSIM_TEST_MARKER\"; x='",
    "d\"; system \"touch $LACTSIM_TEST_MARKER\"; x=\"\\",
    "b`touch $LACTSIM_TEST_MARKER`@m\xE2\x80\xA8{\\",
};

/// `text` as the content of a TOML basic string: quotes, backslashes and control characters escaped.
std::string toml_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7F) {
      char code[8];
      std::snprintf(code, sizeof code, "\\u%04X", static_cast<unsigned>(byte));
      out += code;
    } else {
      out += c;
    }
  }
  return out;
}

/// A 3-day scenario whose name, observed labels and sources are all `hostile` (plus a NUL in the name).
std::string hostile_scenario_toml(const std::string& hostile) {
  const std::string text = toml_escaped(hostile);
  return test::short_vaginal_scenario_toml(toml_escaped(hostile + std::string("\0nul", 4))) +
         "[[observed]]\nquantity = \"milk_transferred_daily\"\nunit = \"mL/day\"\nsource = \"" + text +
         "\"\nlabel = \"" + text + "\"\npoints = [{ day = 1, value = 50.0, sd = 10.0 }, { day = 2, value = 150.0, sd = 30.0 }]\n"
         "[[observed]]\nquantity = \"onset_time\"\nunit = \"h\"\nsource = \"" + text + "\"\nlabel = \"" + text +
         "\"\npoints = [{ time_h = 60.0, value = 60.0 }]\n";
}

/// Every file in `figures_dir` has a plain name (letters, digits, '-', '_', '.'), and there
/// are `traces` trace figures.
void expect_plain_figure_files(const fs::path& figures_dir, int traces) {
  int trace_svgs = 0;
  for (const auto& entry : fs::directory_iterator(figures_dir)) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."),
              std::string::npos)
        << entry.path();
    if (name.starts_with("traces_") && name.ends_with(".svg") && name.find("_sessions") == std::string::npos) ++trace_svgs;
  }
  EXPECT_EQ(trace_svgs, traces) << figures_dir;
}

class HostileNames : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_THROW(find_gnuplot()) << "these tests need gnuplot: apt-get install gnuplot-nox";
    dir_ = test::fresh_temp_dir("plot-hostile");
    marker_ = dir_ / "marker";
    marker_variable_.emplace("LACTSIM_TEST_MARKER", marker_.string());
  }
  void TearDown() override {
    marker_variable_.reset();
    fs::remove_all(dir_);
  }
  fs::path dir_, marker_;
  std::optional<EnvironmentGuard> marker_variable_;
};

TEST_F(HostileNames, RunPlotOfScenarioFilesWithHostileNamesAndLabelsRunsNothing) {
  // Scenario names, observed labels and sources reach the figures whatever they hold. A file
  // name with a line break or a control character cannot be a result folder, so run refuses
  // it before anything runs (OutputIntegrity.ScenarioFileNamesCannotPlaceResults...); those
  // files are given safe names here and refused by name below.
  auto usable_as_folder = [](const std::string& name) {
    return name.find_first_of("\n\r") == std::string::npos && name.find("\xE2\x80\xA8") == std::string::npos;
  };
  std::string files;
  for (std::size_t i = 0; i < kHostileNames.size(); ++i) {
    const std::string& name = kHostileNames[i];
    const fs::path file = dir_ / ((usable_as_folder(name) ? name : "hostile_" + std::to_string(i)) + ".toml");
    test::write_text(file, hostile_scenario_toml(name));
    files += " " + quoted(file);
  }
  const auto result = test::run_cli("run -q --plot --figure-format png,svg --out " + quoted(dir_ / "res") + files);
  EXPECT_FALSE(fs::exists(marker_)) << "a name ran a command in gnuplot";
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_plain_figure_files(dir_ / "res" / "figures", static_cast<int>(kHostileNames.size()));
  // The names are drawn as written, line breaks and NUL shown as U+FFFD.
  expect_svg_with(dir_ / "res" / "figures" / "daily_milk.svg",
                  {"model: x" + kReplacement + "system", "observed: y" + kReplacement + "system",
                   "b`touch $LACTSIM_TEST_MARKER`@m" + kReplacement + "{", kReplacement + "nul"});

  for (const std::string& name : kHostileNames) {
    if (usable_as_folder(name)) continue;
    const fs::path file = dir_ / "refused" / (name + ".toml");
    test::write_text(file, hostile_scenario_toml(name));
    const auto refused = test::run_cli("run -q --plot --out " + quoted(dir_ / "refused_out") + " " + quoted(file));
    EXPECT_FALSE(fs::exists(marker_)) << "a file name ran a command in gnuplot";
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_FALSE(fs::exists(dir_ / "refused_out"));
  }
}

TEST_F(HostileNames, PlotOfResultFoldersWithHostileNamesRunsNothing) {
  test::write_text(dir_ / "plain.toml", test::short_vaginal_scenario_toml("plain"));
  const fs::path results = dir_ / "res";
  ASSERT_EQ(test::run_cli("run -q --out " + quoted(results) + " " + quoted(dir_ / "plain.toml")).exit_code, 0);
  for (const std::string& name : kHostileNames) {
    fs::copy(results / "plain", results / name, fs::copy_options::recursive);
    // A figure-input CSV one folder down: its figure names carry the folder name.
    test::write_text(results / (name + " bands") / "population_bands.csv",
                     "day,milk_ml_p05,milk_ml_p50,milk_ml_p95\n1,20,50,90\n2,50,100,180\n");
  }
  fs::remove_all(results / "plain");

  auto result = test::run_cli("plot -q --figure-format png,svg " + quoted(results));
  EXPECT_FALSE(fs::exists(marker_)) << "a folder name ran a command in gnuplot";
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_plain_figure_files(results / "figures", static_cast<int>(kHostileNames.size()));

  // One result folder given directly: its own name becomes the figure's.
  result = test::run_cli("plot -q --figure-format png,svg " + quoted(results / kHostileNames[0]));
  EXPECT_FALSE(fs::exists(marker_)) << "a folder name ran a command in gnuplot";
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_plain_figure_files(results / kHostileNames[0] / "figures", 1);
}

TEST_F(HostileNames, GnuplotReadsEveryQuotedTextBackAsOneString) {
  // Each text and what gnuplot must print for its literal: the text itself, with U+FFFD
  // for what a literal cannot hold. The macro m would run the marker command if expanded.
  static constexpr char kNulText[] = "nul\0'; system \"touch $LACTSIM_TEST_MARKER\"; x='";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {kHostileNames[0], "x" + kReplacement + "system \"touch $LACTSIM_TEST_MARKER\"" + kReplacement + "#"},
      {kHostileNames[1], "y" + kReplacement + "system \"touch $LACTSIM_TEST_MARKER\"" + kReplacement + "#"},
      {kHostileNames[2], "q\u2019; system \"touch $LACTSIM_TEST_MARKER\"; x=\u2019"},
      // gnuplot 5.4 mis-scans '' at a literal's start or twice in a row: the figure failed.
      {"'Twas", "\u2019Twas"},
      {"Case ''B''", "Case \u2019\u2019B\u2019\u2019"},
      {kHostileNames[3], kHostileNames[3]},
      {kHostileNames[4], "b`touch $LACTSIM_TEST_MARKER`@m" + kReplacement + "{\\"},
      {std::string(kNulText, sizeof kNulText - 1),
       "nul" + kReplacement + "\u2019; system \"touch $LACTSIM_TEST_MARKER\"; x=\u2019"},
      {"tab\tesc\x1b del\x7f nel\xC2\x85 ps\xE2\x80\xA9", "tab" + kReplacement + "esc" + kReplacement + " del" +
                                                         kReplacement + " nel" + kReplacement + " ps" + kReplacement},
      {"bad \xFF utf8 \xE2\x80", "bad " + kReplacement + " utf8 " + kReplacement + kReplacement},
      {"µU/mL − ± ok", "µU/mL − ± ok"},
  };
  std::string script = "set print 'printed.txt'\nm = 'system(\"touch $LACTSIM_TEST_MARKER\")'\n";
  for (const auto& [text, printed] : cases) script += "print " + gnuplot_quote(text) + "\n";
  test::write_text(dir_ / "quoted.gp", script);
  const int status = std::system(("cd " + quoted(dir_) + " && " + quoted(fs::path(find_gnuplot().executable)) +
                                  " quoted.gp 2>" + quoted(dir_ / "stderr.txt")).c_str());
  EXPECT_FALSE(fs::exists(marker_)) << "a quoted text ran a command in gnuplot";
  ASSERT_EQ(status, 0) << test::read_file(dir_ / "stderr.txt");
  std::istringstream printed(test::read_file(dir_ / "printed.txt"));
  for (const auto& [text, expected] : cases) {
    std::string line;
    ASSERT_TRUE(std::getline(printed, line)) << "nothing printed for " << expected;
    EXPECT_EQ(line, expected);
  }
  std::string extra;
  EXPECT_FALSE(std::getline(printed, extra)) << "gnuplot printed more lines than it was given literals: " << extra;
}

}  // namespace
}  // namespace lactsim

namespace lactsim {
namespace {

// ---- --plot on the analysis commands: their own CSV outputs drawn as figures 4-6 ----

TEST(PlotOtherCommands, SweepSensitivityCompareAndFitRenderTheirOutputs) {
  ASSERT_NO_THROW(find_gnuplot()) << "these tests need gnuplot: apt-get install gnuplot-nox";
  const fs::path dir = test::fresh_temp_dir("plot-commands");
  const std::string massage = quoted(test::scenario_path("seed_case_massage.toml"));

  // A 3 x 3 grid sweep: heat-map cells must carry the sweep's own numbers.
  auto result = test::run_cli("sweep " + massage + " --vary pain_peak_nrs=4:8 --vary ot_feed_rise_uU_ml=2:10 " +
                              "--design grid -n 9 -j 1 -q --plot --figure-format png,svg -o " + quoted(dir / "sweep" / "sweep.csv"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_png(dir / "sweep" / "figures" / "sweep_milk_day3_ml.png");
  expect_svg_with(dir / "sweep" / "figures" / "sweep_milk_day3_ml.svg",
                  {"Peak pain (NRS)", "Feed-evoked oxytocin rise (µU/mL)", "Milk transferred on day 3 (mL/day)"});
  {
    const CsvTable sweep = read_csv_table(dir / "sweep" / "sweep.csv");
    const CsvTable cells = read_csv_table(dir / "sweep" / "figures" / "sweep_milk_day3_ml.csv");
    ASSERT_EQ(cells.rows(), 9u);
    std::map<std::pair<double, double>, double> expected;
    for (std::size_t row = 0; row < sweep.rows(); ++row) {
      expected[{sweep.number(row, sweep.require_column("pain_peak_nrs")), sweep.number(row, sweep.require_column("ot_feed_rise_uU_ml"))}] =
          sweep.number(row, sweep.require_column("milk_day3_ml"));
    }
    for (std::size_t row = 0; row < cells.rows(); ++row) {
      const double drawn = cells.number(row, cells.require_column("milk_day3_ml"));
      EXPECT_NEAR(drawn, expected.at({cells.number(row, 2), cells.number(row, 3)}), 1e-6 * std::abs(drawn));
    }
  }

  result = test::run_cli("sensitivity " + massage + " --method morris -n 4 -j 1 --vary pain_peak_nrs=4:8 " +
                         "--vary ot_feed_rise_uU_ml=2:10 -q --plot --figure-format png,svg -o " + quoted(dir / "sens" / "morris.csv"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_png(dir / "sens" / "figures" / "sensitivity_milk_day3_ml.png");
  expect_svg_with(dir / "sens" / "figures" / "sensitivity_onset_h.svg",
                  {"Morris sensitivity of Onset of lactogenesis II (h)", "mu* (mean |effect|)", "sigma (SD of effects)",
                   "Peak pain", "Elementary effect over the full range (h)"});

  // compare with a [population]: one band figure per scenario.
  test::write_text(dir / "pop.toml", test::read_file(test::scenario_path("seed_case_massage.toml")) +
                                         "\n[population]\nsize = 20\nseed = 3\n[population.variability]\n"
                                         "activation_rate_per_h = 0.3\n");
  result = test::run_cli("compare " + quoted(dir / "pop.toml") + " -j 1 -q --plot --figure-format png,svg -o " +
                         quoted(dir / "cmp" / "compare.csv"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_png(dir / "cmp" / "figures" / "population_bands.png");
  // Titled with the [scenario] name, not the file stem "pop".
  expect_svg_with(dir / "cmp" / "figures" / "population_bands.svg",
                  {"5-95% of the population", "median", "Population prediction: Seed case: caesarean + oxytocin massage"});

  // fit --profile: the drawn 2·ΔNLL (from chi_square / 2) equals fit's own delta_chi_square.
  result = test::run_cli("fit " + quoted(test::scenario_path("reference_vaginal.toml")) +
                         " --free ot_feed_rise_uU_ml --profile --profile-points 3 -q --plot --figure-format png,svg -o " + quoted(dir / "fit"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // The legend names the series by its [[observed]] label, not by file stem and quantity.
  expect_svg_with(dir / "fit" / "figures" / "fit_observed_predicted.svg",
                  {"predicted = observed", "observed: Saint 1984 (n=9), mean and range"});
  expect_svg_with(dir / "fit" / "figures" / "profile_likelihood.svg",
                  {"95% threshold (3.84)", "Feed-evoked oxytocin rise (µU/mL)"});
  {
    const CsvTable profile = read_csv_table(dir / "fit" / "profile.csv");
    const CsvTable drawn = read_csv_table(dir / "fit" / "figures" / "profile_likelihood_1.csv");
    std::map<double, double> expected;
    for (std::size_t row = 0; row < profile.rows(); ++row) {
      expected[profile.number(row, 1)] = profile.number(row, profile.require_column("delta_chi_square"));
    }
    ASSERT_GE(drawn.rows(), 2u);
    std::size_t matched = 0;
    for (std::size_t row = 0; row < drawn.rows(); ++row) {
      const auto it = expected.find(drawn.number(row, 0));
      ASSERT_NE(it, expected.end()) << "drawn value " << drawn.number(row, 0) << " is not in profile.csv";
      EXPECT_NEAR(drawn.number(row, 2), it->second, 1e-6 * (1 + it->second));
      ++matched;
    }
    EXPECT_EQ(matched, expected.size());
  }

  // --plot without a file to draw from is bad input, before any work.
  result = test::run_cli("sweep " + massage + " --vary pain_peak_nrs=4:8 --plot -q");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--plot: needs --out FILE"), std::string::npos) << result.err;
  fs::remove_all(dir);
}

// `run --plot` draws from the runs in memory; `lactsim plot DIR` from the files. The two
// must give the same figures to the byte, so a figure can always be redrawn from its run's files.
TEST(RunFiguresFromMemory, AreTheFiguresPlotDrawsFromTheRunFiles) {
  const std::vector<fs::path> files = {test::scenario_path("seed_case_massage.toml"),
                                       test::scenario_path("seed_case_control.toml")};
  const std::vector<ScenarioRun> runs = run_scenarios(load_scenarios(files, {}), RunOptions{});
  const fs::path dir = test::fresh_temp_dir("plot-memory");
  stage_run_outputs(runs, RunOptions{}, dir).commit();

  PlotOptions from_files;
  from_files.scenario_order = {"seed_case_massage", "seed_case_control"};
  from_files.only_listed_scenarios = true;
  std::vector<std::string> file_notes, memory_notes;
  const std::vector<Figure> expected = collect_figures(dir, from_files, file_notes);
  const std::vector<Figure> drawn = collect_run_figures(runs, {}, memory_notes);
  EXPECT_TRUE(file_notes.empty() && memory_notes.empty());
  ASSERT_EQ(drawn.size(), expected.size());
  ASSERT_EQ(drawn.size(), 5u);  // daily_milk, two traces, infant_weight, comparison
  for (std::size_t i = 0; i < drawn.size(); ++i) {
    EXPECT_EQ(drawn[i].name, expected[i].name);
    EXPECT_EQ(drawn[i].script, expected[i].script) << drawn[i].name;
    EXPECT_EQ(drawn[i].data_files, expected[i].data_files) << drawn[i].name;
    EXPECT_EQ(drawn[i].series_titles, expected[i].series_titles) << drawn[i].name;
  }
  fs::remove_all(dir);
}

// Nothing is reloaded: a scenario that exists only as text still has its observed data drawn,
// and from the files too: `lactsim plot` reads them from the copy of the scenario in the result
// folder, not from the scenario file (which was never written).
TEST(RunFiguresFromMemory, DrawTheObservedDataOfAScenarioThatHasNoFile) {
  const std::string text = test::read_file(test::scenario_path("reference_vaginal.toml"));  // has [[observed]]
  const fs::path dir = test::fresh_temp_dir("plot-memory-text");
  std::vector<Scenario> scenarios;
  scenarios.push_back(parse_scenario(text, dir / "never_written" / "reference_vaginal.toml"));
  const std::vector<ScenarioRun> runs = run_scenarios(std::move(scenarios), RunOptions{});
  std::vector<std::string> notes;
  const std::vector<Figure> figures = collect_run_figures(runs, {}, notes);
  ASSERT_FALSE(figures.empty());
  ASSERT_EQ(figures.front().name, "daily_milk");
  bool observed_drawn = false;
  for (const auto& [file_name, content] : figures.front().data_files) observed_drawn |= file_name == "daily_milk_observed_1.csv";
  EXPECT_TRUE(observed_drawn);
  EXPECT_TRUE(notes.empty()) << notes.front();

  // The same run's files, plotted afterwards: the scenario file is missing, its copy is not.
  stage_run_outputs(runs, RunOptions{}, dir).commit();
  EXPECT_EQ(test::read_file(dir / "reference_vaginal" / kScenarioCopyFileName), text);
  std::vector<std::string> file_notes;
  const std::vector<Figure> from_files = collect_figures(dir, {}, file_notes);
  EXPECT_TRUE(file_notes.empty()) << file_notes.front();
  ASSERT_FALSE(from_files.empty());
  EXPECT_EQ(from_files.front().data_files, figures.front().data_files);
  fs::remove_all(dir);
}

// `sensitivity --plot` draws the CSV it has just written from memory; `lactsim plot FILE` from
// the file: the same figures, and the same message for text that is no figure input.
TEST(CsvFiguresFromMemory, AreTheFiguresPlotDrawsFromTheWrittenFile) {
  const std::string text =
      "output,parameter,index,estimate,ci_low,ci_high\n"
      "milk_day3_ml,prl_gain,S1,0.42,0.35,0.5\nmilk_day3_ml,prl_gain,ST,0.5,0.41,0.6\n"
      "onset_h,prl_gain,S1,0.3,0.2,0.4\nonset_h,prl_gain,ST,0.35,0.25,0.45\n";
  const fs::path dir = test::fresh_temp_dir("plot-csv-memory");
  const fs::path file = dir / "indices.csv";
  std::vector<std::string> memory_notes, file_notes;
  const std::vector<Figure> drawn = collect_csv_figures(text, file, memory_notes);  // file not written yet
  test::write_text(file, text);
  const std::vector<Figure> expected = collect_figures(file, {}, file_notes);
  ASSERT_FALSE(drawn.empty());
  ASSERT_EQ(drawn.size(), expected.size());
  for (std::size_t i = 0; i < drawn.size(); ++i) {
    EXPECT_EQ(drawn[i].name, expected[i].name);
    EXPECT_EQ(drawn[i].script, expected[i].script) << drawn[i].name;
    EXPECT_EQ(drawn[i].data_files, expected[i].data_files) << drawn[i].name;
  }
  EXPECT_EQ(memory_notes, file_notes);
  try {
    collect_csv_figures("x,y\n1,2\n", file, memory_notes);
    ADD_FAILURE() << "not a figure input, accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where().file, file.string());
    EXPECT_EQ(error.field(), "header");
  }
  fs::remove_all(dir);
}

TEST(PopulationComparisonFigures, ComparePlotDrawsThePairedPopulationFigureFromItsCsvByContent) {
  // Five mothers per arm (fast), with LANG unset: the figure renders without a warning.
  const fs::path dir = test::fresh_temp_dir("plot-population-comparison");
  test::write_text(dir / "five.toml", "[population]\nsize = 5\nseed = 7\n[population.variability]\n"
                                      "activation_rate_per_h = 0.3\nmilk_max_synthesis_ml_h = 0.4\n");
  EnvironmentGuard lang("LANG", ""), all("LC_ALL", "");
  ::unsetenv("LANG");
  ::unsetenv("LC_ALL");
  const auto r = test::run_cli("compare --population " + quoted(dir / "five.toml") + " " +
                               quoted(test::scenario_path("seed_case_control.toml")) + " " +
                               quoted(test::scenario_path("seed_case_massage.toml")) + " -j 1 -q --plot --figure-format png,svg -o " +
                               quoted(dir / "cmp" / "compare.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "") << "a quiet successful compare prints nothing";
  const fs::path figures = dir / "cmp" / "figures";
  expect_png(figures / "population_comparison.png");
  expect_svg_with(figures / "population_comparison.svg",
                  {"seed_case_control: 5-95% of mothers", "seed_case_massage: median", "seed_case_massage - seed_case_control",
                   "milk to infant (mL/day)", "paired mean difference (mL/day)", "day after birth",
                   "fraction of mothers (95% Wilson CI):", "seed_case_control: 5 / 5"});
  // The drawn medians and paired differences are the compare CSV's own numbers, day by day.
  const CsvTable compare = read_csv_table(dir / "cmp" / "compare.csv");
  const CsvTable drawn = read_csv_table(figures / "population_comparison.csv");
  ASSERT_EQ(drawn.rows(), 7u);
  std::size_t checked = 0;
  for (std::size_t row = 0; row < compare.rows(); ++row) {
    const std::string& endpoint = compare.text(row, compare.require_column("endpoint"));
    if (!endpoint.starts_with("milk_day")) continue;
    const std::size_t day = static_cast<std::size_t>(endpoint[8] - '0');
    const bool massage = compare.text(row, compare.require_column("scenario")) == "seed_case_massage";
    const std::size_t base = massage ? 7 : 1;  // day, then 6 columns per arm
    const double p50 = compare.number(row, compare.require_column("population_p50"));
    const double mean = compare.number(row, compare.require_column("paired_mean_difference"));
    EXPECT_NEAR(drawn.number(day - 1, base + 1), p50, 1e-9 * std::abs(p50)) << endpoint;
    EXPECT_NEAR(drawn.number(day - 1, base + 3), mean, 1e-9 * (1 + std::abs(mean))) << endpoint;
    ++checked;
  }
  EXPECT_EQ(checked, 14u);
  // compare --plot titles the figure with the [scenario] names it has just run.
  expect_svg_with(figures / "population_comparison.svg",
                  {"Seed case: caesarean + oxytocin massage vs Seed case: caesarean, no massage"});
  // `lactsim plot` recognises the CSV by its columns, whatever its name (after the fact it has
  // only the CSV, which names the scenarios by file stem).
  fs::create_directories(dir / "renamed");
  fs::copy_file(dir / "cmp" / "compare.csv", dir / "renamed" / "anything.csv");
  const auto replot = test::run_cli("plot " + quoted(dir / "renamed" / "anything.csv"));
  ASSERT_EQ(replot.exit_code, 0) << replot.err;
  ASSERT_EQ(test::run_cli("plot -q " + quoted(dir / "cmp" / "compare.csv")).exit_code, 0);
  EXPECT_EQ(test::read_file(dir / "renamed" / "figures" / "population_comparison.gp"),
            test::read_file(figures / "population_comparison.gp"));
  fs::remove_all(dir);
}

TEST(PopulationComparisonFigures, CompareWithoutAPopulationPlotsNothingWithANoteAndSucceeds) {
  // Before: `compare --plot` of scenarios without [population] stopped with exit 2 ("not a
  // figure input") after writing its CSV. Now: a note on stderr, exit 0, no figures folder.
  const fs::path dir = test::fresh_temp_dir("plot-compare-no-population");
  const auto r = test::run_cli("compare " + quoted(test::scenario_path("seed_case_control.toml")) + " " +
                               quoted(test::scenario_path("seed_case_massage.toml")) + " -q --plot -o " +
                               quoted(dir / "compare.csv"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("note: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no population columns"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "compare.csv"));
  EXPECT_FALSE(fs::exists(dir / "figures"));
  // `lactsim plot` of that file: the same note, exit 0; text of no known kind stays an error.
  const auto replot = test::run_cli("plot " + quoted(dir / "compare.csv"));
  EXPECT_EQ(replot.exit_code, 0) << replot.err;
  EXPECT_NE(replot.err.find("no population columns"), std::string::npos) << replot.err;
  test::write_text(dir / "other.csv", "x,y\n1,2\n");
  EXPECT_EQ(test::run_cli("plot " + quoted(dir / "other.csv")).exit_code, 2);
  fs::remove_all(dir);
}

// ---- every figure kind in every format, at two sizes, with no locale ----

/// Width and height of a PNG, from its IHDR chunk.
std::pair<int, int> png_size(const fs::path& path) {
  const std::string bytes = test::read_file(path);
  auto u32 = [&](std::size_t at) {
    return static_cast<int>((static_cast<unsigned char>(bytes[at]) << 24) | (static_cast<unsigned char>(bytes[at + 1]) << 16) |
                            (static_cast<unsigned char>(bytes[at + 2]) << 8) | static_cast<unsigned char>(bytes[at + 3]));
  };
  if (bytes.size() < 24 || bytes.compare(12, 4, "IHDR") != 0) return {0, 0};
  return {u32(16), u32(20)};
}

/// Pixels per metre in a PNG's pHYs chunk; 0 when it has none.
int png_pixels_per_metre(const fs::path& path) {
  const std::string bytes = test::read_file(path);
  const std::size_t at = bytes.find("pHYs");
  if (at == std::string::npos || at + 8 > bytes.size()) return 0;
  return (static_cast<unsigned char>(bytes[at + 4]) << 24) | (static_cast<unsigned char>(bytes[at + 5]) << 16) |
         (static_cast<unsigned char>(bytes[at + 6]) << 8) | static_cast<unsigned char>(bytes[at + 7]);
}

/// Whether an XML parser (Python's, as on every machine that builds lactsim) accepts the file.
bool is_well_formed_xml(const fs::path& path) {
  const std::string command = "python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' " +
                              quoted(path) + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

class EveryFigureKind : public ::testing::Test {
 protected:
  // One input of every figure kind: run outputs (figures 1-3), a population compare (4, 4b),
  // contract files of figures 5a, 6a and 6b, and sweeps of two parameters (5b) and of one (5c).
  static void SetUpTestSuite() {
    ASSERT_NO_THROW(find_gnuplot()) << "these tests need gnuplot: apt-get install gnuplot-nox";
    dir_ = new fs::path(test::fresh_temp_dir("plot-every-kind"));
    const fs::path& d = *dir_;
    const std::string massage = quoted(test::scenario_path("seed_case_massage.toml"));
    auto run = [](const std::string& arguments) {
      const auto r = test::run_cli(arguments);
      ASSERT_EQ(r.exit_code, 0) << arguments << "\n" << r.err;
    };
    run("run -q " + massage + " " + quoted(test::scenario_path("seed_case_control.toml")) + " " +
        quoted(test::scenario_path("reference_vaginal.toml")) + " --out " + quoted(d / "inputs"));
    test::write_text(d / "five.toml", "[population]\nsize = 5\nseed = 7\n[population.variability]\n"
                                      "activation_rate_per_h = 0.3\n");
    run("compare --population " + quoted(d / "five.toml") + " " + quoted(test::scenario_path("seed_case_control.toml")) +
        " " + massage + " -j 1 -q -o " + quoted(d / "inputs" / "cmp" / "compare.csv"));
    run("sweep " + massage + " --vary pain_peak_nrs=4:8 --vary massage_relief_half_life_h=1:6 --design grid -n 4 -j 1 -q -o " +
        quoted(d / "inputs" / "grid" / "sweep.csv"));
    run("sweep " + massage + " --vary massage_relief_half_life_h=1:6 --design grid -n 3 -j 1 -q -o " +
        quoted(d / "inputs" / "scan" / "sweep.csv"));
    test::write_text(d / "inputs" / "sensitivity_indices.csv",
                     "output,parameter,index,estimate,ci_low,ci_high\n"
                     "milk_day3_ml,pain_peak_nrs,S1,0.42,0.35,0.5\nmilk_day3_ml,pain_peak_nrs,ST,0.5,0.41,0.6\n"
                     "milk_day3_ml,massage_relief_half_life_h,S1,0.1,0.05,0.16\n"
                     "milk_day3_ml,massage_relief_half_life_h,ST,0.18,0.1,0.25\n");
    test::write_text(d / "inputs" / "fit_observed_predicted.csv",
                     "series,day,observed,observed_low,observed_high,predicted,unit\n"
                     "Saint 1984,1,37.1,7,122.5,55,g/day\nSaint 1984,3,408,98.3,775,350,g/day\n");
    test::write_text(d / "inputs" / "profile_likelihood.csv",
                     "parameter,value,neg_log_likelihood,unit\nactivation_rate_per_h,0.08,12,\n"
                     "activation_rate_per_h,0.11,10,\nactivation_rate_per_h,0.14,11.5,\n");
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static fs::path* dir_;
};
fs::path* EveryFigureKind::dir_ = nullptr;

TEST_F(EveryFigureKind, RendersToPngSvgAndPdfAtTheSizeAskedWithNoLocaleAndNoWarning) {
  // Figure kinds by the file their template makes (docs/figures.md).
  const std::vector<std::string> kinds = {
      "daily_milk", "traces_seed_case_massage", "comparison", "cmp_population_bands_seed_case_control",
      "cmp_population_comparison", "sensitivity", "grid_sweep_milk_day3_ml", "scan_sweep_scan",
      "fit_observed_predicted", "profile_likelihood"};
  EnvironmentGuard lang("LANG", ""), all("LC_ALL", "");
  ::unsetenv("LANG");  // a fresh machine or cron: no locale at all (the guards restore them)
  ::unsetenv("LC_ALL");
  for (const std::string size : {"", "640x480"}) {
    const fs::path inputs = *dir_ / "inputs";
    fs::remove_all(inputs / "figures");
    const auto r = test::run_cli("plot -q --figure-format png,svg,pdf " + (size.empty() ? "" : "--figure-size " + size + " --dpi 150 ") +
                                 quoted(inputs));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "") << "a quiet successful plot prints nothing";
    for (const std::string& kind : kinds) {
      const fs::path base = inputs / "figures" / kind;
      SCOPED_TRACE(kind + " at " + (size.empty() ? "its own size" : size));
      expect_png(fs::path(base.string() + ".png"));
      const auto [width, height] = png_size(fs::path(base.string() + ".png"));
      if (size == "640x480") {
        EXPECT_EQ(width, 640);
        EXPECT_EQ(height, 480);
        EXPECT_EQ(png_pixels_per_metre(fs::path(base.string() + ".png")), 5906);  // 150 / 0.0254, rounded
      } else {
        EXPECT_GE(width, 400);  // each kind's own size
        EXPECT_GE(height, 400);
        EXPECT_EQ(png_pixels_per_metre(fs::path(base.string() + ".png")), 0) << "no --dpi: no resolution recorded";
      }
      expect_svg_with(fs::path(base.string() + ".svg"), {});
      EXPECT_TRUE(is_well_formed_xml(fs::path(base.string() + ".svg")));
      const std::string pdf = test::read_file(fs::path(base.string() + ".pdf"));
      EXPECT_GT(pdf.size(), 1000u);
      EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
      if (size == "640x480") {
        // SVG: the size asked for; PDF: 640 x 480 pixels at 150 dpi = 307.2 x 230.4 pt (whole points in the file).
        EXPECT_NE(test::read_file(fs::path(base.string() + ".svg")).find("<svg width=\"640\" height=\"480\""),
                  std::string::npos);
        EXPECT_NE(pdf.find("/MediaBox [ 0 0 307 230 ]"), std::string::npos);
      }
    }
  }
  // The scripts re-render by hand under the C locale without a word on stderr: `set encoding
  // utf8` made gnuplot warn "iconv failed to convert degree sign" there on every figure.
  const fs::path figures = *dir_ / "inputs" / "figures";
  for (const std::string& kind : kinds) {
    const std::string command = "cd " + quoted(figures) + " && LC_ALL=C " + find_gnuplot().executable +
                                " -e \"figure_formats='png svg pdf'\" " + quoted(fs::path(kind + ".gp")) + " 2> " +
                                quoted(*dir_ / "stderr.txt");
    EXPECT_EQ(std::system(command.c_str()), 0) << kind;
    EXPECT_EQ(test::read_file(*dir_ / "stderr.txt"), "") << kind;
  }
}

TEST_F(EveryFigureKind, LabelAxesWithDisplayNamesAndUnits) {
  const fs::path inputs = *dir_ / "inputs";
  fs::remove_all(inputs / "figures");
  const auto r = test::run_cli("plot -q --figure-format svg " + quoted(inputs));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path f = inputs / "figures";
  // Heat map: axes and colour bar from the registry and the endpoint labels, not identifiers.
  expect_svg_with(f / "grid_sweep_milk_day3_ml.svg",
                  {"Peak pain (NRS)", "Massage relief half-life (h)", "Milk transferred on day 3 (mL/day)"});
  EXPECT_EQ(test::read_file(f / "grid_sweep_milk_day3_ml.svg").find("massage_relief_half_life_h"), std::string::npos);
  // Scan: endpoint names as panel titles, units on the y axes, the parameter under the x axis.
  expect_svg_with(f / "scan_sweep_scan.svg", {"Sweep of Massage relief half-life", "Onset of lactogenesis II",
                                              "Milk transferred on day 3", "mL/day", "Massage relief half-life (h)"});
  // Sensitivity: parameters by display name; profile: the registry's unit when the file has none.
  expect_svg_with(f / "sensitivity.svg", {"Peak pain", "Massage relief half-life"});
  expect_svg_with(f / "profile_likelihood.svg", {"Secretory activation rate (1/h)"});
}

TEST_F(EveryFigureKind, ScanOfOneParameterDrawsTheSweepsOwnNumbersInParameterOrder) {
  // Before: a one-parameter sweep had no figure at all, only a note.
  const fs::path scan = *dir_ / "inputs" / "scan";
  fs::remove_all(scan / "figures");
  const auto r = test::run_cli("plot -q " + quoted(scan / "sweep.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const CsvTable sweep = read_csv_table(scan / "sweep.csv");
  const CsvTable drawn = read_csv_table(scan / "figures" / "sweep_scan.csv");
  ASSERT_EQ(drawn.rows(), sweep.rows());
  EXPECT_EQ(drawn.header(), (std::vector<std::string>{"massage_relief_half_life_h", "onset_h", "milk_day3_ml", "milk_day7_ml"}));
  std::map<double, double> milk_day3;
  for (std::size_t row = 0; row < sweep.rows(); ++row) {
    milk_day3[sweep.number(row, sweep.require_column("massage_relief_half_life_h"))] =
        sweep.number(row, sweep.require_column("milk_day3_ml"));
  }
  double previous = -1.0;
  for (std::size_t row = 0; row < drawn.rows(); ++row) {
    const double x = drawn.number(row, 0);
    EXPECT_GT(x, previous) << "points joined in parameter order";
    previous = x;
    ASSERT_EQ(milk_day3.count(x), 1u) << x;
    EXPECT_NEAR(drawn.number(row, 2), milk_day3.at(x), 1e-6 * milk_day3.at(x));
  }
  expect_png(scan / "figures" / "sweep_scan.png");
}

// A scenario named with "]]>" made SVG figures that are not well-formed XML (the svg terminal
// writes text as character data, which cannot hold "]]>"); every SVG must parse.
TEST(SvgText, ANameHoldingTheEndOfACdataSectionGivesSvgThatParses) {
  ASSERT_NO_THROW(find_gnuplot()) << "this test needs gnuplot: apt-get install gnuplot-nox";
  const fs::path dir = test::fresh_temp_dir("plot-cdata");
  test::write_text(dir / "cdata.toml", test::short_vaginal_scenario_toml("a]]>b <c> & d"));
  const auto result = test::run_cli("run -q --plot --figure-format svg --out " + quoted(dir / "res") + " " +
                                    quoted(dir / "cdata.toml"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  int svgs = 0;
  for (const auto& entry : fs::directory_iterator(dir / "res" / "figures")) {
    if (entry.path().extension() != ".svg") continue;
    ++svgs;
    EXPECT_TRUE(is_well_formed_xml(entry.path())) << entry.path() << " is not well-formed XML";
  }
  EXPECT_EQ(svgs, 3) << "daily_milk, traces_cdata and infant_weight";
  expect_svg_with(dir / "res" / "figures" / "daily_milk.svg", {"a]]"});
  expect_svg_with(dir / "res" / "figures" / "infant_weight.svg", {"a]]"});
  fs::remove_all(dir);
}

TEST(FigureOptions, BadFormatsSizesAndResolutionsAreBadInputBeforeAnyWork) {
  const fs::path dir = test::fresh_temp_dir("plot-options");
  for (const std::string flags : {"--figure-format png,gif", "--figure-format png,png", "--figure-format ''",
                                  "--figure-size 640", "--figure-size 640x", "--figure-size 50x50", "--figure-size 64Ox480",
                                  "--dpi 0",
                                  // Accepted before, broken figures with exit 0: a page far beyond PDF's 200
                                  // inches (20000 px at 1 dpi), a 0.02-inch page (100 px at 4800 dpi), a
                                  // 20000 x 20000 PNG (67 s, 1.6 GB), hexadecimal and padded --dpi values.
                                  "--figure-size 20000x20000 --dpi 1 --figure-format pdf",
                                  "--figure-size 100x100 --dpi 4800", "--figure-size 20000x20000", "--figure-size 199x480",
                                  "--figure-size 10001x480", "--figure-size 300x300 --dpi 4800 --figure-format pdf",
                                  "--figure-size 9000x480 --dpi 30", "--dpi 0x60", "--dpi ' 96'", "--dpi 96.5", "--dpi 4801"}) {
    const auto r = test::run_cli("run -q --plot " + flags + " " + quoted(test::scenario_path("seed_case_control.toml")) +
                                 " --out " + quoted(dir / "out"));
    EXPECT_EQ(r.exit_code, 2) << flags << "\n" << r.err;
    EXPECT_NE(r.err.find(flags.substr(0, flags.find(' '))), std::string::npos) << flags << "\n" << r.err;
    EXPECT_FALSE(fs::exists(dir / "out")) << flags << ": nothing is simulated or written";
  }
  // The limits themselves are accepted: 200 px at 200 dpi (1 inch), 10000 px at 50 dpi (200
  // inches). `plot` of an empty folder then fails on the folder, not on the flags.
  fs::create_directories(dir / "empty");
  for (const std::string flags : {"--figure-size 200x200 --dpi 200", "--figure-size 10000x10000 --dpi 50", "--dpi 0096"}) {
    const auto r = test::run_cli("plot --figure-format pdf " + flags + " " + quoted(dir / "empty"));
    EXPECT_EQ(r.err.find("--figure-size"), std::string::npos) << flags << "\n" << r.err;
    EXPECT_EQ(r.err.find("--dpi"), std::string::npos) << flags << "\n" << r.err;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace lactsim
