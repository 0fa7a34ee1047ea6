// Parameter estimation: exact recovery where the answer is known, coverage of the reported
// 95% intervals over seeded noisy replicates, flat profiles for parameters the data cannot
// see, interruption, and bad input through the CLI.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <random>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/fit/fit.hpp"
#include "lactsim/fit/fit_report.hpp"
#include "lactsim/io/parameter_set.hpp"
#include "lactsim/io/streaming_output.hpp"
#include "lactsim/engine/text_format.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;
using test::quoted;

/// The cheap setup used for estimation tests: a 3-day multiparous vaginal mother (each
/// simulation ~1-3 ms) with daily intake on days 1-3 and the onset time observed.
Scenario cheap_scenario(double d1, double d2, double d3, double onset_h, double milk_sd, double onset_sd) {
  auto n = [](double x) { return format_number(x); };
  return parse_scenario(test::short_vaginal_scenario_toml("cheap recovery setup") + R"(
[[observed]]
quantity = "milk_transferred_daily"
unit = "mL/day"
source = "synthetic"
points = [
  { day = 1, value = )" + n(d1) + ", sd = " + n(milk_sd) + R"( },
  { day = 2, value = )" + n(d2) + ", sd = " + n(milk_sd) + R"( },
  { day = 3, value = )" + n(d3) + ", sd = " + n(milk_sd) + R"( },
]
[[observed]]
quantity = "onset_time"
unit = "h"
source = "synthetic"
points = [{ time_h = )" + n(onset_h) + ", value = " + n(onset_h) + ", sd = " + n(onset_sd) + R"( }]
)",
                        "cheap.toml");
}

/// Noise-free values of the cheap setup's observables at the given parameters.
std::array<double, 4> truth_values(double activation_rate, double max_synthesis) {
  Scenario s = cheap_scenario(1, 1, 1, 1, 1, 1);
  apply_overrides(s, {{"activation_rate_per_h", activation_rate, {"t", 0, 0}},
                      {"milk_max_synthesis_ml_h", max_synthesis, {"t", 0, 0}}});
  RunOptions options;
  options.solver.relative_tolerance = 1e-8;
  options.solver.absolute_tolerance = 1e-10;
  options.output_step_h = 0;
  const RunResult r = simulate(to_simulation_input(s), options);
  return {r.daily[0].milk_transferred_ml, r.daily[1].milk_transferred_ml, r.daily[2].milk_transferred_ml,
          r.onset_h.value_or(72.0)};
}

TEST(FitEstimation, OneParameterMeetsOneReachableObservationExactly) {
  // Onset observed at 50 h with SD 1 h: the LM must find the activation rate whose simulated
  // onset is 50 h (a root-finding answer the fit does not know in advance).
  Scenario s = cheap_scenario(50, 150, 350, 50.0, 1e6, 1.0);  // huge milk SDs: onset decides
  FitProblem problem({s}, {"activation_rate_per_h"});
  const FitResult r = fit_parameters(problem, FitSettings{});
  ASSERT_EQ(r.estimate.size(), 1u);
  Scenario check = s;
  apply_overrides(check, {{"activation_rate_per_h", r.estimate[0], {"t", 0, 0}}});
  const RunResult run = simulate(to_simulation_input(check), RunOptions{});
  ASSERT_TRUE(run.onset_h.has_value());
  EXPECT_NEAR(*run.onset_h, 50.0, 0.02);
  EXPECT_LT(r.chi_square, 1e-3);
}

