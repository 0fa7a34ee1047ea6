# lactsim figure 4: population prediction bands of milk per day, observed data overlaid.
# Template plot/templates/population_bands.gp; re-render by hand with `gnuplot {{SCRIPT_FILE}}` here.
{{PREAMBLE}}
do for [lactsim_format in figure_formats] {
{{TERMINAL}}
  set title {{TITLE}}
  set xlabel 'day after birth'
  set ylabel 'milk to infant (mL/day)'
  set xrange [{{X_FROM}}:{{X_TO}}]
  set xtics 1 nomirror
  set ytics nomirror
  set yrange [0:*]
  set grid ytics lc rgb '#dddddd'
  # Key below the axes (observed ranges can reach the top of the plot), under the x label.
  set bmargin at screen {{BOTTOM_MARGIN}}
  set key at screen 0.09, screen 0.015 left bottom Left reverse box samplen 3 spacing 1.1
  set style fill transparent solid 0.25 noborder
  plot \
{{PLOT_ELEMENTS}}
  set output
}
