#pragma once
/// @file fit_progress.hpp
/// Progress of a search that counts evaluations, not items (`fit`, `calibrate-population`):
/// a status line redrawn in place on a terminal, or machine-readable lines with --progress.

#include <chrono>
#include <functional>

#include "interrupt_progress.hpp"
#include "lactsim/fit/fit.hpp"

namespace lactsim::cli {

/// Reports FitProgress on stderr as the command's flags ask (ProgressBar::display_for).
class FitProgressDisplay {
 public:
  FitProgressDisplay(bool quiet, bool progress_flag);
  /// A callback for FitSettings::progress: on a terminal `STAGE  N evaluations, best chi-square X`
  /// redrawn at most 5 times a second; with --progress the line `progress: STAGE: N evaluations,
  /// best chi-square X` at most once a second. Empty when nothing is shown. Must outlive the search.
  std::function<void(const FitProgress&)> callback();
  /// Clears the terminal's status line (lines stay).
  void finish();

 private:
  ProgressDisplay display_;
  std::chrono::steady_clock::time_point last_{};
  bool drew_ = false;
};

}  // namespace lactsim::cli
