// Output integrity against a hostile or failing file system: temporaries never follow a
// planted symbolic link, a failed `lactsim run` leaves every old result under --out as it was
// (all-or-nothing over the whole --out), scenario file names cannot steer results outside
// --out or onto each other, and temporaries of killed processes are cleaned up.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "lactsim/engine/errors.hpp"
#include "lactsim/io/output_files.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;

constexpr const char* kVictimContent = "precious bytes that lactsim must never touch\n";

/// A vaginal-birth scenario of `days` days with 3-hourly feeds.
std::string scenario_toml(int days) {
  return "[scenario]\nname = \"integrity test\"\nduration_days = " + std::to_string(days) +
         "\n[delivery]\nmode = \"vaginal\"\n[patient]\nparity = \"multiparous\"\n"
         "[[feeds]]\nevery_h = 3.0\nfirst_h = 1.0\nduration_min = 15\n";
}

struct ChildResult {
  int exit_code = -1;  ///< -1 when the child did not exit normally
  std::string err;
};

/// Runs lactsim with `arguments`, without a shell (file names may hold any byte).
/// `before_exec` runs in the parent once the child exists but before it execs lactsim (whose
/// pid it keeps), e.g. to plant files named after that pid. `file_size_limit` > 0 becomes
/// the child's RLIMIT_FSIZE, with SIGXFSZ ignored so that an oversized write fails with EFBIG
/// (as on a full disk) instead of killing the process.
/// With `ignore_file_size_signal` false the child keeps SIGXFSZ's default action, as a shell's
/// `ulimit -f` leaves it: lactsim must then ignore it itself.
ChildResult run_lactsim(const std::vector<std::string>& arguments, const std::function<void(pid_t)>& before_exec = {},
                        rlim_t file_size_limit = 0, bool ignore_file_size_signal = true) {
  const fs::path log_dir = test::fresh_temp_dir("child-log");
  const std::string err_file = (log_dir / "stderr").string();
  int go[2];
  if (::pipe(go) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(go[1]);
    char byte = 0;
    if (::read(go[0], &byte, 1) != 1) ::_exit(126);
    if (file_size_limit > 0) {
      ::signal(SIGXFSZ, ignore_file_size_signal ? SIG_IGN : SIG_DFL);  // a disposition survives exec
      const rlimit limit{file_size_limit, file_size_limit};
      if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(125);
    }
    const int null_fd = ::open("/dev/null", O_RDWR);
    const int err_fd = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(null_fd, 0);
    ::dup2(null_fd, 1);
    ::dup2(err_fd, 2);
    std::vector<std::string> copy = arguments;
    std::string program = LACTSIM_CLI;
    std::vector<char*> argv{program.data()};
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(go[0]);
  if (before_exec) before_exec(pid);
  [[maybe_unused]] const auto written = ::write(go[1], "g", 1);
  ::close(go[1]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ChildResult result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, test::read_file(err_file)};
  fs::remove_all(log_dir);
  return result;
}

/// Every regular file under `dir` (relative path → bytes), and every other entry by kind.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = fs::relative(entry.path(), dir).string();
    if (entry.is_symlink()) out[name] = "<symlink to " + fs::read_symlink(entry.path()).string() + ">";
    else if (entry.is_regular_file()) out[name] = test::read_file(entry.path());
    else if (entry.is_directory()) out[name] = "<directory>";
    else out[name] = "<other>";
  }
  return out;
}

/// What differs between two snapshots: "+name" (new), "-name" (gone), "~name" (changed).
std::string changes(const std::map<std::string, std::string>& before, const std::map<std::string, std::string>& after) {
  std::string out;
  for (const auto& [name, content] : after) {
    const auto old = before.find(name);
    if (old == before.end()) out += " +" + name;
    else if (old->second != content) out += " ~" + name;
  }
  for (const auto& [name, content] : before) {
    if (!after.count(name)) out += " -" + name;
  }
  return out;
}

/// Names under `dir` that look like temporaries or staging folders.
std::vector<std::string> temporaries_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp") != std::string::npos) out.push_back(entry.path().string());
  }
  return out;
}

/// A pid that belonged to a process which has exited and been reaped.
pid_t dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

// ------------------------------------------------------------------ symbolic links

