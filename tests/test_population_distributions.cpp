// Population distributions that respect parameter bounds: log-normal, logit-normal, truncated
// normal and uniform marginals on a Gaussian copula, and the n (requested, included, failed)
// of every population output.
//
// Tolerances: every statistic is compared with its closed form within 4 standard errors of
// the estimate (a binomial proportion: sqrt(p(1 − p)/n); a mean: sd/sqrt(n); a standard
// deviation: sd·sqrt((kurtosis − 1)/(4n)), with kurtosis ≤ 3 for the bounded laws tested).
// The draws are counter-based and fixed by the seed, so a pass is reproducible, not lucky.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>

#include <boost/math/special_functions/erf.hpp>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/analysis/comparison.hpp"
#include "lactsim/io/population_spec.hpp"
#include "lactsim/io/scenario.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

constexpr std::size_t kDraws = 40'000;
constexpr double kStandardErrors = 4.0;

std::string with_population(const std::string& scenario_file, const std::string& population_toml) {
  return test::read_file(test::scenario_path(scenario_file)) + "\n" + population_toml;
}

ParameterVariability varied(const char* name, double cv) {
  const auto* info = model::find_parameter(name);
  return {name, cv, info->member, static_cast<std::size_t>(info - model::parameter_registry().data()), {}};
}

double standard_normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }
double standard_normal_pdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi); }

struct Moments {
  double mean = 0, sd = 0;
};

Moments moments(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  const double mean = sum / static_cast<double>(v.size());
  double squares = 0;
  for (double x : v) squares += (x - mean) * (x - mean);
  return {mean, std::sqrt(squares / static_cast<double>(v.size() - 1))};
}

double fraction_below(const std::vector<double>& v, double threshold) {
  std::size_t below = 0;
  for (double x : v) below += x < threshold ? 1 : 0;
  return static_cast<double>(below) / static_cast<double>(v.size());
}

double proportion_tolerance(double p, std::size_t n) {
  return kStandardErrors * std::sqrt(p * (1.0 - p) / static_cast<double>(n));
}

/// The draws of one parameter over kDraws mothers of a one-parameter population.
std::vector<double> draws_of(const ParameterVariability& v, const model::ModelParameters& base, std::uint64_t seed = 11) {
  PopulationSpec spec;
  spec.size = kDraws;
  spec.seed = seed;
  spec.variability.push_back(v);
  const PopulationSampler sampler(spec, base);
  std::vector<double> values;
  for (std::size_t i = 0; i < kDraws; ++i) values.push_back(sampler.mother(i).*(v.member));
  return values;
}

// The example: pain_peak_nrs = 7.0 with cv 0.5 put many mothers above NRS 10, and the
// log-normal draw made them fail. Bounded parameters now draw logit-normally inside their bounds.
TEST(PopulationDistributions, LargeCvOnBoundedParametersDropsNoMother) {
  const std::string population =
      "[population]\nsize = 120\nseed = 7\n[population.variability]\npain_peak_nrs = 0.5\n"
      "massage_pain_relief_fraction = 0.8\nactivation_rate_per_h = 0.6\npain_peak_h = 0.5\n";
  const Scenario s = parse_scenario(with_population("seed_case_massage.toml", population), "pop.toml");
  ASSERT_TRUE(s.population.has_value());
  const PopulationSampler sampler(*s.population, s.parameters);
  for (std::size_t i = 0; i < kDraws; ++i) {
    const auto violations = model::validate_parameters(sampler.mother(i));
    ASSERT_TRUE(violations.empty()) << "mother " << i << ": " << violations.front().message;
  }
  const PopulationRun run = run_population(to_simulation_input(s), *s.population, SolverOptions{}, 2);
  EXPECT_EQ(run.failed, 0u);
  for (const auto& e : run.errors) EXPECT_EQ(e, "");
}

TEST(PopulationDistributions, DefaultDistributionFollowsTheBounds) {
  EXPECT_EQ(default_distribution(0.0, 10.0), VariabilityDistribution::logitnormal);
  EXPECT_EQ(default_distribution(0.0, std::numeric_limits<double>::infinity()), VariabilityDistribution::lognormal);
  const Scenario s = parse_scenario(
      with_population("seed_case_massage.toml", "[population]\nsize = 3\n[population.variability]\npain_peak_nrs = 0.3\n"),
      "pop.toml");
  EXPECT_EQ(s.population->variability.front().distribution, VariabilityDistribution::logitnormal);
}

