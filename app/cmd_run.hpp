#pragma once

#include "command.hpp"
#include "figure_flags.hpp"
#include "solver_flags.hpp"

namespace lactsim::cli {

/// `lactsim run`: simulate scenarios and write outputs.
class RunCommand : public Command {
 public:
  explicit RunCommand(CLI::App& parent);
  int execute() override;

 private:
  std::vector<std::string> scenario_files_;
  std::vector<std::string> set_assignments_;
  std::string params_file_;
  std::string observations_file_;  ///< --observations: a case table (case_table.hpp)
  std::string subject_;            ///< --subject: the subject of the one scenario in that table
  std::string out_dir_ = "results";
  SolverFlags solver_flags_;
  double output_step_min_ = 5.0;
  std::string table_formats_ = "wide";  ///< --format: "wide" and/or "long", comma-separated
  bool quiet_ = false;
  bool plot_ = false;
  FigureFlags figure_flags_;
};

}  // namespace lactsim::cli
