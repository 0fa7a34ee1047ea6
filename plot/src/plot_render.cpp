#include "lactsim/plot/plot_render.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "lactsim/engine/errors.hpp"
#include "lactsim/io/input_limits.hpp"
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
  // gnuplot runs under C.UTF-8 (built into glibc ≥ 2.35) whatever the user's locale, so the same
  // script gives the same figure everywhere. The scripts need no UTF-8 locale of their own: they
  // do not `set encoding` (which made gnuplot warn about the degree sign under the C locale), and
  // a test re-renders them by hand under LC_ALL=C. Built before fork: the child may only call
  // async-signal-safe functions.
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

/// CRC-32 (ISO 3309, as PNG chunks use it) of `bytes`.
std::uint32_t png_crc32(std::string_view bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (char byte : bytes) {
    crc ^= static_cast<unsigned char>(byte);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return crc ^ 0xFFFFFFFFu;
}

std::string big_endian_32(std::uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8),
          static_cast<char>(value)};
}

/// Records `dpi` in the PNG file at `path` as a pHYs chunk (pixels per metre) right after
/// IHDR, which the format requires to come first: journals and print software read the
/// resolution from there (pngcairo writes none).
void record_png_resolution(const fs::path& path, int dpi) {
  std::string png = read_whole_file(path);
  constexpr std::size_t kIhdrEnd = 8 + 4 + 4 + 13 + 4;  // signature, IHDR length, type, data, CRC
  if (png.size() < kIhdrEnd || png.compare(12, 4, "IHDR") != 0) throw Error(path.string() + ": not a PNG file gnuplot wrote");
  const auto pixels_per_metre = static_cast<std::uint32_t>(std::lround(dpi / 0.0254));
  const std::string body = "pHYs" + big_endian_32(pixels_per_metre) + big_endian_32(pixels_per_metre) + std::string(1, '\1');
  png.insert(kIhdrEnd, big_endian_32(9) + body + big_endian_32(png_crc32(body)));
  write_file_atomically(path, png);
}

/// Gives the SVG file at `path` a width and height: gnuplot draws it at the layout's own size,
/// kept as its viewBox, and with no size of its own ("dynamic"), so viewers scale the drawing
/// uniformly into the size asked for.
void set_svg_size(const fs::path& path, int width_px, int height_px) {
  std::string svg = read_whole_file(path);
  const std::size_t root = svg.find("<svg");
  const std::size_t root_end = root == std::string::npos ? root : svg.find('>', root);
  if (root_end == std::string::npos || svg.substr(root, root_end - root).find(" width=") != std::string::npos) {
    throw Error(path.string() + ": not an SVG file of the form gnuplot's dynamic svg terminal writes");
  }
  svg.insert(root + 4, " width=\"" + std::to_string(width_px) + "\" height=\"" + std::to_string(height_px) + "\"");
  write_file_atomically(path, svg);
}

}  // namespace

FigureFormat parse_figure_formats(std::string_view text, std::string_view origin, std::string_view field) {
  const std::vector<std::string> names = parse_format_list(text, {"png", "svg", "pdf"}, origin, field);
  const auto chosen = [&](const char* name) { return std::find(names.begin(), names.end(), name) != names.end(); };
  FigureFormat format;
  format.png = chosen("png"), format.svg = chosen("svg"), format.pdf = chosen("pdf");
  return format;
}

void parse_figure_size(std::string_view text, std::string_view origin, std::string_view field, FigureFormat& format) {
  const std::size_t x = text.find('x');
  int width = 0, height = 0;
  auto number = [](std::string_view digits, int& value) {
    if (digits.empty() || digits.size() > 5) return false;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return error == std::errc{} && end == digits.data() + digits.size();
  };
  if (x == std::string_view::npos || !number(text.substr(0, x), width) || !number(text.substr(x + 1), height) ||
      width < kMinFigurePixels || height < kMinFigurePixels || width > kMaxFigurePixels || height > kMaxFigurePixels) {
    throw InputError({std::string(origin), 0, 0}, std::string(field),
                     "'" + std::string(text) + "' is not a size WIDTHxHEIGHT in pixels, each " +
                         std::to_string(kMinFigurePixels) + " to " + std::to_string(kMaxFigurePixels) + " (e.g. 1800x1200)");
  }
  format.width_px = width, format.height_px = height;
}

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
                                     const GnuplotProgram& gnuplot, const FigureFormat& format) {
  if (!format.png && !format.svg && !format.pdf) throw std::invalid_argument("render_figures: no image format chosen");
  std::vector<std::string> extensions;
  if (format.png) extensions.push_back("png");
  if (format.svg) extensions.push_back("svg");
  if (format.pdf) extensions.push_back("pdf");
  std::string format_assignments = "; figure_formats='";
  for (std::size_t i = 0; i < extensions.size(); ++i) format_assignments += (i ? " " : "") + extensions[i];
  format_assignments += "'";
  if (format.width_px > 0 && format.height_px > 0) {
    format_assignments += "; figure_width_px=" + std::to_string(format.width_px) +
                          "; figure_height_px=" + std::to_string(format.height_px);
  }
  if (format.dpi > 0) format_assignments += "; figure_dpi=" + std::to_string(format.dpi);
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
    std::string assignments;
    for (const char* extension : {"png", "svg", "pdf"}) {
      assignments += std::string(assignments.empty() ? "out_" : "; out_") + extension + "=" +
                     gnuplot_quote(figure.name + "." + extension);
    }
    const auto [code, diagnostics] = run_gnuplot(gnuplot, staging, script_name, assignments + format_assignments);
    if (code != 0) {
      throw Error("gnuplot (" + gnuplot.executable + ") failed with exit status " + std::to_string(code) +
                  " on figure '" + figure.name + "'" + (code == 127 ? " (could not execute it)" : "") +
                  tail_lines(diagnostics, 8));
    }
    for (const std::string& extension : extensions) {
      const std::string image = figure.name + "." + extension;
      if (fs::file_size(staging / image, ec) == 0 || ec) {
        throw Error("gnuplot (" + gnuplot.executable + ") wrote no " + image + tail_lines(diagnostics, 8));
      }
      if (extension == "png" && format.dpi > 0) record_png_resolution(staging / image, format.dpi);
      if (extension == "svg" && format.width_px > 0 && format.height_px > 0) {
        set_svg_size(staging / image, format.width_px, format.height_px);
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