// Logit-normal: the scenario value is the median; on the logit scale the draws are normal with
// sd σ_ln·m(hi − lo)/((m − lo)(hi − m)), σ_ln² = ln(1 + cv²) (docs/analyses.md), so the draw at
// z = 1 is exceeded by 1 − Φ(1) of mothers.
TEST(PopulationDistributions, LogitNormalHasTheScenarioValueAsMedianAndTheDocumentedSpread) {
  model::ModelParameters base = model::default_parameters({});
  base.pain_peak_nrs = 7.0;
  const double lo = 0.0, hi = 10.0, m = 7.0, cv = 0.5;
  const std::vector<double> x = draws_of(varied("pain_peak_nrs", cv), base);
  for (double v : x) {
    ASSERT_GE(v, lo);
    ASSERT_LE(v, hi);
  }
  EXPECT_NEAR(fraction_below(x, m), 0.5, proportion_tolerance(0.5, kDraws));
  const double sigma = std::sqrt(std::log1p(cv * cv)) * m * (hi - lo) / ((m - lo) * (hi - m));
  const double at_z1 = lo + (hi - lo) / (1.0 + std::exp(-(std::log((m - lo) / (hi - m)) + sigma)));
  EXPECT_NEAR(fraction_below(x, at_z1), standard_normal_cdf(1.0), proportion_tolerance(standard_normal_cdf(1.0), kDraws));
  const double at_minus_z2 = lo + (hi - lo) / (1.0 + std::exp(-(std::log((m - lo) / (hi - m)) - 2.0 * sigma)));
  EXPECT_NEAR(fraction_below(x, at_minus_z2), standard_normal_cdf(-2.0),
              proportion_tolerance(standard_normal_cdf(-2.0), kDraws));
}

// Log-normal on (lo, ∞): value = lo + (m − lo)·exp(σ z) with σ = σ_ln·m/(m − lo).
TEST(PopulationDistributions, LogNormalMarginalHasTheScenarioValueAsMedian) {
  ParameterVariability v = varied("milk_max_synthesis_ml_h", 0.4);
  v.distribution = VariabilityDistribution::lognormal;
  const double m = 50.0, lo = 5.0;
  const MarginalDistribution marginal = marginal_distribution(v, m, lo, std::numeric_limits<double>::infinity());
  EXPECT_DOUBLE_EQ(marginal.value(0.0), m);
  const double sigma = std::sqrt(std::log1p(0.16)) * m / (m - lo);
  EXPECT_NEAR(marginal.value(1.0), lo + (m - lo) * std::exp(sigma), 1e-9);
  EXPECT_GT(marginal.value(-8.5), lo);
  // Classic log-normal when the lower bound is 0: half of the normal scores map below the median,
  // and the spread of ln(value) is σ_ln exactly.
  const MarginalDistribution classic = marginal_distribution(v, m, 0.0, std::numeric_limits<double>::infinity());
  EXPECT_NEAR(std::log(classic.value(1.0) / m), std::sqrt(std::log1p(0.16)), 1e-12);
  EXPECT_NEAR(std::log(classic.value(-2.0) / m), -2.0 * std::sqrt(std::log1p(0.16)), 1e-12);
}

