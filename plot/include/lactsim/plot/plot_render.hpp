#pragma once
/// @file plot_render.hpp
/// Renders figures with gnuplot (Debian package gnuplot-nox: pngcairo and svg terminals).
/// A figure is a filled script template plus its data files; both are written next to
/// the PNG and SVG so a user can restyle and re-render by hand (`gnuplot NAME.gp`).

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lactsim/plot/plot_templates.hpp"  // gnuplot_quote(), for every figure builder

namespace lactsim {

/// Environment variable that overrides the gnuplot executable (a name on PATH or a path).
inline constexpr const char* kGnuplotEnvironmentVariable = "LACTSIM_GNUPLOT";

/// The gnuplot program to run.
struct GnuplotProgram {
  std::string executable;  ///< resolved path of the program
};

/// Smallest and largest --figure-size side, pixels: below 200 px no layout's text is
/// readable; a 20000 × 20000 PNG took 67 s and 1.6 GB of memory.
inline constexpr int kMinFigurePixels = 200;
inline constexpr int kMaxFigurePixels = 10000;

/// Smallest and largest side of a figure's page, inches (pixels / dpi; without --dpi at
/// 96 dpi): PDF allows at most 200 inches, and a page under an inch is no figure.
inline constexpr double kMinFigurePageInches = 1.0;
inline constexpr double kMaxFigurePageInches = 200.0;

/// Largest --dpi (1200 is beyond any journal's line-art requirement).
inline constexpr int kMaxFigureDpi = 4800;

/// The image files of every figure and their size (--figure-format, --figure-size, --dpi).
struct FigureFormat {
  bool png = true;  ///< NAME.png (pngcairo)
  bool svg = false; ///< NAME.svg
  bool pdf = false; ///< NAME.pdf (pdfcairo)
  /// Image size in pixels (PDF: these pixels at `dpi`); 0 × 0: each figure's own size, the
  /// one its layout is made for. Text, lines and points scale with the smaller size ratio.
  int width_px = 0, height_px = 0;
  /// Print resolution, dots per inch: recorded in the PNG (pHYs) when set, and sets the PDF
  /// page size (width_px / dpi inches); 0: not recorded, PDF at 96 dpi.
  int dpi = 0;
};

/// Reads a --figure-format list ("png,svg,pdf": any of them, comma-separated, each once).
/// @throws InputError at `origin` naming `field` for an empty list, an unknown or repeated format
FigureFormat parse_figure_formats(std::string_view text, std::string_view origin, std::string_view field);

/// Reads a --figure-size "WxH" (pixels, each kMinFigurePixels to kMaxFigurePixels) into `format`.
/// @throws InputError at `origin` naming `field` for any other text
void parse_figure_size(std::string_view text, std::string_view origin, std::string_view field, FigureFormat& format);

/// One figure: a gnuplot script and the data it reads, all by file name relative to the
/// figure directory. The script writes NAME.png and NAME.svg (the formats in gnuplot's
/// variable `figure_formats`, to `out_png` / `out_svg` / `out_pdf`) unless those are set on
/// gnuplot's command line.
struct Figure {
  std::string name;    ///< file stem, e.g. "daily_milk"
  std::string script;  ///< complete gnuplot script
  std::vector<std::pair<std::string, std::string>> data_files;  ///< file name, content
  std::vector<std::string> series_titles;  ///< legend entries, for reports and tests
};

/// Finds gnuplot: $LACTSIM_GNUPLOT when set, else `gnuplot` on PATH.
/// @throws InputError (exit 2) naming the program and how to install it when not found
GnuplotProgram find_gnuplot();

/// Writes each figure's script and data into `figures_dir`, renders NAME.png, NAME.svg and/or
/// NAME.pdf as `format` asks, and returns every path written. All files are first produced in a temporary sibling
/// directory and moved into place only when every figure rendered, so a failure leaves
/// `figures_dir` as it was.
/// @param figures      figures to render; names must be distinct and non-empty
/// @param figures_dir  target directory, created when missing
/// @param gnuplot      program from find_gnuplot()
/// @throws std::invalid_argument for duplicate or empty figure names, a figure or data
///         file name that is not is_safe_file_name(), or a script in which
///         scan_gnuplot_script() finds a hazard (a builder let a name out of its literal)
/// @throws Error (exit 1) when gnuplot fails or produces an empty file; the message
///         quotes gnuplot's own diagnostics
std::vector<std::filesystem::path> render_figures(const std::vector<Figure>& figures,
                                                  const std::filesystem::path& figures_dir,
                                                  const GnuplotProgram& gnuplot, const FigureFormat& format = {});

}  // namespace lactsim
