  # Size: figure_width_px x figure_height_px (default {{WIDTH}} x {{HEIGHT}}, the size this layout
  # is made for), printed at figure_dpi (default 96). Text, lines and points scale with the
  # smaller of the two size ratios, so the layout keeps its proportions at any size.
  lactsim_width = exists("figure_width_px") ? figure_width_px : {{WIDTH}}
  lactsim_height = exists("figure_height_px") ? figure_height_px : {{HEIGHT}}
  lactsim_dpi = exists("figure_dpi") ? figure_dpi : 96
  lactsim_scale = 1.0 * lactsim_width / {{WIDTH}} < 1.0 * lactsim_height / {{HEIGHT}} ? 1.0 * lactsim_width / {{WIDTH}} : 1.0 * lactsim_height / {{HEIGHT}}
  # PDF is drawn to look like the PNG: measured with gnuplot 5.4, pdfcairo (page in inches at
  # figure_dpi) draws text and symbols 4/3 as large and lines 2/3 as wide as pngcairo on a page
  # of the same pixels at 96 dpi. SVG is always drawn at the layout's own size (its fontscale
  # scales some texts and not others, and key boxes not at all); lactsim sets the width and
  # height of a figure asked at another size, and viewers scale the drawing to fit.
  if (lactsim_format eq 'pdf') {
    lactsim_pdf_scale = lactsim_scale * 96.0 / lactsim_dpi
    set terminal pdfcairo noenhanced size 1.0 * lactsim_width / lactsim_dpi, 1.0 * lactsim_height / lactsim_dpi font 'DejaVu Sans,{{FONT_SIZE}}' fontscale 0.75 * lactsim_pdf_scale linewidth 1.5 * lactsim_pdf_scale pointscale 0.75 * lactsim_pdf_scale
    set output out_pdf
  } else {
    if (lactsim_format eq 'svg') {
      set terminal svg noenhanced size {{WIDTH}}, {{HEIGHT}} font 'DejaVu Sans,{{FONT_SIZE}}' dynamic background rgb 'white'
      set output out_svg
    } else {
      set terminal pngcairo noenhanced size lactsim_width, lactsim_height font 'DejaVu Sans,{{FONT_SIZE}}' fontscale lactsim_scale linewidth lactsim_scale pointscale lactsim_scale
      set output out_png
    }
  }
