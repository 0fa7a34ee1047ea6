#include "lactsim/plot/plot_render.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "lactsim/engine/errors.hpp"
#include "lactsim/io/output_files.hpp"
#include "lactsim/plot/plot_templates.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;

bool is_executable_file(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

/// `name` resolved like execvp would: as given when it contains a slash, else on PATH.
std::optional<fs::path> resolve_program(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (is_executable_file(name)) return fs::path(name);
    return std::nullopt;
  }
  const char* path_variable = std::getenv("PATH");
  std::stringstream directories(path_variable ? path_variable : "/usr/local/bin:/usr/bin:/bin");
  for (std::string directory; std::getline(directories, directory, ':');) {
    const fs::path candidate = fs::path(directory.empty() ? "." : directory) / name;
    if (is_executable_file(candidate)) return candidate;
  }
  return std::nullopt;
}

std::string read_whole_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Runs `gnuplot -e "out_png='…'; out_svg='…'" script` in `directory`; returns the exit
/// status (or 127 when exec failed) and gnuplot's stderr.
std::pair<int, std::string> run_gnuplot(const GnuplotProgram& gnuplot, const fs::path& directory,
                                        const std::string& script_name, const std::string& assignments) {
  const fs::path log_path = directory / (script_name + ".log");
  // The templates are UTF-8 (µ, °, −). Under the C locale (LANG unset: a fresh machine, cron)
  // gnuplot cannot convert them and warns on every figure, so it runs under C.UTF-8 (built
  // into glibc ≥ 2.35). Built before fork: the child may only call async-signal-safe functions.
  std::vector<std::string> environment_text;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    if (!variable.starts_with("LC_ALL=") && !variable.starts_with("LC_CTYPE=")) environment_text.emplace_back(variable);
  }
  environment_text.emplace_back("LC_ALL=C.UTF-8");
  std::vector<char*> environment;
  for (std::string& variable : environment_text) environment.push_back(variable.data());
  environment.push_back(nullptr);
  const pid_t child = ::fork();
  if (child < 0) throw Error("cannot start " + gnuplot.executable + ": fork failed");
  if (child == 0) {
    // Child: run in the figure directory so the script's relative data paths resolve,
    // with stderr captured for the error message.
    if (::chdir(directory.c_str()) != 0) ::_exit(126);
    const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (log >= 0) {
      ::dup2(log, STDERR_FILENO);
      ::dup2(log, STDOUT_FILENO);
      ::close(log);
    }
    const char* arguments[] = {gnuplot.executable.c_str(), "-e", assignments.c_str(), script_name.c_str(), nullptr};
    ::execve(gnuplot.executable.c_str(), const_cast<char* const*>(arguments), environment.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) throw Error("lost track of " + gnuplot.executable + ": waitpid failed");
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::string log_text = read_whole_file(log_path);
  std::error_code ignored;
  fs::remove(log_path, ignored);
  return {code, log_text};
}

/// Last lines of gnuplot's diagnostics, indented, for an error message.
std::string tail_lines(const std::string& text, std::size_t max_lines) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  std::string out;
  for (std::size_t i = lines.size() > max_lines ? lines.size() - max_lines : 0; i < lines.size(); ++i) {
    out += "\n  " + lines[i];
  }
  return out;
}

/// Last line of defence before gnuplot runs a script: the builders quote every name
/// (gnuplot_quote) and build file names from safe_file_stem(), and this refuses a figure
/// where that was missed, instead of letting gnuplot execute whatever a name smuggled in.
void require_safe_script_text(const Figure& figure) {
  auto refuse = [&](const std::string& what) {
    throw std::invalid_argument("render_figures: figure '" + safe_file_stem(figure.name) + "': " + what);
  };
  if (!is_safe_file_name(figure.name)) refuse("the figure name is not a safe file name");
  for (const auto& [file_name, content] : figure.data_files) {
    if (!is_safe_file_name(file_name)) refuse("data file '" + safe_file_stem(file_name) + "' is not a safe file name");
  }
  const std::string hazard = scan_gnuplot_script(figure.script).hazard;
  if (!hazard.empty()) refuse("unsafe script text at " + hazard);
}

}  // namespace

