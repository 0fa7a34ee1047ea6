// Calibration configurations of `lactsim calibrate-population`: TOML → checked
// PopulationCalibrationConfig (format: docs/calibration.md, "Between-mother variability").

#include "lactsim/io/population_calibration_config.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/model/parameter_registry.hpp"
#include "population_table_reader.hpp"
#include "sha256.hpp"
#include "toml_reader.hpp"

namespace lactsim {
namespace {

using detail::TomlTable;

const SourceLocation kArguments{kArgumentsOrigin, 0, 0};

/// The tables of an array of tables `key` of `root`, each with its path "key[i]".
std::vector<TomlTable> table_array(const TomlTable& root, std::string_view key) {
  std::vector<TomlTable> tables;
  const toml::array* array = root.optional_array(key);
  if (array == nullptr) return tables;
  std::size_t index = 0;
  for (const toml::node& node : *array) {
    const std::string path = std::string(key) + "[" + std::to_string(index++) + "]";
    const toml::table* table = node.as_table();
    if (table == nullptr) throw InputError(root.location_of_node(node), path, "expected a table");
    tables.emplace_back(*table, path, root.file());
  }
  return tables;
}

/// [lower, upper] of `key` (two numbers, lower < upper).
std::pair<double, double> number_pair(const TomlTable& table, std::string_view key, std::string_view what) {
  const toml::array* pair = table.optional_array(key);
  if (pair == nullptr) table.fail(key, "missing: give " + std::string(what) + " as [lower, upper]");
  std::optional<double> a, b;
  if (pair->size() == 2) a = detail::as_number((*pair)[0]), b = detail::as_number((*pair)[1]);
  if (!a || !b || !std::isfinite(*a) || !std::isfinite(*b) || !(*a < *b)) {
    table.fail(key, "expected two finite numbers [lower, upper] with lower < upper");
  }
  return {*a, *b};
}

/// The names of an array of two strings.
std::pair<std::string, std::string> name_pair(const TomlTable& table, std::string_view key) {
  const toml::array* pair = table.optional_array(key);
  if (pair == nullptr || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_string()) {
    table.fail(key, "expected two names, e.g. [\"first\", \"second\"]");
  }
  return {detail::restore_protected_text((*pair)[0].value_or(std::string())),
          detail::restore_protected_text((*pair)[1].value_or(std::string()))};
}

template <typename T>
std::size_t index_by_name(const std::vector<T>& items, const std::string& name, const TomlTable& table,
                          std::string_view key, std::string_view what) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].name == name) return i;
  }
  std::string known;
  for (const T& item : items) known += (known.empty() ? "" : ", ") + item.name;
  table.fail(key, "no " + std::string(what) + " named '" + name + "' (defined: " + (known.empty() ? "none" : known) + ")");
}

class CalibrationReader {
 public:
  CalibrationReader(const toml::table& root, const std::filesystem::path& file)
      : root_(root, "", file.string()), folder_(file.parent_path()) {}

  PopulationCalibrationConfig read() {
    root_.reject_unknown_keys({"calibration", "population", "subgroup", "cohort", "free", "target", "target_correlation"});
    const TomlTable header = root_.required_table("calibration");
    header.reject_unknown_keys({"name", "bandwidth_h", "bandwidth_ml"});
    config_.name = header.optional_string("name").value_or("");
    config_.bandwidth_h = positive(header, "bandwidth_h", 1.0);
    config_.bandwidth_ml = positive(header, "bandwidth_ml", 2.0);
    config_.population = detail::read_population_table(root_.required_table("population"));
    read_subgroups();
    read_cohorts();
    read_free();
    read_targets();
    read_target_correlations();
    return std::move(config_);
  }

 private:
  static double positive(const TomlTable& table, std::string_view key, double fallback) {
    const double value = table.optional_number(key).value_or(fallback);
    if (!(std::isfinite(value) && value > 0.0)) table.fail(key, "must be a positive number");
    return value;
  }

