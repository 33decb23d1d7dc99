"""Message texts of reading the inputs: survey export, tables, boundary files, levekårsark,
register figures, loading the inputs together. Catalogue data only (id → (English, bokmål));
:mod:`soslokal_lib._messages` builds the catalogue and renders the texts.
"""

from __future__ import annotations

#: id → (English template, bokmål template)
ENTRIES: dict[str, tuple[str, str]] = {}

# --- survey export (io/survey.py) -------------------------------------------------------------
ENTRIES.update({
    "survey.map_it": ("map it", "knytt den til et navn"),
    "survey.map_if_words": ("if the words are right, map it",
                            "er det ordene som stemmer, knytt den til temaet de nevner"),
    "survey.map_fix": ("{verb} with columns={{{header!r}: {target!r}}}",
                       "{verb} med columns={{{header!r}: {target!r}}}"),
    "survey.map_fix_config": ("{verb}: under [survey.columns] add {header} = {value}",
                              "{verb}: legg til {header} = {value} under [survey.columns]"),
    "survey.unrecognised": ("{n} column(s) not recognised and not read: {columns}",
                            "{n} kolonne(r) ble ikke gjenkjent og er ikke lest: {columns}"),
    "survey.unrecognised.fix": (
        "map them with columns={{header: name}}, or silence this with columns={{header: None}}",
        "knytt dem til et navn med columns={{overskrift: navn}}, eller demp dette med "
        "columns={{overskrift: None}}"),
    "survey.unrecognised.fix_config": (
        "map them under [survey.columns], or silence this there with {lines}",
        "knytt dem til et navn under [survey.columns], eller demp dette der med {lines}"),
    "survey.explicit_absent": ("columns= names a column that is not in the file",
                               "columns= nevner en kolonne som ikke finnes i fila"),
    "survey.explicit_absent.fix": ("{hint}use the header exactly as written",
                                   "{hint}skriv overskriften nøyaktig slik den står"),
    "survey.explicit_absent.fix_config": (
        "{hint}write the header under [survey.columns] exactly as in the file",
        "{hint}skriv overskriften under [survey.columns] nøyaktig slik den står i fila"),
    "survey.two_columns": ("two columns would both be read as {target}: {other!r} and {header!r}",
                           "to kolonner ville begge bli lest som {target}: {other!r} og "
                           "{header!r}"),
    "survey.two_columns.fix": ("keep one, or ignore the other with columns={{{header!r}: None}}",
                               "behold én, eller hopp over den andre med "
                               "columns={{{header!r}: None}}"),
    "survey.two_columns.fix_config": (
        "keep one, or ignore the other: under [survey.columns] add {line}",
        "behold én, eller hopp over den andre: legg til {line} under [survey.columns]"),
    "survey.map_header_eg": ("map its header under [survey.columns] (e.g. {lines})",
                             "knytt overskriften til temaet under [survey.columns] (f.eks. "
                             "{lines})"),
    "survey.map_header": ("map its header under [survey.columns]",
                          "knytt overskriften til temaet under [survey.columns]"),
    "survey.themes_missing": ("{n} theme column(s) are missing: {names}",
                              "{n} temakolonne(r) mangler: {names}"),
    "survey.themes_missing.fix": (
        "map the headers with columns={{header: theme code}}, or, if the survey did not ask "
        "these themes, read the others only with themes={present!r}",
        "knytt overskriftene til tema med columns={{overskrift: temakode}}, eller, hvis "
        "undersøkelsen ikke spurte om disse temaene, les bare de andre med themes={present!r}"),
    "survey.themes_missing.fix_config": (
        "{hint}; or, if the survey did not ask these themes, write themes = [{listed}] under "
        "[survey]",
        "{hint}; eller, hvis undersøkelsen ikke spurte om disse temaene, skriv "
        "themes = [{listed}] under [survey]"),
    "survey.no_area": (
        "no column says which area each respondent lives in (e.g. 'Hvilket område bor du i?', "
        "'Område', 'Bydel')",
        "ingen kolonne sier hvilket område hver enkelt bor i (f.eks. «Hvilket område bor du "
        "i?», «Område», «Bydel»)"),
    "survey.no_area.fix": ("map the area column with columns={{header: 'area_id'}}",
                           "knytt områdekolonnen til area_id med columns={{overskrift: "
                           "'area_id'}}"),
    "survey.no_area.fix_config": (
        "map the area column: under [survey.columns] add \"<header>\" = \"area_id\"",
        "knytt områdekolonnen til area_id: legg til \"<overskrift>\" = \"area_id\" under "
        "[survey.columns]"),
    "survey.number_vs_words": (
        "numbered {number} ({theme}, {code}) but its words name {named} ({other}); read as "
        "{code}{suffix} by its number",
        "har nummer {number} ({theme}, {code}), men ordene nevner {named} ({other}); lest som "
        "{code}{suffix} etter nummeret"),
    "survey.lookalike": (
        "looks like a theme column but is not one of the 14 themes; did you mean {name!r} "
        "({target})?",
        "ligner en temakolonne, men er ikke ett av de 14 temaene; mente du {name!r} "
        "({target})?"),
    "survey.lookalike.fix": (
        "correct the header, map it with columns={{{header!r}: '{target}'}}, or ignore it with "
        "columns={{{header!r}: None}}",
        "rett overskriften, knytt den til temaet med columns={{{header!r}: '{target}'}}, eller "
        "hopp over den med columns={{{header!r}: None}}"),
    "survey.lookalike.fix_config": (
        "correct the header, or under [survey.columns] map it with {header} = {target} (or "
        "ignore it with {header} = false)",
        "rett overskriften, eller knytt den til temaet under [survey.columns] med "
        "{header} = {target} (eller hopp over den med {header} = false)"),
    "survey.id_missing": ("respondent id is missing", "svar-ID mangler"),
    "survey.id_missing.fix": (
        "fill in an id, or remove the id column to number respondents by row",
        "fyll inn en ID, eller fjern ID-kolonnen så svarene nummereres etter rad"),
    "survey.id_duplicate": ("duplicate respondent id (also on row {first})",
                            "svar-ID-en finnes to ganger (også på rad {first})"),
    "survey.id_duplicate.fix": (
        "give every respondent its own id; if the response was exported twice, delete one copy",
        "gi hvert svar sin egen ID; er svaret eksportert to ganger, slett den ene kopien"),
    "survey.areas_of": ("the areas of {where}", "områdene i {where}"),
    "survey.area_unknown": (
        "area not in {known} (on {count} row(s); values not in {known}: {listed}{more})",
        "området finnes ikke i {known} (på {count} rad(er); verdier som ikke finnes i "
        "{known}: {listed}{more})"),
    "survey.area_unknown.fix": ("{hint}correct the cell, or the area's name in {where}",
                                "{hint}rett cellen, eller områdets navn i {where}"),
    "survey.area_unknown.fix_codes": ("{hint}add it to area_codes= or correct the cell",
                                      "{hint}legg det til i area_codes= eller rett cellen"),
    "survey.not_score": ("not a score on the 1–{scale} scale",
                         "ikke en skår på skalaen 1–{scale}"),
    "survey.not_score.fix": (
        "use a whole number from 1 to {scale} (a label after it is fine, e.g. '5 - noe'), leave "
        "the cell empty, or, if the word means 'no answer', add it with "
        "missing_tokens=['<word>']",
        "bruk et heltall fra 1 til {scale} (en tekst etter tallet går fint, f.eks. '5 - noe'), "
        "la cellen stå tom, eller, hvis ordet betyr «ikke svar», legg det til med "
        "missing_tokens=['<ord>']"),
    "survey.not_score.fix_config": (
        "use a whole number from 1 to {scale} (a label after it is fine, e.g. \"5 - noe\"), "
        "leave the cell empty, or, if the word means 'no answer', write "
        "missing_tokens = [\"<word>\"] under [survey]",
        "bruk et heltall fra 1 til {scale} (en tekst etter tallet går fint, f.eks. "
        "\"5 - noe\"), la cellen stå tom, eller, hvis ordet betyr «ikke svar», skriv "
        "missing_tokens = [\"<ordet>\"] under [survey]"),
    "survey.three_point": (" (this survey has a 3-point scale)",
                           " (denne undersøkelsen har en tredelt skala)"),
    "survey.outside": ("score outside the scale 1–{scale}", "skår utenfor skalaen 1–{scale}"),
    "survey.outside.fix": (
        "use a whole number from 1 to {scale}{note}; if the value means 'no answer', add it "
        "with missing_tokens=['<value>']",
        "bruk et heltall fra 1 til {scale}{note}; hvis verdien betyr «ikke svar», legg den til "
        "med missing_tokens=['<verdi>']"),
    "survey.outside.fix_config": (
        "use a whole number from 1 to {scale}{note}; if the value means 'no answer', write "
        "missing_tokens = [\"<value>\"] under [survey]",
        "bruk et heltall fra 1 til {scale}{note}; hvis verdien betyr «ikke svar», skriv "
        "missing_tokens = [\"<verdien>\"] under [survey]"),
    "survey.weight_nan": ("weight is not a number", "vekten er ikke et tall"),
    "survey.weight_nan.fix": ("give every respondent a positive weight (e.g. 1.25)",
                              "gi hvert svar en positiv vekt (f.eks. 1,25)"),
    "survey.weight_positive": ("weight must be greater than 0", "vekten må være større enn 0"),
    "survey.weight_positive.fix": ("give every respondent a positive weight",
                                   "gi hvert svar en positiv vekt"),
})

