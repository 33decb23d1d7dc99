"""The message catalogue and the CLI's one language (issue 12, item 11)."""

from __future__ import annotations

import json
import shutil
import string
import zipfile
from pathlib import Path

import pytest

from soslokal_lib._messages import CATALOGUE, Text, msg
from soslokal_lib.app.cli import main
from soslokal_lib.errors import Problem, SurveyFormatError, problems_error

FIXTURE = Path(__file__).parent / "fixtures" / "egenkommune"

#: Words that betray an English sentence in bokmål output (padded to whole words).
ENGLISH = (" the ", " file ", " column ", " row ", "Fix:", " must ", " not ", " found",
           " and ", " with ", " or ", " is ", " are ", " did you mean", " answer(s)",
           " area(s)", " outside the ", " score ", " unknown ", " missing ", " write ")
#: Bokmål frame and sentence words that must not appear with --lang en.
BOKMAL = ("Løsning", " rad ", " kolonne ", " verdi ", " og ", " til ", " ikke ", " mente du",
          " svar ", " område", " ukjent ", " må ", " finnes ")


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}


def test_every_entry_has_both_languages_with_the_same_placeholders():
    assert len(CATALOGUE) > 150
    for key, entry in CATALOGUE.items():
        assert set(entry) == {"en", "nb"}, key
        assert entry["en"].strip() and entry["nb"].strip(), key
        assert _fields(entry["en"]) == _fields(entry["nb"]), key
        assert entry["en"] != entry["nb"] or key.startswith(("check.what.levekar",
                                                              "check.what.ssb")), key


def test_a_message_is_english_text_that_renders_in_bokmal():
    text = msg("survey.outside", scale=7)
    assert isinstance(text, str) and text == "score outside the scale 1–7"
    assert text.render("nb") == "skår utenfor skalaen 1–7"
    nested = msg("config.choice.fix", hint=msg("hint.did_you_mean", names="'rake'"),
                 line='method = "rake"')
    assert nested.render("nb") == "mente du 'rake'? skriv method = \"rake\""
    assert str(nested) == "did you mean 'rake'? write method = \"rake\""


def test_errors_keep_english_for_the_library_and_describe_in_bokmal():
    problems = [Problem(msg("survey.outside", scale=7), row=4, column="Spm 1", value="9",
                        fix=msg("survey.outside.fix", scale=7, note=""))] * 3
    exc = problems_error(SurveyFormatError, "svar.csv", problems)
    assert str(exc).startswith("svar.csv: row 4, column 'Spm 1': score outside the scale 1–7 "
                               "(value '9'). Fix: use a whole number from 1 to 7;")
    assert str(exc).endswith(" … and 2 more")
    nb = exc.describe("nb")
    assert nb.startswith("svar.csv: rad 4, kolonne 'Spm 1': skår utenfor skalaen 1–7 "
                         "(verdi '9'). Løsning: bruk et heltall fra 1 til 7;")
    assert nb.endswith(" … og 2 til")
    with pytest.raises(SurveyFormatError, match="score outside the scale"):
        raise exc


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """Elvestad with a misspelt header, a score of 9 and an unknown area name «Vestbyn»."""
    folder = tmp_path / "elvestad"
    shutil.copytree(FIXTURE, folder)
    survey = folder / "svar_stedskompass.csv"
    lines = survey.read_text(encoding="utf-8-sig").split("\n")
    lines[0] = lines[0].replace("Alder", "Aldr", 1)
    cells = lines[1].split(";")
    cells[5] = "9"
    lines[1] = ";".join(cells)
    cells = lines[2].split(";")
    cells[2] = "Vestbyn"
    lines[2] = ";".join(cells)
    survey.write_text("\n".join(lines), encoding="utf-8-sig")
    return folder / "elvestad.toml"


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


def _sentences(output: str) -> str:
    """The output without quoted values and paths (headers and names are the user's own)."""
    import re

    text = re.sub(r"(?<![A-Za-z])'[^']*'|\"[^\"]*\"|«[^»]*»|/\S+", "X", output)
    return " ".join(text.split()) + " "


