// manifest.json (io/manifest.hpp): the one typed provenance record of every command
// (docs/outputs.md, "manifest.json"), and the copy of the scenario in `run`'s result folders
// that lets `lactsim plot` find the observed data from any folder.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "lactsim/analysis/population_study.hpp"
#include "lactsim/io/json_reader.hpp"
#include "lactsim/io/json_writer.hpp"
#include "lactsim/io/manifest.hpp"
#include "lactsim/io/resume.hpp"
#include "lactsim/io/run_scenarios.hpp"
#include "lactsim/plot/plot_results.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;
using test::quoted;
using Kind = JsonNode::Kind;

/// FIPS 180-2, appendix B.1: SHA-256 of "abc".
constexpr const char* kAbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

/// The SHA-256 of `file` by coreutils' sha256sum: a reference independent of lactsim's own.
std::string sha256sum_of(const fs::path& file) {
  FILE* pipe = ::popen(("sha256sum " + quoted(file)).c_str(), "r");
  if (pipe == nullptr) return "popen failed";
  char digest[65] = {};
  const std::size_t read = std::fread(digest, 1, 64, pipe);
  ::pclose(pipe);
  return std::string(digest, read);
}

/// A 2-day mother with observed daily milk on days 1 and 2 (values and SDs in mL/day).
std::string two_day_scenario(const std::string& name) {
  return "[scenario]\nname = \"" + name +
         "\"\nduration_days = 2\n[delivery]\nmode = \"vaginal\"\n[patient]\nparity = \"multiparous\"\n"
         "[[feeds]]\nevery_h = 3.0\nfirst_h = 1.0\nduration_min = 15\n"
         "[[observed]]\nquantity = \"milk_transferred_daily\"\nunit = \"mL/day\"\nsource = \"synthetic\"\n"
         "points = [{ day = 1, value = 37.5, sd = 10 }, { day = 2, value = 123.25, sd = 20 }]\n";
}

/// A [population] table of `size` mothers drawn with `seed`.
std::string population_table(int size, int seed) {
  return "[population]\nsize = " + std::to_string(size) + "\nseed = " + std::to_string(seed) +
         "\n[population.variability]\nactivation_rate_per_h = 0.3\n";
}

/// SHA-256 of a file by coreutils' sha256sum: an implementation independent of lactsim's.
std::string sha256sum(const fs::path& file) {
  const std::string command = "sha256sum " + quoted(file);
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run sha256sum");
  char digest[65] = {};
  const std::size_t read = std::fread(digest, 1, 64, pipe);
  ::pclose(pipe);
  return std::string(digest, read);
}

/// The member `key` of `node`, which must have `kind`.
const JsonNode& typed(const JsonNode& node, std::string_view key, Kind kind) {
  const JsonNode* child = node.member(key);
  if (child == nullptr) throw std::runtime_error("manifest has no field " + std::string(key));
  EXPECT_EQ(child->kind, kind) << key;
  return *child;
}

