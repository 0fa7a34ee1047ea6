# lactsim figure 1: milk transferred to the infant per day, model against observed data.
# Template plots/daily_milk.gp; lactsim fills the {{…}} fields. Re-render by hand with
#   gnuplot daily_milk.gp        (in this directory: writes daily_milk.png and .svg)
{{PREAMBLE}}
do for [lactsim_terminal = 1:2] {
{{TERMINAL}}
  set title {{TITLE}}
  set xlabel 'day after birth (day d = hours 24(d-1) to 24d)'
  set ylabel 'milk per day (mL/day; observed g/day as reported, 1 g ≈ 1 mL)'
  set xrange [0.5:{{MAX_DAY}} + 0.5]
  set xtics 1 nomirror
  set ytics nomirror
  set yrange [0:*]
  set grid ytics lc rgb '#dddddd'
  set key top left box opaque samplen 3 spacing 1.2
  plot \
{{PLOT_ELEMENTS}}
  set output
}
