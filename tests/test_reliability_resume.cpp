// Resumable sweeps: a `lactsim sweep` child process killed (SIGKILL) or interrupted
// (SIGINT) mid-run and continued with --resume writes the same bytes as a run that was
// never interrupted; a resume that does not match the partial file is refused (exit 2).

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "lactsim/analysis/comparison.hpp"
#include "lactsim/io/resume.hpp"
#include "lactsim/io/run_scenarios.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;

// A 3-day seed-case mother: a sample takes about 0.7 ms on one thread, so 1000 samples run
// for about 0.7 s: long enough to be interrupted part-way, short enough to keep tests quick.
constexpr const char* kScenario = R"(
[scenario]
name = "Resume test: caesarean, 3 days"
duration_days = 3

[delivery]
mode = "caesarean_planned"
clock_time = "10:00"

[patient]
parity = "primiparous"

[[feeds]]
every_h = 3.0
first_h = 2.0
duration_min = 15
)";

constexpr std::size_t kSamples = 1000;
constexpr std::size_t kBlock = 10;

struct SweepFiles {
  fs::path dir, scenario, out, partial, sidecar;
};

SweepFiles make_files(const std::string& tag) {
  SweepFiles f;
  f.dir = test::fresh_temp_dir(tag);
  f.scenario = f.dir / "three_days.toml";
  test::write_text(f.scenario, kScenario);
  f.out = f.dir / "sweep.csv";
  f.partial = f.dir / "sweep.csv.partial";
  f.sidecar = f.dir / "sweep.csv.partial.json";
  return f;
}

