#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "command.hpp"
#include "lactsim/io/manifest.hpp"
#include "lactsim/io/scenario.hpp"
#include "figure_flags.hpp"

namespace lactsim::cli {

/// `lactsim fit`: estimate parameters from the observed data of scenarios.
class FitCommand : public Command {
 public:
  explicit FitCommand(CLI::App& parent);
  int execute() override;

 private:
  std::string command_line() const;
  /// What both kinds of fit read first: the figure request (checked before any work), the
  /// manifest with the scenario inputs, the loaded scenarios and the parsed --bound values.
  struct Inputs {
    FigureFormat figure_format;
    RunManifest manifest;
    std::vector<Scenario> scenarios;
    std::vector<std::pair<std::string, std::pair<double, double>>> bounds;
  };
  Inputs load_inputs() const;
  /// The fit of a case series (--observations): per subject, or joint with --shared.
  int execute_case_series();

  std::vector<std::string> scenario_files_;
  std::vector<std::string> free_names_;
  std::vector<std::string> bound_assignments_;
  std::vector<std::string> set_assignments_;
  std::string params_file_;
  std::string observations_file_;          ///< --observations: a case table; fits each subject
  std::string subject_;                    ///< --subject: the one scenario's subject in that table
  std::vector<std::string> shared_names_;  ///< --shared: free parameters fitted jointly across subjects
  std::string out_dir_ = "fit";
  std::size_t multistart_ = 0;
  std::uint64_t seed_ = 1;
  bool profile_ = false;
  std::size_t profile_points_ = 13;
  std::size_t max_iterations_ = 60;
  double default_cv_ = 0.25;
  bool quiet_ = false;
  bool progress_ = false;  ///< --progress: progress lines even when stderr is not a terminal
  bool plot_ = false;
  FigureFlags figure_flags_;
};

}  // namespace lactsim::cli
