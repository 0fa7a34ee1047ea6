// The outputs of a case-series fit.

#include "lactsim/fit/case_series_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/engine/unit_conversion.hpp"
#include "lactsim/fit/fit_report.hpp"
#include "lactsim/io/case_table.hpp"
#include "lactsim/io/json_writer.hpp"
#include "lactsim/io/run_outputs.hpp"

namespace lactsim {
namespace {

/// Timeseries spacing of the simulated curves, h: fine enough for day means (observables.cpp).
constexpr double kCurveOutputStep_h = 1.0 / 12.0;

std::string g(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

}  // namespace

std::string per_subject_csv(const CaseSeriesFit& fit) {
  std::string out =
      "subject,scenario,parameter,unit,shared,estimate,se,ci_low,ci_high,at_bound,chi_square,points,status,detail\n";
  for (const SubjectFit& s : fit.subjects) {
    for (std::size_t k = 0; k < fit.parameters.size(); ++k) {
      const FreeParameter& p = fit.parameters[k];
      const std::string at_bound =
          std::isfinite(s.estimate[k]) ? (estimate_at_bound(p.bounds, s.estimate[k]) ? "1" : "0") : "";
      out += csv_escape(s.subject) + "," + csv_escape(s.scenario_file.stem().string()) + "," + p.name + "," +
             csv_escape(p.unit) + "," + (fit.shared[k] ? "1" : "0") + "," + csv_cell(s.estimate[k]) + "," +
             csv_cell(s.standard_error[k]) + "," + csv_cell(s.ci_lower[k]) + "," + csv_cell(s.ci_upper[k]) + "," +
             at_bound + "," + csv_cell(s.chi_square) + "," + std::to_string(s.points) + "," +
             std::string(to_string(s.status)) + "," +
             csv_escape(s.detail) + "\n";
    }
  }
  return out;
}

std::string case_series_summary_json(const CaseSeriesFit& fit, const std::string& command_line) {
  const BuildInfo build = build_info();
  JsonWriter json;
  json.begin_object();
  json.key("lactsim_version").value(build.version);
  json.key("git_commit").value(build.git_commit);
  json.key("command").value(command_line);
  json.key("mode").value(fit.joint ? "joint (shared parameters)" : "per subject");
  json.key("interrupted").value(fit.interrupted);
  json.key("evaluations").value(fit.evaluations);
  std::size_t ok = 0;
  for (const SubjectFit& s : fit.subjects) ok += s.status == SubjectFitStatus::ok ? 1 : 0;
  json.key("subjects_requested").value(fit.subjects.size());
  json.key("subjects_ok").value(ok);
  json.key("subjects_not_ok").value(fit.subjects.size() - ok);
  json.key("parameters").begin_array();
  for (std::size_t k = 0; k < fit.parameters.size(); ++k) {
    const FreeParameter& p = fit.parameters[k];
    json.begin_object();
    json.key("name").value(p.name).key("unit").value(p.unit).key("shared").value(fit.shared[k]);
    json.key("start").value(p.start);
    if (fit.shared[k]) {
      // One value for every subject: the joint estimate (the first subject fitted holds it).
      const auto holder = std::find_if(fit.subjects.begin(), fit.subjects.end(),
                                       [](const SubjectFit& s) { return s.status == SubjectFitStatus::ok; });
      const bool have = holder != fit.subjects.end();
      json.key("estimate").value(have ? holder->estimate[k] : std::nan(""));
      json.key("standard_error").value(have ? holder->standard_error[k] : std::nan(""));
      json.key("ci_low").value(have ? holder->ci_lower[k] : std::nan(""));
      json.key("ci_high").value(have ? holder->ci_upper[k] : std::nan(""));
    } else {
      const EstimateSpread spread = estimate_spread(fit, k);
      json.key("across_subjects").begin_object();
      json.key("subjects").value(spread.subjects);
      json.key("mean").value(spread.mean).key("sd").value(spread.sd);
      json.key("min").value(spread.min).key("max").value(spread.max);
      json.end_object();
    }
    json.end_object();
  }
  json.end_array();
  json.key("subjects").begin_array();
  for (const SubjectFit& s : fit.subjects) {
    json.begin_object();
    json.key("subject").value(s.subject).key("scenario").value(s.scenario_file.string());
    json.key("status").value(std::string(to_string(s.status))).key("detail").value(s.detail);
    json.key("chi_square").value(s.chi_square).key("points").value(s.points);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.str();
}

std::string case_series_observed_csv(const CaseSeriesFit& fit) {
  std::string out;
  bool header = true;
  for (const SubjectFit& s : fit.subjects) {
    if (s.comparisons.empty() && !header) continue;
    out += observed_csv(s.fitted, s.comparisons, "scenario", s.scenario_file.stem().string(), header);
    header = false;
  }
  return out;
}

std::string subject_fit_panels_csv(const CaseSeriesFit& fit, double default_cv) {
  std::string out = "subject,quantity,unit,axis,x,kind,value,sd\n";
  for (const SubjectFit& s : fit.subjects) {
    if (s.status != SubjectFitStatus::ok) continue;
    const std::vector<WeightedObservation> observations = weighted_observations(s.fitted, default_cv);
    RunOptions options;
    options.solver = fit_solver_options();
    options.output_step_h = kCurveOutputStep_h;
    const SimulationInput input = to_simulation_input(s.fitted);
    const RunResult result = simulate(input, options);
    std::vector<std::string> quantities;
    for (const WeightedObservation& o : observations) {
      if (is_event_time_observable(o.quantity)) continue;
      if (std::find(quantities.begin(), quantities.end(), o.quantity) == quantities.end()) quantities.push_back(o.quantity);
    }
    const std::string subject = csv_escape(s.subject);
    for (const std::string& quantity : quantities) {
      // The panel's axis: days when every point of the quantity is by day, else hours.
      const bool by_day = std::all_of(observations.begin(), observations.end(), [&](const WeightedObservation& o) {
        return o.quantity != quantity || o.day.has_value();
      });
      const std::string head = subject + "," + quantity + "," + csv_escape(*model_unit(quantity)) + "," +
                               (by_day ? "day" : "time_h") + ",";
      std::string curve;
      bool curve_ok = quantity != "milk_expressed_session";  // a per-session volume is no curve
      const int steps = by_day ? s.fitted.duration_days : static_cast<int>(s.fitted.horizon_h());
      for (int i = by_day ? 1 : 0; curve_ok && i <= steps; ++i) {
        WeightedObservation at;
        at.quantity = quantity;
        at.model_unit = *model_unit(quantity);
        if (by_day) at.day = i;
        else at.time_h = static_cast<double>(i);
        try {
          curve += head + std::to_string(i) + ",simulated," + csv_cell(simulated_value(at, result, input)) + ",\n";
        } catch (const InputError&) {
          curve_ok = false;  // an observable with no value on this grid: its points only
        }
      }
      if (curve_ok) {
        out += curve;
      } else {
        for (const ObservationComparison& c : s.comparisons) {
          if (c.observation.quantity != quantity) continue;
          const WeightedObservation& o = c.observation;
          const double x = by_day ? *o.day : o.time_h ? *o.time_h : kHoursPerDay * (*o.day - 0.5);
          out += head + format_number(x) + ",simulated," + csv_cell(c.simulated) + ",\n";
        }
      }
      for (const WeightedObservation& o : observations) {
        if (o.quantity != quantity) continue;
        // In an hourly panel a point by day sits at the middle of its day.
        const double x = by_day ? *o.day : o.time_h ? *o.time_h : kHoursPerDay * (*o.day - 0.5);
        out += head + format_number(x) + ",observed," + csv_cell(o.observed) + "," + csv_cell(o.sigma) + "\n";
      }
    }
    // Event times (first colostrum, onsets): one panel each, the simulated time beside (x 0.85)
    // the observed one (x 1.15), so neither hides the other when they agree.
    for (const ObservationComparison& c : s.comparisons) {
      if (!is_event_time_observable(c.observation.quantity)) continue;
      const std::string head = subject + "," + c.observation.quantity + "," +
                               csv_escape(*model_unit(c.observation.quantity)) + ",event,";
      out += head + "0.85,simulated," + csv_cell(c.simulated) + ",\n";
      out += head + "1.15,observed," + csv_cell(c.observation.observed) + "," + csv_cell(c.observation.sigma) + "\n";
    }
  }
  return out;
}

OutputStaging stage_case_series_outputs(const CaseSeriesFit& fit, const std::string& command_line,
                                        const std::filesystem::path& out_dir, const RunManifest* manifest,
                                        double default_cv) {
  OutputStaging staging;
  staging.add(out_dir / "per_subject.csv", per_subject_csv(fit));
  staging.add(out_dir / "summary.json", case_series_summary_json(fit, command_line));
  staging.add(out_dir / "observed.csv", case_series_observed_csv(fit));
  staging.add(out_dir / "subject_fit_panels.csv", subject_fit_panels_csv(fit, default_cv));
  if (manifest != nullptr) {
    RunManifest complete = *manifest;
    complete.solver = fit_solver_options();
    stage_manifest(staging, out_dir / kManifestFileName, complete);
  }
  return staging;
}

std::string case_series_summary_text(const CaseSeriesFit& fit) {
  std::string out = fit.joint ? "case series: one joint fit (shared parameters)\n" : "case series: one fit per subject\n";
  if (fit.interrupted) out += "INTERRUPTED: subjects not finished are marked in per_subject.csv\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-16s %-40s %12s %11s  %-23s %10s %6s  %s\n", "subject", "parameter", "estimate", "SE",
                "95% CI (Wald)", "chi-square", "points", "status");
  out += line;
  for (const SubjectFit& s : fit.subjects) {
    for (std::size_t k = 0; k < fit.parameters.size(); ++k) {
      const FreeParameter& p = fit.parameters[k];
      const std::string name = p.name + (fit.shared[k] ? " [shared]" : "") + " (" + p.unit + ")";
      const std::string ci = "[" + g(s.ci_lower[k]) + ", " + g(s.ci_upper[k]) + "]";
      // An estimate on its bound is flagged where it is read, as `lactsim fit` does.
      const bool at_bound = std::isfinite(s.estimate[k]) && estimate_at_bound(p.bounds, s.estimate[k]);
      const std::string status = std::string(to_string(s.status)) + (at_bound ? " (at bound: SE unreliable)" : "");
      std::snprintf(line, sizeof line, "%-16s %-40s %12s %11s  %-23s %10s %6zu  %s\n", s.subject.c_str(), name.c_str(),
                    g(s.estimate[k]).c_str(), g(s.standard_error[k]).c_str(), ci.c_str(), g(s.chi_square).c_str(),
                    s.points, status.c_str());
      out += line;
    }
  }
  for (std::size_t k = 0; k < fit.parameters.size(); ++k) {
    if (fit.shared[k]) continue;
    const EstimateSpread spread = estimate_spread(fit, k);
    if (spread.subjects < 2) {
      // No spread to report: an SD of one value is undefined, and "mean" of one is the estimate.
      const std::string value = spread.subjects == 1 ? g(spread.mean) + " " + fit.parameters[k].unit : "no estimate";
      out += "across " + std::to_string(spread.subjects) + (spread.subjects == 1 ? " subject: " : " subjects: ") +
             fit.parameters[k].name + " " + value + " (no spread with " +
             (spread.subjects == 1 ? "one subject" : "no subject fitted") + ")\n";
      continue;
    }
    std::snprintf(line, sizeof line, "across %zu subjects: %s mean %s, SD %s, min %s, max %s %s\n", spread.subjects,
                  fit.parameters[k].name.c_str(), g(spread.mean).c_str(), g(spread.sd).c_str(), g(spread.min).c_str(),
                  g(spread.max).c_str(), fit.parameters[k].unit.c_str());
    out += line;
  }
  return out;
}

}  // namespace lactsim
