#pragma once
/// @file lactation_model.hpp
/// The right-hand side of the lactation ODE (docs/model.md gives every equation).
/// Pure maths: no I/O, no allocation in `operator()`.

#include <array>
#include <span>

#include "lactsim/model/covariates.hpp"
#include "lactsim/model/pain.hpp"
#include "lactsim/model/parameters.hpp"
#include "lactsim/model/state.hpp"
#include "lactsim/model/stimulus.hpp"

namespace lactsim::model {

/// Algebraic quantities derived from the state, for outputs and tests.
struct DerivedQuantities {
  double pain_nrs;             ///< pain input before massage relief, without delivery stress
  double effective_pain_nrs;   ///< pain plus delivery stress after massage relief: what inhibits the responses
  double felt_pain_nrs;        ///< pain alone after massage relief: what a mother would score (observable "pain")
  double prolactin_basal_ng_ml;///< basal PRL at this time
  double prolactin_total_ng_ml;///< basal + evoked PRL
  double ejection_gate;        ///< 0–1: how open the OT-driven milk-ejection gate is
  double synthesis_ml_h;       ///< instantaneous milk synthesis rate
};

/// The factors of the right-hand side that depend on time only: the pain input and the
/// three exponential clocks since birth. Separate so steppers can evaluate them for a whole
/// step at once (`time_factors_on_grid`), which removes most of the RHS's exponentials.
struct TimeFactors {
  double pain_nrs = 0;          ///< pain plus delivery stress (before massage relief), NRS
  double basal_decay = 1;       ///< e^{-t / prl_basal_decline_h}
  double maturation_decay = 1;  ///< e^{-t / prl_response_maturation_h}
  double withdrawal_decay = 1;  ///< e^{-t / progesterone_withdrawal_h}
};

/// The part of the right-hand side that is linear in the state near (x, t), for closed-form
/// curves between a step's ends (the endpoint recorder's feed peaks). Oxytocin, the PRL release drive,
/// evoked PRL and massage relief are exactly linear in themselves for a given stimulus;
/// stored milk's coefficient depends on the state and is frozen where it is taken.
struct LinearPart {
  /// -∂f_i/∂x_i, 1/h (>= 0): first-order loss rate of each state; 0 for activation and
  /// the cumulative milk totals, which are integrated explicitly.
  State loss_rate_per_h{};
  /// ∂f_{prolactin_evoked}/∂(release drive), ng/mL/h: how the drive feeds evoked PRL.
  double drive_to_prolactin_ng_ml_h = 0;
};

/// The lactation model for one mother: parameters, covariates and pain input fixed at
/// construction. The stimulus is an argument of every member that depends on it (the solvers
/// pass each segment's), so the model is immutable: integration reads it through a const
/// reference, and one model may be shared by any number of threads at once.
class LactationModel {
 public:
  /// Precomputes rate constants. Parameters are assumed valid (see validate_parameters).
  LactationModel(const ModelParameters& parameters, const Covariates& covariates, PainInput pain);

  /// dx/dt at time `time_h` (hours after birth) under `stimulus`.
  void operator()(const State& x, State& dxdt, double time_h, const Stimulus& stimulus) const {
    rhs(x, dxdt, time_factors(time_h), stimulus);
  }

  /// dx/dt given the time factors of the current time, under `stimulus` (one implementation
  /// for both calls).
  void rhs(const State& x, State& dxdt, const TimeFactors& factors, const Stimulus& stimulus) const;

  /// Time-only factors at `time_h`.
  TimeFactors time_factors(double time_h) const;

  /// The exponents of the three clocks at `time_h` (basal decay, maturation decay,
  /// withdrawal decay = e^{exponent}), for solvers that take the exponentials in a batch
  /// and pain separately; time_factors() is built from them.
  std::array<double, 3> clock_exponents(double time_h) const;

  /// Time factors at t0 + k·spacing_h for each k in `indices` (ascending, k >= 0), written
  /// to `out` (same length), with one exponential per clock instead of one per time.
  void time_factors_on_grid(double t0, double spacing_h, std::span<const int> indices,
                            std::span<TimeFactors> out) const;

  /// Linear part of the right-hand side at x with the given time factors, under `stimulus`.
  LinearPart linear_part(const State& x, const TimeFactors& factors, const Stimulus& stimulus) const;

  /// State at birth (t = 0).
  State initial_state() const;

  /// Basal prolactin at `time_h`, ng/mL (a function of time only).
  double prolactin_basal_ng_ml(double time_h) const;

  /// Algebraic outputs at a state and time (none of them depends on the stimulus).
  DerivedQuantities derived(const State& x, double time_h) const;

