#include "lactsim/engine/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "lactsim/model/parameter_registry.hpp"
#include "endpoint_recorder.hpp"
#include "solvers/solver_interface.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/engine/unit_conversion.hpp"

namespace lactsim {
namespace {

using detail::kTimeMatchTolerance_h;

/// Records the timeseries grid while integrating (the endpoint recorder keeps the days and the
/// onset). Grid times inside a step come from the solver's dense output (dopri5's continuous
/// extension, the cascade solver's Chebyshev interpolants); a grid time at a segment edge is
/// recorded there (with the stimulus starting at the edge), one at a step end that is no edge
/// from the next step's start.
class TimeseriesRecorder final : public SolverObserver {
 public:
  TimeseriesRecorder(const model::LactationModel& model, const SimulationInput& input, const RunOptions& options,
                     RunResult& result)
      : model_(model), input_(input), output_step_h_(options.output_step_h), result_(result) {
    if (output_step_h_ <= 0.0) next_sample_h_ = -1.0;
  }

  void on_edge(double t, const model::State& x, const Segment* next) override {
    if (next_sample_h_ >= 0.0 && std::abs(t - next_sample_h_) <= kTimeMatchTolerance_h) {
      // The row at an edge shows the stimulus starting there (none at the horizon).
      record_sample(t, x, next != nullptr ? next->stimulus : model::Stimulus{});
    }
  }

  /// Records the grid times in the accepted interval [t0, t1) (state x0 at t0, the solver's
  /// dense output inside). Grid times within the matching tolerance of its end wait for
  /// on_edge or the next interval.
  void on_interval(const AcceptedInterval& s) override {
    while (next_sample_h_ >= 0.0 && next_sample_h_ < s.t1 - kTimeMatchTolerance_h) {
      if (next_sample_h_ <= s.t0 + kTimeMatchTolerance_h) {
        record_sample(s.t0, s.x0, s.stimulus);
      } else {
        model::State x;
        s.state_at(next_sample_h_, x);
        record_sample(next_sample_h_, x, s.stimulus);
      }
    }
  }

 private:

  /// Appends a row (the stimulus column shows `stimulus`) and moves to the next grid time.
  void record_sample(double t, const model::State& x, const model::Stimulus& stimulus) {
    result_.timeseries.push_back({t, x, stimulus, model_.derived(x, t)});
    ++sample_index_;
    next_sample_h_ = std::min(static_cast<double>(sample_index_) * output_step_h_, input_.horizon_h);
    if (t >= input_.horizon_h - kTimeMatchTolerance_h) next_sample_h_ = -1.0;
  }

  const model::LactationModel& model_;
  const SimulationInput& input_;
  double output_step_h_;
  RunResult& result_;
  std::size_t sample_index_ = 0;
  double next_sample_h_ = 0.0;  ///< next grid time to record; < 0 when none is left
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
      throw InputError({kArgumentsOrigin, 0, 0}, field,
                       "must be a finite number in (" + format_number(lo) + ", " + format_number(hi) + "]");
    }
  };
  check(o.relative_tolerance, "rtol", 0.0, 0.1);
  check(o.absolute_tolerance, "atol", 0.0, 0.1);
  check(o.initial_step_h, "initial_step_h", 0.0, 24.0);
  check(o.max_step_h, "max_step_h", 0.0, 24.0);
  check(o.min_step_h, "min_step_h", 0.0, 1.0);
  if (o.max_steps == 0) throw InputError({kArgumentsOrigin, 0, 0}, "max_steps", "must be positive");
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
  switch (method) {  // no default: a new method that is not named here does not compile (-Wswitch)
    case SolverMethod::dormand_prince:
      return "dopri5";
    case SolverMethod::cascade:
      return "cascade";
  }
  throw std::invalid_argument("solver_method_name: not a SolverMethod value");
}

SolverMethod parse_solver_method(std::string_view text, std::string_view field) {
  std::string names;
  for (const SolverMethod method : kSolverMethods) {
    if (text == solver_method_name(method)) return method;
    names += (names.empty() ? "" : ", ") + std::string(solver_method_name(method));
  }
  throw InputError({kArgumentsOrigin, 0, 0}, std::string(field),
                   "unknown solver '" + std::string(text) + "'; the solvers are " + names);
}

model::LactationModel make_model(const SimulationInput& input) {
  auto pain = input.observed_pain.empty() ? model::PainInput::parametric(input.parameters)
                                          : model::PainInput::from_points(input.observed_pain);
  return model::LactationModel(input.parameters, input.covariates, std::move(pain));
}

void validate_simulation(const SimulationInput& input, const SolverOptions& solver) {
  if (auto violations = model::validate_parameters(input.parameters); !violations.empty()) {
    throw InputError({"<parameters>", 0, 0}, violations.front().parameter, violations.front().message);
  }
  validate_solver_options(solver);
  const double longest_horizon_h = static_cast<double>(kMaxEndpointDays) * kHoursPerDay;
  if (!std::isfinite(input.horizon_h) || input.horizon_h <= 0.0 || input.horizon_h > longest_horizon_h) {
    throw InputError({"<simulation input>", 0, 0}, "horizon_h",
                     "must be positive, finite and at most " + format_number(longest_horizon_h) + " h (" +
                         std::to_string(kMaxEndpointDays) + " days)");
  }
  if (!(input.birth_weight_g >= kMinBirthWeight_g && input.birth_weight_g <= kMaxBirthWeight_g)) {
    throw InputError({"<simulation input>", 0, 0}, "birth_weight_g",
                     "must be from " + format_number(kMinBirthWeight_g) + " to " + format_number(kMaxBirthWeight_g) +
                         " g, found " + format_number(input.birth_weight_g));
  }
}

RunResult simulate(const SimulationInput& input, const RunOptions& options) {
  validate_simulation(input, options.solver);
  check_output_grid(options.output_step_h, input.horizon_h, {kArgumentsOrigin, 0, 0}, "output_step_h");

  const model::LactationModel model = make_model(input);
  // The output grid adds no edges: TimeseriesRecorder samples it from the stepper's dense output.
  const std::vector<double> extra_edges = model.pain().breakpoints_h();
  const double pre_feed_lead_h = input.parameters.ot_conditioned_lead_min / kMinutesPerHour;
  const std::vector<Segment> segments = build_segments(input.sessions, pre_feed_lead_h, input.horizon_h, extra_edges);
  std::vector<double> feed_starts_h;
  detail::sorted_feed_starts(input, feed_starts_h);

  RunResult result;
  model::State x = model.initial_state();
  result.initial_state = x;
  if (options.output_step_h > 0.0) {
    result.timeseries.reserve(static_cast<std::size_t>(timeseries_row_count(options.output_step_h, input.horizon_h)));
  }
  TimeseriesRecorder timeseries(model, input, options, result);
  detail::EndpointRecorder endpoints(feed_starts_h, input.sessions, input.parameters, input.birth_weight_g,
                                     result.endpoints, &result.daily);
  ObserverPair recorders(timeseries, endpoints);
  const SolverStats stats = integrate_segments(model, segments, x, options.solver, recorders,
                                               {.dense_output = options.output_step_h > 0.0});
  endpoints.finish(result.initial_state, x, stats);
  result.final_state = x;
  return result;
}

}  // namespace lactsim
