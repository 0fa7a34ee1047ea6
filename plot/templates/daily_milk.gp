# lactsim figure 1: milk transferred to the infant per day, model against observed data.
# Template plot/templates/daily_milk.gp; lactsim fills in the placeholders. Re-render by hand with
#   gnuplot daily_milk.gp        (in this directory: writes daily_milk.png and .svg)
{{PREAMBLE}}
do for [lactsim_format in figure_formats] {
{{TERMINAL}}
  set title {{TITLE}}
  set xlabel 'day after birth (day d = hours 24(d-1) to 24d after birth)'
  # Observed series reported in g/day are converted with a milk density of 1.03 g/mL (legend).
  set ylabel 'milk to the infant per day (mL/day)'
  set xrange [0.5:{{MAX_DAY}} + 0.5]
  set xtics {{DAY_TIC_STEP}} nomirror
  set ytics nomirror
  set yrange [0:*]
  set grid ytics lc rgb '#dddddd'
  # Key below the axes (observed ranges can reach the top of the plot), under the x label.
  set bmargin at screen {{BOTTOM_MARGIN}}
  set key at screen 0.09, screen 0.015 left bottom Left reverse box samplen 3 spacing 1.1
  set offsets 0, 0, graph 0.05, 0
  plot \
{{PLOT_ELEMENTS}}
  set output
}
