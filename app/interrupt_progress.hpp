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

/// How a ProgressBar shows itself on stderr.
enum class ProgressDisplay {
  off,   ///< nothing (--quiet, or stderr not a terminal)
  bar,   ///< a bar redrawn in place, with rate and ETA (stderr a terminal)
  lines  ///< --progress: `progress: DONE/TOTAL UNIT (P.P%)` lines, for scripts and logs
};

/// Help text of the --progress flag, the same on every command that has it.
inline constexpr const char* kProgressFlagHelp =
    "report progress on stderr as lines 'progress: DONE/TOTAL UNIT (P.P%)', at most one a second and one at the "
    "end, even when stderr is not a terminal (and with --quiet)";

/// Progress on stderr, as a bar with rate and ETA or as machine-readable lines.
class ProgressBar {
 public:
  /// @param unit  what an item is, e.g. "sims"
  ProgressBar(std::string unit, ProgressDisplay display);
  /// The display for a command's flags: lines when `progress_flag` (--progress) is given,
  /// else a bar when stderr is a terminal and not `quiet`, else none.
  static ProgressDisplay display_for(bool quiet, bool progress_flag);
  /// Reports that `done` of `total` items are finished (a bar redraws at most ~10 times/s;
  /// lines come at most once a second, and always for done == total).
  void update(std::size_t done, std::size_t total);
  /// Clears the bar's line (lines stay).
  void finish();
  /// A callback drawing this bar (empty when disabled, so the library skips it).
  ProgressCallback callback();
  /// True when stderr is a terminal (the default for `enabled`).
  static bool stderr_is_terminal();

 private:
  std::string unit_;
  ProgressDisplay display_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool drew_ = false;  ///< a line has been written: the next waits a second
};

}  // namespace lactsim::cli
