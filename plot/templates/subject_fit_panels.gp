# lactsim figure 6c: a case-series fit, one panel per subject (columns) and observed quantity
# (rows): the simulated curve at that subject's estimate and the subject's observed points with
# ±1 SD bars (the SD each point was weighted by). Template plot/templates/subject_fit_panels.gp;
# re-render by hand with `gnuplot {{SCRIPT_FILE}}` here.
{{PREAMBLE}}
do for [lactsim_format in figure_formats] {
{{TERMINAL}}
  set multiplot layout {{ROWS}},{{COLUMNS}} title {{TITLE}} margins {{MARGIN_LEFT}}, {{MARGIN_RIGHT}}, {{MARGIN_BOTTOM}}, {{MARGIN_TOP}} spacing {{SPACING_X}}, {{SPACING_Y}}
  set grid lc rgb '#dddddd'
  set tics nomirror
  set offsets 0, 0, graph 0.08, graph 0.08
  set key top right font ',9' samplen 2 spacing 1.0
{{PANELS}}
  unset multiplot
  set output
}
