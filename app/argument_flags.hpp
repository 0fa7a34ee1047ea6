#pragma once
// The library names its arguments in errors ("solver", "ranges NAME=LO:HI"); users of the
// CLI typed flags. This maps one to the other when an error is reported.

#include "lactsim/engine/errors.hpp"

namespace lactsim::cli {

/// The flag (or positional argument) the CLI fills a library argument from, e.g. "--vary"
/// for "ranges"; the argument's own name when the CLI has no flag for it.
std::string flag_for_argument(const std::string& argument);

/// `error` restated for the command line when it names a library argument (or a value
/// given on the command line): "<command line>: --FLAG REST: detail"; otherwise `error`.
InputError as_command_line_error(const InputError& error);

}  // namespace lactsim::cli