// Truncated normal: mean μ + s(φ(α) − φ(β))/Z and variance s²[1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²],
// Z = Φ(β) − Φ(α) (Johnson, Kotz & Balakrishnan 1994, ch. 13).
TEST(PopulationDistributions, TruncatedNormalMatchesItsClosedFormMoments) {
  model::ModelParameters base = model::default_parameters({});
  base.pain_peak_nrs = 7.0;
  ParameterVariability v = varied("pain_peak_nrs", 0.0);
  v.distribution = VariabilityDistribution::truncated_normal;
  v.sd = 3.0;
  const std::vector<double> x = draws_of(v, base);
  const double mu = 7.0, s = 3.0, alpha = (0.0 - mu) / s, beta = (10.0 - mu) / s;
  const double z = standard_normal_cdf(beta) - standard_normal_cdf(alpha);
  const double shift = (standard_normal_pdf(alpha) - standard_normal_pdf(beta)) / z;
  const double mean = mu + s * shift;
  const double sd = s * std::sqrt(1.0 + (alpha * standard_normal_pdf(alpha) - beta * standard_normal_pdf(beta)) / z - shift * shift);
  for (double value : x) {
    ASSERT_GE(value, 0.0);
    ASSERT_LE(value, 10.0);
  }
  const Moments got = moments(x);
  EXPECT_NEAR(got.mean, mean, kStandardErrors * sd / std::sqrt(double(kDraws)));
  EXPECT_NEAR(got.sd, sd, kStandardErrors * sd * std::sqrt(2.0 / (4.0 * kDraws)));
  // Far in a tail (truncation 3 to 4 sd above the mean) the inversion stays inside and accurate.
  ParameterVariability tail = v;
  tail.lower = 16.0;
  tail.upper = 19.0;
  const MarginalDistribution far = marginal_distribution(tail, 7.0, 0.0, 20.0);
  EXPECT_GE(far.value(-8.0), 16.0);
  EXPECT_LE(far.value(8.0), 19.0);
  // The median: upper-tail mass Q(x) halfway between Q(3) and Q(4), Q(x) = erfc(x/√2)/2.
  const double q_median = 0.25 * (std::erfc(3.0 / std::numbers::sqrt2) + std::erfc(4.0 / std::numbers::sqrt2));
  EXPECT_NEAR(far.value(0.0), 7.0 + 3.0 * std::numbers::sqrt2 * boost::math::erfc_inv(2.0 * q_median), 1e-9);
}

TEST(PopulationDistributions, UniformMatchesItsClosedFormMoments) {
  ParameterVariability v = varied("massage_pain_relief_fraction", 0.0);
  v.distribution = VariabilityDistribution::uniform;
  v.lower = 0.2;
  v.upper = 0.9;
  const std::vector<double> x = draws_of(v, model::default_parameters({}));
  for (double value : x) {
    ASSERT_GE(value, 0.2);
    ASSERT_LE(value, 0.9);
  }
  const double sd = 0.7 / std::sqrt(12.0);
  const Moments got = moments(x);
  EXPECT_NEAR(got.mean, 0.55, kStandardErrors * sd / std::sqrt(double(kDraws)));
  EXPECT_NEAR(got.sd, sd, kStandardErrors * sd * std::sqrt((1.8 - 1.0) / (4.0 * kDraws)));  // uniform kurtosis 1.8
  // Without lower/upper a uniform spans the parameter's bounds.
  ParameterVariability whole = v;
  whole.lower.reset();
  whole.upper.reset();
  const std::vector<double> y = draws_of(whole, model::default_parameters({}));
  EXPECT_NEAR(moments(y).mean, 0.5, kStandardErrors * (1.0 / std::sqrt(12.0)) / std::sqrt(double(kDraws)));
}

// Correlations act on the copula's normal scores, whatever the marginals.
TEST(PopulationDistributions, CorrelationsActOnTheNormalScores) {
  model::ModelParameters base = model::default_parameters({});
  PopulationSpec spec;
  spec.size = kDraws;
  spec.seed = 4;
  spec.variability.push_back(varied("pain_peak_nrs", 0.4));
  ParameterVariability uniform = varied("massage_pain_relief_fraction", 0.0);
  uniform.distribution = VariabilityDistribution::uniform;
  spec.variability.push_back(uniform);
  spec.correlations.push_back({"pain_peak_nrs", "massage_pain_relief_fraction", 0.6, {}});
  const PopulationSampler sampler(spec, base);
  std::vector<double> a, b;
  const double m = base.pain_peak_nrs;
  for (std::size_t i = 0; i < kDraws; ++i) {
    const auto p = sampler.mother(i);
    a.push_back(std::log(p.pain_peak_nrs / (10.0 - p.pain_peak_nrs)) - std::log(m / (10.0 - m)));
    b.push_back(std::numbers::sqrt2 * boost::math::erf_inv(2.0 * p.massage_pain_relief_fraction - 1.0));
  }
  const Moments ma = moments(a), mb = moments(b);
  double c = 0;
  for (std::size_t i = 0; i < kDraws; ++i) c += (a[i] - ma.mean) * (b[i] - mb.mean);
  const double rho = c / (kDraws - 1) / (ma.sd * mb.sd);
  EXPECT_NEAR(rho, 0.6, kStandardErrors * (1.0 - 0.36) / std::sqrt(double(kDraws)));  // SE of r: (1 − ρ²)/√n
}