TEST(FitEstimation, ThirtySeededReplicatesCoverTheTrueValuesInMostWaldIntervals) {
  // Truth away from the defaults (the start); Gaussian noise with known SDs.
  const double true_rate = 0.15, true_synthesis = 40.0;
  const double milk_sd = 15.0, onset_sd = 3.0;
  const auto clean = truth_values(true_rate, true_synthesis);
  constexpr int kReplicates = 30;
  int covered_rate = 0, covered_synthesis = 0, covered_both = 0, profile_rate = 0, profile_synthesis = 0;
  std::mt19937_64 engine(20261128);
  auto normal = [&] {  // Box–Muller on raw 53-bit draws: identical on every platform
    const double u1 = (static_cast<double>(engine() >> 11) + 0.5) * 0x1.0p-53;
    const double u2 = static_cast<double>(engine() >> 11) * 0x1.0p-53;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  };
  for (int rep = 0; rep < kReplicates; ++rep) {
    const double d1 = clean[0] + milk_sd * normal(), d2 = clean[1] + milk_sd * normal();
    const double d3 = clean[2] + milk_sd * normal(), onset = clean[3] + onset_sd * normal();
    FitProblem problem({cheap_scenario(d1, d2, d3, onset, milk_sd, onset_sd)},
                       {"activation_rate_per_h", "milk_max_synthesis_ml_h"});
    FitSettings settings;
    // Profile intervals too, on request only (they triple the run time): measured 23/30 and
    // 26/30 with seed 20261128 (docs/fitting.md §Recovery).
    settings.profile = std::getenv("LACTSIM_PROFILE_COVERAGE") != nullptr;
    settings.profile_points = 7;
    const FitResult r = fit_parameters(problem, settings);
    ASSERT_TRUE(std::isfinite(r.standard_error[0]) && std::isfinite(r.standard_error[1])) << "replicate " << rep;
    auto inside_profile = [&](std::size_t k, double truth) {
      if (r.profiles.size() <= k) return false;
      const Profile& p = r.profiles[k];
      return p.lower_95.value_or(-HUGE_VAL) <= truth && truth <= p.upper_95.value_or(HUGE_VAL);
    };
    profile_rate += inside_profile(0, true_rate), profile_synthesis += inside_profile(1, true_synthesis);
    const bool a = r.ci_lower[0] <= true_rate && true_rate <= r.ci_upper[0];
    const bool b = r.ci_lower[1] <= true_synthesis && true_synthesis <= r.ci_upper[1];
    covered_rate += a, covered_synthesis += b, covered_both += a && b;
    if (std::getenv("LACTSIM_VERBOSE") != nullptr) std::printf("rep %d chi2 %.3f rate %.4f [%.4f, %.4f] syn %.2f [%.2f, %.2f] status %d\n", rep, r.chi_square, r.estimate[0], r.ci_lower[0], r.ci_upper[0], r.estimate[1], r.ci_lower[1], r.ci_upper[1], r.starts[0].status);
  }
  std::printf("coverage of nominal 95%% Wald intervals over %d replicates: activation_rate_per_h %d/%d, "
              "milk_max_synthesis_ml_h %d/%d, both %d/%d\n",
              kReplicates, covered_rate, kReplicates, covered_synthesis, kReplicates, covered_both, kReplicates);
  std::printf("coverage of 95%% profile-likelihood intervals: activation_rate_per_h %d/%d, milk_max_synthesis_ml_h %d/%d\n",
              profile_rate, kReplicates, profile_synthesis, kReplicates);
  // Measured with this seed: 24/30 and 26/30 (both 24/30). That is below the nominal 95%:
  // with 4 observations and a model nonlinear in both parameters the Fisher (Wald) intervals
  // undercover, and docs/fitting.md says so. The claim checked is the issue's "most replicates"
  // with margin, at least 70%, so a real loss of coverage (a wrong SE) fails.
  EXPECT_GE(covered_rate, 21);
  EXPECT_GE(covered_synthesis, 21);
}

TEST(FitEstimation, ProfileOfAParameterTheDataCannotSeeIsFlatAndFlagged) {
  // No massage in the scenario: the massage relief half-life cannot change any observable.
  const auto clean = truth_values(0.12, 50.0);
  FitProblem problem({cheap_scenario(clean[0], clean[1], clean[2], clean[3], 15.0, 3.0)},
                     {"activation_rate_per_h", "massage_relief_half_life_h"});
  FitSettings settings;
  settings.profile = true;
  settings.profile_points = 7;
  const FitResult r = fit_parameters(problem, settings);
  ASSERT_EQ(r.profiles.size(), 2u);
  EXPECT_FALSE(r.profiles[0].flat);
  EXPECT_TRUE(r.profiles[0].lower_95.has_value());
  EXPECT_TRUE(r.profiles[0].upper_95.has_value());
  EXPECT_TRUE(r.profiles[1].flat);
  for (double c : r.profiles[1].chi_square) EXPECT_NEAR(c, r.chi_square, 1e-6);
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NEAR(std::abs(r.warnings[0].direction[1]), 1.0, 1e-6);
  EXPECT_NE(r.warnings[0].message.find("massage_relief_half_life_h"), std::string::npos);
}