# --- reading a table: encoding, delimiter, sheet (io/_table.py) -------------------------------
ENTRIES.update({
    "table.tab": ("tab", "tabulator"),
    "table.one_column_with": (
        "with the delimiter {name} the whole header is one column ({shown!r}); the file seems "
        "to use {guess}",
        "med skilletegnet {name} blir hele overskriftsraden én kolonne ({shown!r}); fila ser "
        "ut til å bruke {guess}"),
    "table.delimiter.fix": ("pass delimiter={guess!r} or leave delimiter out",
                            "gi delimiter={guess!r} eller utelat delimiter"),
    "table.delimiter.fix_config": ("write delimiter = {guess} under [survey], or leave it out",
                                   "skriv delimiter = {guess} under [survey], eller utelat den"),
    "table.one_column": (
        "the header is a single column ({shown!r}); no ';', ',' or tab separates the column "
        "names, so this is not a survey table or it uses an unusual delimiter",
        "overskriftsraden er én kolonne ({shown!r}); ingen ';', ',' eller tabulator skiller "
        "kolonnenavnene, så dette er ikke en svartabell, eller den bruker et uvanlig "
        "skilletegn"),
    "table.one_column.fix": ("export the results as CSV or XLSX, or pass delimiter='…'",
                             "eksporter resultatene som CSV eller XLSX, eller gi delimiter='…'"),
    "table.one_column.fix_config": (
        "export the results as CSV or XLSX, or write delimiter = \"…\" under [survey]",
        "eksporter resultatene som CSV eller XLSX, eller skriv delimiter = \"…\" under "
        "[survey]"),
    "table.no_header_with": (
        "with the delimiter {given!r} no column header is recognised, with {guess} {n} are",
        "med skilletegnet {given!r} gjenkjennes ingen kolonneoverskrift, med {guess} "
        "gjenkjennes {n}"),
    "table.unknown_encoding": ("unknown encoding {encoding!r}", "ukjent tegnkoding {encoding!r}"),
    "table.unknown_encoding.fix": ("use 'utf-8', 'utf-8-sig' or 'cp1252', or leave encoding out",
                                   "bruk 'utf-8', 'utf-8-sig' eller 'cp1252', eller utelat "
                                   "encoding"),
    "table.unknown_encoding.fix_config": (
        "write encoding = \"utf-8\" (or \"utf-8-sig\", \"cp1252\") under [survey], or leave it "
        "out",
        "skriv encoding = \"utf-8\" (eller \"utf-8-sig\", \"cp1252\") under [survey], eller "
        "utelat den"),
    "table.bad_encoding": ("the file is not valid {encoding}", "fila er ikke gyldig {encoding}"),
    "table.bad_encoding.fix": (
        "leave encoding out to let soslokal detect it, or pass the right one",
        "utelat encoding så finner soslokal den selv, eller gi den riktige"),
    "table.bad_encoding.fix_config": (
        "leave encoding out under [survey] to let soslokal detect it, or write the right one",
        "utelat encoding under [survey] så finner soslokal den selv, eller skriv den riktige"),
    "table.bad_utf16": (
        "{path}: starts like UTF-16 text but is not valid UTF-16. Fix: save it again as CSV "
        "UTF-8.",
        "{path}: begynner som UTF-16-tekst, men er ikke gyldig UTF-16. Løsning: lagre den på "
        "nytt som «CSV UTF-8»."),
    "table.no_encoding": ("the file is neither UTF-8 nor Windows cp1252 text",
                          "fila er verken UTF-8- eller Windows cp1252-tekst"),
    "table.no_encoding.fix": ("save it as 'CSV UTF-8' or pass encoding='…'",
                              "lagre den som «CSV UTF-8» eller gi encoding='…'"),
    "table.no_encoding.fix_config": (
        "save it as «CSV UTF-8», or write encoding = \"…\" under [survey]",
        "lagre den som «CSV UTF-8», eller skriv encoding = \"…\" under [survey]"),
    "table.mixed": ("the file mixes encodings: most lines are {good}, this row is {bad} ({n} rows "
                    "like it)",
                    "fila blander tegnkodinger: de fleste linjene er {good}, denne raden er {bad} "
                    "({n} slike rader)"),
    "table.mixed.fix": (
        "open the file in a text editor and save it once as UTF-8, or export it again from the "
        "survey tool",
        "åpne fila i et tekstprogram og lagre den som UTF-8, eller eksporter den på nytt fra "
        "undersøkelsesverktøyet"),
    "table.row_one_cell": (
        "the whole row is in its first cell: it seems to use another delimiter than the header "
        "({name})",
        "hele raden står i første celle: den ser ut til å bruke et annet skilletegn enn "
        "overskriftsraden ({name})"),
    "table.row_one_cell.fix": ("use the same delimiter on every line (export the file again)",
                               "bruk samme skilletegn på alle linjer (eksporter fila på nytt)"),
    "table.no_sheet_number": ("has no sheet number {sheet} (it has {n}: {listing})",
                              "har ikke ark nummer {sheet} (den har {n}: {listing})"),
    "table.no_sheet_number.fix": ("sheet numbers start at 0; pass sheet=0 for the first sheet",
                                  "arknumre teller fra 0; gi sheet=0 for det første arket"),
    "table.no_sheet_number.fix_config": (
        "sheet numbers start at 0; write sheet = 0 under [survey] for the first sheet",
        "arknumre teller fra 0; skriv sheet = 0 under [survey] for det første arket"),
    "table.no_sheet": ("has no sheet called {sheet!r}", "har ikke noe ark som heter {sheet!r}"),
    "table.no_sheet.fix": ("use one of {listing}", "bruk et av {listing}"),
    "table.no_sheet.fix_config": ("write one of {listing} as sheet = \"…\" under [survey]",
                                  "skriv et av {listing} som sheet = \"…\" under [survey]"),
})

