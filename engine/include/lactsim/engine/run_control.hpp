#pragma once
/// @file run_control.hpp
/// How a caller steers a long library call: a cancellation token it may set from any thread
/// (or from a signal handler: the flag is a lock-free atomic) and a progress callback. The
/// library never installs signal handlers, draws progress bars or exits: the CLI maps SIGINT
/// to CancellationToken::cancel() and the callback to its bar; Python maps Ctrl-C the same way.

#include <atomic>
#include <cstddef>
#include <functional>

namespace lactsim {

/// A request to stop a long call at its next safe point (a block boundary of a sweep or
/// population, between simulations of a fit). Shared by pointer; never copied.
class CancellationToken {
 public:
  CancellationToken() = default;
  CancellationToken(const CancellationToken&) = delete;
  CancellationToken& operator=(const CancellationToken&) = delete;
  /// Asks every call holding this token to stop; async-signal-safe.
  void cancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }
  /// True once cancel() was called (and not reset since).
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }
  /// Clears the request, so the token can steer another call.
  void reset() noexcept { cancelled_.store(false, std::memory_order_relaxed); }

 private:
  static_assert(std::atomic<bool>::is_always_lock_free, "cancel() must be async-signal-safe");
  std::atomic<bool> cancelled_{false};
};

/// True when `token` is set and cancelled (a null token never cancels).
inline bool is_cancelled(const CancellationToken* token) { return token != nullptr && token->cancelled(); }

/// Reports that `done` of `total` work items (samples, mothers, base samples, trajectories)
/// are finished; called on the calling thread after each block, never concurrently.
using ProgressCallback = std::function<void(std::size_t done, std::size_t total)>;

}  // namespace lactsim
