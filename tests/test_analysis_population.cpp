// Virtual populations: the log-normal sampler, percentile bands and paired comparisons.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/sim/comparison.hpp"
#include "lactsim/sim/fast_endpoints.hpp"
#include "lactsim/sim/population.hpp"
#include "lactsim/sim/sample_evaluation.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

std::string with_population(const std::string& scenario_file, const std::string& population_toml) {
  return test::read_file(test::scenario_path(scenario_file)) + "\n" + population_toml;
}

TEST(AnalysisPopulation, ScenarioReadsThePopulationTable) {
  const Scenario s = parse_scenario(with_population("seed_case_massage.toml",
                                                    "[population]\nsize = 50\nseed = 3\n"
                                                    "[population.variability]\nactivation_rate_per_h = 0.3\n"
                                                    "prl_feed_rise_ng_ml = 0.2\n"
                                                    "[[population.correlations]]\n"
                                                    "between = [\"activation_rate_per_h\", \"prl_feed_rise_ng_ml\"]\nrho = 0.5\n"),
                                    "pop.toml");
  ASSERT_TRUE(s.population.has_value());
  EXPECT_EQ(s.population->size, 50u);
  EXPECT_EQ(s.population->seed, 3u);
  ASSERT_EQ(s.population->variability.size(), 2u);
  EXPECT_EQ(s.population->variability[0].name, "activation_rate_per_h");
  ASSERT_EQ(s.population->correlations.size(), 1u);
}

