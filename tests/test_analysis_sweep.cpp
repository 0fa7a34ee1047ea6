// Sweeps: fast path vs the reference path, thread/shard independence, failed samples,
// streamed CSV outputs and the CLI's bad-input behaviour.

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <sstream>

#include "lactsim/engine/fast_endpoints.hpp"
#include "lactsim/io/streaming_output.hpp"
#include "lactsim/analysis/sweep.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

const char* const kShipped[] = {"seed_case_massage.toml", "seed_case_control.toml", "reference_vaginal.toml",
                                "reference_caesarean.toml"};

TEST(AnalysisSweep, FastPathMatchesReferencePathOnShippedScenarios) {
  for (const char* file : kShipped) {
    const Scenario scenario = test::load_shipped(file);
    const SimulationInput input = to_simulation_input(scenario);
    RunOptions reference_options;
    reference_options.output_step_h = 0.0;  // same segments as the fast path
    const Endpoints reference = simulate(input, reference_options).endpoints;
    FastWorkspace workspace;
    const Endpoints fast = simulate_endpoints(input, SolverOptions{}, workspace);
    ASSERT_EQ(reference.onset_h.has_value(), fast.onset_h.has_value()) << file;
    if (reference.onset_h) {
      EXPECT_NEAR(*fast.onset_h, *reference.onset_h, 1e-9) << file;
    }
    ASSERT_EQ(fast.milk_transferred_ml_by_day.size(), reference.milk_transferred_ml_by_day.size()) << file;
    for (std::size_t d = 0; d < fast.milk_transferred_ml_by_day.size(); ++d) {
      EXPECT_NEAR(fast.milk_transferred_ml_by_day[d], reference.milk_transferred_ml_by_day[d], 1e-9) << file << " day " << d + 1;
    }
    EXPECT_NEAR(fast.milk_transferred_total_ml, reference.milk_transferred_total_ml, 1e-9) << file;

    // The timeseries grid is sampled from the dense output, not integrated to, and both paths
    // use the same endpoint recorder: with the default 5-min grid the endpoints are the same
    // bits (they differed at ~1e-6 while grid times were segment edges).
    EXPECT_TRUE(simulate(input, RunOptions{}).endpoints == fast) << file;
  }
}

TEST(AnalysisSweep, FeedPeaksAgreeWithAOneMinuteTimeseries) {
  const Scenario scenario = test::load_shipped("seed_case_massage.toml");
  const SimulationInput input = to_simulation_input(scenario);
  RunOptions fine;
  fine.output_step_h = 1.0 / 60.0;
  const RunResult run = simulate(input, fine);
  // Reference: the same definition (peak within 2 h of each feed start), read off the grid.
  double sum_prl = 0, sum_ot = 0;
  int feeds = 0;
  for (const Session& s : input.sessions) {
    if (s.kind != SessionKind::feed) continue;
    double prl = 0, ot = 0;
    for (const auto& row : run.timeseries) {
      if (row.time_h <= s.start_h || row.time_h > s.start_h + kFeedResponseWindow_h) continue;
      prl = std::max(prl, row.derived.prolactin_total_ng_ml);
      ot = std::max(ot, row.state[model::state::oxytocin]);
    }
    sum_prl += prl;
    sum_ot += ot;
    ++feeds;
  }
  FastWorkspace workspace;
  const Endpoints fast = simulate_endpoints(input, SolverOptions{}, workspace);
  EXPECT_EQ(fast.feeds, feeds);
  EXPECT_NEAR(fast.prl_peak_per_feed_ng_ml, sum_prl / feeds, 0.02 * sum_prl / feeds);
  EXPECT_NEAR(fast.ot_peak_per_feed_uU_ml, sum_ot / feeds, 0.02 * sum_ot / feeds);
}

std::string sweep_csv(const Design& design, unsigned threads, Shard shard = {}, std::size_t block = 1024) {
  const SimulationInput input = to_simulation_input(test::load_shipped("seed_case_massage.toml"));
  SweepOptions options;
  options.threads = threads;
  options.shard = shard;
  options.block_size = block;
  std::ostringstream out;
  CsvSweepSink sink(out);
  run_sweep(input, design, options, sink);
  return out.str();
}

