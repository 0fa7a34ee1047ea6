# lactsim figure 5a: sensitivity indices per parameter, bars with confidence intervals.
# Template plot/templates/sensitivity.gp; re-render by hand with `gnuplot {{SCRIPT_FILE}}` here.
# Data: one row per parameter, columns estimate/ci_low/ci_high per index kind.
{{PREAMBLE}}
do for [lactsim_format in figure_formats] {
{{TERMINAL}}
  set title {{TITLE}}
  set ylabel {{VALUE_LABEL}}
  set xrange [-0.6:{{PARAMETER_COUNT}} - 0.4]
  set yrange [{{Y_FROM}}:{{Y_TO}}]
  set xtics rotate by 30 right nomirror font ',9'
  set ytics nomirror
  set grid ytics lc rgb '#dddddd'
  set xzeroaxis lt 1 lc rgb '#000000'
  # Key right of the axes: inside it covered the bars of the last parameters.
  set key outside right top vertical Left reverse box samplen 2 spacing 1.2
  set boxwidth {{BOX_WIDTH}}
  set bmargin 8
  plot \
{{PLOT_ELEMENTS}}
  set output
}
