#include "solvers/cascade_solver.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "lactsim/model/batch_math.hpp"
#include "lactsim/model/state_info.hpp"
#include "solvers/chebyshev_lobatto.hpp"
#include "solvers/step_checks.hpp"

namespace lactsim {
namespace {

namespace st = model::state;

/// Error of an integral from the resolution error of its integrand over a substep of length
/// h: the interpolation error is ~ the first neglected Chebyshev terms (a_{N−1}, a_N are
/// their proxy), and ∫T_k = (T_{k+1}/(k+1) − T_{k−1}/(k−1))/2 shrinks a degree-N term by ~N,
/// so the integral's error is ~ h·(|a_{N−1}| + |a_N|)/N (Trefethen 2008, SIAM Rev 50:67).
template <int N>
double integral_error(const typename ChebyshevLobatto<N>::Values& integrand, double h) {
  return h * ChebyshevLobatto<N>::resolution_error(ChebyshevLobatto<N>::get(), integrand) / N;
}

/// Largest rate × substep length tried at all: beyond it e^{κ} integrating factors lose
/// digits and 19 points cannot resolve an e^{−κx} transient anyway.
constexpr double kLargestExponent = 24.0;
/// A segment whose every substep used less than this share of the tolerance is tried with
/// half as many substeps, or else one degree lower, next time. Halving a degree-12 substep cut
/// the estimate by 4–60× in the shipped scenarios (not the asymptotic 2^13: the ejection
/// gate's poles are near), so 1/64 keeps the retry from being rejected most of the time.
constexpr double kCoarsenBelow = 1.0 / 64.0;
constexpr int kMaxHalvings = 40;

/// The closed form of `relaxation` at τ h into the substep, from x(0) = x0.
double relaxation_value(const CascadeRelaxation& relaxation, double x0, double tau) {
  const double decay = std::exp(-relaxation.rate_per_h * tau);
  double value = relaxation.target + (x0 - relaxation.target) * decay;
  if (relaxation.coupling != 0.0) {
    // τ e^{−rate τ} φ1((rate − coupled_rate) τ), φ1(z) = (e^z − 1)/z: no cancellation when the rates meet.
    const double z = (relaxation.rate_per_h - relaxation.coupled_rate_per_h) * tau;
    value += relaxation.coupling * tau * decay * (z == 0.0 ? 1.0 : std::expm1(z) / z);
  }
  return value;
}

/// e^{−k τ_j} at the points of a substep of length h, for each fixed rate of the model, and
/// the PRL coupling (e^{−k_D τ} − e^{−k_P τ}) / (k_P − k_D). Segment lengths repeat (feeds,
/// gaps, pre-feed leads), so these are cached per length.
template <int N>
struct NodeExponentials {
  using Values = typename ChebyshevLobatto<N>::Values;
  double h = -1.0;  // the arrays are filled by NodeExponentialCache::fill before use
  Values ot, drive, prl, relief_onset, relief_decay, basal, maturation, withdrawal, coupling;
  Values ot_inverse, prl_inverse;  ///< e^{+k τ_j}: the integrating factors, to multiply by
};

/// The cached entries of one degree: the last 16 substep lengths.
template <int N>
struct NodeExponentialStore {
  std::array<NodeExponentials<N>, 16> entries;
  std::size_t next = 0;
  void clear() {
    for (NodeExponentials<N>& entry : entries) entry.h = -1.0;
    next = 0;
  }
};

/// The node exponentials of substeps of length h for one model, from `store` or filled into it.
template <int N>
class NodeExponentialCache {
  using Chebyshev = ChebyshevLobatto<N>;
  static constexpr int kLast = N;

 public:
  NodeExponentialCache(const model::LactationModel& model, NodeExponentialStore<N>& store)
      : model_(model), store_(store) {}

  const NodeExponentials<N>& get(double h) {
    for (const NodeExponentials<N>& entry : store_.entries) {
      if (entry.h == h) return entry;
    }
    NodeExponentials<N>& entry = store_.entries[store_.next];
    store_.next = (store_.next + 1) % store_.entries.size();
    fill(entry, h);
    return entry;
  }

