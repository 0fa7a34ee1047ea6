# lactsim figure 4c: population spread of infant weight change at 24, 48 and 72 h per scenario,
# against the vaginal nomogram median of Flaherman et al. 2015.
# Template plot/templates/population_infant_weight.gp; re-render by hand with `gnuplot {{SCRIPT_FILE}}` here.
{{PREAMBLE}}
do for [lactsim_format in figure_formats] {
{{TERMINAL}}
  set title {{TITLE}}
  set xlabel 'time after birth (days)'
  set ylabel 'infant weight change since birth (%)'
  set xrange [0.5:3.5]
  set xtics 1 nomirror
  set ytics nomirror
  set grid ytics lc rgb '#dddddd'
  # The -10% line: the loss Flaherman et al. 2015 report the fraction of infants beyond.
  set arrow from graph 0, first -10 to graph 1, first -10 nohead lc rgb '#aa3333' dt 2
  set label 'loss of 10%' at graph 0.01, first -10 offset 0, 0.6 tc rgb '#aa3333'
  set bmargin at screen {{BOTTOM_MARGIN}}
  set key at screen 0.09, screen 0.015 left bottom Left reverse box samplen 3 spacing 1.1
  set offsets 0, 0, graph 0.05, graph 0.05
  plot \
{{PLOT_ELEMENTS}}
  set output
}
