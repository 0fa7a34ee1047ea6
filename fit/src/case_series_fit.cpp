// Case-series fits: per subject, or jointly with shared parameters.

#include "lactsim/fit/case_series_fit.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

#include "lactsim/fit/fit_report.hpp"
#include "lactsim/model/parameter_registry.hpp"

namespace lactsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const SourceLocation kArguments{kArgumentsOrigin, 0, 0};

/// The stop reason of the start that gave the estimate (the lowest chi-square).
std::string best_start_status(const FitResult& result) {
  const StartOutcome* best = nullptr;
  for (const StartOutcome& s : result.starts) {
    if (std::isfinite(s.chi_square) && (best == nullptr || s.chi_square < best->chi_square)) best = &s;
  }
  return best == nullptr ? std::string() : lm_status_text(best->status);
}

/// A settings copy whose progress stages name the subject.
FitSettings subject_settings(const FitSettings& settings, const std::string& label) {
  FitSettings out = settings;
  if (settings.progress) {
    out.progress = [inner = settings.progress, label](const FitProgress& p) {
      inner({label + ": " + p.stage, p.evaluations, p.best_chi_square});
    };
  }
  return out;
}

double sum_of_squares(const std::vector<double>& residuals) {
  double out = 0.0;
  for (double r : residuals) out += r * r;
  return out;
}

/// The joint problem: θ = (shared values, then each member's own parameters in --free order).
class JointProblem : public LeastSquaresProblem {
 public:
  JointProblem(std::vector<const FitProblem*> members, std::vector<std::string> member_names, std::vector<bool> shared)
      : members_(std::move(members)), shared_(std::move(shared)) {
    const std::vector<FreeParameter>& first = members_.front()->free_parameters();
    for (std::size_t k = 0; k < first.size(); ++k) {
      if (shared_[k]) free_.push_back(first[k]);
    }
    shared_count_ = free_.size();
    for (std::size_t m = 0; m < members_.size(); ++m) {
      const std::vector<FreeParameter>& own = members_[m]->free_parameters();
      for (std::size_t k = 0; k < own.size(); ++k) {
        if (shared_[k]) continue;
        FreeParameter copy = own[k];
        copy.name += "[" + member_names[m] + "]";
        free_.push_back(copy);
      }
      residual_count_ += members_[m]->residual_count();
    }
  }

  std::size_t parameter_count() const override { return free_.size(); }
  std::size_t residual_count() const override { return residual_count_; }
  const std::vector<FreeParameter>& free_parameters() const override { return free_; }

  bool residuals(const std::vector<double>& theta, std::vector<double>& out) const override {
    out.clear();
    std::vector<double> part;
    for (std::size_t m = 0; m < members_.size(); ++m) {
      if (!members_[m]->residuals(member_theta(theta, m), part)) return false;
      out.insert(out.end(), part.begin(), part.end());
    }
    return true;
  }

  /// Index into θ of member `m`'s free parameter `k` (in --free order).
  std::size_t index_of(std::size_t m, std::size_t k) const {
    std::size_t shared_before = 0, own_before = 0;
    for (std::size_t j = 0; j < k; ++j) (shared_[j] ? shared_before : own_before)++;
    if (shared_[k]) return shared_before;
    const std::size_t own_count = shared_.size() - shared_count_;
    return shared_count_ + m * own_count + own_before;
  }

  /// Member `m`'s parameter values (in --free order) within θ.
  std::vector<double> member_theta(const std::vector<double>& theta, std::size_t m) const {
    std::vector<double> out(shared_.size());
    for (std::size_t k = 0; k < shared_.size(); ++k) out[k] = theta[index_of(m, k)];
    return out;
  }

 private:
  std::vector<const FitProblem*> members_;
  std::vector<bool> shared_;
  std::vector<FreeParameter> free_;
  std::size_t shared_count_ = 0;
  std::size_t residual_count_ = 0;
};

