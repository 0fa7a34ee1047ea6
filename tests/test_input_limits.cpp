// Limits on what lactsim reads (issue #12 items 5, 6 and 11): files, TOML nesting, command-line
// counts and the syntax of numbers typed by the user. Each over-limit input is bad input
// (exit 2) with one message naming the file and line, or the flag, and the limit.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lactsim/analysis/design.hpp"
#include "lactsim/engine/errors.hpp"
#include "lactsim/fit/fit.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/json_reader.hpp"
#include "lactsim/io/parameter_set.hpp"
#include "lactsim/io/run_scenarios.hpp"
#include "lactsim/io/scenario.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;
using test::quoted;

const std::string kScenarioHead =
    "[scenario]\nname = \"limits\"\nduration_days = 3\n[delivery]\nmode = \"vaginal\"\n";

/// `text` as one single-quoted shell word.
std::string shell_word(const std::string& text) {
  std::string word = "'";
  for (char c : text) word += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return word + "'";
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUnderAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kUnderAddressSanitizer = true;
#else
constexpr bool kUnderAddressSanitizer = false;
#endif
#else
constexpr bool kUnderAddressSanitizer = false;
#endif

/// Shell text that caps the memory of the command after it at 3 GiB, so that a regression to
/// reading an endless file into memory fails instead of exhausting the machine: an
/// address-space limit, or under AddressSanitizer (which reserves terabytes of address space
/// for its shadow memory, so `ulimit -v` stops it at start-up) its own resident-memory limit.
std::string memory_cap() {
  return kUnderAddressSanitizer ? "export ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=3072\"; "
                                : "ulimit -v 3145728; ";
}

/// Runs the CLI with memory_cap(); with `timeout_s` > 0 killed after that many seconds (exit
/// 124), so that a regression to blocking on a FIFO fails instead of hanging the suite.
test::CliResult run_cli_with_memory_cap(const std::string& arguments, int timeout_s = 0) {
  const auto dir = test::fresh_temp_dir("ulimit");
  const auto out = dir / "stdout", err = dir / "stderr";
  const std::string timeout = timeout_s > 0 ? "timeout " + std::to_string(timeout_s) + " " : "";
  const std::string command = memory_cap() + timeout + "'" + std::string(LACTSIM_CLI) + "' " + arguments + " >'" +
                              out.string() + "' 2>'" + err.string() + "' </dev/null";
  const int status = std::system(("sh -c " + shell_word(command)).c_str());
  test::CliResult result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, test::read_file(out), test::read_file(err)};
  fs::remove_all(dir);
  return result;
}

/// `parts` copies of "a" joined by dots.
std::string dotted_key(std::size_t parts) {
  std::string key = "a";
  for (std::size_t i = 1; i < parts; ++i) key += ".a";
  return key;
}

// ------------------------------------------------------------------ item 5: deep TOML keys