# --- boundary files (io/boundaries.py) --------------------------------------------------------
ENTRIES.update({
    "geo.not_found": ("{path}: boundary file not found", "{path}: finner ikke grensefila"),
    "geo.no_features": ("the layer has no features", "laget har ingen objekter"),
    "geo.no_features.fix": ("choose another layer with layer='…', or check the download",
                            "velg et annet lag med layer='…', eller sjekk nedlastingen"),
    "geo.no_features.fix_config": (
        'choose another layer with layer = "…" under [areas], or check the download',
        'velg et annet lag med layer = "…" under [areas], eller sjekk nedlastingen'),
    "geo.boundary.fix": (
        "give a kommune boundary with one polygon layer and a declared CRS (e.g. Geonorge's "
        "«Kommuner» as GeoJSON)",
        "bruk en kommunegrense med ett polygonlag og oppgitt koordinatsystem (f.eks. Geonorges "
        "«Kommuner» som GeoJSON)"),
    "geo.boundary.several": ("holds {n} kommuner", "inneholder {n} kommuner"),
    "geo.boundary.several.fix": ("pass kommune='…' (the kommunenummer)",
                                 "gi kommune='…' (kommunenummeret)"),
    "geo.boundary.several.fix_config": ('write the kommunenummer as number = "…" under [kommune]',
                                        'skriv kommunenummeret som number = "…" under [kommune]'),
    "geo.boundary.no_kommune": ("has no kommune {kommune} (it has {listed})",
                                "har ikke kommune {kommune} (den har {listed})"),
    "geo.boundary.no_kommune.fix": ("check kommune='…', or give the right boundary file",
                                    "sjekk kommune='…', eller bruk riktig grensefil"),
    "geo.boundary.no_kommune.fix_config": (
        'check number = "…" under [kommune], or give the right file as boundary',
        'sjekk number = "…" under [kommune], eller oppgi riktig fil som boundary'),
    "geo.unreadable": (
        "{where}: cannot be read as a boundary file ({error}). Fix: export it as GeoJSON, GPKG "
        "or shapefile.",
        "{where}: kan ikke leses som en grensefil ({error}). Løsning: eksporter den som "
        "GeoJSON, GPKG eller shapefil."),
    "geo.unreadable_layer": (
        "{where}: cannot be read ({error}). Fix: export it again as GeoJSON, GPKG or shapefile.",
        "{where}: kan ikke leses ({error}). Løsning: eksporter den på nytt som GeoJSON, GPKG "
        "eller shapefil."),
    "geo.gml_no_layer": ("{target}: the GML file holds no layer",
                         "{target}: GML-fila inneholder ikke noe lag"),
    "geo.bad_zip": ("{path}: is not a readable zip file. Fix: download it again.",
                    "{path}: er ikke en lesbar zip-fil. Løsning: last den ned på nytt."),
    "geo.zip_nothing": ("nothing", "ingenting"),
    "geo.zip_empty": (
        "{path}: the zip holds no boundary file (.geojson, .json, .gml, .gpkg or .shp); it holds "
        "{names}. Fix: download the boundaries in GeoJSON, GML, GPKG or SOSI→shape.",
        "{path}: zip-fila inneholder ingen grensefil (.geojson, .json, .gml, .gpkg eller .shp); "
        "den inneholder {names}. Løsning: last ned grensene som GeoJSON, GML, GPKG eller "
        "SOSI→shape."),
    "geo.zip_several": (
        "{path}: the zip holds several boundary files ({names}). Fix: unzip it and pass the one "
        "you want.",
        "{path}: zip-fila inneholder flere grensefiler ({names}). Løsning: pakk den ut og oppgi "
        "den du vil bruke."),
    "geo.no_layer": ("has no layer {layer!r}; its layers are {listing}",
                     "har ikke noe lag {layer!r}; lagene er {listing}"),
    "geo.no_layer.fix": ("pass one of those as layer='…'", "gi et av dem som layer='…'"),
    "geo.no_layer.fix_config": ('write one of those as layer = "…" under [areas]',
                                'skriv et av dem som layer = "…" under [areas]'),
    "geo.several_layers": ("has several polygon layers ({listing})",
                           "har flere polygonlag ({listing})"),
    "geo.several_layers.fix": ("choose one with layer='…'", "velg ett med layer='…'"),
    "geo.several_layers.fix_config": ('choose one with layer = "…" under [areas]',
                                      'velg ett med layer = "…" under [areas]'),
    "geo.no_polygon_layer": ("has no polygon layer ({listing})",
                             "har ikke noe polygonlag ({listing})"),
    "geo.no_polygon_layer.fix": ("pass the layer holding the area polygons with layer='…'",
                                 "gi laget med områdepolygonene som layer='…'"),
    "geo.no_polygon_layer.fix_config": (
        'name the layer holding the area polygons with layer = "…" under [areas]',
        'oppgi laget med områdepolygonene som layer = "…" under [areas]'),
    "geo.bad_json": ("{where}: is not valid JSON ({error}). Fix: download it again.",
                     "{where}: er ikke gyldig JSON ({error}). Løsning: last den ned på nytt."),
    "geo.not_geojson": (
        "{where}: is JSON but neither a GeoJSON FeatureCollection nor an object of "
        "FeatureCollections. Fix: export the boundaries as GeoJSON.",
        "{where}: er JSON, men verken en GeoJSON FeatureCollection eller et objekt av "
        "FeatureCollections. Løsning: eksporter grensene som GeoJSON."),
    "geo.no_geometry": ("feature {n} has no geometry", "objekt {n} har ingen geometri"),
    "geo.no_geometry.fix": ("remove it or repair the file", "fjern det eller reparer fila"),
    "geo.not_polygon": ("feature {n} is a {kind}, not a polygon",
                        "objekt {n} er en {kind}, ikke et polygon"),
    "geo.not_polygon.fix": ("choose the polygon layer with layer=…",
                            "velg polygonlaget med layer=…"),
    "geo.no_crs": (
        "the file declares no coordinate reference system and its coordinates (bounds {bounds}) "
        "are not longitude/latitude",
        "fila oppgir ikke noe koordinatsystem, og koordinatene (utstrekning {bounds}) er ikke "
        "lengde-/breddegrader"),
    "geo.no_crs.fix": (
        "pass the CRS, e.g. read_areas(..., crs='EPSG:25833'), or export the file again with its "
        "CRS (a .prj next to a shapefile)",
        "gi koordinatsystemet, f.eks. read_areas(..., crs='EPSG:25833'), eller eksporter fila på "
        "nytt med koordinatsystemet (en .prj ved siden av en shapefil)"),
    "geo.no_crs.fix_config": (
        'give the CRS with crs = "EPSG:25833" under [areas] (or the one the file uses), or '
        "export the file again with its CRS (a .prj next to a shapefile)",
        'oppgi koordinatsystemet med crs = "EPSG:25833" under [areas] (eller det fila bruker), '
        "eller eksporter fila på nytt med koordinatsystemet (en .prj ved siden av en shapefil)"),
    "geo.assume_4326": (
        "{where}: no CRS declared; coordinates look like longitude/latitude, so EPSG:4326 is "
        "assumed. Pass crs=… if that is wrong.",
        "{where}: ikke noe koordinatsystem oppgitt; koordinatene ser ut som lengde-/breddegrader, "
        "så EPSG:4326 er antatt. Gi crs=… hvis det er feil."),
    "geo.geographic_projected": (
        "declares {crs} (longitude/latitude) but its coordinates (bounds {bounds}) are projected",
        "oppgir {crs} (lengde-/breddegrader), men koordinatene (utstrekning {bounds}) er "
        "projiserte"),
    "geo.geographic_projected.fix": (
        "pass the real CRS, e.g. read_areas(..., crs='EPSG:25833'), or export the file again "
        "with its CRS",
        "gi det riktige koordinatsystemet, f.eks. read_areas(..., crs='EPSG:25833'), eller "
        "eksporter fila på nytt med koordinatsystemet"),
    "geo.geographic_projected.fix_config": (
        'give the real CRS with crs = "EPSG:25833" under [areas], or export the file again with '
        "its CRS",
        'oppgi det riktige koordinatsystemet med crs = "EPSG:25833" under [areas], eller '
        "eksporter fila på nytt med koordinatsystemet"),
    "geo.projected_lonlat": (
        "declares the projected {crs} but its coordinates (bounds {bounds}) look like "
        "longitude/latitude",
        "oppgir det projiserte {crs}, men koordinatene (utstrekning {bounds}) ser ut som "
        "lengde-/breddegrader"),
    "geo.projected_lonlat.fix": (
        "pass read_areas(..., crs='EPSG:4326') if they are, or export the file again with its "
        "real CRS",
        "gi read_areas(..., crs='EPSG:4326') hvis de er det, eller eksporter fila på nytt med "
        "det riktige koordinatsystemet"),
    "geo.projected_lonlat.fix_config": (
        'write crs = "EPSG:4326" under [areas] if they are, or export the file again with its '
        "real CRS",
        'skriv crs = "EPSG:4326" under [areas] hvis de er det, eller eksporter fila på nytt med '
        "det riktige koordinatsystemet"),
    "geo.no_column": ("has no column {column!r}; its columns are {columns}",
                      "har ingen kolonne {column!r}; kolonnene er {columns}"),
    "geo.no_column.fix": ("pass one of those as {option}='…'", "gi en av dem som {option}='…'"),
    "geo.no_column.fix_config": ('write one of those as {option} = "…" under [areas]',
                                 'skriv en av dem som {option} = "…" under [areas]'),
    "geo.such_as": (" such as {column!r}", ", f.eks. {column!r},"),
    "geo.no_id_column": (
        "no column with area codes or names found (looked for grunnkretsnummer, "
        "delomradenummer, bydelnr, kommunenummer, fylkesnummer, navn, name …); its columns are "
        "{columns}",
        "fant ingen kolonne med områdekoder eller -navn (så etter grunnkretsnummer, "
        "delomradenummer, bydelnr, kommunenummer, fylkesnummer, navn, name …); kolonnene er "
        "{columns}"),
    "geo.no_id_column.fix": (
        "pass the column that names or codes each area{hint} as id_column='…' (any text works: "
        "a name, or your own code like 'S-04')",
        "gi kolonnen som navngir eller koder hvert område{hint} som id_column='…' (all tekst "
        "går: et navn, eller en egen kode som 'S-04')"),
    "geo.no_id_column.fix_config": (
        "write the column that names or codes each area{hint} as id_column = \"…\" under "
        "[areas] (any text works: a name, or your own code like \"S-04\")",
        "skriv kolonnen som navngir eller koder hvert område{hint} som id_column = \"…\" under "
        "[areas] (all tekst går: et navn, eller en egen kode som \"S-04\")"),
    "geo.no_name": ("feature {n} has no name", "objekt {n} har ikke noe navn"),
    "geo.no_name.fix": ("give every area a name, or pass another column as id_column='…'",
                        "gi hvert område et navn, eller gi en annen kolonne som id_column='…'"),
    "geo.no_name.fix_config": (
        'give every area a name, or name another column with id_column = "…" under [areas]',
        'gi hvert område et navn, eller oppgi en annen kolonne med id_column = "…" under '
        "[areas]"),
    "geo.no_code": ("feature {n} has no code", "objekt {n} har ingen kode"),
    "geo.no_code.fix": ("give every area a code, or pass another column as id_column='…'",
                        "gi hvert område en kode, eller gi en annen kolonne som id_column='…'"),
    "geo.no_code.fix_config": (
        'give every area a code, or name another column with id_column = "…" under [areas]',
        'gi hvert område en kode, eller oppgi en annen kolonne med id_column = "…" under '
        "[areas]"),
    "geo.code_not_number": ("feature {n}: the code is not a number",
                            "objekt {n}: koden er ikke et tall"),
    "geo.code_not_number.fix": (
        "{column!r} holds SSB {level} codes, which are digits only (e.g. '0301'): correct the "
        "code, or pass the column with your own codes or names as id_column='…'",
        "{column!r} har SSB-koder for {level}, som bare består av sifre (f.eks. '0301'): rett "
        "koden, eller gi kolonnen med egne koder eller navn som id_column='…'"),
    "geo.code_not_number.fix_config": (
        "{column!r} holds SSB {level} codes, which are digits only (e.g. \"0301\"): correct the "
        "code, or name the column with your own codes or names with id_column = \"…\" under "
        "[areas]",
        "{column!r} har SSB-koder for {level}, som bare består av sifre (f.eks. \"0301\"): rett "
        "koden, eller oppgi kolonnen med egne koder eller navn med id_column = \"…\" under "
        "[areas]"),
    "geo.code_not_whole": ("feature {n}: the code is not a whole number",
                           "objekt {n}: koden er ikke et heltall"),
    "geo.code_too_long": ("feature {n}: the code is longer than the {width} digits of a {level}",
                          "objekt {n}: koden er lengre enn de {width} sifrene for {level}"),
    "geo.code_level": ("code", "en kode"),
    "geo.code.fix": ("check the code column, or pass another id_column='…'",
                     "sjekk kodekolonnen, eller gi en annen id_column='…'"),
    "geo.code.fix_config": ('check the code column, or name another with id_column = "…" under '
                            "[areas]",
                            'sjekk kodekolonnen, eller oppgi en annen med id_column = "…" under '
                            "[areas]"),
    "geo.duplicates.code": ("{where}: duplicate area codes {codes}",
                            "{where}: områdekoder som går igjen: {codes}"),
    "geo.duplicates.id": ("{where}: duplicate area ids {codes}",
                          "{where}: område-id-er som går igjen: {codes}"),
    "geo.duplicate.code": ("the code appears {n} times", "koden står {n} ganger"),
    "geo.duplicate.id": ("the id appears {n} times", "id-en står {n} ganger"),
    "geo.duplicate.fix": (
        "each area must appear once: merge its parts into one polygon (QGIS «Slå sammen» / "
        "GeoDataFrame.dissolve), or give the parts different ids, or pass the right column as "
        "id_column='…'",
        "hvert område må stå én gang: slå sammen delene til ett polygon (QGIS «Slå sammen» / "
        "GeoDataFrame.dissolve), eller gi delene ulike id-er, eller gi riktig kolonne som "
        "id_column='…'"),
    "geo.duplicate.fix_config": (
        "each area must appear once: merge its parts into one polygon (QGIS «Slå sammen» / "
        "GeoDataFrame.dissolve), or give the parts different ids, or name the right column with "
        'id_column = "…" under [areas]',
        "hvert område må stå én gang: slå sammen delene til ett polygon (QGIS «Slå sammen» / "
        "GeoDataFrame.dissolve), eller gi delene ulike id-er, eller oppgi riktig kolonne med "
        'id_column = "…" under [areas]'),
})