TEST(AnalysisPopulation, BadPopulationTablesNameFileLineAndField) {
  try {
    parse_scenario(with_population("seed_case_massage.toml",
                                   "[population]\nsize = 5\n[population.variability]\nactivation_rate = 0.3\n"),
                   "pop.toml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("population.variability.activation_rate: unknown parameter"), std::string::npos)
        << e.what();
    EXPECT_GT(e.where().line, 20);
  }
  EXPECT_THROW(parse_scenario(with_population("seed_case_massage.toml", "[population]\nsize = 0\n"), "p.toml"),
               InputError);
  // Three parameters pairwise correlated at -0.9 cannot exist (the matrix is indefinite).
  EXPECT_THROW(parse_scenario(with_population("seed_case_massage.toml",
                                              "[population]\nsize = 5\n[population.variability]\n"
                                              "activation_rate_per_h = 0.3\nprl_feed_rise_ng_ml = 0.2\n"
                                              "ot_feed_rise_uU_ml = 0.2\n"
                                              "[[population.correlations]]\nbetween = [\"activation_rate_per_h\", \"prl_feed_rise_ng_ml\"]\nrho = -0.9\n"
                                              "[[population.correlations]]\nbetween = [\"activation_rate_per_h\", \"ot_feed_rise_uU_ml\"]\nrho = -0.9\n"
                                              "[[population.correlations]]\nbetween = [\"prl_feed_rise_ng_ml\", \"ot_feed_rise_uU_ml\"]\nrho = -0.9\n"),
                              "p.toml"),
               InputError);
}

TEST(AnalysisPopulation, ACorrelationGivenTwiceIsRefusedInEitherOrderEvenWithTheSameValue) {
  const std::string variability =
      "[population]\nsize = 5\n[population.variability]\nactivation_rate_per_h = 0.3\nprl_feed_rise_ng_ml = 0.2\n"
      "[[population.correlations]]\nbetween = [\"activation_rate_per_h\", \"prl_feed_rise_ng_ml\"]\nrho = 0.5\n";
  // The second entry used to overwrite the first silently.
  for (const char* second : {"between = [\"prl_feed_rise_ng_ml\", \"activation_rate_per_h\"]\nrho = -0.5\n",
                             "between = [\"activation_rate_per_h\", \"prl_feed_rise_ng_ml\"]\nrho = 0.5\n"}) {
    const std::string text =
        with_population("seed_case_massage.toml", variability + "[[population.correlations]]\n" + second);
    const int between_line = static_cast<int>(std::count(text.begin(), text.end(), '\n')) - 1;
    try {
      parse_scenario(text, "pop.toml");
      ADD_FAILURE() << "accepted: " << second;
    } catch (const InputError& e) {
      EXPECT_EQ(e.field(), "population.correlations[1].between");
      EXPECT_EQ(e.where().line, between_line) << e.what();
      EXPECT_NE(std::string(e.what()).find("given twice"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("line " + std::to_string(between_line - 3)), std::string::npos)
          << "names the first entry: " << e.what();
    }
  }
}

TEST(AnalysisPopulation, SamplerHasTheRequestedMedianSpreadAndCorrelation) {
  const model::ModelParameters base = model::default_parameters({});
  PopulationSpec spec;
  spec.size = 40'000;
  spec.seed = 8;
  auto add = [&](const char* name, double cv) {
    const auto* info = model::find_parameter(name);
    spec.variability.push_back({name, cv, info->member, static_cast<std::size_t>(info - model::parameter_registry().data()), {}});
  };
  add("activation_rate_per_h", 0.3);
  add("prl_feed_rise_ng_ml", 0.5);
  spec.correlations.push_back({"activation_rate_per_h", "prl_feed_rise_ng_ml", 0.6, {}});
  const PopulationSampler sampler(spec, base);
  std::vector<double> a, b;
  for (std::size_t i = 0; i < spec.size; ++i) {
    const auto p = sampler.mother(i);
    a.push_back(std::log(p.activation_rate_per_h / base.activation_rate_per_h));
    b.push_back(std::log(p.prl_feed_rise_ng_ml / base.prl_feed_rise_ng_ml));
  }
  auto mean = [](const std::vector<double>& v) { double s = 0; for (double x : v) s += x; return s / v.size(); };
  auto cov = [&](const std::vector<double>& x, const std::vector<double>& y) {
    const double mx = mean(x), my = mean(y);
    double s = 0;
    for (std::size_t i = 0; i < x.size(); ++i) s += (x[i] - mx) * (y[i] - my);
    return s / (x.size() - 1);
  };
  // log-normal with CV c has log-sd sqrt(ln(1 + c²)); the base value is the median.
  EXPECT_NEAR(std::sqrt(cov(a, a)), std::sqrt(std::log1p(0.09)), 0.01);
  EXPECT_NEAR(std::sqrt(cov(b, b)), std::sqrt(std::log1p(0.25)), 0.01);
  EXPECT_NEAR(quantile(a, 0.5), 0.0, 0.01);
  EXPECT_NEAR(cov(a, b) / std::sqrt(cov(a, a) * cov(b, b)), 0.6, 0.02);
}

TEST(AnalysisPopulation, ZeroVariabilityBandsCollapseOntoTheDeterministicRun) {
  Scenario s = parse_scenario(with_population("seed_case_massage.toml",
                                              "[population]\nsize = 6\n[population.variability]\nactivation_rate_per_h = 0\n"),
                              "pop.toml");
  const SimulationInput input = to_simulation_input(s);
  const PopulationRun run = run_population(input, *s.population, SolverOptions{}, 2, false);
  FastWorkspace workspace;
  const FastEndpoints det = simulate_endpoints(input, SolverOptions{}, workspace);
  ASSERT_EQ(run.failed, 0u);
  for (std::size_t k = 0; k < run.endpoint_names.size(); ++k) {
    std::vector<double> values;
    for (std::size_t i = 0; i < run.mothers; ++i) values.push_back(run.at(i, k));
    const PercentileBand band = percentile_band(values);
    const double expected = endpoint_value(det, k, 7);
    EXPECT_LE(band.p5, expected) << run.endpoint_names[k];
    EXPECT_GE(band.p95, expected) << run.endpoint_names[k];
    EXPECT_EQ(band.p5, band.p95) << run.endpoint_names[k];
  }
}

TEST(AnalysisPopulation, PairedComparisonUsesTheSameMothersInEveryArm) {
  const std::string population =
      "[population]\nsize = 24\nseed = 5\n[population.variability]\nactivation_rate_per_h = 0.4\n"
      "pain_peak_nrs = 0.3\n";
  const Scenario control = parse_scenario(with_population("seed_case_control.toml", population), "control.toml");
  const Scenario massage = parse_scenario(with_population("seed_case_massage.toml", population), "massage.toml");
  const Comparison self = compare_scenarios({control, control}, SolverOptions{}, 2, true, false);
  for (const auto& row : self.rows) {
    ASSERT_TRUE(row.paired_difference.has_value());
    if (row.endpoint == "onset_after_72h_fraction") continue;
    EXPECT_EQ(row.paired_difference->p5, 0.0) << row.endpoint;  // same mothers: no difference at all
    EXPECT_EQ(row.paired_difference->p95, 0.0) << row.endpoint;
  }
  const Comparison one = compare_scenarios({control, massage}, SolverOptions{}, 1, true, false);
  const Comparison two = compare_scenarios({control, massage}, SolverOptions{}, 2, true, false);
  EXPECT_EQ(comparison_csv(one), comparison_csv(two));
  for (const auto& row : two.rows) {
    if (row.endpoint != "milk_day3_ml" || row.scenario != "massage") continue;
    // Massage adds OT release and pain relief; in this model it does not reduce day-3 milk.
    EXPECT_GT(row.paired_difference->p50, 0.0);
    EXPECT_GE(row.paired_difference->p5, 0.0);
    EXPECT_GT(row.population->p95, row.population->p5);
  }
  const std::string csv = comparison_csv(two);
  EXPECT_NE(csv.find("onset_after_72h_fraction,control,"), std::string::npos);
}

}  // namespace
}  // namespace lactsim
