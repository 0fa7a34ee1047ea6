# lactsim figure 5: infant weight change since birth, model against the vaginal nomogram median
# of Flaherman et al. 2015 and observed data.
# Template plot/templates/infant_weight.gp; lactsim fills in the placeholders. Re-render by hand with
#   gnuplot infant_weight.gp        (in this directory: writes infant_weight.png and .svg)
{{PREAMBLE}}
do for [lactsim_format in figure_formats] {
{{TERMINAL}}
  set title {{TITLE}}
  set xlabel 'time after birth (days)'
  # Observed weights in g (or kg) are drawn as percent of the scenario's birth weight (legend).
  set ylabel 'infant weight change since birth (%)'
  set xrange [0:{{MAX_DAY}}]
  set xtics 1 nomirror
  set ytics nomirror
  set grid xtics ytics lc rgb '#dddddd'
  # Zero line: birth weight.
  set arrow from graph 0, first 0 to graph 1, first 0 nohead lc rgb '#888888' dt 2
  set bmargin at screen {{BOTTOM_MARGIN}}
  set key at screen 0.09, screen 0.015 left bottom Left reverse box samplen 3 spacing 1.1
  set offsets 0, 0, graph 0.05, graph 0.05
  plot \
{{PLOT_ELEMENTS}}
  set output
}