Design small_lhs() {
  return Design::generated(DesignKind::lhs,
                           {parse_parameter_range("massage_ot_rise_uU_ml=0:10", {}),
                            parse_parameter_range("activation_rate_per_h=0.05:0.2:log", {})},
                           24, 5);
}

TEST(AnalysisSweep, OutputIsIdenticalForOneAndTwoThreadsAndAnyBlockSize) {
  const Design design = small_lhs();
  const std::string one = sweep_csv(design, 1);
  EXPECT_EQ(one, sweep_csv(design, 2));
  EXPECT_EQ(one, sweep_csv(design, 2, {}, 5));
  EXPECT_EQ(std::count(one.begin(), one.end(), '\n'), 25);
}

TEST(AnalysisSweep, ShardsMergeIntoTheUnshardedOutput) {
  const Design design = small_lhs();
  const auto dir = test::fresh_temp_dir("analysis_shards");
  std::vector<std::filesystem::path> files;
  for (std::size_t i : {2u, 0u, 1u}) {  // any order
    const auto path = dir / ("shard" + std::to_string(i) + ".csv");
    test::write_text(path, sweep_csv(design, 2, Shard{i, 3}));
    files.push_back(path);
  }
  EXPECT_EQ(merge_shard_csvs(files), sweep_csv(design, 1));
  EXPECT_EQ(merge_shard_csvs(files, design.size()), sweep_csv(design, 1));
  // Without the last shard (sample indices 16..23 of 24) there is no gap: only the expected
  // sample count reveals it.
  const std::vector<std::filesystem::path> without_last{files[1], files[2]};
  EXPECT_NO_THROW(merge_shard_csvs(without_last));
  try {
    merge_shard_csvs(without_last, design.size());
    FAIL() << "a missing last shard must be reported when the sample count is given";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "expected_samples") << e.what();
    EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos) << e.what();
  }
  files.pop_back();  // a missing middle shard is reported, naming the gap
  try {
    merge_shard_csvs(files);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos) << e.what();
  }
}

TEST(AnalysisSweep, PoisonedSampleIsReportedAndTheSweepContinues) {
  const auto dir = test::fresh_temp_dir("analysis_poison");
  test::write_text(dir / "sets.csv",
                   "massage_ot_rise_uU_ml,ot_half_life_min\n2,4\n3,-1\n4,4\n");
  const Design design = Design::from_csv(dir / "sets.csv");
  const std::string csv = sweep_csv(design, 2);
  std::istringstream in(csv);
  std::string header, row0, row1, row2;
  std::getline(in, header);
  std::getline(in, row0);
  std::getline(in, row1);
  std::getline(in, row2);
  EXPECT_TRUE(row0.starts_with("0,ok,2,4,")) << row0;
  EXPECT_TRUE(row1.starts_with("1,failed,3,-1,")) << row1;
  EXPECT_NE(row1.find("ot_half_life_min"), std::string::npos) << row1;
  EXPECT_TRUE(row2.starts_with("2,ok,4,4,")) << row2;
}