  void read_subgroups() {
    for (const TomlTable& t : table_array(root_, "subgroup")) {
      t.reject_unknown_keys({"name", "scenario", "parity", "delivery"});
      CalibrationSubgroup g;
      g.name = t.required_string("name");
      g.where = t.location();
      check_new_name(config_.subgroups, g.name, t);
      const std::filesystem::path path = folder_ / t.required_string("scenario");
      g.scenario = load_scenario(path);
      bool recompute = false;
      if (auto parity = t.optional_string("parity")) {
        auto parsed = model::parse_parity(*parity);
        if (!parsed) t.fail("parity", "unknown parity '" + *parity + "'; expected primiparous or multiparous");
        g.scenario.covariates.parity = *parsed;
      }
      if (auto mode = t.optional_string("delivery")) {
        auto parsed = model::parse_delivery_mode(*mode);
        if (!parsed) {
          t.fail("delivery", "unknown delivery mode '" + *mode + "'; expected vaginal, caesarean_planned or caesarean_emergency");
        }
        g.scenario.covariates.delivery_mode = *parsed;
        recompute = true;
      }
      // A delivery mode sets the pain and stress defaults: re-derive them under the scenario's own overrides.
      if (recompute) apply_overrides(g.scenario, {});
      if (!config_.subgroups.empty() && g.scenario.duration_days != config_.subgroups.front().scenario.duration_days) {
        t.fail("scenario", "its duration (" + std::to_string(g.scenario.duration_days) +
                               " days) differs from the first subgroup's; all subgroups need the same horizon");
      }
      PopulationSampler check(config_.population, g.scenario.parameters);  // laws must fit every subgroup
      config_.subgroups.push_back(std::move(g));
    }
    if (config_.subgroups.empty()) root_.fail("subgroup", "at least one [[subgroup]] is needed");
  }

  void read_cohorts() {
    for (const TomlTable& t : table_array(root_, "cohort")) {
      t.reject_unknown_keys({"name", "weights"});
      CalibrationCohort c;
      c.name = t.required_string("name");
      c.where = t.location();
      check_new_name(config_.cohorts, c.name, t);
      const TomlTable weights = t.required_table("weights");
      double total = 0.0;
      for (auto&& [key, node] : weights.raw()) {
        const std::string name(key.str());
        const std::size_t index = index_by_name(config_.subgroups, name, weights, name, "subgroup");
        const auto w = detail::as_number(node);
        if (!w || !std::isfinite(*w) || *w < 0.0) weights.fail(name, "a weight must be a number ≥ 0");
        c.weights.emplace_back(index, *w);
        total += *w;
      }
      if (!(total > 0.0)) t.fail("weights", "the weights must have a positive sum");
      for (auto& [index, w] : c.weights) w /= total;
      config_.cohorts.push_back(std::move(c));
    }
    // Each subgroup is also a cohort of its own, under its name, unless a cohort takes it.
    for (std::size_t i = 0; i < config_.subgroups.size(); ++i) {
      const auto& g = config_.subgroups[i];
      if (std::none_of(config_.cohorts.begin(), config_.cohorts.end(), [&](const auto& c) { return c.name == g.name; })) {
        config_.cohorts.push_back({g.name, {{i, 1.0}}, g.where});
      }
    }
  }

