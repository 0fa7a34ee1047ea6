#pragma once
/// @file parallel_runner.hpp
/// Runs independent work items on threads and hands their results back in index order,
/// block by block: memory stays flat in the number of items, and the order (hence every
/// output byte) is the same for any thread count.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lactsim {

/// Progress on stderr with rate and ETA, shown only when stderr is a terminal.
class ProgressBar {
 public:
  /// @param total  items to process; @param unit  what an item is, e.g. "sims"
  ProgressBar(std::size_t total, std::string unit, bool enabled);
  /// Reports that `done` of `total` items are finished (redraws at most ~10 times/s).
  void update(std::size_t done);
  /// Clears the bar's line.
  void finish();
  /// True when stderr is a terminal (the default for `enabled`).
  static bool stderr_is_terminal();

 private:
  std::size_t total_;
  std::string unit_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

/// Number of hardware threads, at least 1.
unsigned default_thread_count();

/// For i in [begin, end): `compute(i, worker)` on `threads` workers (worker in [0, threads)),
/// then `consume(i)` on the calling thread in increasing i, one block of `block_size` at a
/// time. `compute` must write its result somewhere `consume` can find it by i (e.g. slot
/// i % block_size). The first exception thrown by `compute` is rethrown after the block.
template <class Compute, class Consume>
void run_in_order(std::size_t begin, std::size_t end, unsigned threads, std::size_t block_size, Compute&& compute,
                  Consume&& consume, ProgressBar* progress = nullptr) {
  threads = std::max(1u, threads);
  block_size = std::max<std::size_t>(1, block_size);
  for (std::size_t block_begin = begin; block_begin < end; block_begin += block_size) {
    const std::size_t block_end = std::min(end, block_begin + block_size);
    std::atomic<std::size_t> next{block_begin};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto work = [&](unsigned worker) {
      try {
        for (std::size_t i = next++; i < block_end; i = next++) compute(i, worker);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = block_end;
      }
    };
    const unsigned used = static_cast<unsigned>(std::min<std::size_t>(threads, block_end - block_begin));
    std::vector<std::thread> pool;
    pool.reserve(used);
    for (unsigned w = 1; w < used; ++w) pool.emplace_back(work, w);
    work(0);
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
    for (std::size_t i = block_begin; i < block_end; ++i) consume(i);
    if (progress != nullptr) progress->update(block_end - begin);
  }
  if (progress != nullptr) progress->finish();
}

}  // namespace lactsim
