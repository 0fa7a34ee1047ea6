#pragma once
/// @file parallel_runner.hpp
/// Runs independent work items on threads and hands their results back in index order,
/// block by block: memory stays flat in the number of items, and the order (hence every
/// output byte) is the same for any thread count.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "lactsim/engine/errors.hpp"
#include "lactsim/engine/run_control.hpp"

namespace lactsim {

/// Number of hardware threads, at least 1.
unsigned default_thread_count();

/// For i in [begin, end): `compute(i, worker)` on `threads` workers (worker in [0, threads)),
/// then `consume(i)` on the calling thread in increasing i, one block of `block_size` at a
/// time. `compute` must write its result somewhere `consume` can find it by i (e.g. slot
/// i % block_size). The first exception thrown by `compute` is rethrown after the block.
/// After each block reports (done, end - begin) to `progress` when set, and throws
/// Cancelled when `cancel` is cancelled and items remain.
template <class Compute, class Consume>
void run_in_order(std::size_t begin, std::size_t end, unsigned threads, std::size_t block_size, Compute&& compute,
                  Consume&& consume, const ProgressCallback& progress = {}, const CancellationToken* cancel = nullptr) {
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
    if (progress) progress(block_end - begin, end - begin);
    if (block_end < end && is_cancelled(cancel)) throw Cancelled();
  }
}

}  // namespace lactsim