def test_check_on_broken_elvestad_speaks_bokmal(broken, capsys):
    code, output = _run(capsys, "check", str(broken))
    assert code == 1
    assert "rad 2, kolonne 'Spm 1 – Hvor lett er det å gå og sykle i nærmiljøet?': skår utenfor " \
           "skalaen 1–7 (verdi '9'). Løsning: bruk et heltall fra 1 til 7" in output
    assert "'Vestbyn' (1 svar, rad 3; mente du Vestbyen?)" in output
    assert "1 kolonne(r) ble ikke gjenkjent og er ikke lest: 'Aldr'" in output
    assert "ligger utenfor kommune 9903 (etter kommunegrensen)" in output
    text = _sentences(output)
    assert [w for w in ENGLISH if w in text] == []


def test_check_on_broken_elvestad_with_lang_en_speaks_english(broken, capsys):
    code, output = _run(capsys, "check", str(broken), "--lang", "en")
    assert code == 1
    assert "row 2, column 'Spm 1 – Hvor lett er det å gå og sykle i nærmiljøet?': score " \
           "outside the scale 1–7 (value '9'). Fix: use a whole number from 1 to 7" in output
    assert "'Vestbyn' (1 answer(s), row 3; did you mean Vestbyen?)" in output
    text = _sentences(output)
    # the user's own area names and headers are quoted or listed; «Sentrum» etc. are not words
    assert [w for w in BOKMAL if w in text] == []


def test_unknown_config_key_in_both_languages(broken, capsys):
    broken.write_text(broken.read_text(encoding="utf-8").replace(
        "min_n = 5", "min_n = 5\nmin_nn = 3"), encoding="utf-8")
    code, output = _run(capsys, "check", str(broken))
    assert code == 2
    assert output.endswith("elvestad.toml: [privacy] min_nn: ukjent nøkkel. Løsning: mente du "
                           "'min_n'?\n")
    code, output = _run(capsys, "check", str(broken), "--lang", "en")
    assert code == 2
    assert output.endswith("elvestad.toml: [privacy] min_nn: unknown key. Fix: did you mean "
                           "'min_n'?\n")


def test_text_pickles_as_its_english_string():
    import pickle

    text = msg("config.missing")
    assert isinstance(text, Text)
    assert pickle.loads(pickle.dumps(text)) == "missing"


def test_report_on_broken_elvestad_stops_in_one_language(broken, capsys, tmp_path):
    code, output = _run(capsys, "report", str(broken), "--out", str(tmp_path / "out"),
                        "--quiet")
    assert code == 1
    assert "1 kolonne(r) ble ikke gjenkjent og er ikke lest: 'Aldr'" in output  # the warning
    assert "skriv missing_tokens = [" in output and "2 problemer å rette:" in output
    assert "… og 1 til" not in output  # every problem is listed
    assert [w for w in ENGLISH if w in _sentences(output)] == []
    code, output = _run(capsys, "report", str(broken), "--out", str(tmp_path / "out"),
                        "--quiet", "--lang", "en")
    assert code == 1 and "2 problems to fix:" in output and "… and 1 more" not in output
    assert [w for w in BOKMAL if w in _sentences(output)] == []


def _no_english(text: str) -> list[str]:
    return [w for w in ENGLISH if w in _sentences(text)]