 private:
  void fill(NodeExponentials<N>& e, double h) const {
    const Chebyshev& c = Chebyshev::get();
    const model::ModelParameters& p = model_.parameters();
    const double k_ot = model_.oxytocin_clearance_per_h(), k_drive = model_.release_drive_rate_per_h();
    const double k_prl = model_.prolactin_clearance_per_h();
    e.h = h;
    // e^{−k τ_j} for each rate, a batch of exponentials per rate.
    auto decay = [&](double rate_per_h, typename NodeExponentials<N>::Values& out) {
      for (int j = 0; j <= kLast; ++j) out[j] = -rate_per_h * h * c.node[j];
      model::exp_batch(out.data(), out.data(), out.size());
    };
    decay(k_ot, e.ot);
    decay(k_drive, e.drive);
    decay(k_prl, e.prl);
    decay(model_.relief_onset_rate_per_h(), e.relief_onset);
    decay(model_.relief_decay_rate_per_h(), e.relief_decay);
    decay(1.0 / p.prl_basal_decline_h, e.basal);
    decay(1.0 / p.prl_response_maturation_h, e.maturation);
    decay(1.0 / p.progesterone_withdrawal_h, e.withdrawal);
    for (int j = 0; j <= kLast; ++j) {
      const double tau = h * c.node[j];
      e.ot_inverse[j] = 1.0 / e.ot[j];
      e.prl_inverse[j] = 1.0 / e.prl[j];
      // τ e^{−k_P τ} φ1((k_P − k_D) τ), φ1(z) = (e^z − 1)/z: no cancellation when k_P ≈ k_D.
      const double z = (k_prl - k_drive) * tau;
      const double phi1 = z == 0.0 ? 1.0 : std::expm1(z) / z;
      e.coupling[j] = tau * e.prl[j] * phi1;
    }
  }

  const model::LactationModel& model_;
  NodeExponentialStore<N>& store_;
};

/// std::tuple<PerDegree<N>...> over the ladder's degrees N.
template <template <int> class PerDegree, class Indices = std::make_index_sequence<kCascadeDegrees.size()>>
struct OnePerDegree;
template <template <int> class PerDegree, std::size_t... I>
struct OnePerDegree<PerDegree, std::index_sequence<I...>> {
  using type = std::tuple<PerDegree<kCascadeDegrees[I]>...>;
};

/// The rates (1/h) the node exponentials depend on; equal keys give equal exponentials.
using RateKey = std::array<double, 8>;
RateKey rate_key(const model::LactationModel& model) {
  const model::ModelParameters& p = model.parameters();
  return {model.oxytocin_clearance_per_h(), model.release_drive_rate_per_h(), model.prolactin_clearance_per_h(),
          model.relief_onset_rate_per_h(),  model.relief_decay_rate_per_h(),  1.0 / p.prl_basal_decline_h,
          1.0 / p.prl_response_maturation_h, 1.0 / p.progesterone_withdrawal_h};
}

}  // namespace

class CascadeCaches {
 public:
  /// Empties every store unless they were filled for `key`.
  void bind(const RateKey& key) {
    if (key == key_) return;
    key_ = key;
    std::apply([](auto&... store) { (store.clear(), ...); }, stores_);
  }
  /// The store of degree N.
  template <int N>
  NodeExponentialStore<N>& store() {
    return std::get<NodeExponentialStore<N>>(stores_);
  }

 private:
  RateKey key_{};  // all 0: no model has these rates, so the first bind() empties the stores
  typename OnePerDegree<NodeExponentialStore>::type stores_;
};

void CascadeCachesDeleter::operator()(CascadeCaches* caches) const { delete caches; }

CascadeCachesHandle make_cascade_caches() { return CascadeCachesHandle(new CascadeCaches()); }

namespace {

/// Everything one substep computes.
template <int N>
struct SubstepResult {
  using Values = typename ChebyshevLobatto<N>::Values;
  Values oxytocin, prolactin_total, logit;
  std::array<Values, model::kStateCount> states;  ///< every state at the points (dense output only)
  std::array<CascadeRelaxation, model::kStateCount> relaxations{};  ///< (dense output only)
  model::State x1{};
  double logit_end = 0.0;
  double error_ratio = 0.0;  ///< largest error / (atol + rtol·|x|) over the states
};

/// One substep of degree N (N + 1 points).
template <int N>
class CascadeStepper {
  using Chebyshev = ChebyshevLobatto<N>;
  using Values = typename Chebyshev::Values;
  static constexpr int kLast = N;

 public:
  CascadeStepper(const model::LactationModel& model, const SolverOptions& options, NodeExponentialStore<N>& store,
                 bool dense_output)
      : model_(model), options_(options), cache_(model, store), dense_output_(dense_output) {}