/// The manifest at `file`, every field checked for its documented type: the command, the
/// command line (argv: the executable, the command, then `arguments` among the rest), an
/// absolute working directory, the host, ISO 8601 UTC times in order, each input absolute
/// with the SHA-256 sha256sum computes, numbers for overrides, seeds, tolerances and counts
/// (ok + failed = requested), strings in the fingerprint.
std::unique_ptr<JsonNode> checked_manifest(const fs::path& file, const std::string& command,
                                           const std::vector<std::string>& arguments) {
  EXPECT_TRUE(fs::is_regular_file(file)) << file;
  auto document = parse_json(test::read_file(file), file);
  const JsonNode& m = *document;
  EXPECT_EQ(typed(m, "manifest_version", Kind::number).number, 1);
  EXPECT_FALSE(typed(m, "lactsim_version", Kind::string).text.empty());
  EXPECT_FALSE(typed(m, "git_commit", Kind::string).text.empty());
  EXPECT_EQ(typed(m, "command", Kind::string).text, command);
  const JsonNode& argv = typed(m, "command_line", Kind::array);
  std::vector<std::string> words;
  for (const auto& [unused, word] : argv.members) {
    EXPECT_EQ(word->kind, Kind::string);
    words.push_back(word->text);
  }
  if (!arguments.empty()) {
    EXPECT_GE(words.size(), 2u);
    EXPECT_TRUE(!words.empty() && words[0].ends_with("lactsim")) << words[0];
    EXPECT_EQ(words.size() > 1 ? words[1] : "", command);
    for (const std::string& argument : arguments) {
      EXPECT_NE(std::find(words.begin(), words.end(), argument), words.end()) << argument << " missing from argv";
    }
  }
  EXPECT_TRUE(fs::path(typed(m, "working_directory", Kind::string).text).is_absolute());
  EXPECT_FALSE(typed(m, "host", Kind::string).text.empty());
  const std::regex iso_utc(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  const std::string started = typed(m, "started_utc", Kind::string).text;
  const std::string finished = typed(m, "finished_utc", Kind::string).text;
  EXPECT_TRUE(std::regex_match(started, iso_utc)) << started;
  EXPECT_TRUE(std::regex_match(finished, iso_utc)) << finished;
  EXPECT_LE(started, finished);
  for (const auto& [unused, input] : typed(m, "inputs", Kind::array).members) {
    EXPECT_FALSE(typed(*input, "role", Kind::string).text.empty());
    const fs::path path = typed(*input, "path", Kind::string).text;
    EXPECT_TRUE(path.is_absolute()) << path;
    EXPECT_EQ(typed(*input, "sha256", Kind::string).text, sha256sum(path)) << path;
  }
  for (const auto& [name, value] : typed(m, "parameter_overrides", Kind::object).members) {
    EXPECT_EQ(value->kind, Kind::number) << name;
  }
  for (const auto& [name, value] : typed(m, "seeds", Kind::object).members) EXPECT_EQ(value->kind, Kind::number) << name;
  const JsonNode* design = m.member("design");
  EXPECT_NE(design, nullptr);
  if (design != nullptr && design->kind != Kind::null) {
    EXPECT_EQ(design->kind, Kind::object);
    typed(*design, "kind", Kind::string);
    typed(*design, "n", Kind::number);
    for (const auto& [unused, range] : typed(*design, "ranges", Kind::array).members) {
      typed(*range, "name", Kind::string);
      typed(*range, "low", Kind::number);
      typed(*range, "high", Kind::number);
      typed(*range, "log_scale", Kind::boolean);
    }
  }
  const JsonNode* solver = m.member("solver");
  EXPECT_NE(solver, nullptr);
  if (solver != nullptr && (command != "merge" || solver->kind != Kind::null)) {  // merge runs nothing
    EXPECT_EQ(solver->kind, Kind::object);
    typed(*solver, "name", Kind::string);
    EXPECT_GT(typed(*solver, "rtol", Kind::number).number, 0);
    EXPECT_GT(typed(*solver, "atol", Kind::number).number, 0);
  }
  const JsonNode* counts = m.member("counts");
  EXPECT_NE(counts, nullptr);
  if (counts != nullptr && counts->kind != Kind::null) {
    typed(*counts, "unit", Kind::string);
    EXPECT_EQ(typed(*counts, "ok", Kind::number).number + typed(*counts, "failed", Kind::number).number,
              typed(*counts, "requested", Kind::number).number);
  }
  const JsonNode* fingerprint = m.member("fingerprint");
  EXPECT_NE(fingerprint, nullptr);
  if (fingerprint != nullptr && fingerprint->kind != Kind::null) {
    for (const auto& [key, value] : fingerprint->members) EXPECT_EQ(value->kind, Kind::string) << key;
  }
  return document;
}

/// The roles of a manifest's inputs, in order.
std::vector<std::string> input_roles(const JsonNode& manifest) {
  std::vector<std::string> roles;
  for (const auto& [unused, input] : manifest.member("inputs")->members) roles.push_back(input->member("role")->text);
  return roles;
}

/// counts as {requested, ok, failed}.
std::vector<double> counts_of(const JsonNode& manifest, const std::string& unit) {
  const JsonNode& counts = *manifest.member("counts");
  EXPECT_EQ(counts.kind, Kind::object);
  if (counts.kind != Kind::object) return {};
  EXPECT_EQ(counts.member("unit")->text, unit);
  return {counts.member("requested")->number, counts.member("ok")->number, counts.member("failed")->number};
}

TEST(Manifest, RecordsTypedValuesAndEachInputsAbsolutePathAndSha256) {
  const fs::path dir = test::fresh_temp_dir("manifest-unit");
  test::write_text(dir / "abc.txt", "abc");
  const fs::path relative = fs::relative(dir / "abc.txt");
  RunManifest manifest = begin_manifest("sweep", {"lactsim", "sweep", "x.toml"});
  manifest.add_input("design", relative);
  manifest.add_parameter_overrides({"pain_peak_nrs=3", "massage_ot_rise_uU_ml=0.5", "pain_peak_nrs=6"});
  manifest.design = ManifestDesign{"lhs", 8, 42, {{"pain_peak_nrs", 1, 9, false}}};
  manifest.seeds = {{"design", 42}, {"bootstrap", std::numeric_limits<std::uint64_t>::max()}};
  manifest.solver = SolverOptions{};
  manifest.counts = ManifestCounts{"samples", 8, 7, 1};
  RunFingerprint fingerprint;
  fingerprint.add("shard", "1/1");
  manifest.fingerprint = fingerprint;
  test::write_text(dir / "manifest.json", manifest_json(manifest));

  const auto m = checked_manifest(dir / "manifest.json", "sweep", {"x.toml"});
  const JsonNode& input = *m->member("inputs")->members.at(0).second;
  EXPECT_EQ(input.member("sha256")->text, kAbcSha256);  // FIPS 180-2 test vector
  EXPECT_EQ(fs::path(input.member("path")->text), fs::absolute(dir / "abc.txt").lexically_normal());
  // --set: each name once, with its last value (as the run applies them), as numbers.
  const JsonNode& overrides = *m->member("parameter_overrides");
  ASSERT_EQ(overrides.members.size(), 2u);
  EXPECT_EQ(overrides.member("pain_peak_nrs")->number, 6);
  EXPECT_EQ(overrides.member("massage_ot_rise_uU_ml")->number, 0.5);
  const JsonNode& design = *m->member("design");
  EXPECT_EQ(design.member("kind")->text, "lhs");
  EXPECT_EQ(design.member("n")->number, 8);
  EXPECT_EQ(design.member("seed")->number, 42);
  const JsonNode& range = *design.member("ranges")->members.at(0).second;
  EXPECT_EQ(range.member("low")->number, 1);
  EXPECT_EQ(range.member("high")->number, 9);
  EXPECT_EQ(range.member("log_scale")->kind, Kind::boolean);
  EXPECT_EQ(m->member("solver")->member("name")->text, "dopri5");
  EXPECT_EQ(m->member("solver")->member("rtol")->number, 1e-6);
  EXPECT_EQ(m->member("solver")->member("atol")->number, 1e-8);
  EXPECT_EQ(counts_of(*m, "samples"), (std::vector<double>{8, 7, 1}));
  EXPECT_EQ(m->member("fingerprint")->member("shard")->text, "1/1");
  // Seeds are unsigned 64-bit (--seed takes any): the largest is written exactly, not negative.
  EXPECT_NE(test::read_file(dir / "manifest.json").find("\"bootstrap\": 18446744073709551615"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Manifest, RunWritesOneInEachResultFolderBesideACopyOfTheScenario) {
  const fs::path dir = test::fresh_temp_dir("manifest-run");
  const std::string text = two_day_scenario("mother");
  test::write_text(dir / "mother.toml", text);
  const auto r = test::run_cli("run " + quoted(dir / "mother.toml") + " --set pain_peak_nrs=3 --rtol 1e-7 -q --out " +
                               quoted(dir / "out"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto m = checked_manifest(dir / "out" / "mother" / kManifestFileName, "run",
                                  {(dir / "mother.toml").string(), "pain_peak_nrs=3"});
  EXPECT_EQ(input_roles(*m), (std::vector<std::string>{"scenario"}));
  EXPECT_EQ(m->member("parameter_overrides")->member("pain_peak_nrs")->number, 3);
  EXPECT_EQ(m->member("solver")->member("rtol")->number, 1e-7);
  EXPECT_EQ(counts_of(*m, "runs"), (std::vector<double>{1, 1, 0}));
  EXPECT_EQ(test::read_file(dir / "out" / "mother" / kScenarioCopyFileName), text);
  fs::remove_all(dir);
}

/// The observed daily milk points (day, value) of the daily_milk figure's data.
std::vector<std::pair<double, double>> observed_points_drawn(const std::vector<Figure>& figures) {
  std::vector<std::pair<double, double>> points;
  for (const Figure& figure : figures) {
    if (figure.name != "daily_milk") continue;
    for (const auto& [file_name, content] : figure.data_files) {
      if (file_name != "daily_milk_observed_1.csv") continue;
      std::istringstream lines(content);
      // "# source" comment lines, the header "day,value,low,high", then one row per point.
      for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line.front() == '#' || line.starts_with("day,")) continue;
        const std::size_t comma = line.find(',');
        points.emplace_back(std::stod(line.substr(0, comma)), std::stod(line.substr(comma + 1)));
      }
    }
  }
  return points;
}

TEST(Manifest, PlotFromAnotherFolderFindsTheObservedDataInTheScenarioCopy) {
  // `run` started in folder A with a relative scenario path; the scenario then moved away.
  const fs::path a = test::fresh_temp_dir("manifest-plot-a");
  test::write_text(a / "mother.toml", two_day_scenario("mother"));
  const std::string command = "cd " + quoted(a) + " && '" LACTSIM_CLI "' run mother.toml -q --out out";
  ASSERT_EQ(std::system(command.c_str()), 0);
  const fs::path b = test::fresh_temp_dir("manifest-plot-b");
  fs::rename(a / "mother.toml", b / "moved.toml");
  const auto summary = parse_json(test::read_file(a / "out" / "mother" / "summary.json"), "summary.json");
  // Absolute as the run saw its working directory (the shell's `cd` resolves links).
  EXPECT_EQ(fs::path(summary->member("scenario")->member("absolute_file")->text), fs::canonical(a) / "mother.toml");

  // Plotted from this test's folder (not A): the observed points come from the copy.
  ASSERT_NE(fs::current_path(), a);
  std::vector<std::string> notes;
  const std::vector<Figure> figures = collect_figures(a / "out", {}, notes);
  EXPECT_TRUE(notes.empty()) << notes.front();
  EXPECT_EQ(observed_points_drawn(figures), (std::vector<std::pair<double, double>>{{1, 37.5}, {2, 123.25}}));

  // Without the copy (outputs of an older lactsim) the run's own observed.csv still gives the
  // points, and a note says where they came from; without that too, nothing finds them.
  fs::remove(a / "out" / "mother" / kScenarioCopyFileName);
  std::vector<std::string> fallback_notes;
  EXPECT_EQ(observed_points_drawn(collect_figures(a / "out", {}, fallback_notes)),
            (std::vector<std::pair<double, double>>{{1, 37.5}, {2, 123.25}}));
  ASSERT_EQ(fallback_notes.size(), 1u);
  EXPECT_NE(fallback_notes.front().find("observed.csv"), std::string::npos) << fallback_notes.front();
  fs::remove(a / "out" / "mother" / "observed.csv");
  std::vector<std::string> without_notes;
  EXPECT_TRUE(observed_points_drawn(collect_figures(a / "out", {}, without_notes)).empty());
  ASSERT_EQ(without_notes.size(), 1u);
  EXPECT_NE(without_notes.front().find("not found"), std::string::npos) << without_notes.front();
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Manifest, CompareWritesOneBesideItsTableCountingTheMothersOfEveryArm) {
  const fs::path dir = test::fresh_temp_dir("manifest-compare");
  test::write_text(dir / "a.toml", two_day_scenario("a"));
  test::write_text(dir / "b.toml", two_day_scenario("b") + "[parameters]\npain_peak_nrs = 6\n");
  test::write_text(dir / "pop.toml", population_table(3, 17));
  const auto r = test::run_cli("compare " + quoted(dir / "a.toml") + " " + quoted(dir / "b.toml") + " --population " +
                               quoted(dir / "pop.toml") + " -q -o " + quoted(dir / "cmp.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto m = checked_manifest(dir / "cmp.csv.manifest.json", "compare", {"--population"});
  EXPECT_EQ(input_roles(*m), (std::vector<std::string>{"scenario", "scenario", "population"}));
  EXPECT_EQ(m->member("seeds")->member("population")->number, 17);
  EXPECT_EQ(counts_of(*m, "mothers").at(0), 6);  // 3 mothers in each of 2 arms
  EXPECT_EQ(m->member("fingerprint")->kind, Kind::object);
  fs::remove_all(dir);
}

TEST(Manifest, SweepCountsOkAndFailedSamplesAndRecordsItsDesign) {
  const fs::path dir = test::fresh_temp_dir("manifest-sweep");
  test::write_text(dir / "mother.toml", two_day_scenario("mother"));
  // Two parameter sets, the second outside pain_peak_nrs's bounds [0, 10]: a failed sample.
  test::write_text(dir / "sets.csv", "pain_peak_nrs\n3\n20\n");
  const auto from_file = test::run_cli("sweep " + quoted(dir / "mother.toml") + " --design file:" +
                                       quoted(dir / "sets.csv") + " -q --out " + quoted(dir / "file.csv"));
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  const auto f = checked_manifest(dir / "file.csv.manifest.json", "sweep", {});
  EXPECT_EQ(input_roles(*f), (std::vector<std::string>{"scenario", "design"}));
  EXPECT_EQ(f->member("design")->member("kind")->text, "file");
  EXPECT_EQ(f->member("design")->member("n")->number, 2);
  EXPECT_EQ(counts_of(*f, "samples"), (std::vector<double>{2, 1, 1}));
  EXPECT_FALSE(fs::exists(dir / "file.csv.provenance.json"));

  const auto lhs = test::run_cli("sweep " + quoted(dir / "mother.toml") +
                                 " --vary pain_peak_nrs=2:8 --vary activation_rate_per_h=0.05:0.2:log --design lhs -n 3 "
                                 "--seed 9 -q --out " + quoted(dir / "lhs.csv"));
  ASSERT_EQ(lhs.exit_code, 0) << lhs.err;
  const auto l = checked_manifest(dir / "lhs.csv.manifest.json", "sweep", {"--vary", "pain_peak_nrs=2:8"});
  const JsonNode& design = *l->member("design");
  EXPECT_EQ(design.member("kind")->text, "lhs");
  EXPECT_EQ(design.member("seed")->number, 9);
  ASSERT_EQ(design.member("ranges")->members.size(), 2u);
  const JsonNode& log_range = *design.member("ranges")->members[1].second;
  EXPECT_EQ(log_range.member("name")->text, "activation_rate_per_h");
  EXPECT_EQ(log_range.member("low")->number, 0.05);
  EXPECT_EQ(log_range.member("high")->number, 0.2);
  EXPECT_EQ(log_range.member("log_scale")->number, 1);  // true
  EXPECT_EQ(l->member("seeds")->member("design")->number, 9);
  EXPECT_EQ(counts_of(*l, "samples"), (std::vector<double>{3, 3, 0}));
  fs::remove_all(dir);
}

TEST(Manifest, PopulationWritesOneInItsFolderCountingTheMothers) {
  const fs::path dir = test::fresh_temp_dir("manifest-population");
  test::write_text(dir / "mother.toml", two_day_scenario("mother"));
  test::write_text(dir / "pop.toml", population_table(4, 5));
  const auto r = test::run_cli("population " + quoted(dir / "mother.toml") + " --population " +
                               quoted(dir / "pop.toml") + " -q --out " + quoted(dir / "out"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto m = checked_manifest(dir / "out" / kManifestFileName, "population", {"--population"});
  EXPECT_EQ(input_roles(*m), (std::vector<std::string>{"scenario", "population"}));
  EXPECT_EQ(m->member("seeds")->member("population")->number, 5);
  EXPECT_EQ(counts_of(*m, "mothers").at(0), 4);

  // Called as a library (as Python's population_study does): a manifest too.
  Scenario scenario = parse_scenario(two_day_scenario("mother") + population_table(3, 2), dir / "mother.toml");
  RunFingerprint fingerprint;
  fingerprint.add("test", "library");
  run_population_study(scenario, PopulationStudyOptions{}, {dir / "library", fingerprint, false, nullptr});
  const auto l = checked_manifest(dir / "library" / kManifestFileName, "population", {});
  EXPECT_EQ(counts_of(*l, "mothers"), (std::vector<double>{3, 3, 0}));
  EXPECT_EQ(l->member("fingerprint")->member("test")->text, "library");
  // Every mother failing (a budget of one solver step) is a simulation failure, not a study
  // of no mother: nothing is committed, the manifest included.
  PopulationStudyOptions failing;
  failing.solver.max_steps = 1;
  EXPECT_THROW(run_population_study(scenario, failing, {dir / "failing", fingerprint, false, nullptr}), SimulationError);
  EXPECT_FALSE(fs::exists(dir / "failing" / kManifestFileName));
  EXPECT_FALSE(fs::exists(dir / "failing" / "summary.csv"));
  fs::remove_all(dir);
}

TEST(Manifest, SensitivityWritesOneBesideItsTable) {
  const fs::path dir = test::fresh_temp_dir("manifest-sensitivity");
  test::write_text(dir / "mother.toml", two_day_scenario("mother"));
  const auto r = test::run_cli("sensitivity " + quoted(dir / "mother.toml") +
                               " --method morris --vary pain_peak_nrs=2:8 -n 2 --seed 4 -q -o " + quoted(dir / "s.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto m = checked_manifest(dir / "s.csv.manifest.json", "sensitivity", {"morris"});
  EXPECT_EQ(m->member("design")->member("kind")->text, "morris");
  EXPECT_EQ(m->member("design")->member("n")->number, 2);
  EXPECT_EQ(m->member("seeds")->member("trajectories")->number, 4);
  EXPECT_EQ(counts_of(*m, "trajectories").at(0), 2);
  fs::remove_all(dir);
}

/// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at
/// most U+10FFFF), checked byte by byte against the table of Unicode 15, section 3.9.
bool is_valid_utf8(const std::string& text) {
  const auto* b = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const auto in = [&](std::size_t k, unsigned lo, unsigned hi) { return i + k < n && b[i + k] >= lo && b[i + k] <= hi; };
    if (b[i] <= 0x7F) i += 1;
    else if (b[i] >= 0xC2 && b[i] <= 0xDF && in(1, 0x80, 0xBF)) i += 2;
    else if (b[i] == 0xE0 && in(1, 0xA0, 0xBF) && in(2, 0x80, 0xBF)) i += 3;
    else if (((b[i] >= 0xE1 && b[i] <= 0xEC) || b[i] == 0xEE || b[i] == 0xEF) && in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF)) i += 3;
    else if (b[i] == 0xED && in(1, 0x80, 0x9F) && in(2, 0x80, 0xBF)) i += 3;
    else if (b[i] == 0xF0 && in(1, 0x90, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF)) i += 4;
    else if (b[i] >= 0xF1 && b[i] <= 0xF3 && in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF)) i += 4;
    else if (b[i] == 0xF4 && in(1, 0x80, 0x8F) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF)) i += 4;
    else return false;
  }
  return true;
}

// A file named $'bad\xff\xfe name.toml' made manifest.json and summary.json undecodable
// (JSON is UTF-8): json_quote copied the bytes. Each invalid byte becomes U+FFFD; valid
// multibyte text is kept as it is.
TEST(Manifest, JsonTextIsAlwaysValidUtf8) {
  EXPECT_EQ(json_quote("bad\xff\xfe name.toml"), "\"bad\\ufffd\\ufffd name.toml\"");
  const std::string valid = "caf\xc3\xa9 5 \xc2\xb5L \xe2\x80\x94 \xf0\x9f\x8d\xbc";  // é, µ, —, U+1F37C
  EXPECT_EQ(json_quote(valid), "\"" + valid + "\"");
  // Truncated, overlong, surrogate, beyond U+10FFFF, lone continuation: one U+FFFD per byte.
  for (const std::string bad : {"\xe2\x80", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80"}) {
    const std::string quoted_text = json_quote("a" + bad + "z");
    EXPECT_TRUE(is_valid_utf8(quoted_text)) << quoted_text;
    std::string expected = "\"a";
    for (std::size_t i = 0; i < bad.size(); ++i) expected += "\\ufffd";
    EXPECT_EQ(quoted_text, expected + "z\"");
  }

  // End to end: the manifest of a run of such a file is read by Python's json module.
  const fs::path dir = test::fresh_temp_dir("manifest-utf8");
  const fs::path scenario = dir / "bad\xff\xfe name.toml";
  test::write_text(scenario, two_day_scenario("mother"));
  const auto r = test::run_cli("sweep " + quoted(scenario) + " --vary pain_peak_nrs=2:8 -n 2 -q -o " +
                               quoted(dir / "s.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string manifest = test::read_file(dir / "s.csv.manifest.json");
  EXPECT_TRUE(is_valid_utf8(manifest));
  EXPECT_EQ(std::system(("/usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding=\"utf-8\"))' " +
                         quoted(dir / "s.csv.manifest.json"))
                            .c_str()),
            0);
  fs::remove_all(dir);
}

TEST(Manifest, FitAndCalibratePopulationWriteOneInTheirFolder) {
  const fs::path dir = test::fresh_temp_dir("manifest-fit");
  test::write_text(dir / "mother.toml", two_day_scenario("mother"));
  const auto fit = test::run_cli("fit " + quoted(dir / "mother.toml") +
                                 " --free activation_rate_per_h --max-iterations 3 --seed 8 -q --out " + quoted(dir / "fit"));
  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  const auto f = checked_manifest(dir / "fit" / kManifestFileName, "fit", {"--free", "activation_rate_per_h"});
  EXPECT_EQ(input_roles(*f), (std::vector<std::string>{"scenario"}));
  EXPECT_EQ(f->member("seeds")->member("multistart")->number, 8);
  EXPECT_EQ(f->member("solver")->member("rtol")->number, 1e-8);  // the fit's tighter tolerances
  EXPECT_TRUE(fs::exists(dir / "fit" / "fit.json"));  // kept beside the manifest

  test::write_text(dir / "calibration.toml",
                   "[calibration]\nname = \"test\"\n" + population_table(8, 3) +
                       "[[subgroup]]\nname = \"multi\"\nscenario = \"mother.toml\"\n"
                       "[[free]]\nspread = \"activation_rate_per_h\"\nbounds = [0.05, 1.0]\n"
                       "[[target]]\nname = \"late\"\nkind = \"fraction\"\nendpoint = \"onset_h\"\n"
                       "cohort = \"multi\"\nabove = 30.0\nvalue = 0.3\nn = 100\n");
  const auto calibration = test::run_cli("calibrate-population " + quoted(dir / "calibration.toml") +
                                         " --max-iterations 2 -j 1 -q --out " + quoted(dir / "cal"));
  ASSERT_EQ(calibration.exit_code, 0) << calibration.err;
  const auto c = checked_manifest(dir / "cal" / kManifestFileName, "calibrate-population", {});
  // The subgroup's scenario is an input as much as the config (it was listed without it).
  EXPECT_EQ(input_roles(*c), (std::vector<std::string>{"config", "scenario"}));
  const JsonNode& subgroup_scenario = *c->member("inputs")->members.at(1).second;
  EXPECT_EQ(fs::path(subgroup_scenario.member("path")->text), fs::absolute(dir / "mother.toml").lexically_normal());
  EXPECT_EQ(subgroup_scenario.member("sha256")->text, sha256sum_of(dir / "mother.toml"));
  EXPECT_EQ(c->member("inputs")->members.at(0).second->member("sha256")->text, sha256sum_of(dir / "calibration.toml"));
  EXPECT_EQ(c->member("seeds")->member("mothers")->number, 3);
  fs::remove_all(dir);
}

TEST(Manifest, MergeWritesOneAndStillReadsTheProvenanceFilesOfOlderShards) {
  const fs::path dir = test::fresh_temp_dir("manifest-merge");
  test::write_text(dir / "mother.toml", two_day_scenario("mother"));
  auto shard = [&](const std::string& name, const std::string& which, const std::string& extra) {
    const auto r = test::run_cli("sweep " + quoted(dir / "mother.toml") + " --vary pain_peak_nrs=2:8 --design sobol -n 4 -q" +
                                 extra + " --shard " + which + " --out " + quoted(dir / name));
    EXPECT_EQ(r.exit_code, 0) << r.err;
  };
  shard("a1.csv", "1/2", "");
  shard("a2.csv", "2/2", "");
  shard("other.csv", "2/2", " --set pain_peak_nrs=3");
  const auto merged = test::run_cli("merge " + quoted(dir / "a1.csv") + " " + quoted(dir / "a2.csv") + " -o " +
                                    quoted(dir / "merged.csv"));
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  const auto m = checked_manifest(dir / "merged.csv.manifest.json", "merge", {});
  EXPECT_EQ(input_roles(*m), (std::vector<std::string>{"shard", "shard"}));
  EXPECT_EQ(counts_of(*m, "samples"), (std::vector<double>{4, 4, 0}));
  EXPECT_EQ(m->member("fingerprint")->member("shard")->text, "1/1");  // as the unsharded sweep's

  // Shards written before manifests have FILE.provenance.json (the fingerprint alone): merge
  // still checks them, and still refuses a shard of another sweep.
  for (const char* name : {"a1.csv", "other.csv"}) {
    const std::optional<RunFingerprint> recorded = read_recorded_fingerprint(dir / name);
    ASSERT_TRUE(recorded.has_value());
    test::write_text(dir / (std::string(name) + ".provenance.json"), recorded->to_json());
    fs::remove(manifest_path_beside(dir / name));
  }
  const auto mixed = test::run_cli("merge " + quoted(dir / "a1.csv") + " " + quoted(dir / "other.csv"));
  EXPECT_EQ(mixed.exit_code, 2) << mixed.err;
  EXPECT_NE(mixed.err.find("other.csv.provenance.json"), std::string::npos) << mixed.err;
  EXPECT_NE(mixed.err.find("set: "), std::string::npos) << mixed.err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace lactsim
