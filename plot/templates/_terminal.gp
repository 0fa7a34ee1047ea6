  if (lactsim_terminal == 1) {
    set terminal pngcairo noenhanced size {{WIDTH}},{{HEIGHT}} font 'DejaVu Sans,{{FONT_SIZE}}' linewidth 1
    set output out_png
  } else {
    set terminal svg noenhanced size {{WIDTH}},{{HEIGHT}} font 'DejaVu Sans,{{FONT_SIZE}}' dynamic background rgb 'white'
    set output out_svg
  }