  // --- The right-hand side's parts, for solvers that use the model's structure ---------
  // (engine/solvers/cascade_solver.hpp integrates OT, drive, PRL and relief in closed form and the
  // rest by quadrature; rhs() is written in terms of these same functions.)

  /// Pain after massage relief, NRS: pain_nrs·(1 − massage_pain_relief_fraction·relief).
  double effective_pain(double pain_nrs, double relief) const;
  /// OT level `stimulus` drives plasma OT towards, µU/mL.
  double oxytocin_target(double effective_pain_nrs, const Stimulus& stimulus) const;
  /// Target of the PRL release drive: suckling intensity of `stimulus` (1 at the breast,
  /// pump_stimulus_fraction with a pump, 0 otherwise).
  double release_drive_target(const Stimulus& stimulus) const;
  /// Evoked PRL per unit release drive at equilibrium, ng/mL: d(evoked)/dt =
  /// k_prl·(gain·drive − evoked).
  double prolactin_evoked_gain(const TimeFactors& factors, double effective_pain_nrs) const;
  /// Basal PRL, ng/mL.
  double basal_prolactin(const TimeFactors& factors) const;
  /// Logistic growth rate of activation, 1/h: d(activation)/dt = rate·a·(1 − a).
  double activation_growth_rate(const TimeFactors& factors, double effective_pain_nrs,
                                double prolactin_total_ng_ml) const;
  /// The same in two parts, so a solver can take the exponentials of many points at once:
  /// rate = activation_growth_rate_given_stress(factors, e^{activation_stress_exponent(pain)}, PRL).
  double activation_stress_exponent(double effective_pain_nrs) const;
  double activation_growth_rate_given_stress(const TimeFactors& factors, double stress_factor,
                                             double prolactin_total_ng_ml) const;
  /// Milk synthesis with an empty store, mL/h (the store's feedback multiplies it by
  /// max(0, 1 − stored / capacity)); `withdrawal_decay` = e^{−t/progesterone_withdrawal_h}
  /// (TimeFactors::withdrawal_decay) gates the colostrum part.
  double synthesis_empty_store_ml_h(double withdrawal_decay, double activation, double prolactin_total_ng_ml) const;
  /// First-order removal rate of stored milk to the infant at this OT under `stimulus`, 1/h
  /// (0 unless feeding).
  double infant_removal_rate_per_h(double oxytocin, const Stimulus& stimulus) const;
  /// First-order removal rate of stored milk to a pump at this OT under `stimulus`, 1/h
  /// (0 unless pumping).
  double pump_removal_rate_per_h(double oxytocin, const Stimulus& stimulus) const;
  /// Target of massage relief under `stimulus` (1 during massage, else 0).
  static double relief_target(const Stimulus& stimulus) { return stimulus.massage ? 1.0 : 0.0; }
  /// Plasma OT clearance rate, 1/h.
  double oxytocin_clearance_per_h() const { return k_oxytocin_; }
  /// Evoked PRL clearance rate, 1/h.
  double prolactin_clearance_per_h() const { return k_prolactin_; }
  /// Rate at which the release drive follows its target, 1/h.
  double release_drive_rate_per_h() const { return k_release_drive_; }
  /// Relief onset (during massage) and decay (after it) rates, 1/h.
  double relief_onset_rate_per_h() const { return k_relief_onset_; }
  double relief_decay_rate_per_h() const { return k_relief_decay_; }

  /// Parameters in use.
  const ModelParameters& parameters() const { return p_; }
  /// Covariates in use.
  const Covariates& covariates() const { return covariates_; }
  /// Pain input in use.
  const PainInput& pain() const { return pain_; }

 private:
  double responsiveness(const TimeFactors& factors) const;
  double synthesis_rate(const State& x, const TimeFactors& factors, double prolactin_total) const;
  double ejection_gate(double oxytocin) const;

  ModelParameters p_;
  Covariates covariates_;
  PainInput pain_;
  // Rate constants in 1/h, precomputed from half-lives and time constants.
  double k_oxytocin_, k_prolactin_, k_release_drive_, k_relief_decay_, k_relief_onset_;
  // Precomputed so the parts above multiply instead of divide (they run at every
  // quadrature point; a division costs several multiplications).
  double activation_rate_per_ng_ml_;  // activation rate (with the parity factor) / PRL reference
  double ejection_threshold_power_;   // ejection threshold ^ ejection Hill coefficient
  double inverse_ot_pain_half_nrs_, inverse_prl_pain_half_nrs_;
};

}  // namespace lactsim::model

#include "lactsim/model/detail/rhs_parts.hpp"
