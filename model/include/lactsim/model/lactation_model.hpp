#pragma once
/// @file lactation_model.hpp
/// The right-hand side of the lactation ODE (docs/model.md gives every equation).
/// Pure maths: no I/O, no allocation in `operator()`.

#include "lactsim/model/covariates.hpp"
#include "lactsim/model/pain.hpp"
#include "lactsim/model/parameters.hpp"
#include "lactsim/model/state.hpp"
#include "lactsim/model/stimulus.hpp"

namespace lactsim::model {

/// Algebraic quantities derived from the state, for outputs and tests.
struct DerivedQuantities {
  double pain_nrs;             ///< pain input before massage relief
  double effective_pain_nrs;   ///< pain after massage relief: what inhibits the responses
  double prolactin_basal_ng_ml;///< basal PRL at this time
  double prolactin_total_ng_ml;///< basal + evoked PRL
  double ejection_gate;        ///< 0–1: how open the OT-driven milk-ejection gate is
  double synthesis_ml_h;       ///< instantaneous milk synthesis rate
};

/// The lactation model for one mother: parameters, covariates and pain input fixed,
/// stimulus set per integration segment.
class LactationModel {
 public:
  /// Precomputes rate constants. Parameters are assumed valid (see validate_parameters).
  LactationModel(const ModelParameters& parameters, const Covariates& covariates, PainInput pain);

  /// Sets the stimulus for the next segment; constant until the next call.
  void set_stimulus(const Stimulus& stimulus) { stimulus_ = stimulus; }
  /// The stimulus in force.
  const Stimulus& stimulus() const { return stimulus_; }

  /// dx/dt at time `time_h` (hours after birth) for the current stimulus.
  void operator()(const State& x, State& dxdt, double time_h) const;

  /// State at birth (t = 0).
  State initial_state() const;

  /// Algebraic outputs at a state and time, for the current stimulus.
  DerivedQuantities derived(const State& x, double time_h) const;

  /// Parameters in use.
  const ModelParameters& parameters() const { return p_; }
  /// Covariates in use.
  const Covariates& covariates() const { return covariates_; }
  /// Pain input in use.
  const PainInput& pain() const { return pain_; }

 private:
  double effective_pain(const State& x, double time_h) const;
  double basal_prolactin(double time_h) const;
  double synthesis_rate(const State& x, double prolactin_total) const;
  double ejection_gate(double oxytocin) const;

  ModelParameters p_;
  Covariates covariates_;
  PainInput pain_;
  Stimulus stimulus_{};
  // Rate constants in 1/h, precomputed from half-lives and time constants.
  double k_oxytocin_, k_prolactin_, k_release_drive_, k_relief_decay_, k_relief_onset_;
  double activation_rate_;  // includes the parity factor
};

}  // namespace lactsim::model
