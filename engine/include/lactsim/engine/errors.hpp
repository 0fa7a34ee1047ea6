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
  std::string file;  ///< file name as given by the user, or "<command line>"
  int line = 0;
  int column = 0;
  /// "file:line:column", omitting unknown parts.
  std::string to_string() const;
};

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

 private:
  SourceLocation where_;
  std::string field_;
};

/// The integrator failed (non-finite state, step-size underflow, step budget). Exit code 3.
class SimulationError : public Error {
 public:
  /// @param time_h  hours after birth at which it failed
  /// @param state   name of the state component at fault, or "" when not one
  SimulationError(double time_h, std::string state, const std::string& message);
  ExitCode exit_code() const override { return ExitCode::simulation_failure; }
  double time_h() const { return time_h_; }
  const std::string& state() const { return state_; }

 private:
  double time_h_;
  std::string state_;
};

}  // namespace lactsim
