# lactsim figure 3: scenario comparison, daily milk and the difference per day.
# Template plot/templates/comparison.gp; re-render by hand with `gnuplot comparison.gp` here.
{{PREAMBLE}}
do for [lactsim_format in figure_formats] {
{{TERMINAL}}
  set multiplot title {{TITLE}}
  set lmargin at screen 0.11
  set rmargin at screen 0.96
  set xrange [0.5:{{MAX_DAY}} + 0.5]
  set xtics {{DAY_TIC_STEP}} nomirror
  set ytics nomirror
  set grid ytics lc rgb '#dddddd'

  # Top: milk per day for every scenario; its key below it (inside, it covered curves).
  set tmargin at screen {{TOP_TOP}}
  set bmargin at screen {{TOP_BOTTOM}}
  set format x ''
  unset xlabel
  set ylabel 'milk to infant (mL/day)'
  set yrange [0:*]
  set offsets 0, 0, graph 0.06, 0
  set key at screen 0.11, screen {{TOP_KEY_Y}} left top Left reverse box samplen 3 spacing 1.1
  plot \
{{DAILY_ELEMENTS}}

  # Bottom: difference per day against the reference scenario.
  set tmargin at screen {{BOTTOM_TOP}}
  set bmargin at screen {{BOTTOM_BOTTOM}}
  set format x '%g'
  set xlabel 'day after birth'
  set ylabel 'difference (mL/day)'
  set offsets 0, 0, 0, 0
  set yrange [{{DIFFERENCE_Y_FROM}}:{{DIFFERENCE_Y_TO}}]
  set xzeroaxis lt 1 lc rgb '#000000' lw 1
  set boxwidth {{BOX_WIDTH}}
{{DIFFERENCE_KEY}}
  plot \
{{DIFFERENCE_ELEMENTS}}
  unset xzeroaxis
  unset title
  unset multiplot
  set output
}