TEST(OutputIntegrity, WriteFileAtomicallyDoesNotFollowALinkAtTheOldTemporaryName) {
  const fs::path dir = test::fresh_temp_dir("link-unit");
  const fs::path victim = dir / "victim.txt";
  test::write_text(victim, kVictimContent);
  fs::create_directories(dir / "out");
  const fs::path target = dir / "out" / "result.csv";
  // Earlier versions used the predictable name <file>.tmp-<pid>.
  fs::create_symlink(victim, dir / "out" / ("result.csv.tmp-" + std::to_string(::getpid())));
  write_file_atomically(target, "a,b\n1,2\n");
  EXPECT_EQ(test::read_file(victim), kVictimContent);
  EXPECT_FALSE(fs::is_symlink(target));
  EXPECT_EQ(test::read_file(target), "a,b\n1,2\n");
  fs::remove_all(dir);
}

TEST(OutputIntegrity, TemporaryFilesAreNewRegularFilesWithUnpredictableNamesAndTheUsualMode) {
  const fs::path dir = test::fresh_temp_dir("tmp-names");
  const mode_t old_mask = ::umask(022);
  TemporaryFile first = create_temporary_file(dir, "summary.json");
  TemporaryFile second = create_temporary_file(dir, "summary.json");
  ::umask(old_mask);
  EXPECT_NE(first.path, second.path);
  for (const TemporaryFile* t : {&first, &second}) {
    EXPECT_EQ(t->path.parent_path(), dir);
    const std::string name = t->path.filename().string();
    // .NAME.tmp-PID-XXXXXX: the pid for stale-file cleanup, 6 random characters against guessing.
    const std::string prefix = ".summary.json.tmp-" + std::to_string(::getpid()) + "-";
    ASSERT_EQ(name.rfind(prefix, 0), 0u) << name;
    EXPECT_EQ(name.size(), prefix.size() + 6) << name;
    EXPECT_EQ(temporary_owner(name), ::getpid()) << name;
    struct stat st {};
    ASSERT_EQ(::lstat(t->path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0644u) << "files the user sees get 0666 minus the umask, not mkstemp's 0600";
    EXPECT_EQ(st.st_size, 0);
    ::close(t->fd);
  }
  fs::remove_all(dir);
}

TEST(OutputIntegrity, RunDoesNotFollowLinksPlantedAtTheTemporaryNamesOfItsPid) {
  const fs::path dir = test::fresh_temp_dir("link-run");
  const fs::path victim = dir / "victim.txt";
  test::write_text(victim, kVictimContent);
  test::write_text(dir / "a.toml", scenario_toml(1));
  const fs::path out = dir / "out";
  fs::create_directories(out / "a");
  const auto r = run_lactsim({"run", "-q", (dir / "a.toml").string(), "--out", out.string()}, [&](pid_t child) {
    // The child keeps this pid across exec: these are the names the old code would open.
    for (const char* file : {"timeseries.csv", "daily.csv", "summary.json"}) {
      fs::create_symlink(victim, out / "a" / (std::string(file) + ".tmp-" + std::to_string(child)));
    }
  });
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::read_file(victim), kVictimContent);
  for (const char* file : {"timeseries.csv", "daily.csv", "summary.json"}) {
    EXPECT_FALSE(fs::is_symlink(out / "a" / file)) << file;
    EXPECT_TRUE(fs::is_regular_file(out / "a" / file)) << file;
  }
  fs::remove_all(dir);
}

TEST(OutputIntegrity, SweepDoesNotCreateItsPartialFileThroughAPlantedLink) {
  const fs::path dir = test::fresh_temp_dir("link-sweep");
  const fs::path victim = dir / "victim.txt";
  test::write_text(victim, kVictimContent);
  test::write_text(dir / "s.toml", scenario_toml(1));
  fs::create_symlink(victim, dir / "sweep.csv.partial");
  const auto r = run_lactsim({"sweep", (dir / "s.toml").string(), "--vary", "massage_ot_rise_uU_ml=0:10", "--design",
                              "grid", "-n", "2", "-q", "--out", (dir / "sweep.csv").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("sweep.csv.partial"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("symbolic link"), std::string::npos) << r.err;
  EXPECT_EQ(test::read_file(victim), kVictimContent);
  EXPECT_FALSE(fs::exists(dir / "sweep.csv"));
  fs::remove_all(dir);
}

// ------------------------------------------------------------------ special files at --out

TEST(OutputIntegrity, WriteFileAtomicallyRefusesToReplaceANamedPipeOrAFolder) {
  const fs::path dir = test::fresh_temp_dir("special-unit");
  const fs::path pipe = dir / "result.csv";
  ASSERT_EQ(::mkfifo(pipe.c_str(), 0600), 0) << std::strerror(errno);
  // A rename onto the pipe would replace the pipe itself (as root, onto /dev/full the device).
  EXPECT_THROW(write_file_atomically(pipe, "a,b\n1,2\n"), InputError);
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(pipe)));
  fs::create_directories(dir / "folder");
  EXPECT_THROW(write_file_atomically(dir / "folder", "a\n"), InputError);
  EXPECT_TRUE(fs::is_directory(dir / "folder"));
  EXPECT_TRUE(temporaries_in(dir).empty());
  fs::remove_all(dir);
}

