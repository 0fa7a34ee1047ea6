// Figure machinery that needs no gnuplot: template filling, the compiled-in templates,
// gnuplot string quoting, script scanning, hostile names in every figure builder and the
// located CSV reader.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include "lactsim/engine/errors.hpp"
#include "plot_analysis_figures.hpp"
#include "plot_adapters.hpp"
#include "plot_csv.hpp"
#include "plot_population_comparison.hpp"
#include "lactsim/plot/plot_render.hpp"
#include "lactsim/plot/plot_results.hpp"
#include "plot_run_figures.hpp"
#include "lactsim/plot/plot_templates.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

TEST(PlotTemplates, FillReplacesEveryPlaceholderAndRejectsUnknownOnes) {
  EXPECT_EQ(fill_plot_template("a {{X}} b {{Y}} {{X}}", {{"X", "1"}, {"Y", "two"}}), "a 1 b two 1");
  EXPECT_EQ(fill_plot_template("no placeholders { } }}", {}), "no placeholders { } }}");
  EXPECT_THROW(fill_plot_template("a {{MISSING}}", {{"X", "1"}}), std::invalid_argument);
}

TEST(PlotTemplates, CompiledInTemplatesAreTheFilesInPlotTemplates) {
  // The library must render with exactly the scripts kept in plot/templates/, so users can read
  // and edit what the binary uses.
  std::vector<std::string> on_disk;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(LACTSIM_SOURCE_DIR) / "plot" / "templates")) {
    if (entry.path().extension() != ".gp") continue;
    on_disk.push_back(entry.path().stem().string());
    EXPECT_EQ(std::string(plot_template(entry.path().stem().string())), test::read_file(entry.path()))
        << entry.path();
  }
  std::sort(on_disk.begin(), on_disk.end());
  EXPECT_EQ(plot_template_names(), on_disk);
  for (const char* name : {"daily_milk", "traces", "comparison", "population_bands", "population_comparison", "sensitivity", "sweep_heatmap",
                           "fit_observed_predicted", "profile_likelihood"}) {
    EXPECT_NO_THROW(plot_template(name)) << name;
  }
  EXPECT_THROW(plot_template("no_such_figure"), std::invalid_argument);
}

TEST(PlotTemplates, GnuplotQuoteTurnsApostrophesTypographic) {
  EXPECT_EQ(gnuplot_quote("it's \"x\" \\n"), "'it\u2019s \"x\" \\n'");
  EXPECT_EQ(gnuplot_quote(""), "''");
}

/// U+FFFD in UTF-8.
const std::string kReplacement = "\xEF\xBF\xBD";

// The svg terminal writes text as XML character data: a scenario named "a]]>b" made an SVG
// that does not parse. A zero-width space (U+200B, E2 80 8B) now sits between "]]" and ">".
TEST(GnuplotQuote, BreaksUpTheEndOfACdataSection) {
  EXPECT_EQ(gnuplot_quote("a]]>b"), "'a]]\xE2\x80\x8B>b'");
  EXPECT_EQ(gnuplot_quote("]]]>>"), "']]]\xE2\x80\x8B>>'");
  EXPECT_EQ(gnuplot_quote("a] ]>b]>"), "'a] ]>b]>'");
}

TEST(GnuplotQuote, KeepsBackslashesDoubleQuotesMacrosBackticksAndBracesAsText) {
  // gnuplot expands none of these inside single quotes (checked against gnuplot itself in
  // test_plot_figures.cpp, HostileNames.GnuplotReadsEveryQuotedTextBackAsOneString).
  EXPECT_EQ(gnuplot_quote("a\\"), "'a\\'");
  EXPECT_EQ(gnuplot_quote("\"; system \"x\""), "'\"; system \"x\"'");
  EXPECT_EQ(gnuplot_quote("@m `touch x` {} # $HOME"), "'@m `touch x` {} # $HOME'");
  EXPECT_EQ(gnuplot_quote("'; system 'x"), "'\u2019; system \u2019x'");
  EXPECT_EQ(gnuplot_quote("µU/mL ± −"), "'µU/mL ± −'");
}

