#include "interrupt_progress.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>

namespace lactsim::cli {

namespace {

CancellationToken* g_token = nullptr;
const char* g_note = nullptr;
struct sigaction g_previous_action;

extern "C" void lactsim_interrupt_guard_handler(int) {
  if (g_token != nullptr) g_token->cancel();
  if (g_note != nullptr) {
    // write(2) is async-signal-safe; there is nothing useful to do if it fails.
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, g_note, std::strlen(g_note));
  }
}

}  // namespace

InterruptGuard::InterruptGuard(CancellationToken& token, const char* note) {
  g_token = &token;
  g_note = note;
  struct sigaction action {};
  action.sa_handler = lactsim_interrupt_guard_handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // a second Ctrl-C takes the default action: terminate
  sigaction(SIGINT, &action, &g_previous_action);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_previous_action, nullptr);
  g_token = nullptr;
}

ProgressBar::ProgressBar(std::string unit, ProgressDisplay display)
    : unit_(std::move(unit)), display_(display), start_(std::chrono::steady_clock::now()) {}

bool ProgressBar::stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

ProgressDisplay ProgressBar::display_for(bool quiet, bool progress_flag) {
  if (progress_flag) return ProgressDisplay::lines;
  return !quiet && stderr_is_terminal() ? ProgressDisplay::bar : ProgressDisplay::off;
}

void ProgressBar::update(std::size_t done, std::size_t total) {
  if (display_ == ProgressDisplay::off || total == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (display_ == ProgressDisplay::lines) {
    // A script reading the log wants steady, parseable lines, not one per sample.
    if (done < total && drew_ && now - last_draw_ < std::chrono::seconds(1)) return;
    last_draw_ = now;
    drew_ = true;
    std::fprintf(stderr, "progress: %zu/%zu %s (%.1f%%)\n", done, total, unit_.c_str(),
                 100.0 * static_cast<double>(done) / static_cast<double>(total));
    std::fflush(stderr);
    return;
  }
  if (done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(kWidth * static_cast<double>(done) / static_cast<double>(total));
  std::fprintf(stderr, "\r[%-*.*s] %3.0f%% %zu/%zu %s  %.0f %s/s  ETA %.0f s ", kWidth, filled,
               "##############################", 100.0 * static_cast<double>(done) / static_cast<double>(total),
               done, total, unit_.c_str(), rate, unit_.c_str(), eta);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (display_ != ProgressDisplay::bar) return;
  std::fprintf(stderr, "\r%*s\r", 100, "");
  std::fflush(stderr);
}

ProgressCallback ProgressBar::callback() {
  if (display_ == ProgressDisplay::off) return {};
  return [this](std::size_t done, std::size_t total) { update(done, total); };
}

}  // namespace lactsim::cli
