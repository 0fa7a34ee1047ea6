#pragma once
/// @file errors.hpp
/// Typed error hierarchy mapped to documented exit codes (in the manner of CLI11):
///   0 success, 1 other failure, 2 bad input, 3 simulation failure.

#include <stdexcept>
#include <string>

namespace lactsim {

/// Process exit codes, documented in `lactsim --help` and README.md.
enum class ExitCode : int { success = 0, other_failure = 1, bad_input = 2, simulation_failure = 3 };

/// Where in an input something is wrong. Line and column are 1-based; 0 = unknown.
struct SourceLocation {
  std::string file;  ///< file name as given by the user, or kArgumentsOrigin for a library argument
  int line = 0;
  int column = 0;
  /// "file:line:column", omitting unknown parts.
  std::string to_string() const;
};

/// The "file" of an error in an argument of a library call (the field then names the
/// argument, e.g. "solver" or "ranges"); front ends map such fields to their own names
/// (the CLI to its flags).
inline constexpr const char* kArgumentsOrigin = "<arguments>";

/// Base of all lactsim errors; exit code 1 unless a subclass says otherwise.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  /// The exit code the CLI returns for this error.
  virtual ExitCode exit_code() const { return ExitCode::other_failure; }
};

/// Bad input: a scenario file, CLI argument or parameter value. Exit code 2.
/// The message reads "file:line:column: field: what is wrong".
class InputError : public Error {
 public:
  /// @param where  file and position of the offending value
  /// @param field  dotted path of the field, e.g. "schedule[2].duration_min"
  /// @param message what is wrong and, where possible, what would be right
  InputError(SourceLocation where, std::string field, const std::string& message);
  ExitCode exit_code() const override { return ExitCode::bad_input; }
  const SourceLocation& where() const { return where_; }
  const std::string& field() const { return field_; }
  /// What is wrong, without location and field.
  const std::string& detail() const { return detail_; }
  /// True when the error is in a library call's argument (where().file == kArgumentsOrigin).
  bool names_argument() const { return where_.file == kArgumentsOrigin; }

 private:
  SourceLocation where_;
  std::string field_;
  std::string detail_;
};

/// A long call stopped because its CancellationToken was cancelled (exit code 130 in the
/// CLI, the shell's convention for SIGINT). Calls that can return a partial result (a sweep,
/// a comparison, a fit) report it in that result instead of throwing.
class Cancelled : public Error {
 public:
  Cancelled() : Error("cancelled") {}
};

/// The integrator failed (non-finite state, step-size underflow, step budget). Exit code 3.
class SimulationError : public Error {
 public:
  /// @param time_h  hours after birth at which it failed
  /// @param state   name of the state component at fault, or "" when not one
  SimulationError(double time_h, std::string state, const std::string& message);
  /// A failure not located at one time (e.g. every mother of a population failed, each at her
  /// own time): `message` is the whole text; time_h() is NaN and state() "".
  explicit SimulationError(const std::string& message);
  ExitCode exit_code() const override { return ExitCode::simulation_failure; }
  double time_h() const { return time_h_; }
  const std::string& state() const { return state_; }

 private:
  double time_h_;
  std::string state_;
};

}  // namespace lactsim
