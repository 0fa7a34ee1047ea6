# lactsim figure 6b: profile likelihood per parameter, with the 95% threshold
# 2(NLL - NLL_min) = 3.84 (chi-square, 1 degree of freedom); values below it form the
# 95% confidence interval. Template plot/templates/profile_likelihood.gp; re-render with
# `gnuplot {{SCRIPT_FILE}}` here.
{{PREAMBLE}}
do for [lactsim_format in figure_formats] {
{{TERMINAL}}
  set multiplot layout {{ROWS}},{{COLUMNS}} title {{TITLE}} margins {{MARGIN_LEFT}}, {{MARGIN_RIGHT}}, {{MARGIN_BOTTOM}}, {{MARGIN_TOP}} spacing {{SPACING_X}}, {{SPACING_Y}}
  set grid lc rgb '#dddddd'
  set tics nomirror
  set ylabel '2 (NLL - NLL_min)'
  # One key for all panels, between the figure title and the panels: inside a panel it could
  # cover a profile that is high in the middle.
  set key at screen 0.5, screen {{KEY_Y}} center top horizontal maxrows 1 box samplen 2 font ',9'
{{PANELS}}
  unset multiplot
  set output
}
