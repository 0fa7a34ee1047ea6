#pragma once
/// @file plot_templates.hpp
/// The gnuplot script templates kept in plot/templates/*.gp, compiled into the library.
/// Placeholders are written {{KEY}} and filled by fill_plot_template().

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lactsim {

/// The text of template plot/templates/<name>.gp.
/// @throws std::invalid_argument when no such template was compiled in
std::string_view plot_template(std::string_view name);

/// Names of all compiled-in templates, sorted.
std::vector<std::string> plot_template_names();

/// Replaces every {{KEY}} in `text` by its value.
/// @throws std::invalid_argument naming the first placeholder left without a value
std::string fill_plot_template(std::string_view text,
                               const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace lactsim

namespace lactsim {

/// The shared head of every figure script (plot/templates/_preamble.gp): output file names
/// defaulting to NAME.png / NAME.svg, CSV input, and greyscale-distinct line styles
/// 1-6 (model series) and 11-16 (observed series).
std::string figure_preamble(const std::string& figure_name);

/// The terminal selection inside a figure's render loop (plot/templates/_terminal.gp): pngcairo
/// on the first pass, svg on the second, both `width_px` × `height_px`.
/// @throws std::invalid_argument for a non-positive size
std::string figure_terminal(int width_px, int height_px, int font_size_pt);

/// Plot elements joined for a multi-line gnuplot `plot` command (", \" between lines).
/// @throws std::invalid_argument when `elements` is empty (gnuplot needs one)
std::string plot_element_lines(const std::vector<std::string>& elements);

// ---- Text from outside lactsim in a script (docs/figures.md, "Names in scripts") ----

/// `text` as a single-quoted gnuplot string literal: the one way text that is not part of
/// a template reaches a figure script — titles, labels, units, file names, and text in
/// comment lines too. Inside single quotes gnuplot processes nothing but '' (a quote), so
/// backslashes, double quotes, `@` (macros), backticks (command substitution), `#` and
/// braces stay text. An apostrophe becomes U+2019: gnuplot 5.4 mis-scans '' at the start of
/// a literal or twice in a row. What one such literal cannot hold becomes U+FFFD: line breaks (a raw
/// newline ends the command and gnuplot runs the next line), CR, NUL (gnuplot's reader
/// stops there), every other control character, U+2028/U+2029 and bytes that are not
/// UTF-8. So the literal always closes on its own line. A zero-width space goes between "]]"
/// and ">": the svg terminal writes text as XML character data, which cannot hold "]]>".
std::string gnuplot_quote(std::string_view text);

/// `text` made usable inside a figure or data file name: ASCII letters, digits, '-' and '_'
/// kept, every other byte '_'. Names built from these pass gnuplot_quote() unchanged, so a
/// script names its data files exactly (a replaced character would name another file).
std::string safe_file_stem(std::string_view text);

/// Whether `name` is a figure or data file name that render_figures() accepts: non-empty,
/// not starting with '.', and only ASCII letters, digits, '-', '_' and '.'.
bool is_safe_file_name(std::string_view name);

/// A figure script as gnuplot's reader and scanner split it (docs/figures.md).
struct GnuplotScriptScan {
  /// The script with the content of every string literal and comment removed ('', ""
  /// and # remain). Two scripts built from the same template and data but different
  /// names differ here only when some name escaped its literal.
  std::string skeleton;
  /// The first construct through which text could end a command early or run one, as
  /// "line N: what": a literal left open at the end of its line, a backtick or `@`
  /// outside single quotes, a comment continued onto the next line by a trailing
  /// backslash, a control character other than newline and tab, U+2028/U+2029 or bytes
  /// that are not UTF-8. Empty when there is none.
  std::string hazard;
};

/// Reads `script` the way gnuplot would; see GnuplotScriptScan.
GnuplotScriptScan scan_gnuplot_script(std::string_view script);

}  // namespace lactsim
