"""Catalogue entries (English, bokmål) for a kommune's own zones: the crosswalk grunnkrets → zone,
zone polygons and what carrying register figures to them did. Loaded by
:mod:`soslokal_lib._messages`; see there for the conventions."""

from __future__ import annotations

ENTRIES: dict[str, tuple[str, str]] = {
    "zones.source": ("the zones ([areas])", "sonene ([areas])"),
    "zones.overlap": ("zones {a!r} and {b!r} overlap by {area} ({share} of the smaller one)",
                      "sonene {a!r} og {b!r} overlapper med {area} ({share} av den minste)"),
    "zones.overlap.fix": (
        "correct the zone polygons so that each place lies in one zone (in QGIS: Vector → "
        "Geometry tools → Check validity, then edit the shared border)",
        "rett sonegrensene slik at hvert sted ligger i én sone (i QGIS: Vektor → "
        "Geometriverktøy → Sjekk gyldighet, og rett den felles grensa)"),
    "zones.reprojected": ("Note: {what}.", "Merk: {what} (omprosjektert)."),
    "zones.summary.crosswalk": (
        "{n} grunnkretser are carried to {zones} zones by the crosswalk.",
        "{n} grunnkretser er lagt til {zones} soner med koblingstabellen."),
    "zones.summary.polygons": (
        "{n} grunnkretser are carried to {zones} zones by their representative point; {split} "
        "have more than {share} of their area in another zone and are split by area "
        "(population-weighted areal interpolation).",
        "{n} grunnkretser er lagt til {zones} soner etter et punkt inne i grunnkretsen; {split} "
        "har mer enn {share} av arealet i en annen sone og er delt etter areal "
        "(befolkningsvektet arealinterpolasjon)."),
    "zones.summary.split_list": ("Split: {codes}.", "Delt: {codes}."),
    "zones.summary.outside": (
        "{n} grunnkretser of the register lie outside every zone and are left out: {codes}.",
        "{n} grunnkretser i levekårstallene ligger utenfor alle sonene og er holdt utenfor: "
        "{codes}."),
    "zones.summary.empty": ("{n} zones have no grunnkrets: {zones}.",
                            "{n} soner har ingen grunnkrets: {zones}."),
    "crosswalk.not_found": (
        "{path}: file not found. Fix: check the path ([socio] crosswalk in the config)",
        "{path}: fant ikke fila. Løsning: sjekk stien ([socio] crosswalk i oppsettet)"),
    "crosswalk.columns": (
        "needs a grunnkrets column and a zone column (it has {columns})",
        "trenger en kolonne med grunnkrets og en med sone (den har {columns})"),
    "crosswalk.columns.fix": (
        "name the columns grunnkrets and sone (optionally sone_navn and year)",
        "kall kolonnene grunnkrets og sone (og gjerne sone_navn og year)"),
    "crosswalk.width": ("not a grunnkrets code (8 digits)", "ikke en grunnkretskode (8 sifre)"),
    "crosswalk.width.fix": (
        "write the code with 8 digits, kommune number first (e.g. 11030101); a 7-digit code "
        "lost its leading zero in Excel",
        "skriv koden med 8 sifre, kommunenummeret først (f.eks. 11030101); en kode med 7 "
        "sifre har mistet nullen foran i Excel"),
    "crosswalk.blank_zone": ("no zone", "mangler sone"),
    "crosswalk.blank_zone.fix": ("write the zone of the grunnkrets, or remove the row",
                                 "skriv sonen til grunnkretsen, eller fjern raden"),
    "crosswalk.two_zones": ("grunnkrets in two zones: {first!r} (row {row}) and {second!r}",
                            "grunnkrets i to soner: {first!r} (rad {row}) og {second!r}"),
    "crosswalk.two_zones.fix": (
        "give each grunnkrets one zone (remove one of the rows); a grunnkrets split between "
        "zones needs zone polygons ([socio] grunnkretser) instead of a crosswalk",
        "gi hver grunnkrets én sone (fjern en av radene); en grunnkrets som er delt mellom "
        "soner trenger sonegrenser ([socio] grunnkretser) i stedet for koblingstabell"),
    "crosswalk.year": ("unknown division year", "ukjent inndelingsår"),
    "crosswalk.year.fix": (
        "write the year of the grunnkrets division as four digits (e.g. 2024), the same in "
        "every row",
        "skriv året for grunnkretsinndelingen med fire sifre (f.eks. 2024), likt på alle "
        "radene"),
    "crosswalk.unknown_zone": ("zone not among the areas ({areas})",
                               "sonen finnes ikke blant områdene ({areas})"),
    "crosswalk.unknown_zone.fix": (
        "use the zone codes or names of the [areas] file, or add the zone there",
        "bruk sonekodene eller -navnene i [areas]-fila, eller legg sonen til der"),
    "zones.other_year": (
        "{path}: the register's grunnkrets codes belong to another division year than {other}: "
        "only {found} of {n} codes are there (the register has kommune {register}, {other} has "
        "kommune {theirs}). Fix: recode the register's codes to the division of {other} with "
        "soslokal_lib.geo.recode_grunnkrets(codes, year), or use files of the same year",
        "{path}: grunnkretskodene i levekårstallene hører til et annet inndelingsår enn "
        "{other}: bare {found} av {n} koder finnes der (levekårstallene har kommune "
        "{register}, {other} har kommune {theirs}). Løsning: kod om kodene til inndelingen i "
        "{other} med soslokal_lib.geo.recode_grunnkrets(koder, år), eller bruk filer fra samme "
        "år"),
    "zones.recode.fix": (
        "if the register's codes are of another division year, recode them with "
        "soslokal_lib.geo.recode_grunnkrets(codes, year); else download the grunnkretser of "
        "the register's kommune",
        "hører kodene i levekårstallene til et annet inndelingsår, kod dem om med "
        "soslokal_lib.geo.recode_grunnkrets(koder, år); ellers last ned grunnkretsene for "
        "kommunen i levekårstallene"),
    "zones.no_areas": (
        "{path}: zones need the kommune's areas ([areas] path) to carry the grunnkretser to. "
        "Fix: add [areas] path = \"<zone polygons>\" to the config",
        "{path}: sonene trenger kommunens områder ([areas] path) å legge grunnkretsene til. "
        "Løsning: legg til [areas] path = \"<sonegrenser>\" i oppsettet"),
    "socio.both": ("give either crosswalk or grunnkretser, not both",
                   "oppgi enten crosswalk eller grunnkretser, ikke begge"),
    "socio.both.fix": (
        "keep crosswalk (a table grunnkrets → zone) or grunnkretser (polygons)",
        "behold crosswalk (en tabell grunnkrets → sone) eller grunnkretser (grenser)"),
    "socio.split_share": ("a share between 0 and 0.5 of a grunnkrets' area",
                          "en andel mellom 0 og 0,5 av arealet til en grunnkrets"),
    "levekar.indicators": (
        "must be a table: sheet label = indicator id, false, or {{ id = …, direction = …, "
        "dimension = … }}",
        "må være en tabell: etikett i arket = indikator-id, false eller {{ id = …, direction = "
        "…, dimension = … }}"),
    "levekar.indicators.fix": (
        "write e.g. [levekar.indicators] followed by \"Trangbodde (%)\" = \"crowded_housing\"",
        "skriv f.eks. [levekar.indicators] og under den \"Trangbodde (%)\" = "
        "\"crowded_housing\""),
    "levekar.indicator_id": ("no built-in indicator has this id",
                             "ingen innebygd indikator har denne id-en"),
    "levekar.indicator_id.fix": (
        "{close}use a built-in id: {ids}; or define the indicator here: {{ id = …, direction "
        "= …, dimension = … }}",
        "{close}bruk en innebygd id: {ids}; eller definer indikatoren her: {{ id = …, "
        "direction = …, dimension = … }}"),
    "levekar.indicator_clash": ("the id belongs to a built-in indicator",
                                "id-en tilhører en innebygd indikator"),
    "levekar.indicator_clash.fix": (
        "write the id alone (\"<label>\" = \"<id>\") to use the built-in one, or choose another id",
        "skriv bare id-en (\"<etikett>\" = \"<id>\") for å bruke den innebygde, eller velg en "
        "annen id"),
    "levekar.unknown_indicator": (
        "{path}: the sheet's indicator {label!r} is not one the project knows, so it cannot "
        "enter the indicator table. Fix: name it in the config under this sheet's [[levekar]] "
        "block, [levekar.indicators] \"{label}\" = \"<built-in id>\" ({close}built-in ids: "
        "{ids}), or define it: \"{label}\" = {{ id = \"…\", direction = \"lower_is_better\", "
        "dimension = \"social_infrastructure\", unit = \"prosent\" }}, or leave it out: "
        "\"{label}\" = false",
        "{path}: indikatoren {label!r} i arket er ikke en prosjektet kjenner, så den kan ikke "
        "komme med i indikatortabellen. Løsning: nevn den i oppsettet under arkets "
        "[[levekar]]-blokk, [levekar.indicators] \"{label}\" = \"<innebygd id>\" ({close}"
        "innebygde id-er: {ids}), eller definer den: \"{label}\" = {{ id = \"…\", direction = "
        "\"lower_is_better\", dimension = \"social_infrastructure\", unit = \"prosent\" }}, "
        "eller hopp over den: \"{label}\" = false"),
    "levekar.unknown_zones": (
        "{path}: zones {zones} of the sheet are not areas of the survey ([areas]). Fix: spell "
        "them as in the boundary file ({known})",
        "{path}: sonene {zones} i arket er ikke områder i undersøkelsen ([areas]). Løsning: "
        "skriv dem som i grensefila ({known})"),
    "levekar.unknown_zones.merged": (
        "; a merged area may also be written by its merged name ({merged})",
        "; et sammenslått område kan også skrives med det sammenslåtte navnet ({merged})"),
    "levekar.merge_missing": (
        "{path}: the sheet has no row for {missing}, which is merged into «{name}» ([areas]), "
        "so «{name}» gets no levekår figures from it (they cannot be added up without every "
        "part). Fix: add a row for {missing}, or one row named «{name}» with the merged area's "
        "figures",
        "{path}: arket har ingen rad for {missing}, som er slått sammen til «{name}» ([areas]), "
        "så «{name}» får ingen levekårstall fra det (de kan ikke legges sammen uten alle "
        "delene). Løsning: legg til en rad for {missing}, eller én rad med navnet «{name}» "
        "med tallene for det sammenslåtte området"),
    "levekar.merge_flagged": (
        "{path}: «{name}» gets no {labels} from the sheet: the figures of {parts} are {how}. "
        "Fix: add one row named «{name}» with the kommune's figures for the whole merged area, "
        "or accept that these figures are not shown for «{name}»",
        "{path}: «{name}» får ikke {labels} fra arket: tallene for {parts} er {how}. Løsning: "
        "legg til én rad med navnet «{name}» med kommunens tall for hele det sammenslåtte "
        "området, eller godta at disse tallene ikke vises for «{name}»"),
    "levekar.merge_flagged.flagged": (
        "suppressed (:) there, and a merged figure would give them back, together with the "
        "figures the sheet shows for the other parts",
        "prikket (:) der, og et sammenslått tall ville gi dem tilbake, sammen med tallene "
        "arket viser for de andre delene"),
    "levekar.merge_flagged.blank": (
        "empty there, and the figures cannot be added up without every part",
        "tomme der, og tallene kan ikke legges sammen uten alle delene"),
    "levekar.merge_flagged.both": (
        "suppressed (:) or empty there, and the figures cannot be added up without every part "
        "(a suppressed figure would come back)",
        "prikket (:) eller tomme der, og tallene kan ikke legges sammen uten alle delene (et "
        "prikket tall ville komme tilbake)"),
    "levekar.merge_population": (
        "{path}: «{name}» is made of merged areas ({parts}), and their rates ({columns}) can "
        "only be combined weighted by the population, which the sheet does not give. Fix: add "
        "a column «Innbyggere» (inhabitants per zone), or one row named «{name}» with the "
        "merged area's figures",
        "{path}: «{name}» er slått sammen av flere områder ({parts}), og andelene deres "
        "({columns}) kan bare legges sammen vektet med folketallet, som arket ikke har. "
        "Løsning: legg til en kolonne «Innbyggere» (innbyggere per sone), eller én rad med "
        "navnet «{name}» med tallene for det sammenslåtte området"),
    "levekar.used": (
        "Levekår sheet {name}: {k} indicators per {what} ({labels}){flagged}.",
        "Levekårsarket {name}: {k} indikatorer per {what} ({labels}){flagged}."),
    "levekar.used.flagged": ("; {n} figures the kommune suppressed stay empty",
                             "; {n} tall kommunen har prikket, står tomme"),
}