TEST(GnuplotQuote, ReplacesLineBreaksControlCharactersAndBadUtf8) {
  EXPECT_EQ(gnuplot_quote("a\nsystem \"x\"\n#"), "'a" + kReplacement + "system \"x\"" + kReplacement + "#'");
  EXPECT_EQ(gnuplot_quote("a\rb"), "'a" + kReplacement + "b'");
  EXPECT_EQ(gnuplot_quote(std::string("a\0b", 3)), "'a" + kReplacement + "b'");
  EXPECT_EQ(gnuplot_quote("a\tb\x1b\x7f"), "'a" + kReplacement + "b" + kReplacement + kReplacement + "'");
  EXPECT_EQ(gnuplot_quote("a\xE2\x80\xA8" "b\xE2\x80\xA9" "c\xC2\x85"),
            "'a" + kReplacement + "b" + kReplacement + "c" + kReplacement + "'");
  // Not UTF-8: a stray byte, an overlong '/' (C0 AF), a surrogate (ED A0 80), a cut-short sequence.
  EXPECT_EQ(gnuplot_quote("\xFF"), "'" + kReplacement + "'");
  EXPECT_EQ(gnuplot_quote("\xC0\xAF"), "'" + kReplacement + kReplacement + "'");
  EXPECT_EQ(gnuplot_quote("\xED\xA0\x80"), "'" + kReplacement + kReplacement + kReplacement + "'");
  EXPECT_EQ(gnuplot_quote("a\xE2\x80"), "'a" + kReplacement + kReplacement + "'");
}

TEST(GnuplotQuote, SafeFileStemsPassUnchanged) {
  EXPECT_EQ(safe_file_stem("x\nsystem \"touch m\"\n#"), "x_system__touch_m___");
  EXPECT_EQ(safe_file_stem("../a b'c\xE2\x80\xA8"), "___a_b_c___");
  EXPECT_EQ(safe_file_stem("seed_case-2"), "seed_case-2");
  EXPECT_TRUE(is_safe_file_name("traces_seed_case-2_zoom.csv"));
  for (const char* unsafe : {"", ".hidden.csv", "..", "a/b.csv", "a b.csv", "a'.csv", "a\n.csv", "caf\xC3\xA9.csv"}) {
    EXPECT_FALSE(is_safe_file_name(unsafe)) << unsafe;
  }
  const std::string stem = safe_file_stem("q'\"\\@`\r\n\xE2\x80\xA8");
  EXPECT_EQ(gnuplot_quote(stem), "'" + stem + "'");
}

TEST(GnuplotScriptScan, FindsEveryWayTextCanLeaveALiteral) {
  const std::pair<const char*, std::string> hazards[] = {
      {"newline in a literal", "set title 'a\nsystem \"touch m\"\n#'\n"},
      {"literal open at the end", "set title 'a"},
      {"CR", "set title 'a\rb'\n"},
      {"NUL", std::string("set title 'a\0b'\n", 16)},
      {"U+2028", "set title 'a\xE2\x80\xA8" "b'\n"},
      {"not UTF-8", "set title 'a\xFF'\n"},
      {"backtick outside quotes", "set title `touch m`\n"},
      {"backtick in double quotes", "set title \"`touch m`\"\n"},
      {"macro", "set title @m\n"},
      {"comment continued", "# name\\\nsystem 'touch m'\n"},
  };
  for (const auto& [what, script] : hazards) EXPECT_FALSE(scan_gnuplot_script(script).hazard.empty()) << what;
  EXPECT_NE(scan_gnuplot_script("set xlabel 'x'\nset title 'a\n").hazard.find("line 2"), std::string::npos);

  const GnuplotScriptScan safe = scan_gnuplot_script(
      "# it's a comment: `x` @m\nset title 'it''s `x` @m \\ \"' font ',9'\nplot \\\n  'd.csv' title \"a\\\"b\"\n");
  EXPECT_EQ(safe.hazard, "");
  EXPECT_EQ(safe.skeleton, "#\nset title '' font ''\nplot \\\n  '' title \"\"\n");
}

TEST(PlotTemplates, PlotElementsJoinWithContinuations) {
  EXPECT_EQ(plot_element_lines({"a", "b"}), "    a, \\\n    b\n");
  EXPECT_THROW(plot_element_lines({}), std::invalid_argument);
  EXPECT_THROW(figure_terminal(0, 100, 10), std::invalid_argument);
}