# --- loading the inputs together (io/inputs.py) -----------------------------------------------
ENTRIES.update({
    "inputs.no_columns": (
        "{source}: the register table has no column(s) {missing} (it has {columns}). Fix: add "
        "them to the socio file, or choose a column it has.",
        "{source}: registertabellen mangler kolonne(r) {missing} (den har {columns}). Løsning: "
        "legg dem til i socio-fila, eller velg en kolonne den har."),
    "inputs.no_socio": (
        "No register figures per grunnkrets for this survey. Fix: give socio_path ([socio] path "
        "in the config): a CSV with area_id (grunnkrets code), population and indicator columns "
        "such as low_income_pct, like data/sample/socio_grunnkrets.csv.",
        "Ingen registertall per grunnkrets for denne undersøkelsen. Løsning: oppgi socio_path "
        "([socio] path i konfigurasjonen): en CSV med area_id (grunnkretskode), population og "
        "indikatorkolonner som low_income_pct, slik som data/sample/socio_grunnkrets.csv."),
    "inputs.no_overlap": (
        "{path}: its grunnkretser lie in delområder {neighbourhoods}, but the survey's areas are "
        "{areas}: none match. Fix: the survey's areas must be delområde codes (KKKKDD00) of the "
        "same kommune; give a boundary file of the delområder ([areas] path) so that area names "
        "become codes.",
        "{path}: grunnkretsene ligger i delområdene {neighbourhoods}, men områdene i "
        "undersøkelsen er {areas}: ingen stemmer overens. Løsning: områdene i undersøkelsen må "
        "være delområdekoder (KKKKDD00) i samme kommune; oppgi en grensefil for delområdene "
        "([areas] path) slik at områdenavnene blir koder."),
})

