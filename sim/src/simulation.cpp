#include "lactsim/sim/simulation.hpp"

#include <algorithm>
#include <cmath>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/sim/step_interpolation.hpp"

namespace lactsim {
namespace {

constexpr double kHoursPerDay = 24.0;
constexpr double kMinutesPerHour = 60.0;
// Grid times and edges are the same time when closer than this (h).
constexpr double kTimeMatchTolerance_h = 1e-9;

/// Records the timeseries grid, day totals and the onset time while integrating.
class RunRecorder {
 public:
  RunRecorder(const model::LactationModel& model, const SimulationInput& input, const RunOptions& options,
              RunResult& result)
      : model_(model), input_(input), output_step_h_(options.output_step_h), result_(result) {}

  void on_edge(double t, const model::State& x, const Segment* next) {
    if (output_step_h_ > 0.0 && std::abs(t - next_sample_h_) <= kTimeMatchTolerance_h) {
      model::LactationModel probe = model_;
      if (next != nullptr) probe.set_stimulus(next->stimulus);
      result_.timeseries.push_back(
          {t, x, next != nullptr ? next->stimulus : model::Stimulus{}, probe.derived(x, t)});
      ++sample_index_;
      next_sample_h_ = std::min(static_cast<double>(sample_index_) * output_step_h_, input_.horizon_h);
      if (result_.timeseries.back().time_h >= input_.horizon_h) next_sample_h_ = -1.0;
    }
    const bool day_end = std::abs(t - day_end_h()) <= kTimeMatchTolerance_h;
    if (day_end || (next == nullptr && t > day_start_h_)) close_day(t, x);
  }

  void on_step(const StepView& s) {
    if (!result_.onset_h) {
      result_.onset_h = upward_crossing_time(s, model::state::activation, kOnsetActivationThreshold);
    }
  }


 private:
  double day_end_h() const { return day_start_h_ + kHoursPerDay; }

  void close_day(double t, const model::State& x) {
    DailyTotals day{};
    day.day = static_cast<int>(result_.daily.size()) + 1;
    day.hours_covered = t - day_start_h_;
    day.milk_transferred_ml = x[model::state::milk_transferred] - at_day_start_[model::state::milk_transferred];
    day.milk_expressed_ml = x[model::state::milk_expressed] - at_day_start_[model::state::milk_expressed];
    day.milk_synthesised_ml = x[model::state::milk_synthesised] - at_day_start_[model::state::milk_synthesised];
    for (const Session& s : input_.sessions) {
      if (s.start_h < day_start_h_ || s.start_h >= t) continue;
      (s.kind == SessionKind::feed ? day.feeds : s.kind == SessionKind::pump ? day.pumps : day.massages) += 1;
    }
    result_.daily.push_back(day);
    day_start_h_ = t;
    at_day_start_ = x;
  }

  const model::LactationModel& model_;
  const SimulationInput& input_;
  double output_step_h_;
  RunResult& result_;
  std::size_t sample_index_ = 0;
  double next_sample_h_ = 0.0;
  double day_start_h_ = 0.0;
  model::State at_day_start_{};
};

}  // namespace

void validate_solver_options(const SolverOptions& o) {
  auto check = [](double value, const char* field, double lo, double hi) {
    if (!std::isfinite(value) || value <= lo || value > hi) {
      throw InputError({"<solver options>", 0, 0}, field,
                       "must be a finite number in (" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
  };
  check(o.relative_tolerance, "rtol", 0.0, 0.1);
  check(o.absolute_tolerance, "atol", 0.0, 0.1);
  check(o.initial_step_h, "initial_step_h", 0.0, 24.0);
  check(o.max_step_h, "max_step_h", 0.0, 24.0);
  check(o.min_step_h, "min_step_h", 0.0, 1.0);
  if (o.max_steps == 0) throw InputError({"<solver options>", 0, 0}, "max_steps", "must be positive");
}

SolverOptions solver_options_with_tolerances(double relative_tolerance, double absolute_tolerance,
                                             SolverMethod method) {
  SolverOptions options;
  options.method = method;
  options.relative_tolerance = relative_tolerance;
  options.absolute_tolerance = absolute_tolerance;
  validate_solver_options(options);
  return options;
}

std::string_view solver_method_name(SolverMethod method) {
  switch (method) {
    case SolverMethod::exponential:
      return "exponential";
    case SolverMethod::cascade:
      return "cascade";
    case SolverMethod::dormand_prince:
      break;
  }
  return "dopri5";
}

SolverMethod parse_solver_method(std::string_view text, std::string_view field) {
  for (const SolverMethod method : {SolverMethod::dormand_prince, SolverMethod::exponential, SolverMethod::cascade}) {
    if (text == solver_method_name(method)) return method;
  }
  throw InputError({"<command line>", 0, 0}, std::string(field),
                   "unknown solver '" + std::string(text) + "'; expected dopri5, exponential or cascade");
}

model::LactationModel make_model(const SimulationInput& input) {
  auto pain = input.observed_pain.empty() ? model::PainInput::parametric(input.parameters)
                                          : model::PainInput::from_points(input.observed_pain);
  return model::LactationModel(input.parameters, input.covariates, std::move(pain));
}

RunResult simulate(const SimulationInput& input, const RunOptions& options) {
  if (auto violations = model::validate_parameters(input.parameters); !violations.empty()) {
    throw InputError({"<parameters>", 0, 0}, violations.front().parameter, violations.front().message);
  }
  validate_solver_options(options.solver);
  if (options.solver.method == SolverMethod::cascade) {
    throw InputError({"<command line>", 0, 0}, "--solver",
                     "cascade computes endpoints only (sweep, compare, sensitivity); a run with timeseries "
                     "needs dopri5 or exponential");
  }
  if (!std::isfinite(input.horizon_h) || input.horizon_h <= 0.0) {
    throw InputError({"<simulation input>", 0, 0}, "horizon_h", "must be positive and finite");
  }
  if (!std::isfinite(options.output_step_h) || options.output_step_h < 0.0) {
    throw InputError({"<run options>", 0, 0}, "output_step_h", "must be zero (no timeseries) or positive");
  }

  model::LactationModel model = make_model(input);
  std::vector<double> extra_edges = model.pain().breakpoints_h();
  if (options.output_step_h > 0.0) {
    const auto samples = static_cast<std::size_t>(std::floor(input.horizon_h / options.output_step_h + 1e-9));
    for (std::size_t i = 1; i <= samples; ++i) extra_edges.push_back(static_cast<double>(i) * options.output_step_h);
  }
  const double pre_feed_lead_h = input.parameters.ot_conditioned_lead_min / kMinutesPerHour;
  const std::vector<Segment> segments = build_segments(input.sessions, pre_feed_lead_h, input.horizon_h, extra_edges);

  RunResult result;
  model::State x = model.initial_state();
  result.initial_state = x;
  RunRecorder recorder(model, input, options, result);
  result.stats = integrate_segments(model, segments, x, options.solver, recorder);
  result.final_state = x;
  return result;
}

}  // namespace lactsim
