#include "lactsim/model/lactation_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace lactsim::model {
namespace {

constexpr double kMinutesPerHour = 60.0;

/// First-order elimination rate (1/h) from a half-life in minutes.
double rate_from_half_life_min(double half_life_min) {
  return std::numbers::ln2 / (half_life_min / kMinutesPerHour);
}

/// x^n for x >= 0. Hill coefficients are usually whole numbers (defaults 2 and 4); for
/// those, repeated squaring replaces std::pow, which was ~40% of a simulation's
/// instructions (callgrind, docs/performance.md). Other exponents fall back to std::pow.
double hill_power(double x, double n) {
  if (n == 2.0) return x * x;
  if (n == 4.0) {
    const double square = x * x;
    return square * square;
  }
  constexpr double kLargestExactExponent = 16.0;
  if (n >= 1.0 && n <= kLargestExactExponent && n == std::floor(n)) {
    auto k = static_cast<unsigned>(n);
    double result = 1.0, base = x;
    while (k != 0) {
      if (k & 1u) result *= base;
      base *= base;
      k >>= 1;
    }
    return result;
  }
  return std::pow(x, n);
}

/// Fraction of a response left at a given pain: 1 / (1 + (pain / half)^hill).
double pain_inhibition(double pain_nrs, double half_inhibition_nrs, double hill) {
  if (pain_nrs <= 0.0) return 1.0;
  return 1.0 / (1.0 + hill_power(pain_nrs / half_inhibition_nrs, hill));
}

}  // namespace

LactationModel::LactationModel(const ModelParameters& parameters, const Covariates& covariates,
                               PainInput pain)
    : p_(parameters), covariates_(covariates), pain_(std::move(pain)) {
  k_oxytocin_ = rate_from_half_life_min(p_.ot_half_life_min);
  k_prolactin_ = rate_from_half_life_min(p_.prl_half_life_min);
  k_release_drive_ = kMinutesPerHour / p_.prl_release_time_constant_min;
  k_relief_onset_ = kMinutesPerHour / p_.massage_relief_onset_min;
  k_relief_decay_ = std::numbers::ln2 / p_.massage_relief_half_life_h;
  activation_rate_ = p_.activation_rate_per_h *
                     (covariates_.parity == Parity::primiparous ? p_.primiparity_activation_factor : 1.0);
}

State LactationModel::initial_state() const {
  State x{};
  x[state::oxytocin] = p_.ot_basal_uU_ml;
  x[state::activation] = p_.activation_initial_fraction;
  x[state::milk_stored] = p_.milk_initial_stored_ml;
  return x;
}

double LactationModel::effective_pain(const State& x, double t) const {
  const double relief = std::clamp(x[state::massage_relief], 0.0, 1.0);
  return pain_.nrs_at(t) * (1.0 - p_.massage_pain_relief_fraction * relief);
}

double LactationModel::basal_prolactin(double t) const {
  return p_.prl_basal_floor_ng_ml +
         (p_.prl_basal_birth_ng_ml - p_.prl_basal_floor_ng_ml) * std::exp(-t / p_.prl_basal_decline_h);
}

double LactationModel::ejection_gate(double oxytocin) const {
  const double ot = std::max(oxytocin, 0.0);
  const double a = hill_power(ot, p_.ejection_hill_coefficient);
  return a / (a + hill_power(p_.ejection_ot_threshold_uU_ml, p_.ejection_hill_coefficient));
}

double LactationModel::synthesis_rate(const State& x, double prolactin_total) const {
  const double activation = std::clamp(x[state::activation], 0.0, 1.0);
  // Local feedback: synthesis slows linearly as the store fills (Neal & Thornley 1983;
  // Daly & Hartmann 1995), and stops at capacity.
  const double room = std::max(0.0, 1.0 - x[state::milk_stored] / p_.milk_storage_capacity_ml);
  // PRL is permissive and near-saturating in established lactation (Cox et al. 1996).
  const double prl = std::max(prolactin_total, 0.0);
  const double prolactin_factor = prl / (prl + p_.prl_synthesis_half_ng_ml);
  return (p_.milk_colostrum_synthesis_ml_h + p_.milk_max_synthesis_ml_h * activation) *
         prolactin_factor * room;
}