TEST(OutputIntegrity, CompareAndPopulationRefuseANamedPipeAsOutputBeforeAnyWork) {
  const fs::path dir = test::fresh_temp_dir("special-cli");
  test::write_text(dir / "s.toml", scenario_toml(1));
  test::write_text(dir / "pop.toml", "[population]\nsize = 2\nseed = 1\n[population.variability]\n"
                                     "activation_rate_per_h = 0.3\n");
  const fs::path pipe = dir / "cmp.csv";
  ASSERT_EQ(::mkfifo(pipe.c_str(), 0600), 0) << std::strerror(errno);
  const auto before = snapshot(dir);
  for (const std::vector<std::string>& extra : {std::vector<std::string>{}, {"--population", (dir / "pop.toml").string()}}) {
    std::vector<std::string> arguments{"compare", "-q", (dir / "s.toml").string(), (dir / "s.toml").string(), "--out",
                                       pipe.string()};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    const auto r = run_lactsim(arguments);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("named pipe"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::is_fifo(fs::symlink_status(pipe)));
    EXPECT_EQ(changes(before, snapshot(dir)), "");
  }
  // population: mothers.csv is a pipe; refused before the partial file is created.
  fs::create_directories(dir / "pop_out");
  ASSERT_EQ(::mkfifo((dir / "pop_out" / "mothers.csv").c_str(), 0600), 0);
  const auto before_population = snapshot(dir);
  const auto r = run_lactsim({"population", "-q", (dir / "s.toml").string(), "--population",
                              (dir / "pop.toml").string(), "--out", (dir / "pop_out").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(changes(before_population, snapshot(dir)), "");
  fs::remove_all(dir);
}

// `sweep ... -o /dev/stdout` as root replaced /dev/stdout (a link to the terminal or pipe)
// by a regular file and wrote /dev/stdout.manifest.json: a link to a pipe, terminal or device
// names a stream, which the rename would never reach. A FIFO and /dev/null stand in for it.
TEST(OutputIntegrity, ALinkToAPipeOrADeviceIsRefusedAsOutputAndNothingIsCreated) {
  const fs::path dir = test::fresh_temp_dir("special-link");
  test::write_text(dir / "s.toml", scenario_toml(1));
  ASSERT_EQ(::mkfifo((dir / "pipe").c_str(), 0600), 0) << std::strerror(errno);
  fs::create_symlink(dir / "pipe", dir / "to_pipe.csv");
  fs::create_symlink("/dev/null", dir / "to_null.csv");
  const auto before = snapshot(dir);
  for (const std::string link : {"to_pipe.csv", "to_null.csv"}) {
    SCOPED_TRACE(link);
    EXPECT_THROW(write_file_atomically(dir / link, "a\n"), InputError);
    const auto r = run_lactsim({"sweep", (dir / "s.toml").string(), "--vary", "activation_rate_per_h=0.02:0.05", "-n",
                                "3", "-q", "-o", (dir / link).string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(link == "to_pipe.csv" ? "named pipe" : "device"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;  // the argument
    EXPECT_EQ(changes(before, snapshot(dir)), "");
  }
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  // A link to a regular file is still replaced (never followed), as before.
  test::write_text(dir / "old.csv", "old\n");
  fs::create_symlink(dir / "old.csv", dir / "to_file.csv");
  ASSERT_NO_THROW(write_file_atomically(dir / "to_file.csv", "new\n"));
  EXPECT_EQ(test::read_file(dir / "old.csv"), "old\n");
  EXPECT_EQ(test::read_file(dir / "to_file.csv"), "new\n");
  fs::remove_all(dir);
}

// With -o NAME of 242 bytes, sweep computed every sample and then could not create
// NAME.manifest.json (256 bytes > NAME_MAX), exit 1 and a .partial left behind. The name plus
// the longest suffix lactsim adds (".manifest.json", 14 bytes) must fit 255 bytes: checked first.
TEST(OutputIntegrity, AnOutputNameTooLongForTheFilesBesideItIsRefusedBeforeAnyWork) {
  const fs::path dir = test::fresh_temp_dir("long-name");
  test::write_text(dir / "s.toml", scenario_toml(1));
  const auto sweep_into = [&](std::size_t name_bytes) {
    const std::string name = std::string(name_bytes - 4, 'a') + ".csv";
    return run_lactsim({"sweep", (dir / "s.toml").string(), "--vary", "activation_rate_per_h=0.02:0.05", "-n", "3",
                        "-q", "-o", (dir / name).string()});
  };
  const auto before = snapshot(dir);
  for (const std::size_t too_long : {std::size_t{242}, std::size_t{250}}) {
    const auto r = sweep_into(too_long);
    EXPECT_EQ(r.exit_code, 2) << too_long << ": " << r.err;
    EXPECT_NE(r.err.find(std::to_string(too_long) + " bytes"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(".manifest.json"), std::string::npos) << r.err;
    EXPECT_EQ(changes(before, snapshot(dir)), "");
  }
  for (const std::size_t fits : {std::size_t{241}, std::size_t{200}}) {  // 241 = 255 - 14
    const auto r = sweep_into(fits);
    EXPECT_EQ(r.exit_code, 0) << fits << ": " << r.err;
    const std::string name = std::string(fits - 4, 'a') + ".csv";
    EXPECT_TRUE(fs::is_regular_file(dir / name));
    EXPECT_TRUE(fs::is_regular_file(dir / (name + ".manifest.json")));
  }
  fs::remove_all(dir);
}

// ------------------------------------------------------------------ all-or-nothing --out

/// Two scenarios run into `out`: a (1 day) and b (7 days), at a 60-minute output step.
struct TwoScenarios {
  fs::path dir, a, b, out;
};

TwoScenarios two_scenarios_with_old_results(const fs::path& out_parent, const std::string& tag) {
  TwoScenarios s;
  s.dir = test::fresh_temp_dir(tag);
  s.a = s.dir / "a.toml";
  s.b = s.dir / "b.toml";
  test::write_text(s.a, scenario_toml(1));
  test::write_text(s.b, scenario_toml(7));
  s.out = out_parent / "out";
  const auto first = run_lactsim({"run", "-q", s.a.string(), s.b.string(), "--output-step-min", "60", "--out",
                                  s.out.string()});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  return s;
}

/// The second run: 1-minute output, so a's timeseries.csv is about 0.3 MB and b's about 2 MB.
std::vector<std::string> fine_run_arguments(const TwoScenarios& s) {
  return {"run", "-q", s.a.string(), s.b.string(), "--output-step-min", "1", "--out", s.out.string()};
}

TEST(OutputIntegrity, FailureWritingTheSecondScenarioLeavesEveryOldResultByteIdentical) {
  const fs::path parent = test::fresh_temp_dir("efbig");
  const TwoScenarios s = two_scenarios_with_old_results(parent, "efbig-in");
  const auto before = snapshot(s.out);
  ASSERT_TRUE(before.count("a/timeseries.csv") && before.count("b/timeseries.csv"));
  // 1 MB per file: a's outputs fit, b's timeseries.csv does not (EFBIG, as on a full disk).
  const auto r = run_lactsim(fine_run_arguments(s), {}, 1 << 20);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("cannot write"), std::string::npos) << r.err;
  EXPECT_EQ(changes(before, snapshot(s.out)), "") << "a failed run changed files under --out";
  EXPECT_TRUE(temporaries_in(s.out).empty());
  // Without the limit the same run succeeds and replaces both folders.
  const auto ok = run_lactsim(fine_run_arguments(s));
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_GT(fs::file_size(s.out / "a" / "timeseries.csv"), before.at("a/timeseries.csv").size());
  EXPECT_TRUE(temporaries_in(s.out).empty());
  fs::remove_all(parent);
  fs::remove_all(s.dir);
}

TEST(OutputIntegrity, AFolderThatCannotBeReplacedRollsBackTheFoldersAlreadyReplaced) {
  const fs::path parent = test::fresh_temp_dir("rollback");
  const TwoScenarios s = two_scenarios_with_old_results(parent, "rollback-in");
  // A file where b's folder must go: b fails at the very end, after a was put in place.
  fs::remove_all(s.out / "b");
  test::write_text(s.out / "b", "a user's file named b\n");
  const auto before = snapshot(s.out);
  const auto r = run_lactsim(fine_run_arguments(s));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find((s.out / "b").string()), std::string::npos) << r.err;
  EXPECT_EQ(changes(before, snapshot(s.out)), "") << "a failed run changed files under --out";
  EXPECT_TRUE(temporaries_in(s.out).empty());
  fs::remove_all(parent);
  fs::remove_all(s.dir);
}

TEST(OutputIntegrity, DiskFullOnATinyTmpfsLeavesOldResultsIntact) {
  const fs::path mount_point = test::fresh_temp_dir("tmpfs");
  if (::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=1m") != 0) {
    const std::string reason = std::strerror(errno);
    fs::remove_all(mount_point);
    GTEST_SKIP() << "cannot mount a 1 MB tmpfs here (" << reason
                 << "; needs root or CAP_SYS_ADMIN): the RLIMIT_FSIZE test covers the same failure without it";
  }
  const TwoScenarios s = two_scenarios_with_old_results(mount_point, "tmpfs-in");
  const auto before = snapshot(s.out);
  ASSERT_TRUE(before.count("b/summary.json"));
  const auto r = run_lactsim(fine_run_arguments(s));  // a fits in 1 MB, b does not
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  EXPECT_EQ(changes(before, snapshot(s.out)), "") << "a failed run changed files under --out";
  EXPECT_TRUE(temporaries_in(s.out).empty()) << "the staged files must be removed to give the space back";
  ::umount2(mount_point.c_str(), MNT_DETACH);
  fs::remove_all(mount_point);
  fs::remove_all(s.dir);
}

// --plot must never change a successful command's exit code (issue #15): a gnuplot failure made
// `run --plot` exit 1 and discard the results it had computed.
TEST(OutputIntegrity, FailingPlotCommitsTheResultsAndLeavesTheFiguresAsTheyWere) {
  const fs::path parent = test::fresh_temp_dir("plot-fail");
  const TwoScenarios s = two_scenarios_with_old_results(parent, "plot-fail-in");
  test::write_text(s.out / "figures" / "daily_milk.png", "an earlier figure\n");
  const auto before = snapshot(s.out);
  const fs::path fake = s.dir / "fake-gnuplot";
  test::write_text(fake, "#!/bin/sh\necho 'simulated gnuplot crash' >&2\nexit 1\n");
  fs::permissions(fake, fs::perms::owner_all);
  ::setenv("LACTSIM_GNUPLOT", fake.c_str(), 1);
  auto arguments = fine_run_arguments(s);
  arguments.push_back("--plot");
  const auto r = run_lactsim(arguments);
  ::unsetenv("LACTSIM_GNUPLOT");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("lactsim: no figure drawn:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("simulated gnuplot crash"), std::string::npos) << r.err;
  const auto after = snapshot(s.out);
  EXPECT_GT(after.at("a/timeseries.csv").size(), before.at("a/timeseries.csv").size()) << "the results are committed";
  EXPECT_GT(after.at("b/timeseries.csv").size(), before.at("b/timeseries.csv").size()) << "the results are committed";
  EXPECT_EQ(changes(before, after).find("figures/"), std::string::npos) << "figures/ stays as it was: " << changes(before, after);
  EXPECT_TRUE(temporaries_in(s.out).empty());
  fs::remove_all(parent);
  fs::remove_all(s.dir);
}

// `fit --plot` wrote its outputs, then exited 1 when gnuplot failed.
TEST(OutputIntegrity, FailingPlotLeavesAFitsExitCodeAtZero) {
  const fs::path dir = test::fresh_temp_dir("fit-plot-fail");
  ::setenv("LACTSIM_GNUPLOT", "/bin/false", 1);
  const auto r = run_lactsim({"fit", "-q", test::scenario_path("reference_vaginal.toml").string(), "--free",
                              "milk_max_synthesis_ml_h", "--plot", "--out", (dir / "fit").string()});
  ::unsetenv("LACTSIM_GNUPLOT");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("lactsim: no figure drawn:"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "fit" / "fit.json"));
  EXPECT_TRUE(fs::is_regular_file(dir / "fit" / "observed.csv"));
  fs::remove_all(dir);
}

TEST(OutputIntegrity, PlotKeepsFilesAlreadyInTheFiguresFolder) {
  const fs::path dir = test::fresh_temp_dir("plot-keep");
  test::write_text(dir / "a.toml", scenario_toml(1));
  test::write_text(dir / "out" / "figures" / "notes.txt", "the user's notes\n");
  test::write_text(dir / "out" / "figures" / "older" / "sweep_grid.png", "an older figure\n");
  const auto r = run_lactsim({"run", "-q", (dir / "a.toml").string(), "--plot", "--out", (dir / "out").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "out" / "figures" / "daily_milk.png"));
  EXPECT_EQ(test::read_file(dir / "out" / "figures" / "notes.txt"), "the user's notes\n");
  EXPECT_EQ(test::read_file(dir / "out" / "figures" / "older" / "sweep_grid.png"), "an older figure\n");
  EXPECT_TRUE(temporaries_in(dir / "out").empty());
  fs::remove_all(dir);
}

TEST(OutputIntegrity, PlotNeverWritesThroughALinkedFiguresFolder) {
  // `lactsim plot DIR` (and the --plot of fit and sweep) wrote into wherever a planted
  // DIR/figures symlink pointed, replacing same-named files there.
  const fs::path dir = test::fresh_temp_dir("plot-linked-figures");
  test::write_text(dir / "a.toml", scenario_toml(1));
  ASSERT_EQ(run_lactsim({"run", "-q", (dir / "a.toml").string(), "--out", (dir / "out").string()}).exit_code, 0);
  test::write_text(dir / "victim" / "daily_milk.gp", kVictimContent);
  fs::create_symlink(dir / "victim", dir / "out" / "figures");
  const auto r = run_lactsim({"plot", "-q", (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("a file or link has this name"), std::string::npos) << r.err;
  EXPECT_EQ(test::read_file(dir / "victim" / "daily_milk.gp"), kVictimContent);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "victim"), fs::directory_iterator{}), 1);
  EXPECT_TRUE(temporaries_in(dir / "out").empty());
  fs::remove_all(dir);
}

TEST(OutputIntegrity, AFileSizeLimitEndsWithExitOneNotASignal) {
  // Under `ulimit -f` a write past the limit raised SIGXFSZ, whose default action killed
  // lactsim (status 153) with no message; it must fail like a full disk: exit 1, said why.
  const fs::path dir = test::fresh_temp_dir("fsize-signal");
  test::write_text(dir / "a.toml", scenario_toml(1));
  const auto r = run_lactsim({"run", "-q", (dir / "a.toml").string(), "--out", (dir / "out").string()}, {}, 4096,
                             /*ignore_file_size_signal=*/false);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("lactsim: error:"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out" / "a"));
  fs::remove_all(dir);
}

// ------------------------------------------------------------------ result folder names

TEST(OutputIntegrity, ScenarioFileNamesCannotPlaceResultsOutsideOrOverLactsimsOwnFolders) {
  const fs::path dir = test::fresh_temp_dir("names");
  const fs::path inputs = dir / "in";
  // File name → why its stem cannot be a result folder.
  const std::vector<std::string> hostile = {
      "...toml",        // stem "..": the parent of --out
      "..toml",         // stem ".": --out itself
      ".hidden.toml",   // dot names are lactsim's temporaries
      "-rf.toml",       // read as an option by shell tools
      "figures.toml",   // --plot's folder
      "a\nb.toml",      // control characters
      "tab\there.toml",
      "esc\x1b[31m.toml",
      "del\x7f.toml",
      "c1\xc2\x85.toml",        // U+0085 NEXT LINE
      "ls\xe2\x80\xa8.toml",    // U+2028 LINE SEPARATOR
      std::string(201, 'L') + ".toml",  // figure names built from it exceed 255 bytes
  };
  for (const std::string& name : hostile) {
    const fs::path file = inputs / name;
    test::write_text(file, scenario_toml(1));
    const fs::path out = dir / "deep" / "out";
    const auto r = run_lactsim({"run", "-q", file.string(), "--out", out.string()});
    EXPECT_EQ(r.exit_code, 2) << "file name '" << name << "': " << r.err;
    EXPECT_NE(r.err.find("result folder"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "deep")) << "file name '" << name << "' wrote outside or into --out";
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "the message must not replay control characters";
    // check validates what run would accept, file names included (one validation path).
    const auto checked = run_lactsim({"check", file.string()});
    EXPECT_EQ(checked.exit_code, 2) << "check accepted file name '" << name << "' that run refuses";
    EXPECT_NE(checked.err.find("result folder"), std::string::npos) << checked.err;
    fs::remove(file);
    fs::remove_all(dir / "deep");
  }
  fs::remove_all(dir);
}

TEST(OutputIntegrity, SameStemFromTwoFoldersIsRefusedNamingBothFiles) {
  const fs::path dir = test::fresh_temp_dir("same-stem");
  test::write_text(dir / "x" / "mother.toml", scenario_toml(1));
  test::write_text(dir / "y" / "mother.toml", scenario_toml(2));
  const auto r = run_lactsim({"run", "-q", (dir / "x" / "mother.toml").string(), (dir / "y" / "mother.toml").string(),
                              "--out", (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find((dir / "x" / "mother.toml").string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find((dir / "y" / "mother.toml").string()), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  const auto checked =
      run_lactsim({"check", (dir / "x" / "mother.toml").string(), (dir / "y" / "mother.toml").string()});
  EXPECT_EQ(checked.exit_code, 2) << "check accepted two files that run refuses together: " << checked.err;
  fs::remove_all(dir);
}

TEST(OutputIntegrity, UnusualButHarmlessFileNamesKeepTheirStemAsFolder) {
  const fs::path dir = test::fresh_temp_dir("nice-names");
  const std::vector<std::string> stems = {"day 1 (control)", "s\xc3\xa4ugling", "a.b", "x-"};
  std::vector<std::string> arguments = {"run", "-q", "--out", (dir / "out").string()};
  for (const std::string& stem : stems) {
    test::write_text(dir / (stem + ".toml"), scenario_toml(1));
    arguments.push_back((dir / (stem + ".toml")).string());
  }
  const auto r = run_lactsim(arguments);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string& stem : stems) EXPECT_TRUE(fs::is_regular_file(dir / "out" / stem / "summary.json")) << stem;
  fs::remove_all(dir);
}

// ------------------------------------------------------------------ stale temporaries

TEST(OutputIntegrity, TemporariesOfDeadProcessesAreRemovedOnTheNextRunIntoTheFolder) {
  const fs::path dir = test::fresh_temp_dir("stale");
  test::write_text(dir / "a.toml", scenario_toml(1));
  const fs::path out = dir / "out";
  const std::string dead = std::to_string(dead_pid()), alive = std::to_string(::getpid());
  const fs::path stale_file = out / (".daily.csv.tmp-" + dead + "-Ab3dEf");
  const fs::path stale_folder = out / (".lactsim-run.tmp-" + dead + "-Zz9yYx");
  const fs::path live_file = out / (".daily.csv.tmp-" + alive + "-Qwe123");
  const fs::path not_ours = out / ("notes.tmp-" + dead);
  test::write_text(stale_file, "left by a SIGKILL\n");
  test::write_text(stale_folder / "new" / "a" / "timeseries.csv", "left by a SIGKILL\n");
  test::write_text(live_file, "a running process is still writing this\n");
  test::write_text(not_ours, "a user's file\n");
  const auto r = run_lactsim({"run", "-q", (dir / "a.toml").string(), "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(stale_file));
  EXPECT_FALSE(fs::exists(stale_folder));
  EXPECT_TRUE(fs::exists(live_file)) << "its owner is alive";
  EXPECT_TRUE(fs::exists(not_ours)) << "not a name lactsim gives its temporaries";
  fs::remove_all(dir);
}

TEST(OutputIntegrity, WriteFileAtomicallyRemovesStaleTemporariesBesideIt) {
  const fs::path dir = test::fresh_temp_dir("stale-unit");
  const fs::path stale = dir / (".merged.csv.tmp-" + std::to_string(dead_pid()) + "-k9LmN0");
  test::write_text(stale, "left by a SIGKILL\n");
  write_file_atomically(dir / "merged.csv", "sample\n0\n");
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_EQ(test::read_file(dir / "merged.csv"), "sample\n0\n");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace lactsim
