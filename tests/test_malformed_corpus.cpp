// Every file in tests/malformed/ is a bad scenario with its expected exit code, line, field
// and message fragment in tests/malformed/expected.tsv; the CLI must report each as one
// line naming file:line and field, and write nothing; `lactsim check` must refuse each with the
// same exit code and message (one validation path).
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;

struct Expectation {
  std::string file, field, message;
  int exit_code = 0, line = 0;
};

std::vector<Expectation> read_manifest(const fs::path& dir) {
  std::ifstream in(dir / "expected.tsv");
  std::vector<Expectation> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream cells(line);
    Expectation e;
    std::string code, line_number;
    std::getline(cells, e.file, '\t');
    std::getline(cells, code, '\t');
    std::getline(cells, line_number, '\t');
    std::getline(cells, e.field, '\t');
    std::getline(cells, e.message, '\t');
    e.exit_code = std::stoi(code);
    e.line = std::stoi(line_number);
    rows.push_back(e);
  }
  return rows;
}

TEST(MalformedCorpus, EveryBadFileGivesItsExitCodeAndOneLocatedMessageAndWritesNothing) {
  const fs::path dir = fs::path(LACTSIM_SOURCE_DIR) / "tests" / "malformed";
  const auto rows = read_manifest(dir);
  ASSERT_GE(rows.size(), 40u);
  std::set<std::string> listed;
  const auto out = test::fresh_temp_dir("malformed");
  fs::remove_all(out);
  for (const Expectation& e : rows) {
    listed.insert(e.file);
    const fs::path file = dir / e.file;
    ASSERT_TRUE(fs::exists(file)) << e.file;
    const auto r = test::run_cli("run '" + file.string() + "' --out '" + out.string() + "'");
    SCOPED_TRACE(e.file + ": " + r.err);
    EXPECT_EQ(r.exit_code, e.exit_code);
    EXPECT_NE(r.err.find(file.string() + ":" + std::to_string(e.line) + ":"), std::string::npos);
    EXPECT_NE(r.err.find(e.field), std::string::npos);
    EXPECT_NE(r.err.find(e.message), std::string::npos);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one message, one line";
    EXPECT_TRUE(r.out.empty());
    EXPECT_FALSE(fs::exists(out));
    const auto checked = test::run_cli("check '" + file.string() + "'");
    EXPECT_EQ(checked.exit_code, r.exit_code) << "check agrees with run";
    EXPECT_EQ(checked.err, r.err) << "check reports what run reports";
  }
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".toml") {
      EXPECT_TRUE(listed.count(entry.path().filename().string())) << entry.path() << " has no row in expected.tsv";
    }
  }
}

}  // namespace
}  // namespace lactsim
