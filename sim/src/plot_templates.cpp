#include "lactsim/sim/plot_templates.hpp"

#include <algorithm>
#include <stdexcept>

namespace lactsim {
namespace detail {
// Defined in the source plots/EmbedTemplates.cmake generates from plots/*.gp.
extern const std::pair<std::string_view, std::string_view> kPlotTemplates[];
extern const unsigned kPlotTemplateCount;
}  // namespace detail

std::string_view plot_template(std::string_view name) {
  for (unsigned i = 0; i < detail::kPlotTemplateCount; ++i) {
    if (detail::kPlotTemplates[i].first == name) return detail::kPlotTemplates[i].second;
  }
  throw std::invalid_argument("plot_template: no template plots/" + std::string(name) + ".gp was compiled in");
}

std::vector<std::string> plot_template_names() {
  std::vector<std::string> names;
  for (unsigned i = 0; i < detail::kPlotTemplateCount; ++i) names.emplace_back(detail::kPlotTemplates[i].first);
  std::sort(names.begin(), names.end());
  return names;
}

std::string fill_plot_template(std::string_view text, const std::vector<std::pair<std::string, std::string>>& values) {
  std::string out;
  std::size_t position = 0;
  while (true) {
    const std::size_t open = text.find("{{", position);
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    const std::string_view key = text.substr(open + 2, close - open - 2);
    auto value = std::find_if(values.begin(), values.end(), [&](const auto& entry) { return entry.first == key; });
    if (value == values.end()) {
      throw std::invalid_argument("fill_plot_template: no value for placeholder {{" + std::string(key) + "}}");
    }
    out.append(text.substr(position, open - position));
    out += value->second;
    position = close + 2;
  }
  out.append(text.substr(position));
  return out;
}

}  // namespace lactsim

#include "lactsim/sim/plot_render.hpp"

namespace lactsim {

std::string figure_preamble(const std::string& figure_name) {
  return fill_plot_template(plot_template("_preamble"), {{"PNG", gnuplot_quote(figure_name + ".png")},
                                                         {"SVG", gnuplot_quote(figure_name + ".svg")}});
}

std::string figure_terminal(int width_px, int height_px, int font_size_pt) {
  if (width_px <= 0 || height_px <= 0 || font_size_pt <= 0) {
    throw std::invalid_argument("figure_terminal: width_px, height_px and font_size_pt must be positive");
  }
  return fill_plot_template(plot_template("_terminal"), {{"WIDTH", std::to_string(width_px)},
                                                         {"HEIGHT", std::to_string(height_px)},
                                                         {"FONT_SIZE", std::to_string(font_size_pt)}});
}

std::string plot_element_lines(const std::vector<std::string>& elements) {
  if (elements.empty()) throw std::invalid_argument("plot_element_lines: a plot needs at least one element");
  std::string out;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    out += "    " + elements[i] + (i + 1 < elements.size() ? ", \\\n" : "\n");
  }
  return out;
}

}  // namespace lactsim
