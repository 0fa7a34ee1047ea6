#include "lactsim/sim/cascade_solver.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "lactsim/model/state_info.hpp"
#include "lactsim/sim/chebyshev_lobatto.hpp"

namespace lactsim {
namespace {

namespace st = model::state;
using Chebyshev = ChebyshevLobatto<kCascadeDegree>;
using Values = Chebyshev::Values;
constexpr int kLast = kCascadeDegree;

/// Error of an integral from the resolution error of its integrand over a substep of length
/// h: the interpolation error is ~ the first neglected Chebyshev terms (a_{N−1}, a_N are
/// their proxy), and ∫T_k = (T_{k+1}/(k+1) − T_{k−1}/(k−1))/2 shrinks a degree-N term by ~N,
/// so the integral's error is ~ h·(|a_{N−1}| + |a_N|)/N (Trefethen 2008, SIAM Rev 50:67).
double integral_error(const Values& integrand, double h) {
  return h * Chebyshev::resolution_error(Chebyshev::get(), integrand) / kCascadeDegree;
}

/// Largest rate × substep length tried at all: beyond it e^{κ} integrating factors lose
/// digits and 13 points cannot resolve an e^{−κx} transient anyway.
constexpr double kLargestExponent = 24.0;
/// A segment whose every substep used less than this share of the tolerance is tried with
/// half as many substeps next time. Halving a substep cut the estimate by 4–60× in the
/// shipped scenarios (not the asymptotic 2^13: the ejection gate's poles are near), so
/// 1/64 keeps the retry from being rejected most of the time.
constexpr double kCoarsenBelow = 1.0 / 64.0;
constexpr int kMaxHalvings = 40;

/// e^{−k τ_j} at the points of a substep of length h, for each fixed rate of the model, and
/// the PRL coupling (e^{−k_D τ} − e^{−k_P τ}) / (k_P − k_D). Segment lengths repeat (feeds,
/// gaps, pre-feed leads), so these are cached per length.
struct NodeExponentials {
  double h = -1.0;
  Values ot, drive, prl, relief_onset, relief_decay, basal, maturation, withdrawal, coupling;
};

class NodeExponentialCache {
 public:
  explicit NodeExponentialCache(const model::LactationModel& model) : model_(model) {}

  const NodeExponentials& get(double h) {
    for (const NodeExponentials& entry : entries_) {
      if (entry.h == h) return entry;
    }
    NodeExponentials& entry = entries_[next_];
    next_ = (next_ + 1) % entries_.size();
    fill(entry, h);
    return entry;
  }

 private:
  void fill(NodeExponentials& e, double h) const {
    const Chebyshev& c = Chebyshev::get();
    const model::ModelParameters& p = model_.parameters();
    const double k_ot = model_.oxytocin_clearance_per_h(), k_drive = model_.release_drive_rate_per_h();
    const double k_prl = model_.prolactin_clearance_per_h();
    e.h = h;
    for (int j = 0; j <= kLast; ++j) {
      const double tau = h * c.node[j];
      e.ot[j] = std::exp(-k_ot * tau);
      e.drive[j] = std::exp(-k_drive * tau);
      e.prl[j] = std::exp(-k_prl * tau);
      e.relief_onset[j] = std::exp(-model_.relief_onset_rate_per_h() * tau);
      e.relief_decay[j] = std::exp(-model_.relief_decay_rate_per_h() * tau);
      e.basal[j] = std::exp(-tau / p.prl_basal_decline_h);
      e.maturation[j] = std::exp(-tau / p.prl_response_maturation_h);
      e.withdrawal[j] = std::exp(-tau / p.progesterone_withdrawal_h);
      // τ e^{−k_P τ} φ1((k_P − k_D) τ), φ1(z) = (e^z − 1)/z: no cancellation when k_P ≈ k_D.
      const double z = (k_prl - k_drive) * tau;
      const double phi1 = z == 0.0 ? 1.0 : std::expm1(z) / z;
      e.coupling[j] = tau * e.prl[j] * phi1;
    }
  }

