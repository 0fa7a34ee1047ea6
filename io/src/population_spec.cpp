#include "lactsim/io/population_spec.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <boost/math/special_functions/erf.hpp>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/io/counter_rng.hpp"
#include "lactsim/engine/text_format.hpp"

namespace lactsim {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

std::string variability_field(const ParameterVariability& v) { return "population.variability." + v.name; }

std::string range_text(double lower, double upper) {
  return "[" + format_number(lower) + ", " + (std::isfinite(upper) ? format_number(upper) : std::string("inf")) + "]";
}

/// Φ⁻¹(p) for p in (0, 1), accurate in both tails.
double inverse_standard_normal_cdf(double p) { return -std::numbers::sqrt2 * boost::math::erfc_inv(2.0 * p); }

/// Upper tail 1 − Φ(x), accurate where Φ(x) rounds to 1.
double standard_normal_upper_tail(double x) { return 0.5 * std::erfc(x / std::numbers::sqrt2); }

/// σ on the log or logit scale for a spread `cv` around median m on support (lo, hi): the local
/// sd of ln(value) at the median equals the log-normal's sqrt(ln(1 + cv²)). With
/// value = lo + (hi − lo)·logistic(y), d ln(value)/dy = (m − lo)(hi − m)/(m (hi − lo)) at the
/// median (→ (m − lo)/m as hi → ∞, the shifted log-normal's slope).
double transformed_scale(double cv, double m, double lo, double hi) {
  const double log_sd = std::sqrt(std::log1p(cv * cv));
  const double upper_factor = std::isfinite(hi) ? (hi - lo) / (hi - m) : 1.0;
  return log_sd * m / (m - lo) * upper_factor;
}

}  // namespace

VariabilityDistribution default_distribution(double lower, double upper) {
  if (std::isfinite(lower) && std::isfinite(upper)) return VariabilityDistribution::logitnormal;
  if (std::isfinite(lower)) return VariabilityDistribution::lognormal;
  return VariabilityDistribution::truncated_normal;
}

std::optional<VariabilityDistribution> parse_distribution_name(std::string_view name) {
  for (auto d : {VariabilityDistribution::lognormal, VariabilityDistribution::logitnormal,
                 VariabilityDistribution::truncated_normal, VariabilityDistribution::uniform}) {
    if (distribution_name(d) == name) return d;
  }
  return std::nullopt;
}

std::string_view distribution_name(VariabilityDistribution distribution) {
  switch (distribution) {
    case VariabilityDistribution::by_bounds: return "by_bounds";
    case VariabilityDistribution::lognormal: return "lognormal";
    case VariabilityDistribution::logitnormal: return "logitnormal";
    case VariabilityDistribution::truncated_normal: return "normal";
    case VariabilityDistribution::uniform: return "uniform";
  }
  return "by_bounds";
}

double standard_normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

double MarginalDistribution::value(double z) const {
  double x = median;
  switch (distribution) {
    case VariabilityDistribution::by_bounds:
    case VariabilityDistribution::lognormal:
      if (scale == 0.0) return median;  // exactly the scenario value, not a rounded transform of it
      x = lower + (median - lower) * std::exp(scale * z);
      break;
    case VariabilityDistribution::logitnormal: {
      if (scale == 0.0) return median;
      const double y = std::log(median - lower) - std::log(upper - median) + scale * z;
      x = lower + (upper - lower) / (1.0 + std::exp(-y));
      break;
    }
    case VariabilityDistribution::truncated_normal: {
      // Inverting the truncated CDF gives the law of "draw until inside" from one score, so
      // the copula's correlations act on it and one key still gives one draw. Above the mean
      // the upper tail is inverted instead, so a truncation far out keeps its precision.
      if (scale == 0.0) return std::clamp(median, lower, upper);  // a fixed parameter
      const double alpha = (lower - median) / scale, beta = (upper - median) / scale;
      const double u = standard_normal_cdf(z);
      if (alpha > 0.0) {
        const double qa = standard_normal_upper_tail(alpha), qb = standard_normal_upper_tail(beta);
        x = median - scale * inverse_standard_normal_cdf(qa - u * (qa - qb));
      } else {
        const double pa = standard_normal_cdf(alpha), pb = standard_normal_cdf(beta);
        x = median + scale * inverse_standard_normal_cdf(pa + u * (pb - pa));
      }
      break;
    }
    case VariabilityDistribution::uniform:
      x = lower + (upper - lower) * standard_normal_cdf(z);
      break;
  }
  // Rounding at the extremes must not carry a draw across a bound.
  return std::clamp(x, lower, upper);
}