TEST(AnalysisSweep, CliStreamsCsvAndRejectsBadInputWithoutOutput) {
  const auto dir = test::fresh_temp_dir("analysis_cli");
  const std::string scenario = test::scenario_path("seed_case_massage.toml").string();
  auto ok = test::run_cli("sweep " + scenario + " --vary massage_ot_rise_uU_ml=0:10 --design sobol -n 4 -j 2 -q --out " +
                          (dir / "s.csv").string());
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const std::string csv = test::read_file(dir / "s.csv");
  EXPECT_TRUE(csv.starts_with("sample,status,massage_ot_rise_uU_ml,onset_h,milk_day1_ml")) << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);

  auto bad = test::run_cli("sweep " + scenario + " --vary massage_ot_rise=0:10 -n 4 --out " + (dir / "bad.csv").string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--vary massage_ot_rise=0:10: unknown parameter"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.csv"));
  std::set<std::string> names;  // only the good run's result and its manifest
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.insert(entry.path().filename().string());
  EXPECT_EQ(names, (std::set<std::string>{"s.csv", "s.csv.manifest.json"}));

  test::write_text(dir / "sets.csv", "massage_ot_rise_uU_ml\n1\nabc\n");
  auto bad_file = test::run_cli("sweep " + scenario + " --design file:" + (dir / "sets.csv").string());
  EXPECT_EQ(bad_file.exit_code, 2);
  EXPECT_NE(bad_file.err.find("sets.csv:3:1: massage_ot_rise_uU_ml: 'abc' is not a finite number"), std::string::npos)
      << bad_file.err;

  // A design file sets the number of samples itself: -n would be silently ignored, so it is refused.
  test::write_text(dir / "two_sets.csv", "massage_ot_rise_uU_ml\n1\n2\n");
  for (const char* samples : {" -n 5", " --samples 5"}) {
    auto with_n = test::run_cli("sweep " + scenario + " --design file:" + (dir / "two_sets.csv").string() + samples +
                                " -q --out " + (dir / "n.csv").string());
    EXPECT_EQ(with_n.exit_code, 2) << samples;
    EXPECT_NE(with_n.err.find("--samples: not used with --design file:PATH"), std::string::npos) << with_n.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "n.csv"));
  }

  auto merged = test::run_cli("merge " + (dir / "s.csv").string());
  EXPECT_EQ(merged.exit_code, 0);
  EXPECT_EQ(merged.out, csv);
}

TEST(AnalysisSweep, CliMergeRefusesShardsOfOtherSweepsBadCellsAndAnOutputThatIsAnInput) {
  namespace fs = std::filesystem;
  const auto dir = test::fresh_temp_dir("analysis_merge_checks");
  const std::string scenario = test::scenario_path("seed_case_massage.toml").string();
  auto sweep = [&](const std::string& name, const std::string& shard, const std::string& extra) {
    const auto r = test::run_cli("sweep " + scenario + " --vary massage_ot_rise_uU_ml=0:10 -n 6 -q --shard " + shard +
                                 " " + extra + " --out " + (dir / name).string());
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
  };
  sweep("a1.csv", "1/2", "--design sobol");
  sweep("a2.csv", "2/2", "--design sobol");
  sweep("other_set.csv", "2/2", "--design sobol --set pain_peak_nrs=3");
  sweep("other_design.csv", "2/2", "--design lhs");
  const std::string a1 = test::read_file(dir / "a1.csv"), a2 = test::read_file(dir / "a2.csv");
  auto merge = [&](const std::string& arguments) { return test::run_cli("merge " + arguments); };
  const std::string a1_path = (dir / "a1.csv").string(), a2_path = (dir / "a2.csv").string();
  const auto good = merge(a1_path + " " + a2_path);
  ASSERT_EQ(good.exit_code, 0) << good.err;

  // The last shard missing: the count recorded in the manifest reveals it, and the message
  // names that file (not a --samples flag the user never gave).
  const auto without_last = merge(a1_path);
  EXPECT_EQ(without_last.exit_code, 2) << without_last.err;
  EXPECT_NE(without_last.err.find("a1.csv.manifest.json"), std::string::npos) << without_last.err;
  EXPECT_EQ(without_last.err.find("--samples"), std::string::npos) << without_last.err;

  for (const auto& [name, differs] : {std::pair<std::string, std::string>{"other_set.csv", "set"},
                                      std::pair<std::string, std::string>{"other_design.csv", "design"}}) {
    const auto r = merge(a1_path + " " + (dir / name).string());
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_NE(r.err.find(name), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(differs + ": "), std::string::npos) << r.err;
  }

  // A copy of shard 2 (with its manifest) with one bad cell or one row cut short.
  auto edited_copy = [&](const std::string& name, int line, auto edit) {
    std::vector<std::string> lines;
    std::istringstream in(a2);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    edit(lines[static_cast<std::size_t>(line - 1)]);
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    test::write_text(dir / name, text);
    fs::copy_file(dir / "a2.csv.manifest.json", dir / (name + ".manifest.json"));
    return (dir / name).string();
  };
  const std::string not_a_number = edited_copy("nan_cell.csv", 3, [](std::string& l) {
    const std::size_t second = l.find(',', l.find(',') + 1);  // the parameter column
    l.replace(second + 1, l.find(',', second + 1) - second - 1, "abc");
  });
  const std::string short_row = edited_copy("short_row.csv", 2, [](std::string& l) { l.resize(l.rfind(',', l.rfind(',') - 1)); });
  for (const auto& [file, where] : {std::pair{not_a_number, std::string("nan_cell.csv:3")},
                                    std::pair{short_row, std::string("short_row.csv:2")}}) {
    const auto r = merge(a1_path + " " + file + " --out " + (dir / "merged.csv").string());
    EXPECT_EQ(r.exit_code, 2) << file;
    EXPECT_NE(r.err.find(where), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "merged.csv"));
  }

  // --out naming an input, directly, through ./ or through a symlink: refused, inputs untouched.
  fs::create_symlink(dir / "a2.csv", dir / "link.csv");
  for (const std::string& out : {a1_path, (dir / "." / "a2.csv").string(), (dir / "link.csv").string()}) {
    const auto r = merge(a1_path + " " + a2_path + " --out " + out);
    EXPECT_EQ(r.exit_code, 2) << out;
    EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
    EXPECT_EQ(test::read_file(dir / "a1.csv"), a1);
    EXPECT_EQ(test::read_file(dir / "a2.csv"), a2);
    EXPECT_TRUE(fs::is_symlink(dir / "link.csv"));
  }
}