  const model::LactationModel& model_;
  std::array<NodeExponentials, 32> entries_{};
  std::size_t next_ = 0;
};

/// Everything one substep computes.
struct SubstepResult {
  Values oxytocin, prolactin_total, logit;
  model::State x1{};
  double logit_end = 0.0;
  double error_ratio = 0.0;  ///< largest error / (atol + rtol·|x|) over the states
};

class CascadeStepper {
 public:
  CascadeStepper(const model::LactationModel& model, const SolverOptions& options)
      : model_(model), options_(options), cache_(model) {}

  /// One substep [t0, t0 + h] under the model's current stimulus; `logit0` is the logit of
  /// x0's activation. Fills `r`, including its error ratio (> 1: reject).
  void step(double t0, double h, const model::State& x0, double logit0, SubstepResult& r) {
    const Chebyshev& c = Chebyshev::get();
    const NodeExponentials& e = cache_.get(h);
    const model::ModelParameters& p = model_.parameters();
    const model::Stimulus& stimulus = model_.stimulus();
    const bool removal = stimulus.feeding || stimulus.pumping;
    const model::TimeFactors start = model_.time_factors(t0);
    const double k_ot = model_.oxytocin_clearance_per_h(), k_prl = model_.prolactin_clearance_per_h();
    const Values& relief_decay = stimulus.massage ? e.relief_onset : e.relief_decay;
    const double relief_target = model_.relief_target(), drive_target = model_.release_drive_target();
    const double relief0 = x0[st::massage_relief], drive0 = x0[st::prolactin_release_drive];

    // Level 1, closed forms and time-only factors at the points.
    Values pain, withdrawal, basal, ot_target, gain, drive;
    for (int j = 0; j <= kLast; ++j) {
      model::TimeFactors f;
      f.pain_nrs = model_.pain().nrs_at(t0 + h * c.node[j]);
      f.basal_decay = start.basal_decay * e.basal[j];
      f.maturation_decay = start.maturation_decay * e.maturation[j];
      f.withdrawal_decay = start.withdrawal_decay * e.withdrawal[j];
      const double relief = relief_target + (relief0 - relief_target) * relief_decay[j];
      pain[j] = model_.effective_pain(f.pain_nrs, relief);
      withdrawal[j] = f.withdrawal_decay;
      basal[j] = model_.basal_prolactin(f);
      ot_target[j] = model_.oxytocin_target(pain[j]);
      gain[j] = model_.prolactin_evoked_gain(f, pain[j]);
      drive[j] = drive_target + (drive0 - drive_target) * e.drive[j];
    }

    double worst = 0.0;
    auto account = [&](std::size_t state, double error) {
      const double scale = options_.absolute_tolerance +
                           options_.relative_tolerance * std::max(std::abs(x0[state]), std::abs(r.x1[state]));
      worst = std::max(worst, error / scale);
    };
    Values integrand, integral;

    // Level 2a, OT: relaxation to the target at the start (exact) plus the response to the
    // target's drift, k ∫ e^{−k(τ−u)} (T(u) − T(0)) du.
    const double ot0 = x0[st::oxytocin];
    for (int j = 0; j <= kLast; ++j) r.oxytocin[j] = ot_target[0] + (ot0 - ot_target[0]) * e.ot[j];
    double ot_error = 0.0;
    if (std::any_of(ot_target.begin(), ot_target.end(), [&](double v) { return v != ot_target[0]; })) {
      if (k_ot * h > kLargestExponent) return reject(r);
      for (int j = 0; j <= kLast; ++j) integrand[j] = k_ot * (ot_target[j] - ot_target[0]) / e.ot[j];
      Chebyshev::integrate(c, integrand, h, integral);
      for (int j = 0; j <= kLast; ++j) r.oxytocin[j] += e.ot[j] * integral[j];
      ot_error = e.ot[kLast] * integral_error(integrand, h);
    }

    // Level 2b, evoked PRL: P' = k_P (G D − P) with the gain G frozen at the start (closed
    // form, D a relaxing exponential) plus the response to G's drift, as for OT.
    const double prl0 = x0[st::prolactin_evoked];
    Values evoked;
    for (int j = 0; j <= kLast; ++j) {
      evoked[j] = prl0 * e.prl[j] + gain[0] * drive_target * (1.0 - e.prl[j]) +
                  gain[0] * (drive0 - drive_target) * k_prl * e.coupling[j];
    }
    double prl_error = 0.0;
    if (std::any_of(gain.begin(), gain.end(), [&](double v) { return v != gain[0]; })) {
      if (k_prl * h > kLargestExponent) return reject(r);
      for (int j = 0; j <= kLast; ++j) integrand[j] = k_prl * (gain[j] - gain[0]) * drive[j] / e.prl[j];
      Chebyshev::integrate(c, integrand, h, integral);
      for (int j = 0; j <= kLast; ++j) evoked[j] += e.prl[j] * integral[j];
      prl_error = e.prl[kLast] * integral_error(integrand, h);
    }
    for (int j = 0; j <= kLast; ++j) r.prolactin_total[j] = basal[j] + evoked[j];

    // Level 3, activation: logit(a)' = growth rate (independent of a).
    Values growth, activation;
    for (int j = 0; j <= kLast; ++j) {
      model::TimeFactors f;
      f.withdrawal_decay = withdrawal[j];
      growth[j] = model_.activation_growth_rate(f, pain[j], r.prolactin_total[j]);
    }
    Chebyshev::integrate(c, growth, h, integral);
    for (int j = 0; j <= kLast; ++j) {
      r.logit[j] = logit0 + integral[j];
      activation[j] = 1.0 / (1.0 + std::exp(-r.logit[j]));
    }
    const double logit_error = integral_error(growth, h);

    // Level 4, stored milk: S' = a (1 − S/cap) − b S with a = synthesis into an empty store
    // and b the OT-gated removal rate, i.e. S' = a − λ S, λ = a/cap + b: integrating factor
    // S = e^{−B} (S0 + ∫ a e^{B}), B = ∫ λ.
    const double capacity = p.milk_storage_capacity_ml;
    const double stored0 = x0[st::milk_stored];
    Values synthesis;
    for (int j = 0; j <= kLast; ++j) {
      synthesis[j] = model_.synthesis_empty_store_ml_h(activation[j], r.prolactin_total[j]);
    }
    double stored1, to_infant = 0.0, to_pump = 0.0, synthesised;
    double stored_error, transferred_error = 0.0, expressed_error = 0.0, synthesised_error;
    if (!removal) {
      // No removal: cap − S decays with rate a/cap, and everything synthesised is stored.
      const double filled = Chebyshev::integrate_all(c, synthesis, h) / capacity;
      stored1 = capacity - (capacity - stored0) * std::exp(-filled);
      synthesised = stored1 - stored0;
      stored_error = (capacity - stored1) * integral_error(synthesis, h) / capacity;
      synthesised_error = stored_error;
    } else {
      Values loss, infant, pump, factor, stored, into_store;
      for (int j = 0; j <= kLast; ++j) {
        infant[j] = model_.infant_removal_rate_per_h(r.oxytocin[j]);
        pump[j] = model_.pump_removal_rate_per_h(r.oxytocin[j]);
        loss[j] = synthesis[j] / capacity + infant[j] + pump[j];
      }
      Chebyshev::integrate(c, loss, h, integral);
      if (integral[kLast] > kLargestExponent) return reject(r);
      for (int j = 0; j <= kLast; ++j) {
        factor[j] = std::exp(integral[j]);
        integrand[j] = synthesis[j] * factor[j];
      }
      Chebyshev::integrate(c, integrand, h, integral);
      for (int j = 0; j <= kLast; ++j) {
        stored[j] = (stored0 + integral[j]) / factor[j];
        into_store[j] = synthesis[j] * (1.0 - stored[j] / capacity);
      }
      stored1 = stored[kLast];
      stored_error = stored1 * integral_error(loss, h) + integral_error(integrand, h) / factor[kLast];
      for (int j = 0; j <= kLast; ++j) {
        infant[j] *= stored[j];
        pump[j] *= stored[j];
      }
      to_infant = Chebyshev::integrate_all(c, infant, h);
      to_pump = Chebyshev::integrate_all(c, pump, h);
      synthesised = Chebyshev::integrate_all(c, into_store, h);
      transferred_error = integral_error(infant, h);
      expressed_error = integral_error(pump, h);
      synthesised_error = integral_error(into_store, h);
    }

    model::State& x1 = r.x1;
    x1[st::oxytocin] = r.oxytocin[kLast];
    x1[st::prolactin_evoked] = evoked[kLast];
    x1[st::prolactin_release_drive] = drive[kLast];
    x1[st::activation] = activation[kLast];
    x1[st::milk_stored] = stored1;
    x1[st::milk_transferred] = x0[st::milk_transferred] + to_infant;
    x1[st::milk_expressed] = x0[st::milk_expressed] + to_pump;
    x1[st::milk_synthesised] = x0[st::milk_synthesised] + synthesised;
    x1[st::massage_relief] = relief_target + (relief0 - relief_target) * relief_decay[kLast];
    r.logit_end = r.logit[kLast];

    const double a1 = activation[kLast];
    account(st::oxytocin, ot_error);
    account(st::prolactin_evoked, prl_error);
    account(st::activation, a1 * (1.0 - a1) * logit_error);
    account(st::milk_stored, stored_error);
    account(st::milk_transferred, transferred_error);
    account(st::milk_expressed, expressed_error);
    account(st::milk_synthesised, synthesised_error);
    r.error_ratio = worst;
  }