  void read_free() {
    const PopulationSpec& spec = config_.population;
    for (const TomlTable& t : table_array(root_, "free")) {
      t.reject_unknown_keys({"spread", "parameter", "correlation", "bounds", "start"});
      const int given = int{t.has("spread")} + int{t.has("parameter")} + int{t.has("correlation")};
      if (given != 1) t.fail("spread", "give exactly one of spread = NAME, parameter = NAME or correlation = [A, B]");
      CalibrationFreeQuantity q;
      q.where = t.location();
      std::tie(q.lower, q.upper) = number_pair(t, "bounds", "the bounds");
      if (t.has("spread")) {
        q.kind = CalibrationFreeQuantity::Kind::spread;
        q.name = t.required_string("spread");
        auto it = std::find_if(spec.variability.begin(), spec.variability.end(), [&](const auto& v) { return v.name == q.name; });
        if (it == spec.variability.end()) t.fail("spread", "'" + q.name + "' has no entry in [population.variability]");
        q.index = static_cast<std::size_t>(it - spec.variability.begin());
        if (it->distribution == VariabilityDistribution::uniform) {
          t.fail("spread", "a uniform law has no spread to estimate (its range is given by lower and upper)");
        }
        q.sd = it->sd.has_value();
        q.start = q.sd ? *it->sd : it->cv;
        if (!(q.lower > 0.0)) t.fail("bounds", "a spread's lower bound must be above 0");
        if (!q.sd && q.upper > kMaxVariabilityCv) {
          t.fail("bounds", "a cv's upper bound must be at most " + format_number(kMaxVariabilityCv) +
                               ", the largest cv a population file accepts (the estimate is written as one)");
        }
      } else if (t.has("parameter")) {
        q.kind = CalibrationFreeQuantity::Kind::parameter;
        q.name = t.required_string("parameter");
        const model::ParameterInfo* info = model::find_parameter(q.name);
        if (info == nullptr) {
          t.fail("parameter", "unknown parameter '" + q.name + "'; did you mean '" + model::closest_parameter_name(q.name) + "'?");
        }
        if (q.lower < info->lower_bound || q.upper > info->upper_bound) {
          t.fail("bounds", "must lie within " + q.name + "'s bounds [" + format_number(info->lower_bound) + ", " +
                               format_number(info->upper_bound) + "]");
        }
        q.start = config_.subgroups.front().scenario.parameters.*(info->member);
        for (const auto& g : config_.subgroups) {
          if (g.scenario.parameters.*(info->member) != q.start) {
            t.fail("parameter", "the subgroups start from different values of " + q.name + "; give them the same");
          }
        }
        if (std::any_of(spec.variability.begin(), spec.variability.end(), [&](const auto& v) { return v.name == q.name; })) {
          t.fail("parameter", q.name + " varies between mothers; free its spread instead, or remove its variability entry");
        }
      } else {
        q.kind = CalibrationFreeQuantity::Kind::correlation;
        std::tie(q.name, q.second) = name_pair(t, "correlation");
        auto it = std::find_if(spec.correlations.begin(), spec.correlations.end(), [&](const auto& c) {
          return (c.first == q.name && c.second == q.second) || (c.first == q.second && c.second == q.name);
        });
        if (it == spec.correlations.end()) {
          t.fail("correlation", "no [[population.correlations]] entry between " + q.name + " and " + q.second +
                                    " (give one: its rho is the start)");
        }
        q.index = static_cast<std::size_t>(it - spec.correlations.begin());
        q.start = it->rho;
        if (q.lower <= -1.0 || q.upper >= 1.0) t.fail("bounds", "a correlation's bounds must lie within (-1, 1)");
      }
      // An explicit start, e.g. for a quantity whose current value sits on a bound (where the
      // optimiser's bounded coordinate is infinite).
      if (const auto start = t.optional_number("start")) {
        if (!(*start > q.lower && *start < q.upper)) t.fail("start", "must lie strictly inside the bounds");
        q.start = *start;
      }
      if (!(q.start > q.lower && q.start < q.upper)) {
        t.fail("bounds", "the start value " + format_number(q.start) + " (from the population table or the scenarios) "
                         "must lie strictly inside the bounds; give start = VALUE to start elsewhere");
      }
      for (const auto& other : config_.free) {
        if (other.label() == q.label()) t.fail("", q.label() + " is freed twice");
      }
      config_.free.push_back(q);
    }
    if (config_.free.empty()) root_.fail("free", "at least one [[free]] quantity is needed");
  }