  /// One substep [t0, t0 + h] under `stimulus`; `logit0` is the logit of x0's activation.
  /// Fills `r`, including its error ratio (> 1: reject).
  void step(const model::Stimulus& stimulus, double t0, double h, const model::State& x0, double logit0,
            SubstepResult<N>& r) {
    const Chebyshev& c = Chebyshev::get();
    const NodeExponentials<N>& e = cache_.get(h);
    const model::ModelParameters& p = model_.parameters();
    const bool removal = stimulus.feeding || stimulus.pumping;
    // The clocks at the substep start (pain comes per point below).
    std::array<double, 3> clocks = model_.clock_exponents(t0);
    model::exp_batch(clocks.data(), clocks.data(), clocks.size());
    model::TimeFactors start;
    start.basal_decay = clocks[0], start.maturation_decay = clocks[1], start.withdrawal_decay = clocks[2];
    const double k_ot = model_.oxytocin_clearance_per_h(), k_prl = model_.prolactin_clearance_per_h();
    const Values& relief_decay = stimulus.massage ? e.relief_onset : e.relief_decay;
    const double relief_target = model::LactationModel::relief_target(stimulus);
    const double drive_target = model_.release_drive_target(stimulus);
    const double relief0 = x0[st::massage_relief], drive0 = x0[st::prolactin_release_drive];

    // Level 1, closed forms and time-only factors at the points.
    Values pain, withdrawal, basal, ot_target, gain, drive, times, pain_nrs;
    for (int j = 0; j <= kLast; ++j) times[j] = t0 + h * c.node[j];
    model_.pain().nrs_at_times(times, pain_nrs);
    for (int j = 0; j <= kLast; ++j) {
      model::TimeFactors f;
      f.pain_nrs = pain_nrs[j];
      f.basal_decay = start.basal_decay * e.basal[j];
      f.maturation_decay = start.maturation_decay * e.maturation[j];
      f.withdrawal_decay = start.withdrawal_decay * e.withdrawal[j];
      const double relief = relief_target + (relief0 - relief_target) * relief_decay[j];
      pain[j] = model_.effective_pain(f.pain_nrs, relief);
      withdrawal[j] = f.withdrawal_decay;
      basal[j] = model_.basal_prolactin(f);
      ot_target[j] = model_.oxytocin_target(pain[j], stimulus);
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
      for (int j = 0; j <= kLast; ++j) integrand[j] = k_ot * (ot_target[j] - ot_target[0]) * e.ot_inverse[j];
      Chebyshev::integrate(c, integrand, h, integral);
      for (int j = 0; j <= kLast; ++j) r.oxytocin[j] += e.ot[j] * integral[j];
      ot_error = e.ot[kLast] * integral_error<N>(integrand, h);
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
      for (int j = 0; j <= kLast; ++j) integrand[j] = k_prl * (gain[j] - gain[0]) * drive[j] * e.prl_inverse[j];
      Chebyshev::integrate(c, integrand, h, integral);
      for (int j = 0; j <= kLast; ++j) evoked[j] += e.prl[j] * integral[j];
      prl_error = e.prl[kLast] * integral_error<N>(integrand, h);
    }
    for (int j = 0; j <= kLast; ++j) r.prolactin_total[j] = basal[j] + evoked[j];

    // Level 3, activation: logit(a)' = growth rate (independent of a).
    Values growth, activation, stress;
    for (int j = 0; j <= kLast; ++j) stress[j] = model_.activation_stress_exponent(pain[j]);
    model::exp_batch(stress.data(), stress.data(), stress.size());
    for (int j = 0; j <= kLast; ++j) {
      model::TimeFactors f;
      f.withdrawal_decay = withdrawal[j];
      growth[j] = model_.activation_growth_rate_given_stress(f, stress[j], r.prolactin_total[j]);
    }
    Chebyshev::integrate(c, growth, h, integral);
    for (int j = 0; j <= kLast; ++j) {
      r.logit[j] = logit0 + integral[j];
      activation[j] = -r.logit[j];
    }
    model::exp_batch(activation.data(), activation.data(), activation.size());
    for (int j = 0; j <= kLast; ++j) activation[j] = 1.0 / (1.0 + activation[j]);
    const double logit_error = integral_error<N>(growth, h);

    // Level 4, stored milk: S' = a (1 − S/cap) − b S with a = synthesis into an empty store
    // and b the OT-gated removal rate, i.e. S' = a − λ S, λ = a/cap + b: integrating factor
    // S = e^{−B} (S0 + ∫ a e^{B}), B = ∫ λ.
    const double capacity = p.milk_storage_capacity_ml, inverse_capacity = 1.0 / capacity;
    const double stored0 = x0[st::milk_stored];
    Values synthesis;
    for (int j = 0; j <= kLast; ++j) {
      synthesis[j] = model_.synthesis_empty_store_ml_h(withdrawal[j], activation[j], r.prolactin_total[j]);
    }
    double stored1, to_infant = 0.0, to_pump = 0.0, synthesised;
    double stored_error, transferred_error = 0.0, expressed_error = 0.0, synthesised_error;
    if (!removal) {
      // No removal: cap − S decays with rate a/cap, and everything synthesised is stored.
      const double filled = Chebyshev::integrate_all(c, synthesis, h) / capacity;
      stored1 = capacity - (capacity - stored0) * std::exp(-filled);
      synthesised = stored1 - stored0;
      stored_error = (capacity - stored1) * integral_error<N>(synthesis, h) / capacity;
      synthesised_error = stored_error;
      if (dense_output_) {
        Chebyshev::integrate(c, synthesis, h, integral);
        for (int j = 0; j <= kLast; ++j) {
          const double stored_j = capacity - (capacity - stored0) * std::exp(-integral[j] / capacity);
          r.states[st::milk_stored][j] = stored_j;
          r.states[st::milk_synthesised][j] = x0[st::milk_synthesised] + (stored_j - stored0);
          r.states[st::milk_transferred][j] = x0[st::milk_transferred];
          r.states[st::milk_expressed][j] = x0[st::milk_expressed];
        }
      }
    } else {
      Values loss, infant, pump, factor, stored, into_store;
      for (int j = 0; j <= kLast; ++j) {
        infant[j] = model_.infant_removal_rate_per_h(r.oxytocin[j], stimulus);
        pump[j] = model_.pump_removal_rate_per_h(r.oxytocin[j], stimulus);
        loss[j] = synthesis[j] * inverse_capacity + infant[j] + pump[j];
      }
      Chebyshev::integrate(c, loss, h, integral);
      if (integral[kLast] > kLargestExponent) return reject(r);
      model::exp_batch(integral.data(), factor.data(), factor.size());
      for (int j = 0; j <= kLast; ++j) integrand[j] = synthesis[j] * factor[j];
      Chebyshev::integrate(c, integrand, h, integral);
      for (int j = 0; j <= kLast; ++j) {
        stored[j] = (stored0 + integral[j]) / factor[j];
        into_store[j] = synthesis[j] * (1.0 - stored[j] * inverse_capacity);
      }
      stored1 = stored[kLast];
      stored_error = stored1 * integral_error<N>(loss, h) + integral_error<N>(integrand, h) / factor[kLast];
      for (int j = 0; j <= kLast; ++j) {
        infant[j] *= stored[j];
        pump[j] *= stored[j];
      }
      to_infant = Chebyshev::integrate_all(c, infant, h);
      to_pump = Chebyshev::integrate_all(c, pump, h);
      synthesised = Chebyshev::integrate_all(c, into_store, h);
      transferred_error = integral_error<N>(infant, h);
      expressed_error = integral_error<N>(pump, h);
      synthesised_error = integral_error<N>(into_store, h);
      if (dense_output_) {
        r.states[st::milk_stored] = stored;
        const std::pair<const Values*, std::size_t> cumulative[] = {
            {&infant, st::milk_transferred}, {&pump, st::milk_expressed}, {&into_store, st::milk_synthesised}};
        for (const auto& [rate, state] : cumulative) {
          Chebyshev::integrate(c, *rate, h, integral);
          for (int j = 0; j <= kLast; ++j) r.states[state][j] = x0[state] + integral[j];
        }
      }
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
    if (dense_output_) {
      r.relaxations[st::oxytocin] = {ot_target[0], k_ot};
      r.relaxations[st::prolactin_evoked] = {gain[0] * drive_target, k_prl, gain[0] * (drive0 - drive_target) * k_prl,
                                             model_.release_drive_rate_per_h()};
      r.relaxations[st::prolactin_release_drive] = {drive_target, model_.release_drive_rate_per_h()};
      r.relaxations[st::massage_relief] = {relief_target, stimulus.massage ? model_.relief_onset_rate_per_h()
                                                                           : model_.relief_decay_rate_per_h()};
      for (int j = 0; j <= kLast; ++j) {
        r.states[st::oxytocin][j] = r.oxytocin[j];
        r.states[st::prolactin_evoked][j] = evoked[j];
        r.states[st::prolactin_release_drive][j] = drive[j];
        r.states[st::activation][j] = activation[j];
        r.states[st::massage_relief][j] = relief_target + (relief0 - relief_target) * relief_decay[j];
      }
      // The last point is the step end the solver goes on from (the quadratures to it may
      // differ from it in the last bits), so consecutive interpolants meet.
      for (std::size_t k = 0; k < model::kStateCount; ++k) r.states[k][kLast] = x1[k];
      // Relaxing states keep only what their closed form leaves (OT: its drift response).
      for (std::size_t k = 0; k < model::kStateCount; ++k) {
        const CascadeRelaxation& relaxation = r.relaxations[k];
        if (relaxation.rate_per_h == 0.0) continue;
        for (int j = 0; j <= kLast; ++j) r.states[k][j] -= relaxation_value(relaxation, x0[k], h * c.node[j]);
      }
    }

    const double a1 = activation[kLast];
    account(st::oxytocin, ot_error);
    account(st::prolactin_evoked, prl_error);
    // The PRL feed peak is read from the interpolant between the points, so it must
    // resolve total PRL there too, not only the integrals to the substep's end.
    const double prl_scale = options_.absolute_tolerance +
                             options_.relative_tolerance * std::max(r.prolactin_total[0], r.prolactin_total[kLast]);
    worst = std::max(worst, Chebyshev::resolution_error(c, r.prolactin_total) / prl_scale);
    account(st::activation, a1 * (1.0 - a1) * logit_error);
    account(st::milk_stored, stored_error);
    account(st::milk_transferred, transferred_error);
    account(st::milk_expressed, expressed_error);
    account(st::milk_synthesised, synthesised_error);
    r.error_ratio = worst;
  }

 private:
  static void reject(SubstepResult<N>& r) { r.error_ratio = 1e300; }

  const model::LactationModel& model_;
  const SolverOptions& options_;
  NodeExponentialCache<N> cache_;
  bool dense_output_;
};

double logit(double a) { return std::log(a / (1.0 - a)); }


/// Indices of the ladder's rungs.
using RungIndices = std::make_index_sequence<kCascadeDegrees.size()>;

/// f(std::integral_constant<int, N>{}) for the ladder degree N == degree (f returns double).
template <class F, std::size_t... I>
double with_degree_of(int degree, F&& f, std::index_sequence<I...>) {
  double result = 0.0;
  const bool found =
      ((degree == kCascadeDegrees[I] ? (result = f(std::integral_constant<int, kCascadeDegrees[I]>{}), true) : false) ||
       ...);
  if (!found) throw std::invalid_argument("cascade solver: " + std::to_string(degree + 1) + " node values (not a ladder degree)");
  return result;
}
template <class F>
double with_degree(int degree, F&& f) {
  return with_degree_of(degree, std::forward<F>(f), RungIndices{});
}

/// The degree of a substep from its node values.
int degree_of(std::span<const double> values) { return static_cast<int>(values.size()) - 1; }

template <int N>
typename ChebyshevLobatto<N>::Values coefficients_of(std::span<const double> values) {
  typename ChebyshevLobatto<N>::Values f{}, a{};
  std::copy_n(values.begin(), f.size(), f.begin());
  ChebyshevLobatto<N>::coefficients(ChebyshevLobatto<N>::get(), f, a);
  return a;
}

/// Zero of g = slope (of_slope) or value of the interpolant with Chebyshev coefficients `a`
/// in [lo, hi], where g(lo) > 0 > g(hi) (sign = −1) or g(lo) < 0 < g(hi) (sign = +1):
/// Newton steps that stay inside the shrinking bracket, bisection otherwise. Stops after a
/// Newton step below 1e-12 of the substep (Newton converges quadratically, so that step's
/// result is accurate to rounding, while rounding in g, ~1e-13 relative, would make a
/// tighter test jitter), or when the bracket is below 1e-15.
template <int N>
double bracketed_zero(const typename ChebyshevLobatto<N>::Values& a, double lo, double hi, bool of_slope,
                      double sign) {
  double x = 0.5 * (lo + hi);
  for (int iteration = 0; iteration < 200; ++iteration) {
    const auto p = ChebyshevLobatto<N>::evaluate(a, x);
    const double g = of_slope ? p.slope : p.value, dg = of_slope ? p.curvature : p.slope;
    if (g == 0.0) return x;
    (sign * g < 0.0 ? lo : hi) = x;
    const double newton = dg != 0.0 ? x - g / dg : lo;
    if (newton > lo && newton < hi) {
      if (std::abs(newton - x) <= 1e-12) return newton;
      x = newton;
    } else {
      x = 0.5 * (lo + hi);
      if (hi - lo <= 1e-15) return x;
    }
  }
  return x;
}

/// What every rung's stepper is built from.
struct RungContext {
  const model::LactationModel& model;
  const SolverOptions& options;
  CascadeCaches& caches;
  bool dense_output;
};

/// One rung of the degree ladder: a stepper and its result buffer.
template <int N>
struct Rung {
  explicit Rung(const RungContext& context)
      : stepper(context.model, context.options, context.caches.store<N>(), context.dense_output) {}
  using Chebyshev = ChebyshevLobatto<N>;
  CascadeStepper<N> stepper;
  SubstepResult<N> result;
};

/// A stepper per ladder degree.
class Ladder {
 public:
  explicit Ladder(const RungContext& context) : Ladder(context, RungIndices{}) {}
  static constexpr std::size_t kTopRung = kCascadeDegrees.size() - 1;