TEST(PlotCsv, ReadsQuotedFieldsSkipsCommentsAndTrimsBlanks) {
  const CsvTable table("# provenance line\nname,value\n\"a, b\", 1.5\n\"say \"\"hi\"\"\",-2e3\n", "t.csv");
  ASSERT_EQ(table.rows(), 2u);
  EXPECT_EQ(table.text(0, 0), "a, b");
  EXPECT_EQ(table.text(1, 0), "say \"hi\"");
  EXPECT_DOUBLE_EQ(table.number(0, 1), 1.5);
  EXPECT_DOUBLE_EQ(table.number(1, 1), -2000.0);
  EXPECT_EQ(table.line_of(1), 4);
}

TEST(PlotCsv, BadNumberNamesFileLineColumnAndField) {
  const CsvTable table("day,milk_ml\n1,10\n2,lots\n", "daily.csv");
  try {
    table.number(1, 1);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where().file, "daily.csv");
    EXPECT_EQ(error.where().line, 3);
    EXPECT_EQ(error.where().column, 3);
    EXPECT_EQ(error.field(), "milk_ml");
  }
  EXPECT_FALSE(table.optional_number(0, 0) == std::nullopt);
}

TEST(PlotCsv, RaggedRowsMissingColumnsAndEmptyFilesAreInputErrors) {
  EXPECT_THROW(CsvTable("a,b\n1,2,3\n", "r.csv"), InputError);
  EXPECT_THROW(CsvTable("# only a comment\n", "e.csv"), InputError);
  EXPECT_THROW(CsvTable("a\n\"open\n", "q.csv"), InputError);
  const CsvTable table("a,b\n1,2\n", "m.csv");
  try {
    table.require_column("milk_ml_p05");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.field(), "milk_ml_p05");
    EXPECT_NE(std::string(error.what()).find("columns present: a, b"), std::string::npos) << error.what();
  }
  EXPECT_THROW(read_csv_table("/nonexistent/lactsim/file.csv"), InputError);
}


// ---- every figure builder keeps hostile names inside their literals ----

/// Names with every way out of a gnuplot literal: line breaks, quotes, a backslash, a
/// backtick, a macro, NUL, U+2028, bytes that are not UTF-8.
constexpr char kHostileText[] = "x\nsystem \"touch m\"\n#\r' \" \\ `touch m` @m \0 \xE2\x80\xA8 \xFF {\\";
const std::string kHostile(kHostileText, sizeof kHostileText - 1);
/// The same without line breaks, for CSV cells (a CSV field holds no line break).
const std::string kHostileCell = "q'\"; system \"touch m\" \\ `touch m` @m \xE2\x80\xA8 \xFF {";

/// A CSV field holding `text`.
std::string csv_quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

/// A 3-day run output held in memory, with a daily-milk and an onset observed series.
PlotScenario plot_scenario(const std::string& stem, const std::string& name, const std::string& label) {
  PlotScenario scenario;
  scenario.stem = stem;
  scenario.name = name;
  scenario.onset_h = 50.0;
  scenario.days = {1, 2, 3};
  scenario.milk_ml_per_day = {40.0, 200.0, 450.0};
  for (int minute = 0; minute <= 72 * 60; minute += 30) {
    const double h = minute / 60.0;
    const bool feeding = std::fmod(h, 3.0) < 0.25, massage = h >= 49.0 && h < 49.5;
    scenario.trace.push_back({h, 5.0, 4.0, 10.0, 100.0, std::min(1.0, h / 72.0), 20.0, feeding, false, massage});
  }
  ObservedPoint day_point;
  day_point.day = 1, day_point.value = 50.0, day_point.sd = 10.0;
  ObservedPoint onset_point;
  onset_point.time_h = 60.0, onset_point.value = 60.0;
  scenario.observed.push_back({"milk_transferred_daily", "mL/day", label, label, {day_point}, {}});
  scenario.observed.push_back({"onset_time", "h", label, label, {onset_point}, {}});
  // Infant weight: −0.1% an hour, birth weight 3 kg, one weighing of 2.85 kg ± 0.06 kg on day 2.
  for (const TracePoint& point : scenario.trace) scenario.weight_change_percent.push_back(-0.1 * point.time_h);
  scenario.birth_weight_g = 3000.0;
  ObservedPoint weighing;
  weighing.day = 2, weighing.value = 2.85, weighing.sd = 0.06;
  scenario.observed.push_back({"infant_weight", "kg", label, label, {weighing}, {}});
  return scenario;
}

