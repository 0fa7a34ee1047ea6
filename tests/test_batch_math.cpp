// The batch exponentials and logarithms the cascade solver uses (libmvec where it links)
// against the scalar std::exp / std::log, which are the oracles: glibc documents its vector
// functions to ≤ 4 ulp, and nothing in the solvers needs more.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "lactsim/model/batch_math.hpp"
#include "lactsim/model/covariates.hpp"
#include "lactsim/model/pain.hpp"
#include "lactsim/model/parameter_registry.hpp"

namespace lactsim::model {
namespace {

/// |a − b| in units of the last place of b.
double ulps(double a, double b) {
  const double ulp = std::nextafter(std::abs(b), std::numeric_limits<double>::infinity()) - std::abs(b);
  return std::abs(a - b) / ulp;
}

TEST(BatchMath, ExpAndLogAgreeWithTheScalarFunctionsToFourUlps) {
  // Odd and even lengths (the odd element takes its own path), arguments across the
  // solvers' range: e^{−k τ} with k τ up to 24, logits of ±40, log of t / t_peak.
  for (const std::size_t length : {1u, 2u, 7u, 21u}) {
    std::vector<double> x(length), out(length);
    for (std::size_t i = 0; i < length; ++i) x[i] = -40.0 + 80.0 * static_cast<double>(i) / static_cast<double>(length);
    exp_batch(x.data(), out.data(), length);
    for (std::size_t i = 0; i < length; ++i) EXPECT_LE(ulps(out[i], std::exp(x[i])), 4.0) << "exp(" << x[i] << ")";
    for (std::size_t i = 0; i < length; ++i) x[i] = 0.05 + 30.0 * static_cast<double>(i) / static_cast<double>(length);
    log_batch(x.data(), out.data(), length);
    for (std::size_t i = 0; i < length; ++i) EXPECT_LE(ulps(out[i], std::log(x[i])), 4.0) << "log(" << x[i] << ")";
    // In place gives the same values.
    std::vector<double> in_place = x;
    log_batch(in_place.data(), in_place.data(), length);
    EXPECT_EQ(in_place, out);
  }
  // Limits pass through: e^{−∞}-like underflow to 0, log 1 = 0.
  double edge[2] = {-1000.0, 0.0};
  exp_batch(edge, edge, 2);
  EXPECT_EQ(edge[0], 0.0);
  EXPECT_EQ(edge[1], 1.0);
}

TEST(BatchMath, PainAtManyTimesMatchesPainAtEachTime) {
  // nrs_at_times batches the log-decline's logarithms; every piece of the profile (before
  // anaesthesia wears off, the rise, the decline, after resolution) must agree with nrs_at.
  // Planned caesarean defaults: analgesia 12 h, peak at 20 h, resolved at 504 h.
  const PainInput pain = PainInput::parametric(default_parameters(Covariates{DeliveryMode::caesarean_planned}));
  const std::vector<double> decline = {20.0, 20.5, 31.0, 47.25, 60.0};
  const std::vector<double> mixed = {0.5, 15.0, 100.0, 600.0};
  for (const auto* times : {&decline, &mixed}) {
    std::vector<double> out(times->size());
    pain.nrs_at_times(*times, out);
    for (std::size_t i = 0; i < times->size(); ++i) {
      EXPECT_NEAR(out[i], pain.nrs_at((*times)[i]), 1e-13) << "t = " << (*times)[i];
    }
  }
}

}  // namespace
}  // namespace lactsim::model
