#include "lactsim/engine/errors.hpp"

#include <cstdio>
#include <limits>

namespace lactsim {

std::string SourceLocation::to_string() const {
  std::string text = file.empty() ? std::string("<input>") : file;
  if (line > 0) {
    text.append(":").append(std::to_string(line));
    if (column > 0) text.append(":").append(std::to_string(column));
  }
  return text;
}

InputError::InputError(SourceLocation where, std::string field, const std::string& message)
    : Error(where.to_string() + ": " + (field.empty() ? std::string() : field + ": ") + message),
      where_(std::move(where)),
      field_(std::move(field)),
      detail_(message) {}

namespace {
std::string describe_failure(double time_h, const std::string& state, const std::string& message) {
  char when[64];
  std::snprintf(when, sizeof when, "at t = %.6g h", time_h);
  return std::string("simulation failed ") + when + (state.empty() ? "" : " in state '" + state + "'") + ": " +
         message;
}
}  // namespace

SimulationError::SimulationError(double time_h, std::string state, const std::string& message)
    : Error(describe_failure(time_h, state, message)), time_h_(time_h), state_(std::move(state)) {}

SimulationError::SimulationError(const std::string& message)
    : Error(message), time_h_(std::numeric_limits<double>::quiet_NaN()) {}

}  // namespace lactsim