def test_boundary_file_errors_in_bokmal(tmp_path):
    from soslokal_lib.errors import AreaFormatError
    from soslokal_lib.io.boundaries import read_areas

    features = [{"type": "Feature", "properties": {"grunnkretsnummer": code},
                 "geometry": {"type": "Polygon", "coordinates": [[
                     [10 + i, 60], [10.5 + i, 60], [10.5 + i, 60.5], [10 + i, 60]]]}}
                for i, code in enumerate(["03010101", "03010101"])]
    path = tmp_path / "krets.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                    encoding="utf-8")
    with pytest.raises(AreaFormatError, match="duplicate area codes 03010101") as info:
        read_areas(path)
    nb = info.value.describe("nb")
    assert "områdekoder som går igjen: 03010101" in nb
    assert "koden står 2 ganger" in nb and "Løsning: hvert område må stå én gang" in nb
    assert _no_english(nb) == []
    zipped = tmp_path / "grenser.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("les_meg.txt", "ingen grenser her")
    with pytest.raises(AreaFormatError, match="the zip holds no boundary file") as info:
        read_areas(zipped)
    nb = info.value.describe("nb")
    assert nb.endswith("zip-fila inneholder ingen grensefil (.geojson, .json, .gml, .gpkg eller "
                       ".shp); den inneholder les_meg.txt. Løsning: last ned grensene som "
                       "GeoJSON, GML, GPKG eller SOSI→shape.")
    assert _no_english(nb) == []


def test_area_merge_errors_in_bokmal():
    from soslokal_lib.errors import SoslokalError
    from soslokal_lib.stats.areamerge import _resolve

    names = {"01": "Vestbyen", "02": "Nordbyen", "03": "Sentrum"}
    with pytest.raises(SoslokalError, match=r"\[areas\] merge: no area 'Vestbyn' \(did you "
                                            r"mean 'Vestbyen'\?\)\. Fix: use the names") as info:
        _resolve({"Vestbyn": "Sentrum"}, names)
    nb = info.value.describe("nb")
    assert nb == ("[areas] merge: finner ikke område 'Vestbyn' (mente du 'Vestbyen'?). Løsning: "
                  "bruk navnene eller kodene fra grensefila eller undersøkelsen: Nordbyen, "
                  "Sentrum, Vestbyen.")
    with pytest.raises(SoslokalError, match="is merged into itself") as info:
        _resolve({"Sentrum": "03"}, names)
    assert info.value.describe("nb") == ("[areas] merge: 'Sentrum' slås sammen med seg selv. "
                                         "Løsning: skriv et annet område på høyre side.")
    assert _no_english(info.value.describe("nb")) == []


def test_input_loading_errors_in_bokmal(tmp_path):
    import pandas as pd

    from soslokal_lib.errors import AreaFormatError, DataSourceError
    from soslokal_lib.io.boundaries import read_areas
    from soslokal_lib.io.inputs import SocioTables, _load_inputs_terms

    socio = pd.DataFrame({"population": [10]}, index=pd.Index(["99020101"], name="area_id"))
    tables = SocioTables(socio=socio, grunnkretser="delomrade", population=None, income=None,
                         source="levekar.csv", synthetic=False)
    with pytest.raises(DataSourceError, match="the register table has no column") as info:
        tables.require("population", "crowded_pct")
    assert info.value.describe("nb") == (
        "levekar.csv: registertabellen mangler kolonne(r) 'crowded_pct' (den har 'population'). "
        "Løsning: legg dem til i socio-fila, eller velg en kolonne den har.")
    # load_inputs words the boundary file's fixes with its own argument names, in both languages
    path = tmp_path / "omr.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    with pytest.raises(AreaFormatError) as info:
        read_areas(path, layer="feil")
    exc = _load_inputs_terms(info.value)
    assert "pass one of those as areas_layer='…'" in str(exc)
    nb = exc.describe("nb")
    assert "Løsning: gi et av dem som areas_layer='…'" in nb and _no_english(nb) == []