/// The columns of a `lactsim compare --out` CSV of a population (docs/analyses.md), up to
/// the paired interval and then the counts (`fraction` columns follow in the delayed-onset test).
const std::string kPopulationCompareHeader =
    "endpoint,scenario,value,difference,ratio,population_p5,population_p50,population_p95,"
    "paired_mean_difference,paired_mean_difference_lower_95,paired_mean_difference_upper_95,"
    "n_requested,n_included,n_failed";

/// Figures 1-6 with `name` in every place a name can go: result-folder stem, scenario name,
/// observed labels and sources, titles, and (`cell`) the CSV cells figures 4-6 draw as text.
std::vector<Figure> every_figure(const std::string& name, const std::string& cell) {
  const std::vector<PlotScenario> scenarios = {plot_scenario(name, name, name), plot_scenario(name + "2", name + "2", name + "2")};
  std::vector<Figure> figures = {daily_milk_figure(scenarios), traces_figure(scenarios[0]), comparison_figure(scenarios, 1),
                                 infant_weight_figure(scenarios)};
  const std::string c = csv_quoted(cell);
  const CsvTable bands("day,milk_ml_p05,milk_ml_p50,milk_ml_p95\n1,20,50,90\n2,50,100,180\n", "bands.csv");
  const CsvTable observed("label,day,value,low,high\n" + c + ",1,40,30,50\n", "observed.csv");
  figures.push_back(population_bands_figure("population_bands", name, bands, &observed));
  const CsvTable indices("parameter,index,estimate,ci_low,ci_high\n" + c + "," + c + ",0.5,0.4,0.6\n", "indices.csv");
  figures.push_back(sensitivity_figure("sensitivity", name, indices, "", name));
  const CsvTable sweep(c + "," + csv_quoted(cell + "y") + "," + csv_quoted(cell + "z") + "\n1,1,5\n1,2,6\n2,1,7\n2,2,8\n",
                       "sweep_grid.csv");
  figures.push_back(sweep_heatmap_figure("sweep", name, sweep, 2));
  const CsvTable fit("series,day,observed,observed_low,observed_high,predicted,unit\n" + c + ",1,40,30,50,45," + c + "\n",
                     "fit.csv");
  figures.push_back(fit_observed_predicted_figure("fit_observed_predicted", name, fit));
  const CsvTable profile("parameter,value,neg_log_likelihood,unit\n" + c + ",1,3," + c + "\n" + c + ",2,1," + c + "\n" + c +
                             ",3,5," + c + "\n",
                         "profile.csv");
  figures.push_back(profile_likelihood_figure("profile_likelihood", name, profile));
  std::vector<std::string> notes;
  const CsvTable compare(kPopulationCompareHeader + "\nmilk_day1_ml," + c + ",,,,10,20,30,0,0,0,3,3,3\nmilk_day1_ml," +
                             csv_quoted(cell + "2") + ",,,,12,22,32,2,1,3,3,3,0\n",
                         "compare.csv");
  figures.push_back(*population_comparison_figure("population_comparison", name, compare, notes));
  const std::string weight_compare = kPopulationCompareHeader + "\ninfant_weight_change_48h_percent," + c +
                                     ",,,,-9,-6,-4,0,0,0,3,3,0\n";
  for (Figure& figure : collect_csv_figures(weight_compare, "weight_compare.csv", notes, {{cell, name}})) {
    if (figure.name == "population_infant_weight") figures.push_back(std::move(figure));
  }
  const CsvTable panels("subject,quantity,unit,axis,x,kind,value,sd\n" + c + "," + c + "," + c + ",day,1,simulated,3000,\n" +
                            c + "," + c + "," + c + ",day,1,observed,3050,20\n",
                        "subject_fit_panels.csv");
  figures.push_back(subject_fit_panels_figure("subject_fit_panels", name, panels));
  return figures;
}

