// The library as a program (Python, a script) calls it: sweeps into memory sinks, in-memory
// designs, cancellation tokens, scenario sensitivity returning indices, and errors that name
// the library's arguments (the CLI maps them to its flags).

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/parameter_set.hpp"
#include "lactsim/io/resume.hpp"
#include "lactsim/io/run_scenarios.hpp"
#include "lactsim/analysis/scenario_sensitivity.hpp"
#include "lactsim/analysis/sweep.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;

SimulationInput seed_input() { return to_simulation_input(test::load_shipped("seed_case_massage.toml")); }

Design two_parameter_lhs(std::size_t samples) {
  return Design::generated(DesignKind::lhs,
                           {parse_parameter_range("massage_ot_rise_uU_ml=0:10", {}),
                            parse_parameter_range("activation_rate_per_h=0.05:0.2:log", {})},
                           samples, 5);
}

std::vector<std::vector<std::string>> csv_cells(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream fields(line);
    while (std::getline(fields, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  return rows;
}

/// Counts the blocks a sweep hands over.
class CountingSink final : public SweepSink {
 public:
  void begin(const std::vector<std::string>&, const std::vector<std::string>&) override {}
  void write(std::span<const SweepRow> rows) override {
    block_sizes.push_back(rows.size());
    for (const SweepRow& row : rows) samples.push_back(row.sample);
  }
  std::vector<std::size_t> block_sizes, samples;
};

TEST(LibraryApi, SweepIntoMemoryHoldsTheCsvRows) {
  const Design design = two_parameter_lhs(12);
  SweepOptions options;
  options.threads = 2;
  options.block_size = 5;
  std::ostringstream text;
  CsvSweepSink csv(text);
  run_sweep(seed_input(), design, options, csv);
  MemorySweepSink memory;
  const SweepSummary summary = run_sweep(seed_input(), design, options, memory);
  EXPECT_EQ(summary.samples, 12u);

  const auto rows = csv_cells(text.str());
  ASSERT_EQ(rows.size(), 13u);
  const std::size_t p = memory.parameter_names.size(), m = memory.endpoint_names.size();
  ASSERT_EQ(p, 2u);
  ASSERT_EQ(rows[0].size(), 2 + p + m + 1);
  for (std::size_t j = 0; j < p; ++j) EXPECT_EQ(rows[0][2 + j], memory.parameter_names[j]);
  for (std::size_t k = 0; k < m; ++k) EXPECT_EQ(rows[0][2 + p + k], memory.endpoint_names[k]);
  ASSERT_EQ(memory.size(), 12u);
  for (std::size_t i = 0; i < memory.size(); ++i) {
    const auto& cells = rows[i + 1];
    EXPECT_EQ(cells[0], std::to_string(memory.samples[i]));
    EXPECT_EQ(cells[1], memory.ok[i] ? "ok" : "failed");
    // The CSV keeps 10 significant digits.
    for (std::size_t j = 0; j < p; ++j) {
      EXPECT_NEAR(std::stod(cells[2 + j]), memory.parameters[i * p + j], 1e-9 * std::abs(memory.parameters[i * p + j]));
    }
    for (std::size_t k = 0; k < m; ++k) {
      const double v = memory.endpoints[i * m + k];
      if (std::isnan(v)) {
        EXPECT_EQ(cells[2 + p + k], "");
      } else {
        EXPECT_NEAR(std::stod(cells[2 + p + k]), v, 1e-9 * std::abs(v) + 1e-300);
      }
    }
  }
}

TEST(LibraryApi, ACancelledTokenStopsTheSweepAtABlockBoundary) {
  const Design design = two_parameter_lhs(24);
  CancellationToken token;
  SweepOptions options;
  options.block_size = 5;
  options.cancel = &token;
  std::vector<std::pair<std::size_t, std::size_t>> progress;
  options.progress = [&](std::size_t done, std::size_t total) {
    progress.emplace_back(done, total);
    if (done >= 10) token.cancel();  // as the CLI's SIGINT handler or Python's Ctrl-C does
  };
  CountingSink sink;
  const SweepSummary summary = run_sweep(seed_input(), design, options, sink);
  EXPECT_TRUE(summary.interrupted);
  EXPECT_EQ(summary.samples, 10u);
  EXPECT_EQ(sink.block_sizes, (std::vector<std::size_t>{5, 5}));
  EXPECT_EQ(progress, (std::vector<std::pair<std::size_t, std::size_t>>{{5, 24}, {10, 24}}));
  // A resumed run (skip the samples done) hands over exactly the rest.
  token.reset();
  options.progress = nullptr;
  options.skip_samples = summary.samples;
  CountingSink rest;
  const SweepSummary second = run_sweep(seed_input(), design, options, rest);
  EXPECT_FALSE(second.interrupted);
  EXPECT_EQ(rest.samples.front(), 10u);
  EXPECT_EQ(rest.samples.back(), 23u);
}

TEST(LibraryApi, AnInMemoryDesignSweepsLikeTheSameCsvDesign) {
  const std::vector<double> values{1.0, 0.1, 5.0, 0.15, 9.0, 0.05};
  const Design in_memory = Design::from_samples({"massage_ot_rise_uU_ml", "activation_rate_per_h"}, values);
  EXPECT_EQ(in_memory.size(), 3u);
  const auto dir = test::fresh_temp_dir("design_samples");
  test::write_text(dir / "design.csv", "massage_ot_rise_uU_ml,activation_rate_per_h\n1,0.1\n5,0.15\n9,0.05\n");
  const Design from_file = Design::from_csv(dir / "design.csv");
  std::ostringstream a, b;
  CsvSweepSink sink_a(a), sink_b(b);
  run_sweep(seed_input(), in_memory, SweepOptions{}, sink_a);
  run_sweep(seed_input(), from_file, SweepOptions{}, sink_b);
  EXPECT_EQ(a.str(), b.str());
  std::filesystem::remove_all(dir);
}

TEST(LibraryApi, InMemoryDesignsAreCheckedLikeFiles) {
  auto field_of = [](const std::vector<std::string>& names, const std::vector<double>& values) {
    try {
      Design::from_samples(names, values);
    } catch (const InputError& e) {
      EXPECT_TRUE(e.names_argument()) << e.what();
      return e.field();
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(field_of({"no_such_parameter"}, {1.0}), "parameter_names");
  EXPECT_EQ(field_of({"activation_rate_per_h", "activation_rate_per_h"}, {0.1, 0.1}), "parameter_names");
  EXPECT_EQ(field_of({}, {}), "parameter_names");
  EXPECT_EQ(field_of({"activation_rate_per_h", "massage_ot_rise_uU_ml"}, {0.1, 1.0, 0.2}), "samples");
  EXPECT_EQ(field_of({"activation_rate_per_h"}, {}), "samples");
  EXPECT_EQ(field_of({"activation_rate_per_h"}, {std::nan("")}), "samples");
}

TEST(LibraryApi, ErrorsNameTheLibraryArgumentNotACliFlag) {
  auto expect_argument = [](auto call, const std::string& field) {
    try {
      call();
      ADD_FAILURE() << "no error for " << field;
    } catch (const InputError& e) {
      EXPECT_TRUE(e.names_argument()) << e.what();
      EXPECT_EQ(e.field(), field) << e.what();
      EXPECT_EQ(std::string(e.what()).find("--"), std::string::npos) << e.what();
    }
  };
  expect_argument([] { parse_shard("3/2"); }, "shard");
  expect_argument([] { parse_design_kind("latin", nullptr); }, "design");
  expect_argument([] { Design::generated(DesignKind::lhs, {}, 10, 1); }, "ranges");
  expect_argument([] { parse_solver_method("rk4"); }, "solver");
  expect_argument([] { solver_options_with_tolerances(0.5, 1e-8, SolverMethod::cascade); }, "rtol");
  expect_argument([] { solver_options_with_tolerances(1e-6, -1.0, SolverMethod::cascade); }, "atol");
  expect_argument(
      [] {
        RunOptions options;
        options.output_step_h = -1.0;
        simulate(seed_input(), options);
      },
      "output_step_h");
  expect_argument([] { parse_parameter_range("massage_ot_rise_uU_ml=2:1", {kArgumentsOrigin, 0, 0}); },
                  "ranges massage_ot_rise_uU_ml=2:1");
  expect_argument([] { load_scenarios({}, {"no_such_parameter=1"}); }, "set_assignments no_such_parameter=1");
}

// An error in a file the library reads is located in that file: file, line when known, and a
// field of the file or none for the whole file — never the flag a front end read its name from.
TEST(LibraryApi, ErrorsInFilesNameTheFileNotACliFlag) {
  const fs::path dir = test::fresh_temp_dir("file-errors");
  auto expect_file = [](auto call, const fs::path& file, int line, const std::string& detail) {
    try {
      call();
      ADD_FAILURE() << "no error for " << file;
    } catch (const InputError& e) {
      EXPECT_EQ(e.where().file, file.string()) << e.what();
      EXPECT_EQ(e.where().line, line) << e.what();
      EXPECT_EQ(e.field(), "") << e.what();
      EXPECT_NE(e.detail().find(detail), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find("--"), std::string::npos) << e.what();
    }
  };
  expect_file([&] { load_parameter_set(dir / "missing.toml"); }, dir / "missing.toml", 0, "cannot open");
  expect_file([&] { Design::from_csv(dir / "missing.csv"); }, dir / "missing.csv", 0, "cannot open");
  // One line over the limit: refused at line 1 of the file.
  test::write_text(dir / "long.toml", std::string(limits::kMaxLineBytes + 1, '#'));
  expect_file([&] { load_parameter_set(dir / "long.toml"); }, dir / "long.toml", 1, "line longer than the limit");
  test::write_text(dir / "long.csv", std::string(limits::kMaxLineBytes + 1, '#'));
  expect_file([&] { Design::from_csv(dir / "long.csv"); }, dir / "long.csv", 1, "line longer than the limit");

  // A partial output whose fingerprint file is gone cannot be resumed: said at that file.
  const fs::path out = dir / "sweep.csv";
  test::write_text(dir / "sweep.csv.partial", "sample,x\n0,1\n");
  RunFingerprint fingerprint;
  fingerprint.add("command", "sweep");
  std::ostringstream log;
  expect_file([&] { ResumableOutputFile(out, fingerprint, "sample,x\n", 0, 2, true, log); },
              dir / "sweep.csv.partial.json", 0, "start over without resuming");
  fs::remove_all(dir);
}

TEST(LibraryApi, ScenarioSensitivityReturnsTheIndicesTheCliWrites) {
  const auto dir = test::fresh_temp_dir("scenario_sensitivity");
  const auto scenario = test::scenario_path("seed_case_massage.toml");
  const auto r = test::run_cli("sensitivity " + test::quoted(scenario) +
                               " --method morris --vary massage_ot_rise_uU_ml=0:10 --vary activation_rate_per_h=0.05:0.2"
                               " -n 4 -j 2 -q --out " + test::quoted(dir / "morris.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ScenarioSensitivityRequest request;
  request.method = SensitivityMethod::morris;
  request.ranges = {parse_parameter_range("massage_ot_rise_uU_ml=0:10", {}),
                    parse_parameter_range("activation_rate_per_h=0.05:0.2", {})};
  request.options.samples = 4;
  request.options.threads = 1;
  request.solver.method = kDefaultSolverMethod;  // the command line's default solver
  const ScenarioSensitivity result = scenario_sensitivity(seed_input(), request);
  ASSERT_TRUE(result.morris.has_value());
  EXPECT_EQ(result.endpoints, (std::vector<std::string>{"milk_day3_ml", "onset_h"}));
  EXPECT_EQ(result.morris->trajectories + result.morris->failed_trajectories, 4u);
  EXPECT_EQ(sensitivity_csv(result), test::read_file(dir / "morris.csv"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lactsim