/// Fills a fitted subject from its parameter values and the SEs/intervals at `indices` of `result`.
void fill_subject(SubjectFit& subject, const FitProblem& problem, const std::vector<double>& theta,
                  const FitResult& result, const std::vector<std::size_t>& indices) {
  subject.status = result.interrupted ? SubjectFitStatus::interrupted : SubjectFitStatus::ok;
  subject.detail = result.interrupted ? "best point so far (Ctrl-C)" : best_start_status(result);
  subject.estimate = theta;
  subject.standard_error.clear(), subject.ci_lower.clear(), subject.ci_upper.clear();
  for (std::size_t i : indices) {
    subject.standard_error.push_back(result.standard_error[i]);
    subject.ci_lower.push_back(result.ci_lower[i]);
    subject.ci_upper.push_back(result.ci_upper[i]);
  }
  std::vector<double> residuals;
  subject.chi_square = problem.residuals(theta, residuals) ? sum_of_squares(residuals) : kNaN;
  subject.fitted = problem.scenarios_at(theta).front();
  try {
    subject.comparisons = problem.comparisons_at(theta).front();
  } catch (const SimulationError& error) {
    subject.status = SubjectFitStatus::failed;
    subject.detail = std::string("the estimate could not be simulated again: ") + error.what();
  }
}

}  // namespace

std::string_view to_string(SubjectFitStatus status) {
  switch (status) {
    case SubjectFitStatus::ok: return "ok";
    case SubjectFitStatus::failed: return "failed";
    case SubjectFitStatus::interrupted: return "interrupted";
    case SubjectFitStatus::not_fitted: return "not_fitted";
  }
  return "unknown";
}