MarginalDistribution marginal_distribution(const ParameterVariability& v, double scenario_value, double lower,
                                           double upper) {
  const std::string field = variability_field(v);
  MarginalDistribution d;
  d.distribution = v.distribution == VariabilityDistribution::by_bounds ? default_distribution(lower, upper)
                                                                        : v.distribution;
  d.median = scenario_value;
  d.lower = lower;
  d.upper = upper;
  const std::string name(distribution_name(d.distribution));
  auto given_end = [&](const std::optional<double>& end, const char* key) {
    if (end && !(*end >= lower && *end <= upper)) {
      throw InputError(v.where, field + "." + key,
                       std::string(key) + " = " + format_number(*end) + " is outside " + range_text(lower, upper) +
                           ", the values " + v.name + " may take here (its bounds, narrowed by its order constraints)");
    }
  };
  given_end(v.lower, "lower");
  given_end(v.upper, "upper");
  switch (d.distribution) {
    case VariabilityDistribution::by_bounds:
    case VariabilityDistribution::lognormal:
    case VariabilityDistribution::logitnormal: {
      if (d.distribution == VariabilityDistribution::lognormal && std::isfinite(upper)) {
        throw InputError(v.where, field + ".distribution",
                         "a lognormal's support (" + format_number(lower) + ", inf) leaves " + v.name + "'s range " +
                             range_text(lower, upper) + "; use \"logitnormal\" (the default for bounded parameters)");
      }
      if (!std::isfinite(lower)) {
        throw InputError(v.where, field + ".distribution",
                         "a " + name + " needs a finite lower bound; " + v.name + " has none: use \"normal\"");
      }
      if (v.cv > 0.0 && !(scenario_value > lower && scenario_value < upper)) {
        const bool at_lower = !(scenario_value > lower);
        throw InputError(v.where, field,
                         "the scenario value " + format_number(scenario_value) + " is at the " +
                             (at_lower ? "lower" : "upper") + " bound of " + range_text(lower, upper) + ", so it cannot be a " +
                             name + "'s median; keep " + v.name + " fixed or vary it with distribution = \"uniform\" or \"normal\"");
      }
      d.scale = v.cv > 0.0 ? transformed_scale(v.cv, scenario_value, lower, upper) : 0.0;
      break;
    }
    case VariabilityDistribution::truncated_normal: {
      d.lower = v.lower.value_or(lower);
      d.upper = v.upper.value_or(upper);
      d.scale = v.sd ? *v.sd : v.cv * std::abs(scenario_value);
      if (!(d.scale > 0.0) || !(d.lower < d.upper)) break;  // fixed, or an empty range (below)
      // The draws invert the normal's CDF over [lower, upper]; when that range holds almost
      // none of its mass (far out in a tail, or an sd so large the normal is flat there) the
      // inversion loses every digit: it overflowed, or gave every mother the median.
      const double alpha = (d.lower - d.median) / d.scale, beta = (d.upper - d.median) / d.scale;
      const double mass = alpha > 0.0 ? standard_normal_upper_tail(alpha) - standard_normal_upper_tail(beta)
                                      : standard_normal_cdf(beta) - standard_normal_cdf(alpha);
      if (!(mass >= kMinTruncatedNormalMass)) {
        throw InputError(v.where, field,
                         "a normal with mean " + format_number(d.median) + " and sd " + format_number(d.scale) +
                             " puts a probability of only " + format_number(mass) + " in " +
                             range_text(d.lower, d.upper) + " (at least " + format_number(kMinTruncatedNormalMass) +
                             " is needed to draw from it accurately); use distribution = \"uniform\" over that "
                             "range, or an sd and range that hold the normal's bulk");
      }
      break;
    }
    case VariabilityDistribution::uniform:
      d.lower = v.lower.value_or(lower);
      d.upper = v.upper.value_or(upper);
      if (!std::isfinite(d.lower) || !std::isfinite(d.upper)) {
        throw InputError(v.where, field, "a uniform needs finite lower and upper ends; give lower and upper");
      }
      break;
  }
  const bool ranged = d.distribution == VariabilityDistribution::uniform ||
                      (d.distribution == VariabilityDistribution::truncated_normal && d.scale > 0.0);
  if (ranged && !(d.lower < d.upper)) {
    throw InputError(v.where, field, "the draws' range " + range_text(d.lower, d.upper) + " is empty; lower must be below upper");
  }
  return d;
}