def test_report_errors_in_bokmal(tmp_path):
    import nbformat
    import pandas as pd

    from soslokal_lib.app.report import _joined, _others_written, notebook_needs, save_table
    from soslokal_lib.errors import SoslokalError

    with pytest.raises(SoslokalError, match="is not a plain file name") as info:
        save_table(pd.DataFrame({"a": [1]}), "../ut", tmp_path, min_n=5)
    assert info.value.describe("nb") == ("save_table: '../ut' er ikke et enkelt filnavn. "
                                         "Løsning: gi et navn som 'summary' (uten mapper).")
    nb_path = tmp_path / "09_x.ipynb"
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["soslokal"] = {"needs": ["kart"]}
    nbformat.write(notebook, nb_path)
    with pytest.raises(SoslokalError, match=r"unknown need\(s\) \['kart'\]") as info:
        notebook_needs(nb_path)
    assert info.value.describe("nb").startswith("09_x.ipynb: ukjente behov ['kart'] i "
                                                "metadataene 'soslokal'. Løsning: bruk noen av [")
    failed = [msg("report.cell_failed", name="01_a.ipynb", cell=3, error="KeyError",
                  value="'x'")]
    text = _joined(failed, msg("report.others_written", n=2))
    assert text == "01_a.ipynb: cell 3 failed: KeyError: 'x' (the other 2 were written)"
    assert text.render("nb") == "01_a.ipynb: celle 3 feilet: KeyError: 'x' (de 2 andre ble skrevet)"
    assert _no_english(text.render("nb")) == []
    one = [Path("01_a.html")]
    assert _others_written(one, html=True).render("nb") == " (den andre HTML-filen ble skrevet)"
    assert _others_written(one, html=False).render("en") == " (the other one was written)"
    assert _others_written(one * 2, html=True).render("nb") == (
        " (de 2 andre HTML-filene ble skrevet)")
    assert _others_written([], html=True) == ""


def test_levekar_sheet_errors_in_bokmal(tmp_path):
    from soslokal_lib.errors import DataSourceError
    from soslokal_lib.io.levekar import read_levekar

    with pytest.raises(DataSourceError, match="not a number or a known symbol") as info:
        read_levekar(FIXTURE.parent / "levekar" / "feil_celle.csv")
    nb = info.value.describe("nb")
    assert "rad 3, kolonne 'C (Trangbodde (%))': ikke et tall eller et kjent symbol (verdi " \
           "'ca. 4'). Løsning: bruk et tall (desimalkomma eller -punktum)" in nb
    assert nb.endswith(" … og 1 til") and _no_english(nb) == []
    dup = tmp_path / "dup.csv"
    dup.write_text("Sone;Lavinntekt\n99010100;1\n99010100;2\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match="has indicator 'Lavinntekt' more than once") as info:
        read_levekar(dup)
    nb = info.value.describe("nb")
    assert nb.endswith("rad 3: sonen '99010100' har indikatoren 'Lavinntekt' mer enn én gang. "
                       "Løsning: hver sone og indikator kan stå bare én gang; fjern duplikatet")
    assert _no_english(nb) == []


def test_register_csv_errors_in_bokmal(tmp_path):
    from soslokal_lib.errors import DataSourceError
    from soslokal_lib.io._socio_csv import read_socio_csv

    path = tmp_path / "levekar.csv"
    path.write_text("grunnkrets;population;low_incme_pct\n99020101;10;3\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match="no column 'area_id'") as info:
        read_socio_csv(path)
    lines = info.value.describe_all(lang="nb")
    assert lines[0].endswith("rad 1: ingen kolonne 'area_id' (den 8-sifrede grunnkretskoden); "
                             "kolonnene er 'grunnkrets', 'population', 'low_incme_pct'. "
                             "Løsning: legg til en kolonne 'area_id'")
    assert lines[1].endswith("rad 1, kolonne 'low_incme_pct': ukjent kolonnenavn, likner på en "
                             "kjent indikator. Løsning: mente du 'low_income_pct'?")
    assert _no_english(" ".join(lines)) == []
    path.write_text("area_id;population\n99020101;-4\n990202;x\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match="not a grunnkrets code") as info:
        read_socio_csv(path)
    nb = info.value.describe("nb")
    assert nb.endswith("rad 3, kolonne 'A (area_id)': ikke en grunnkretskode (8 sifre, "
                       "KKKKDDGG) (verdi '990202'). Løsning: skriv grunnkretsnummeret med 8 "
                       "sifre, f.eks. '03010101'")
    assert _no_english(nb) == []