  void read_targets() {
    const int days = config_.subgroups.front().scenario.duration_days;
    for (const TomlTable& t : table_array(root_, "target")) {
      t.reject_unknown_keys({"name", "source", "kind", "endpoint", "cohort", "reference", "quantile", "above", "below",
                             "value", "se", "ci95", "n"});
      PopulationTarget g;
      g.name = t.required_string("name");
      g.where = t.location();
      check_new_name(config_.targets, g.name, t);
      g.source = t.optional_string("source").value_or("");
      const std::string kind = t.required_string("kind");
      if (kind == "median") {
        g.kind = PopulationTargetKind::median;
      } else if (kind == "percentile") {
        g.kind = PopulationTargetKind::percentile;
      } else if (kind == "fraction") {
        g.kind = PopulationTargetKind::fraction;
      } else if (kind == "odds_ratio") {
        g.kind = PopulationTargetKind::odds_ratio;
      } else {
        t.fail("kind", "unknown kind '" + kind + "'; expected median, percentile, fraction or odds_ratio (did you mean '" +
                           detail::closest_word(kind, {"median", "percentile", "fraction", "odds_ratio"}) + "'?)");
      }
      g.endpoint = t.required_string("endpoint");
      try {
        find_endpoint(g.endpoint, days, t.field("endpoint"));
      } catch (const InputError& unknown) {
        t.fail("endpoint", unknown.detail());  // the engine's check knows no file: located here
      }
      if (!g.endpoint.ends_with("_h") && !g.endpoint.ends_with("_ml")) {
        t.fail("endpoint", "only endpoints in h or mL have a kernel bandwidth (bandwidth_h, bandwidth_ml)");
      }
      g.cohort = index_by_name(config_.cohorts, t.required_string("cohort"), t, "cohort", "cohort or subgroup");
      const bool thresholded = g.kind == PopulationTargetKind::fraction || g.kind == PopulationTargetKind::odds_ratio;
      if (thresholded) {
        if (t.has("above") == t.has("below")) t.fail("above", "give either above = THRESHOLD or below = THRESHOLD");
        g.above = t.has("above");
        g.threshold = t.required_number(g.above ? "above" : "below");
      } else if (t.has("above") || t.has("below")) {
        t.fail(t.has("above") ? "above" : "below", "only fraction and odds_ratio targets take a threshold");
      }
      if (g.kind == PopulationTargetKind::percentile) {
        g.quantile = t.required_number("quantile");
        if (!(g.quantile > 0.0 && g.quantile < 1.0)) t.fail("quantile", "must lie strictly between 0 and 1");
      } else if (t.has("quantile")) {
        t.fail("quantile", "only percentile targets take a quantile");
      }
      if (g.kind == PopulationTargetKind::odds_ratio) {
        g.reference_cohort = index_by_name(config_.cohorts, t.required_string("reference"), t, "reference", "cohort or subgroup");
        if (g.reference_cohort == g.cohort) t.fail("reference", "the reference cohort must differ from the cohort");
      } else if (t.has("reference")) {
        t.fail("reference", "only odds_ratio targets take a reference cohort");
      }
      g.published_value = t.required_number("value");
      read_uncertainty(t, g);
      config_.targets.push_back(std::move(g));
    }
    if (config_.targets.size() < config_.free.size()) {
      root_.fail("target", "fewer targets (" + std::to_string(config_.targets.size()) + ") than free quantities (" +
                               std::to_string(config_.free.size()) + ")");
    }
  }

  /// value and se on the compared scale, from exactly one of se, ci95 or n.
  static void read_uncertainty(const TomlTable& t, PopulationTarget& g) {
    const int given = int{t.has("se")} + int{t.has("ci95")} + int{t.has("n")};
    if (given != 1) t.fail("se", "give exactly one of se, ci95 = [lower, upper] or n (sample size, fractions only)");
    const bool ratio = g.kind == PopulationTargetKind::odds_ratio;
    const bool fraction = g.kind == PopulationTargetKind::fraction;
    if (ratio && !(g.published_value > 0.0)) t.fail("value", "an odds ratio must be above 0");
    if (fraction && !(g.published_value > 0.0 && g.published_value < 1.0)) t.fail("value", "a fraction must lie strictly between 0 and 1");
    g.value = ratio ? std::log(g.published_value) : g.published_value;
    try {
      if (t.has("se")) {
        g.se = t.required_number("se");
        if (!(std::isfinite(g.se) && g.se > 0.0)) t.fail("se", "must be a positive number");
        g.se_origin = ratio ? "given (of ln OR)" : "given";
      } else if (t.has("ci95")) {
        const auto [lower, upper] = number_pair(t, "ci95", "the 95% interval");
        if (!(g.published_value >= lower && g.published_value <= upper)) t.fail("ci95", "the interval must contain value");
        g.se = ratio ? log_odds_ratio_se_from_ci(lower, upper) : (upper - lower) / (2.0 * kZ975);
        g.se_origin = ratio ? "(ln " + format_number(upper) + " - ln " + format_number(lower) + ") / 3.92"
                            : "(" + format_number(upper) + " - " + format_number(lower) + ") / 3.92";
      } else {
        if (!fraction) t.fail("n", "a sample size gives the SE of a fraction only; give se or ci95");
        const double n = t.required_number("n");
        g.se = proportion_se(g.published_value, n);
        g.se_origin = "sqrt(p(1-p)/n), n = " + format_number(n);
      }
    } catch (const InputError& e) {
      if (!e.names_argument()) throw;
      t.fail(e.field(), e.detail());  // the library's argument check, located in the file
    }
  }