PopulationSampler::PopulationSampler(const PopulationSpec& spec, const model::ModelParameters& base)
    : spec_(spec), base_(base) {
  const std::size_t k = spec.variability.size();
  auto index_of = [&](std::string_view name) {
    for (std::size_t i = 0; i < k; ++i) {
      if (spec.variability[i].name == name) return i;
    }
    return k;
  };
  for (const auto& v : spec.variability) {
    const model::ParameterInfo& info = model::parameter_registry()[v.registry_index];
    double lower = info.lower_bound, upper = info.upper_bound;
    // An order constraint against a fixed parameter narrows the support; against another
    // varied one, independent draws could break it, so that is refused.
    for (const auto& order : model::parameter_orders()) {
      const bool is_parameter = order.parameter == v.name, is_other = order.other == v.name;
      if (!is_parameter && !is_other) continue;
      const std::string_view partner = is_parameter ? order.other : order.parameter;
      const std::size_t j = index_of(partner);
      if (j < k) {
        const ParameterVariability& later = spec.variability[j].where.line > v.where.line ? spec.variability[j] : v;
        throw InputError(later.where, variability_field(later),
                         std::string(order.parameter) + " and " + std::string(order.other) + " cannot both vary: " +
                             std::string(order.parameter) + " " + std::string(order.wording) + " " +
                             std::string(order.other) + ", and independent draws could break that; vary one of them");
      }
      const double bound = base.*(model::find_parameter(partner)->member);
      // Written as "parameter RELATION other"; for `other` the relation reads the other way.
      const bool raises_lower = (order.relation == model::OrderRelation::at_most) == is_other;
      const bool strict = order.relation == model::OrderRelation::greater_than;
      if (raises_lower) {
        lower = std::max(lower, strict ? std::nextafter(bound, kInfinity) : bound);
      } else {
        upper = std::min(upper, strict ? std::nextafter(bound, -kInfinity) : bound);
      }
    }
    marginals_.push_back(marginal_distribution(v, base.*(v.member), lower, upper));
  }

  std::vector<double> correlation(k * k, 0.0);
  for (std::size_t i = 0; i < k; ++i) correlation[i * k + i] = 1.0;
  for (const auto& c : spec.correlations) {
    const std::size_t a = index_of(c.first), b = index_of(c.second);
    if (a == k || b == k) {
      throw InputError(c.where, "population.correlations",
                       "'" + (a == k ? c.first : c.second) + "' has no entry in [population.variability]");
    }
    correlation[a * k + b] = correlation[b * k + a] = c.rho;
  }
  // Cholesky–Banachiewicz; a non-positive pivot means the correlations are inconsistent.
  cholesky_.assign(k * k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double s = correlation[i * k + j];
      for (std::size_t q = 0; q < j; ++q) s -= cholesky_[i * k + q] * cholesky_[j * k + q];
      if (i == j) {
        if (s <= 1e-12) {
          const SourceLocation where = spec.correlations.empty() ? spec.where : spec.correlations.back().where;
          throw InputError(where, "population.correlations",
                           "the correlations are inconsistent (the matrix is not positive definite)");
        }
        cholesky_[i * k + i] = std::sqrt(s);
      } else {
        cholesky_[i * k + j] = s / cholesky_[j * k + j];
      }
    }
  }
}

model::ModelParameters PopulationSampler::mother(std::size_t index) const {
  const std::size_t k = spec_.variability.size();
  model::ModelParameters p = base_;
  std::vector<double> z(k);
  for (std::size_t i = 0; i < k; ++i) z[i] = counter_normal(spec_.seed, index, spec_.variability[i].registry_index);
  for (std::size_t i = 0; i < k; ++i) {
    double correlated = 0.0;
    for (std::size_t j = 0; j <= i; ++j) correlated += cholesky_[i * k + j] * z[j];
    p.*(spec_.variability[i].member) = marginals_[i].value(correlated);
  }
  return p;
}

}  // namespace lactsim
