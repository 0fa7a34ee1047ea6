#pragma once
// The CLI's side of run_control.hpp: SIGINT becomes CancellationToken::cancel(), and
// progress callbacks draw a bar on stderr. The library does neither.

#include <chrono>
#include <cstddef>
#include <string>

#include "lactsim/engine/run_control.hpp"

namespace lactsim::cli {

/// Exit code of a run stopped by SIGINT (128 + signal 2, the shell convention).
inline constexpr int kInterruptedExitCode = 130;

/// Cancels `token` on SIGINT while alive, so a run can stop cleanly at its next safe point;
/// restores the previous handler on destruction. The handler is one-shot (SA_RESETHAND): a
/// second Ctrl-C terminates the process at once, as a user who insists expects. One guard
/// at a time.
class InterruptGuard {
 public:
  /// @param note  written to stderr on the first SIGINT (a string literal), or nullptr
  explicit InterruptGuard(CancellationToken& token, const char* note = nullptr);
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

/// Progress on stderr with rate and ETA, shown only when enabled (stderr a terminal).
class ProgressBar {
 public:
  /// @param unit  what an item is, e.g. "sims"
  ProgressBar(std::string unit, bool enabled);
  /// Reports that `done` of `total` items are finished (redraws at most ~10 times/s).
  void update(std::size_t done, std::size_t total);
  /// Clears the bar's line.
  void finish();
  /// A callback drawing this bar (empty when disabled, so the library skips it).
  ProgressCallback callback();
  /// True when stderr is a terminal (the default for `enabled`).
  static bool stderr_is_terminal();

 private:
  std::string unit_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace lactsim::cli
