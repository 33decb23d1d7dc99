"""Survey files for the equivalence test of ``read_survey`` (tests/test_read_survey_fast.py).

Every case is a file (a fixture, the sample, or one generated here from a seed, with bad cells
in random places) and the arguments to read it with. ``python tests/_survey_cases.py`` records
what ``read_survey`` gives for each case in ``tests/fixtures/read_survey_expected/``: run it
only with the implementation whose results are the reference (it was run on the per-cell
reader that preceded the vectorised one, commit 543bf12), never to make a failing test pass.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = ROOT / "tests" / "fixtures" / "read_survey_expected"

FIXTURES = {
    "sample_csv": (ROOT / "data" / "sample" / "stedskompass_fjordvik.csv", {}),
    "sample_xlsx": (ROOT / "data" / "sample" / "stedskompass_fjordvik.xlsx", {}),
    "minikommune": (ROOT / "tests" / "fixtures" / "minikommune" / "svar.csv", {}),
    "egenkommune": (ROOT / "tests" / "fixtures" / "egenkommune" / "svar_stedskompass.csv", {}),
}

THEME_HEADERS = ["1. Å bevege seg rundt", "2. Kollektivtransport", "3. Trafikk og parkering",
                 "4. Gater og offentlige rom", "5. Natur og grøntområder",
                 "6. Lek og rekreasjon", "7. Tjenester og tilbud", "8. Arbeid og lokal økonomi",
                 "9. Bolig og fellesskap", "10. Sosial kontakt", "11. Identitet og tilhørighet",
                 "12. Trygghet", "13. Vedlikehold og stell", "14. Innflytelse og medvirkning"]
AREAS = ["Sentrum", "Østbyen", "Åsen", "Havna", "Solåsen"]
AGES = ["Under 16", "16–24", "25–44", "45–66", "67+"]
GENDERS = ["Kvinne", "Mann", "Annet", "Vil ikke svare"]
COMMENTS = ["Fin sti", "Mer lys; takk", 'Han sa "hei"', "To\nlinjer", "  mellomrom  ", "",
            "Ring 912 34 567", "ok, bra"]
#: Bad or odd cells put in random places: (column kind, value).
ODD = [("score", "8"), ("score", "0"), ("score", "abc"), ("score", "5,5"), ("score", "5.5"),
       ("score", "Vet ikke"), ("score", " 4 "), ("score", "7 – Lite å forbedre"),
       ("score", "VET  IKKE"), ("score", "n/a"), ("score", "3.0"), ("score", "Ikke relevant"),
       ("id", ""), ("id", "DUP"), ("id", " R1 "), ("area", ""), ("area", "vet ikke"),
       ("area", "Ukjent sted"), ("area", " Sentrum "), ("weight", "abc"), ("weight", "-1"),
       ("weight", "1,5"), ("weight", "0"), ("weight", "inf"), ("age", "Vet ikke"),
       ("age", ""), ("gender", "na"), ("comment", "Mail meg på a@b.no"), ("row", "blank")]


def generated(seed: int, folder: Path) -> tuple[Path, dict]:
    """A survey file with ``seed``'s choice of format, headers and bad cells."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 60))
    weight = bool(rng.random() < 0.4)
    header = ["Respondent-ID", "Hvilket område bor du i?", "Alder", "Kjønn"]
    header += ["Vekt"] if weight else []
    header += THEME_HEADERS + ["1. Å bevege seg rundt – Hva er bra nå?", "Andre kommentarer"]
    rows = []
    for i in range(n):
        row = [f"R{i + 1}", AREAS[rng.integers(len(AREAS))], AGES[rng.integers(len(AGES))],
               GENDERS[rng.integers(len(GENDERS))]]
        row += [f"{rng.uniform(0.2, 3):.3f}"] if weight else []
        row += [str(v) for v in rng.integers(1, 8, 14)]
        row += [COMMENTS[rng.integers(len(COMMENTS))], COMMENTS[rng.integers(len(COMMENTS))]]
        rows.append(row)
    first_score = 5 if weight else 4
    columns = {"id": [0], "area": [1], "age": [2], "gender": [3], "weight": [4] if weight else [],
               "score": list(range(first_score, first_score + 14)),
               "comment": [first_score + 14, first_score + 15]}
    blank_rows = []
    for _ in range(int(rng.integers(0, 6))):
        kind, value = ODD[rng.integers(len(ODD))]
        i = int(rng.integers(n))
        if kind == "row":
            blank_rows.append(i)
        elif columns[kind]:
            j = columns[kind][rng.integers(len(columns[kind]))]
            rows[i][j] = rows[max(i - 1, 0)][0] if value == "DUP" else value
    for i in sorted(set(blank_rows), reverse=True):
        rows[i] = [""] * len(header)
    kwargs: dict = {}
    if rng.random() < 0.3:
        known = AREAS if rng.random() < 0.7 else AREAS[:4]
        kwargs["area_codes"] = {a: f"03010{k}" for k, a in enumerate(known)}
    if rng.random() < 0.2:
        kwargs["missing_tokens"] = ["vet ikke", ""]  # only these: recorded when they replaced
        kwargs["replace_missing_tokens"] = True      # the standard words (now they add to them)
    if rng.random() < 0.2:
        kwargs["themes"] = [1, 2, 3]
    if rng.random() < 0.25:
        path = folder / f"case{seed}.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        if rng.random() < 0.5:
            sheet.append(["Stedskompasset – eksport"])
        sheet.append(header)
        for row in rows:
            sheet.append([int(c) if c.isdigit() and rng.random() < 0.5 else (c or None)
                          for c in row])
        book.save(path)
        return path, kwargs
    sep = [";", ",", "\t"][rng.integers(3)]
    quote_all = rng.random() < 0.3

    def quote(cell: str) -> str:
        if quote_all or any(ch in cell for ch in (sep, '"', "\n", "\r")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    newline = ["\n", "\r\n"][rng.integers(2)]
    lines = [sep.join(quote(c) for c in r) for r in [header, *rows]]
    if rng.random() < 0.1:
        lines.insert(int(rng.integers(2, len(lines))), "")  # a blank line: a blank row
    if rng.random() < 0.1:
        lines[int(rng.integers(1, len(lines)))] += sep + "extra"  # one cell too many
    text = newline.join(lines) + newline
    if rng.random() < 0.1:
        text = f"sep={sep}{newline}" + text
    encoding = ["utf-8", "utf-8-sig", "cp1252", "utf-16"][rng.choice(4, p=[.6, .2, .15, .05])]
    path = folder / f"case{seed}.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    return path, kwargs


SEEDS = range(80)


def outcome(path: Path, kwargs: dict) -> dict:
    """What ``read_survey`` gives: frames, meta and warnings, or the error's text and problems."""
    from soslokal_lib import SurveyFormatError, read_survey

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            survey = read_survey(path, **kwargs)
        except SurveyFormatError as exc:
            text = str(exc).replace(str(path), "<path>")
            problems = [[p.describe(), p.describe(config=True), p.describe(lang="nb"),
                         repr(p.value)] for p in getattr(exc, "problems", [])]
            partial = getattr(exc, "partial", None)
            if partial is not None:
                area = partial["area_id"]
                partial = {**partial, "area_id": None if area is None else
                           [None if pd.isna(a) else a for a in area]}
            return {"error": text, "problems": problems, "partial": partial,
                    "warnings": sorted(str(w.message).replace(str(path), "<path>")
                                       for w in caught)}
    # "round" came with the survey rounds after the recording (None for these files)
    meta = {k: v for k, v in survey.meta.items()
            if k not in ("source",) and not (k == "round" and v is None)}
    return {"frame": survey.to_frame().reset_index(), "comments": survey.comments,
            "meta": json.loads(json.dumps(meta, default=str)),
            "warnings": sorted(str(w.message).replace(str(path), "<path>") for w in caught)}


def cases(folder: Path) -> dict[str, tuple[Path, dict]]:
    out = dict(FIXTURES)
    for seed in SEEDS:
        out[f"case{seed}"] = generated(seed, folder)
    return out


def record(folder: Path) -> None:
    EXPECTED.mkdir(parents=True, exist_ok=True)
    for name, (path, kwargs) in cases(folder).items():
        result = outcome(path, kwargs)
        for key in ("frame", "comments"):
            if key in result:
                result.pop(key).to_parquet(EXPECTED / f"{name}.{key}.parquet")
        (EXPECTED / f"{name}.json").write_text(
            json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        record(Path(tmp))
    print(f"recorded {len(FIXTURES) + len(SEEDS)} cases in {EXPECTED}", file=sys.stderr)
