"""False alarms of ``compare_rounds`` over repeated draws of the sample's two rounds.

``data/sample/generate.py``'s ``draw_rounds(seed)`` draws both rounds afresh from the same
world, with the two planted changes (Storhaugen × Trygghet better, Lia × Kollektivtransport
worse) and nothing else changed (``truth_rounds.csv``). Each draw is written as the survey tool's
export (``survey_csv_bytes``), read with ``read_survey`` and compared with the real
``compare_rounds`` and the sample's crosswalk, exactly as notebook 08 does.

**Power:** each planted cell must be flagged in at least 90 % of the draws (the data card
reports 100 % and 99 % over 100 draws).

**False discovery proportion** (FDP) per draw: flagged area rows that ``truth_rounds.csv`` does
not mark changed ÷ all flagged area rows (0 when none is flagged); total rows are left out
(they are their own Benjamini–Hochberg family, and the kommune rows of the two planted themes
truly change). Benjamini–Hochberg keeps the expected FDP at or below 5 % × m0/m; the extra rule
(the interval of the share difference excludes 0) only removes flags. The bound 0.12: with two
true changes a draw with one false flag has FDP ≈ 1/3, so the mean over the draws moves in
steps of about 1/(3·draws); at the nominal 5 % about one draw in seven has a false flag, and
the standard error of the mean FDP over 40 draws is about 0.02 — 0.12 is the nominal level
plus more than three standard errors, so the test fails on a real excess of false alarms
(e.g. an unadjusted test: about 8 false flags per draw, FDP ≈ 0.8) and not by chance.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from soslokal_lib.io.sample import SAMPLE_DIR, load_sample, survey_columns
from soslokal_lib.io.survey import read_survey
from soslokal_lib.stats.rounds import compare_rounds

#: Draws (seeds 1 … DRAWS): about 0.45 s each (reading dominates), ~18 s in all.
DRAWS = 40
PLANTED = {("99010900", "feeling_safe"), ("99011000", "public_transport")}


def _generator():
    spec = importlib.util.spec_from_file_location("fjordvik_generate", SAMPLE_DIR / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_planted_changes_found_and_false_discoveries_near_nominal(tmp_path: Path):
    gen = _generator()
    sample = load_sample()
    codes = dict(zip(sample.areas["area_name"], sample.areas.index, strict=True))
    cw = pd.read_csv(SAMPLE_DIR / "runder_crosswalk.csv", dtype=str)
    old_codes = {**codes, **{old: old for old in cw["old"]}}  # old names kept for the crosswalk
    crosswalk = {old: codes[new] for old, new in zip(cw["old"], cw["new"], strict=True)}
    truth = pd.read_csv(SAMPLE_DIR / "truth_rounds.csv", dtype={"area_id": str})
    true_changes = set(zip(truth.loc[truth["changed"], "area_id"],
                           truth.loc[truth["changed"], "theme"], strict=True))
    assert PLANTED <= true_changes
    found = {cell: 0 for cell in PLANTED}
    fdp, false_flags, flags, total_false = [], 0, 0, 0
    for seed in range(1, DRAWS + 1):
        pair = gen.draw_rounds(seed, comments=False)
        (tmp_path / "b.csv").write_bytes(gen.survey_csv_bytes(pair["before"]))
        (tmp_path / "a.csv").write_bytes(gen.survey_csv_bytes(pair["after"]))
        before = read_survey(tmp_path / "b.csv", survey_columns(), area_codes=old_codes,
                             round="2021")
        after = read_survey(tmp_path / "a.csv", survey_columns(), area_codes=codes,
                            round="2025")
        flagged = compare_rounds(before, after, crosswalk=crosswalk).flagged()
        cells = set(zip(flagged["area_id"].astype(str), flagged["theme"].astype(str),
                        strict=True))
        totals = {c for c in cells if c[0] == "total"}
        areas = cells - totals
        wrong = areas - true_changes
        for cell in PLANTED & areas:
            found[cell] += 1
        false_flags += len(wrong)
        flags += len(areas)
        fdp.append(len(wrong) / len(areas) if areas else 0.0)
        total_false += len({c for c in totals if ("9901", c[1]) not in true_changes})
    mean_fdp = float(np.mean(fdp))
    draws_with_false = sum(f > 0 for f in fdp)
    print(f"\n{DRAWS} draws: planted found {found}; {flags} area flags, {false_flags} false "
          f"(in {draws_with_false} draws); mean FDP {mean_fdp:.4f}; "
          f"false flags on total rows: {total_false}")
    for cell, k in found.items():
        assert k >= 0.9 * DRAWS, f"{cell} flagged in only {k} of {DRAWS} draws"
    assert round(mean_fdp, 6) <= 0.12