 private:
  static void reject(SubstepResult& r) { r.error_ratio = 1e300; }

  const model::LactationModel& model_;
  const SolverOptions& options_;
  NodeExponentialCache cache_;
};

double logit(double a) { return std::log(a / (1.0 - a)); }

}  // namespace

double cascade_interpolate(std::span<const double> values, double x) {
  return Chebyshev::interpolate(Chebyshev::get(), values, x);
}

SolverStats integrate_segments_cascade(model::LactationModel& model, std::span<const Segment> segments,
                                       model::State& x, const SolverOptions& options, CascadeObserver& observer) {
  SolverStats stats;
  if (segments.empty()) return stats;
  CascadeStepper stepper(model, options);
  const Chebyshev& chebyshev = Chebyshev::get();
  SubstepResult result;
  // Halvings that sufficed for the last segment of each stimulus kind: feeds look alike.
  std::array<int, 16> halvings_by_kind{};
  double activation_logit = logit(std::clamp(x[st::activation], 1e-300, 1.0 - 1e-16));
  observer.on_edge(segments.front().start_h, x, &segments.front());

  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& segment = segments[i];
    model.set_stimulus(segment.stimulus);
    const std::size_t kind = stimulus_kind(segment.stimulus);
    const double length = segment.end_h - segment.start_h;
    int halvings = halvings_by_kind[kind];
    double pieces_left = std::ldexp(1.0, halvings);
    double h = length / pieces_left;
    double t = segment.start_h;
    double worst_ratio = 0.0;
    while (pieces_left > 0.0) {
      if (stats.accepted_steps + stats.rejected_steps >= options.max_steps) {
        throw SimulationError(t, "", "step budget of " + std::to_string(options.max_steps) + " substeps exhausted");
      }
      stepper.step(t, h, x, activation_logit, result);
      if (!(result.error_ratio <= 1.0)) {
        ++stats.rejected_steps;
        h *= 0.5;
        pieces_left *= 2.0;
        ++halvings;
        if (h < options.min_step_h || halvings > kMaxHalvings) {
          throw SimulationError(t, "", "substep fell below " + std::to_string(options.min_step_h) + " h");
        }
        continue;
      }
      ++stats.accepted_steps;
      worst_ratio = std::max(worst_ratio, result.error_ratio);
      for (std::size_t k = 0; k < model::kStateCount; ++k) {
        if (!std::isfinite(result.x1[k])) {
          throw SimulationError(t + h, std::string(model::state_info()[k].name), "state became non-finite");
        }
      }
      observer.on_substep(CascadeSubstepView{t, h, chebyshev.node, result.oxytocin, result.prolactin_total,
                                             result.logit, x, result.x1});
      x = result.x1;
      activation_logit = result.logit_end;
      pieces_left -= 1.0;
      t = pieces_left > 0.0 ? t + h : segment.end_h;
    }
    halvings_by_kind[kind] = (worst_ratio < kCoarsenBelow && halvings > 0) ? halvings - 1 : halvings;
    observer.on_edge(segment.end_h, x, i + 1 < segments.size() ? &segments[i + 1] : nullptr);
  }
  return stats;
}

}  // namespace lactsim
