# lactsim figure 2: state traces over the days after birth, with the sessions that drive
# them, and a zoomed panel of one feed showing the hormone surges.
# Template plot/templates/traces.gp; re-render by hand with `gnuplot {{SCRIPT_FILE}}` here.
# Grey bands mark massage sessions and, in the zoom, the feed (sessions: {{SESSIONS_FILE}}).
{{PREAMBLE}}
do for [lactsim_format in figure_formats] {
{{TERMINAL}}
  set multiplot title {{TITLE}}
  set lmargin at screen 0.11
  set rmargin at screen 0.89
  set xrange [0:{{MAX_DAY}}]
  set xtics {{DAY_TIC_STEP}} nomirror
  set mxtics 4
  set ytics nomirror
  set grid xtics ytics lc rgb '#e4e4e4'
  set format x ''
  unset xlabel
  set key top right box opaque samplen 3 font ',{{KEY_FONT_SIZE}}'
  # Massage sessions as grey bands behind every day panel.
{{MASSAGE_OBJECTS}}

  # Sessions strip: a tick per feed or pumping start, a bar per massage session.
  set tmargin at screen 0.935
  set bmargin at screen 0.895
  set yrange [0:3]
  set ytics ('feeds' 2.5, 'pumping' 1.5, 'massage' 0.5) scale 0 font ',{{KEY_FONT_SIZE}}'
  unset key
  unset grid
  plot \
{{SESSION_ELEMENTS}}
  set grid xtics ytics lc rgb '#e4e4e4'
  set key top right box opaque samplen 3 font ',{{KEY_FONT_SIZE}}'
  set ytics auto font ''

  set tmargin at screen 0.885
  set bmargin at screen 0.775
  set ylabel 'pain (NRS 0-10)'
  set yrange [0:10]
  set ytics 0, 2, 10
  plot \
    {{TRACE_FILE}} using 1:2 with lines ls 1 title 'pain, reported/profile', \
    '' using 1:3 with lines ls 2 title 'pain + delivery stress, after massage relief'
  set ytics auto

  set tmargin at screen 0.765
  set bmargin at screen 0.665
  set ylabel 'oxytocin (µU/mL)'
  set yrange [0:*]
  unset key
  plot {{TRACE_FILE}} using 1:4 with lines ls 2 dt 1 lw 1 title 'oxytocin'

  set tmargin at screen 0.655
  set bmargin at screen 0.555
  set ylabel 'prolactin (ng/mL)'
  set yrange [0:*]
  plot {{TRACE_FILE}} using 1:5 with lines ls 3 dt 1 lw 1 title 'prolactin'

  set tmargin at screen 0.545
  set bmargin at screen 0.445
  # Activation rises as a sigmoid, so the lower right corner stays free for the key.
  set key bottom right box opaque samplen 3 font ',{{KEY_FONT_SIZE}}'
  set ylabel 'activation (0-1)'
  set yrange [0:1.05]
  set ytics 0, 0.25, 1
  set arrow 1 from graph 0, first 0.5 to graph 1, first 0.5 nohead dt 3 lc rgb '#555555'
{{ONSET_MARKS}}
  plot {{TRACE_FILE}} using 1:6 with lines ls 4 dt 1 title 'secretory activation'{{ONSET_ELEMENTS}}
  unset arrow 1
  unset label 1
  set ytics auto

  set tmargin at screen 0.435
  set bmargin at screen 0.335
  set format x '%g'
  set xlabel 'day after birth (0 = birth)' offset 0, 0.3
  set ylabel 'stored milk (mL)'
  set yrange [0:*]
  unset key
  plot {{TRACE_FILE}} using 1:7 with lines ls 5 dt 1 lw 1 title 'milk stored in the breast'

  # Zoom: one feed, in minutes from its start; oxytocin on the left axis, prolactin on the right.
  unset object
{{ZOOM_OBJECTS}}
  set tmargin at screen 0.245
  set bmargin at screen 0.075
  set title {{ZOOM_TITLE}} offset 0, -0.4
  set xrange [{{ZOOM_FROM_MIN}}:{{ZOOM_TO_MIN}}]
  set xtics 15
  set mxtics 3
  set xlabel 'minutes from the start of the feed'
  set ylabel 'oxytocin (µU/mL)'
  set yrange [0:*]
  set y2label 'prolactin (ng/mL)'
  set y2range [0:*]
  set y2tics nomirror
  set ytics nomirror
  # Key under the x label, in one row: inside, it covered the massage band and the traces.
  set key at screen 0.5, screen 0.006 center bottom horizontal box samplen 3 font ',{{KEY_FONT_SIZE}}'
  plot \
{{ZOOM_ELEMENTS}}
  unset title
  unset y2label
  unset y2tics
  unset multiplot
  set output
}
