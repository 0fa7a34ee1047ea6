# lactsim figure 4: population prediction bands of milk per day, observed data overlaid.
# Template plots/population_bands.gp; re-render by hand with `gnuplot {{NAME}}.gp` here.
{{PREAMBLE}}
do for [lactsim_terminal = 1:2] {
{{TERMINAL}}
  set title {{TITLE}}
  set xlabel 'day after birth'
  set ylabel 'milk to infant (mL/day)'
  set xrange [{{X_FROM}}:{{X_TO}}]
  set xtics 1 nomirror
  set ytics nomirror
  set yrange [0:*]
  set grid ytics lc rgb '#dddddd'
  set key top left box opaque samplen 3 spacing 1.2
  set style fill transparent solid 0.25 noborder
  plot \
{{PLOT_ELEMENTS}}
  set output
}