TEST(AnalysisSweep, CliSensitivityAndCompareRunOnShippedScenarios) {
  const std::string massage = test::scenario_path("seed_case_massage.toml").string();
  const std::string control = test::scenario_path("seed_case_control.toml").string();
  auto morris = test::run_cli("sensitivity " + massage +
                              " --method morris --vary massage_ot_rise_uU_ml=0:10 --vary activation_rate_per_h=0.05:0.2 "
                              "-n 4 -j 2 -e milk_day3_ml");
  ASSERT_EQ(morris.exit_code, 0) << morris.err;
  EXPECT_NE(morris.out.find("activation_rate_per_h"), std::string::npos);
  auto sobol = test::run_cli("sensitivity " + massage + " --vary massage_ot_rise_uU_ml=0:10 -n 8 -j 2 -e nonsense");
  EXPECT_EQ(sobol.exit_code, 2);
  EXPECT_NE(sobol.err.find("unknown endpoint 'nonsense'"), std::string::npos) << sobol.err;
  auto compare = test::run_cli("compare " + control + " " + massage);
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  EXPECT_NE(compare.out.find("milk_day3_ml"), std::string::npos);
}

TEST(AnalysisSweep, CliSensitivityGivesAnEndpointThatDoesNotVaryEmptyCellsNotNan) {
  // The control scenario has no pumping and no massage, so no endpoint moves with these two
  // parameters: every index is undefined (0/0), and the CSV carried "nan" where a reader
  // expects a number or an empty (undefined) cell.
  const auto dir = test::fresh_temp_dir("sensitivity-constant");
  const auto r = test::run_cli("sensitivity " + test::scenario_path("seed_case_control.toml").string() +
                               " --vary massage_ot_rise_uU_ml=0:10 --vary pump_removal_rate_per_h=1:10 -n 8"
                               " --bootstrap 10 -q --out " + (dir / "s.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = test::read_file(dir / "s.csv");
  EXPECT_EQ(csv.find("nan"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("inf"), std::string::npos) << csv;
  EXPECT_NE(csv.find("milk_day3_ml,massage_ot_rise_uU_ml,first,,,"), std::string::npos) << csv;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lactsim
