#include "test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace lactsim::test {

std::filesystem::path scenario_path(const std::string& file_name) {
  return std::filesystem::path(LACTSIM_SOURCE_DIR) / "scenarios" / file_name;
}

Scenario load_shipped(const std::string& file_name, const std::vector<std::string>& overrides) {
  Scenario scenario = load_scenario(scenario_path(file_name));
  std::vector<ParameterOverride> parsed;
  for (const auto& text : overrides) parsed.push_back(parse_parameter_assignment(text, {"<test>", 0, 0}));
  apply_overrides(scenario, parsed);
  return scenario;
}

RunResult run(const Scenario& scenario, const RunOptions& options) {
  return simulate(to_simulation_input(scenario), options);
}

std::filesystem::path fresh_temp_dir(const std::string& tag) {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("lactsim-test-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

std::string short_vaginal_scenario_toml(const std::string& name) {
  return "[scenario]\nname = \"" + name +
         "\"\nduration_days = 3\n[delivery]\nmode = \"vaginal\"\n[patient]\nparity = \"multiparous\"\n"
         "[[feeds]]\nevery_h = 3.0\nfirst_h = 1.0\nduration_min = 15\n";
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const std::filesystem::path& path, const std::string& content) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

CliResult run_cli(const std::string& arguments) {
  const auto dir = fresh_temp_dir("cli");
  const auto out = dir / "stdout", err = dir / "stderr";
  const std::string command = std::string("'") + LACTSIM_CLI + "' " + arguments + " >'" + out.string() + "' 2>'" +
                              err.string() + "' </dev/null";
  const int status = std::system(command.c_str());
  CliResult result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
  std::filesystem::remove_all(dir);
  return result;
}

}  // namespace lactsim::test