# --- levekårsark (io/levekar.py) --------------------------------------------------------------
ENTRIES.update({
    "levekar.orientation": ("{path}: orientation must be 'rows' or 'columns', not {value!r}.",
                            "{path}: orientation må være 'rows' eller 'columns', ikke {value!r}."),
    "levekar.id_column_columns": (
        "{path}: id_column applies to sheets with zones as rows; this one has zones as columns. "
        "Fix: leave id_column out.",
        "{path}: id_column gjelder ark med sonene som rader; dette arket har sonene som "
        "kolonner. Løsning: utelat id_column."),
    "levekar.not_excel": (
        "{path}: cannot be opened as an Excel workbook ({error}). Fix: save it as .xlsx or CSV.",
        "{path}: kan ikke åpnes som en Excel-arbeidsbok ({error}). Løsning: lagre den som .xlsx "
        "eller CSV."),
    "levekar.no_sheet_number": ("{path}: has no sheet number {sheet} (sheets: {names}).",
                                "{path}: har ikke ark nummer {sheet} (arkene: {names})."),
    "levekar.no_sheet": ("{path}: has no sheet {sheet!r}. Fix: use one of {names}.",
                         "{path}: har ikke noe ark {sheet!r}. Løsning: bruk et av {names}."),
    "levekar.no_table": (
        "the file holds no table (a header row and data rows with at least two filled cells). "
        "Fix: export the levekår table as CSV or XLSX.",
        "fila inneholder ingen tabell (en overskriftsrad og datarader med minst to utfylte "
        "celler). Løsning: eksporter levekårstabellen som CSV eller XLSX."),
    "levekar.orientation_unknown": (
        "{path}: cannot tell whether the zones are rows or columns. Fix: pass "
        "orientation='rows' (one row per zone) or orientation='columns' (one column per zone), "
        "and zone_names= if the zones have no codes.",
        "{path}: kan ikke avgjøre om sonene er rader eller kolonner. Løsning: gi "
        "orientation='rows' (én rad per sone) eller orientation='columns' (én kolonne per "
        "sone), og zone_names= hvis sonene ikke har koder."),
    "levekar.no_column": (
        "{path}: has no column {column!r} (columns: {columns}). Fix: pass one of those as "
        "id_column=.",
        "{path}: har ingen kolonne {column!r} (kolonnene: {columns}). Løsning: gi en av dem som "
        "id_column=."),
    "levekar.no_zone_column": (
        "{path}: row {row}: no zone column found (codes or names in one of the first three "
        "columns). Fix: pass id_column=, or orientation='columns' if the zones are columns.",
        "{path}: rad {row}: fant ingen sonekolonne (koder eller navn i en av de tre første "
        "kolonnene). Løsning: gi id_column=, eller orientation='columns' hvis sonene er "
        "kolonner."),
    "levekar.no_indicator": ("the row has values but no indicator name",
                             "raden har verdier, men ikke noe indikatornavn"),
    "levekar.no_indicator.fix": ("write the indicator name in the first column",
                                 "skriv indikatornavnet i første kolonne"),
    "levekar.no_header": ("the column has values but no header",
                          "kolonnen har verdier, men ingen overskrift"),
    "levekar.no_header.fix": ("give the column a name in the header row",
                              "gi kolonnen et navn i overskriftsraden"),
    "levekar.not_number": ("not a number or a known symbol", "ikke et tall eller et kjent symbol"),
    "levekar.not_number.fix": (
        "use a number (decimal comma or point) or one of : . .. - <3 for suppressed/missing "
        "values",
        "bruk et tall (desimalkomma eller -punktum) eller et av : . .. - <3 for prikkede eller "
        "manglende verdier"),
    "levekar.no_codes": (
        "{path}: zones without codes ({names}); their names are used as area_id, which matches "
        "a survey whose areas are names too. For codes: a column of codes in the sheet "
        "([[levekar]] id_column), or zone_names={{name: code}} in Python.",
        "{path}: soner uten koder ({names}); navnene deres brukes som area_id, og det passer "
        "når undersøkelsens områder også er navn. For koder: en kolonne med koder i arket "
        "([[levekar]] id_column), eller zone_names={{navn: kode}} i Python."),
    "levekar.duplicate": ("zone {zone!r} has indicator {indicator!r} more than once",
                          "sonen {zone!r} har indikatoren {indicator!r} mer enn én gang"),
    "levekar.duplicate.fix": ("each zone and indicator may appear once; remove the duplicate",
                              "hver sone og indikator kan stå bare én gang; fjern duplikatet"),
})

