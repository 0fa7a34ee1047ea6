set terminal pngcairo size 900,560 font "Sans,11"
set output "/work/main/docs/figures/calibration_daily_intake.png"
set datafile separator ","
set title "Calibrated defaults: daily milk to the infant, model vs calibration data"
set xlabel "day after birth (plotted at the day's midpoint)"
set ylabel "milk transferred (mL/day)"
set key top left
set xrange [0:7]
set yrange [0:900]
set grid
plot "/tmp/calrun/saint1984_vaginal/daily.csv" every ::1 using ($1-0.5):3 with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "model, vaginal primipara", \
     "/tmp/calrun/evans2003_caesarean/daily.csv" every ::1 using ($1-0.5):3 with linespoints lw 2 pt 7 lc rgb "#d62728" title "model, planned caesarean primipara", \
     "< awk -F, '$1==0' /tmp/calobs.dat" using 2:3:4:5 with yerrorbars pt 5 ps 1.3 lc rgb "#1f77b4" title "Saint 1984 mean and range (g/1.03)", \
     "< awk -F, '$1==1' /tmp/calobs.dat" using 2:3:4:5 with yerrorbars pt 9 ps 1.3 lc rgb "#d62728" title "Evans 2003 lag, encoded ratio range"