/// The sweep's arguments (after "sweep"); `extra` appended.
std::vector<std::string> sweep_arguments(const SweepFiles& f, const fs::path& out, const std::string& threads,
                                         std::vector<std::string> extra = {}) {
  std::vector<std::string> a = {"sweep", f.scenario.string(), "--vary", "prl_feed_rise_ng_ml=50:250",
                                "--vary", "massage_ot_rise_uU_ml=0:10", "--design", "lhs", "--seed", "7",
                                "-n", std::to_string(kSamples), "--block-size", std::to_string(kBlock),
                                // dopri5, not the faster default: the kill must land mid-run
                                "--solver", "dopri5", "-j", threads, "-q", "--out", out.string()};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

std::string shell_join(const std::vector<std::string>& arguments) {
  std::string out;
  for (std::size_t i = 1; i < arguments.size(); ++i) out += (i > 1 ? " " : "") + ("'" + arguments[i] + "'");
  return "sweep " + out;
}

/// Starts lactsim with `arguments` (stdout/stderr to files in `dir`); returns its pid.
pid_t spawn(const std::vector<std::string>& arguments, const fs::path& dir) {
  const std::string err = (dir / "child.err").string();
  const pid_t pid = fork();
  if (pid == 0) {
    const int null_fd = open("/dev/null", O_RDWR);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(null_fd, 0);
    dup2(null_fd, 1);
    dup2(err_fd, 2);
    std::vector<char*> argv;
    std::string program = LACTSIM_CLI;
    argv.push_back(program.data());
    std::vector<std::string> copy = arguments;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

std::size_t newline_count(const fs::path& file) {
  if (!fs::exists(file)) return 0;
  const std::string text = test::read_file(file);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

/// Waits until `file` has at least `lines` newlines (or the child has exited); true if reached.
bool wait_for_lines(const fs::path& file, std::size_t lines, pid_t pid) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (newline_count(file) >= lines) return true;
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

/// The uninterrupted reference run's CSV.
std::string reference_csv(const SweepFiles& f) {
  const fs::path out = f.dir / "reference.csv";
  const auto r = test::run_cli(shell_join(sweep_arguments(f, out, "2")));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(newline_count(out), kSamples + 1);
  return test::read_file(out);
}

/// Starts the sweep on one thread, waits for `rows` rows in the partial file, sends `signal`.
/// Returns the child's wait status.
int interrupt_child(const SweepFiles& f, int signal, std::size_t rows) {
  const pid_t pid = spawn(sweep_arguments(f, f.out, "1"), f.dir);
  EXPECT_GT(pid, 0);
  const bool reached = wait_for_lines(f.partial, rows + 1, pid);
  EXPECT_TRUE(reached) << "the child finished or stalled before " << rows << " rows";
  kill(pid, signal);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

void expect_no_leftovers(const SweepFiles& f) {
  EXPECT_FALSE(fs::exists(f.partial));
  EXPECT_FALSE(fs::exists(f.sidecar));
  for (const auto& entry : fs::directory_iterator(f.dir)) {
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << entry.path();
  }
}

TEST(ReliabilityResume, SigkillMidRunThenResumeGivesTheUninterruptedCsv) {
  const SweepFiles f = make_files("resume_kill");
  const std::string reference = reference_csv(f);
  const int status = interrupt_child(f, SIGKILL, 60);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  ASSERT_TRUE(fs::exists(f.partial));
  EXPECT_FALSE(fs::exists(f.out)) << "the final name appears only when the sweep is complete";
  const std::size_t kept = newline_count(f.partial) - 1;
  EXPECT_LT(kept, kSamples) << "the kill must land mid-run for this test to mean anything";
  // What the kill left is a prefix of the reference (every flushed row is final).
  EXPECT_TRUE(reference.starts_with(test::read_file(f.partial).substr(0, reference.size())));

  // Resume on two threads: the thread count does not change a byte.
  const auto resumed = test::run_cli(shell_join(sweep_arguments(f, f.out, "2", {"--resume"})));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(test::read_file(f.out), reference);
  expect_no_leftovers(f);
  // The fingerprint stays beside the result, in its manifest.
  const std::string provenance = test::read_file(f.dir / "sweep.csv.manifest.json");
  for (const char* key : {"\"scenario_sha256\"", "\"solver\": \"dopri5\"", "\"rtol\"", "\"lactsim_version\""}) {
    EXPECT_NE(provenance.find(key), std::string::npos) << key << " missing from\n" << provenance;
  }
}

TEST(ReliabilityResume, SigintStopsAtABlockBoundaryExits130AndResumes) {
  const SweepFiles f = make_files("resume_int");
  const std::string reference = reference_csv(f);
  const int status = interrupt_child(f, SIGINT, 40);
  ASSERT_TRUE(WIFEXITED(status)) << "SIGINT must end the run cleanly, not by the signal";
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const std::string child_err = test::read_file(f.dir / "child.err");
  EXPECT_NE(child_err.find("--resume"), std::string::npos) << child_err;
  const std::size_t kept = newline_count(f.partial) - 1;
  EXPECT_GE(kept, 40u);
  EXPECT_LT(kept, kSamples);
  EXPECT_EQ(kept % kBlock, 0u) << "a clean stop ends on a whole block";
  const std::string partial = test::read_file(f.partial);
  EXPECT_EQ(partial, reference.substr(0, partial.size()));
  EXPECT_FALSE(fs::exists(f.out));

  const auto resumed = test::run_cli(shell_join(sweep_arguments(f, f.out, "1", {"--resume"})));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(test::read_file(f.out), reference);
  expect_no_leftovers(f);
}

TEST(ReliabilityResume, TruncatedLastRowIsDroppedAndRecomputed) {
  const SweepFiles f = make_files("resume_cut");
  const std::string reference = reference_csv(f);
  const int status = interrupt_child(f, SIGINT, 20);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 130);
  // Simulate a SIGKILL in the middle of a write: half of the next reference row.
  const std::string partial = test::read_file(f.partial);
  const std::size_t next_row_end = reference.find('\n', partial.size());
  ASSERT_NE(next_row_end, std::string::npos);
  test::write_text(f.partial, partial + reference.substr(partial.size(), (next_row_end - partial.size()) / 2));

  const auto resumed = test::run_cli(shell_join(sweep_arguments(f, f.out, "2", {"--resume"})));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(test::read_file(f.out), reference);
  expect_no_leftovers(f);
}

TEST(ReliabilityResume, LastRowWithItsNewlineButTooFewFieldsIsDroppedAndRecomputed) {
  const SweepFiles f = make_files("resume_short_last");
  const std::string reference = reference_csv(f);
  const int status = interrupt_child(f, SIGINT, 20);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 130);
  // The next reference row cut after its third field, but ending in a newline.
  const std::string partial = test::read_file(f.partial);
  std::size_t cut = partial.size();
  for (int comma = 0; comma < 3; ++comma) cut = reference.find(',', cut) + 1;
  test::write_text(f.partial, partial + reference.substr(partial.size(), cut - partial.size()) + "\n");

  const auto resumed = test::run_cli(shell_join(sweep_arguments(f, f.out, "2", {"--resume"})));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(test::read_file(f.out), reference);
  expect_no_leftovers(f);
}

TEST(ReliabilityResume, RowCutShortInsideThePartialFileIsRefusedNamingItsLine) {
  const SweepFiles f = make_files("resume_short_middle");
  const int status = interrupt_child(f, SIGINT, 20);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 130);
  // Line 6 (sample 4) loses its last fields; the rows after it are intact.
  std::string partial = test::read_file(f.partial);
  std::size_t line_start = 0;
  for (int line = 1; line < 6; ++line) line_start = partial.find('\n', line_start) + 1;
  const std::size_t line_end = partial.find('\n', line_start);
  const std::size_t third_comma = [&] {
    std::size_t at = line_start;
    for (int comma = 0; comma < 3; ++comma) at = partial.find(',', at) + 1;
    return at - 1;
  }();
  ASSERT_LT(third_comma, line_end);
  partial.erase(third_comma, line_end - third_comma);
  test::write_text(f.partial, partial);

  const auto resumed = test::run_cli(shell_join(sweep_arguments(f, f.out, "2", {"--resume"})));
  EXPECT_EQ(resumed.exit_code, 2) << resumed.err;
  EXPECT_NE(resumed.err.find("sweep.csv.partial:6"), std::string::npos) << resumed.err;
  EXPECT_FALSE(fs::exists(f.out));
  EXPECT_EQ(test::read_file(f.partial), partial) << "a refused resume leaves the partial file as it was";
}

TEST(ReliabilityResume, DifferentRunIsRefusedWithExit2NamingWhatDiffers) {
  const SweepFiles f = make_files("resume_mismatch");
  const int status = interrupt_child(f, SIGINT, 20);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 130);
  const std::string partial = test::read_file(f.partial);

  auto arguments = sweep_arguments(f, f.out, "2", {"--resume"});
  *std::find(arguments.begin(), arguments.end(), "7") = "8";  // another seed: other samples
  const auto refused = test::run_cli(shell_join(arguments));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("seed: was '7', now '8'"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("sweep.csv.partial.json"), std::string::npos) << refused.err;
  EXPECT_EQ(test::read_file(f.partial), partial) << "a refused resume leaves the partial file alone";
  EXPECT_FALSE(fs::exists(f.out));

  // An edited scenario is a different run too.
  test::write_text(f.scenario, std::string(kScenario) + "# edited\n");
  const auto edited = test::run_cli(shell_join(sweep_arguments(f, f.out, "2", {"--resume"})));
  EXPECT_EQ(edited.exit_code, 2);
  EXPECT_NE(edited.err.find("scenario_sha256: was"), std::string::npos) << edited.err;
}

TEST(ReliabilityResume, ResumeWithoutPartialRunsFromTheStartAndWithoutResumeOverwrites) {
  const SweepFiles f = make_files("resume_fresh");
  const std::string reference = reference_csv(f);
  const auto fresh = test::run_cli(shell_join(sweep_arguments(f, f.out, "2", {"--resume"})));
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_NE(fresh.err.find("no partial output"), std::string::npos) << fresh.err;
  EXPECT_EQ(test::read_file(f.out), reference);
  expect_no_leftovers(f);

  // A stale partial file of another run is overwritten (and said so) without --resume.
  fs::remove(f.out);
  test::write_text(f.partial, "sample,status,stale\n0,ok,1\n");
  test::write_text(f.sidecar, "{\n  \"command\": \"other\"\n}\n");
  const auto over = test::run_cli(shell_join(sweep_arguments(f, f.out, "2")));
  ASSERT_EQ(over.exit_code, 0) << over.err;
  EXPECT_NE(over.err.find("overwriting the earlier partial output"), std::string::npos) << over.err;
  EXPECT_EQ(test::read_file(f.out), reference);
  expect_no_leftovers(f);
}

TEST(ReliabilityResume, ResumeNeedsAnOutputFile) {
  const SweepFiles f = make_files("resume_stdout");
  auto arguments = sweep_arguments(f, f.out, "1", {"--resume"});
  arguments.resize(arguments.size() - 3);  // drop "--out FILE" (and the --resume flag, re-added below)
  const auto r = test::run_cli(shell_join(arguments) + " --resume");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--resume: needs --out FILE"), std::string::npos) << r.err;
}

// ---- population comparisons (lactsim compare with [population])

constexpr const char* kPopulation =
    "\n[population]\nsize = 600\nseed = 3\n\n[population.variability]\n"
    "activation_rate_per_h = 0.3\nprl_feed_rise_ng_ml = 0.4\n";

struct CompareFiles {
  fs::path dir, control, frequent, out, partial, sidecar;
};

CompareFiles make_compare_files(const std::string& tag) {
  CompareFiles f;
  f.dir = test::fresh_temp_dir(tag);
  f.control = f.dir / "every3h.toml";
  f.frequent = f.dir / "every2h.toml";
  std::string frequent = kScenario;
  frequent.replace(frequent.find("every_h = 3.0"), 13, "every_h = 2.0");
  test::write_text(f.control, std::string(kScenario) + kPopulation);
  test::write_text(f.frequent, frequent + kPopulation);
  f.out = f.dir / "compare.csv";
  f.partial = f.dir / "compare.csv.partial";
  f.sidecar = f.dir / "compare.csv.partial.json";
  return f;
}

std::vector<std::string> compare_arguments(const CompareFiles& f, const std::string& threads,
                                           std::vector<std::string> extra = {}) {
  // dopri5, not the faster default: the kill must land mid-run, and the reference below is
  // the library's default (dopri5) path.
  std::vector<std::string> a = {"compare", f.control.string(), f.frequent.string(), "--block-size", "10",
                                "-j", threads, "--out", f.out.string(), "--solver", "dopri5"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

std::string compare_command(const std::vector<std::string>& arguments) {
  std::string out;
  for (const auto& a : arguments) out += (out.empty() ? "" : " ") + ("'" + a + "'");
  return out;
}

TEST(ReliabilityResume, KilledPopulationComparisonResumesToTheSameTable) {
  const CompareFiles f = make_compare_files("resume_compare");
  // Independent reference: the library's in-memory path (run_population, no checkpoint file).
  const auto scenarios = load_scenarios({f.control, f.frequent}, {});
  const std::string reference = comparison_csv(compare_scenarios(scenarios, test::compare_options(2, true)));
  ASSERT_NE(reference.find("population_p50"), std::string::npos);

  const pid_t pid = spawn(compare_arguments(f, "1"), f.dir);
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(wait_for_lines(f.partial, 60 + 1, pid)) << "the child finished or stalled too early";
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  const std::size_t kept = newline_count(f.partial) - 1;
  EXPECT_LT(kept, 1200u) << "the kill must land before all 2 × 600 mothers are done";
  EXPECT_FALSE(fs::exists(f.out));

  const auto resumed = test::run_cli(compare_command(compare_arguments(f, "2", {"--resume"})));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming"), std::string::npos) << resumed.err;
  EXPECT_EQ(test::read_file(f.out), reference);
  EXPECT_FALSE(fs::exists(f.partial));
  EXPECT_FALSE(fs::exists(f.sidecar));
}

TEST(ReliabilityResume, InterruptedPopulationComparisonExits130AndRefusesOtherScenarios) {
  const CompareFiles f = make_compare_files("resume_compare_int");
  const pid_t pid = spawn(compare_arguments(f, "1"), f.dir);
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(wait_for_lines(f.partial, 30 + 1, pid));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_EQ((newline_count(f.partial) - 1) % 10, 0u) << "a clean stop ends on a whole block";

  // The arms in the other order are another comparison: refused, partial file untouched.
  const std::string partial = test::read_file(f.partial);
  const auto swapped = test::run_cli(compare_command({"compare", f.frequent.string(), f.control.string(), "--out",
                                                      f.out.string(), "--resume"}));
  EXPECT_EQ(swapped.exit_code, 2);
  EXPECT_NE(swapped.err.find("scenario_1: was 'every3h', now 'every2h'"), std::string::npos) << swapped.err;
  EXPECT_EQ(test::read_file(f.partial), partial);

  const auto resumed = test::run_cli(compare_command(compare_arguments(f, "2", {"--resume", "-q"})));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const auto scenarios = load_scenarios({f.control, f.frequent}, {});
  EXPECT_EQ(test::read_file(f.out), comparison_csv(compare_scenarios(scenarios, test::compare_options(1, true))));
}

TEST(ReliabilityResume, InterruptedPopulationStudyExits130AndResumesToTheSameFiles) {
  // lactsim population: Ctrl-C stops at a block boundary with exit code 130 and no finished
  // files; --resume (other thread count) gives the bytes of an uninterrupted run.
  const CompareFiles f = make_compare_files("resume_population");
  const fs::path out = f.dir / "population", whole = f.dir / "whole";
  auto arguments = [&](const fs::path& dir, const std::string& threads, std::vector<std::string> extra) {
    std::vector<std::string> a = {"population", f.control.string(), "--out", dir.string(), "--block-size", "10",
                                  "-j", threads, "--solver", "dopri5", "-q"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  const pid_t pid = spawn(arguments(out, "1", {}), f.dir);
  ASSERT_GT(pid, 0);
  const fs::path partial = out / "mothers.csv.partial";
  ASSERT_TRUE(wait_for_lines(partial, 30 + 1, pid));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const std::size_t kept = newline_count(partial) - 1;
  EXPECT_EQ(kept % 10, 0u) << "a clean stop ends on a whole block";
  EXPECT_LT(kept, 600u);
  EXPECT_FALSE(fs::exists(out / "mothers.csv"));
  EXPECT_FALSE(fs::exists(out / "summary.csv"));

  const auto resumed = test::run_cli(compare_command(arguments(out, "2", {"--resume"})));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming"), std::string::npos) << resumed.err;
  const auto uninterrupted = test::run_cli(compare_command(arguments(whole, "1", {})));
  ASSERT_EQ(uninterrupted.exit_code, 0) << uninterrupted.err;
  EXPECT_EQ(test::read_file(out / "mothers.csv"), test::read_file(whole / "mothers.csv"));
  EXPECT_EQ(test::read_file(out / "summary.csv"), test::read_file(whole / "summary.csv"));
  EXPECT_FALSE(fs::exists(partial));
}

TEST(ReliabilityResume, FingerprintRoundTripsAndListsDifferences) {
  RunFingerprint a;
  a.add("scenario_sha256", "abc");
  a.add("set", "x=1 \"quoted\" back\\slash\ttab");
  a.add("seed", "7");
  const auto parsed = RunFingerprint::from_json(a.to_json());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->entries(), a.entries());
  EXPECT_TRUE(a.differences_from(*parsed).empty());

  RunFingerprint b;
  b.add("scenario_sha256", "abc");
  b.add("set", "x=2");
  b.add("shard", "1/2");
  const auto d = b.differences_from(a);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0], "set: was 'x=1 \"quoted\" back\\slash\ttab', now 'x=2'");
  EXPECT_EQ(d[1], "shard: was (absent), now '1/2'");
  EXPECT_EQ(d[2], "seed: was '7', now (absent)");

  EXPECT_FALSE(RunFingerprint::from_json("{\"a\": \"b\"").has_value());
  EXPECT_FALSE(RunFingerprint::from_json("not json").has_value());
}

TEST(ReliabilityResume, AnOutputThatIsAFolderIsRefusedBeforeAnySample) {
  // `sweep -o EXISTING_DIR` ran the whole sweep, then failed to rename its result (exit 1).
  const auto dir = test::fresh_temp_dir("resume-out-folder");
  std::filesystem::create_directories(dir / "taken");
  const auto r = test::run_cli("sweep " + test::scenario_path("seed_case_massage.toml").string() +
                               " --vary massage_ot_rise_uU_ml=0:10 --design grid -n 2 -q --out " +
                               (dir / "taken").string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("is a folder"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "taken.partial"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lactsim
