"""Message texts of the application and of merging areas: ``soslokal check``, the config file
and themes, merging areas, running the report. Catalogue data only (id → (English, bokmål));
:mod:`soslokal_lib._messages` builds the catalogue and renders the texts.
"""

from __future__ import annotations

#: id → (English template, bokmål template)
ENTRIES: dict[str, tuple[str, str]] = {}

# --- [report] areas ----------------------------------------------------------------------------
ENTRIES.update({
    "report.areas_empty": (
        "[report] areas is empty. Fix: name at least one neighbourhood, or leave the key out "
        "for the whole kommune.",
        "[report] areas er tom. Løsning: nevn minst ett nabolag, eller ta bort nøkkelen for "
        "hele kommunen."),
    "report.areas_unknown": (
        "[report] areas names unknown neighbourhood(s): {listed}. Fix: use an id or name of "
        "the survey's neighbourhoods: {known}.",
        "[report] areas nevner ukjente nabolag: {listed}. Løsning: bruk en kode eller et navn "
        "fra undersøkelsens nabolag: {known}."),
    "report.areas_closest": ("closest: {names}", "nærmest: {names}"),
})

# --- soslokal check ---------------------------------------------------------------------------
ENTRIES.update({
    "check.what.survey": ("survey{name}", "undersøkelsen{name}"),
    "check.what.areas": ("areas{name}", "områdene{name}"),
    "check.what.levekar": ("levekår {name}", "levekår {name}"),
    "check.what.ssb": ("SSB {name}", "SSB {name}"),
    "check.what.weights": ("weights population{name}", "vekting, befolkningstall{name}"),
    "check.what.bylab": ("Bylab files{name}", "Bylab-filene{name}"),
    "check.outside": (
        "{n} area(s) of {file} lie outside kommune {kommune} ({how}) and are left out: {names}",
        "{n} område(r) i {file} ligger utenfor kommune {kommune} ({how}) og er utelatt: "
        "{names}"),
    "check.cut_prefix": ("by code: prefix {kommune}", "etter kode: begynner med {kommune}"),
    "check.cut_outline": ("by the kommune's outline", "etter kommunegrensen"),
    "check.dont_know": (
        "{n} answer(s) «vet ikke», «ikke relevant» or the like are no scores; they are counted "
        "per area and theme (n_dont_know)",
        "{n} svar «vet ikke», «ikke relevant» o.l. er ingen skår; de telles per nabolag og tema "
        "(n_dont_know)"),
    "check.same_problem": (
        "column {column!r}: {n} more row(s) with the same problem ({message}): rows {rows}",
        "kolonne {column!r}: {n} rad(er) til med samme problem ({message}): rad {rows}"),
    "check.population_csv": (
        "{path}: not a readable CSV ({error}). Fix: save it as UTF-8 CSV, or use the SSB 04362 "
        "JSON-stat file.",
        "{path}: ikke en lesbar CSV-fil ({error}). Løsning: lagre den som CSV i UTF-8, eller "
        "bruk JSON-stat-fila for SSB-tabell 04362."),
    "check.bylab_later": (
        "checked when the problems with the survey and the areas above are fixed (the files "
        "name areas)",
        "sjekkes når problemene med undersøkelsen og områdene over er rettet (filene nevner "
        "områder)"),
    "check.no_areas": (
        "no [areas] table: the survey's area answers are used as they are",
        "ingen [areas]-tabell: områdesvarene i undersøkelsen brukes slik de er"),
    "check.without_area": (
        "{n} respondent(s) without an area (a blank cell or a missing-answer word) count only in "
        "the figures for the whole kommune",
        "{n} svar uten område (tom celle eller et ord for manglende svar) telles bare i tallene "
        "for hele kommunen"),
    "check.unmatched_one": ("{value!r} ({n} answer(s){rows}{hint})",
                            "{value!r} ({n} svar{rows}{hint})"),
    "check.unmatched_row": (", row {rows}", ", rad {rows}"),
    "check.unmatched_rows": (", rows {rows}", ", rad {rows}"),
    "check.unmatched_rows_more": (", rows {rows} … and {more} more",
                                  ", rad {rows} … og {more} til"),
    "check.unmatched_hint": ("; did you mean {names}?", "; mente du {names}?"),
    "check.unmatched_outside": (
        "; {names} lie(s) outside the kommune (check number and boundary under [kommune])",
        "; {names} ligger utenfor kommunen (sjekk number og boundary under [kommune])"),
    "check.unmatched": (
        "{n} area answer(s) in {survey} match no code or name in {areas}: {listed}{where}. "
        "Fix: correct those answers in the survey, or the area names in {areas}{tokens}",
        "{n} områdesvar i {survey} passer ikke med noen kode eller navn i {areas}: "
        "{listed}{where}. Løsning: rett disse svarene i undersøkelsen, eller områdenavnene i "
        "{areas}{tokens}"),
    "check.unmatched_tokens": (
        "; if {values} mean(s) «no area given», write missing_tokens = [{toml}] {block}: "
        "those answers then count in the whole kommune's figures only",
        "; hvis {values} betyr «ikke oppgitt», skriv missing_tokens = [{toml}] {block}: da "
        "telles de svarene bare i tallene for hele kommunen"),
    "check.unmatched_tokens_round": ("in every [[survey]] block (here round {round})",
                                     "i hver [[survey]]-blokk (her runde {round})"),
    "check.empty_boundary": (
        " (if some lie outside the kommune, add boundary = \"<file with the kommune's "
        "outline>\" under [kommune] to leave them out)",
        " (ligger noen utenfor kommunen: legg til boundary = \"<fil med kommunegrensen>\" "
        "under [kommune] for å utelate dem)"),
    "check.empty": (
        "{n} area(s) without respondents, so no page or statistics in the report: {names}{hint}",
        "{n} område(r) uten svar, og dermed uten side eller tall i rapporten: {names}{hint}"),
    "os.not_found": ("file not found", "fila finnes ikke"),
    "os.denied": ("permission denied", "ingen tilgang"),
    "os.is_dir": ("is a folder, not a file", "er en mappe, ikke en fil"),
    "os.not_dir": ("a part of the path is not a folder", "en del av stien er ikke en mappe"),
})