  /// f(rung object) for ladder index `rung`; f returns bool.
  template <class F>
  bool visit(std::size_t rung, F&& f) {
    return visit(rung, f, RungIndices{});
  }

 private:
  template <std::size_t... I>
  Ladder(const RungContext& context, std::index_sequence<I...>) : rungs_(((void)I, context)...) {}
  template <class F, std::size_t... I>
  bool visit(std::size_t rung, F& f, std::index_sequence<I...>) {
    bool accepted = false;
    ((rung == I ? (accepted = f(std::get<I>(rungs_)), true) : false) || ...);
    return accepted;
  }

  typename OnePerDegree<Rung>::type rungs_;
};

/// Segments of a kind to wait after it had to go up a rung before a lower one is tried again
/// (a failed try costs one substep); doubled after each failed try, up to the longest.
constexpr int kLoweringBackoff = 8;
constexpr int kLongestLoweringBackoff = 128;

/// What the segment loop remembers per stimulus kind (feeds look alike): the rung and
/// halvings that sufficed last time, and when to try a lower rung again.
struct KindMemory {
  std::size_t rung = kCascadeStartRung;
  int halvings = 0;
  int wait_before_lowering = 0;
  int backoff = kLoweringBackoff;
  bool trying_lower = false;  ///< the next segment starts one rung below what last sufficed
};

/// The cascade solver as a stepper for integrate_segments_with: each segment is cut into
/// 2^halvings equal substeps on one rung of the degree ladder; a rejected substep is retried
/// one degree up, then halved. Per stimulus kind it remembers the rung and halvings that
/// sufficed, coarsened when they had a wide margin.
class CascadeLadderStepper {
 public:
  using Memory = KindMemory;