TEST(InfantWeightFigure, DrawsModelCurvesTheNomogramMedianAndObservedWeightsAsPercentOfBirthWeight) {
  std::vector<PlotScenario> scenarios = {plot_scenario("a", "A", "weighed")};
  std::vector<std::string> notes;
  const std::vector<Figure> figures = run_figures(scenarios, "", notes);
  const auto figure = std::find_if(figures.begin(), figures.end(), [](const Figure& f) { return f.name == "infant_weight"; });
  ASSERT_NE(figure, figures.end());
  std::map<std::string, std::string> files(figure->data_files.begin(), figure->data_files.end());
  // 2.85 kg of 3 kg is −5%; ± 0.06 kg is ± 2 points; a day's weighing is drawn at the day's end.
  EXPECT_NE(files.at("infant_weight_observed_1.csv").find("\n2,-5,-7,-3\n"), std::string::npos)
      << files.at("infant_weight_observed_1.csv");
  // Flaherman et al. 2015, vaginal medians: 4.2, 7.1 and 6.4% at 24, 48 and 72 h.
  EXPECT_EQ(files.at("infant_weight_nomogram.csv"), "time_days,infant_weight_change_percent\n1,-4.2\n2,-7.1\n3,-6.4\n");
  const std::string& model = files.at("infant_weight_model_1.csv");
  EXPECT_EQ(static_cast<std::size_t>(std::count(model.begin(), model.end(), '\n')), scenarios[0].trace.size() + 1);
  EXPECT_NE(model.find("\n3,-7.2\n"), std::string::npos) << "72 h: −0.1%/h";
  EXPECT_NE(figure->script.find("infant weight change since birth (%)"), std::string::npos);

  // Runs whose files predate the infant weight: no such figure, and the others as before.
  scenarios[0].weight_change_percent.clear();
  const std::vector<Figure> without = run_figures(scenarios, "", notes);
  EXPECT_TRUE(std::none_of(without.begin(), without.end(), [](const Figure& f) { return f.name == "infant_weight"; }));
  EXPECT_EQ(without.size(), figures.size() - 1);
}

TEST(InfantWeightFigure, PopulationCompareDrawsTheSpreadAt24To72HoursOnlyWhenItHasThoseRows) {
  const std::string compare = kPopulationCompareHeader +
                              "\ninfant_weight_change_24h_percent,control,,,,-5,-3.5,-2,0,0,0,3,3,0"
                              "\ninfant_weight_change_72h_percent,control,,,,-12,-8,-4,0,0,0,3,3,0"
                              "\nmilk_day1_ml,control,,,,10,20,30,0,0,0,3,3,0\n";
  std::vector<std::string> notes;
  const std::vector<Figure> figures = collect_csv_figures(compare, "compare.csv", notes);
  const auto figure = std::find_if(figures.begin(), figures.end(), [](const Figure& f) { return f.name == "population_infant_weight"; });
  ASSERT_NE(figure, figures.end());
  std::map<std::string, std::string> files(figure->data_files.begin(), figure->data_files.end());
  EXPECT_EQ(files.at("population_infant_weight_1.csv"), "time_days,p5,p50,p95\n1,-5,-3.5,-2\n3,-12,-8,-4\n");
  const std::string milk_only = kPopulationCompareHeader + "\nmilk_day1_ml,control,,,,10,20,30,0,0,0,3,3,0\n";
  const std::vector<Figure> none = collect_csv_figures(milk_only, "compare.csv", notes);
  EXPECT_TRUE(std::none_of(none.begin(), none.end(), [](const Figure& f) { return f.name == "population_infant_weight"; }));
  // Percentiles out of order are refused with the file and line.
  const std::string bad = kPopulationCompareHeader + "\ninfant_weight_change_48h_percent,control,,,,-2,-8,-4,0,0,0,3,3,0\n";
  try {
    collect_csv_figures(bad, "bad.csv", notes);
    ADD_FAILURE() << "out-of-order percentiles accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("bad.csv:2"), std::string::npos) << error.what();
  }
}

