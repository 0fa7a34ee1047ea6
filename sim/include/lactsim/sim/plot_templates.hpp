#pragma once
/// @file plot_templates.hpp
/// The gnuplot script templates kept in plots/*.gp, compiled into the library.
/// Placeholders are written {{KEY}} and filled by fill_plot_template().

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lactsim {

/// The text of template plots/<name>.gp.
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

/// The shared head of every figure script (plots/_preamble.gp): output file names
/// defaulting to NAME.png / NAME.svg, CSV input, and greyscale-distinct line styles
/// 1-6 (model series) and 11-16 (observed series).
std::string figure_preamble(const std::string& figure_name);

/// The terminal selection inside a figure's render loop (plots/_terminal.gp): pngcairo
/// on the first pass, svg on the second, both `width_px` × `height_px`.
/// @throws std::invalid_argument for a non-positive size
std::string figure_terminal(int width_px, int height_px, int font_size_pt);

/// Plot elements joined for a multi-line gnuplot `plot` command (", \" between lines).
/// @throws std::invalid_argument when `elements` is empty (gnuplot needs one)
std::string plot_element_lines(const std::vector<std::string>& elements);

}  // namespace lactsim
