#include "lactsim/engine/simulation.hpp"

#include <algorithm>
#include <cmath>

#include "lactsim/model/parameter_registry.hpp"
#include "solvers/step_interpolation.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/engine/unit_conversion.hpp"

namespace lactsim {
namespace {

// Grid times and edges are the same time when closer than this (h).
constexpr double kTimeMatchTolerance_h = 1e-9;

/// Records the timeseries grid, day totals and the onset time while integrating. Grid times
/// inside a step come from the stepper's dense output; a grid time at a segment edge is
/// recorded there (with the stimulus starting at the edge), one at a step end that is no
/// edge from the next step's start.
class RunRecorder {
 public:
  RunRecorder(const model::LactationModel& model, const SimulationInput& input, const RunOptions& options,
              RunResult& result)
      : model_(model), input_(input), output_step_h_(options.output_step_h), result_(result) {
    if (output_step_h_ <= 0.0) next_sample_h_ = -1.0;
  }

  void on_edge(double t, const model::State& x, const Segment* next) {
    // Only the start can be at or past onset unseen (steps report upward crossings).
    if (!result_.onset_h && onset_reached(x)) result_.onset_h = t;
    if (next_sample_h_ >= 0.0 && std::abs(t - next_sample_h_) <= kTimeMatchTolerance_h) {
      model::LactationModel probe = model_;
      if (next != nullptr) probe.set_stimulus(next->stimulus);
      record_sample(t, x, next != nullptr ? next->stimulus : model::Stimulus{}, probe);
    }
    const bool day_end = std::abs(t - day_end_h()) <= kTimeMatchTolerance_h;
    if (day_end || (next == nullptr && t > day_start_h_)) close_day(t, x);
  }

  void on_step(const StepView& s) {
    if (!result_.onset_h) {
      result_.onset_h = upward_crossing_time(s, model::state::activation, kOnsetActivationThreshold);
    }
    // Grid times within the matching tolerance of the step's end wait for on_edge or the next step.
    while (next_sample_h_ >= 0.0 && next_sample_h_ < s.t1 - kTimeMatchTolerance_h) {
      if (next_sample_h_ <= s.t0 + kTimeMatchTolerance_h) {
        record_sample(s.t0, s.x0, model_.stimulus(), model_);
      } else {
        model::State x;
        s.dense_output->state_at(s, next_sample_h_, x);
        record_sample(next_sample_h_, x, model_.stimulus(), model_);
      }
    }
  }

 private:
  /// Appends a row (derived quantities from `model`, whose stimulus is `stimulus`) and moves to the next grid time.
  void record_sample(double t, const model::State& x, const model::Stimulus& stimulus,
                     const model::LactationModel& model) {
    result_.timeseries.push_back({t, x, stimulus, model.derived(x, t)});
    ++sample_index_;
    next_sample_h_ = std::min(static_cast<double>(sample_index_) * output_step_h_, input_.horizon_h);
    if (t >= input_.horizon_h - kTimeMatchTolerance_h) next_sample_h_ = -1.0;
  }

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
  double next_sample_h_ = 0.0;  ///< next grid time to record; < 0 when none is left
  double day_start_h_ = 0.0;
  model::State at_day_start_{};
};

}  // namespace

double timeseries_row_count(double output_step_h, double horizon_h) {
  if (!(output_step_h > 0.0)) return 0.0;
  // Grid times strictly below the horizon (within the matching tolerance), plus the horizon.
  return std::ceil((horizon_h - kTimeMatchTolerance_h) / output_step_h) + 1.0;
}

void check_output_grid(double output_step_h, double horizon_h, const SourceLocation& where, const std::string& field) {
  if (output_step_h == 0.0) return;
  const std::string step_text = format_number(output_step_h * kMinutesPerHour) + " min";
  if (!std::isfinite(output_step_h) || output_step_h < kMinOutputStep_h) {
    throw InputError(where, field,
                     "timeseries step " + step_text + " is below the smallest allowed step, " +
                         format_number(kMinOutputStep_h * kMinutesPerHour) + " min");
  }
  const double rows = timeseries_row_count(output_step_h, horizon_h);
  if (rows > static_cast<double>(kMaxTimeseriesRows)) {
    const double smallest_step_min = horizon_h / static_cast<double>(kMaxTimeseriesRows - 1) * kMinutesPerHour;
    throw InputError(where, field,
                     "timeseries step " + step_text + " over a " + format_number(horizon_h) + "-h horizon gives " +
                         format_number(rows) + " rows; at most " + std::to_string(kMaxTimeseriesRows) +
                         " are allowed (a step of at least " + format_number(smallest_step_min) +
                         " min for this horizon)");
  }
}

void validate_solver_options(const SolverOptions& o) {
  auto check = [](double value, const char* field, double lo, double hi) {
    if (!std::isfinite(value) || value <= lo || value > hi) {
      throw InputError({"<solver options>", 0, 0}, field,
                       "must be a finite number in (" + format_number(lo) + ", " + format_number(hi) + "]");
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
  throw InputError({kArgumentsOrigin, 0, 0}, std::string(field),
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
    throw InputError({kArgumentsOrigin, 0, 0}, "solver",
                     "cascade computes endpoints only (sweep, compare, sensitivity); a run with timeseries "
                     "needs dopri5 or exponential");
  }
  if (!std::isfinite(input.horizon_h) || input.horizon_h <= 0.0) {
    throw InputError({"<simulation input>", 0, 0}, "horizon_h", "must be positive and finite");
  }
  check_output_grid(options.output_step_h, input.horizon_h, {kArgumentsOrigin, 0, 0}, "output_step_h");

  model::LactationModel model = make_model(input);
  // The output grid adds no edges: RunRecorder samples it from the steppers' dense output.
  const std::vector<double> extra_edges = model.pain().breakpoints_h();
  const double pre_feed_lead_h = input.parameters.ot_conditioned_lead_min / kMinutesPerHour;
  const std::vector<Segment> segments = build_segments(input.sessions, pre_feed_lead_h, input.horizon_h, extra_edges);

  RunResult result;
  model::State x = model.initial_state();
  result.initial_state = x;
  if (options.output_step_h > 0.0) {
    result.timeseries.reserve(static_cast<std::size_t>(timeseries_row_count(options.output_step_h, input.horizon_h)));
  }
  RunRecorder recorder(model, input, options, result);
  result.stats = integrate_segments(model, segments, x, options.solver, recorder);
  result.final_state = x;
  return result;
}

}  // namespace lactsim