# --- the config file (app/config.py) and themes -----------------------------------------------
ENTRIES.update({
    "config.not_found": (
        "{path}: config file not found. Fix: check the path, or write a template with "
        "`soslokal init`.",
        "{path}: finner ikke oppsettfila. Løsning: sjekk stien, eller skriv en mal med "
        "`soslokal init`."),
    "config.unreadable": ("{path}: cannot read the config file ({error}).",
                          "{path}: kan ikke lese oppsettfila ({error})."),
    "config.not_utf8": ("{path}: the config file is not UTF-8 text. Fix: save it as UTF-8.",
                        "{path}: oppsettfila er ikke UTF-8-tekst. Løsning: lagre den som UTF-8."),
    "config.bad_toml": (
        "{path}: not valid TOML: {error}. Fix: correct the line named; text values need "
        "quotes, e.g. name = \"Fjordvik\".",
        "{path}: ikke gyldig TOML: {error}. Løsning: rett linjen som er nevnt; tekst må stå i "
        "anførselstegn, f.eks. name = \"Fjordvik\"."),
    "config.toml_where": ("{what} (at line {line}, column {column})",
                          "{what} (på linje {line}, kolonne {column})"),
    "config.top_level": ("the top level", "øverste nivå"),
    "config.table_missing": ("the table is missing", "tabellen mangler"),
    "config.table_missing.fix": ("add a [{name}] table (`soslokal init` writes a template)",
                                 "legg til en [{name}]-tabell (`soslokal init` skriver en mal)"),
    "config.not_table": ("must be a table", "må være en tabell"),
    "config.not_table.fix": ("write it as [{name}] on its own line",
                             "skriv den som [{name}] på en egen linje"),
    "config.unknown_key": ("unknown key", "ukjent nøkkel"),
    "config.unknown_key.close": ("did you mean {names}?", "mente du {names}?"),
    "config.unknown_key.move": ("move it to [{table}]", "flytt den til [{table}]"),
    "config.unknown_key.remove": ("remove it; {where} takes {keys}",
                                  "fjern den; {where} tar {keys}"),
    "config.missing": ("missing", "mangler"),
    "config.missing.fix": ("add {key} = … to {where}", "legg til {key} = … i {where}"),
    "config.text": ("must be non-empty text in quotes", "må være tekst i anførselstegn"),
    "config.text.fix": ("write {key} = \"…\"", "skriv {key} = \"…\""),
    "config.file.not_found": ("file not found: {path}", "fila finnes ikke: {path}"),
    "config.file.is_dir": ("is a folder, not a file: {path}", "er en mappe, ikke en fil: {path}"),
    "config.file.fix": ("correct the path (relative paths start in {base})",
                        "rett stien (relative stier regnes fra {base})"),
    "config.boolean": ("must be true or false (no quotes)",
                       "må være true eller false (uten anførselstegn)"),
    "config.year": ("must be a year as a whole number", "må være et årstall (et heltall)"),
    "config.whole": ("must be a whole number", "må være et heltall"),
    "config.write": ("write {line}", "skriv {line}"),
    "config.write_eg": ("write e.g. {line}", "skriv f.eks. {line}"),
    "config.min_n": ("must be at least 1 (a cell needs respondents to be shown)",
                     "må være minst 1 (et tall vises bare når noen har svart)"),
    "config.min_n.fix": ("use min_n = 5 or more; never publish single answers",
                         "bruk min_n = 5 eller mer; publiser aldri enkeltsvar"),
    "config.count": ("must be a whole number, 0 or more", "må være et heltall, 0 eller mer"),
    "config.merge": ("must be a table of area = the area it joins, names in quotes",
                     "må være en tabell med område = området det slås sammen med, navn i "
                     "anførselstegn"),
    "config.confidence": ("must be a number between 0 and 1", "må være et tall mellom 0 og 1"),
    "config.sheet": ("must be a sheet name in quotes or a 0-based number",
                     "må være et arknavn i anførselstegn eller et nummer som teller fra 0"),
    "config.choice": ("must be one of {options}", "må være en av {options}"),
    "config.choice.fix": ("{hint}write {line}", "{hint}skriv {line}"),
    "config.number_text": ("must be text: a number loses its leading zero",
                           "må være tekst: et tall mister nullen foran"),
    "config.number": ("must be a four-digit kommunenummer in quotes",
                      "må være et firesifret kommunenummer i anførselstegn"),
    "config.columns": ("must be a table of header = name", "må være en tabell med overskrift = navn"),
    "config.columns.fix": ("write [survey.columns] and lines like \"Spm 12\" = \"feeling_safe\"",
                           "skriv [survey.columns] og linjer som \"Spm 12\" = \"feeling_safe\""),
    "config.column_target": ("must be a name in quotes, or false to skip the column",
                             "må være et navn i anførselstegn, eller false for å hoppe over "
                             "kolonnen"),
    "config.column_unknown": ("is not a name soslokal knows", "er ikke et navn soslokal kjenner"),
    "config.column_unknown.fix": (
        "{hint}use a theme code or number, area_id, respondent_id, age_group, gender, weight, "
        "<theme>:good, <theme>:improve, good or improve (comments on no theme), other, or false",
        "{hint}bruk en temakode eller et temanummer, area_id, respondent_id, age_group, gender, "
        "weight, <tema>:good, <tema>:improve, good eller improve (kommentarer uten tema), other "
        "eller false"),
    "config.themes": ("must be a list of themes", "må være en liste med tema"),
    "config.themes.fix": (
        "write e.g. themes = [\"moving_around\", \"feeling_safe\"] (codes, numbers 1–14 or names)",
        "skriv f.eks. themes = [\"moving_around\", \"feeling_safe\"] (koder, tall 1–14 eller "
        "navn)"),
    "config.not_theme": ("Not a theme: {item!r}.", "Ikke et tema: {item!r}."),
    "config.scale": ("must be 7 (standard and young people's versions) or 3 (children's "
                     "version), without quotes",
                     "må være 7 (standard- og ungdomsversjonen) eller 3 (barneversjonen), uten "
                     "anførselstegn"),
    "config.delimiter": ("must be one character in quotes", "må være ett tegn i anførselstegn"),
    "config.delimiter.fix": ("write e.g. delimiter = \";\" (or \",\" or \"\\t\" for tab)",
                             "skriv f.eks. delimiter = \";\" (eller \",\", eller \"\\t\" for "
                             "tabulator)"),
    "config.ssb_tables": ("must be a table of table id = file",
                          "må være en tabell med tabellnummer = fil"),
    "config.ssb_tables.fix": (
        "write [ssb.tables] and lines like \"04362\" = \"ssb_04362.json\"",
        "skriv [ssb.tables] og linjer som \"04362\" = \"ssb_04362.json\""),
    "config.ssb_id": ("is not an SSB table id (five digits)",
                      "er ikke et SSB-tabellnummer (fem sifre)"),
    "config.ssb_id.fix": ("quote the id, e.g. \"04362\" = \"…\"",
                          "sett nummeret i anførselstegn, f.eks. \"04362\" = \"…\""),
    "config.strings": ("must be a list of text, e.g. [\"a\", \"b\"]",
                       "må være en liste med tekst, f.eks. [\"a\", \"b\"]"),
    "config.trim": ("must be [low, high] with 0 < low < 1 < high",
                    "må være [lav, høy] med 0 < lav < 1 < høy"),
    "config.notebook": ("no notebook {name!r} in {folder} or {base}",
                        "ingen notatbok {name!r} i {folder} eller {base}"),
    "config.notebook.fix": ("{hint}choose from {names}", "{hint}velg blant {names}"),
    "config.per_language": ("must hold one table per language", "må ha én tabell per språk"),
    "config.language": ("unknown language", "ukjent språk"),
    "config.language.fix": ("use nb or en", "bruk nb eller en"),
    "config.theme_text": ("must be a table of theme = text", "må være en tabell med tema = tekst"),
    "config.levekar": ("must be one or more tables", "må være én eller flere tabeller"),
    "config.levekar.fix": ("write each sheet as [[levekar]] followed by path = \"…\"",
                           "skriv hvert ark som [[levekar]] fulgt av path = \"…\""),
    "config.area_clash": ("clashes with [survey.columns] {header!r} = \"area_id\"",
                          "krasjer med [survey.columns] {header!r} = \"area_id\""),
    "config.area_clash.fix": ("keep one of the two", "behold én av de to"),
    "init.exists": (
        "{path}: already exists; not overwritten. Fix: choose another folder, or add --force to "
        "replace it.",
        "{path}: finnes fra før og er ikke overskrevet. Løsning: velg en annen mappe, eller "
        "legg til --force for å erstatte den."),
    "init.not_folder": ("{path}: is not a folder. Fix: give a folder to write to.",
                        "{path}: er ikke en mappe. Løsning: oppgi en mappe å skrive til."),
    "theme.out_of_range": (
        "Theme number {number} is out of range. Fix: use a number from 1 to 14.",
        "Temanummer {number} finnes ikke. Løsning: bruk et tall fra 1 til 14."),
    "theme.hint": (" Did you mean {names}?", " Mente du {names}?"),
    "theme.unknown": (
        "No Stedskompasset theme is called {key!r}.{hint} Fix: use a theme code ({codes}, …), "
        "a number 1–14 or a name.",
        "Ingen tema i Stedskompasset heter {key!r}.{hint} Løsning: bruk en temakode ({codes}, "
        "…), et tall 1–14 eller et navn."),
})