// pain_peak_h must not precede pain_anaesthesia_h (12 h after a planned caesarean): a varied
// peak time draws within [12, 72], not within its registry bounds [0.1, 72].
TEST(PopulationDistributions, ConstraintsAgainstFixedParametersNarrowTheSupport) {
  const Scenario s = parse_scenario(
      with_population("seed_case_massage.toml", "[population]\nsize = 3\n[population.variability]\npain_peak_h = 1.0\n"),
      "pop.toml");
  ASSERT_EQ(s.parameters.pain_anaesthesia_h, 12.0);
  const std::vector<double> x = draws_of(s.population->variability.front(), s.parameters);
  for (double v : x) ASSERT_GE(v, 12.0);
  EXPECT_NEAR(fraction_below(x, s.parameters.pain_peak_h), 0.5, proportion_tolerance(0.5, kDraws));
}

// The order constraints are data now (the sampler narrows supports with them); validation
// must still name the parameter at fault with both values and units.
TEST(PopulationDistributions, OrderConstraintsValidateAsBefore) {
  for (const auto& order : model::parameter_orders()) {
    EXPECT_NE(model::find_parameter(order.parameter), nullptr) << order.parameter;
    EXPECT_NE(model::find_parameter(order.other), nullptr) << order.other;
  }
  model::ModelParameters p = model::default_parameters({model::DeliveryMode::caesarean_planned, model::Parity::primiparous});
  p.pain_peak_h = 5.0;
  p.prl_basal_floor_ng_ml = 250.0;
  const auto violations = model::validate_parameters(p);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].parameter, "pain_peak_h");
  EXPECT_EQ(violations[0].message, "pain_peak_h = 5 h must not be earlier than pain_anaesthesia_h = 12 h");
  EXPECT_EQ(violations[1].message, "prl_basal_floor_ng_ml = 250 ng/mL must not exceed prl_basal_birth_ng_ml = 200 ng/mL");
  p.pain_peak_h = 30.0;
  p.pain_resolved_h = 30.0;
  p.prl_basal_floor_ng_ml = 50.0;
  ASSERT_EQ(model::validate_parameters(p).size(), 1u);
  EXPECT_EQ(model::validate_parameters(p)[0].message, "pain_resolved_h = 30 h must be later than pain_peak_h = 30 h");
}

void expect_population_error(const std::string& population, const std::string& expected_field,
                             const std::string& expected_text, const std::string& extra_parameters = "") {
  std::string scenario = test::read_file(test::scenario_path("seed_case_massage.toml"));
  if (!extra_parameters.empty()) {
    const auto at = scenario.find("[parameters]");
    if (at == std::string::npos) {
      scenario += "\n[parameters]\n" + extra_parameters + "\n";
    } else {
      scenario.insert(at + std::string("[parameters]\n").size(), extra_parameters + "\n");
    }
  }
  try {
    parse_scenario(scenario + "\n" + population, "pop.toml");
    ADD_FAILURE() << "accepted: " << population;
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("pop.toml:"), std::string::npos) << what;
    EXPECT_GT(e.where().line, 20) << what;
    EXPECT_NE(what.find(expected_field + ":"), std::string::npos) << what;
    EXPECT_NE(what.find(expected_text), std::string::npos) << what;
  }
}

TEST(PopulationDistributions, BadDistributionsNameFileLineAndField) {
  expect_population_error(
      "[population]\nsize = 5\n[population.variability.pain_peak_nrs]\ndistribution = \"gamma\"\ncv = 0.3\n",
      "population.variability.pain_peak_nrs.distribution", "unknown distribution 'gamma'");
  expect_population_error(
      "[population]\nsize = 5\n[population.variability.pain_peak_nrs]\ndistribution = \"lognormal\"\ncv = 0.3\n",
      "population.variability.pain_peak_nrs.distribution", "leaves");
  expect_population_error(
      "[population]\nsize = 5\n[population.variability.pain_peak_nrs]\ndistribution = \"uniform\"\nlower = 2\nupper = 12\n",
      "population.variability.pain_peak_nrs.upper", "outside");
  expect_population_error(
      "[population]\nsize = 5\n[population.variability.pain_peak_nrs]\ndistribution = \"normal\"\ncv = 0.3\nsd = 2\n",
      "population.variability.pain_peak_nrs.sd", "either");
  expect_population_error(
      "[population]\nsize = 5\n[population.variability.pain_peak_nrs]\ndistribution = \"uniform\"\ncv = 0.3\n",
      "population.variability.pain_peak_nrs.cv", "unknown key");
  expect_population_error("[population]\nsize = 5\n[population.variability.pain_peak_nrs]\ndistribution = \"logitnormal\"\n",
                          "population.variability.pain_peak_nrs.cv", "");
  // A scenario value at a bound cannot be the median of a logit-normal.
  expect_population_error("[population]\nsize = 5\n[population.variability]\nmassage_pain_relief_fraction = 0.3\n",
                          "population.variability.massage_pain_relief_fraction", "at the lower bound",
                          "massage_pain_relief_fraction = 0.0");
  // Both sides of a constraint varied independently could break it.
  expect_population_error("[population]\nsize = 5\n[population.variability]\npain_anaesthesia_h = 0.2\npain_peak_h = 0.2\n",
                          "population.variability.pain_peak_h", "cannot both vary");
}

