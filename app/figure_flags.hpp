#pragma once
// --figure-format, --figure-size and --dpi: how every command that draws figures writes them.

#include <CLI/CLI.hpp>
#include <string>

#include "lactsim/plot/plot_render.hpp"

namespace lactsim::cli {

/// The figure options of one command line (docs/figures.md, "Formats and size").
class FigureFlags {
 public:
  /// Registers --figure-format, --figure-size and --dpi on `app`.
  void add_to(CLI::App& app);
  /// The validated choice. @throws InputError naming --figure-format, --figure-size or --dpi
  FigureFormat format() const;

 private:
  std::string formats_ = "png";
  std::string size_;
  int dpi_ = 0;
};

}  // namespace lactsim::cli
