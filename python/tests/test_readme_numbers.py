"""The seed-case numbers the README quotes (its headline paragraph) are what the code computes:
the single mother's day-3 milk and onset, and the paired population comparison on the calibrated
default population (1000 mothers per arm). A model or calibration change that moves them fails
here until the README (and its figures, scripts/seed-case.sh) are regenerated."""

import math
import os
import pathlib
import re

import lactsim

SOURCE = pathlib.Path(os.environ.get("LACTSIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))


def readme_paragraph():
    text = (SOURCE / "README.md").read_text(encoding="utf-8")
    start = text.index("The seed case as the model sees it")
    return " ".join(text[start:text.index("## Using lactsim", start)].split())


def numbers_after(paragraph, phrase, count):
    """The first `count` numbers that follow `phrase` in the paragraph (the minus sign read as '-',
    the en dash of a range as a separator)."""
    tail = paragraph[paragraph.index(phrase) + len(phrase):].replace("\u2212", "-").replace("\u2013", " ")
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", tail)[:count]]


def row(table, endpoint, scenario):
    for i in range(table.nrows):
        if table["endpoint"][i] == endpoint and table["scenario"][i] == scenario:
            return table.row(i)
    raise KeyError((endpoint, scenario))


def close(quoted, computed, decimals):
    """`quoted` is `computed` rounded to `decimals` places (half a unit of the last digit)."""
    return abs(quoted - computed) <= 0.5 * 10 ** -decimals + 1e-9


def test_readme_seed_case_numbers_are_what_the_code_computes():
    paragraph = readme_paragraph()
    control = lactsim.Scenario.from_file(SOURCE / "scenarios" / "seed_case_control.toml")
    massage = lactsim.Scenario.from_file(SOURCE / "scenarios" / "seed_case_massage.toml")

    # Single mother: "by about 7% (277 vs 259 mL/day) ... about 2 h earlier".
    c, m = lactsim.endpoints(control), lactsim.endpoints(massage)
    percent, with_massage, without = numbers_after(paragraph, "raises milk transferred on day 3 by about", 3)
    assert close(with_massage, m["milk_day3_ml"], 0) and close(without, c["milk_day3_ml"], 0)
    assert close(percent, 100 * (m["milk_day3_ml"] / c["milk_day3_ml"] - 1), 0)
    earlier = numbers_after(paragraph, "brings the onset of lactogenesis II about", 1)[0]
    assert close(earlier, c["onset_h"] - m["onset_h"], 0)

    # Population: medians, paired mean gain with its interval, 5-95% band, fractions > 72 h.
    table = lactsim.compare([control, massage],
                            population=SOURCE / "scenarios" / "populations" / "first_week.toml")
    day3_c, day3_m = row(table, "milk_day3_ml", "seed_case_control"), row(table, "milk_day3_ml", "seed_case_massage")
    med_m, med_c = numbers_after(paragraph, "the median day-3 milk is", 2)
    assert close(med_m, day3_m["population_p50"], 0) and close(med_c, day3_c["population_p50"], 0)
    gain = numbers_after(paragraph, "the paired mean gain", 1)[0]
    low, high = numbers_after(paragraph, "bootstrap interval", 2)
    assert close(gain, day3_m["paired_mean_difference"], 1)
    assert close(low, day3_m["paired_mean_difference_lower_95"], 1)
    assert close(high, day3_m["paired_mean_difference_upper_95"], 1)
    p5, p95 = numbers_after(paragraph, "spread between mothers (5\u201395%:", 2)
    assert close(p5, day3_c["population_p5"], 0) and close(p95, day3_c["population_p95"], 0)
    late_c, late_m = (row(table, "onset_after_72h_fraction", s) for s in ("seed_case_control", "seed_case_massage"))
    f_c = numbers_after(paragraph, "onset after 72 h falls from", 1)[0]
    lo_c, hi_c = numbers_after(paragraph, "Wilson interval", 2)
    assert close(f_c, 100 * late_c["fraction"], 1)
    assert close(lo_c, 100 * late_c["fraction_lower_95"], 1) and close(hi_c, 100 * late_c["fraction_upper_95"], 1)
    f_m, lo_m, hi_m = numbers_after(paragraph, "%) to", 3)
    assert close(f_m, 100 * late_m["fraction"], 1)
    assert close(lo_m, 100 * late_m["fraction_lower_95"], 1) and close(hi_m, 100 * late_m["fraction_upper_95"], 1)
    diff, d_lo, d_hi = numbers_after(paragraph, "a paired difference of", 3)
    assert close(diff, 100 * late_m["paired_mean_difference"], 1)
    assert close(d_lo, 100 * late_m["paired_mean_difference_lower_95"], 1)
    assert close(d_hi, 100 * late_m["paired_mean_difference_upper_95"], 1)
    assert not math.isnan(day3_m["paired_mean_difference"])

    # Infant weight at 72 h: paired mean change in percentage points, its interval, in grams.
    weight = row(table, "infant_weight_change_72h_percent", "seed_case_massage")
    w_mean = numbers_after(paragraph, "weight at 72 h by a paired mean of", 1)[0]
    w_lo, w_hi = numbers_after(paragraph, "percentage points of birth weight (95% bootstrap interval", 2)
    assert close(w_mean, weight["paired_mean_difference"], 2)
    assert close(w_lo, weight["paired_mean_difference_lower_95"], 2)
    assert close(w_hi, weight["paired_mean_difference_upper_95"], 2)
    grams, birth_weight = numbers_after(paragraph, "bootstrap interval 0.26\u20130.28), about", 2)
    assert close(grams, weight["paired_mean_difference"] / 100 * birth_weight, 0)
