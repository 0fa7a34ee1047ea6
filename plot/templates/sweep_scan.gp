# lactsim figure 5c: a one-parameter sweep (a scan), each endpoint against the swept parameter,
# one panel per endpoint. Template plot/templates/sweep_scan.gp; re-render by hand with
# `gnuplot {{SCRIPT_FILE}}` here.
{{PREAMBLE}}
do for [lactsim_format in figure_formats] {
{{TERMINAL}}
  set multiplot layout {{ROWS}},1 title {{TITLE}} margins {{MARGIN_LEFT}}, {{MARGIN_RIGHT}}, {{MARGIN_BOTTOM}}, {{MARGIN_TOP}} spacing 0, {{SPACING_Y}}
  set grid lc rgb '#dddddd'
  set tics nomirror
  set xrange [{{X_FROM}}:{{X_TO}}]
  set offsets 0, 0, graph 0.08, graph 0.08
  unset key
  # Every panel shares the x axis; only the bottom one labels it.
  set format x ''
  unset xlabel
{{PANELS}}
  unset multiplot
  set output
}
