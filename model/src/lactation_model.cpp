#include "lactsim/model/lactation_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "lactsim/model/detail/hill.hpp"

namespace lactsim::model {
namespace {

constexpr double kMinutesPerHour = 60.0;

/// First-order elimination rate (1/h) from a half-life in minutes.
double rate_from_half_life_min(double half_life_min) {
  return std::numbers::ln2 / (half_life_min / kMinutesPerHour);
}

}  // namespace

LactationModel::LactationModel(const ModelParameters& parameters, const Covariates& covariates,
                               PainInput pain)
    : p_(parameters), covariates_(covariates), pain_(std::move(pain)) {
  // Stress of labour and unscheduled surgery acts like pain on the responses (docs/model.md §2, §5).
  pain_.add_delivery_stress(p_.delivery_stress_nrs, p_.delivery_stress_decay_h);
  k_oxytocin_ = rate_from_half_life_min(p_.ot_half_life_min);
  k_prolactin_ = rate_from_half_life_min(p_.prl_half_life_min);
  k_release_drive_ = kMinutesPerHour / p_.prl_release_time_constant_min;
  k_relief_onset_ = kMinutesPerHour / p_.massage_relief_onset_min;
  k_relief_decay_ = std::numbers::ln2 / p_.massage_relief_half_life_h;
  const double activation_rate = p_.activation_rate_per_h *
                                 (covariates_.parity == Parity::primiparous ? p_.primiparity_activation_factor : 1.0);
  activation_rate_per_ng_ml_ = activation_rate / p_.prl_activation_ref_ng_ml;
  ejection_threshold_power_ = detail::hill_power(p_.ejection_ot_threshold_uU_ml, p_.ejection_hill_coefficient);
  inverse_ot_pain_half_nrs_ = 1.0 / p_.ot_pain_half_inhibition_nrs;
  inverse_prl_pain_half_nrs_ = 1.0 / p_.prl_pain_half_inhibition_nrs;
}

State LactationModel::initial_state() const {
  State x{};
  x[state::oxytocin] = p_.ot_basal_uU_ml;
  x[state::activation] = p_.activation_initial_fraction;
  x[state::milk_stored] = p_.milk_initial_stored_ml;
  return x;
}


std::array<double, 3> LactationModel::clock_exponents(double t) const {
  return {-t / p_.prl_basal_decline_h, -t / p_.prl_response_maturation_h, -t / p_.progesterone_withdrawal_h};
}

TimeFactors LactationModel::time_factors(double t) const {
  const std::array<double, 3> exponents = clock_exponents(t);
  TimeFactors factors;
  factors.pain_nrs = pain_.nrs_at(t);
  factors.basal_decay = std::exp(exponents[0]);
  factors.maturation_decay = std::exp(exponents[1]);
  factors.withdrawal_decay = std::exp(exponents[2]);
  return factors;
}

void LactationModel::time_factors_on_grid(double t0, double spacing_h, std::span<const int> indices,
                                          std::span<TimeFactors> out) const {
  // e^{-(t0 + k δ)/τ} = e^{-t0/τ} · (e^{-δ/τ})^k: one exponential per clock, then each
  // node's power from the previous node's by repeated squaring of the (small) increment.
  const TimeFactors at_start = time_factors(t0);
  const double basal_step = std::exp(-spacing_h / p_.prl_basal_decline_h);
  const double maturation_step = std::exp(-spacing_h / p_.prl_response_maturation_h);
  const double withdrawal_step = std::exp(-spacing_h / p_.progesterone_withdrawal_h);
  TimeFactors previous = at_start;
  int previous_index = 0;
  for (std::size_t n = 0; n < indices.size(); ++n) {
    const int k = indices[n];
    TimeFactors& factors = out[n];
    if (k == previous_index) {
      factors = previous;
      continue;
    }
    const int increment = k - previous_index;  // indices ascend (documented)
    factors.pain_nrs = pain_.nrs_at(t0 + k * spacing_h);
    factors.basal_decay = previous.basal_decay * detail::integer_power(basal_step, increment);
    factors.maturation_decay = previous.maturation_decay * detail::integer_power(maturation_step, increment);
    factors.withdrawal_decay = previous.withdrawal_decay * detail::integer_power(withdrawal_step, increment);
    previous = factors;
    previous_index = k;
  }
}


double LactationModel::prolactin_basal_ng_ml(double t) const {
  TimeFactors factors;
  factors.basal_decay = std::exp(-t / p_.prl_basal_decline_h);
  return basal_prolactin(factors);
}








double LactationModel::synthesis_rate(const State& x, const TimeFactors& factors, double prolactin_total) const {
  // Local feedback: synthesis slows linearly as the store fills (Neal & Thornley 1983;
  // Daly & Hartmann 1995), and stops at capacity.
  const double room = std::max(0.0, 1.0 - x[state::milk_stored] / p_.milk_storage_capacity_ml);
  return synthesis_empty_store_ml_h(factors.withdrawal_decay, x[state::activation], prolactin_total) * room;
}



void LactationModel::rhs(const State& x, State& dxdt, const TimeFactors& factors, const Stimulus& stimulus) const {
  const double pain = effective_pain(factors.pain_nrs, x[state::massage_relief]);

  // Oxytocin: first-order clearance towards its target.
  dxdt[state::oxytocin] = k_oxytocin_ * (oxytocin_target(pain, stimulus) - x[state::oxytocin]);

  // Prolactin: a release drive follows suckling with a lag (dopamine withdrawal), evoked
  // PRL follows the drive.
  const double drive = x[state::prolactin_release_drive];
  dxdt[state::prolactin_release_drive] = k_release_drive_ * (release_drive_target(stimulus) - drive);
  dxdt[state::prolactin_evoked] = k_prolactin_ * (prolactin_evoked_gain(factors, pain) * drive - x[state::prolactin_evoked]);
  const double prolactin_total = basal_prolactin(factors) + x[state::prolactin_evoked];

  // Secretory activation: logistic growth.
  const double activation = std::clamp(x[state::activation], 0.0, 1.0);
  dxdt[state::activation] = activation_growth_rate(factors, pain, prolactin_total) * activation * (1.0 - activation);

  // Milk: synthesis into the store, removal only during feeds/pumping, gated by OT.
  const double synthesis = synthesis_rate(x, factors, prolactin_total);
  const double stored = std::max(x[state::milk_stored], 0.0);
  const double to_infant = infant_removal_rate_per_h(x[state::oxytocin], stimulus) * stored;
  const double to_pump = pump_removal_rate_per_h(x[state::oxytocin], stimulus) * stored;
  dxdt[state::milk_stored] = synthesis - to_infant - to_pump;
  dxdt[state::milk_transferred] = to_infant;
  dxdt[state::milk_expressed] = to_pump;
  dxdt[state::milk_synthesised] = synthesis;

  // Massage relief (mechanism 2): builds during a session, decays after it.
  const double relief = x[state::massage_relief];
  dxdt[state::massage_relief] = stimulus.massage ? k_relief_onset_ * (1.0 - relief) : -k_relief_decay_ * relief;
}

LinearPart LactationModel::linear_part(const State& x, const TimeFactors& factors, const Stimulus& stimulus) const {
  LinearPart linear;
  State& loss = linear.loss_rate_per_h;
  loss[state::oxytocin] = k_oxytocin_;
  loss[state::prolactin_release_drive] = k_release_drive_;
  loss[state::prolactin_evoked] = k_prolactin_;
  loss[state::massage_relief] = stimulus.massage ? k_relief_onset_ : k_relief_decay_;

  const double pain = effective_pain(factors.pain_nrs, x[state::massage_relief]);
  linear.drive_to_prolactin_ng_ml_h = k_prolactin_ * prolactin_evoked_gain(factors, pain);

  // Stored milk: synthesis falls by (synthesis with an empty store) / capacity per mL
  // stored, below capacity; removal is first order with the gate as it is now.
  const double prolactin_total = basal_prolactin(factors) + x[state::prolactin_evoked];
  State empty = x;
  empty[state::milk_stored] = 0.0;
  double milk_loss = x[state::milk_stored] < p_.milk_storage_capacity_ml
                         ? synthesis_rate(empty, factors, prolactin_total) / p_.milk_storage_capacity_ml
                         : 0.0;
  milk_loss += infant_removal_rate_per_h(x[state::oxytocin], stimulus) +
               pump_removal_rate_per_h(x[state::oxytocin], stimulus);
  loss[state::milk_stored] = milk_loss;
  return linear;
}

DerivedQuantities LactationModel::derived(const State& x, double t) const {
  DerivedQuantities d{};
  const TimeFactors factors = time_factors(t);
  d.pain_nrs = pain_.reported_nrs_at(t);
  d.effective_pain_nrs = effective_pain(factors.pain_nrs, x[state::massage_relief]);
  d.felt_pain_nrs = effective_pain(d.pain_nrs, x[state::massage_relief]);
  d.prolactin_basal_ng_ml = basal_prolactin(factors);
  d.prolactin_total_ng_ml = d.prolactin_basal_ng_ml + x[state::prolactin_evoked];
  d.ejection_gate = ejection_gate(x[state::oxytocin]);
  d.synthesis_ml_h = synthesis_rate(x, factors, d.prolactin_total_ng_ml);
  return d;
}

}  // namespace lactsim::model