TEST(PopulationDistributions, ADegenerateTruncatedNormalIsRefusedAtItsLine) {
  // A normal far from [lower, upper] (median 5.5, sd 0.1, range [20, 30]) made compare fail
  // with a Boost overflow (exit 1) while check accepted the file; a huge sd (1e20) silently
  // gave every mother the median. Both put almost none of the normal's mass in the range.
  const char* far = "[population]\nsize = 5\n[population.variability.milk_removal_rate_per_h]\n"
                    "distribution = \"normal\"\nsd = 0.1\nlower = 20\nupper = 30\n";
  const char* flat = "[population]\nsize = 5\n[population.variability.milk_removal_rate_per_h]\n"
                     "distribution = \"normal\"\nsd = 1e20\n";
  expect_population_error(far, "population.variability.milk_removal_rate_per_h", "probability");
  expect_population_error(flat, "population.variability.milk_removal_rate_per_h", "probability");
  // A wide but usable normal still spreads the mothers over the range.
  const Scenario wide = parse_scenario(
      with_population("seed_case_massage.toml", "[population]\nsize = 200\n[population.variability.milk_removal_rate_per_h]\n"
                                                "distribution = \"normal\"\nsd = 1e6\n"),
      "wide.toml");
  const PopulationSampler sampler(*wide.population, wide.parameters);
  double smallest = 1e300, largest = -1e300;
  for (std::size_t i = 0; i < 200; ++i) {
    const double value = sampler.mother(i).milk_removal_rate_per_h;
    smallest = std::min(smallest, value);
    largest = std::max(largest, value);
  }
  const model::ParameterInfo& info = *model::find_parameter("milk_removal_rate_per_h");
  EXPECT_LT(smallest, info.lower_bound + 0.1 * (info.upper_bound - info.lower_bound));
  EXPECT_GT(largest, info.upper_bound - 0.1 * (info.upper_bound - info.lower_bound));
}

TEST(PopulationDistributions, ExtendedFormIsRead) {
  const Scenario s = parse_scenario(
      with_population("seed_case_massage.toml",
                      "[population]\nsize = 3\n[population.variability]\nactivation_rate_per_h = 0.3\n"
                      "[population.variability.pain_peak_nrs]\ndistribution = \"normal\"\nsd = 1.5\n"
                      "[population.variability.massage_pain_relief_fraction]\ndistribution = \"uniform\"\nlower = 0.1\n"),
      "pop.toml");
  ASSERT_EQ(s.population->variability.size(), 3u);
  const auto& v = s.population->variability;
  EXPECT_EQ(v[0].name, "activation_rate_per_h");
  EXPECT_EQ(v[0].distribution, VariabilityDistribution::logitnormal);
  EXPECT_EQ(v[1].distribution, VariabilityDistribution::truncated_normal);
  EXPECT_EQ(v[1].sd, 1.5);
  EXPECT_EQ(v[2].distribution, VariabilityDistribution::uniform);
  EXPECT_EQ(v[2].lower, 0.1);
  EXPECT_FALSE(v[2].upper.has_value());
}

