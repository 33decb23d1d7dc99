"""Write the two synthetic levekår sheets of the sample kommune Fjordvik (9901).

SYNTETISKE DATA. The figures are the synthetic grunnkrets figures of ``socio_grunnkrets.csv``
aggregated to the 12 delområder (counts summed, rates population-weighted with
``soslokal_lib.geo.aggregate_areas``), written the way municipalities publish levekår tables:

* ``levekar_fjordvik_soner.xlsx`` — zones as rows, title rows above the header, numbers as
  numbers, ``:`` where a rate is hidden because the zone has few inhabitants;
* ``levekar_fjordvik_indikatorer.csv`` — zones as columns («99010100 Sentrum»), ``;`` as
  delimiter, decimal commas, space as thousands separator, UTF-8 with BOM.

Hidden cells: every rate in zones with fewer than 200 inhabitants, and the low-income, crowding
and benefit rates in zones with fewer than 400. The kommune row/column is computed from all
grunnkretser (nothing hidden). Run: ``python data/sample/make_levekar.py [--out DIR ...]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import tempfile
from pathlib import Path

import pandas as pd

from soslokal_lib import geo

HERE = Path(__file__).resolve().parent
KOMMUNE, KOMMUNE_NAME = "9901", "Fjordvik"
DELOMRADER = ("Sentrum", "Havna", "Nordbyen", "Solåsen", "Vestre Strand", "Bekkeli", "Furumo",
              "Kirkebakken", "Storhaugen", "Lia", "Brattvoll", "Øyane")
#: tidy column → (indicator as the municipality writes it, unit, decimals)
INDICATORS = {
    "population": ("Innbyggere", "antall", 0),
    "households": ("Husholdninger", "antall", 0),
    "low_income_pct": ("Vedvarende lavinntekt (%)", "%", 1),
    "low_education_pct": ("Lav utdanning 30–59 år (%)", "%", 1),
    "crowded_pct": ("Trangbodde (%)", "%", 1),
    "moving_rate_per_1000": ("Flytterate (per 1000)", "per 1000", 1),
    "immigrant_pct": ("Innvandrere (%)", "%", 1),
    "turnout_pct": ("Valgdeltakelse kommunestyrevalget 2023 (%)", "%", 1),
    "benefits_pct": ("Arbeidsledige og uføre 18–66 år (%)", "%", 1),
}
COUNTS = ["population", "households"]
RATES = [c for c in INDICATORS if c not in COUNTS]
SMALL = {"low_income_pct", "crowded_pct", "benefits_pct"}
TITLE = (f"Levekår per delområde, {KOMMUNE_NAME} kommune ({KOMMUNE}) – SYNTETISKE DATA "
         "(fiktiv kommune)")
NOTE = ("Syntetiske tall avledet fra socio_grunnkrets.csv (befolkningsvektede snitt av "
        "grunnkretsene). «:» = skjult fordi sonen har få innbyggere.")


def build(socio: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Delområde table (index area_id) and the hide-mask, plus the kommune row at the end."""
    data = socio.set_index("area_id")
    zones = geo.aggregate_areas(data, "delomrade", counts=COUNTS,
                                rates={r: "population" for r in RATES})
    whole = geo.aggregate_areas(data, "kommune", counts=COUNTS,
                                rates={r: "population" for r in RATES})
    table = pd.concat([zones, whole])[list(INDICATORS)]
    names = {f"{KOMMUNE}{i + 1:02d}00": n for i, n in enumerate(DELOMRADER)}
    names[KOMMUNE] = f"{KOMMUNE_NAME} i alt"
    table.insert(0, "area_name", table.index.map(names))
    pop = table["population"]
    hidden = pd.DataFrame(False, index=table.index, columns=list(INDICATORS))
    for col in RATES:
        hidden[col] = (pop < 200) | ((pop < 400) & (col in SMALL))
    return table, hidden


def _nb(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"  # 1,234.5
    return text.replace(",", " ").replace(".", ",")


def _safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _replace(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def write_xlsx(path: Path, table: pd.DataFrame, hidden: pd.DataFrame) -> None:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Levekår delområder"
    ws.append([_safe(TITLE)])
    ws["A1"].font = Font(bold=True)
    ws.append([_safe(NOTE)])
    ws.append([])
    ws.append(["Delområde", "Navn", *(label for label, _, _ in INDICATORS.values())])
    for area_id, row in table.iterrows():
        cells: list = [area_id, _safe(row["area_name"])]
        for col, (_, _, decimals) in INDICATORS.items():
            cells.append(":" if hidden.at[area_id, col] else round(float(row[col]), decimals))
        ws.append(cells)
    for row in ws.iter_rows(min_row=5, min_col=3):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0.0"
    ws.append([])
    ws.append(["Kilde: soslokal, data/sample/make_levekar.py (syntetiske data)."])
    wb.properties.creator = "soslokal"
    wb.properties.created = wb.properties.modified = pd.Timestamp("2025-01-01").to_pydatetime()
    buffer = io.BytesIO()
    wb.save(buffer)
    _replace(path, buffer.getvalue())


def write_csv(path: Path, table: pd.DataFrame, hidden: pd.DataFrame) -> None:
    buffer = io.StringIO()
    out = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    out.writerow([_safe(TITLE)])
    out.writerow(["Indikator", "Enhet", *(_safe(f"{a} {n}") for a, n in
                                          zip(table.index, table["area_name"], strict=True))])
    for col, (label, unit, decimals) in INDICATORS.items():
        values = [":" if hidden.at[a, col] else _nb(float(v), decimals)
                  for a, v in table[col].items()]
        out.writerow([_safe(label), unit, *values])
    _replace(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socio", type=Path, default=HERE / "socio_grunnkrets.csv")
    parser.add_argument("--out", type=Path, action="append", help="output folder(s)")
    args = parser.parse_args(argv)
    socio = pd.read_csv(args.socio, dtype={"area_id": "str"})
    table, hidden = build(socio)
    for folder in args.out or [HERE]:
        write_xlsx(folder / "levekar_fjordvik_soner.xlsx", table, hidden)
        write_csv(folder / "levekar_fjordvik_indikatorer.csv", table, hidden)


if __name__ == "__main__":
    main()