  /// A stepper for `model` from the state `x` (its activation's logit is carried from substep
  /// to substep, so that logistic growth is integrated exactly).
  CascadeLadderStepper(const RungContext& context, const model::State& x)
      : ladder_(context),
        dense_output_(context.dense_output),
        activation_logit_(logit(std::clamp(x[st::activation], 1e-300, 1.0 - 1e-16))) {}

  /// Starts a segment with the rung and halvings its stimulus kind needed last time.
  void begin_segment(const Segment& segment, const model::State&, Memory& memory) {
    first_rung_ = rung_ = memory.rung;
    halvings_ = memory.halvings;
    pieces_left_ = std::ldexp(1.0, halvings_);
    h_ = (segment.end_h - segment.start_h) / pieces_left_;
    worst_ratio_ = 0.0;
  }

  /// Equal pieces: the last one ends the segment (counted, not compared, so rounding in t
  /// adds no sliver of a substep).
  StepTrial next_trial(double, const Segment&) const { return {h_, pieces_left_ <= 1.0}; }

  /// One substep of the current rung from (t, x); true when its error estimate accepts it.
  bool try_step(const Segment& segment, double t, const StepTrial& trial, const model::State& x) {
    t_ = t;
    return ladder_.visit(rung_, [&](auto& level) {
      const auto& r = level.result;
      level.stepper.step(segment.stimulus, t, trial.h, x, activation_logit_, level.result);
      error_ratio_ = r.error_ratio;
      if (!(error_ratio_ <= 1.0)) return false;
      using Chebyshev = typename std::remove_cvref_t<decltype(level)>::Chebyshev;
      accepted_.stimulus = &segment.stimulus;
      accepted_.node = Chebyshev::get().node;
      accepted_.oxytocin = r.oxytocin;
      accepted_.prolactin_total = r.prolactin_total;
      accepted_.logit = r.logit;
      accepted_.x1 = &r.x1;
      accepted_.logit_end = r.logit_end;
      if (dense_output_) {
        for (std::size_t k = 0; k < model::kStateCount; ++k) accepted_.states[k] = r.states[k];
        accepted_.relaxations = &r.relaxations;
      }
      return true;
    });
  }

