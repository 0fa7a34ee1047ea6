#include "figure_flags.hpp"

#include "command.hpp"
#include "lactsim/engine/errors.hpp"

namespace lactsim::cli {

void FigureFlags::add_to(CLI::App& app) {
  app.add_option("--figure-format", formats_, "image formats of the figures: png, svg and/or pdf, comma-separated")
      ->capture_default_str();
  app.add_option("--figure-size", size_,
                 "figure size WIDTHxHEIGHT in pixels (PDF: at --dpi); text and lines scale with it "
                 "(default: each figure's own size)");
  app.add_option("--dpi", dpi_, "print resolution recorded in the PNG and setting the PDF page size (default: 96, not recorded)")
      ->check(CLI::Range(1, kMaxFigureDpi));
}

FigureFormat FigureFlags::format() const {
  FigureFormat format = parse_figure_formats(formats_, kCommandLineOrigin, "--figure-format");
  if (!size_.empty()) parse_figure_size(size_, kCommandLineOrigin, "--figure-size", format);
  format.dpi = dpi_;
  return format;
}

}  // namespace lactsim::cli