TEST(InputLimits, ADottedKeyOfFortyThousandPartsIsRefusedNotACrash) {
  // An 80 KB key once overflowed the stack inside toml++ (SIGSEGV).
  const auto dir = test::fresh_temp_dir("deep-key");
  const fs::path scenario = dir / "deep.toml";
  test::write_text(scenario, kScenarioHead + "[parameters]\n" + dotted_key(40'000) + " = 1\n");
  const auto r = test::run_cli("check " + quoted(scenario));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(scenario.string() + ":7:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nested more than " + std::to_string(limits::kMaxTomlNesting)), std::string::npos) << r.err;
  fs::remove_all(dir);
}

TEST(InputLimits, ATableHeaderOfFortyThousandPartsIsRefusedAsAScenarioAndAsAParameterSet) {
  const auto dir = test::fresh_temp_dir("deep-header");
  const fs::path params = dir / "deep_params.toml";
  test::write_text(params, "# a parameter set\n[" + dotted_key(40'000) + "]\nx = 1\n");
  const auto r = test::run_cli("run " + quoted(test::scenario_path("seed_case_control.toml")) + " --params " +
                               quoted(params) + " --out " + quoted(dir / "out"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(params.string() + ":2:"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  const auto check = test::run_cli("check " + quoted(params));
  EXPECT_EQ(check.exit_code, 2) << check.err;
  EXPECT_NE(check.err.find(params.string() + ":2:"), std::string::npos) << check.err;
  fs::remove_all(dir);
}

// "[" repeated 300,000 times (as summary.json for `lactsim plot`) overflowed the stack of the
// recursive JSON reader. The 257th "[" (column 257 of line 1) is one level too deep.
TEST(InputLimits, JsonNestedDeeperThanTheLimitIsRefusedNotACrash) {
  try {
    parse_json(std::string(300'000, '['), "deep.json");
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where().file, "deep.json");
    EXPECT_EQ(error.where().line, 1);
    EXPECT_EQ(error.where().column, 257);
    EXPECT_NE(std::string(error.what()).find("nesting deeper than 256"), std::string::npos) << error.what();
  }
  // 256 levels, arrays and objects mixed, are read.
  std::string deepest;
  for (int level = 0; level < 128; ++level) deepest += "[{\"k\":";
  deepest += "1";
  for (int level = 0; level < 128; ++level) deepest += "}]";
  const auto root = parse_json(deepest, "deepest.json");
  const JsonNode* node = root.get();
  for (int level = 0; level < 128; ++level) node = node->members.at(0).second->member("k");
  EXPECT_EQ(node->number, 1.0);
}

TEST(InputLimits, NestingCountsKeysHeadersArraysAndInlineTablesTogether) {
  // Each of these is nested one level beyond the limit, by a different route.
  const std::size_t n = limits::kMaxTomlNesting;
  std::string arrays = "x = ";
  for (std::size_t i = 0; i <= n; ++i) arrays += "[";
  for (std::size_t i = 0; i <= n; ++i) arrays += "]";
  std::string inline_tables = "x = ";
  for (std::size_t i = 0; i < n; ++i) inline_tables += "{ y = ";
  inline_tables += "1";
  for (std::size_t i = 0; i < n; ++i) inline_tables += " }";
  struct Case {
    std::string label, text;
    int line;  // of the part, array or table that goes one level too deep
  };
  const std::vector<Case> cases = {
      {"dotted key", dotted_key(n + 1) + " = 1\n", 2},
      {"header + key", "[" + dotted_key(n / 2) + "]\n" + dotted_key(n / 2 + 1) + " = 1\n", 3},
      {"arrays", arrays + "\n", 2},
      {"arrays over lines", "x = [\n" + arrays.substr(5) + "\n]\n", 3},
      {"inline tables", inline_tables + "\n", 2},
      {"quoted parts", "[" + dotted_key(n) + ".'b.c']\nx = 1\n", 2},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    try {
      parse_scenario("# deep\n" + c.text, "deep.toml");
      ADD_FAILURE() << "accepted";
    } catch (const InputError& error) {
      EXPECT_EQ(error.where().line, c.line) << error.what();
      EXPECT_NE(std::string(error.what()).find("nested more than"), std::string::npos) << error.what();
    }
  }
  // At the limit, and with dots inside quoted key parts, strings, numbers and dates, nothing is
  // refused for depth (these files fail later, for their content).
  std::string floats = "x = [";
  for (std::size_t i = 0; i < 2 * n; ++i) floats += "1.5, ";
  const std::vector<std::string> accepted = {
      dotted_key(n) + " = 1\n",
      dotted_key(n - 1) + ".'b.c.d' = 1.5\n",
      floats + "2.5]\n",
      "[" + dotted_key(n - 1) + "]\nx = \"a.b.c.d.e.f\"\ny = 1979-05-27T07:32:00.999\n",
      "x = { " + dotted_key(n - 2) + " = { y = 1.5 } }\n",
  };
  for (const std::string& text : accepted) {
    SCOPED_TRACE(text.substr(0, 60));
    try {
      parse_scenario("# deep\n" + text, "at_limit.toml");
      ADD_FAILURE() << "a scenario without [scenario] was accepted";
    } catch (const InputError& error) {
      EXPECT_EQ(std::string(error.what()).find("nested more than"), std::string::npos) << error.what();
    }
  }
}

// ------------------------------------------------------------------ item 6: file sizes

TEST(InputLimits, AnEndlessFileAsParamsDesignOrShardIsRefusedAtTheFirstLongLine) {
  const std::string scenario = quoted(test::scenario_path("seed_case_control.toml"));
  struct Case {
    std::string label, arguments;
  };
  const std::vector<Case> cases = {
      {"--params", "run " + scenario + " --params /dev/zero -q --out /nonexistent/never"},
      {"--design", "sweep " + scenario + " --design file:/dev/zero"},
      {"merge", "merge /dev/zero"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    const auto r = run_cli_with_memory_cap(c.arguments);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("/dev/zero:1:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("longer than the limit of " + std::to_string(limits::kMaxLineBytes)), std::string::npos)
        << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST(InputLimits, ATomlFileOverTheSizeLimitIsRefusedNamingTheLineWhereTheLimitWasReached) {
  const auto dir = test::fresh_temp_dir("big-toml");
  const fs::path big = dir / "big.toml";
  {
    std::ofstream out(big, std::ios::binary);
    out << kScenarioHead;
    const std::string comment = "# " + std::string(1000, 'x') + "\n";
    for (std::size_t written = 0; written <= limits::kMaxTomlFileBytes; written += comment.size()) out << comment;
  }
  const auto r = test::run_cli("check " + quoted(big));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("larger than the limit of " + std::to_string(limits::kMaxTomlFileBytes)), std::string::npos)
      << r.err;
  // The limit is reached on line 6 + floor(limit / 1003): the head's 5 lines are 73 bytes.
  const std::size_t line = 6 + (limits::kMaxTomlFileBytes - 73) / 1003;
  EXPECT_NE(r.err.find(big.string() + ":" + std::to_string(line) + ":"), std::string::npos) << r.err;
  fs::remove_all(dir);
}

TEST(InputLimits, AFifoIsReadUpToTheLimitOnly) {
  const auto dir = test::fresh_temp_dir("fifo");
  const fs::path fifo = dir / "pipe.toml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // The writer sends more than the limit allows and is killed by SIGPIPE when lactsim stops reading.
  // `timeout` ends the writer even if lactsim never opens the FIFO (it would block on open).
  // A parameter set (--params) is read from a FIFO; a scenario file must be a regular file.
  const std::string writer = "(timeout 120 yes '# comment' > " + quoted(fifo) + " 2>/dev/null &) ; ";
  const auto dir_out = dir / "stderr";
  const std::string command = writer + memory_cap() + "'" + std::string(LACTSIM_CLI) + "' run " +
                              quoted(test::scenario_path("seed_case_control.toml")) + " --params " + quoted(fifo) +
                              " -q --out /nonexistent/never 2>" + quoted(dir_out) + " >/dev/null";
  const int status = std::system(("sh -c " + shell_word(command)).c_str());
  const std::string err = test::read_file(dir_out);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2) << err;
  EXPECT_NE(err.find("larger than the limit of"), std::string::npos) << err;
  fs::remove_all(dir);
}

// `lactsim check FIFO` blocked on the open until a writer came; /dev/zero was read up to the
// line limit. A scenario is refused as "not a regular file" before it is opened.
TEST(InputLimits, AScenarioThatIsAFifoOrADeviceIsRefusedBeforeItIsOpened) {
  const auto dir = test::fresh_temp_dir("fifo-scenario");
  const fs::path fifo = dir / "pipe.toml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  fs::create_symlink(fifo, dir / "link.toml");
  struct Case {
    fs::path file;
    std::string kind;
  };
  for (const Case& c : {Case{fifo, "named pipe"}, Case{dir / "link.toml", "named pipe"},
                        Case{"/dev/zero", "device"}}) {
    SCOPED_TRACE(c.file.string());
    for (const std::string& command : {std::string("check "), "run -q --out " + quoted(dir / "out") + " "}) {
      const auto r = run_cli_with_memory_cap(command + quoted(c.file), 60);
      EXPECT_EQ(r.exit_code, 2) << r.err;
      EXPECT_NE(r.err.find(c.file.string()), std::string::npos) << r.err;
      EXPECT_NE(r.err.find(c.kind + ", not a regular file"), std::string::npos) << r.err;
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
  }
  EXPECT_FALSE(fs::exists(dir / "out"));
  fs::remove_all(dir);
}

// `lactsim plot DIR` with the run's scenario.toml copy gone and a FIFO where summary.json's
// absolute_file points blocked forever on opening it. It is passed over like a missing file,
// and the run's observed.csv is drawn instead.
TEST(InputLimits, PlotPassesOverAFifoWhereTheScenarioFileWas) {
  const auto dir = test::fresh_temp_dir("fifo-plot");
  test::write_text(dir / "s.toml", test::short_vaginal_scenario_toml("s"));
  const auto run = test::run_cli("run " + quoted(dir / "s.toml") + " -q --out " + quoted(dir / "out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_TRUE(fs::remove(dir / "out" / "s" / kScenarioCopyFileName));
  fs::remove(dir / "s.toml");
  ASSERT_EQ(::mkfifo((dir / "s.toml").c_str(), 0600), 0);
  const auto r = run_cli_with_memory_cap("plot " + quoted(dir / "out"), 120);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "out" / "figures" / "daily_milk.png")) << r.err;
  EXPECT_TRUE(fs::is_fifo(dir / "s.toml"));
  fs::remove_all(dir);
}

TEST(InputLimits, ReadBoundedKeepsFilesWithinTheLimits) {
  std::istringstream small("a\nbb\nccc\n");
  EXPECT_EQ(read_bounded(small, "small.txt", 100, ""), "a\nbb\nccc\n");
  std::istringstream exact(std::string(10, 'x'));
  EXPECT_EQ(read_bounded(exact, "exact.txt", 10, "").size(), 10u);
  std::istringstream over("0123\n5678\nab");
  try {
    read_bounded(over, "over.txt", 10, "--thing");
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where().file, "over.txt");
    EXPECT_EQ(error.where().line, 3);  // byte 11 lies on line 3
    EXPECT_EQ(error.field(), "--thing");
  }
}

// ------------------------------------------------------------------ item 6: counts on the command line

TEST(InputLimits, EveryCountFlagRefusesNegativeHexAndOutOfRangeValuesNamingTheFlagAndItsRange) {
  // A missing scenario: should a flag slip through, the command still stops (exit 2, but
  // without naming the flag) rather than running 2^64 - 1 samples.
  const std::string missing = "/nonexistent/scenario.toml";
  struct Case {
    std::string arguments, flag, range;
  };
  const std::string samples_range = "[1 - " + std::to_string(limits::kMaxSamples) + "]";
  const std::string threads_range = "[0 - " + std::to_string(limits::kMaxThreads) + "]";
  const std::string seed_range = "[0 - 18446744073709551615]";
  const std::vector<Case> cases = {
      {"sweep " + missing + " -n -1", "--samples", samples_range},
      {"sweep " + missing + " -n 0x10", "--samples", samples_range},
      {"sweep " + missing + " -n ' 3'", "--samples", samples_range},
      {"sweep " + missing + " -n " + std::to_string(limits::kMaxSamples + 1), "--samples", samples_range},
      {"sweep " + missing + " --seed -1", "--seed", seed_range},
      {"sweep " + missing + " --seed 18446744073709551616", "--seed", seed_range},
      {"sweep " + missing + " -j -1", "--threads", threads_range},
      {"sweep " + missing + " --block-size 0", "--block-size", "[1 - 16777216]"},
      {"sensitivity " + missing + " --vary massage_ot_rise_uU_ml=0:1 -n -1", "--samples", samples_range},
      {"sensitivity " + missing + " --vary massage_ot_rise_uU_ml=0:1 --bootstrap -1", "--bootstrap",
       "[0 - " + std::to_string(limits::kMaxBootstrap) + "]"},
      {"sensitivity " + missing + " --vary massage_ot_rise_uU_ml=0:1 --levels -2", "--levels",
       "[2 - " + std::to_string(limits::kMaxMorrisLevels) + "]"},
      {"sensitivity " + missing + " --vary massage_ot_rise_uU_ml=0:1 --seed -1", "--seed", seed_range},
      {"sensitivity " + missing + " --vary massage_ot_rise_uU_ml=0:1 -j 100000", "--threads", threads_range},
      {"fit " + missing + " --free milk_synthesis_max_ml_per_h --multistart 18446744073709551615", "--multistart",
       "[0 - " + std::to_string(limits::kMaxMultistart) + "]"},
      {"fit " + missing + " --free milk_synthesis_max_ml_per_h --seed -1", "--seed", seed_range},
      {"fit " + missing + " --free milk_synthesis_max_ml_per_h --profile-points 0x10", "--profile-points",
       "[3 - 101]"},
      {"fit " + missing + " --free milk_synthesis_max_ml_per_h --max-iterations -1", "--max-iterations",
       "[1 - 100000]"},
      {"compare " + missing + " -j -1", "--threads", threads_range},
      {"merge " + missing + " -n -1", "--samples", "[0 - " + std::to_string(limits::kMaxSamples) + "]"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.arguments);
    const auto r = test::run_cli(c.arguments);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(c.flag), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.range), std::string::npos) << r.err;
  }
}

TEST(InputLimits, CountFlagsAcceptTheirWholeRange) {
  // The extremes reach the command (which then fails for the missing scenario, not the flag).
  const std::string missing = "/nonexistent/scenario.toml";
  for (const std::string& arguments :
       {"sweep " + missing + " -n 1 --seed 18446744073709551615 -j 0",
        "sweep " + missing + " -n " + std::to_string(limits::kMaxSamples) + " --seed 0 -j " +
            std::to_string(limits::kMaxThreads),
        "sweep " + missing + " -n 007",
        "fit " + missing + " --free milk_synthesis_max_ml_per_h --multistart " +
            std::to_string(limits::kMaxMultistart)}) {
    SCOPED_TRACE(arguments);
    const auto r = test::run_cli(arguments);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("/nonexistent/scenario.toml"), std::string::npos) << r.err;
  }
}

TEST(InputLimits, HelpStatesTheRangeOfEveryCountFlag) {
  const auto sweep = test::run_cli("sweep --help");
  EXPECT_NE(sweep.out.find("[1 - " + std::to_string(limits::kMaxSamples) + "]"), std::string::npos) << sweep.out;
  EXPECT_NE(sweep.out.find("[0 - " + std::to_string(limits::kMaxThreads) + "]"), std::string::npos) << sweep.out;
  const auto fit = test::run_cli("fit --help");
  EXPECT_NE(fit.out.find("[0 - " + std::to_string(limits::kMaxMultistart) + "]"), std::string::npos) << fit.out;
}

// ------------------------------------------------------------------ item 11: numbers typed by the user

TEST(InputLimits, NumbersMustBePlainDecimalOrScientific) {
  for (const char* text : {"3", "-3", "+3", "0.5", ".5", "5.", "1e-3", "1E+3", "-2.5e10"}) {
    EXPECT_TRUE(parse_plain_number(text).has_value()) << text;
  }
  EXPECT_DOUBLE_EQ(*parse_plain_number("1e-3"), 1e-3);
  EXPECT_DOUBLE_EQ(*parse_plain_number("+3"), 3.0);
  for (const char* text : {"", " 3", "3 ", "0x10", "0X1p3", "inf", "-inf", "nan", "1e999", "3,5", "1_000", "+", "-",
                           "e5", "3e", "++3", "+-3", "\t3", "3\n"}) {
    EXPECT_FALSE(parse_plain_number(text).has_value()) << "'" << text << "'";
  }
}

TEST(InputLimits, SetVaryBoundAndDesignCellsRefuseHexAndPaddedNumbers) {
  const SourceLocation command_line{"<command line>", 0, 0};
  for (const char* value : {"0x10", " 3", "3 ", "inf"}) {
    SCOPED_TRACE(value);
    EXPECT_THROW(parse_parameter_assignment(std::string("massage_ot_rise_uU_ml=") + value, command_line), InputError);
    EXPECT_THROW(parse_parameter_range(std::string("massage_ot_rise_uU_ml=") + value + ":20", command_line),
                 InputError);
    EXPECT_THROW(parse_bound_assignment(std::string("milk_synthesis_max_ml_per_h=") + value + ":60"), InputError);
  }
  EXPECT_DOUBLE_EQ(parse_parameter_assignment("massage_ot_rise_uU_ml=1e1", command_line).value, 10.0);
  const auto dir = test::fresh_temp_dir("design-hex");
  test::write_text(dir / "hex.csv", "massage_ot_rise_uU_ml\n1\n0x10\n");
  try {
    Design::from_csv(dir / "hex.csv");
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where().line, 3) << error.what();
  }
  // Spaces around a cell belong to the CSV layout, not to the number.
  test::write_text(dir / "spaced.csv", "massage_ot_rise_uU_ml, activation_rate_per_h\n1, 0.1\n");
  EXPECT_EQ(Design::from_csv(dir / "spaced.csv").size(), 1u);
  fs::remove_all(dir);
}

TEST(InputLimits, TheOutputStepTakesOnlyAPlainNumber) {
  // --output-step-min went through CLI11's own parsing: 0x5 and " 5" were read as 5 minutes.
  const std::string scenario = test::scenario_path("seed_case_control.toml").string();
  for (const char* value : {"0x5", "0x1p3", " 5", "inf"}) {
    SCOPED_TRACE(value);
    const auto dir = test::fresh_temp_dir("output-step");
    const auto r = test::run_cli("run -q " + scenario + " --out " + (dir / "out").string() + " --output-step-min '" +
                                 value + "'");
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--output-step-min"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out"));
    fs::remove_all(dir);
  }
}

TEST(InputLimits, AZeroOrNegativeOutputStepIsRefusedInPlainWords) {
  // CLI11's PositiveNumber printed "not in range 0.000000 to 1797693134862315708145274237317043567981..."
  const std::string scenario = test::scenario_path("seed_case_control.toml").string();
  for (const char* value : {"0", "-1"}) {
    SCOPED_TRACE(value);
    const auto dir = test::fresh_temp_dir("output-step-zero");
    const auto r = test::run_cli("run -q " + scenario + " --out " + (dir / "out").string() + " --output-step-min " + value);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--output-step-min"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("must be more than 0 minutes"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("17976931348"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out"));
    fs::remove_all(dir);
  }
}

TEST(InputLimits, ADesignCsvWithTheSameColumnTwiceIsRefusedNamingLineAndColumn) {
  const auto dir = test::fresh_temp_dir("design-dup");
  test::write_text(dir / "dup.csv",
                   "# two columns of one parameter\nmassage_ot_rise_uU_ml,activation_rate_per_h,massage_ot_rise_uU_ml\n"
                   "1,0.1,2\n");
  try {
    Design::from_csv(dir / "dup.csv");
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where().line, 2) << error.what();
    EXPECT_EQ(error.where().column, 45) << error.what();
    EXPECT_EQ(error.field(), "massage_ot_rise_uU_ml");
    EXPECT_NE(std::string(error.what()).find("also column 1"), std::string::npos) << error.what();
  }
  const auto r = test::run_cli("sweep " + quoted(test::scenario_path("seed_case_control.toml")) + " --design file:" +
                               quoted(dir / "dup.csv"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("dup.csv:2:45: massage_ot_rise_uU_ml"), std::string::npos) << r.err;
  fs::remove_all(dir);
}

// An id column in a design CSV (issue #15) was read as an unknown parameter ("did you mean
// 'pain_initial_nrs'?"). Designs carry parameter columns only; the message says so and how
// the rows map to the output's samples, before any sample runs.
TEST(InputLimits, AnIdColumnInADesignCsvIsRefusedWithHowRowsMapToSamples) {
  const auto dir = test::fresh_temp_dir("design-id");
  for (const std::string id : {"id", "Sample", "mother_id"}) {
    test::write_text(dir / "ids.csv", "massage_ot_rise_uU_ml, " + id + "\n1,a\n2,b\n");
    try {
      Design::from_csv(dir / "ids.csv");
      ADD_FAILURE() << id << ": accepted";
    } catch (const InputError& error) {
      EXPECT_EQ(error.where().line, 1) << error.what();
      EXPECT_EQ(error.where().column, 24) << error.what();
      EXPECT_EQ(error.field(), id);
      const std::string message = error.what();
      EXPECT_NE(message.find("parameter columns only"), std::string::npos) << message;
      EXPECT_NE(message.find("sample 0"), std::string::npos) << message;
      EXPECT_EQ(message.find("did you mean"), std::string::npos) << message;
    }
  }
  const auto r = test::run_cli("sweep " + quoted(test::scenario_path("seed_case_control.toml")) + " --design file:" +
                               quoted(dir / "ids.csv") + " -o " + quoted(dir / "out.csv"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("ids.csv:1:24: mother_id"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out.csv"));
  fs::remove_all(dir);
}

TEST(InputLimits, TheLargestBlockSizeCostsNoMoreMemoryThanTheDesignNeeds) {
  // --block-size 2^24 (the top of its range) allocated a slot per block row: 13 GB for a
  // 4-sample sweep. Under a 3 GiB cap it must run, one slot per sample.
  const auto dir = test::fresh_temp_dir("block-size");
  const test::CliResult r = run_cli_with_memory_cap(
      "sweep " + test::quoted(test::scenario_path("seed_case_massage.toml")) +
      " --vary massage_relief_half_life_h=0.5:12 -n 4 --block-size 16777216 -q --out " + test::quoted(dir / "s.csv"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace lactsim
