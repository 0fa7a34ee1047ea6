# lactsim figure 4b: paired population comparison of arms over days (milk per day: median and
# 5-95% band per arm; paired mean difference to the first arm with its 95% bootstrap interval;
# fraction with onset > 72 h per arm with its Wilson interval).
# Template plot/templates/population_comparison.gp; re-render by hand with `gnuplot {{SCRIPT_FILE}}` here.
{{PREAMBLE}}
do for [lactsim_format in figure_formats] {
{{TERMINAL}}
  set multiplot title {{TITLE}}
  # Axes on the left, keys and the onset text in the column on the right: no key covers data.
  set lmargin at screen 0.09
  set rmargin at screen {{AXES_RIGHT}}
  set xrange [{{X_FROM}}:{{X_TO}}]
  set xtics 1 nomirror
  set ytics nomirror
  set grid ytics lc rgb '#dddddd'
{{ONSET_LABELS}}

  # Top: median and 5-95% band of milk per day, per arm.
  set tmargin at screen {{TOP_TOP}}
  set bmargin at screen {{TOP_BOTTOM}}
  set format x ''
  unset xlabel
  set ylabel 'milk to infant (mL/day)'
  set yrange [0:*]
  set key at screen {{KEY_LEFT}}, screen {{TOP_TOP}} left top Left reverse box samplen 3 spacing 1.2
  set style fill transparent solid 0.22 noborder
  plot \
{{BAND_ELEMENTS}}
  unset label

  # Bottom: paired mean difference to the first arm per day, 95% bootstrap interval.
  set tmargin at screen {{BOTTOM_TOP}}
  set bmargin at screen {{BOTTOM_BOTTOM}}
  set format x '%g'
  set xlabel 'day after birth'
  set ylabel 'paired mean difference (mL/day)'
  set yrange [{{DIFFERENCE_Y_FROM}}:{{DIFFERENCE_Y_TO}}]
  set xzeroaxis lt 1 lc rgb '#000000' lw 1
  set key at screen {{KEY_LEFT}}, screen {{BOTTOM_TOP}} left top Left reverse box samplen 2 spacing 1.2
  plot \
{{DIFFERENCE_ELEMENTS}}
  unset xzeroaxis
  unset multiplot
  set output
}