TEST(FitEstimation, ProfileIntervalIsTheSameNextToAnUnidentifiableParameter) {
  // The massage relief half-life changes no observable (no massage), so with it free the
  // Fisher information is singular and no parameter has an SE. Profiling activation_rate_per_h
  // minimises over the half-life at each point, which changes nothing: its interval must be the
  // one it has alone, however the profile's steps are chosen.
  const auto clean = truth_values(0.12, 50.0);
  const Scenario s = cheap_scenario(clean[0], clean[1], clean[2], clean[3], 15.0, 3.0);
  FitSettings settings;
  settings.profile = true;
  settings.profile_points = 7;
  const FitProblem alone_problem({s}, {"activation_rate_per_h"});
  const FitProblem both_problem({s}, {"activation_rate_per_h", "massage_relief_half_life_h"});
  const FitResult alone = fit_parameters(alone_problem, settings);
  const FitResult both = fit_parameters(both_problem, settings);
  ASSERT_TRUE(std::isfinite(alone.standard_error[0]));
  ASSERT_FALSE(std::isfinite(both.standard_error[0])) << "the setup needs a singular information matrix";
  ASSERT_TRUE(alone.profiles.at(0).lower_95 && alone.profiles.at(0).upper_95);
  ASSERT_TRUE(both.profiles.at(0).lower_95 && both.profiles.at(0).upper_95);
  const double width = *alone.profiles[0].upper_95 - *alone.profiles[0].lower_95;
  EXPECT_NEAR(*both.profiles[0].lower_95, *alone.profiles[0].lower_95, 0.01 * width);
  EXPECT_NEAR(*both.profiles[0].upper_95, *alone.profiles[0].upper_95, 0.01 * width);
  // The interval is right, but it was profiled next to a flagged parameter: fit.json says so.
  const std::string json_both = fit_json(both_problem, both, {}, "test");
  const std::string json_alone = fit_json(alone_problem, alone, {}, "test");
  const std::size_t warning = json_both.find("\"profile_warning\": \"");
  ASSERT_NE(warning, std::string::npos) << json_both;
  EXPECT_NE(json_both.find("massage_relief_half_life_h", warning), std::string::npos) << json_both;
  EXPECT_EQ(json_alone.find("\"profile_warning\": \""), std::string::npos) << json_alone;
}

TEST(FitEstimation, AStopRequestReturnsTheBestPointSoFar) {
  const auto clean = truth_values(0.15, 40.0);
  FitProblem problem({cheap_scenario(clean[0], clean[1], clean[2], clean[3], 15.0, 3.0)},
                     {"activation_rate_per_h", "milk_max_synthesis_ml_h"});
  CancellationToken stop;
  FitSettings settings;
  settings.multistart = 5;
  settings.cancel = &stop;
  std::size_t calls = 0;
  double start_chi_square = -1;
  settings.progress = [&](const FitProgress& p) {
    if (++calls == 1) start_chi_square = p.best_chi_square;
    if (calls == 8) stop.cancel();  // as the SIGINT handler does
  };
  const FitResult r = fit_parameters(problem, settings);
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(r.evaluations, 8u);
  EXPECT_LE(r.chi_square, start_chi_square);
  EXPECT_EQ(r.starts.size(), 1u);
}

TEST(FitCli, BadInputExitsWithTwoAndWritesNothing) {
  const auto dir = test::fresh_temp_dir("fit_bad");
  const std::string vaginal = quoted(test::scenario_path("reference_vaginal.toml"));
  struct Case {
    std::string arguments;
    std::string expected;
  };
  test::write_text(dir / "bad_unit.toml", R"([scenario]
name = "bad unit"
duration_days = 3
[delivery]
mode = "vaginal"
[[observed]]
quantity = "milk_transferred_daily"
unit = "oz/day"
source = "test"
points = [{ day = 1, value = 1.0 }]
)");
  const std::vector<Case> cases = {
      {vaginal + " --free activation_rate_per_hour", "did you mean 'activation_rate_per_h'"},
      {quoted(test::scenario_path("seed_case_control.toml")) + " --free activation_rate_per_h", "no observed data"},
      {quoted(dir / "bad_unit.toml") + " --free activation_rate_per_h", "bad_unit.toml:8"},
      {vaginal + " --free activation_rate_per_h --bound activation_rate_per_h=0.5:1", "outside the bounds"},
      {vaginal + " --free activation_rate_per_h --bound activation_rate_per_h=0.5:9", "plausible range"},
      {vaginal + " --free a,b,c,d,e", "unknown parameter 'a'"},
  };
  for (const Case& c : cases) {
    const auto out = dir / "out";
    const auto r = test::run_cli("fit " + c.arguments + " --out " + quoted(out));
    EXPECT_EQ(r.exit_code, 2) << c.arguments << "\n" << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << c.arguments << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;  // one clear message
    EXPECT_FALSE(fs::exists(out)) << c.arguments;
  }
}

