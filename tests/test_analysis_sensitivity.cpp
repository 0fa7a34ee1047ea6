// Sobol (Saltelli/Jansen) and Morris estimators against analytic results.

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "lactsim/analysis/sensitivity.hpp"

namespace lactsim {
namespace {

constexpr double kPi = std::numbers::pi;

/// Ishigami & Homma (1990) with a = 7, b = 0.1 on x_i ∈ [−π, π].
bool ishigami(std::span<const double> u, std::span<double> y, unsigned) {
  const double x1 = -kPi + 2 * kPi * u[0], x2 = -kPi + 2 * kPi * u[1], x3 = -kPi + 2 * kPi * u[2];
  y[0] = std::sin(x1) + 7.0 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
  return true;
}

// Analytic indices (Sobol & Levitan 1999; Saltelli et al. 2008, Global Sensitivity Analysis, §4):
// V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2, V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V13 = b²π⁸(1/18 − 1/50).
struct IshigamiTruth {
  double variance, s1, s2, s3, st1, st2, st3;
};
IshigamiTruth ishigami_truth() {
  const double a = 7, b = 0.1, pi4 = std::pow(kPi, 4), pi8 = std::pow(kPi, 8);
  const double v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
  const double v1 = 0.5 * std::pow(1 + b * pi4 / 5, 2), v2 = a * a / 8, v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
  return {v, v1 / v, v2 / v, 0.0, (v1 + v13) / v, v2 / v, v13 / v};
}

SensitivityOptions ishigami_options(std::size_t samples, unsigned threads) {
  SensitivityOptions o;
  o.dimensions = 3;
  o.outputs = 1;
  o.samples = samples;
  o.threads = threads;
  o.seed = 11;
  o.bootstrap_replicates = 100;
  return o;
}

TEST(AnalysisSensitivity, IshigamiTruthMatchesPublishedValues) {
  const auto t = ishigami_truth();  // Saltelli et al. 2008, Table 4.1 (rounded)
  EXPECT_NEAR(t.s1, 0.3139, 1e-4);
  EXPECT_NEAR(t.s2, 0.4424, 1e-4);
  EXPECT_NEAR(t.st1, 0.5576, 1e-4);
  EXPECT_NEAR(t.st3, 0.2437, 1e-4);
}

TEST(AnalysisSensitivity, SobolIndicesOfIshigamiMatchAnalyticValues) {
  const auto truth = ishigami_truth();
  const SobolResult r = sobol_analysis(ishigami, ishigami_options(1 << 14, 2));
  ASSERT_EQ(r.base_samples, 1u << 14);
  EXPECT_EQ(r.model_runs, 5u * (1 << 14));
  const auto& s = r.by_output[0];
  EXPECT_NEAR(s.variance, truth.variance, 0.03 * truth.variance);
  const double expected_first[] = {truth.s1, truth.s2, truth.s3};
  const double expected_total[] = {truth.st1, truth.st2, truth.st3};
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(s.first_order[i].value, expected_first[i], 0.03) << "S" << i + 1;
    EXPECT_NEAR(s.total_order[i].value, expected_total[i], 0.03) << "ST" << i + 1;
    EXPECT_LE(s.first_order[i].low, s.first_order[i].value);
    EXPECT_GE(s.first_order[i].high, s.first_order[i].value);
    EXPECT_LT(s.total_order[i].high - s.total_order[i].low, 0.1) << "interval too wide";
    // Bootstrap intervals should hold the truth (widened by the 0.01 Sobol-vs-iid slack).
    EXPECT_LE(s.total_order[i].low - 0.01, expected_total[i]);
    EXPECT_GE(s.total_order[i].high + 0.01, expected_total[i]);
  }
}

TEST(AnalysisSensitivity, SobolResultDoesNotDependOnThreadCount) {
  const SobolResult one = sobol_analysis(ishigami, ishigami_options(1000, 1));
  const SobolResult two = sobol_analysis(ishigami, ishigami_options(1000, 2));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(one.by_output[0].first_order[i].value, two.by_output[0].first_order[i].value);
    EXPECT_EQ(one.by_output[0].total_order[i].low, two.by_output[0].total_order[i].low);
    EXPECT_EQ(one.by_output[0].total_order[i].high, two.by_output[0].total_order[i].high);
  }
}