  /// A higher degree first (cheaper than more substeps while the points resolve the
  /// solution), then halving.
  std::optional<double> after_rejection() {
    if (rung_ < Ladder::kTopRung) {
      ++rung_;
      return std::nullopt;
    }
    h_ *= 0.5;
    pieces_left_ *= 2.0;
    ++halvings_;
    // Past kMaxHalvings a substep counts as below the floor (only a tiny min_step_h gets there).
    return halvings_ > kMaxHalvings ? 0.0 : h_;
  }

  /// End time of the accepted substep (t + h, before exact landing).
  double accepted_end() const { return t_ + h_; }
  /// State at the accepted substep's end.
  const model::State& accepted_state() const { return *accepted_.x1; }

  /// The accepted substep for the observers: its points and interpolants.
  CascadeInterval accepted_interval(double t0, double t1, const model::State& x0) const {
    CascadeInterval interval(t0, t1, h_, *accepted_.stimulus, x0, *accepted_.x1);
    interval.node = accepted_.node;
    interval.oxytocin = accepted_.oxytocin;
    interval.prolactin_total = accepted_.prolactin_total;
    interval.activation_logit = accepted_.logit;
    if (dense_output_) {
      interval.states = accepted_.states;
      interval.relaxations = *accepted_.relaxations;
    }
    return interval;
  }

