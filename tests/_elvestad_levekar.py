"""Elvestad (tests/fixtures/egenkommune) with the kommune's own levekår sheet per neighbourhood.

Nordre has 3 answers (below min_n = 5) and, in the sheet, 40 inhabitants (below
register_min_population = 50); Østsiden (23 answers) is its neighbour and has its crowding
figure suppressed («:»). Elvebredden's immigrant share concerns 4 people (0,5 % of 800),
below register_min_count = 5. Written into a temporary folder; the fixture is never touched.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ELVESTAD = Path(__file__).resolve().parent / "fixtures" / "egenkommune"

SHEET = """\
Nabolag;Innbyggere;Vedvarende lavinntekt (%);Trangbodde (%);Innvandrere (%)
Sentrum;1200;8,0;6,0;12,0
Vestbyen;900;10,0;5,0;10,0
Østsiden;700;12,0;:;8,0
Elvebredden;800;14,0;9,0;0,5
Nordre;40;9,0;4,0;3,0
"""


def elvestad(folder: Path, *, sheet: str = SHEET, areas: str = "") -> Path:
    """Elvestad copied to ``folder`` with ``sheet`` as levekar.csv named under
    ``[[levekar]]`` and ``areas`` (e.g. ``'merge_small = "neighbour"'``) added to ``[areas]``;
    returns the config's path."""
    shutil.copytree(ELVESTAD, folder)
    (folder / "levekar.csv").write_text(sheet, encoding="utf-8")
    config = folder / "elvestad.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('name_column = "navn"\n', f'name_column = "navn"\n{areas}\n')
    config.write_text(text + '\n[[levekar]]\npath = "levekar.csv"\nid_column = "Nabolag"\n',
                      encoding="utf-8")
    return config
