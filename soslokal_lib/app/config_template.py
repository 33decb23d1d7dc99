"""The commented template config ``soslokal init`` writes (:func:`write_template`).

Kept apart from :mod:`soslokal_lib.app.config` (which re-exports both names) because the
template is long prose; the keys it names are checked against the reader's ``_KEYS`` by
``tests/test_config.py``.
"""

from __future__ import annotations

from pathlib import Path

from soslokal_lib._files import write_atomic
from soslokal_lib._messages import msg
from soslokal_lib.errors import ConfigError

#: File name ``soslokal init`` writes.
TEMPLATE_NAME = "soslokal.toml"

TEMPLATE = '''\
# soslokal – oppsett for én kommune.
# Fyll inn stiene til egne filer. Relative stier regnes fra mappen denne fila ligger i.
# Linjer som starter med # er kommentarer; fjern # foran en linje for å ta den i bruk.
#
#   Sjekk oppsettet:  soslokal check soslokal.toml
#   Lag rapporten:    soslokal report soslokal.toml --out rapport

[kommune]
name = "Min kommune"            # navnet som vises i rapporten
# number = "0301"               # kommunenummer: fire sifre, i anførselstegn
# year = 2025                   # året undersøkelsen ble gjennomført
# boundary = "data/kommunegrense.geojson"   # kommunegrensen: områder utenfor den tas ikke med

[survey]
path = "data/stedskompasset.csv"   # eksporten fra Stedskompasset (CSV eller XLSX)
# sheet = "Svar"                   # arket i en XLSX-fil (navn, eller nummer fra 0)
# source = "Kilde: Stedskompasset, Min kommune 2025"   # kildelinjen under figurene
# themes = ["moving_around", "feeling_safe"]   # bare disse temaene ble spurt om (standard: alle 14)
# missing_tokens = ["Ingen mening"]   # flere ord som betyr «ikke svar» (i tillegg til «Vet ikke» …)
# scale = 7                        # 7-punkts skala; 3 for barneversjonen

# Hvilken kolonne er hva: overskrift i fila = navn i soslokal.
# Overskrifter med temanavn («3. Trafikk og parkering», «Feeling safe») eller spørsmålsnummer
# i standardrekkefølgen («Spm 3 – egen ordlyd», «Q3», «3.») kjennes igjen av seg selv.
# Navn: temakode eller temanummer (f.eks. "feeling_safe" eller "12"), "area_id" (område),
# "respondent_id", "age_group", "gender", "weight", "<tema>:good" og "<tema>:improve"
# (kommentarfelt), "good"/"improve" (kommentarer uten tema), "other"; false = les ikke kolonnen.
[survey.columns]
"Hvilket område bor du i?" = "area_id"
# "Spm 12" = "feeling_safe"
# "Spm 12 – Hva kan bli bedre?" = "feeling_safe:improve"
# "Tidspunkt" = false

# To runder av undersøkelsen (notatbok 08 viser endringen per nabolag og tema): skriv én
# [[survey]]-blokk per runde i stedet for [survey] over, hver med sin round, fil og sine
# kolonner. Den siste runden er hovedrunden som de andre notatbøkene bruker.
# [[survey]]
# round = "2021"
# path = "data/stedskompasset_2021.csv"
# [survey.columns]
# "Hvilket område bor du i?" = "area_id"
#
# [[survey]]
# round = "2025"
# path = "data/stedskompasset_2025.csv"
# [survey.columns]
# "Hvilket område bor du i?" = "area_id"
#
# Nabolag som har fått nytt navn eller er slått sammen mellom rundene:
# [rounds]
# crosswalk = { "Gamle Nord" = "Nord" }   # eller en CSV-fil med kolonnene old,new

[areas]
path = "data/omrader.geojson"   # grensefil: GeoJSON, GPKG, GML, shapefile eller zip fra Geonorge
# id_column = "delomradenummer" # kolonnen med områdekoder (finnes vanligvis av seg selv)
# name_column = "delomradenavn" # kolonnen med områdenavn; uten kodekolonne blir navnet koden
# layer = "Grunnkrets"          # laget i en fil med flere lag
# crs = "EPSG:25833"            # koordinatsystemet, hvis fila ikke oppgir det
# Områdesvarene i undersøkelsen må være kodene eller navnene i denne fila.
# Slå et lite nabolag sammen med et annet (vises som «Østsiden og Nordre»):
# merge = { "Nordre" = "Østsiden" }
# eller slå hvert nabolag med færre svar enn min_n sammen med et nabolag ved siden av: det med
# færrest svar av dem som sammen gir minst min_n svar på hvert tema
# (`soslokal check` viser hvilke nabolag som ellers blir skjult):
# merge_small = "neighbour"

[privacy]
min_n = 5                       # færre svar enn dette: ingen tall og ingen sitater vises
# register_min_population = 50  # levekårstall vises ikke for nabolag med færre innbyggere
# register_min_count = 5        # en andel vises ikke når den gjelder færre personer enn dette

# Levekårstall per grunnkrets (notatbok 03 og 04, og det politiske verkstedet): en CSV med
# én rad per grunnkrets og kolonnene area_id (grunnkretskoden, 8 sifre), population (folketall)
# og de indikatorkolonnene som finnes: low_income_pct, median_income_nok (med households),
# low_education_pct, benefits_pct, crowded_pct, moving_rate_per_1000, turnout_pct, immigrant_pct
# (navn på kolonner i CSV-en, ikke id-er til [levekar.indicators] under).
# Se data/sample/socio_grunnkrets.csv. Uten tabellen hopper rapporten over notatbok 04.
# Grunnkretsene legges sammen til delområder (de seks første sifrene i koden). Er områdene i
# [areas] kommunens egne nabolag eller soner, si hvilke grunnkretser som hører til hvilken sone:
# med crosswalk (CSV med kolonnene grunnkrets,sone) eller grunnkretser (grensefil fra Geonorge
# som legges over områdene i [areas]), ikke begge.
# [socio]
# path = "data/levekar_grunnkrets.csv"
# crosswalk = "data/grunnkrets_til_sone.csv"
# grunnkretser = "data/grunnkretser.zip"

[ssb]
online = false                  # true = hent tabeller fra SSB (krever nett); false = bare lokale filer
# year = 2025                   # statistikkåret
# cache_dir = "ssb-cache"       # mappe for nedlastede tabeller
# grunnkretser = "data/grunnkretser.zip"   # «Statistiske enheter grunnkretser» fra Geonorge;
#                               # trengs med online = true for notatbok 02 (befolkning og inntekt),
#                               # og gir kart over grunnkretsene i notatbok 04
# [ssb.tables]                  # lokale JSON-stat-filer, én per SSB-tabell
# "04362" = "data/ssb_04362.json"

# Kommunens levekårstabeller (CSV eller XLSX), én [[levekar]]-blokk per ark:
# [[levekar]]
# path = "data/levekar.xlsx"
# sheet = "Soner"
# orientation = "rows"          # "rows" = én rad per sone, "columns" = én kolonne per sone
# id_column = "Sone"
# Overskrifter soslokal ikke kjenner igjen: etiketten i arket = en innebygd id, false (ta ikke
# med) eller en egen indikator (`soslokal check` lister de innebygde id-ene):
# [levekar.indicators]
# "Lavinntekt (%)" = "persistent_low_income"
# "Lav utdanning (%)" = "low_education"
# "Andel med bil (%)" = false

# Vekting mot befolkningen (notatbok 05):
# [weights]
# population = "data/ssb_04362.json"   # befolkning etter område, alder og kjønn
# variables = ["area_id", "age_group", "gender"]
# method = "rake"               # "rake" eller "poststratify"
# trim = [0.3, 3.0]             # grenser for vektene

[report]
lang = "nb"                     # "nb" = bokmål, "en" = engelsk
# confidence = 0.95             # nivå for konfidensintervallene
# notebooks = ["01_stedskompasset.ipynb"]   # bare disse notatbøkene (standard: alle)
# areas = ["Sentrum", "Havna"]  # politisk verksted for bare disse nabolagene (id eller navn)

# Bylab: tiltaksloggen (rapporten skriver malen tiltak.xlsx) og skår fra gåtur og grupper:
# [bylab]
# actions = "tiltak.xlsx"
# group_scores = "gatur.csv"   # område, kanal, tema, skår, antall deltakere, dato

# Egne temanavn og spørsmål (overstyrer soslokals arbeidsoversettelse):
# [themes.labels.nb]
# feeling_safe = "Trygghet i nærmiljøet"
# [themes.questions.nb]
# feeling_safe = "Føler du deg trygg der du bor?"
'''


def write_template(folder: str | Path = ".", *, force: bool = False) -> Path:
    """Write the commented template config to ``folder/soslokal.toml`` and return its path.

    Refuses (``ConfigError``) to overwrite an existing file unless ``force``.
    """
    target = Path(folder).expanduser().resolve() / TEMPLATE_NAME
    if target.exists() and not force:
        raise ConfigError(msg("init.exists", path=target))
    if target.parent.exists() and not target.parent.is_dir():
        raise ConfigError(msg("init.not_folder", path=target.parent))
    write_atomic(target, TEMPLATE)
    return target