GnuplotProgram find_gnuplot() {
  const char* override_value = std::getenv(kGnuplotEnvironmentVariable);
  const bool overridden = override_value != nullptr && *override_value != '\0';
  const std::string name = overridden ? override_value : "gnuplot";
  if (auto path = resolve_program(name)) return {path->string()};
  const std::string origin = overridden ? std::string(kGnuplotEnvironmentVariable) + "=" + name : "gnuplot on PATH";
  throw InputError({overridden ? "<environment>" : "<PATH>", 0, 0}, "gnuplot",
                   "cannot find the gnuplot program (" + origin +
                       "); figures need it: install the Debian package gnuplot-nox "
                       "(scripts/install-deps.sh) or set " + kGnuplotEnvironmentVariable + " to its path");
}

namespace {

/// Figures go into a real folder (or one not there yet): a symlink named like it would send
/// them, and the replacement of same-named files, into wherever the link points.
void refuse_anything_but_a_folder(const fs::path& figures_dir) {
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(figures_dir, ec);
  if (ec || status.type() == fs::file_type::not_found || status.type() == fs::file_type::directory) return;
  throw Error("cannot write figures into " + figures_dir.string() +
              ": a file or link has this name; lactsim writes figures only into a real folder (nothing was changed)");
}

}  // namespace

std::vector<fs::path> render_figures(const std::vector<Figure>& figures, const fs::path& figures_dir,
                                     const GnuplotProgram& gnuplot) {
  std::set<std::string> names;
  for (const Figure& figure : figures) {
    if (figure.name.empty()) throw std::invalid_argument("render_figures: figure with an empty name");
    if (!names.insert(figure.name).second) {
      throw std::invalid_argument("render_figures: two figures named '" + figure.name + "'");
    }
    require_safe_script_text(figure);
  }
  refuse_anything_but_a_folder(figures_dir);
  const fs::path parent = figures_dir.has_parent_path() ? figures_dir.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw Error("cannot create directory " + parent.string() + ": " + ec.message());
  remove_stale_temporaries(parent);
  // Exclusive and unguessable: a folder or link planted in advance cannot stand in for it.
  const fs::path staging = create_temporary_directory(parent, figures_dir.filename().string());
  // Whatever happens below, the staging directory does not outlive this call.
  struct RemoveOnExit {
    fs::path path;
    ~RemoveOnExit() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  } remove_staging{staging};

  std::vector<std::string> produced;
  for (const Figure& figure : figures) {
    for (const auto& [file_name, content] : figure.data_files) {
      write_file_atomically(staging / file_name, content);
      produced.push_back(file_name);
    }
    const std::string script_name = figure.name + ".gp";
    write_file_atomically(staging / script_name, figure.script);
    produced.push_back(script_name);
    const std::string png = figure.name + ".png";
    const std::string svg = figure.name + ".svg";
    const auto [code, diagnostics] =
        run_gnuplot(gnuplot, staging, script_name, "out_png=" + gnuplot_quote(png) + "; out_svg=" + gnuplot_quote(svg));
    if (code != 0) {
      throw Error("gnuplot (" + gnuplot.executable + ") failed with exit status " + std::to_string(code) +
                  " on figure '" + figure.name + "'" + (code == 127 ? " (could not execute it)" : "") +
                  tail_lines(diagnostics, 8));
    }
    for (const std::string& image : {png, svg}) {
      if (fs::file_size(staging / image, ec) == 0 || ec) {
        throw Error("gnuplot (" + gnuplot.executable + ") wrote no " + image + tail_lines(diagnostics, 8));
      }
      produced.push_back(image);
    }
  }

  refuse_anything_but_a_folder(figures_dir);  // again: it may have been replaced while gnuplot ran
  fs::create_directories(figures_dir, ec);
  if (ec) throw Error("cannot create directory " + figures_dir.string() + ": " + ec.message());
  std::vector<fs::path> written;
  for (const std::string& file_name : produced) {
    fs::rename(staging / file_name, figures_dir / file_name, ec);
    if (ec) throw Error("cannot move " + (staging / file_name).string() + " into " + figures_dir.string() + ": " +
                        ec.message());
    written.push_back(figures_dir / file_name);
  }
  return written;
}

}  // namespace lactsim