TEST(HostileNamesInScripts, EveryFigureKeepsNamesInsideClosedLiterals) {
  const std::vector<Figure> hostile = every_figure(kHostile, kHostileCell);
  const std::vector<Figure> plain = every_figure("plain", "plain");
  ASSERT_EQ(hostile.size(), plain.size());
  for (std::size_t k = 0; k < hostile.size(); ++k) {
    const Figure& figure = hostile[k];
    const GnuplotScriptScan scan = scan_gnuplot_script(figure.script);
    EXPECT_EQ(scan.hazard, "") << plain[k].name;
    // Outside its literals the script is exactly the one made with plain names.
    EXPECT_EQ(scan.skeleton, scan_gnuplot_script(plain[k].script).skeleton) << plain[k].name;
    EXPECT_TRUE(is_safe_file_name(figure.name)) << plain[k].name;
    for (const auto& data_file : figure.data_files) EXPECT_TRUE(is_safe_file_name(data_file.first)) << data_file.first;
    // A name in a data file's comment lines cannot start a data row: as many lines as with plain names.
    ASSERT_EQ(figure.data_files.size(), plain[k].data_files.size());
    for (std::size_t f = 0; f < figure.data_files.size(); ++f) {
      EXPECT_EQ(std::count(figure.data_files[f].second.begin(), figure.data_files[f].second.end(), '\n'),
                std::count(plain[k].data_files[f].second.begin(), plain[k].data_files[f].second.end(), '\n'))
          << figure.data_files[f].first;
    }
  }
  // The hostile names are still shown (as text) in the titles they were given.
  EXPECT_NE(hostile[0].script.find("system \"touch m\""), std::string::npos);
  EXPECT_TRUE(hostile[1].name.starts_with("traces_x_system__touch_m___")) << hostile[1].name;
}

TEST(HostileNamesInScripts, RenderFiguresRefusesUnsafeNamesAndScriptsAndWritesNothing) {
  const std::filesystem::path dir = test::fresh_temp_dir("plot-refuse");
  const GnuplotProgram never_run{"/bin/false"};
  Figure figure{"bad name", "set title 'x'\n", {}, {}};
  EXPECT_THROW(render_figures({figure}, dir / "figures", never_run), std::invalid_argument);
  figure.name = "ok";
  figure.data_files = {{"a\nb.csv", "1\n"}};
  EXPECT_THROW(render_figures({figure}, dir / "figures", never_run), std::invalid_argument);
  figure.data_files = {};
  figure.script = "set title 'x\nsystem \"touch m\"\n";
  EXPECT_THROW(render_figures({figure}, dir / "figures", never_run), std::invalid_argument);
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  std::filesystem::remove_all(dir);
}

// A compare CSV of two arms on 5 mothers, written by hand: per day the medians and bands,
// the paired mean differences with their intervals, and the delayed-onset fractions.
const std::string kFiveMotherCompare =
    "endpoint,scenario,value,difference,ratio,population_p5,population_p50,population_p95,"
    "paired_mean_difference,paired_mean_difference_lower_95,paired_mean_difference_upper_95,n_paired,"
    "fraction,fraction_lower_95,fraction_upper_95,n_requested,n_included,n_failed\n"
    "onset_h,control,81,0,1,60,80,120,0,0,0,5,,,,5,5,0\n"
    "milk_day1_ml,control,40,0,1,30,41,55,0,0,0,5,,,,5,5,0\n"
    "milk_day1_ml,massage,43,3,1.075,32,44,60,3.5,2.5,4.5,5,,,,5,5,0\n"
    "milk_day3_ml,control,220,0,1,100,225,480,0,0,0,5,,,,5,5,0\n"
    "milk_day3_ml,massage,258,38,1.17,110,260,540,34.5,20.25,48,5,,,,5,4,1\n"
    "onset_after_72h_fraction,control,,,,,,,0,0,0,5,0.8,0.376,0.964,5,5,0\n"
    "onset_after_72h_fraction,massage,,,,,,,-0.2,-0.6,0,5,0.6,0.231,0.882,5,4,1\n";

