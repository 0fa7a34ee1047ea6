#pragma once
// Base of the CLI's subcommands. Each subcommand registers its options on a CLI11
// subcommand and runs through the library; none holds simulation logic of its own.
// Each subcommand class lives in its own cmd_<name>.hpp/.cpp pair.

#include <CLI/CLI.hpp>

#include <string>
#include <utility>
#include <vector>

namespace lactsim::cli {

/// Where the CLI's own values come from, in messages and provenance (e.g. --set overrides).
inline constexpr const char* kCommandLineOrigin = "<command line>";

/// A subcommand: registers itself, then runs when selected.
class Command {
 public:
  virtual ~Command() = default;
  /// True when the user chose this subcommand.
  bool selected() const { return app_ != nullptr && app_->parsed(); }
  /// Runs the command; returns the exit code. Throws lactsim::Error subclasses.
  virtual int execute() = 0;
  /// The command line as given (argv), which the command records in its manifest.json.
  void set_command_line(std::vector<std::string> arguments) { command_line_ = std::move(arguments); }

 protected:
  CLI::App* app_ = nullptr;
  std::vector<std::string> command_line_;  ///< argv, for manifest.json
};

}  // namespace lactsim::cli