  /// Moves to the accepted substep's end.
  void advance(model::State& x, const StepTrial&) {
    x = *accepted_.x1;
    activation_logit_ = accepted_.logit_end;
    worst_ratio_ = std::max(worst_ratio_, error_ratio_);
    pieces_left_ -= 1.0;
  }

  /// Next time: what sufficed, coarsened when it had a wide margin (fewer substeps first,
  /// then a lower degree), but not below a rung that failed recently.
  void end_segment(Memory& memory) const {
    memory.rung = rung_;
    memory.halvings = halvings_;
    if (rung_ > first_rung_) {
      memory.wait_before_lowering = memory.backoff;
      if (memory.trying_lower) memory.backoff = std::min(2 * memory.backoff, kLongestLoweringBackoff);
    } else if (memory.trying_lower) {
      memory.backoff = kLoweringBackoff;  // the lower rung held
    }
    memory.trying_lower = false;
    if (rung_ == first_rung_ && worst_ratio_ < kCoarsenBelow) {
      if (halvings_ > 0) {
        --memory.halvings;
      } else if (rung_ > 0 && memory.wait_before_lowering == 0) {
        --memory.rung;
        memory.trying_lower = true;
      }
    }
    if (memory.wait_before_lowering > 0) --memory.wait_before_lowering;
  }

 private:
  /// Where the last accepted substep's results are (its rung's result buffer).
  struct Accepted {
    const model::Stimulus* stimulus = nullptr;
    std::span<const double> node, oxytocin, prolactin_total, logit;
    std::array<std::span<const double>, model::kStateCount> states{};
    const std::array<CascadeRelaxation, model::kStateCount>* relaxations = nullptr;
    const model::State* x1 = nullptr;
    double logit_end = 0.0;
  };

