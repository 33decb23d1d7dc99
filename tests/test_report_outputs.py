"""A report folder holds one run's files and the user's (soslokal_lib.app.outputs): a second
run into the same folder after a merge leaves no brief of the old areas, whose difference from
the new ones would give away the merged area's few respondents."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import matplotlib
import openpyxl
import pytest

matplotlib.use("Agg")

from soslokal_lib.app import report  # noqa: E402
from soslokal_lib.app.config import load_config  # noqa: E402
from soslokal_lib.app.outputs import MANIFEST, start  # noqa: E402
from soslokal_lib.errors import SoslokalError  # noqa: E402

MINI = Path(__file__).resolve().parent / "fixtures" / "minikommune"
MERGE = '[areas.merge]\n"Søndre" = "Østre"\n\n[privacy]'  # Søndre has 3 answers


@pytest.fixture
def mini(tmp_path: Path, monkeypatch) -> Path:
    """The minikommune's config, its report made without notebooks (seconds, not minutes)."""
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    monkeypatch.setattr(report, "plan_notebooks", lambda config, inputs, nbs=None: ([], []))
    return folder / "minikommune.toml"


def _merge(config: Path, merge: str = MERGE) -> None:
    text = (MINI / config.name).read_text(encoding="utf-8")  # the fixture's, merged anew
    config.write_text(text.replace("[privacy]", merge, 1), encoding="utf-8")


