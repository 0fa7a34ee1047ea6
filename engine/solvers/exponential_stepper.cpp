#include "solvers/exponential_stepper.hpp"

#include "solvers/integrator.hpp"

namespace lactsim {
namespace {

namespace st = model::state;
using model::kStateCount;

// Dormand & Prince (1980) 5(4) tableau. Nodes are multiples of 1/90, which lets every
// needed e^{-L c h} be built from one exponential per state (fill_exponential_table).
constexpr std::array<int, 7> kNodeNinetieths = {0, 18, 27, 72, 80, 90, 90};
constexpr double kA[7][6] = {
    {},
    {1.0 / 5},
    {3.0 / 40, 9.0 / 40},
    {44.0 / 45, -56.0 / 15, 32.0 / 9},
    {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
    {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
    {35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
/// b − b̂: fifth-order minus embedded fourth-order weights.
constexpr std::array<double, 7> kErrorWeights = {35.0 / 384 - 5179.0 / 57600,
                                                 0.0,
                                                 500.0 / 1113 - 7571.0 / 16695,
                                                 125.0 / 192 - 393.0 / 640,
                                                 -2187.0 / 6784 + 92097.0 / 339200,
                                                 11.0 / 84 - 187.0 / 2100,
                                                 -1.0 / 40};
constexpr int kStepperOrder = 5;
constexpr int kErrorOrder = 4;
/// Rates closer than this fraction are not decoupled (γ would amplify rounding).
constexpr double kMinRelativeRateSeparation = 0.05;

/// Fills p[k] = u^k, u = e^{-loss h / 90}, for every k the tableau needs (differences of
/// nodes, in ninetieths). One exp per state, then ≤ 16 multiplications: ~1e-15 relative.
void fill_exponential_table(const model::State& loss, double h, std::array<model::State, 91>& p) {
  for (std::size_t i = 0; i < kStateCount; ++i) {
    p[0][i] = 1.0;
    if (loss[i] == 0.0) {
      for (int k : {8, 9, 10, 18, 27, 45, 53, 54, 62, 63, 72, 80, 90}) p[static_cast<std::size_t>(k)][i] = 1.0;
      continue;
    }
    const double u = std::exp(-loss[i] * h / 90.0);
    const double u2 = u * u, u4 = u2 * u2, u8 = u4 * u4;
    p[8][i] = u8;
    p[9][i] = u8 * u;
    p[10][i] = p[9][i] * u;
    p[18][i] = p[9][i] * p[9][i];
    p[27][i] = p[18][i] * p[9][i];
    p[45][i] = p[27][i] * p[18][i];
    p[53][i] = p[45][i] * u8;
    p[54][i] = p[27][i] * p[27][i];
    p[62][i] = p[54][i] * u8;
    p[63][i] = p[54][i] * p[9][i];
    p[72][i] = p[63][i] * p[9][i];
    p[80][i] = p[72][i] * u8;
    p[90][i] = p[80][i] * p[10][i];
  }
}

}  // namespace

void ExponentialDormandPrinceStepper::to_transformed(const Vector& y, Vector& z) const {
  z = y;
  z[st::prolactin_evoked] -= gamma_ * y[st::prolactin_release_drive];
}

void ExponentialDormandPrinceStepper::to_original(const Vector& z, Vector& y) const {
  y = z;
  y[st::prolactin_evoked] += gamma_ * z[st::prolactin_release_drive];
}

void ExponentialDormandPrinceStepper::remainder(const Vector& f, const Vector& z, Vector& n) const {
  for (std::size_t i = 0; i < kStateCount; ++i) n[i] = f[i] + loss_[i] * z[i];
  n[st::prolactin_evoked] -= gamma_ * f[st::prolactin_release_drive];
}

void ExponentialDormandPrinceStepper::lawson_step(const model::State& x, const model::State& dxdt, double t,
                                                  double h, model::State& y, model::State& f) {
  // Time-only factors at every node, from one exponential per clock (nodes are k h / 90).
  std::array<model::TimeFactors, kStages> factors;
  model_.time_factors_on_grid(t, h / 90.0, kNodeNinetieths, factors);
  // The linear part, frozen for this step.
  const model::LinearPart linear = model_.linear_part(x, factors[0]);
  loss_ = linear.loss_rate_per_h;
  const double k_prl = loss_[st::prolactin_evoked], k_drive = loss_[st::prolactin_release_drive];
  const double separation = k_prl - k_drive;
  gamma_ = std::abs(separation) > kMinRelativeRateSeparation * std::max(k_prl, k_drive)
               ? linear.drive_to_prolactin_ng_ml_h / separation
               : 0.0;

  // A loss this small over the step is not stiff; treating it explicitly avoids the
  // cancellation in τ + e^{-L h}(z − τ) when L h → 0.
  constexpr double kMinExponentialLoss = 1e-3;
  for (double& loss : loss_) {
    if (loss * h < kMinExponentialLoss) loss = 0.0;
  }
  fill_exponential_table(loss_, h, exponential_power_);
  const auto& e = exponential_power_;

  // Lawson's method is applied around the frozen target τ = N(t_n, z_n) / L (where the
  // state would settle if the inputs stayed as they are now): u = z − τ obeys
  // u' = −L u + (N − N_1). A plain Lawson step is not exact for a constant input and its
  // error estimate then bounds L h (~0.6 for OT at rest, measured); around τ the method
  // is exact for constant inputs and only their change over the step is integrated.
  Vector z0, z, target{};
  to_transformed(x, z0);
  // frozen_input = L τ: the part of N taken out of every stage (0 where L = 0).
  Vector frozen_input{};
  remainder(dxdt, z0, stage_remainder_[0]);
  for (std::size_t i = 0; i < kStateCount; ++i) {
    if (loss_[i] != 0.0) {
      frozen_input[i] = stage_remainder_[0][i];
      target[i] = frozen_input[i] / loss_[i];
      stage_remainder_[0][i] = 0.0;
    }
  }
  for (std::size_t s = 1; s < kStages; ++s) {
    const auto cs = static_cast<std::size_t>(kNodeNinetieths[s]);
    // Inner loops run over the state (fixed length 9), contiguous, so they can vectorise.
    for (std::size_t i = 0; i < kStateCount; ++i) z[i] = target[i] + e[cs][i] * (z0[i] - target[i]);
    for (std::size_t j = 0; j < s; ++j) {
      const double weight = h * kA[s][j];
      if (weight == 0.0) continue;
      const auto& decay = e[cs - static_cast<std::size_t>(kNodeNinetieths[j])];
      const auto& n = stage_remainder_[j];
      for (std::size_t i = 0; i < kStateCount; ++i) z[i] += weight * decay[i] * n[i];
    }
    to_original(z, y);
    model_.rhs(y, f, factors[s]);
    auto& n = stage_remainder_[s];
    remainder(f, z, n);
    for (std::size_t i = 0; i < kStateCount; ++i) n[i] -= frozen_input[i];
  }
  // Stage 7 is the new point (c = 1, a_7j = b_j): y holds y_{n+1}, f holds f(t + h, y_{n+1}).
}

void ExponentialDormandPrinceStepper::state_at(const StepView& s, double t, model::State& x) {
  if (t <= s.t0) {
    x = s.x0;
    return;
  }
  model::State f;
  lawson_step(s.x0, s.dxdt0, s.t0, t - s.t0, x, f);
}

bool ExponentialDormandPrinceStepper::try_step(const model::State& x, const model::State& dxdt, double& t,
                                               model::State& x_new, model::State& dxdt_new, double& dt) {
  const double h = dt;
  Vector y, f;
  lawson_step(x, dxdt, t, h, y, f);
  const auto& e = exponential_power_;

  // Error estimate h Σ (b_j − b̂_j) e^{-(1 − c_j) h L} N_j, back in original coordinates.
  Vector error_z{};
  for (std::size_t j = 0; j < kStages; ++j) {
    const double weight = h * kErrorWeights[j];
    if (weight == 0.0) continue;
    const auto& decay = e[static_cast<std::size_t>(90 - kNodeNinetieths[j])];
    const auto& n = stage_remainder_[j];
    for (std::size_t i = 0; i < kStateCount; ++i) error_z[i] += weight * decay[i] * n[i];
  }
  Vector error;
  to_original(error_z, error);

  // Boost.Odeint's default_error_checker (a_x = a_dxdt = 1, max norm) and step adjuster.
  double max_relative_error = 0.0;
  for (std::size_t i = 0; i < kStateCount; ++i) {
    const double size = std::abs(x[i]);
    const double scale = absolute_tolerance_ + relative_tolerance_ * (size + h * std::abs(dxdt[i]));
    max_relative_error = std::max(max_relative_error, std::abs(error[i]) / scale);
  }
  if (!(max_relative_error <= 1.0)) {
    // NaN lands here too: the step is rejected and shrunk; a non-finite estimate at every
    // size ends in the caller's step-size underflow error.
    const double factor = std::isfinite(max_relative_error)
                              ? std::max(0.9 * std::pow(max_relative_error, -1.0 / (kErrorOrder - 1)), 0.2)
                              : 0.2;
    dt = std::min(h * factor, max_step_h_);
    return false;
  }
  x_new = y;
  dxdt_new = f;
  t += h;
  if (max_relative_error < 0.5) {
    const double bounded = std::max(std::pow(5.0, -kStepperOrder), max_relative_error);
    dt = std::min(h * 0.9 * std::pow(bounded, -1.0 / kStepperOrder), max_step_h_);
  }
  return true;
}

}  // namespace lactsim