# --- register figures per grunnkrets (io/_socio_csv.py) ---------------------------------------
ENTRIES.update({
    "socio.not_csv": (
        "{path}: not a readable CSV table ({error}). Fix: save it as CSV with one header row and "
        "one row per grunnkrets.",
        "{path}: ikke en lesbar CSV-tabell ({error}). Løsning: lagre den som CSV med én "
        "overskriftsrad og én rad per grunnkrets."),
    "socio.no_rows": ("{path}: has a header but no rows. Fix: add one row per grunnkrets.",
                      "{path}: har overskrifter, men ingen rader. Løsning: legg til én rad per "
                      "grunnkrets."),
    "socio.not_grunnkretser": (
        "{path}: the areas are not grunnkretser (codes such as {code!r}). Fix: download "
        "«Statistiske enheter grunnkretser» from Geonorge.",
        "{path}: områdene er ikke grunnkretser (koder som {code!r}). Løsning: last ned "
        "«Statistiske enheter grunnkretser» fra Geonorge."),
    "socio.no_kommune": (
        "{path}: no grunnkretser of kommune {kommuner} (the file has kommune(r) {found}). "
        "Fix: {fix}.",
        "{path}: ingen grunnkretser i kommune {kommuner} (fila har kommune(r) {found}). "
        "Løsning: {fix}."),
    "socio.no_kommune.fix": ("download the file for the kommune of the socio table",
                             "last ned fila for kommunen i socio-tabellen"),
    "socio.not_found": (
        "{path}: file not found. Fix: check the path ([socio] path in the config, or "
        "socio_path).",
        "{path}: finner ikke fila. Løsning: sjekk stien ([socio] path i konfigurasjonen, eller "
        "socio_path)."),
    "socio.folder": ("{path}: is a folder, not a file. Fix: give the path of the CSV file.",
                     "{path}: er en mappe, ikke en fil. Løsning: oppgi stien til CSV-fila."),
    "socio.xlsx": (
        "{path}: is a spreadsheet (XLSX), not CSV. Fix: save the sheet as CSV (one row per "
        "grunnkrets).",
        "{path}: er et regneark (XLSX), ikke CSV. Løsning: lagre arket som CSV (én rad per "
        "grunnkrets)."),
    "socio.empty": (
        "{path}: the file is empty. Fix: add a header row (area_id, population, indicator "
        "columns) and one row per grunnkrets.",
        "{path}: fila er tom. Løsning: legg til en overskriftsrad (area_id, population, "
        "indikatorkolonner) og én rad per grunnkrets."),
    "socio.dup_column": ("the column name appears more than once",
                         "kolonnenavnet står mer enn én gang"),
    "socio.dup_column.fix": ("give every column its own name", "gi hver kolonne sitt eget navn"),
    "socio.rename": ("rename {close!r} to {name!r}", "gi {close!r} nytt navn: {name!r}"),
    "socio.add_column": ("add a column {name!r}", "legg til en kolonne {name!r}"),
    "socio.what.area_id": ("the 8-digit grunnkrets code", "den 8-sifrede grunnkretskoden"),
    "socio.what.population": ("the number of residents, the weight of the rates",
                              "antall innbyggere, vekten for andelene"),
    "socio.no_column": ("no column {name!r} ({what}); the columns are {columns}",
                        "ingen kolonne {name!r} ({what}); kolonnene er {columns}"),
    "socio.close_column": ("unknown column name, close to a known indicator",
                           "ukjent kolonnenavn, likner på en kjent indikator"),
    "socio.did_you_mean": ("did you mean {name!r}?", "mente du {name!r}?"),
    "socio.not_code": ("not a grunnkrets code (8 digits, KKKKDDGG)",
                       "ikke en grunnkretskode (8 sifre, KKKKDDGG)"),
    "socio.not_code.fix": ("write the grunnkrets number as 8 digits, e.g. '03010101'",
                           "skriv grunnkretsnummeret med 8 sifre, f.eks. '03010101'"),
    "socio.dup_code": ("the grunnkrets appears more than once",
                       "grunnkretsen står mer enn én gang"),
    "socio.dup_code.fix": ("give each grunnkrets one row", "gi hver grunnkrets én rad"),
    "socio.not_number": ("not a number", "ikke et tall"),
    "socio.not_number.fix": (
        "use a number (decimal comma or point); leave the cell blank, or write . or :, when the "
        "value is unknown or suppressed",
        "bruk et tall (desimalkomma eller -punktum); la cellen stå tom, eller skriv . eller :, "
        "når verdien er ukjent eller prikket"),
    "socio.negative": ("a count cannot be negative", "et antall kan ikke være negativt"),
    "socio.negative.fix": ("give the number of residents/households (0 or more)",
                           "oppgi antall innbyggere/husholdninger (0 eller flere)"),
})
