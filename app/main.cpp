// lactsim command-line entry point: parses arguments, dispatches to a subcommand and maps
// errors to the documented exit codes.

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>

#include "argument_flags.hpp"
#include "cmd_calibrate_population.hpp"
#include "cmd_check.hpp"
#include "cmd_fit.hpp"
#include "cmd_params.hpp"
#include "cmd_population.hpp"
#include "cmd_plot.hpp"
#include "cmd_run.hpp"
#include "cmd_compare.hpp"
#include "cmd_merge.hpp"
#include "cmd_sensitivity.hpp"
#include "cmd_sweep.hpp"
#include "lactsim/engine/errors.hpp"
#include "lactsim/io/run_outputs.hpp"

namespace {

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  success\n"
    "  1  other failure (e.g. cannot write outputs)\n"
    "  2  bad input: scenario file, command-line argument or parameter value\n"
    "  3  simulation failure (the integrator could not continue)\n"
    "  130  interrupted (Ctrl-C) during compare, population or sweep: repeat with --resume to continue\n";

/// `exit_code`, or exit code 1 when what the command printed on standard output was not all
/// written (a full disk, a closed pipe): results lost on the way must not look like success.
int with_standard_output_checked(int exit_code) {
  std::cout.flush();
  const bool written = static_cast<bool>(std::cout) && std::fflush(stdout) == 0 && !std::ferror(stdout);
  if (written || exit_code != 0) return exit_code;
  std::cerr << "lactsim: error: cannot write to standard output: " << std::strerror(errno) << "\n";
  return static_cast<int>(lactsim::ExitCode::other_failure);
}

}  // namespace

int main(int argc, char** argv) {
  // A write past `ulimit -f` must fail with EFBIG like a full disk (exit 1, outputs untouched),
  // not kill lactsim through SIGXFSZ's default action.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"lactsim: simulate prolactin, oxytocin, secretory activation and milk production after birth"};
  app.footer(kExitCodes);
  app.set_version_flag("--version", lactsim::build_info().version + " (" + lactsim::build_info().git_commit + ")");
  app.require_subcommand(1);
  std::vector<std::unique_ptr<lactsim::cli::Command>> commands;
  commands.push_back(std::make_unique<lactsim::cli::RunCommand>(app));
  commands.push_back(std::make_unique<lactsim::cli::CheckCommand>(app));
  commands.push_back(std::make_unique<lactsim::cli::ParamsCommand>(app));
  commands.push_back(std::make_unique<lactsim::cli::FitCommand>(app));
  commands.push_back(std::make_unique<lactsim::cli::CalibratePopulationCommand>(app));
  commands.push_back(std::make_unique<lactsim::cli::PlotCommand>(app));
  commands.push_back(std::make_unique<lactsim::cli::CompareCommand>(app));
  commands.push_back(std::make_unique<lactsim::cli::PopulationCommand>(app));
  commands.push_back(std::make_unique<lactsim::cli::SweepCommand>(app));
  commands.push_back(std::make_unique<lactsim::cli::SensitivityCommand>(app));
  commands.push_back(std::make_unique<lactsim::cli::MergeCommand>(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);  // prints help, version or the error
    return code == 0 ? 0 : static_cast<int>(lactsim::ExitCode::bad_input);
  }

  try {
    for (auto& command : commands) {
      if (!command->selected()) continue;
      command->set_command_line(std::vector<std::string>(argv, argv + argc));
      return with_standard_output_checked(command->execute());
    }
  } catch (const lactsim::InputError& error) {
    std::cerr << "lactsim: error: " << lactsim::cli::as_command_line_error(error).what() << "\n";
    return static_cast<int>(error.exit_code());
  } catch (const lactsim::Error& error) {
    std::cerr << "lactsim: error: " << error.what() << "\n";
    return static_cast<int>(error.exit_code());
  } catch (const std::exception& error) {
    std::cerr << "lactsim: error: " << error.what() << "\n";
    return static_cast<int>(lactsim::ExitCode::other_failure);
  }
  return static_cast<int>(lactsim::ExitCode::other_failure);
}