CaseSeriesFit fit_case_series(const std::vector<Scenario>& scenarios, const std::vector<std::string>& subjects,
                              const std::vector<std::string>& free_names, const std::vector<std::string>& shared_names,
                              const std::vector<std::pair<std::string, std::pair<double, double>>>& bounds,
                              double default_cv, const FitSettings& settings) {
  if (scenarios.empty()) throw InputError(kArguments, "scenarios", "give at least one scenario (one per subject)");
  if (scenarios.size() != subjects.size()) {
    throw InputError(kArguments, "subjects", "give one subject per scenario");
  }
  if (free_names.empty()) throw InputError(kArguments, "free_names", "name at least one parameter to estimate");
  CaseSeriesFit out;
  out.shared.assign(free_names.size(), false);
  std::set<std::string> seen_shared;
  for (const std::string& name : shared_names) {
    const auto k = std::find(free_names.begin(), free_names.end(), name);
    if (k == free_names.end()) {
      throw InputError(kArguments, "shared " + name, "a shared parameter must also be free (list it in --free)");
    }
    if (!seen_shared.insert(name).second) throw InputError(kArguments, "shared " + name, "named twice");
    out.shared[static_cast<std::size_t>(k - free_names.begin())] = true;
  }
  for (const std::string& name : free_names) free_parameter_info(name);  // unknown names fail before any subject

  // One problem per subject with enough observations; the others fail here, reported.
  std::vector<std::unique_ptr<FitProblem>> problems(scenarios.size());
  out.subjects.resize(scenarios.size());
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    SubjectFit& subject = out.subjects[i];
    subject.subject = subjects[i];
    subject.scenario_file = scenarios[i].file;
    subject.fitted = scenarios[i];
    subject.points = weighted_observations(scenarios[i], default_cv).size();
    const std::size_t n = free_names.size();
    subject.estimate.assign(n, kNaN), subject.standard_error.assign(n, kNaN);
    subject.ci_lower.assign(n, kNaN), subject.ci_upper.assign(n, kNaN);
    if (subject.points < free_names.size()) {
      subject.status = SubjectFitStatus::failed;
      subject.detail = std::to_string(subject.points) + " observations for " + std::to_string(free_names.size()) +
                       " free parameters: at least as many observations as free parameters are needed";
      continue;
    }
    problems[i] = std::make_unique<FitProblem>(std::vector<Scenario>{scenarios[i]}, free_names, bounds, default_cv);
    if (out.parameters.empty()) out.parameters = problems[i]->free_parameters();
  }
  if (out.parameters.empty()) {
    // No subject can be fitted: still name the parameters (units, registry bounds) for the table.
    for (const std::string& name : free_names) {
      const model::ParameterInfo* info = model::find_parameter(name);
      out.parameters.push_back({name, std::string(info->unit), BoundTransform(info->lower_bound, info->upper_bound),
                                scenarios.front().parameters.*(info->member)});
    }
    return out;
  }

  const bool any_shared = !shared_names.empty();
  if (!any_shared) {
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
      if (!problems[i]) continue;
      SubjectFit& subject = out.subjects[i];
      if (settings.cancel != nullptr && settings.cancel->cancelled()) {
        subject.detail = "interrupted before this subject";
        out.interrupted = true;
        continue;
      }
      const std::string label =
          "subject " + subjects[i] + " (" + std::to_string(i + 1) + "/" + std::to_string(scenarios.size()) + ")";
      try {
        const FitResult result = fit_parameters(*problems[i], subject_settings(settings, label));
        out.evaluations += result.evaluations;
        std::vector<std::size_t> indices(free_names.size());
        for (std::size_t k = 0; k < indices.size(); ++k) indices[k] = k;
        fill_subject(subject, *problems[i], result.estimate, result, indices);
        out.interrupted = out.interrupted || result.interrupted;
      } catch (const SimulationError& error) {
        subject.status = SubjectFitStatus::failed;
        subject.detail = error.what();
      }
    }
    return out;
  }

  std::vector<const FitProblem*> members;
  std::vector<std::string> member_names;
  std::vector<std::size_t> member_subject;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    if (!problems[i]) continue;
    members.push_back(problems[i].get());
    member_names.push_back(subjects[i]);
    member_subject.push_back(i);
  }
  const JointProblem joint(members, member_names, out.shared);
  try {
    FitResult result = fit_parameters(joint, subject_settings(settings, "joint fit of " + std::to_string(members.size()) +
                                                                           " subjects"));
    out.evaluations = result.evaluations;
    out.interrupted = result.interrupted;
    for (std::size_t m = 0; m < members.size(); ++m) {
      std::vector<std::size_t> indices(free_names.size());
      for (std::size_t k = 0; k < indices.size(); ++k) indices[k] = joint.index_of(m, k);
      fill_subject(out.subjects[member_subject[m]], *members[m], joint.member_theta(result.estimate, m), result, indices);
    }
    out.joint = std::move(result);
  } catch (const SimulationError& error) {
    for (std::size_t i : member_subject) {
      out.subjects[i].status = SubjectFitStatus::failed;
      out.subjects[i].detail = std::string("the joint fit failed: ") + error.what();
    }
  }
  return out;
}

EstimateSpread estimate_spread(const CaseSeriesFit& fit, std::size_t k) {
  std::vector<double> values;
  for (const SubjectFit& s : fit.subjects) {
    if (s.status == SubjectFitStatus::ok && k < s.estimate.size()) values.push_back(s.estimate[k]);
  }
  EstimateSpread out;
  out.subjects = values.size();
  if (values.empty()) return out;
  double sum = 0.0;
  for (double v : values) sum += v;
  out.mean = sum / static_cast<double>(values.size());
  out.min = *std::min_element(values.begin(), values.end());
  out.max = *std::max_element(values.begin(), values.end());
  if (values.size() >= 2) {
    double squares = 0.0;
    for (double v : values) squares += (v - out.mean) * (v - out.mean);
    out.sd = std::sqrt(squares / static_cast<double>(values.size() - 1));
  }
  return out;
}

}  // namespace lactsim
