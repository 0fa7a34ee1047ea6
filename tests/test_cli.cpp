// The lactsim executable as a user meets it: outputs, exit codes, no half-written files.
#include <algorithm>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>

#include "lactsim/model/parameter_registry.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;
using test::quoted;

TEST(CliRun, WritesTheThreeOutputsPerScenarioAndPrintsTheDailyTable) {
  const auto out = test::fresh_temp_dir("run");
  const auto r = test::run_cli("run " + quoted(test::scenario_path("seed_case_massage.toml")) + " " +
                               quoted(test::scenario_path("seed_case_control.toml")) + " --out " + quoted(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* stem : {"seed_case_massage", "seed_case_control"}) {
    for (const char* file : {"timeseries.csv", "daily.csv", "summary.json"}) {
      EXPECT_TRUE(fs::exists(out / stem / file)) << stem << "/" << file;
    }
  }
  const std::string daily = test::read_file(out / "seed_case_massage" / "daily.csv");
  EXPECT_EQ(daily.substr(0, daily.find('\n')), "day,hours,milk_ml,milk_expressed_ml,milk_synthesised_ml,feeds,pumps,massages,infant_weight_g,"
            "infant_weight_change_percent");
  EXPECT_EQ(std::count(daily.begin(), daily.end(), '\n'), 8);  // header + 7 days
  EXPECT_NE(daily.find("\n1,24,"), std::string::npos);
  const std::string header = test::read_file(out / "seed_case_massage" / "timeseries.csv");
  for (const char* column : {"time_h", "oxytocin_uU_ml", "prolactin_ng_ml", "milk_stored_ml", "activation", "massage"}) {
    EXPECT_NE(header.substr(0, header.find('\n')).find(column), std::string::npos) << column;
  }
  const std::string summary = test::read_file(out / "seed_case_massage" / "summary.json");
  for (const char* key : {"\"lactsim_version\"", "\"git_commit\"", "\"sha256\"", "\"onset_lactogenesis_ii_h\"",
                          "\"relative_tolerance\"", "\"milk_transferred_ml_by_day\""}) {
    EXPECT_NE(summary.find(key), std::string::npos) << key;
  }
  // Every parameter is recorded with its value.
  for (const auto& info : model::parameter_registry()) {
    EXPECT_NE(summary.find("\"name\": \"" + std::string(info.name) + "\""), std::string::npos) << info.name;
  }
  EXPECT_NE(r.out.find("seed_case_massage"), std::string::npos);
  EXPECT_NE(r.out.find("mL/day"), std::string::npos);
  fs::remove_all(out);
}

TEST(CliOutput, AFailedWriteToStandardOutputIsExitOneNotSuccess) {
  // `lactsim params > file` on a full disk printed nothing and exited 0: results lost silently.
  if (!std::filesystem::is_character_file("/dev/full")) GTEST_SKIP() << "no /dev/full on this machine";
  for (const char* command : {"params", "check"}) {
    const std::string arguments = std::string(command) == "check" ? " check " + test::quoted(test::scenario_path("seed_case_massage.toml")) : " params";
    const int status = std::system(("\"" + std::string(LACTSIM_CLI) + "\"" + arguments + " > /dev/full 2> /dev/null").c_str());
    ASSERT_TRUE(WIFEXITED(status)) << command;
    EXPECT_EQ(WEXITSTATUS(status), 1) << command;
  }
}

TEST(CliRun, SameInputsGiveByteIdenticalCsvFiles) {
  const auto a = test::fresh_temp_dir("det-a"), b = test::fresh_temp_dir("det-b");
  const std::string scenario = quoted(test::scenario_path("reference_caesarean.toml"));
  ASSERT_EQ(test::run_cli("run " + scenario + " -q --out " + quoted(a)).exit_code, 0);
  ASSERT_EQ(test::run_cli("run " + scenario + " -q --out " + quoted(b)).exit_code, 0);
  for (const char* file : {"timeseries.csv", "daily.csv"}) {
    EXPECT_EQ(test::read_file(a / "reference_caesarean" / file), test::read_file(b / "reference_caesarean" / file));
  }
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(CliRun, SetOverridesReachTheModelAndAreRecorded) {
  const auto out = test::fresh_temp_dir("set");
  const auto r = test::run_cli("run " + quoted(test::scenario_path("seed_case_massage.toml")) +
                               " --set massage_ot_rise_uU_ml=0 -q --out " + quoted(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string summary = test::read_file(out / "seed_case_massage" / "summary.json");
  const auto at = summary.find("\"name\": \"massage_ot_rise_uU_ml\"");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(summary.substr(at, 200).find("\"value\": 0,"), std::string::npos);
  EXPECT_NE(summary.substr(at, 200).find("<command line>"), std::string::npos);
  fs::remove_all(out);
}

TEST(CliErrors, BadScenarioExitsTwoNamingFileLineAndFieldAndWritesNothing) {
  const auto dir = test::fresh_temp_dir("bad");
  const auto bad = dir / "bad.toml";
  test::write_text(bad, "[scenario]\nname = \"x\"\nduration_days = 7\n[delivery]\nmode = \"vaginal\"\n"
                        "[[feeds]]\nevery_h = 3\nduration_min = -1\n");
  const auto out = dir / "out";
  // A good scenario first: nothing of it may be written either.
  const auto r = test::run_cli("run " + quoted(test::scenario_path("seed_case_control.toml")) + " " + quoted(bad) +
                               " --out " + quoted(out));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.toml:8"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("feeds[0].duration_min"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  fs::remove_all(dir);
}

TEST(CliErrors, BadArgumentsExitTwo) {
  const std::string scenario = quoted(test::scenario_path("seed_case_control.toml"));
  EXPECT_EQ(test::run_cli("run " + scenario + " --set nonsense=1").exit_code, 2);
  const auto rtol = test::run_cli("run " + scenario + " --rtol 0.5 -q --out /nonexistent/never");
  EXPECT_EQ(rtol.exit_code, 2);
  EXPECT_NE(rtol.err.find("<command line>: --rtol: must be a finite number in (0, 0.1]"), std::string::npos)
      << rtol.err;  // the library's argument "rtol", named by its flag
  EXPECT_EQ(test::run_cli("run " + scenario + " --no-such-flag").exit_code, 2);
  EXPECT_EQ(test::run_cli("run /nonexistent/file.toml").exit_code, 2);
  EXPECT_EQ(test::run_cli("frobnicate").exit_code, 2);
  EXPECT_EQ(test::run_cli("").exit_code, 2);  // a subcommand is required
  EXPECT_EQ(test::run_cli("params --format xml").exit_code, 2);
}

TEST(CliErrors, SimulationFailureExitsThreeAndWritesNothing) {
  const auto out = test::fresh_temp_dir("fail");
  fs::remove_all(out);
  // An unattainable tolerance drives the step size below its underflow limit.
  const auto r = test::run_cli("run " + quoted(test::scenario_path("seed_case_control.toml")) +
                               " --rtol 1e-300 --atol 1e-300 --out " + quoted(out));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("simulation failed at t = "), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(CliHelp, DocumentsTheExitCodes) {
  const auto r = test::run_cli("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* line : {"0  success", "2  bad input", "3  simulation failure"}) {
    EXPECT_NE(r.out.find(line), std::string::npos) << line;
  }
}

// --plot draws what it can after the results are written; a figure it cannot draw from them
// is one note on stderr, never a failed command (a script with check=True must not die).
TEST(CliPlot, AFigureThatCannotBeDrawnIsANoteAndTheExitCodeStaysZero) {
  const auto dir = test::fresh_temp_dir("plot-note");
  test::write_text(dir / "s.toml", test::short_vaginal_scenario_toml("s"));
  const std::string scenario = quoted(dir / "s.toml");
  struct Case {
    std::string arguments;
    fs::path out;
    const char* why;  // a fragment of the reason the note gives
  };
  const std::vector<Case> cases = {
      // (a sweep of one parameter is drawn: a scan; of three, nothing)
      {"sweep " + scenario + " --vary pain_peak_nrs=4:8 --vary ot_feed_rise_uU_ml=2:10 --vary ot_half_life_min=2:4 "
       "--design grid -n 8 -j 1", dir / "three" / "sweep.csv", "needs 1 parameter (a scan) or 2 (a heat map)"},
      {"sweep " + scenario + " --vary pain_peak_nrs=4:8 --vary ot_feed_rise_uU_ml=2:10 -n 4 -j 1",
       dir / "lhs" / "sweep.csv", "not a full grid"},
      {"compare " + scenario + " -j 1", dir / "cmp" / "compare.csv", "no population columns"},
  };
  for (const Case& c : cases) {
    const auto r = test::run_cli(c.arguments + " -q --plot -o " + quoted(c.out));
    EXPECT_EQ(r.exit_code, 0) << c.arguments << "\n" << r.err;
    EXPECT_TRUE(fs::is_regular_file(c.out)) << c.arguments;
    // The plot library's note for a recognised input it cannot draw ("lactsim: note: FILE: why"),
    // or the command's for any other figure it cannot draw ("lactsim: no figure drawn: why").
    const auto at = std::min(r.err.find("lactsim: note: "), r.err.find("lactsim: no figure drawn: "));
    ASSERT_NE(at, std::string::npos) << c.arguments << "\n" << r.err;
    EXPECT_EQ(r.err.find("lactsim: ", at + 1), std::string::npos) << "one note only\n" << r.err;
    EXPECT_NE(r.err.find(c.why, at), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("error"), std::string::npos) << r.err;
  }
  fs::remove_all(dir);
}

// A command's own help footer replaces the general one, so each must carry the exit codes.
TEST(CliHelp, EveryCommandsHelpDocumentsTheExitCodes) {
  for (const char* command : {"run", "check", "params", "fit", "calibrate-population", "plot", "compare", "population",
                              "sweep", "sensitivity", "merge"}) {
    const auto r = test::run_cli(std::string(command) + " --help");
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find("Exit codes"), std::string::npos) << command << " --help:\n" << r.out;
    EXPECT_NE(r.out.find("bad input"), std::string::npos) << command << " --help:\n" << r.out;
  }
}

// run_cli's stderr is a pipe, not a terminal: without --progress nothing is reported; with it,
// every line is machine-readable, counts never go back and the last one says all are done.
TEST(CliProgress, TheFlagForcesParseableProgressLinesWhenStderrIsNotATerminal) {
  const auto dir = test::fresh_temp_dir("progress");
  test::write_text(dir / "s.toml", test::short_vaginal_scenario_toml("s"));
  test::write_text(dir / "pop.toml", test::short_vaginal_scenario_toml("pop") +
                                         "\n[population]\nsize = 6\nseed = 3\n[population.variability]\n"
                                         "activation_rate_per_h = 0.3\n");
  const std::string scenario = quoted(dir / "s.toml"), population = quoted(dir / "pop.toml");
  struct Case {
    std::string arguments;
    std::string unit;
    std::size_t total;  // items the command reports on, from its arguments
  };
  const std::vector<Case> cases = {
      {"sweep " + scenario + " --vary pain_peak_nrs=4:8 --design grid -n 5 -j 1 -o " + quoted(dir / "sweep.csv"), "sims", 5},
      {"population " + population + " -j 1 -o " + quoted(dir / "pop"), "mothers", 6},
      {"compare " + population + " -j 1 -o " + quoted(dir / "compare.csv"), "mothers", 6},
      {"sensitivity " + scenario + " --method morris -n 3 -j 1 --vary pain_peak_nrs=4:8 -o " + quoted(dir / "m.csv"),
       "trajectories", 3},
  };
  const std::regex line_format(R"(progress: (\d+)/(\d+) ([a-z ]+) \((\d+\.\d)%\))");
  for (const Case& c : cases) {
    const auto silent = test::run_cli(c.arguments + " -q");
    ASSERT_EQ(silent.exit_code, 0) << c.arguments << "\n" << silent.err;
    EXPECT_EQ(silent.err.find("progress"), std::string::npos) << silent.err;

    const auto r = test::run_cli(c.arguments + " -q --progress");
    ASSERT_EQ(r.exit_code, 0) << c.arguments << "\n" << r.err;
    std::istringstream lines(r.err);
    std::string line;
    std::size_t previous = 0, count = 0, last_done = 0;
    while (std::getline(lines, line)) {
      std::smatch m;
      ASSERT_TRUE(std::regex_match(line, m, line_format)) << c.arguments << ": '" << line << "'";
      const std::size_t done = std::stoul(m[1]), total = std::stoul(m[2]);
      EXPECT_EQ(total, c.total) << line;
      EXPECT_EQ(m[3].str(), c.unit) << line;
      EXPECT_GE(done, previous) << line;
      EXPECT_NEAR(std::stod(m[4]), 100.0 * static_cast<double>(done) / static_cast<double>(total), 0.05) << line;
      previous = last_done = done;
      ++count;
    }
    EXPECT_GE(count, 1u) << c.arguments;
    EXPECT_EQ(last_done, c.total) << c.arguments << "\n" << r.err;
  }
  fs::remove_all(dir);
}

// fit has no total to count to: its --progress lines name the stage and the evaluations so far.
TEST(CliProgress, FitReportsItsStageAsLinesWhenStderrIsNotATerminal) {
  const auto dir = test::fresh_temp_dir("fit-progress");
  const std::string fit = "fit " + quoted(test::scenario_path("reference_vaginal.toml")) +
                          " --free ot_feed_rise_uU_ml --max-iterations 5 -q -o " + quoted(dir / "fit");
  const auto silent = test::run_cli(fit);
  ASSERT_EQ(silent.exit_code, 0) << silent.err;
  EXPECT_EQ(silent.err.find("progress"), std::string::npos) << silent.err;
  const auto r = test::run_cli(fit + " --progress");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::regex line_format(R"(progress: start \d+/\d+: \d+ evaluations, best chi-square \S+)");
  std::istringstream lines(r.err);
  std::string line;
  std::size_t count = 0;
  while (std::getline(lines, line)) {
    EXPECT_TRUE(std::regex_match(line, line_format)) << "'" << line << "'";
    ++count;
  }
  EXPECT_GE(count, 1u) << r.err;
  fs::remove_all(dir);
}

TEST(CliParams, ListsEveryRegisteredParameterInEachFormat) {
  const auto csv = test::run_cli("params --format csv");
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(static_cast<std::size_t>(std::count(csv.out.begin(), csv.out.end(), '\n')),
            model::parameter_registry().size() + 1);
  const auto json = test::run_cli("params --format json");
  ASSERT_EQ(json.exit_code, 0);
  const auto table = test::run_cli("params");
  for (const auto& info : model::parameter_registry()) {
    EXPECT_NE(json.out.find("\"" + std::string(info.name) + "\""), std::string::npos) << info.name;
    EXPECT_NE(table.out.find(std::string(info.name)), std::string::npos) << info.name;
    EXPECT_NE(table.out.find(std::string(info.display_name)), std::string::npos) << info.name;
    EXPECT_NE(json.out.find("\"display_name\": \"" + std::string(info.display_name) + "\""), std::string::npos) << info.name;
  }
}

TEST(CliCheck, PrintsTheExpandedTimeline) {
  const auto r = test::run_cli("check " + quoted(test::scenario_path("seed_case_massage.toml")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("OK"), std::string::npos);
  // Born 10:00: day 1's 17:00 massage is 7 h after birth.
  EXPECT_NE(r.out.find("massage     1     7.000     7.250  17:00      15.0  line 27"), std::string::npos) << r.out;
  // Without a clock time of birth there is no clock column (it would read as a time never set).
  const auto dir = test::fresh_temp_dir("check-no-clock");
  test::write_text(dir / "no_clock.toml", test::short_vaginal_scenario_toml("no clock"));
  const auto no_clock = test::run_cli("check " + quoted(dir / "no_clock.toml"));
  ASSERT_EQ(no_clock.exit_code, 0) << no_clock.err;
  EXPECT_NE(no_clock.out.find("feed        1     1.000     1.250      15.0  line 8"), std::string::npos) << no_clock.out;
  EXPECT_NE(no_clock.out.find("  session   day   start_h     end_h   dur_min  schedule\n"), std::string::npos)
      << no_clock.out;
  EXPECT_EQ(no_clock.out.find("born at"), std::string::npos) << no_clock.out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace lactsim

namespace lactsim {
namespace {

TEST(CliParamsFile, EveryAnalysisCommandAcceptsAParameterSetLikeTheEquivalentSet) {
  const auto dir = test::fresh_temp_dir("params");
  const auto params = dir / "params.toml";
  test::write_text(params, "[parameters]\nmassage_relief_half_life_h = 6\n");
  const std::string scenario = quoted(test::scenario_path("seed_case_massage.toml"));
  const std::string control = quoted(test::scenario_path("seed_case_control.toml"));
  const std::string with_file = " --params " + quoted(params), with_set = " --set massage_relief_half_life_h=6";

  const auto compare_file = test::run_cli("compare " + control + " " + scenario + with_file);
  const auto compare_set = test::run_cli("compare " + control + " " + scenario + with_set);
  ASSERT_EQ(compare_file.exit_code, 0) << compare_file.err;
  EXPECT_EQ(compare_file.out, compare_set.out);
  EXPECT_NE(compare_file.out, test::run_cli("compare " + control + " " + scenario).out) << "the file had no effect";

  const std::string sweep = "sweep " + scenario + " --vary massage_pain_relief_fraction=0:1 --design grid -n 3 -q --out ";
  ASSERT_EQ(test::run_cli(sweep + quoted(dir / "a.csv") + with_file).exit_code, 0);
  ASSERT_EQ(test::run_cli(sweep + quoted(dir / "b.csv") + with_set).exit_code, 0);
  EXPECT_EQ(test::read_file(dir / "a.csv"), test::read_file(dir / "b.csv"));

  const std::string sensitivity = "sensitivity " + scenario +
                                  " --method morris --vary massage_pain_relief_fraction=0:1 -n 4 -q --out ";
  ASSERT_EQ(test::run_cli(sensitivity + quoted(dir / "m1.csv") + with_file).exit_code, 0);
  ASSERT_EQ(test::run_cli(sensitivity + quoted(dir / "m2.csv") + with_set).exit_code, 0);
  EXPECT_EQ(test::read_file(dir / "m1.csv"), test::read_file(dir / "m2.csv"));
  std::filesystem::remove_all(dir);
}

// ---- Case tables: `--observations FILE.csv` (docs/fitting.md §Case series) ----

TEST(CliCaseSeries, FitsEachSubjectOfTheShippedExampleAndWritesTheTableSummaryAndManifest) {
  const auto out = test::fresh_temp_dir("case_fit");
  const auto dir = test::scenario_path("case_series");
  const auto r = test::run_cli("fit " + quoted(dir / "mother_A.toml") + " " + quoted(dir / "mother_B.toml") +
                               " --observations " + quoted(dir / "cases.csv") +
                               " --free milk_max_synthesis_ml_h -q --out " + quoted(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string table = test::read_file(out / "per_subject.csv");
  EXPECT_EQ(table.substr(0, table.find('\n')),
            "subject,scenario,parameter,unit,shared,estimate,se,ci_low,ci_high,at_bound,chi_square,points,status,detail");
  EXPECT_NE(table.find("\nmother_A,mother_A,milk_max_synthesis_ml_h,mL/h,0,"), std::string::npos) << table;
  EXPECT_NE(table.find("\nmother_B,mother_B,milk_max_synthesis_ml_h,mL/h,0,"), std::string::npos) << table;
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 3);
  const std::string summary = test::read_file(out / "summary.json");
  EXPECT_NE(summary.find("\"across_subjects\""), std::string::npos);
  EXPECT_NE(summary.find("\"subjects_ok\": 2"), std::string::npos) << summary;
  EXPECT_NE(test::read_file(out / "manifest.json").find("cases.csv"), std::string::npos);
  EXPECT_TRUE(fs::exists(out / "observed.csv"));
  // First colostrum (an event time) gets its own panel rows: the model's time (the first 6-hourly
  // check, 4 h after birth) beside the table's 10 ± 3 h for mother B.
  const std::string panels = test::read_file(out / "subject_fit_panels.csv");
  EXPECT_NE(panels.find("\nmother_B,first_colostrum_time,h,event,0.85,simulated,4,\n"), std::string::npos) << panels;
  EXPECT_NE(panels.find("\nmother_B,first_colostrum_time,h,event,1.15,observed,10,3\n"), std::string::npos) << panels;
}

TEST(CliCaseSeries, AnEstimateOnItsBoundIsFlaggedInTheTableAndOnTheConsole) {
  // Mother A's data want ~60 mL/h; a bound of 40 holds her estimate on it, mother B's (~30) not.
  const auto out = test::fresh_temp_dir("case_fit_bound");
  const auto dir = test::scenario_path("case_series");
  const auto r = test::run_cli("fit " + quoted(dir / "mother_A.toml") + " " + quoted(dir / "mother_B.toml") +
                               " --observations " + quoted(dir / "cases.csv") +
                               " --free milk_max_synthesis_ml_h --bound milk_max_synthesis_ml_h=5:40 --set milk_max_synthesis_ml_h=35 --out " +
                               quoted(out / "fit"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string table = test::read_file(out / "fit" / "per_subject.csv");
  const auto row_of = [&](const std::string& subject) {
    const std::size_t start = table.find("\n" + subject + ",") + 1;
    return table.substr(start, table.find('\n', start) - start);
  };
  const auto at_bound_cell = [](const std::string& row) {  // the 10th column
    std::size_t at = 0;
    for (int comma = 0; comma < 9; ++comma) at = row.find(',', at) + 1;
    return row.substr(at, row.find(',', at) - at);
  };
  EXPECT_EQ(at_bound_cell(row_of("mother_A")), "1") << table;
  EXPECT_EQ(at_bound_cell(row_of("mother_B")), "0") << table;
  const auto console_line = [&](const std::string& subject) {
    const std::size_t start = r.out.find("\n" + subject + " ") + 1;
    return r.out.substr(start, r.out.find('\n', start) - start);
  };
  EXPECT_NE(console_line("mother_A").find("ok (at bound: SE unreliable)"), std::string::npos) << r.out;
  EXPECT_EQ(console_line("mother_B").find("at bound"), std::string::npos) << r.out;
}

TEST(CliCaseSeries, BadTablesAndUnclaimedSubjectsExitTwoNamingFileAndLineAndWriteNothing) {
  const auto dir = test::fresh_temp_dir("case_errors");
  const auto shipped = test::scenario_path("case_series");
  const std::string scenarios = quoted(shipped / "mother_A.toml") + " " + quoted(shipped / "mother_B.toml");
  struct Case {
    std::string table, expected;
  };
  const std::vector<Case> cases = {
      {"subject,quantity,day,time_h,value,unit,sd\nmother_A,infant_weight,1,,3075,lb,20\n", "bad.csv:2: unit:"},
      {"subject,quantity,day,time_h,value,unit,sd\nmother_A,infant_weight,1,,3075,g,20\nmother_B,infant_weight,1,,3300,g,20\n"
       "mother_C,infant_weight,1,,3300,g,20\n",
       "bad.csv:4: subject: no scenario claims subject 'mother_C'"},
  };
  for (const Case& c : cases) {
    test::write_text(dir / "bad.csv", c.table);
    const auto out = dir / "out";
    const auto r = test::run_cli("fit " + scenarios + " --observations " + quoted(dir / "bad.csv") +
                                 " --free milk_max_synthesis_ml_h -q --out " + quoted(out));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
  }
  // `run` takes one subject's rows (--subject here) and ignores the others'.
  test::write_text(dir / "two.csv", "subject,quantity,day,time_h,value,unit,sd\nX,infant_weight,2,,3000,g,20\n"
                                    "Y,infant_weight,2,,3100,g,20\n");
  const auto run_out = dir / "run";
  const auto r = test::run_cli("run " + quoted(test::scenario_path("seed_case_control.toml")) + " --observations " +
                               quoted(dir / "two.csv") + " --subject Y -q --out " + quoted(run_out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string observed = test::read_file(run_out / "seed_case_control" / "observed.csv");
  EXPECT_NE(observed.find(",infant_weight,g,2,,3100,"), std::string::npos) << observed;
  EXPECT_EQ(observed.find(",3000,"), std::string::npos) << observed;
  // Without a subject (no key, no --subject) it is bad input.
  const auto none = test::run_cli("run " + quoted(test::scenario_path("seed_case_control.toml")) + " --observations " +
                                  quoted(dir / "two.csv") + " -q --out " + quoted(dir / "none"));
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("seed_case_control.toml: scenario.subject: no subject"), std::string::npos) << none.err;
}

// `--subject ""` used to be taken as no --subject (the scenario's own key was used, exit 0), and
// a newline in it reached the error message raw. Both are bad input, named as the flag.
TEST(CliCaseSeries, AnEmptyOrControlCharacterSubjectFlagIsBadInput) {
  const auto dir = test::fresh_temp_dir("case_subject_flag");
  const auto cases = test::scenario_path("case_series");
  int attempt = 0;
  for (const std::string flag : {"''", "'mother_B\nX'", "' mother_B'"}) {  // sh: a newline inside '' is literal
    const auto out = dir / ("out" + std::to_string(++attempt));
    const auto r = test::run_cli("run " + quoted(cases / "mother_A.toml") + " --observations " +
                                 quoted(cases / "cases.csv") + " --subject " + flag + " -q --out " + quoted(out));
    EXPECT_EQ(r.exit_code, 2) << flag << ": " << r.err;
    EXPECT_NE(r.err.find("--subject"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("mother_B\n"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out)) << flag;
  }
}

TEST(CliCaseSeries, SubjectsThatAllFailAreTabledAndExitThree) {
  const auto dir = test::fresh_temp_dir("case_all_failed");
  test::write_text(dir / "one.csv", "subject,quantity,day,time_h,value,unit,sd\nX,infant_weight,2,,3000,g,20\n");
  const auto out = dir / "out";
  const auto r = test::run_cli("fit " + quoted(test::scenario_path("seed_case_control.toml")) + " --observations " +
                               quoted(dir / "one.csv") + " --subject X --free milk_max_synthesis_ml_h,infant_loss_g_kg_h -q "
                               "--out " + quoted(out));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("subject X: failed: 1 observations for 2 free parameters"), std::string::npos) << r.err;
  EXPECT_NE(test::read_file(out / "per_subject.csv").find(",failed,"), std::string::npos);
}

}  // namespace
}  // namespace lactsim
