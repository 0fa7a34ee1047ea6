#include "figure_flags.hpp"

#include <algorithm>

#include "command.hpp"
#include "number_flags.hpp"
#include "lactsim/engine/errors.hpp"
#include "lactsim/engine/text_format.hpp"

namespace lactsim::cli {

void FigureFlags::add_to(CLI::App& app) {
  app.add_option("--figure-format", formats_, "image formats of the figures: png, svg and/or pdf, comma-separated")
      ->capture_default_str();
  app.add_option("--figure-size", size_,
                 "figure size WIDTHxHEIGHT in pixels (PDF: at --dpi); text and lines scale with it "
                 "(default: each figure's own size)");
  // Plain decimal digits only: CLI11's own conversion read "0x60" as hexadecimal and " 96" as 96.
  app.add_option("--dpi", dpi_, "print resolution recorded in the PNG and setting the PDF page size (default: 96, not recorded)")
      ->transform(count_in_range(1, kMaxFigureDpi));
}

FigureFormat FigureFlags::format() const {
  FigureFormat format = parse_figure_formats(formats_, kCommandLineOrigin, "--figure-format");
  if (!size_.empty()) parse_figure_size(size_, kCommandLineOrigin, "--figure-size", format);
  format.dpi = dpi_;
  if (!size_.empty()) {
    // The page (the PDF's, and the PNG's printed size) is the pixels at the dpi: 20000 px at
    // 1 dpi was far beyond PDF's 200 inches, 100 px at 4800 dpi a 0.02-inch page.
    const double dpi = dpi_ > 0 ? dpi_ : 96.0;
    const double width_in = format.width_px / dpi, height_in = format.height_px / dpi;
    if (std::min(width_in, height_in) < kMinFigurePageInches || std::max(width_in, height_in) > kMaxFigurePageInches) {
      throw InputError({kCommandLineOrigin, 0, 0}, "--figure-size",
                       "'" + size_ + "' at --dpi " + format_number(dpi) + " is a page of " + format_number(width_in, 3) +
                           " x " + format_number(height_in, 3) + " inches; each side (pixels / dpi) must be " +
                           format_number(kMinFigurePageInches) + " to " + format_number(kMaxFigurePageInches) + " inches");
    }
  }
  return format;
}

}  // namespace lactsim::cli
