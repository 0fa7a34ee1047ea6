// The folder layout is the architecture: each library includes only the libraries below it.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;

/// The libraries each folder may include, besides its own headers (README.md, "Layout").
const std::map<std::string, std::set<std::string>>& allowed_dependencies() {
  static const std::map<std::string, std::set<std::string>> allowed{
      {"model", {}},
      {"engine", {"model"}},
      {"io", {"model", "engine"}},
      {"fit", {"model", "engine", "io"}},
      {"analysis", {"model", "engine", "io"}},
      {"plot", {"model", "engine", "io"}},
      {"app", {"model", "engine", "io", "fit", "analysis", "plot"}},
      {"python", {"model", "engine", "io", "fit", "analysis"}},  // the Python package: no CLI, no figures
  };
  return allowed;
}

/// Every `#include "lactsim/<library>/..."` in the folder's sources, as (file, library).
std::vector<std::pair<fs::path, std::string>> library_includes(const fs::path& folder) {
  static const std::regex include_line(R"(#\s*include\s*[<"]lactsim/([a-z_]+)/)");
  std::vector<std::pair<fs::path, std::string>> found;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    const auto extension = entry.path().extension();
    if (!entry.is_regular_file() || (extension != ".hpp" && extension != ".cpp")) continue;
    const std::string text = test::read_file(entry.path());
    for (std::sregex_iterator it(text.begin(), text.end(), include_line), end; it != end; ++it) {
      found.emplace_back(entry.path(), (*it)[1].str());
    }
  }
  return found;
}

TEST(Architecture, EveryLibraryIncludesOnlyTheLibrariesBelowIt) {
  const fs::path root(LACTSIM_SOURCE_DIR);
  std::size_t includes_seen = 0;
  for (const auto& [folder, allowed] : allowed_dependencies()) {
    ASSERT_TRUE(fs::is_directory(root / folder)) << folder;
    for (const auto& [file, library] : library_includes(root / folder)) {
      ++includes_seen;
      if (library == folder || library == "version") continue;  // version.hpp: generated build info
      EXPECT_TRUE(allowed.contains(library))
          << fs::relative(file, root).string() << " (library " << folder << ") includes lactsim/" << library
          << "/: dependencies must point down the layout (README.md, \"Layout\")";
    }
  }
  EXPECT_GT(includes_seen, 100u);  // the scan read the sources
}

}  // namespace
}  // namespace lactsim