  Ladder ladder_;
  bool dense_output_;
  double activation_logit_;
  std::size_t first_rung_ = kCascadeStartRung, rung_ = kCascadeStartRung;
  int halvings_ = 0;
  double pieces_left_ = 0.0, h_ = 0.0, t_ = 0.0;
  double error_ratio_ = 0.0, worst_ratio_ = 0.0;
  Accepted accepted_;
};

}  // namespace

double cascade_interpolate(std::span<const double> values, double x) {
  return with_degree(degree_of(values), [&](auto degree) {
    using Chebyshev = ChebyshevLobatto<decltype(degree)::value>;
    return Chebyshev::interpolate(Chebyshev::get(), values, x);
  });
}

double cascade_maximum(std::span<const double> values, double lo, double hi) {
  return with_degree(degree_of(values), [&](auto degree) {
    constexpr int N = decltype(degree)::value;
    using Chebyshev = ChebyshevLobatto<N>;
    const auto a = coefficients_of<N>(values);
    const double ends = std::max(Chebyshev::value(a, lo), Chebyshev::value(a, hi));
    if (!(hi > lo)) return ends;
    // Plain Newton on the slope first, from the vertex of the parabola through the largest
    // point in the bracket and its neighbours: 2–3 steps. A step below 1e-7 of the substep
    // leaves the value ~curvature·1e-14 from the maximum. Safeguarded search if Newton
    // leaves the bracket or meets a non-concave stretch (e.g. the maximum is at an end).
    const auto& node = Chebyshev::get().node;
    int best = -1;
    for (int j = 0; j <= N; ++j) {
      if (node[j] >= lo && node[j] <= hi && (best < 0 || values[j] > values[best])) best = j;
    }
    double x = 0.5 * (lo + hi);
    if (best > 0 && best < N) {
      const double d0 = node[best] - node[best - 1], d1 = node[best] - node[best + 1];
      const double f0 = values[best] - values[best + 1], f1 = values[best] - values[best - 1];
      const double denominator = d0 * f0 - d1 * f1;
      const double vertex = node[best] - 0.5 * (d0 * d0 * f0 - d1 * d1 * f1) / denominator;
      if (denominator != 0.0 && vertex > lo && vertex < hi) x = vertex;
    }
    for (int iteration = 0; iteration < 8; ++iteration) {
      const auto p = Chebyshev::evaluate(a, x);
      if (!(p.curvature < 0.0)) break;
      const double step = -p.slope / p.curvature;
      x += step;
      if (!(x > lo && x < hi)) break;
      if (std::abs(step) <= 1e-7) return std::max(ends, Chebyshev::value(a, x));
    }
    const auto at_lo = Chebyshev::evaluate(a, lo), at_hi = Chebyshev::evaluate(a, hi);
    if (at_lo.slope > 0.0 && at_hi.slope < 0.0) {
      return std::max(ends, Chebyshev::value(a, bracketed_zero<N>(a, lo, hi, true, -1.0)));
    }
    return ends;
  });
}

double cascade_increasing_root(std::span<const double> values) {
  return with_degree(degree_of(values), [&](auto degree) {
    constexpr int N = decltype(degree)::value;
    return bracketed_zero<N>(coefficients_of<N>(values), 0.0, 1.0, false, 1.0);
  });
}

void CascadeInterval::state_at(double t, model::State& x) const {
  const double tau = t - t0, at = tau / h;
  for (std::size_t k = 0; k < model::kStateCount; ++k) {
    x[k] = cascade_interpolate(states[k], at);
    if (relaxations[k].rate_per_h != 0.0) x[k] += relaxation_value(relaxations[k], x0[k], tau);
  }
}

std::optional<double> CascadeInterval::activation_crossing(double threshold) const {
  const double level = logit(threshold);
  if (!(activation_logit.back() >= level)) return std::nullopt;
  if (!(activation_logit.front() < level)) return t0;
  if (level == 0.0) return t0 + h * cascade_increasing_root(activation_logit);
  std::array<double, kCascadeDegrees.back() + 1> shifted{};
  for (std::size_t j = 0; j < activation_logit.size(); ++j) shifted[j] = activation_logit[j] - level;
  return t0 + h * cascade_increasing_root(std::span<const double>(shifted.data(), activation_logit.size()));
}

void CascadeInterval::raise_feed_peaks(double window_end_h, FeedPeaks& peaks) const {
  // The part of the substep inside the window, on [0, 1].
  const double x_end = std::min(1.0, (window_end_h - t0) / h);
  double& peak_ot = peaks.oxytocin_uU_ml;
  double& peak_prl = peaks.prolactin_total_ng_ml;
  std::size_t best = 0;
  for (std::size_t j = 0; j < node.size() && node[j] <= x_end; ++j) {
    peak_ot = std::max(peak_ot, oxytocin[j]);
    if (prolactin_total[j] > prolactin_total[best]) best = j;
  }
  if (x_end < 1.0) {
    peak_ot = std::max(peak_ot, cascade_interpolate(oxytocin, x_end));
    peak_prl = std::max(peak_prl, cascade_interpolate(prolactin_total, x_end));
  }
  // Refine the largest point on the interpolant when the maximum can lie beside it: always
  // inside, and at an end of the window's part when PRL still rises away from that end
  // (e.g. a peak just after the feed, between a gap's first two points).
  const double lo = best > 0 ? node[best - 1] : 0.0;
  const double hi = std::min(best + 1 < node.size() ? node[best + 1] : 1.0, x_end);
  const double probe = best == 0 ? 0.25 * hi : 0.5 * (node[best] + std::max(hi, node[best]));
  const bool interior = best > 0 && hi > node[best] && node[best] < x_end;
  const bool beside = !interior && hi > lo && cascade_interpolate(prolactin_total, probe) > prolactin_total[best];
  peak_prl = std::max(peak_prl, (interior || beside) ? cascade_maximum(prolactin_total, lo, hi) : prolactin_total[best]);
}

SolverStats integrate_segments_cascade(const model::LactationModel& model, std::span<const Segment> segments,
                                       model::State& x, const SolverOptions& options, SolverObserver& observer,
                                       CascadeCaches* caches, bool dense_output) {
  if (segments.empty()) return {};
  std::optional<CascadeCaches> local_caches;
  if (caches == nullptr) caches = &local_caches.emplace();
  caches->bind(rate_key(model));
  CascadeLadderStepper stepper(RungContext{model, options, *caches, dense_output}, x);
  return integrate_segments_with(stepper, segments, x, options, observer);
}

}  // namespace lactsim