# --- merging areas (stats/areamerge.py) -------------------------------------------------------
ENTRIES.update({
    "merge.each_other": (
        "[areas] merge: {a!r} and {b!r} are merged into each other. Fix: merge each area in one "
        "direction only.",
        "[areas] merge: {a!r} og {b!r} slås sammen med hverandre. Løsning: slå hvert område "
        "sammen i bare én retning."),
    "merge.small_unknown": (
        "[areas] merge_small = {value!r} is not known. Fix: write merge_small = \"{known}\", or "
        "remove the line.",
        "[areas] merge_small = {value!r} er ukjent. Løsning: skriv merge_small = \"{known}\", "
        "eller fjern linjen."),
    "merge.small_no_areas": (
        "[areas] merge_small needs the areas' boundaries to find neighbours. Fix: give [areas] "
        "path, or name the merges with [areas] merge = {{ \"small area\" = \"other area\" }}.",
        "[areas] merge_small trenger områdegrensene for å finne naboer. Løsning: oppgi path "
        "under [areas], eller navngi sammenslåingene med [areas] merge = "
        "{{ \"lite område\" = \"annet område\" }}."),
    "merge.itself": (
        "[areas] merge: {area!r} is merged into itself. Fix: name another area on the right-hand "
        "side.",
        "[areas] merge: {area!r} slås sammen med seg selv. Løsning: skriv et annet område på "
        "høyre side."),
    "merge.did_you_mean": (" (did you mean {names}?)", " (mente du {names}?)"),
    "merge.or": (" or ", " eller "),
    "merge.no_area": (
        "[areas] merge: no area {hints}. Fix: use the names or codes of the boundary file or the "
        "survey: {known}.",
        "[areas] merge: finner ikke område {hints}. Løsning: bruk navnene eller kodene fra "
        "grensefila eller undersøkelsen: {known}."),
    "merge.circle": (
        "[areas] merge: the merges form a circle. Fix: let every chain end in an area that is "
        "not merged.",
        "[areas] merge: sammenslåingene går i ring. Løsning: la hver kjede ende i et område som "
        "ikke slås sammen."),
})

