  # Size: figure_width_px x figure_height_px (default {{WIDTH}} x {{HEIGHT}}, the size this layout
  # is made for), printed at figure_dpi (default 96). Text, lines and points scale with the
  # smaller of the two size ratios, so the layout keeps its proportions at any size.
  lactsim_width = exists("figure_width_px") ? figure_width_px : {{WIDTH}}
  lactsim_height = exists("figure_height_px") ? figure_height_px : {{HEIGHT}}
  lactsim_dpi = exists("figure_dpi") ? figure_dpi : 96
  lactsim_scale = 1.0 * lactsim_width / {{WIDTH}} < 1.0 * lactsim_height / {{HEIGHT}} ? 1.0 * lactsim_width / {{WIDTH}} : 1.0 * lactsim_height / {{HEIGHT}}
  if (lactsim_format eq 'pdf') {
    # PDF in inches at figure_dpi; its fonts are in points of that page, so they scale with it.
    lactsim_pdf_scale = lactsim_scale * 96.0 / lactsim_dpi
    set terminal pdfcairo noenhanced size 1.0 * lactsim_width / lactsim_dpi, 1.0 * lactsim_height / lactsim_dpi font 'DejaVu Sans,{{FONT_SIZE}}' fontscale lactsim_pdf_scale linewidth lactsim_pdf_scale pointscale lactsim_pdf_scale
    set output out_pdf
  } else {
    if (lactsim_format eq 'svg') {
      set terminal svg noenhanced size lactsim_width, lactsim_height font 'DejaVu Sans,{{FONT_SIZE}}' fontscale lactsim_scale linewidth lactsim_scale dynamic background rgb 'white'
      set output out_svg
    } else {
      set terminal pngcairo noenhanced size lactsim_width, lactsim_height font 'DejaVu Sans,{{FONT_SIZE}}' fontscale lactsim_scale linewidth lactsim_scale pointscale lactsim_scale
      set output out_png
    }
  }
