# Output files and formats: lactsim sets them on the command line; by hand they default here
# (e.g. gnuplot -e "figure_formats='pdf'; figure_width_px=1200; figure_height_px=800" NAME.gp).
if (!exists("out_png")) out_png = {{PNG}}
if (!exists("out_svg")) out_svg = {{SVG}}
if (!exists("out_pdf")) out_pdf = {{PDF}}
if (!exists("figure_formats")) figure_formats = 'png'
# No `set encoding`: the cairo and svg terminals take the script's UTF-8 text as it is, and
# `set encoding utf8` made gnuplot warn "iconv failed to convert degree sign" under the C locale.
set datafile separator comma
# Line styles differ in dash type and point type as well as colour, so the figure reads in
# greyscale print (colours: Okabe-Ito palette, safe for colour-blind readers).
set style line 1 lc rgb '#000000' lw 2 dt 1 pt 7 ps 1.1
set style line 2 lc rgb '#0072B2' lw 2 dt 2 pt 5 ps 1.1
set style line 3 lc rgb '#D55E00' lw 2 dt 4 pt 9 ps 1.3
set style line 4 lc rgb '#009E73' lw 2 dt 5 pt 13 ps 1.3
set style line 5 lc rgb '#CC79A7' lw 2 dt 3 pt 11 ps 1.3
set style line 6 lc rgb '#E69F00' lw 2 dt 6 pt 3 ps 1.3
# Observed data: open symbols with error bars.
set style line 11 lc rgb '#000000' lw 1.5 dt 1 pt 6 ps 1.6
set style line 12 lc rgb '#555555' lw 1.5 dt 1 pt 4 ps 1.6
set style line 13 lc rgb '#333333' lw 1.5 dt 1 pt 8 ps 1.6
set style line 14 lc rgb '#777777' lw 1.5 dt 1 pt 12 ps 1.6
set style line 15 lc rgb '#222222' lw 1.5 dt 1 pt 10 ps 1.6
set style line 16 lc rgb '#666666' lw 1.5 dt 1 pt 14 ps 1.6
set errorbars 6