TEST(FitCli, WritesAParameterSetThatRunAccepts) {
  const auto dir = test::fresh_temp_dir("fit_roundtrip");
  const auto r = test::run_cli("fit " + quoted(test::scenario_path("reference_vaginal.toml")) +
                               " --free milk_max_synthesis_ml_h --set milk_max_synthesis_ml_h=30 --out " +
                               quoted(dir / "fit"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* file : {"fit.json", "parameters.toml", "observed.csv"}) EXPECT_TRUE(fs::exists(dir / "fit" / file));
  const auto overrides = parse_parameter_set(test::read_file(dir / "fit" / "parameters.toml"), "p.toml");
  ASSERT_EQ(overrides.size(), 1u);
  EXPECT_NE(overrides[0].value, 30.0);  // moved away from the start
  const auto run = test::run_cli("run " + quoted(test::scenario_path("reference_vaginal.toml")) + " --params " +
                                 quoted(dir / "fit" / "parameters.toml") + " --out " + quoted(dir / "run"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string summary = test::read_file(dir / "run" / "reference_vaginal" / "summary.json");
  EXPECT_NE(summary.find("parameters.toml:"), std::string::npos);  // origin of the value
  // --set after --params wins.
  const auto both = test::run_cli("run " + quoted(test::scenario_path("reference_vaginal.toml")) + " --params " +
                                  quoted(dir / "fit" / "parameters.toml") + " --set milk_max_synthesis_ml_h=31" +
                                  " --out " + quoted(dir / "run2") + " -q");
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_NE(test::read_file(dir / "run2" / "reference_vaginal" / "summary.json").find("\"value\": 31,"),
            std::string::npos);
}

TEST(FitCli, ObservedCsvStaysOneRecordPerPointWhenASourceHoldsLineBreaks) {
  // fit put "SCENARIO," before every physical line of observed.csv, including the lines of a
  // quoted source that holds a newline: the file no longer read as CSV, and --plot failed on it.
  const auto dir = test::fresh_temp_dir("fit_source_newline");
  std::string toml = test::read_file(test::scenario_path("reference_vaginal.toml"));
  const std::string marker = "source = \"";
  for (std::size_t at = toml.find(marker); at != std::string::npos; at = toml.find(marker, at + 1)) {
    toml.insert(at + marker.size(), "line one\\nsystem \\\"x\\\"\\n# ");
  }
  test::write_text(dir / "nl.toml", toml);
  const auto r = test::run_cli("fit -q " + quoted(dir / "nl.toml") + " --free milk_max_synthesis_ml_h --out " +
                               quoted(dir / "fit"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = test::read_file(dir / "fit" / "observed.csv");
  EXPECT_EQ(csv.find("\nnl,system"), std::string::npos) << "a continuation line was prefixed as a record:\n" << csv;
  // Every record (a newline outside quotes ends one) has the header's number of fields.
  std::vector<std::string> records;
  bool quoted_field = false;
  std::string record;
  for (const char c : csv) {
    if (c == '"') quoted_field = !quoted_field;
    if (c == '\n' && !quoted_field) {
      records.push_back(record);
      record.clear();
    } else {
      record += c;
    }
  }
  ASSERT_GT(records.size(), 1u);
  const std::size_t fields = split_csv_record(records.front()).size();
  for (std::size_t i = 1; i < records.size(); ++i) {
    EXPECT_EQ(split_csv_record(records[i]).size(), fields) << records[i];
    EXPECT_TRUE(records[i].starts_with("nl,")) << records[i];
  }
}

}  // namespace
}  // namespace lactsim
