#include "lactsim/plot/plot_templates.hpp"

#include <algorithm>
#include <stdexcept>

namespace lactsim {
namespace detail {
// Defined in the source plot/templates/EmbedTemplates.cmake generates from plot/templates/*.gp.
extern const std::pair<std::string_view, std::string_view> kPlotTemplates[];
extern const unsigned kPlotTemplateCount;
}  // namespace detail

std::string_view plot_template(std::string_view name) {
  for (unsigned i = 0; i < detail::kPlotTemplateCount; ++i) {
    if (detail::kPlotTemplates[i].first == name) return detail::kPlotTemplates[i].second;
  }
  throw std::invalid_argument("plot_template: no template plot/templates/" + std::string(name) + ".gp was compiled in");
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

#include <optional>

#include "lactsim/plot/plot_render.hpp"

namespace lactsim {

std::string figure_preamble(const std::string& figure_name) {
  return fill_plot_template(plot_template("_preamble"), {{"PNG", gnuplot_quote(figure_name + ".png")},
                                                         {"SVG", gnuplot_quote(figure_name + ".svg")},
                                                         {"PDF", gnuplot_quote(figure_name + ".pdf")}});
}

std::string figure_terminal(int width_px, int height_px, int font_size_pt) {
  if (width_px <= 0 || height_px <= 0 || font_size_pt <= 0) {
    throw std::invalid_argument("figure_terminal: width_px, height_px and font_size_pt must be positive");
  }
  return fill_plot_template(plot_template("_terminal"), {{"WIDTH", std::to_string(width_px)},
                                                         {"HEIGHT", std::to_string(height_px)},
                                                         {"FONT_SIZE", std::to_string(font_size_pt)}});
}

namespace {

/// One UTF-8 sequence at the start of `text`: its code point and length, or nothing when
/// the bytes there are not well-formed UTF-8 (overlong, surrogate, beyond U+10FFFF, cut short).
struct CodePoint {
  char32_t value;
  std::size_t length;
};
std::optional<CodePoint> decode_utf8(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return CodePoint{lead, 1};
  std::size_t length = 0;
  char32_t value = 0, minimum = 0;
  if ((lead & 0xE0) == 0xC0) length = 2, value = lead & 0x1F, minimum = 0x80;
  else if ((lead & 0xF0) == 0xE0) length = 3, value = lead & 0x0F, minimum = 0x800;
  else if ((lead & 0xF8) == 0xF0) length = 4, value = lead & 0x07, minimum = 0x10000;
  else return std::nullopt;
  if (text.size() < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return std::nullopt;
    value = (value << 6) | (byte(i) & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return std::nullopt;
  return CodePoint{value, length};
}

/// Characters that must not appear raw in a script line: they end the line for gnuplot
/// (newline; NUL ends its reader's C string), or for an editor, a terminal or another
/// reader of the .gp file (CR, the other C0 and C1 controls, DEL, U+2028, U+2029).
bool unsafe_in_a_script_line(char32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD in UTF-8
constexpr std::string_view kZeroWidthSpace = "\xE2\x80\x8B";         // U+200B in UTF-8

bool is_safe_stem_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

std::string gnuplot_quote(std::string_view text) {
  std::string out = "'";
  for (std::size_t i = 0; i < text.size();) {
    const auto code_point = decode_utf8(text.substr(i));
    if (!code_point || unsafe_in_a_script_line(code_point->value)) {
      out += kReplacementCharacter;
      i += code_point ? code_point->length : 1;
      continue;
    }
    // gnuplot 5.4 reads '' inside single quotes as one quote, but mis-scans a literal that
    // starts with it or holds two in a row: the figure then fails, and with it the whole run.
    // The typographic apostrophe U+2019 reads the same on a figure and needs no escape.
    if (text[i] == '\'') {
      out += "\u2019";
      ++i;
      continue;
    }
    // gnuplot's svg terminal writes text as XML character data, where "]]>" is not allowed
    // (the SVG would not parse); a zero-width space breaks it up without changing the text's look.
    if (text[i] == '>' && out.ends_with("]]")) out += kZeroWidthSpace;
    out.append(text.substr(i, code_point->length));
    i += code_point->length;
  }
  return out + "'";
}

std::string safe_file_stem(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (!is_safe_stem_byte(c)) c = '_';
  }
  return out;
}

bool is_safe_file_name(std::string_view name) {
  return !name.empty() && name.front() != '.' &&
         std::all_of(name.begin(), name.end(), [](char c) { return is_safe_stem_byte(c) || c == '.'; });
}

GnuplotScriptScan scan_gnuplot_script(std::string_view script) {
  GnuplotScriptScan scan;
  int line = 1;
  auto hazard = [&](const std::string& what) {
    if (scan.hazard.empty()) scan.hazard = "line " + std::to_string(line) + ": " + what;
  };
  enum class State { command, comment, single_quoted, double_quoted } state = State::command;
  bool comment_ends_in_backslash = false;  // gnuplot joins such a comment with the next line
  for (std::size_t i = 0; i < script.size();) {
    const auto code_point = decode_utf8(script.substr(i));
    if (!code_point) {
      hazard("bytes that are not UTF-8");
      ++i;
      continue;
    }
    const char32_t c = code_point->value;
    const std::string_view text = script.substr(i, code_point->length);
    i += code_point->length;
    if (c == '\n') {
      if (state == State::single_quoted || state == State::double_quoted) {
        hazard("a string literal left open at the end of the line (gnuplot runs the next line as a command)");
        scan.skeleton += state == State::single_quoted ? '\'' : '"';
      }
      if (state == State::comment && comment_ends_in_backslash) {
        hazard("a comment ending in a backslash (it swallows the next line)");
      }
      state = State::command;
      scan.skeleton += '\n';
      ++line;
      continue;
    }
    if (c != '\t' && unsafe_in_a_script_line(c)) hazard("a control character or line separator");
    switch (state) {
      case State::command:
        if (c == '#') state = State::comment, comment_ends_in_backslash = false;
        else if (c == '\'') state = State::single_quoted;
        else if (c == '"') state = State::double_quoted;
        else if (c == '`') hazard("a backtick outside single quotes (command substitution)");
        else if (c == '@') hazard("an '@' outside quotes (macro expansion)");
        scan.skeleton += text;
        break;
      case State::comment:
        comment_ends_in_backslash = c == '\\';
        break;
      case State::single_quoted:
        if (c == '\'') {
          if (i < script.size() && script[i] == '\'') {
            ++i;  // '' is a quote inside the literal
          } else {
            state = State::command;
            scan.skeleton += '\'';
          }
        }
        break;
      case State::double_quoted:
        if (c == '"') {
          state = State::command;
          scan.skeleton += '"';
        } else if (c == '`') {
          hazard("a backtick inside double quotes (command substitution)");
        } else if (c == '\\' && i < script.size() && script[i] != '\n') {
          // The escaped character is part of the literal (a '\"' does not close it).
          const auto escaped = decode_utf8(script.substr(i));
          if (!escaped) hazard("bytes that are not UTF-8");
          else if (unsafe_in_a_script_line(escaped->value)) hazard("a control character or line separator");
          i += escaped ? escaped->length : 1;
        }
        break;
    }
  }
  if (state == State::single_quoted || state == State::double_quoted) {
    hazard("a string literal left open at the end of the script");
    scan.skeleton += state == State::single_quoted ? '\'' : '"';
  }
  return scan;
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