TEST(AnalysisSensitivity, FailedRunsAreDroppedAndCounted) {
  // Fail whenever the first coordinate is in its top tenth: those base samples are dropped.
  const UnitModel flaky = [](std::span<const double> u, std::span<double> y, unsigned w) {
    if (u[0] > 0.9) return false;
    return ishigami(u, y, w);
  };
  const SobolResult r = sobol_analysis(flaky, ishigami_options(1000, 2));
  EXPECT_GT(r.failed_samples, 50u);
  EXPECT_EQ(r.failed_samples + r.base_samples, 1000u);
  EXPECT_TRUE(std::isfinite(r.by_output[0].first_order[1].value));
}

TEST(AnalysisSensitivity, NoSuccessfulSampleGivesUndefinedIndicesNotZeros) {
  // Zeros would read as "this input does not matter"; with no sample there is no estimate.
  const UnitModel always_fails = [](std::span<const double>, std::span<double>, unsigned) { return false; };
  const SobolResult r = sobol_analysis(always_fails, ishigami_options(16, 1));
  EXPECT_EQ(r.base_samples, 0u);
  for (const SobolIndices& output : r.by_output) {
    EXPECT_TRUE(std::isnan(output.variance));
    for (const auto* indices : {&output.first_order, &output.total_order}) {
      for (const Estimate& e : *indices) {
        EXPECT_TRUE(std::isnan(e.value) && std::isnan(e.low) && std::isnan(e.high));
      }
    }
  }
}

TEST(AnalysisSensitivity, MorrisRecoversLinearCoefficientsExactly) {
  // y = 3 u1 − 2 u2 + 0 u3: every elementary effect equals the coefficient.
  const UnitModel linear = [](std::span<const double> u, std::span<double> y, unsigned) {
    y[0] = 3 * u[0] - 2 * u[1];
    return true;
  };
  SensitivityOptions o = ishigami_options(50, 2);
  const MorrisResult r = morris_analysis(linear, o);
  ASSERT_EQ(r.trajectories, 50u);
  EXPECT_NEAR(r.by_output[0][0].mu, 3.0, 1e-12);
  EXPECT_NEAR(r.by_output[0][0].mu_star, 3.0, 1e-12);
  EXPECT_NEAR(r.by_output[0][1].mu, -2.0, 1e-12);
  EXPECT_NEAR(r.by_output[0][1].mu_star, 2.0, 1e-12);
  EXPECT_NEAR(r.by_output[0][2].mu_star, 0.0, 1e-12);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(r.by_output[0][i].sigma, 0.0, 1e-9);
}

TEST(AnalysisSensitivity, MorrisOnIshigamiSeesX3OnlyThroughItsInteraction) {
  const MorrisResult r = morris_analysis(ishigami, ishigami_options(500, 2));
  const auto& m = r.by_output[0];
  // x3 acts only through x3⁴ sin(x1), which is odd in x1: its mean effect averages out while
  // its absolute effect and spread do not (Campolongo et al. 2007).
  EXPECT_LT(std::abs(m[2].mu), 0.35 * m[2].mu_star);
  EXPECT_GT(m[2].sigma, 0.5 * m[2].mu_star);
  EXPECT_GT(m[0].mu_star, 0.0);
  EXPECT_GT(m[1].mu_star, 0.0);
  const MorrisResult again = morris_analysis(ishigami, ishigami_options(500, 1));
  EXPECT_EQ(again.by_output[0][2].mu_star, m[2].mu_star);  // thread-independent
}

}  // namespace
}  // namespace lactsim
