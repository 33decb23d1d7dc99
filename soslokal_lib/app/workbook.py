"""``tabeller.xlsx``: the report's tables for people who open them in Excel.

The CSVs in ``data/`` are for machines (codes, full precision up to 6 decimals). The workbook
holds the same tables, one sheet each, for reading: Norwegian headers (English with
``lang="en"``), names instead of codes (themes, kinds of comment, reasons for hiding), values
rounded and shown with number formats that Excel displays in the reader's locale (decimal comma,
space as thousands separator, per cent), «ja»/«nei» for yes/no, empty cells where there is no
number. The first sheet explains every column of every sheet, the source and ``min_n``. Text is
protected against formula injection (:func:`soslokal_lib.privacy.protect_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from soslokal_lib._files import atomic_path
from soslokal_lib.privacy import SUPPRESSION_LABELS

# kind → (number of decimals or None, Excel number format)
_KINDS: dict[str, tuple[int | None, str]] = {
    "int": (0, "#,##0"), "dec0": (0, "#,##0"), "dec1": (1, "#,##0.0"), "dec2": (2, "#,##0.00"),
    "dec3": (3, "0.000"), "frac": (3, "0.0%"), "pct": (1, "0.0"), "p": (4, "0.0000"),
    "text": (None, "@"), "bool": (None, "@"),
}

# column → (kind, nb header, en header, nb description, en description)
COLUMNS: dict[str, tuple[str, str, str, str, str]] = {
    "area_id": ("text", "Områdekode", "Area code",
                "Koden for nabolaget (fra grensefila eller undersøkelsen).",
                "The neighbourhood's code (from the boundary file or the survey)."),
    "area_name": ("text", "Område", "Area", "Navnet på nabolaget; «Hele kommunen» er alle svar.",
                  "The neighbourhood's name; «Whole municipality» is every response."),
    "theme": ("text", "Tema", "Theme", "Temaet i Stedskompasset.", "The Place Standard theme."),
    "theme_name": ("text", "Tema", "Theme", "Temaet i Stedskompasset.",
                   "The Place Standard theme."),
    "label": ("text", "Navn", "Name", "Navnet på raden (tema, område eller gruppe).",
              "The row's name (theme, area or group)."),
    "n": ("int", "Antall svar", "Responses",
          "Antall svar bak tallene (for et tema: svar fra 1 til 7, uten «vet ikke» og blanke).",
          "Responses behind the figures (for a theme: scores 1 to 7, without «don't know» and "
          "blanks)."),
    "n_eff": ("dec1", "Effektivt antall", "Effective n",
              "Effektivt antall svar (Kish); lik antall svar når tallene er uvektede.",
              "Kish's effective number of responses; equal to n when unweighted."),
    "n_dont_know": ("int", "Vet ikke", "Don't know",
                    "Antall som svarte «vet ikke» eller «ikke relevant».",
                    "Responses «don't know» or «not relevant»."),
    "mean": ("dec2", "Gjennomsnitt", "Mean",
             "Gjennomsnittet av skårene (1–7; skårene er rangeringer, les medianen først).",
             "Mean score (1–7; the scores are ordinal, read the median first)."),
    "median": ("dec1", "Median", "Median", "Den midterste skåren (1–7).",
               "The middle score (1–7)."),
    "share_low": ("frac", "Andel lave (1–3)", "Share low (1–3)",
                  "Andelen som ga 1–3 (mye å forbedre).", "Share scoring 1–3 (much to improve)."),
    "share_high": ("frac", "Andel høye (5–7)", "Share high (5–7)",
                   "Andelen som ga 5–7 (lite å forbedre).",
                   "Share scoring 5–7 (little to improve)."),
    "suppressed": ("bool", "Skjult", "Hidden", "«ja»: tallene vises ikke (personvern).",
                   "«yes»: the figures are not shown (privacy)."),
    "suppression": ("text", "Hvorfor skjult", "Why hidden",
                    "«for få svar»: færre enn min_n svarte; «skjult for å beskytte et lite "
                    "nabolag»: sekundærprikking, så ingen kan regne seg fram til en skjult celle.",
                    "«too few responses»: fewer than min_n responded; «hidden to protect a small "
                    "area»: secondary suppression, so no hidden cell can be worked out."),
    "weighted": ("bool", "Vektet", "Weighted", "«ja»: tallene er vektet mot befolkningen.",
                 "«yes»: the figures are weighted to the population."),
    "variable": ("text", "Variabel", "Variable", "Hva gruppene er delt etter.",
                 "What the groups are split by."),
    "category": ("text", "Gruppe", "Group", "Gruppen (område, aldersgruppe eller kjønn).",
                 "The group (area, age group or gender)."),
    "share": ("frac", "Andel", "Share", "Andelen av alle svar (eller innspill).",
              "Share of all responses (or comments)."),
    "score": ("dec1", "Samleindeks", "Composite index",
              "Samleindeksen for sosial bærekraft (høyere = bedre stilt); se notatbok 03.",
              "The composite index of social sustainability (higher = better off); notebook 03."),
    "rank": ("int", "Rangering", "Rank", "Plassen på samleindeksen (1 = best stilt).",
             "Place on the composite index (1 = best off)."),
    "decile": ("int", "Tidel", "Decile",
               "Tidelen av befolkningen nabolaget hører til (1 = de dårligst stilte).",
               "Population decile of the area (1 = the worst off)."),
    "n_indicators": ("int", "Indikatorer", "Indicators", "Antall indikatorer med tall.",
                     "Number of indicators with a value."),
    "kind": ("text", "Type innspill", "Kind of comment",
             "«Bra nå», «Kan bli bedre» eller «Andre innspill».",
             "«Good now», «Could be better» or «Other comments»."),
    "term": ("text", "Ord", "Term", "Ordet eller uttrykket.", "The word or phrase."),
    "ngram": ("int", "Ord i uttrykket", "Words in term", "Antall ord i uttrykket.",
              "Number of words in the term."),
    "count": ("int", "Forekomster", "Occurrences", "Hvor mange ganger ordet er brukt.",
              "How often the term occurs."),
    "comments": ("int", "Innspill", "Comments", "Antall innspill.", "Number of comments."),
    "n_comments": ("int", "Innspill i alt", "Comments in all",
                   "Antall innspill om temaet og typen.",
                   "Number of comments on the theme and kind."),
    "respondents": ("int", "Antall svar", "Responses", "Antall som svarte.",
                    "Number of respondents."),
    "good": ("int", "Bra nå", "Good now", "Innspill om hva som er bra nå.",
             "Comments on what is good now."),
    "improve": ("int", "Kan bli bedre", "Could be better", "Innspill om hva som kan bli bedre.",
                "Comments on what could be better."),
    "other": ("int", "Andre innspill", "Other comments", "Andre innspill.", "Other comments."),
    "sii": ("dec2", "SII", "SII",
            "Slope index of inequality: forskjellen mellom den best og den dårligst stilte enden "
            "av nabolagene, rangert etter levekår.",
            "Slope index of inequality: the difference between the best and worst off ends of "
            "the areas ranked by living conditions."),
    "rii": ("dec2", "RII", "RII", "Relative index of inequality (forholdet mellom endene).",
            "Relative index of inequality (the ratio of the ends)."),
    "conc_low": ("dec3", "Konsentrasjonsindeks", "Concentration index",
                 "Hvor konsentrert lave skårer er i de dårligst stilte nabolagene (−1 til 1).",
                 "How concentrated low scores are in the worst-off areas (−1 to 1)."),
    "n_areas": ("int", "Nabolag", "Areas", "Antall nabolag med tall.",
                "Number of areas with figures."),
    "n_respondents": ("int", "Antall svar", "Responses", "Antall svar bak tallet.",
                      "Responses behind the figure."),
    "level": ("text", "Nivå", "Level", "Gruppen.", "The group."),
    "sample_share": ("frac", "Andel av svarene", "Share of responses",
                     "Gruppens andel av dem som svarte.", "The group's share of respondents."),
    "population": ("int", "Innbyggere", "Population", "Antall innbyggere.", "Population."),
    "population_share": ("frac", "Andel av befolkningen", "Share of population",
                         "Gruppens andel av befolkningen.", "The group's share of the population."),
    "response_rate": ("frac", "Svarprosent", "Response rate",
                      "Svar delt på innbyggere i gruppen.", "Responses divided by population."),
    "ratio": ("dec2", "Forholdstall", "Ratio",
              "Andel av svarene delt på andel av befolkningen (1 = som i befolkningen).",
              "Share of responses divided by share of population (1 = as in the population)."),
    "flag": ("text", "Merknad", "Note", "«under»/«over»: under- eller overrepresentert.",
             "«under»/«over»: under- or overrepresented."),
    "small": ("bool", "Få svar", "Few responses", "«ja»: gruppen har færre enn min_n svar.",
              "«yes»: the group has fewer than min_n responses."),
    "missing": ("int", "Uten svar", "Not given", "Antall uten svar på variabelen.",
                "Responses without a value for the variable."),
    "levels": ("int", "Grupper", "Groups", "Antall grupper.", "Number of groups."),
    "chi2": ("dec2", "Kji-kvadrat", "Chi-square", "Kji-kvadrat-testens verdi.",
             "The chi-square statistic."),
    "dof": ("int", "Frihetsgrader", "Degrees of freedom", "Testens frihetsgrader.",
            "Degrees of freedom of the test."),
    "p_value": ("p", "p-verdi", "p-value",
                "Sannsynligheten for minst så stor skjevhet ved tilfeldighet (0,0000 = under "
                "0,00005).", "Probability of at least this much skew by chance."),
    "cohens_w": ("dec3", "Cohens w", "Cohen's w", "Effektstørrelse (0,1 liten, 0,3 middels).",
                 "Effect size (0.1 small, 0.3 medium)."),
    "min_expected": ("dec1", "Minste forventede", "Smallest expected",
                     "Minste forventede antall i en gruppe (under 5: testen er usikker).",
                     "Smallest expected count in a group (below 5: the test is unreliable)."),
    "age": ("text", "Alder", "Age", "Aldersgruppe (år).", "Age group (years)."),
    "men": ("int", "Menn", "Men", "Antall menn.", "Number of men."),
    "women": ("int", "Kvinner", "Women", "Antall kvinner.", "Number of women."),
    "pct_men": ("pct", "Menn (%)", "Men (%)", "Menn i gruppen, i prosent av nabolaget.",
                "Men in the group, per cent of the area."),
    "pct_women": ("pct", "Kvinner (%)", "Women (%)", "Kvinner i gruppen, i prosent av nabolaget.",
                  "Women in the group, per cent of the area."),
    "n_units": ("int", "Grunnkretser", "Units", "Antall grunnkretser i nabolaget.",
                "Number of grunnkretser in the area."),
    "sex_ratio": ("dec1", "Menn per 100 kvinner", "Men per 100 women",
                  "Antall menn per 100 kvinner.", "Men per 100 women."),
    "age_0_17": ("int", "0–17 år", "Aged 0–17", "Antall 0–17 år (anslått fra femårsgrupper).",
                 "Number aged 0–17 (estimated from five-year groups)."),
    "age_18_66": ("int", "18–66 år", "Aged 18–66", "Antall 18–66 år.", "Number aged 18–66."),
    "age_67plus": ("int", "67 år og eldre", "Aged 67+", "Antall 67 år og eldre.",
                   "Number aged 67 and over."),
    "pct_18_66": ("pct", "18–66 år (%)", "Aged 18–66 (%)", "Andel 18–66 år, prosent.",
                  "Share aged 18–66, per cent."),
    "dependency_ratio": ("dec1", "Forsørgerbrøk", "Dependency ratio",
                         "0–17 og 67+ per 100 i alderen 18–66.",
                         "Aged 0–17 and 67+ per 100 aged 18–66."),
    "households": ("int", "Husholdninger", "Households", "Antall husholdninger.",
                   "Number of households."),
    "area_km2": ("dec2", "Areal (km²)", "Area (km²)", "Areal i kvadratkilometer.",
                 "Area in square kilometres."),
    "density_per_km2": ("dec0", "Innbyggere per km²", "Inhabitants per km²",
                        "Befolkningstetthet.", "Population density."),
    "target": ("dec0", "Mål", "Target", "Antallet vektene skal treffe (fra befolkningen).",
               "The count the weights should match (from the population)."),
    "goal": ("dec1", "Mål for dem som svarte", "Goal among respondents",
             "Målet skalert til dem som oppga variabelen.",
             "The target scaled to those who gave the variable."),
    "weight_sum": ("dec0", "Sum av vekter", "Sum of weights", "Summen av vektene i gruppen.",
                   "Sum of the weights in the group."),
    "mean_weight": ("dec1", "Snittvekt", "Mean weight", "Gjennomsnittlig vekt per svar.",
                    "Mean weight per response."),
    "deff": ("dec2", "Designeffekt", "Design effect", "Designeffekten av vektene (Kish).",
             "Kish's design effect of the weights."),
    "unweighted": ("dec2", "Uvektet", "Unweighted", "Tallet uten vekter.",
                   "The figure without weights."),
    "difference": ("dec2", "Forskjell", "Difference", "Vektet minus uvektet.",
                   "Weighted minus unweighted."),
    "verdi": ("dec3", "Verdi", "Value", "Tallet.", "The figure."),
    "statistic": ("dec3", "Verdi", "Value", "Tallet.", "The figure."),
    "ci_low": ("dec3", "KI nedre", "CI low", "Nedre grense for konfidensintervallet.",
               "Lower limit of the confidence interval."),
    "ci_high": ("dec3", "KI øvre", "CI high", "Øvre grense for konfidensintervallet.",
                "Upper limit of the confidence interval."),
    "se": ("dec3", "Standardfeil", "Standard error", "Standardfeilen.", "The standard error."),
    "cluster": ("text", "Klynge", "Cluster", "Lokal klynge (LISA).", "Local cluster (LISA)."),
    "mål": ("text", "Mål", "Measure", "Hva tallet måler.", "What the figure measures."),
    # differences between neighbourhoods (notebook 04_nabolagsforskjeller)
    "n_rest": ("int", "Svar i de andre nabolagene", "Responses in the other areas",
               "Antall svar i de andre nabolagene som vises (skjulte celler er ikke med).",
               "Responses in the other shown areas (hidden cells are left out)."),
    "n_hidden": ("int", "Skjulte nabolag", "Hidden areas",
                 "Nabolag som er skjult på temaet og holdt utenfor testene.",
                 "Areas hidden on the theme and left out of the tests."),
    "share_low_rest": ("frac", "Andel lave i de andre", "Share low in the others",
                       "Andelen lave skårer (1–3) i de andre nabolagene som vises.",
                       "Share of low scores (1–3) in the other shown areas."),
    "share_low_diff": ("frac", "Forskjell i andel lave", "Difference in share low",
                       "Andelen lave her minus i de andre nabolagene (prosentpoeng).",
                       "Share low here minus in the other areas (percentage points)."),
    "delta": ("dec2", "Effekt (δ)", "Effect (δ)",
              "Cliffs δ: sannsynligheten for høyere minus lavere skår enn i de andre "
              "nabolagene (fra −1 til 1; negativ = lavere).",
              "Cliff's δ: probability of a higher minus a lower score than in the other areas "
              "(−1 to 1; negative = lower)."),
    "z": ("dec2", "z", "z", "Teststørrelsen til Mann–Whitney-testen på normalskala.",
          "The Mann–Whitney test statistic on the normal scale."),
    "q_value": ("p", "q-verdi", "q-value",
                "p-verdien justert for mange tester (Benjamini–Hochberg eller Holm).",
                "The p-value adjusted for many tests (Benjamini–Hochberg or Holm)."),
    "direction": ("text", "Tydelig", "Clear",
                  "«lavere» eller «høyere» når forskjellen er tydelig (q under alpha).",
                  "«lower» or «higher» when the difference is clear (q below alpha)."),
    "df": ("int", "Frihetsgrader", "Degrees of freedom", "Frihetsgradene til testen.",
           "The test's degrees of freedom."),
    "differ": ("bool", "Tydelig forskjell", "Clear difference",
               "Om nabolagene skiller seg tydelig fra hverandre på temaet (q under alpha).",
               "Whether the areas differ clearly on the theme (q below alpha)."),
    "icc": ("frac", "Andel mellom nabolag (ICC)", "Share between areas (ICC)",
            "Hvor stor del av variasjonen i skårene som ligger mellom nabolagene.",
            "The share of the variation in scores that lies between areas."),
    "between_var": ("dec3", "Varians mellom", "Variance between",
                    "Variansen mellom nabolagenes gjennomsnitt (flernivåmodell).",
                    "Variance between the areas' means (multilevel model)."),
    "within_var": ("dec3", "Varians innenfor", "Variance within",
                   "Variansen mellom svar i samme nabolag.",
                   "Variance between responses in the same area."),
    "icc_boundary": ("bool", "ICC på grensen null", "ICC at the boundary zero",
                     "Modellen fant ingen variasjon mellom nabolagene.",
                     "The model found no variation between areas."),
}
#: Table-specific meaning of a column (``"table:column"``).
OVERRIDES: dict[str, tuple[str, str, str, str, str]] = {
    "area_differences_themes:statistic": (
        "dec1", "Kruskal–Wallis H", "Kruskal–Wallis H",
        "Teststørrelsen til rangtesten for om nabolagene skiller seg fra hverandre.",
        "The rank test's statistic for whether the areas differ."),
    "area_differences_areas:statistic": (
        "dec1", "Mann–Whitney U", "Mann–Whitney U",
        "Teststørrelsen til rangtesten for nabolaget mot de andre.",
        "The rank test's statistic for the area against the others."),
    "weighting_effect:weighted": ("dec2", "Vektet", "Weighted", "Tallet med vekter.",
                                  "The figure with weights."),
    "comment_terms:comments": ("int", "Innspill med ordet", "Comments with the term",
                               "Antall innspill som bruker ordet.",
                               "Number of comments using the term."),
    "comment_terms:share": ("frac", "Andel av innspillene", "Share of comments",
                            "Andelen av innspillene om temaet som bruker ordet.",
                            "Share of the comments on the theme using the term."),
    # change between rounds (notebook 08_endring); _before/_after columns: see _ROUND_SUFFIXES
    "endring:share_low_diff": (
        "frac", "Endring i andel lave", "Change in share low",
        "Andelen lave skårer (1–3) i den siste runden minus i den forrige (prosentpoeng; "
        "negativ = færre lave skårer, altså bedre).",
        "Share of low scores (1–3) in the latest round minus in the earlier one (percentage "
        "points; negative = fewer low scores, i.e. better)."),
    "endring:share_high_diff": (
        "frac", "Endring i andel høye", "Change in share high",
        "Andelen høye skårer (5–7) i den siste runden minus i den forrige (prosentpoeng; "
        "positiv = flere høye skårer, altså bedre).",
        "Share of high scores (5–7) in the latest round minus in the earlier one (percentage "
        "points; positive = more high scores, i.e. better)."),
    "endring:mean_diff": (
        "dec2", "Endring i gjennomsnitt", "Change in mean",
        "Gjennomsnittet i den siste runden minus i den forrige (positiv = bedre).",
        "The mean in the latest round minus in the earlier one (positive = better)."),
    "endring:p_value": (
        "p", "p-verdi", "p-value",
        "Brunner–Munzel-testen av om skårene har endret seg mellom rundene: sannsynligheten "
        "for minst så stor endring ved tilfeldighet (0,0000 = under 0,00005).",
        "The Brunner–Munzel test of whether the scores changed between the rounds: the "
        "probability of at least this much change by chance."),
    "endring:q_value": (
        "p", "q-verdi", "q-value",
        "p-verdien justert for mange tester (Benjamini–Hochberg over alle nabolag og temaer; "
        "hele kommunen for seg).",
        "The p-value adjusted for many tests (Benjamini–Hochberg over every area and theme; "
        "the whole municipality on its own)."),
    "endring:changed": (
        "bool", "Tydelig endring", "Clear change",
        "«ja»: andelen lave skårer har endret seg tydelig: q-verdien er under 0,05 (1 minus "
        "konfidensnivået) og konfidensintervallet for endringen omfatter ikke 0.",
        "«yes»: the share of low scores changed clearly: the q-value is below 0.05 (1 minus "
        "the confidence level) and the change's confidence interval excludes 0."),
    "endring:direction": (
        "text", "Retning", "Direction",
        "«bedre» (færre lave skårer) eller «verre» (flere) der endringen er tydelig.",
        "«better» (fewer low scores) or «worse» (more) where the change is clear."),
    "endring:suppression": (
        "text", "Hvorfor skjult", "Why hidden",
        "«for få svar»: færre enn min_n svarte i en av rundene; «skjult for å beskytte et lite "
        "nabolag»: sekundærprikking i en av rundene; «bare med i én runde»: nabolaget finnes "
        "bare i den ene runden, så det er ingen endring å vise.",
        "«too few responses»: fewer than min_n responded in a round; «hidden to protect a "
        "small area»: secondary suppression in a round; «in one round only»: the area is in "
        "one of the rounds only, so there is no change to show."),
}
#: Columns of one round in the change table (``endring``): suffix → (nb header, en header,
#: nb text, en text) added to the column's own header and explanation.
_ROUND_SUFFIXES: dict[str, tuple[str, str, str, str]] = {
    "_before": ("forrige runde", "earlier round",
                "Den forrige runden (den eldre av de to som sammenlignes).",
                "The earlier round (the older of the two compared)."),
    "_after": ("siste runde", "latest round",
               "Den siste runden (hovedrunden i rapporten).",
               "The latest round (the report's main round)."),
}
#: Sheet titles per CSV name (at most 31 characters).
TITLES: dict[str, tuple[str, str]] = {
    "summary": ("Resultater per tema", "Results per theme"),
    "respondents": ("Hvem svarte", "Who responded"),
    "sustainability_index": ("Samleindeks", "Composite index"),
    "sustainability_indicators": ("Indikatorer", "Indicators"),
    "comment_terms": ("Ord i innspillene", "Terms in comments"),
    "comments_per_area": ("Innspill per område", "Comments per area"),
    "inequality_by_area": ("Ulikhet per område", "Inequality by area"),
    "inequality_gradients": ("Sosial gradient", "Social gradient"),
    "inequality_key_figures": ("Nøkkeltall ulikhet", "Inequality key figures"),
    "representation": ("Representativitet", "Representativeness"),
    "representation_tests": ("Tester representativitet", "Representativeness tests"),
    "socio_age_pyramid": ("Alderspyramide", "Age pyramid"),
    "socio_profile": ("Befolkning per område", "Population by area"),
    "weighting_effect": ("Vekting", "Weighting"),
    "area_differences_themes": ("Forskjeller per tema", "Differences per theme"),
    "area_differences_areas": ("Nabolag mot de andre", "Area against the others"),
    "endring": ("Endring mellom rundene", "Change between rounds"),
}
_WORDS = {
    "nb": {**SUPPRESSION_LABELS["nb"],
           "good": "Bra nå", "improve": "Kan bli bedre", "other": "Andre innspill",
           "area_id": "Område", "age_group": "Aldersgruppe", "gender": "Kjønn",
           "total": "Hele kommunen", True: "ja", False: "nei",
           "lower": "lavere", "higher": "høyere", "better": "bedre", "worse": "verre",
           "one_round": "bare med i én runde",
           "about": "Om tabellene", "sheet": "Ark", "column": "Kolonne",
           "what": "Forklaring", "ci_low": "KI nedre", "ci_high": "KI øvre",
           "ci_low_text": "Nedre grense for konfidensintervallet ({conf}).",
           "ci_high_text": "Øvre grense for konfidensintervallet ({conf}).",
           "unknown": "Kolonne fra notatboken som lagde tabellen.",
           "count_of": "Antall svar bak «{name}».",
           "intro": ["Tabellene bak figurene i rapporten, ett ark per tabell.",
                     "Kilde: {source}.",
                     "Personvern: ingen tall vises for grupper med færre enn {min_n} svar "
                     "(min_n = {min_n}), og noen celler er i tillegg skjult slik at ingen kan regne "
                     "seg fram til en skjult verdi. Skjulte celler er tomme.",
                     "Tallene er avrundet for lesing. Fullstendige tall ligger i CSV-filene i "
                     "mappen data/, én fil per ark med kolonnene i samme rekkefølge (med koder i "
                     "stedet for navn).",
                     "Tomme celler: tallet finnes ikke eller er skjult."]},
    "en": {**SUPPRESSION_LABELS["en"],
           "good": "Good now", "improve": "Could be better", "other": "Other comments",
           "area_id": "Area", "age_group": "Age group", "gender": "Gender",
           "total": "Whole municipality", True: "yes", False: "no",
           "lower": "lower", "higher": "higher", "better": "better", "worse": "worse",
           "one_round": "in one round only",
           "about": "About the tables", "sheet": "Sheet", "column": "Column",
           "what": "Meaning", "ci_low": "CI low", "ci_high": "CI high",
           "ci_low_text": "Lower limit of the confidence interval ({conf}).",
           "ci_high_text": "Upper limit of the confidence interval ({conf}).",
           "unknown": "A column from the notebook that made the table.",
           "count_of": "Responses behind «{name}».",
           "intro": ["The tables behind the report's figures, one sheet per table.",
                     "Source: {source}.",
                     "Privacy: no figure is shown for a group with fewer than {min_n} responses "
                     "(min_n = {min_n}), and some cells are hidden as well so that no hidden value "
                     "can be worked out. Hidden cells are empty.",
                     "Figures are rounded for reading. The full figures are in the CSV files in "
                     "the folder data/, one file per sheet with the columns in the same order "
                     "(with codes instead of names).",
                     "Empty cells: there is no figure, or it is hidden."]},
}


def column_spec(table: str, column: str, lang: str = "nb") -> tuple[str, str, str]:
    """``(kind, header, description)`` of ``column`` in the table ``table`` (a CSV stem)."""
    en = lang == "en"
    w = _WORDS["en" if en else "nb"]
    spec = OVERRIDES.get(f"{table}:{column}") or COLUMNS.get(column)
    if spec:
        return spec[0], spec[2 if en else 1], spec[4 if en else 3]
    for suffix, (nb, eng, nb_text, en_text) in _ROUND_SUFFIXES.items():
        if table == "endring" and column.endswith(suffix):
            kind, header, text = column_spec(table, column[: -len(suffix)], lang)
            return kind, f"{header}, {eng if en else nb}", f"{text} {en_text if en else nb_text}"
    for suffix, key in (("_ci_low", "ci_low"), ("_ci_high", "ci_high")):
        if column.endswith(suffix):
            kind, header, _ = column_spec(table, column[: -len(suffix)], lang)
            return kind, f"{header}, {w[key]}", w[f"{key}_text"].format(conf="95 %")
    if column.endswith("__n"):
        _, header, _ = column_spec(table, column[:-3], lang)
        return "int", f"{header} ({COLUMNS['n'][2 if en else 1].lower()})", \
            w["count_of"].format(name=header)
    indicator = _indicator(column)
    if indicator is not None:
        unit = str(indicator.unit)
        kind = ("int" if unit in ("kroner", "personer") else "pct" if unit == "prosent"
                else "frac" if unit.startswith("andel") else "dec2")
        # «skår (snitt av medianer, 7 = godt)» → «(skår: snitt av medianer, 7 = godt)»
        inner = re.sub(r"\s*\((.*)\)\s*$", r": \1", unit)
        text = f"{indicator.name(lang)} ({inner})" if not en else indicator.compute
        return kind, indicator.name(lang), text
    if column.startswith("pct_"):
        return "pct", column, w["unknown"]
    return "", column, w["unknown"]


def _indicator(column: str):
    from soslokal_lib.indicators import REGISTRY

    for entry in REGISTRY:
        if column in (entry.id, entry.column):
            return entry
    return None


def readable(table: pd.DataFrame, name: str, lang: str = "nb",
             labels: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """``table`` for a person: codes turned into names, values rounded, «ja»/«nei»; returns
    the frame with Norwegian headers and the kind of each column."""
    from soslokal_lib.privacy import protect_text
    from soslokal_lib.themes import THEME_CODES, theme_labels

    w = _WORDS["en" if lang == "en" else "nb"]
    themes = theme_labels(lang, labels)
    frame = table.copy()
    if "theme" in frame.columns and "theme_name" in frame.columns:
        frame = frame.drop(columns="theme")
    out, kinds, headers = {}, [], []
    for col in frame.columns:
        kind, header, _ = column_spec(name, str(col), lang)
        values = frame[col]
        kind = _display_kind(kind, values)
        if kind == "bool":
            values = values.astype("boolean").map(lambda v: w.get(bool(v)) if pd.notna(v)
                                                  else None)
        elif kind == "text":
            text = values.astype("string")
            codes = {**themes, "primary": w["primary"], "secondary": w["secondary"],
                     "one_round": w["one_round"], "total": w["total"]}
            if col in ("kind",):
                codes.update({k: w[k] for k in ("good", "improve", "other")})
            if col in ("variable",):
                codes.update({k: w[k] for k in ("area_id", "age_group", "gender")})
            if col in ("direction",):
                codes.update({k: w[k] for k in ("lower", "higher", "better", "worse")})
            if text.isin(THEME_CODES).any() or col in ("suppression", "kind", "variable",
                                                       "area_name", "direction"):
                text = text.map(lambda v, c=codes: c.get(v, v) if pd.notna(v) else v)
            values = protect_text(text.astype("object").where(text.notna(), None))
        else:
            decimals = _KINDS[kind][0]
            numbers = pd.to_numeric(values, errors="coerce").astype("float64")
            values = numbers.round(decimals) + 0.0  # + 0.0: no «−0»
            values = values.astype("object").where(numbers.notna(), None)
            if kind in ("int", "dec0"):
                values = values.map(lambda v: int(v) if v is not None else None)
        out[len(headers)] = values.to_numpy()
        headers.append(_unique(header, headers))
        kinds.append(kind)
    result = pd.DataFrame(out)
    result.columns = headers
    return result, kinds


def _unique(header: str, taken: list[str]) -> str:
    name, k = header, 2
    while name in taken:
        name, k = f"{header} ({k})", k + 1
    return name


def write_workbook(
    csv_paths: Iterable[str | Path],
    path: str | Path,
    *,
    min_n: int,
    source: str | None = None,
    lang: str = "nb",
    labels: Mapping[str, str] | None = None,
) -> Path:
    """Write the CSVs (as written by :func:`soslokal_lib.app.report.save_table`) as one workbook
    at ``path``: an explanation sheet, then one sheet per table. Returns ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from soslokal_lib.privacy import protect_text

    w = _WORDS["en" if lang == "en" else "nb"]
    wb = Workbook()
    about = wb.active
    about.title = w["about"]
    source_text = re.sub(r"^\s*(kilde|source)\s*:\s*", "", source or "", flags=re.I) or "–"
    rows = [[line.format(source=source_text, min_n=min_n)] for line in w["intro"]]
    for row in rows:
        about.append(protect_text(pd.Series(row, dtype="object")).tolist())
    about.append([])
    about.append([w["sheet"], w["column"], w["what"]])
    for cell in about[about.max_row]:
        cell.font = Font(bold=True)
    used: list[str] = [about.title]
    order = {name: i for i, name in enumerate(TITLES)}
    for csv in sorted((Path(p) for p in csv_paths),
                      key=lambda p: (order.get(p.stem, len(order)), p.stem)):
        name = csv.stem
        table = pd.read_csv(csv, encoding="utf-8-sig", dtype={"area_id": "string",
                                                              "category": "string"},
                            keep_default_na=True)
        frame, kinds = readable(table, name, lang, labels)
        title = _sheet_title(TITLES.get(name, (name, name))[1 if lang == "en" else 0], used)
        used.append(title)
        ws = wb.create_sheet(title)
        ws.append(list(frame.columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for record in frame.itertuples(index=False):
            ws.append([None if v is None or (isinstance(v, float) and np.isnan(v)) else v
                       for v in record])
        for j, kind in enumerate(kinds, start=1):
            fmt = _KINDS[kind][1]
            letter = get_column_letter(j)
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
            width = max([len(str(frame.columns[j - 1]))] +
                        [len(str(v)) for v in frame.iloc[:, j - 1].head(200) if v is not None])
            ws.column_dimensions[letter].width = min(max(10, width + 2), 60)
        ws.freeze_panes = "A2"
        for col in table.columns:
            if col == "theme" and "theme_name" in table.columns:
                continue
            _, header, text = column_spec(name, str(col), lang)
            about.append(protect_text(pd.Series([title, header, text],
                                                dtype="object")).tolist())
    for letter, width in zip("ABC", (26, 34, 100), strict=True):
        about.column_dimensions[letter].width = width
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _sheet_title(title: str, used: list[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip()
    name, k = clean, 2
    while name in used:
        suffix = f" ({k})"
        name, k = clean[: 31 - len(suffix)] + suffix, k + 1
    return name


def display_table(
    frame: pd.DataFrame,
    *,
    names: Mapping[str, str] | None = None,
    lang: str = "nb",
    table: str = "",
    index: bool = False,
    labels: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
) -> pd.io.formats.style.Styler:
    """``frame`` as a table for a report page: the column headers of the workbook (Norwegian
    by default; ``headers`` overrides), area codes as ``names``, theme codes as theme names,
    numbers formatted for ``lang`` («1 234,5», «12,3 %»), «ja»/«nei», «–» where there is no
    number, and no index unless ``index`` (then it becomes the first column).

    ``table`` names the CSV the frame comes from, for table-specific headers; ``decimals``
    overrides the number of decimals per column.
    """
    from soslokal_lib.numformat import format_number
    from soslokal_lib.themes import THEME_CODES, theme_labels

    w = _WORDS["en" if lang == "en" else "nb"]
    df = (frame.rename_axis(frame.index.name or ("area_name" if names else ""))
          .reset_index() if index else frame.copy())
    themes = theme_labels(lang, labels)
    codes = {**themes, **(names or {}), "primary": w["primary"], "secondary": w["secondary"],
             "total": w["total"], **{k: w[k] for k in ("area_id", "age_group", "gender")}}
    out, columns = {}, []
    for j, col in enumerate(df.columns):
        kind, header, _ = column_spec(table, str(col), lang)
        kind = _display_kind(kind, df.iloc[:, j])
        values = df.iloc[:, j]
        digits = (decimals or {}).get(str(col), _KINDS[kind][0])

        def cell(v, kind=kind, digits=digits):
            if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                return "–"
            if kind == "bool":
                return w[bool(v)]
            if kind == "text":
                text = str(v)
                return codes.get(text, text)
            if kind == "frac":
                return format_number(float(v) * 100, lang, 1) + (" %" if lang != "en" else "%")
            return format_number(float(v), lang, digits or 0)

        if str(col) == "kind":
            kinds = {k: w[k] for k in ("good", "improve", "other")}
            out[j] = [kinds.get(str(v), cell(v)) for v in values.astype("object")]
        else:
            out[j] = [cell(v) for v in values.astype("object")]
        if str(col) == "area_id" and names:  # the codes are shown as names
            header = column_spec(table, "area_name", lang)[1]
        name = (headers or {}).get(str(col), header)
        if str(col) in THEME_CODES:
            name = themes.get(str(col), name)
        columns.append(_unique(name, columns))
    shown = pd.DataFrame(out)
    shown.columns = columns
    return shown.style.hide(axis="index")


def _display_kind(kind: str, values: pd.Series) -> str:
    """The column's kind from the dictionary, corrected by what the values are."""
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if pd.api.types.is_bool_dtype(values):
        return "bool"
    if kind in ("", "bool", "text") and numeric:
        return "int" if pd.api.types.is_integer_dtype(values) else "dec2"
    if kind not in ("", "bool", "text") and not numeric:
        return "text"
    return kind or "text"
