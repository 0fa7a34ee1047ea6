#include "argument_flags.hpp"

#include <array>
#include <string_view>
#include <utility>

#include "command.hpp"

namespace lactsim::cli {

namespace {

/// Library argument → flag. One row per argument a command fills from a flag.
constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kArgumentFlags{{
    {"ranges", "--vary"},
    {"samples", "--samples"},
    {"expected_samples", "--samples"},
    {"design", "--design"},
    {"shard", "--shard"},
    {"solver", "--solver"},
    {"rtol", "--rtol"},
    {"atol", "--atol"},
    {"output_step_h", "--output-step-min"},
    {"endpoints", "--endpoint"},
    {"morris_levels", "--levels"},
    {"profile_points", "--profile-points"},
    {"max_iterations", "--max-iterations"},
    {"bounds", "--bound"},
    {"free_names", "--free"},
    {"default_cv", "--default-cv"},
    {"set_assignments", "--set"},
    {"reference_stem", "--reference"},
    {"subject", "--subject"},
    {"shared", "--shared"},
}};

}  // namespace

std::string flag_for_argument(const std::string& argument) {
  for (const auto& [name, flag] : kArgumentFlags) {
    if (argument == name) return std::string(flag);
  }
  if (argument == "path") return "--out";
  return argument;
}

InputError as_command_line_error(const InputError& error) {
  if (!error.names_argument() && error.where().file != kCommandLineOrigin) return error;
  // "ranges massage_ot_rise=0:10" → "--vary massage_ot_rise=0:10"
  const std::string& field = error.field();
  const auto space = field.find(' ');
  const std::string head = field.substr(0, space);
  const std::string rest = space == std::string::npos ? std::string() : field.substr(space);
  return InputError({kCommandLineOrigin, 0, 0}, flag_for_argument(head) + rest, error.detail());
}

}  // namespace lactsim::cli
