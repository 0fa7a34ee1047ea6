# lactsim figure 6a: fit results, observed against predicted.
# Template plot/templates/fit_observed_predicted.gp; re-render by hand with `gnuplot {{SCRIPT_FILE}}`.
{{PREAMBLE}}
do for [lactsim_format in figure_formats] {
{{TERMINAL}}
  set multiplot title {{TITLE}}
  set grid lc rgb '#dddddd'
  set tics nomirror

  # Left: by day, observed with its spread, predicted as a line.
  set lmargin at screen 0.08
  set rmargin at screen 0.52
  set tmargin at screen {{TOP_MARGIN}}
  set bmargin at screen {{BOTTOM_MARGIN}}
  # Keys under each panel, below its x label: a key inside the axes covered data points.
  set key at screen 0.08, screen 0.015 left bottom Left reverse box samplen 3 spacing 1.1 font ',9'
  set xlabel 'day after birth'
  set ylabel {{VALUE_LABEL}}
  set xtics 1
  set xrange [{{DAY_FROM}}:{{DAY_TO}}]
  set yrange [0:*]
  plot \
{{BY_DAY_ELEMENTS}}

  # Right: predicted against observed; points on the dashed line are fitted exactly.
  set lmargin at screen 0.62
  set rmargin at screen 0.97
  set xlabel {{OBSERVED_LABEL}}
  set ylabel {{PREDICTED_LABEL}}
  set xtics auto
  set xrange [0:{{AXIS_MAX}}]
  set yrange [0:{{AXIS_MAX}}]
  set size ratio -1
  set key at screen 0.62, screen 0.015 left bottom Left reverse box samplen 2 spacing 1.1 font ',9'
  plot \
{{SCATTER_ELEMENTS}}
  set size noratio
  unset multiplot
  set output
}