void LactationModel::operator()(const State& x, State& dxdt, double t) const {
  const double pain = effective_pain(x, t);
  const double hill = p_.pain_hill_coefficient;
  const double ot_left = pain_inhibition(pain, p_.ot_pain_half_inhibition_nrs, hill);
  const double prl_left = pain_inhibition(pain, p_.prl_pain_half_inhibition_nrs, hill);

  // Suckling intensity: 1 at the breast, a fraction with a pump.
  double suckling = 0.0;
  if (stimulus_.pumping) suckling = p_.pump_stimulus_fraction;
  if (stimulus_.feeding) suckling = std::max(suckling, 1.0);
  const double conditioned = (stimulus_.pre_feed && !stimulus_.feeding) ? p_.ot_conditioned_fraction : 0.0;

  // Oxytocin: first-order clearance towards a stimulus-dependent target; evoked release
  // is inhibited by pain, massage releases OT directly (mechanism 1).
  const double ot_target = p_.ot_basal_uU_ml + p_.ot_feed_rise_uU_ml * (suckling + conditioned) * ot_left +
                           (stimulus_.massage ? p_.massage_ot_rise_uU_ml : 0.0);
  dxdt[state::oxytocin] = k_oxytocin_ * (ot_target - x[state::oxytocin]);

  // Prolactin: a release drive follows suckling with a lag (dopamine withdrawal), evoked
  // PRL follows the drive; responsiveness grows over the first days (Howie et al. 1980).
  const double drive = x[state::prolactin_release_drive];
  dxdt[state::prolactin_release_drive] = k_release_drive_ * (suckling - drive);
  const double responsiveness =
      1.0 - (1.0 - p_.prl_response_initial_fraction) * std::exp(-t / p_.prl_response_maturation_h);
  const double prl_target = p_.prl_feed_rise_ng_ml * responsiveness * prl_left * drive;
  dxdt[state::prolactin_evoked] = k_prolactin_ * (prl_target - x[state::prolactin_evoked]);
  const double prolactin_total = basal_prolactin(t) + x[state::prolactin_evoked];

  // Secretory activation: logistic growth gated by progesterone withdrawal, driven by PRL,
  // slowed by pain/stress and primiparity.
  const double activation = std::clamp(x[state::activation], 0.0, 1.0);
  const double withdrawal = 1.0 - std::exp(-t / p_.progesterone_withdrawal_h);
  const double prl_drive = std::max(prolactin_total, 0.0) / p_.prl_activation_ref_ng_ml;
  const double stress = std::exp(-p_.pain_activation_sensitivity_per_nrs * pain);
  dxdt[state::activation] = activation_rate_ * withdrawal * prl_drive * stress * activation * (1.0 - activation);

  // Milk: synthesis into the store, removal only during feeds/pumping, gated by OT.
  const double synthesis = synthesis_rate(x, prolactin_total);
  const double gate = ejection_gate(x[state::oxytocin]);
  const double stored = std::max(x[state::milk_stored], 0.0);
  const double to_infant = stimulus_.feeding ? p_.milk_removal_rate_per_h * gate * stored : 0.0;
  const double to_pump = stimulus_.pumping ? p_.pump_removal_rate_per_h * gate * stored : 0.0;
  dxdt[state::milk_stored] = synthesis - to_infant - to_pump;
  dxdt[state::milk_transferred] = to_infant;
  dxdt[state::milk_expressed] = to_pump;
  dxdt[state::milk_synthesised] = synthesis;

  // Massage relief (mechanism 2): builds during a session, decays after it.
  const double relief = x[state::massage_relief];
  dxdt[state::massage_relief] = stimulus_.massage ? k_relief_onset_ * (1.0 - relief) : -k_relief_decay_ * relief;
}

DerivedQuantities LactationModel::derived(const State& x, double t) const {
  DerivedQuantities d{};
  d.pain_nrs = pain_.nrs_at(t);
  d.effective_pain_nrs = effective_pain(x, t);
  d.prolactin_basal_ng_ml = basal_prolactin(t);
  d.prolactin_total_ng_ml = d.prolactin_basal_ng_ml + x[state::prolactin_evoked];
  d.ejection_gate = ejection_gate(x[state::oxytocin]);
  d.synthesis_ml_h = synthesis_rate(x, d.prolactin_total_ng_ml);
  return d;
}

}  // namespace lactsim::model
