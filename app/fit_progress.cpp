#include "fit_progress.hpp"

#include <cstdio>

namespace lactsim::cli {

FitProgressDisplay::FitProgressDisplay(bool quiet, bool progress_flag)
    : display_(ProgressBar::display_for(quiet, progress_flag)) {}

std::function<void(const FitProgress&)> FitProgressDisplay::callback() {
  if (display_ == ProgressDisplay::off) return {};
  return [this](const FitProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    const auto interval = display_ == ProgressDisplay::lines ? std::chrono::milliseconds(1000)
                                                             : std::chrono::milliseconds(200);
    if (drew_ && now - last_ < interval) return;
    last_ = now;
    drew_ = true;
    if (display_ == ProgressDisplay::lines) {
      std::fprintf(stderr, "progress: %s: %zu evaluations, best chi-square %.6g\n", p.stage.c_str(), p.evaluations,
                   p.best_chi_square);
      std::fflush(stderr);
    } else {
      std::fprintf(stderr, "\r%-40s %8zu evaluations, best chi-square %.6g   ", p.stage.c_str(), p.evaluations,
                   p.best_chi_square);
    }
  };
}

void FitProgressDisplay::finish() {
  if (display_ == ProgressDisplay::bar && drew_) std::fprintf(stderr, "\r%80s\r", "");
}

}  // namespace lactsim::cli