# --- running the report (app/report.py) -------------------------------------------------------
ENTRIES.update({
    "report.no_notebooks": ("No notebooks found in {folder}. Fix: run from a full checkout.",
                            "Fant ingen notatbøker i {folder}. Løsning: kjør fra en fullstendig "
                            "utsjekking av prosjektet."),
    "report.cell_failed": ("{name}: cell {cell} failed: {error}: {value}",
                           "{name}: celle {cell} feilet: {error}: {value}"),
    "report.see_executed": (" (the cell and its traceback: {path})",
                            " (cellen og feilmeldingen: {path})"),
    "report.source_levekar": ("the kommune's levekår figures ({files})",
                              "kommunens levekårstall ({files})"),
    "cli.problems": ("{n} problems to fix:", "{n} problemer å rette:"),
    "report.part_failed": ("{name} failed: {error}: {value}", "{name} feilet: {error}: {value}"),
    "report.others_written": (" (the other {n} were written)", " (de {n} andre ble skrevet)"),
    "report.others_html_written": (" (the other {n} HTML files were written)",
                                   " (de {n} andre HTML-filene ble skrevet)"),
    "report.other_written": (" (the other one was written)", " (den andre ble skrevet)"),
    "report.other_html_written": (" (the other HTML file was written)",
                                  " (den andre HTML-filen ble skrevet)"),
    "report.unknown_needs": (
        "{name}: unknown need(s) {unknown} in the metadata 'soslokal'. Fix: use some of {known}.",
        "{name}: ukjente behov {unknown} i metadataene 'soslokal'. Løsning: bruk noen av "
        "{known}."),
    "report.bad_table_name": (
        "save_table: {name!r} is not a plain file name. Fix: give a name such as 'summary' (no "
        "folders).",
        "save_table: {name!r} er ikke et enkelt filnavn. Løsning: gi et navn som 'summary' "
        "(uten mapper)."),
    "report.stale_removed": (
        "Removed {n} file(s) of the previous run that no longer apply: {files}. If you shared "
        "them, together with the new ones they may give away a small group: withdraw them.",
        "Fjernet {n} filer fra forrige kjøring som ikke lenger gjelder: {files}. Har du delt "
        "dem, kan de sammen med de nye avsløre en liten gruppe: trekk dem tilbake."),
    "report.stale_edited": (
        "{folder}: {files} are from an earlier run and no longer apply, but were changed after "
        "soslokal wrote them, so they were not removed. Next to the new report they can give "
        "away small groups. Fix: move them out of the report folder, or delete them.",
        "{folder}: {files} er fra en tidligere kjøring og gjelder ikke lenger, men er endret "
        "etter at soslokal skrev dem, så de ble ikke slettet. Sammen med den nye rapporten kan "
        "de avsløre små grupper. Løsning: flytt dem ut av rapportmappen, eller slett dem."),
    "report.old_outputs": (
        "{folder} holds files named like a report's that no run into this folder listed: "
        "{files}. They may be from an earlier report, and next to a new one they can give "
        "away small groups (e.g. after merging two areas). Fix: choose an empty "
        "folder with --out, or move these files out of the folder or delete them.",
        "{folder} har filer med navn som en rapports, som ingen kjøring til denne mappen har "
        "listet: {files}. De kan være fra en tidligere rapport, og sammen med en ny kan de "
        "avsløre små grupper (f.eks. etter at to områder er slått sammen). Løsning: velg en "
        "tom mappe med --out, eller flytt disse filene ut av mappen eller slett dem."),
    "report.privacy_removed": ("{path}: removed, it broke the privacy rule: {error}",
                               "{path}: slettet, den brøt personvernregelen: {error}"),
    "report.no_docx": (
        "{name} not written: python-docx is not installed. Fix: pip install python-docx (the "
        "HTML report was written).",
        "{name} ble ikke skrevet: python-docx er ikke installert. Løsning: pip install "
        "python-docx (HTML-rapporten ble skrevet)."),
    "report.no_pdf": (
        "{name} not written: found no Chromium, Chrome or Edge to print it with. Fix: install "
        "one (Debian/Ubuntu: apt-get install chromium) or set SOSLOKAL_BROWSER to its path; the "
        "HTML report was written and prints to PDF from any browser.",
        "{name} ble ikke skrevet: fant ingen Chromium, Chrome eller Edge å skrive den ut med. "
        "Løsning: installer en av dem (Debian/Ubuntu: apt-get install chromium) eller sett "
        "SOSLOKAL_BROWSER til stien dens; HTML-rapporten ble skrevet og kan skrives ut som PDF "
        "fra hvilken som helst nettleser."),
    "report.pdf_failed": (
        "{name} not written: {browser} could not print it ({error}). The HTML report was "
        "written and prints to PDF from any browser.",
        "{name} ble ikke skrevet: {browser} klarte ikke å skrive den ut ({error}). "
        "HTML-rapporten ble skrevet og kan skrives ut som PDF fra hvilken som helst nettleser."),
})