// Every population output carries n: requested, included (simulated without failure), failed.
TEST(PopulationDistributions, ComparisonCsvAndSummaryCarryTheCounts) {
  const std::string population = "[population]\nsize = 12\nseed = 5\n[population.variability]\npain_peak_nrs = 0.5\n";
  const Scenario control = parse_scenario(with_population("seed_case_control.toml", population), "control.toml");
  const Scenario massage = parse_scenario(with_population("seed_case_massage.toml", population), "massage.toml");
  const Comparison c = compare_scenarios({control, massage}, test::compare_options(2, true));
  const std::string csv = comparison_csv(c);
  const std::string header = csv.substr(0, csv.find('\n'));
  EXPECT_EQ(header.substr(header.size() - std::string(",n_requested,n_included,n_failed").size()),
            ",n_requested,n_included,n_failed");
  EXPECT_NE(csv.find("milk_day3_ml,massage,"), std::string::npos);
  std::size_t rows = 0;
  for (std::size_t at = csv.find('\n') + 1; at < csv.size(); at = csv.find('\n', at) + 1) {
    const std::string row = csv.substr(at, csv.find('\n', at) - at);
    EXPECT_EQ(row.substr(row.size() - 8), ",12,12,0") << row;
    ++rows;
  }
  EXPECT_EQ(rows, c.rows.size());
  const std::string summary = population_counts_text(c);
  EXPECT_NE(summary.find("control: 12 requested, 12 included, 0 failed"), std::string::npos) << summary;
  EXPECT_NE(summary.find("massage: 12 requested, 12 included, 0 failed"), std::string::npos) << summary;
}

// A checkpointed comparison (compare --out) counted each arm's failures from the last arm's
// run, so the first arm's failed mothers went unreported. Rows read back from a checkpoint
// where only the first arm has a failed mother must count it there.
TEST(PopulationDistributions, CheckpointedComparisonCountsEachArmsOwnFailures) {
  const auto dir = test::fresh_temp_dir("population_failed_counts");
  const std::string population = "[population]\nsize = 3\nseed = 2\n[population.variability]\npain_peak_nrs = 0.5\n";
  const Scenario control = parse_scenario(with_population("seed_case_control.toml", population), "control.toml");
  const Scenario massage = parse_scenario(with_population("seed_case_massage.toml", population), "massage.toml");
  const std::size_t endpoints = endpoint_names(control.duration_days).size();
  std::string rows = population_rows_header(control.duration_days);
  for (std::size_t row = 0; row < 6; ++row) {
    const bool failed = row == 1;  // arm 0 (control), mother 1
    rows += std::to_string(row) + "," + (row < 3 ? "control" : "massage") + "," + std::to_string(row % 3) +
            (failed ? ",failed" : ",ok") + std::string(endpoints, ',') + (failed ? ",integration failed" : ",") + "\n";
  }
  test::write_text(dir / "rows.partial", rows);
  std::ostringstream sink;
  PopulationCheckpoint checkpoint;
  checkpoint.rows = &sink;
  checkpoint.resumed_file = dir / "rows.partial";
  checkpoint.completed_rows = 6;
  const Comparison c = compare_scenarios({control, massage}, test::compare_options(1, true), &checkpoint);
  ASSERT_EQ(c.failed_mothers.size(), 2u);
  EXPECT_EQ(c.failed_mothers[0], 1u);
  EXPECT_EQ(c.failed_mothers[1], 0u);
  EXPECT_EQ(c.first_failure[0], "integration failed");
  EXPECT_NE(population_counts_text(c).find("control: 3 requested, 2 included, 1 failed; first reason: integration failed"),
            std::string::npos)
      << population_counts_text(c);
}

TEST(PopulationDistributions, CompareCommandPrintsTheCountsOnStderr) {
  const auto dir = test::fresh_temp_dir("population_counts");
  const std::string population = "[population]\nsize = 8\nseed = 2\n[population.variability]\npain_peak_nrs = 0.5\n";
  test::write_text(dir / "control.toml", with_population("seed_case_control.toml", population));
  test::write_text(dir / "massage.toml", with_population("seed_case_massage.toml", population));
  const test::CliResult r = test::run_cli("compare " + test::quoted(dir / "control.toml") + " " +
                                          test::quoted(dir / "massage.toml") + " --out " + test::quoted(dir / "c.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("massage: 8 requested, 8 included, 0 failed"), std::string::npos) << r.err;
  EXPECT_NE(test::read_file(dir / "c.csv").find(",8,8,0\n"), std::string::npos);
}

}  // namespace
}  // namespace lactsim
