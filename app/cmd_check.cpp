#include <cmath>
#include <cstdio>
#include <iostream>

#include "cmd_check.hpp"
#include "lactsim/io/run_scenarios.hpp"

namespace lactsim::cli {

CheckCommand::CheckCommand(CLI::App& parent) {
  app_ = parent.add_subcommand("check", "Validate scenarios and print their expanded session timelines");
  app_->add_option("scenarios", scenario_files_, "scenario TOML files")->required();
}

int CheckCommand::execute() {
  std::vector<std::filesystem::path> files(scenario_files_.begin(), scenario_files_.end());
  // check accepts exactly what run accepts, so the result-folder names are validated too.
  result_folder_names(files);
  for (const Scenario& s : load_scenarios(files, {})) {
    std::printf("%s: OK — \"%s\"\n", s.file.string().c_str(), s.name.c_str());
    std::printf("  %s, %s, %d days", std::string(model::to_string(s.covariates.delivery_mode)).c_str(),
                std::string(model::to_string(s.covariates.parity)).c_str(), s.duration_days);
    if (s.delivery_clock_given) {
      std::printf(", born at %02d:%02d", static_cast<int>(s.delivery_clock_h),
                  static_cast<int>(std::lround(s.delivery_clock_h * 60)) % 60);
    }
    std::printf("\n");
    for (const auto& o : s.overrides) std::printf("  parameter %s = %g (%s)\n", o.name.c_str(), o.value, o.where.to_string().c_str());
    std::printf("  pain: %s\n", s.observed_pain.empty() ? "parametric profile" : "observed points");
    // The clock column only when the file gave the clock time of birth: otherwise it would
    // read as a time of day the user never set.
    const bool clock = s.delivery_clock_given;
    std::printf("  %-8s %4s %9s %9s%s %9s  %s\n", "session", "day", "start_h", "end_h", clock ? "  clock" : "",
                "dur_min", "schedule");
    for (const auto& origin : s.sessions) {
      const Session& session = origin.session;
      std::printf("  %-8s %4d %9.3f %9.3f", std::string(to_string(session.kind)).c_str(),
                  static_cast<int>(std::floor(session.start_h / 24.0)) + 1, session.start_h, session.end_h);
      if (clock) {
        const int clock_min =
            static_cast<int>(std::lround(std::fmod(s.delivery_clock_h + session.start_h, 24.0) * 60)) % (24 * 60);
        std::printf("  %02d:%02d", clock_min / 60, clock_min % 60);
      }
      std::printf(" %9.1f  line %d\n", (session.end_h - session.start_h) * 60.0, origin.where.line);
    }
    std::printf("  observed series: %zu\n", s.observed.size());
  }
  return 0;
}

}  // namespace lactsim::cli
