"""Wording users read: forbidden forms cannot come back, and claims about the guide stay true.

Scanned: every cell of the notebooks (``notebooks/``, ``dashboard/``), the README, the report
templates and every string constant (docstrings included) of ``soslokal_lib``. Forms marked
``REPORT`` are forbidden only in the report for politicians (``_verksted_text.py`` and the
templates), where plain words are wanted; elsewhere they may be method names.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from soslokal_lib import framework
from soslokal_lib.themes import get_theme

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "soslokal_lib"
NOTEBOOKS = sorted([*(ROOT / "notebooks").glob("*.ipynb"), *(ROOT / "dashboard").glob("*.ipynb")])
VERKSTED = LIB / "app" / "verksted"
REPORT_SOURCES = (VERKSTED / "wording.py", *sorted((VERKSTED / "templates").glob("*")))
ALL, REPORT = "all", "report"

#: (pattern, what to write instead, a wrong sentence it must catch, a right one it must not,
#: where it is forbidden)
FORBIDDEN = [
    (r"\branger\b", "«rangerer»", "SII ranger nabolagene", "SII rangerer nabolagene", ALL),
    (r"\bSSB (?:sin|sitt|sine)\b", "«SSBs»", "hentes fra SSB sitt API", "hentes fra SSBs API",
     ALL),
    (r"\bblant de som\b", "«blant dem som»", "like stor blant de som svarte",
     "like stor blant dem som svarte", ALL),
    (r"\bsammenlign\w* (?:vi )?de som\b", "«sammenligne dem som»",
     "Her sammenligner vi de som svarte", "Her sammenligner vi dem som svarte; de som svarer, "
     "har valgt det selv", ALL),
    (r"\bfrø\b", "«startverdi»", "trukket tilfeldig (frø 3)",
     "trukket tilfeldig (startverdi 3) i Frøya", ALL),
    (r"\bsekundær skjuling\b", "«sekundærprikking»", "(sekundær skjuling)",
     "(sekundærprikking)", ALL),
    (r"\bvask(?:en|ede|et)\b", "«renskingen», «renskede»", "Slik virker vasken",
     "Slik virker renskingen på renskede tekster", ALL),
    (r"robusthetstest", "«følsomhetsanalyse»: robusthet is one of the guide's goals",
     "Robusthetstesten viser", "Følsomhetsanalysen viser at nabolaget er mindre robust", ALL),
    (r"\bhvor robust er rangeringen\b", "«følsomhetsanalyse»", "## Hvor robust er rangeringen?",
     "## Følsomhetsanalyse: hvor sikker er rangeringen?", ALL),
    (r"\brobustness (?:check|test)\b|\bhow robust is the ranking\b", "«sensitivity analysis»",
     "a robustness check of the ranks", "heteroscedasticity-robust errors; social robustness",
     ALL),
    (r"\bni dimensjoner\b|\bnine dimensions\b",
     "the guide lists items under two goals and never says «dimensjon»; the word is ours",
     "to mål, ni dimensjoner", "hver av de ni dimensjonene (punktene under de to målene)", ALL),
    (r"\blangt bedre enn vekter\b", "the comparison with weights is ours, not the guide's",
     "styrker gyldigheten langt bedre enn vekter", "Vår egen vurdering, ikke veilederens", ALL),
    (r"\bveilederen for sosialt bærekraftige lokalsamfunn\b",
     "the guide's title is «En veileder i sosial bærekraft»",
     "Veilederen for sosialt bærekraftige lokalsamfunn skiller",
     "*En veileder i sosial bærekraft* setter opp to mål for sosialt bærekraftige "
     "lokalsamfunn", ALL),
    (r"tester samtidig\s*[–(-]\s*(?:over|rundt|nesten|omtrent|ca\.?)?\s*\d+",
     "a count written into the text is wrong for another kommune: let the computed text "
     "(result.text) give it",
     "Vi gjør mange tester samtidig – over 150 – og noen",
     "mange tester samtidig (teksten under sier hvor mange), og noen", ALL),
    (r"\bridit\b", "«befolkningsvektet rang» (plain words for politicians)",
     "befolkningsvektede rang (ridit)", "befolkningsvektet rang fra 0 til 1", REPORT),
]

#: Notebooks whose parameters cell still has English comments, and why.
ENGLISH_PARAMETERS_PENDING: dict[str, str] = {}
_ENGLISH = re.compile(r"#.*\b(?:the|your|parameters|change these|folder|file|e\.g\.|number of|else|"
                      r"when|random|language)\b", re.IGNORECASE)


def _library_strings(path: Path) -> str:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return "\n".join(node.value for node in ast.walk(tree)
                     if isinstance(node, ast.Constant) and isinstance(node.value, str))


def _sources() -> list[tuple[str, str, str]]:
    """(where, text, scope) for everything scanned."""
    found = []
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            found.append((f"{path.relative_to(ROOT)} cell {i}", cell.source, ALL))
    found.append(("README.md", (ROOT / "README.md").read_text(encoding="utf-8"), ALL))
    for path in sorted(LIB.rglob("*.py")):
        scope = REPORT if path in REPORT_SOURCES else ALL
        found.append((str(path.relative_to(ROOT)), _library_strings(path), scope))
    for path in sorted((VERKSTED / "templates").glob("*")):
        found.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"), REPORT))
    return found


def _hits(text: str, scope: str) -> list[tuple[str, str]]:
    hits = []
    for pattern, fix, _, _, where in FORBIDDEN:
        if where == REPORT and scope != REPORT:
            continue
        for m in re.finditer(pattern, text, flags=re.IGNORECASE):
            start = max(m.start() - 40, 0)
            hits.append((fix, " ".join(text[start:m.end() + 40].split())))
    return hits


@pytest.mark.parametrize("pattern, fix, wrong, right, where", FORBIDDEN,
                         ids=[f[0] for f in FORBIDDEN])
def test_each_forbidden_form_is_caught(pattern, fix, wrong, right, where):
    assert _hits(wrong, REPORT), f"{pattern!r} misses «{wrong}»"
    assert not _hits(right, REPORT), f"{pattern!r} catches the right «{right}»"


def test_report_only_forms_are_allowed_elsewhere():
    assert _hits("rang (ridit)", REPORT) and not _hits("rang (ridit)", ALL)


def test_no_forbidden_forms_in_user_facing_text():
    problems = [f"{where}: «…{context}…» → {fix}" for where, text, scope in _sources()
                for fix, context in _hits(text, scope)]
    assert not problems, "\n".join(problems)


def test_scan_covers_the_user_facing_sources():
    wheres = {where.split(" cell ")[0] for where, _, _ in _sources()}
    assert {"notebooks/07_verksted.ipynb", "dashboard/utforsker.ipynb", "README.md",
            "soslokal_lib/app/verksted/wording.py",
            "soslokal_lib/app/verksted/templates/verksted.html.j2",
            "soslokal_lib/plot/indicators.py"} <= wheres


_GOAL_CLAIM = re.compile(r"\*(?P<theme>[^*\n]+)\*\s*\(\*\*(?P<goal>sosial (?:rettferdighet|"
                         r"robusthet))\*\*", re.IGNORECASE)


def _goal_claims(path: Path) -> list[tuple[str, str]]:
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return [(m["theme"], m["goal"]) for m in _GOAL_CLAIM.finditer(text)]


def test_goal_claims_follow_the_framework():
    """Wherever a notebook writes «*Tema* (**sosial …**», the goal is the one
    ``framework.THEME_LINKS`` gives the theme (issue: notebook 07 had two swapped)."""
    claims = {path.name: _goal_claims(path) for path in NOTEBOOKS}
    assert len(claims["07_verksted.ipynb"]) >= 3, "notebook 07 should name a goal per finding"
    wrong = []
    for name, pairs in claims.items():
        for theme, goal in pairs:
            code = get_theme(theme).code
            expected = framework.get_goal(framework.goal_of(code)).name("nb")
            if goal.casefold() != expected.casefold():
                wrong.append(f"{name}: *{theme}* is under «{expected}», not «{goal}»")
    assert not wrong, "\n".join(wrong)


def test_goal_claim_check_can_fail(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("(1) *Trygghet* (**sosial rettferdighet**) og "
                                              "*Innflytelse og medvirkning* (**sosial "
                                              "robusthet**)")]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    pairs = _goal_claims(path)
    assert [(get_theme(t).code, g) for t, g in pairs] == [
        ("feeling_safe", "sosial rettferdighet"), ("influence_control", "sosial robusthet")]
    assert all(framework.get_goal(framework.goal_of(get_theme(t).code)).name("nb").casefold()
               != g for t, g in pairs)


def test_workshop_names_the_guide_and_shows_the_framework_table():
    nb = nbformat.read(ROOT / "notebooks" / "07_verksted.ipynb", as_version=4)
    [i] = [i for i, c in enumerate(nb.cells) if c.source.startswith("## 6 Fra funn til tiltak")]
    assert "*En veileder i sosial bærekraft*" in nb.cells[i].source
    assert "framework.theme_table(" in nb.cells[i + 1].source


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name not in
                                  ENGLISH_PARAMETERS_PENDING], ids=lambda p: p.name)
def test_parameters_comments_are_in_bokmal(path):
    nb = nbformat.read(path, as_version=4)
    [params] = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    english = [line for line in params.source.splitlines() if _ENGLISH.search(line)]
    assert not english, f"{path.name}: comments in English:\n" + "\n".join(english)


def test_pending_english_parameters_are_still_pending():
    """Remove a notebook from ``ENGLISH_PARAMETERS_PENDING`` once its comments are in bokmål."""
    for name in ENGLISH_PARAMETERS_PENDING:
        path = ROOT / "notebooks" / name
        if path.exists():
            nb = nbformat.read(path, as_version=4)
            [params] = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
            assert _ENGLISH.search(params.source), f"{name} is in bokmål now: drop the exemption"


def test_readme_documents_every_notebook_and_the_round_syntax():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\| `(\d\d_\w+\.ipynb)` \|", readme, flags=re.MULTILINE))
    shipped = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert table == shipped, shipped ^ table
    for syntax in ("[[survey]]", 'round = "2021"', "[rounds]", "crosswalk = ",
                   "compare_rounds", "[socio]", 'grunnkretser = "'):
        assert syntax in readme, syntax
