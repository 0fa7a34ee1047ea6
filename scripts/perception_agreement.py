#!/usr/bin/env python3
"""Agreement of the model's perceived onset with its test-weighed milk transfer over a virtual
population, as Chapman & Pérez-Escamilla 2000 (J Nutr 130:2972-80) measured it in mothers:

    PYTHONPATH=build/release/python scripts/perception_agreement.py [SCENARIO ...]

- delayed by test-weighing: mean milk transfer per feed < 9.2 g over the feeds starting within
  60 ± 6 h after birth (Chapman's 60-h test-weighing; mL × the milk density 1.03 g/mL of
  engine/unit_conversion.hpp);
- delayed by perception: perceived_onset_time_h > 72 h, or not reached within the horizon
  (docs/model.md §Observation models).

Each mother is a draw of the calibrated default population (scenarios/populations/first_week.toml)
around the scenario, run by `lactsim population` (mothers.csv holds her drawn parameters) and then
simulated again with a timeseries to read the milk transferred per feed. Prints, per scenario,
the 2x2 table, sensitivity = P(perceived delayed | transfer delayed) and specificity =
P(perceived not delayed | transfer not delayed), to set against Chapman's 71.4 % and 79.3 %.
A comparison, not a calibration (docs/validation.md).
"""

import math
import pathlib
import sys
import tempfile

import numpy as np

import lactsim

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_SCENARIOS = ("scenarios/reference_caesarean.toml", "scenarios/reference_vaginal.toml")
MILK_DENSITY_G_PER_ML = 1.03     # kHumanMilkDensity_g_per_ml (engine/unit_conversion.hpp)
TRANSFER_DELAY_G_PER_FEED = 9.2  # Chapman & Pérez-Escamilla 2000: delayed when < 9.2 g per feed at 60 h
TEST_WEIGHING_H = 60.0
TEST_WEIGHING_WINDOW_H = 6.0     # our choice: the feeds starting within 60 ± 6 h (two per side at 3-h feeds)
PERCEIVED_DELAY_H = 72.0         # delayed onset by perception: after 72 h


def mean_transfer_per_feed_g(result):
    """Mean milk transferred per feed (g) over the feeds starting within 60 ± 6 h."""
    ts = result.timeseries
    t = np.asarray(ts["time_h"])
    feeding = np.asarray(ts["feeding"])
    transferred = np.asarray(ts["milk_transferred_ml"])
    starts = np.flatnonzero(np.diff(feeding) > 0) + 1
    ends = np.flatnonzero(np.diff(feeding) < 0) + 1
    per_feed = [transferred[e] - transferred[s] for s, e in zip(starts, ends)
                if abs(t[s] - TEST_WEIGHING_H) <= TEST_WEIGHING_WINDOW_H]
    return MILK_DENSITY_G_PER_ML * float(np.mean(per_feed))


def agreement(scenario_path):
    scenario = lactsim.Scenario.from_file(str(ROOT / scenario_path))
    with tempfile.TemporaryDirectory() as out:
        study = lactsim.population_study(scenario, pathlib.Path(out) / "population", threads=2)
    mothers = study.mothers
    varied = [name for name in lactsim.parameters()["name"] if name in mothers.columns]
    counts = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
    for i in range(len(mothers["mother_id"])):
        if mothers["status"][i] != "ok":
            continue
        mother = scenario.with_parameters(**{name: float(mothers[name][i]) for name in varied})
        result = lactsim.simulate(mother, output_step_min=1.0)
        transfer_delayed = mean_transfer_per_feed_g(result) < TRANSFER_DELAY_G_PER_FEED
        perceived = result.endpoints["perceived_onset_time_h"]
        perceived_delayed = perceived is None or perceived > PERCEIVED_DELAY_H
        counts[(transfer_delayed, perceived_delayed)] += 1
    delayed = counts[(True, True)] + counts[(True, False)]
    timely = counts[(False, True)] + counts[(False, False)]
    sensitivity = counts[(True, True)] / delayed if delayed else math.nan
    specificity = counts[(False, False)] / timely if timely else math.nan
    return counts, sensitivity, specificity


def main(argv):
    for path in argv or DEFAULT_SCENARIOS:
        counts, sensitivity, specificity = agreement(path)
        print(f"{path}: transfer delayed & perceived delayed {counts[(True, True)]}, "
              f"transfer delayed & perceived timely {counts[(True, False)]}, "
              f"transfer timely & perceived delayed {counts[(False, True)]}, "
              f"transfer timely & perceived timely {counts[(False, False)]}; "
              f"sensitivity {100 * sensitivity:.1f} %, specificity {100 * specificity:.1f} % "
              f"(Chapman & Perez-Escamilla 2000: 71.4 %, 79.3 %)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