  void read_target_correlations() {
    for (const TomlTable& t : table_array(root_, "target_correlation")) {
      t.reject_unknown_keys({"between", "rho"});
      const auto [a, b] = name_pair(t, "between");
      TargetCorrelation c;
      c.first = index_by_name(config_.targets, a, t, "between", "target");
      c.second = index_by_name(config_.targets, b, t, "between", "target");
      if (c.first == c.second) t.fail("between", "a target cannot be correlated with itself");
      c.rho = t.required_number("rho");
      if (!(c.rho > -1.0 && c.rho < 1.0)) t.fail("rho", "a correlation must be within (-1, 1)");
      c.where = t.location_of("rho");
      for (const auto& other : config_.target_correlations) {
        if (std::minmax(other.first, other.second) == std::minmax(c.first, c.second)) t.fail("between", "this pair is given twice");
      }
      config_.target_correlations.push_back(c);
    }
  }

  template <typename T>
  static void check_new_name(const std::vector<T>& items, const std::string& name, const TomlTable& t) {
    if (name.empty()) t.fail("name", "must not be empty");
    for (const T& item : items) {
      if (item.name == name) t.fail("name", "'" + name + "' is defined twice");
    }
  }

  TomlTable root_;
  std::filesystem::path folder_;
  PopulationCalibrationConfig config_;
};

}  // namespace

double log_odds_ratio_se_from_ci(double lower, double upper) {
  if (!(lower > 0.0 && lower < upper && std::isfinite(upper))) {
    throw InputError(kArguments, "ci95", "an odds ratio's 95% interval needs 0 < lower < upper");
  }
  return (std::log(upper) - std::log(lower)) / (2.0 * kZ975);
}

double proportion_se(double p, double n) {
  if (!(n >= 1.0 && std::isfinite(n))) throw InputError(kArguments, "n", "a sample size must be at least 1");
  if (!(p > 0.0 && p < 1.0)) throw InputError(kArguments, "value", "a proportion must lie strictly between 0 and 1");
  return std::sqrt(p * (1.0 - p) / n);
}

std::string_view target_kind_name(PopulationTargetKind kind) {
  switch (kind) {
    case PopulationTargetKind::median: return "median";
    case PopulationTargetKind::percentile: return "percentile";
    case PopulationTargetKind::fraction: return "fraction";
    case PopulationTargetKind::odds_ratio: return "odds_ratio";
  }
  return "median";
}

std::string CalibrationFreeQuantity::label() const {
  switch (kind) {
    case Kind::spread: return name + (sd ? ".sd" : ".cv");
    case Kind::parameter: return name;
    case Kind::correlation: return "rho(" + name + "," + second + ")";
  }
  return name;
}

PopulationCalibrationConfig parse_population_calibration(std::string_view text, const std::filesystem::path& file) {
  const toml::table root = detail::parse_toml_document(text, file.string());
  PopulationCalibrationConfig config = CalibrationReader(root, file).read();
  config.file = file;
  config.sha256 = sha256_hex(text);
  return config;
}

PopulationCalibrationConfig load_population_calibration(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({file.string(), 0, 0}, "", "cannot open calibration file");
  return parse_population_calibration(read_bounded(in, file, limits::kMaxTomlFileBytes, ""), file);
}

}  // namespace lactsim