def _present(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def _listed(out: Path) -> set[str]:
    return set(json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"])


def _briefs(out: Path) -> dict[str, int]:
    """Area name → respondents, as every Bylab brief in ``out`` says."""
    found = {}
    for path in sorted(out.glob("bylab_*.html")):
        text = path.read_text(encoding="utf-8")
        name = re.search(r"<h1>Bylab: (.+?)</h1>", text).group(1)
        found[name] = int(re.search(r"· (\d+) svar i Stedskompasset", text).group(1))
    return found


def test_second_run_after_a_merge_leaves_no_old_brief_and_keeps_the_users_file(mini, tmp_path,
                                                                                capsys):
    out = tmp_path / "rapport"
    report.make_report(load_config(mini), out, progress=False)
    assert _briefs(out) == {"Nordre": 13, "Søndre": 3, "Østre": 12, "Vestre": 12}
    assert _listed(out) == set(_present(out)) - {MANIFEST}
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    capsys.readouterr()

    _merge(mini)
    report.make_report(load_config(mini), out, progress=False)
    present = _present(out)
    assert not {"bylab_sondre.html", "bylab_sondre.docx", "bylab_ostre.html",
                "bylab_ostre.docx"} & set(present)
    assert present["notes.txt"] == b"mine"
    assert _listed(out) == set(present) - {MANIFEST, "notes.txt"}
    assert capsys.readouterr().err.splitlines()[-1] == (
        "Fjernet 4 filer fra forrige kjøring som ikke lenger gjelder: bylab_ostre.docx, "
        "bylab_ostre.html, bylab_sondre.docx, bylab_sondre.html. Har du delt dem, kan de "
        "sammen med de nye avsløre en liten gruppe: trekk dem tilbake.")
    # the attack: two briefs with overlapping areas give the difference away by subtraction
    assert _briefs(out) == {"Nordre": 13, "Østre og Søndre": 15, "Vestre": 12}
    assert sum(_briefs(out).values()) == 40  # every respondent in one brief only


def test_a_failed_run_removes_nothing_and_the_next_good_one_does(mini, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "_write_office", lambda *args: [])
    out = tmp_path / "rapport"
    report.make_report(load_config(mini), out, progress=False)
    first = _present(out)

    _merge(mini, '[areas.merge]\n"Søndree" = "Østre"\n\n[privacy]')  # a bad config
    with pytest.raises(SoslokalError, match="Søndree"):
        report.make_report(load_config(mini), out, progress=False)
    assert _present(out) == first

    _merge(mini, MERGE)  # a good config, a part that fails
    from soslokal_lib.app import bylab

    def broken(*args):
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(bylab, "write_bylab", broken)
        with pytest.raises(SoslokalError, match="Bylab failed: OSError: disk full"):
            report.make_report(load_config(mini), out, progress=False)
    assert {k: first[k] for k in first if k.startswith("bylab_")} == \
        {k: v for k, v in _present(out).items() if k.startswith("bylab_")}
    assert _listed(out) == set(_present(out)) - {MANIFEST}  # old and new, all listed

    report.make_report(load_config(mini), out, progress=False)
    assert _briefs(out) == {"Nordre": 13, "Østre og Søndre": 15, "Vestre": 12}
    assert _listed(out) == set(_present(out)) - {MANIFEST}


def test_old_outputs_in_no_manifest_stop_the_run_before_it_writes(mini, tmp_path):
    out = tmp_path / "rapport"
    (out / "data").mkdir(parents=True)
    (out / "bylab_kvalholmen.html").write_text("gammel", encoding="utf-8")
    (out / "data" / "svar.csv").write_bytes((MINI / "svar.csv").read_bytes())
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = _present(out)
    with pytest.raises(SoslokalError) as info:
        report.make_report(load_config(mini), out, progress=False)
    text = info.value.describe("nb")
    assert "bylab_kvalholmen.html, data/svar.csv" in text
    assert text.endswith("Løsning: velg en tom mappe med --out, eller flytt disse filene ut av "
                         "mappen eller slett dem.")
    assert _present(out) == before


def test_config_inputs_in_the_folder_are_not_old_outputs(mini, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "_write_office", lambda *args: [])
    folder = mini.parent
    (folder / "data").mkdir()
    shutil.move(folder / "svar.csv", folder / "data" / "svar.csv")
    mini.write_text(mini.read_text(encoding="utf-8").replace('"svar.csv"', '"data/svar.csv"'),
                    encoding="utf-8")
    report.make_report(load_config(mini), folder, progress=False)  # --out . beside the config
    assert "data/svar.csv" not in _listed(folder)
    assert (folder / "data" / "svar.csv").read_bytes() == (MINI / "svar.csv").read_bytes()


def test_a_stale_file_edited_by_hand_is_kept_and_named_a_filled_log_is_the_users(mini, tmp_path,
                                                                               monkeypatch):
    monkeypatch.setattr(report, "_write_office", lambda *args: [])
    out = tmp_path / "rapport"
    report.make_report(load_config(mini), out, progress=False)
    with (out / "bylab_sondre.docx").open("ab") as fh:
        fh.write(b"notater fra Bylab")
    book = openpyxl.load_workbook(out / "tiltak.xlsx")
    book["Tiltak"].append(["Nordre", "Trygghet i bydelen", "Lys i parken", "kommune"])
    book.save(out / "tiltak.xlsx")
    log = (out / "tiltak.xlsx").read_bytes()

    _merge(mini)
    with pytest.raises(SoslokalError) as info:
        report.make_report(load_config(mini), out, progress=False)
    assert info.value.describe("nb").startswith(
        f"{out}: bylab_sondre.docx er fra en tidligere kjøring og gjelder ikke lenger, men er "
        "endret etter at soslokal skrev dem, så de ble ikke slettet.")
    assert (out / "bylab_sondre.docx").read_bytes().endswith(b"notater fra Bylab")
    assert not (out / "bylab_sondre.html").exists()
    assert (out / "tiltak.xlsx").read_bytes() == log
    assert _listed(out) == set(_present(out)) - {MANIFEST, "tiltak.xlsx"}


def test_a_manifest_never_removes_anything_outside_the_folder(tmp_path):
    outside = tmp_path / "hemmelig.txt"
    outside.write_text("x", encoding="utf-8")
    digest = hashlib.sha256(b"x").hexdigest()
    out = tmp_path / "rapport"
    out.mkdir()
    (out / MANIFEST).write_text(json.dumps({"files": {"../hemmelig.txt": digest,
                                                      str(outside): digest}}),
                                encoding="utf-8")
    start(out).finish(True)
    assert outside.read_text(encoding="utf-8") == "x"
    assert _listed(out) == set()
