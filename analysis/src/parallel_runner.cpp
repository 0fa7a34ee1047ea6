#include "lactsim/analysis/parallel_runner.hpp"

#include <unistd.h>

#include <cstdio>

namespace lactsim {

ProgressBar::ProgressBar(std::size_t total, std::string unit, bool enabled)
    : total_(total), unit_(std::move(unit)), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

bool ProgressBar::stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

void ProgressBar::update(std::size_t done) {
  if (!enabled_ || total_ == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(kWidth * static_cast<double>(done) / static_cast<double>(total_));
  std::fprintf(stderr, "\r[%-*.*s] %3.0f%% %zu/%zu %s  %.0f %s/s  ETA %.0f s ", kWidth, filled,
               "##############################", 100.0 * static_cast<double>(done) / static_cast<double>(total_),
               done, total_, unit_.c_str(), rate, unit_.c_str(), eta);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!enabled_) return;
  std::fprintf(stderr, "\r%*s\r", 100, "");
  std::fflush(stderr);
}

unsigned default_thread_count() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace lactsim
