# lactsim figure 5b: a two-parameter sweep as a heat map; one cell per grid point.
# Template plot/templates/sweep_heatmap.gp; re-render by hand with `gnuplot {{SCRIPT_FILE}}` here.
# The palette (cubehelix) darkens monotonically, so it also reads in greyscale.
{{PREAMBLE}}
do for [lactsim_format in figure_formats] {
{{TERMINAL}}
  set title {{TITLE}}
  set xlabel {{X_LABEL}}
  set ylabel {{Y_LABEL}}
  set cblabel {{CB_LABEL}}
  set palette cubehelix start 0.5 cycles -1.2 saturation 1.0 negative
  set xrange [{{X_FROM}}:{{X_TO}}]
  set yrange [{{Y_FROM}}:{{Y_TO}}]
  set tics out nomirror
  set xtics ({{X_TICS}})
  set ytics ({{Y_TICS}})
  unset key
  set style fill solid 1.0 noborder
  plot \
{{PLOT_ELEMENTS}}
  set output
}