TEST(PopulationComparisonFigure, DrawsBandsMediansPairedDifferencesAndOnsetFractionsOfEachArm) {
  std::vector<std::string> notes;
  const auto figure = population_comparison_figure("population_comparison", "seed case", CsvTable(kFiveMotherCompare, "c.csv"), notes);
  ASSERT_TRUE(figure.has_value()) << (notes.empty() ? "" : notes.back());
  EXPECT_TRUE(notes.empty()) << notes.front();
  // The data file holds the input's numbers, one row per day: p5, p50, p95, mean, low, high per arm.
  ASSERT_EQ(figure->data_files.size(), 1u);
  const CsvTable data(figure->data_files[0].second, "data.csv");
  ASSERT_EQ(data.rows(), 2u);
  const std::vector<double> day3 = {3, 100, 225, 480, 0, 0, 0, 110, 260, 540, 34.5, 20.25, 48};
  ASSERT_EQ(data.header().size(), day3.size());
  for (std::size_t c = 0; c < day3.size(); ++c) EXPECT_EQ(data.number(1, c), day3[c]) << data.header()[c];
  EXPECT_EQ(data.number(0, 0), 1.0);
  const std::string& script = figure->script;
  // Bands (p5:p95) and medians of both arms on the top panel; massage's paired difference below.
  for (const char* element : {"using 1:2:4 with filledcurves ls 1 title 'control: 5-95% of mothers'",
                              "using 1:3 with linespoints ls 1 title 'control: median'",
                              "using 1:8:10 with filledcurves ls 2 title 'massage: 5-95% of mothers'",
                              "using 1:9 with linespoints ls 2 title 'massage: median'",
                              "using ($1 + 0):11:12:13 with yerrorbars ls 2 dt 1 title 'massage - control'"}) {
    EXPECT_NE(script.find(element), std::string::npos) << element << "\n" << script;
  }
  // Units on both y axes and the x axis; onset fractions in percent with their intervals
  // (0.8 -> 80.0%, Wilson 0.376-0.964 -> 37.6-96.4%), the paired difference in points, and n.
  for (const char* text : {"'milk to infant (mL/day)'", "'paired mean difference (mL/day)'", "'day after birth'",
                           "'  control: 80.0% (37.6-96.4%)'", "'  massage: 60.0% (23.1-88.2%)'",
                           "'    -20.0 percentage points (95% bootstrap CI -60.0 to 0.0)'", "'  control: 5 / 5'",
                           "'  massage: 5 / 4'", "'seed case'"}) {
    EXPECT_NE(script.find(text), std::string::npos) << text << "\n" << script;
  }
  // Difference axis: from the lowest bound (0) to the highest (48), padded 8% of the span.
  EXPECT_NE(script.find("set yrange [-3.84:51.84]"), std::string::npos) << script;
}

TEST(PopulationComparisonFigure, CompareCsvWithoutPopulationColumnsGivesANoteNotAFailure) {
  const std::string plain_compare =
      "endpoint,scenario,value,difference,ratio\n"
      "milk_day3_ml,control,220,0,1\n"
      "milk_day3_ml,massage,258,38,1.17\n";
  const CsvTable table(plain_compare, "plain.csv");
  std::vector<std::string> notes;
  EXPECT_FALSE(population_comparison_figure("population_comparison", "t", table, notes).has_value());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("plain.csv: no population_p5 column"), std::string::npos) << notes[0];
  // Through the CSV recogniser too: no figure, one note, nothing thrown.
  notes.clear();
  std::vector<Figure> figures;
  ASSERT_NO_THROW(figures = figures_from_table(table, "", "", nullptr, notes));
  EXPECT_TRUE(figures.empty());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("no band or population_comparison figure"), std::string::npos) << notes[0];
}

TEST(PopulationComparisonFigure, OneArmGivesANoteAndTheCompareAdapterAddsTheFigureForTwo) {
  std::string one_arm;
  std::istringstream lines(kFiveMotherCompare);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(",massage,") == std::string::npos) one_arm += line + "\n";
  }
  std::vector<std::string> notes;
  EXPECT_FALSE(population_comparison_figure("p", "t", CsvTable(one_arm, "one.csv"), notes).has_value());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("needs two arms"), std::string::npos) << notes[0];
  notes.clear();
  const auto figures = figures_from_table(CsvTable(kFiveMotherCompare, "c.csv"), "", "", nullptr, notes);
  std::vector<std::string> names;
  for (const Figure& figure : figures) names.push_back(figure.name);
  EXPECT_EQ(names, (std::vector<std::string>{"population_bands_control", "population_bands_massage", "population_comparison"}));
}

}  // namespace
}  // namespace lactsim
