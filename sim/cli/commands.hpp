#pragma once
// The CLI's subcommands. Each registers its options on a CLI11 subcommand and runs
// through the library; none holds simulation logic of its own.

#include <CLI/CLI.hpp>

namespace lactsim::cli {

/// A subcommand: registers itself, then runs when selected.
class Command {
 public:
  virtual ~Command() = default;
  /// True when the user chose this subcommand.
  bool selected() const { return app_ != nullptr && app_->parsed(); }
  /// Runs the command; returns the exit code. Throws lactsim::Error subclasses.
  virtual int execute() = 0;

 protected:
  CLI::App* app_ = nullptr;
};

/// `lactsim run`: simulate scenarios and write outputs.
class RunCommand : public Command {
 public:
  explicit RunCommand(CLI::App& parent);
  int execute() override;

 private:
  std::vector<std::string> scenario_files_;
  std::vector<std::string> set_assignments_;
  std::string out_dir_ = "results";
  double relative_tolerance_ = 1e-6;
  double absolute_tolerance_ = 1e-8;
  double output_step_min_ = 5.0;
  bool quiet_ = false;
};

/// `lactsim check`: validate scenarios and print the expanded session timeline.
class CheckCommand : public Command {
 public:
  explicit CheckCommand(CLI::App& parent);
  int execute() override;

 private:
  std::vector<std::string> scenario_files_;
};

/// `lactsim params`: list every parameter with unit, defaults, bounds and source.
class ParamsCommand : public Command {
 public:
  explicit ParamsCommand(CLI::App& parent);
  int execute() override;

 private:
  std::string format_ = "table";
};

}  // namespace lactsim::cli
