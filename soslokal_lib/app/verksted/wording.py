"""Wording of the «politisk verksted» report (bokmål and English); used by :mod:`.verksted`.

``{low}``, ``{high}`` and ``{scale}`` are filled in from the survey's scale («1–3», «5–7», 7
on the 7-point scale; «1», «3», 3 on the children's 3-point version) before other fields.
"""

from __future__ import annotations

MONTHS = {
    "nb": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}

TEXT: dict[str, dict[str, str]] = {
    "nb": {
        "title": "Politisk verksted",
        "subtitle": "Stedskompasset, levekår og forskjeller mellom nabolag i {kommune}",
        "kommune_default": "kommunen",
        "synthetic_banner": "Syntetiske data – fiktiv kommune",
        "synthetic_note": "Alle tall, steder og sitater i denne rapporten er oppdiktet "
                          "(eksempeldata laget av soslokal). De beskriver ingen ekte kommune "
                          "og ingen ekte person.",
        "made": "Laget {date} med soslokal. {respondents} svar fra {areas} nabolag.",
        "how_title": "Slik leser du rapporten",
        "how_1": "Innbyggerne har gitt hvert av de 14 temaene i Stedskompasset en skår fra 1 "
                 "(mye å forbedre) til {scale} (lite å forbedre).",
        "how_2": "Vi viser medianen, den midterste skåren, per tema. I kompasset er 1 i midten "
                 "og {scale} i ytterkanten: jo større flate, jo bedre vurderer innbyggerne "
                 "stedet. Den stiplede linjen er hele kommunen.",
        "how_3": "Hvert nabolag har én side: kompass, sterkeste og svakeste tema, nøkkeltall "
                 "med et tall å sammenligne med (kommunen, eller nabolagene samlet når "
                 "kommunetallet mangler) og noen sitater fra innbyggerne.",
        "how_4": "Der færre enn {min_n} har svart, viser vi verken tall eller sitater "
                 "(«for få svar»).",
        "how_5": "Etter nabolagene følger en oversikt over forskjellene mellom dem, og til "
                 "slutt metode og personvern.",
        "hl_title": "Kort oppsummert",
        "hl_kommune": "I hele {kommune} får {best} best skår og {worst} dårligst.",
        "hl_gradient": "Tydelig sosial gradient, med flere lave skårer der flere har lav "
                       "inntekt: {themes}.",
        "contents": "Innhold",
        "overview_link": "Forskjeller mellom nabolagene",
        "methods_link": "Metode og personvern",
        "respondents": "{n} svar",
        "inhabitants": "{n} innbyggere",
        "strongest": "Sterkeste tema",
        "strongest_relative": "Relativt sterkeste tema",
        "weakest": "Svakeste tema",
        "median_line": "median {value} (kommunen {total})",
        "median_line_nototal": "median {value}",
        "share_low_line": "{share} % ga {low}",
        "hidden_themes": "{k} av 14 tema vises ikke: for få svar, eller skjult for å beskytte "
                         "et lite nabolag (sekundærprikking).",
        "compass_alt": "Stedskompasset for {area} sammenlignet med hele kommunen",
        "facts": "Nøkkeltall",
        "facts_area": "Nabolaget",
        "facts_kommune": "Kommunen",
        "facts_kommune_areas": "Snitt av nabolagene med tall",
        "facts_diff": "Forskjell",
        "facts_note": "Registerdata, ikke fra undersøkelsen. ▲/▼: over/under kommunen; rød = "
                      "ugunstig, blå = gunstig, grå = beskriver bare befolkningen; ≈: under "
                      "5 % forskjell.",
        "facts_note_areas": "Registerdata, ikke fra undersøkelsen. Tallarket har ingen rad for "
                            "hele kommunen, så nabolaget sammenlignes med snittet av nabolagene "
                            "som har tall, vektet med folketall. ▲/▼: over/under snittet av "
                            "nabolagene; rød = ugunstig, blå = gunstig, grå = beskriver bare "
                            "befolkningen; ≈: under 5 % forskjell.",
        "facts_reference_areas": "Nabolagene med tall",
        "facts_areas_note": "Tallarket har ingen rad for hele kommunen. Folketall er summen av "
                            "nabolagene; andeler og rater er snittet av nabolagene som har tall, "
                            "vektet med folketall. Nabolag uten tall («ikke vist») er ikke med.",
        "basis_sum": "sum av {m} nabolag",
        "basis_sum_part": "sum av {n} av {m} nabolag",
        "basis_mean": "snitt av {m} nabolag",
        "basis_mean_part": "snitt av {n} av {m} nabolag",
        "facts_missing": "ikke vist",
        "tone_good": "gunstig",
        "tone_bad": "ugunstig",
        "quotes": "Innbyggerne sier",
        "workshop_notes": "Notater fra verkstedet",
        "quotes_note": "Tilfeldig valgte kommentarer. Navn, telefonnumre, e-postadresser, "
                       "adresser og fødselsnumre er fjernet.",
        "no_quotes": "Ingen kommentarer å vise for dette nabolaget.",
        "general": "Generelt",
        "kind_good": "Bra nå",
        "kind_improve": "Kan bli bedre",
        "kind_other": "Annet",
        "too_few": "for få svar",
        "too_few_page": "For få svar: {n} personer har svart her, færre enn {min_n}. For å "
                        "beskytte dem viser vi verken resultater eller sitater for dette "
                        "nabolaget.",
        "all_hidden": "Resultatene er skjult for å beskytte et lite nabolag: ellers kunne "
                      "tallene for et nabolag med for få svar regnes ut fra kommunetallet "
                      "(sekundærprikking). Sitatene vises likevel; de sier ingenting om det "
                      "lille nabolaget.",
        "too_few_themes": "For få svar på hvert enkelt tema til å vise resultater. Ingen "
                          "sitater vises av samme grunn.",
        "no_socio": "Nøkkeltall fra registerdata er ikke med: rapporten fikk ingen tabell over "
                    "levekår per nabolag.",
        "overview": "Forskjeller mellom nabolagene",
        "heatmap_title": "Median per tema og nabolag",
        "heatmap_text": "Hver rute er medianskåren for ett tema i ett nabolag; rødt er lavt, "
                        "blått er høyt. Tomme, skraverte ruter har for få svar eller er skjult "
                        "for å beskytte et lite nabolag.",
        "diff_title": "Hvor tydelige er forskjellene mellom nabolagene?",
        "diff_themes": "På {k} av {m} tema er forskjellene mellom nabolagene så store at de "
                       "neppe skyldes tilfeldigheter: {themes}. På de andre temaene er "
                       "forskjellene ikke større enn at de kan skyldes tilfeldigheter.",
        "diff_themes_all": "På alle de {m} temaene er forskjellene mellom nabolagene så store "
                           "at de neppe skyldes tilfeldigheter.",
        "diff_themes_none": "På ingen av de {m} temaene er forskjellene mellom nabolagene "
                            "større enn at de kan skyldes tilfeldigheter. Det betyr ikke at "
                            "nabolagene er like: med få svar kan også virkelige forskjeller "
                            "forsvinne i usikkerheten.",
        "diff_lower": "Nabolag som ligger tydelig under de andre nabolagene:",
        "diff_lower_none": "Ingen nabolag ligger tydelig under de andre nabolagene på noe tema.",
        "diff_item": "{area}: {themes}",
        "diff_share": "{theme} ({p1} ga {low}, mot {p2} i de andre nabolagene)",
        "diff_higher": "Tydelig over de andre nabolagene: {items}.",
        "diff_certainty": "«Tydelig» betyr at forskjellen er så stor at vi blant alle slike "
                          "funn venter at høyst 1 av 20 skyldes tilfeldigheter.",
        "diff_icc_small": "Selv tydelige forskjeller er små sammenlignet med hvor ulikt "
                          "naboer svarer: av all variasjonen i svarene ligger høyst {hi} % "
                          "mellom nabolagene ({theme}); resten er forskjeller mellom folk i "
                          "samme nabolag.",
        "diff_icc": "Av all variasjonen i svarene ligger opptil {hi} % mellom nabolagene "
                    "({theme}); resten er forskjeller mellom folk i samme nabolag.",
        "diff_icc_few": "Med bare {k} nabolag å sammenligne er denne andelen svært usikker.",
        "diff_hidden": "Nabolag og tema som er skjult for personvernet, er holdt utenfor, og "
                       "«de andre nabolagene» er de som vises.",
        "diff_none": "Ingen sammenligning: det må være minst to nabolag med nok svar.",
        "hl_differ": "Nabolagene skiller seg tydelig fra hverandre på: {themes}.",
        "lead_differences": "Forskjeller mellom nabolag.",
        "m_differences": "For hvert tema er nabolagene sammenlignet med en Kruskal–Wallis-test "
                         "(rangbasert, passer for skårer fra 1 til {scale} med mange like svar), "
                         "og hvert nabolag med de andre nabolagene samlet med en "
                         "Mann–Whitney-test. p-verdiene er justert for mange tester med "
                         "Benjamini–Hochberg (forventet andel tilfeldige funn høyst 5 %), "
                         "for seg for temaene og for alle sammenligningene av nabolag. Andelen "
                         "av variasjonen som ligger mellom nabolagene, er ICC fra en "
                         "flernivåmodell med tilfeldig konstantledd per nabolag. Celler som er "
                         "skjult for personvernet, er holdt utenfor alle beregningene for "
                         "temaet, slik at ingen tall kan brukes til å regne ut et skjult "
                         "nabolag. Tallene er uvektede.",
        "map_title": "Samlet indeks på kart",
        "map_legend": "Indeks (høyere = bedre)",
        "map_survey": "Stedskompasset-medianer for {k} dimensjoner av sosial rettferdighet og "
                      "sosial robusthet",
        "map_register": "{k} registerindikatorer ({names})",
        "and": "og",
        "ci_range": "{lo} til {hi}",
        "map_text": "Indeksen slår sammen {k} indikatorer: {names}. {how} Det er den samme "
                    "indeksen som i notatbok 03. Den sier hvor nabolagene står i forhold til "
                    "hverandre, ikke hvor godt de har det i absolutt forstand.",
        "map_partial": "{areas}: indeksen bygger bare på de indikatorene som har tall.",
        "map_missing": "Kart mangler: rapporten fikk ingen områdegrenser.",
        "rank_title": "Hvor sikker er rangeringen?",
        "rank_text": "Rangeringen avhenger av metoden og av hvor mye hver indikator teller. "
                     "En følsomhetsanalyse viser hvor mye: den grå linjen viser alle plassene et "
                     "nabolag fikk med {m} metoder og {d} tilfeldige vekter (±{s} %); den blå "
                     "streken de midterste 90 %. Lange linjer betyr at plassen er usikker. Les "
                     "rangeringen som grupper, ikke som en tabell med vinnere og tapere.",
        "index_none": "Ingen samlet indeks: for få nabolag har tall ({n}).",
        "gradient_title": "Sosial gradient: lave skårer og lavinntekt",
        "gradient_text": "Nabolagene er ordnet etter andelen med vedvarende lavinntekt "
                         "(0 = høyest andel, 1 = lavest), vektet med folketall. Linjen er en "
                         "befolkningsvektet regresjon. Helningsindeksen (SII) er "
                         "forskjellen i andel lave skårer ({low}) mellom den best stilte og den "
                         "dårligst stilte enden, i prosentpoeng: negativ SII betyr flere "
                         "misfornøyde der flere har lav inntekt.",
        "gradient_by_income": "Nabolagene er ordnet etter medianinntekt (0 = lavest, 1 = "
                              "høyest), vektet med folketall. Linjen er en befolkningsvektet "
                              "regresjon. Helningsindeksen (SII) er forskjellen i "
                              "andel lave skårer ({low}) mellom den best stilte og den dårligst "
                              "stilte enden, i prosentpoeng: negativ SII betyr flere "
                              "misfornøyde der inntekten er lavest.",
        "gradient_table": "Helningsindeks (SII) per tema ({conf} % konfidensintervall, "
                          "{k} nabolag)",
        "gradient_few": "Ingen helningsindeks: bare {k} nabolag har tall. En linje gjennom "
                        "færre enn {min} nabolag sier ikke noe sikkert om forskjellen mellom "
                        "de best og de dårligst stilte, så den vises ikke.",
        "gradient_few_themes": "Ikke med (færre enn {min} nabolag med tall): {themes}.",
        "gradient_none": "Ingen gradient: den krever andel lavinntekt eller medianinntekt og "
                         "folketall per nabolag, og minst tre nabolag med tall.",
        "gradient_bold": "Fet skrift: konfidensintervallet inneholder ikke 0, så forskjellen "
                         "er tydelig også når vi tar hensyn til usikkerheten.",
        "gradient_col_theme": "Tema",
        "gradient_col_sii": "SII (prosentpoeng)",
        "gradient_col_ci": "Konfidensintervall",
        "gradient_col_areas": "Nabolag",
        "gradient_x": "Rangert etter andel lavinntekt (0 = høyest andel)",
        "gradient_x_income": "Rangert etter medianinntekt (0 = lavest)",
        "gradient_y": "Andel som ga {low} (%)",
        "gradient_panel": "{theme}\nSII {sii} pp ({lo} til {hi})",
        "gradient_panel_no_ci": "{theme}\nSII {sii} pp",
        "methods": "Metode og personvern",
        "lead_scores": "Skårer og medianer.",
        "lead_weights": "Hvem svarte.",
        "lead_minn": "Personvern.",
        "lead_quotes": "Sitater.",
        "lead_index": "Samlet indeks.",
        "lead_gradient": "Sosial gradient.",
        "lead_synthetic": "Syntetiske data.",
        "lead_merged": "Sammenslåtte nabolag.",
        "lead_register": "Levekårstall som ikke vises.",
        "m_scores": "Skårene er ordinale: 5 er bedre enn 4, men avstanden mellom trinnene er "
                    "ikke nødvendigvis lik. Derfor viser vi medianen og andelen som ga {low} "
                    "eller {high}, ikke gjennomsnitt. Konfidensintervallet for medianen er det "
                    "fordelingsfrie intervallet basert på ordenstall; for andeler brukes "
                    "Wilson-intervaller ({conf} %).",
        "m_weights": "Tallene er uvektede: de beskriver dem som svarte. Grupper som svarer "
                     "sjeldnere (ofte unge og nabolag med lavere inntekt) kan være "
                     "underrepresentert.",
        "m_weighted": "Tallene er vektet for å rette opp skjevheter i hvem som svarte.",
        "m_minn": "Et tema i et nabolag vises bare når minst {min_n} har svart (ellers «for få "
                  "svar»). Fordi tallet for hele kommunen også vises, skjules i tillegg så få "
                  "andre ruter som mulig (sekundærprikking, «skjult for å beskytte et lite "
                  "nabolag»): på hvert tema er det enten ingen skjulte nabolag, eller minst to "
                  "som til sammen har minst {min_n} svar, slik at ingen kan regne seg fram til "
                  "et lite nabolag ut fra kommunetallet. Som regel skjules det nest minste "
                  "nabolaget; et nabolag som alt er skjult på mange tema, spares, så ett lite "
                  "nabolag ikke tar et større med seg på alle tema. Sekundærprikkingen fjerner "
                  "aldri sitater. Nabolag med færre enn {min_n} svar får ingen tall og ingen "
                  "sitater. Alle tall kommer fra den samme personvernkontrollerte "
                  "oppsummeringen, og rapporten kontrolleres automatisk for små celler før "
                  "den lagres.",
        "m_quotes": "Sitatene er trukket tilfeldig (startverdi {seed}) blant kommentarene fra "
                    "nabolag med nok svar. Telefonnumre, e-postadresser, fødselsnumre og "
                    "gateadresser er maskert automatisk, og kommentarer som kan inneholde "
                    "personnavn er ikke brukt. Les likevel gjennom før rapporten deles.",
        "m_index_survey": "Indikatorer fra Stedskompasset (gjennomsnitt av temamedianer per "
                          "dimensjon, det vil si per punkt veilederen lister under de to "
                          "målene), slått sammen med eksponentiell metode (som Skottlands "
                          "levekårsindeks, SIMD) der hver dimensjon teller like mye. "
                          "Usikkerheten vises ved å regne indeksen på nytt med fem metoder og "
                          "{d} trekk av vekter.",
        "m_index": "Indikatorer fra registerdata og Stedskompasset (gjennomsnitt "
                   "av temamedianer per dimensjon, det vil si per punkt veilederen lister "
                   "under de to målene), slått sammen med "
                   "eksponentiell metode (som Skottlands levekårsindeks, SIMD) der hver "
                   "dimensjon teller like mye. Usikkerheten vises ved å regne indeksen på nytt med "
                   "fem metoder og {d} trekk av vekter.",
        "m_gradient": "Vektet minste kvadraters regresjon av andelen lave "
                      "skårer på nabolagenes plass langs gradienten (befolkningsvektet rang "
                      "fra 0 til 1); helningsindeks (SII) med "
                      "t-basert konfidensintervall. Med få nabolag er intervallene brede.",
        "m_synthetic": "Dataene er syntetiske: kommunen {kommune}, nabolagene, svarene og "
                       "sitatene er laget av en datamaskin med innebygde mønstre, for opplæring "
                       "og testing.",
        "m_sources": "Kilder",
        "source_real": "Kilde for registertallene: ikke oppgitt",
        "ch_title": "Endring siden {since}",
        "ch_link": "Endring siden {since}",
        "ch_intro": "Stedskompasset ble også gjennomført i {since}. Her sammenligner vi "
                    "andelen lave skårer ({low}) i {since} og {after}, per nabolag og tema.",
        "ch_some": "{k} av {m} sammenligninger viser en tydelig endring:",
        "ch_none": "Ingen av de {m} sammenligningene viser en tydelig endring. Det betyr ikke at "
                   "ingenting har endret seg: med få svar kan også reelle endringer bli borte i "
                   "usikkerheten.",
        "ch_item": "{area}, {theme}: {p1} lave skårer i {since}, {p2} i {after} ({way}; "
                   "{lo} til {hi} prosentpoeng)",
        "ch_better": "bedre", "ch_worse": "verre",
        "ch_total": "For hele kommunen: {items}.",
        "ch_dots": "Endringen i andelen lave skårer for temaene med en tydelig endring. Punktet "
                   "er endringen, streken usikkerheten; tydelige endringer er store ruter (blå "
                   "= bedre, rød = verre).",
        "ch_rule": "Tydelig betyr at endringen er for stor til å skyldes tilfeldigheter, også "
                   "når vi tar hensyn til at vi gjør {m} sammenligninger samtidig (q-verdi under "
                   "{a}), og at usikkerhetsintervallet ikke omfatter 0. Med denne grensen kan "
                   "omtrent hver tjuende tydelige endring likevel være en falsk alarm.",
        "ch_caveat_who": "Stedskompasset er åpent for alle. Svarte andre grupper denne gangen, "
                         "kan tallene endre seg uten at stedet har endret seg.",
        "ch_caveat_why": "En tydelig endring sier ikke hvorfor. Koble den til det dere vet har "
                         "skjedd i nabolaget – og spør innbyggerne.",
        "ch_caveats": "Les med forsiktighet",
        "lead_change": "Endring mellom runder.",
        "m_change": "Andelen lave skårer i to runder er sammenlignet per nabolag og tema med "
                    "Newcombes intervall for differansen mellom to andeler og Brunner–Munzel-"
                    "testen for ordinale skårer; p-verdiene er justert med Benjamini–Hochberg "
                    "(notatbok 08). Et tall vises bare når begge runder har minst {min_n} svar "
                    "og ingen av rundene skjuler det.",
        "footer_synthetic": "Syntetiske data – fiktiv kommune",
    },
    "en": {
        "title": "Policy workshop",
        "subtitle": "Place Standard, living conditions and differences between neighbourhoods "
                    "in {kommune}",
        "kommune_default": "the municipality",
        "synthetic_banner": "Synthetic data – fictional municipality",
        "synthetic_note": "Every number, place and quote in this report is invented (sample "
                          "data made by soslokal). It describes no real municipality and no "
                          "real person.",
        "made": "Made {date} with soslokal. {respondents} responses from {areas} "
                "neighbourhoods.",
        "how_title": "How to read this report",
        "how_1": "Residents scored each of the 14 Place Standard themes from 1 (much to "
                 "improve) to {scale} (little to improve).",
        "how_2": "We show the median, the middle score, per theme. In the compass 1 is at the "
                 "centre and {scale} at the rim: the larger the shape, the better residents rate "
                 "the place. The dashed line is the whole municipality.",
        "how_3": "Each neighbourhood has one page: compass, strongest and weakest themes, key "
                 "figures against a reference (the municipality, or the neighbourhoods "
                 "together where its figure is missing) and a few residents' quotes.",
        "how_4": "Where fewer than {min_n} responded we show neither numbers nor quotes "
                 "(«too few responses»).",
        "how_5": "An overview of the differences between neighbourhoods follows, and finally "
                 "methods and privacy.",
        "hl_title": "In brief",
        "hl_kommune": "Across {kommune}, {best} scores best and {worst} worst.",
        "hl_gradient": "A clear social gradient, with more low scores where more people have "
                       "low income: {themes}.",
        "contents": "Contents",
        "overview_link": "Differences between neighbourhoods",
        "methods_link": "Methods and privacy",
        "respondents": "{n} responses",
        "inhabitants": "{n} inhabitants",
        "strongest": "Strongest themes",
        "strongest_relative": "Relatively strongest themes",
        "weakest": "Weakest themes",
        "median_line": "median {value} (municipality {total})",
        "median_line_nototal": "median {value}",
        "share_low_line": "{share}% scored {low}",
        "hidden_themes": "{k} of 14 themes are not shown: too few responses, or hidden to "
                         "protect a small neighbourhood (secondary suppression).",
        "compass_alt": "Place Standard compass for {area} compared with the whole municipality",
        "facts": "Key figures",
        "facts_area": "Neighbourhood",
        "facts_kommune": "Municipality",
        "facts_kommune_areas": "Mean of the neighbourhoods with figures",
        "facts_diff": "Difference",
        "facts_note": "Register data, not from the survey. ▲/▼: above/below the municipality; "
                      "red = unfavourable, blue = favourable, grey = describes the population "
                      "only; ≈: less than 5% apart.",
        "facts_note_areas": "Register data, not from the survey. The figures have no row for "
                            "the whole municipality, so the neighbourhood is compared with the "
                            "population-weighted mean of the neighbourhoods with figures. "
                            "▲/▼: above/below the neighbourhoods' mean; red = unfavourable, "
                            "blue = favourable, grey = describes the population only; ≈: less "
                            "than 5% apart.",
        "facts_reference_areas": "Neighbourhoods with figures",
        "facts_areas_note": "The figures have no row for the whole municipality. Population is "
                            "the neighbourhoods' sum; shares and rates are the population-"
                            "weighted mean of the neighbourhoods with figures. Neighbourhoods "
                            "without figures («not shown») are left out.",
        "basis_sum": "sum of {m} neighbourhoods",
        "basis_sum_part": "sum of {n} of {m} neighbourhoods",
        "basis_mean": "mean of {m} neighbourhoods",
        "basis_mean_part": "mean of {n} of {m} neighbourhoods",
        "facts_missing": "not shown",
        "tone_good": "favourable",
        "tone_bad": "unfavourable",
        "quotes": "Residents say",
        "workshop_notes": "Notes from the workshop",
        "quotes_note": "Randomly chosen comments. Names, phone numbers, e-mail addresses, "
                       "street addresses and national identity numbers are removed.",
        "no_quotes": "No comments to show for this neighbourhood.",
        "general": "General",
        "kind_good": "Good now",
        "kind_improve": "Could be better",
        "kind_other": "Other",
        "too_few": "too few responses",
        "too_few_page": "Too few responses: {n} people responded here, fewer than {min_n}. To "
                        "protect them we show neither results nor quotes for this "
                        "neighbourhood.",
        "all_hidden": "Results are hidden to protect a small neighbourhood: otherwise the "
                      "figures of a neighbourhood with too few responses could be worked out "
                      "from the municipal total (secondary suppression). The quotes are still "
                      "shown; they say nothing about the small neighbourhood.",
        "too_few_themes": "Too few responses to each theme to show results. No quotes are "
                          "shown for the same reason.",
        "no_socio": "Key register figures are not included: the report was given no table of "
                    "living conditions per neighbourhood.",
        "overview": "Differences between neighbourhoods",
        "heatmap_title": "Median by theme and neighbourhood",
        "heatmap_text": "Each cell is the median score of one theme in one neighbourhood; red is "
                        "low, blue is high. Empty, hatched cells have too few responses or are "
                        "hidden to protect a small neighbourhood.",
        "diff_title": "How clear are the differences between neighbourhoods?",
        "diff_themes": "On {k} of {m} themes the differences between neighbourhoods are so "
                       "large that they are unlikely to be chance: {themes}. On the other "
                       "themes the differences are no larger than chance could explain.",
        "diff_themes_all": "On all {m} themes the differences between neighbourhoods are so "
                           "large that they are unlikely to be chance.",
        "diff_themes_none": "On none of the {m} themes are the differences between "
                            "neighbourhoods larger than chance could explain. This does not "
                            "mean the neighbourhoods are alike: with few responses, real "
                            "differences can be lost in the uncertainty.",
        "diff_lower": "Neighbourhoods clearly below the other neighbourhoods:",
        "diff_lower_none": "No neighbourhood lies clearly below the others on any theme.",
        "diff_item": "{area}: {themes}",
        "diff_share": "{theme} ({p1} scored {low}, against {p2} in the other neighbourhoods)",
        "diff_higher": "Clearly above the other neighbourhoods: {items}.",
        "diff_certainty": "«Clear» means the difference is so large that among all such "
                          "findings we expect at most 1 in 20 to be due to chance.",
        "diff_icc_small": "Even clear differences are small compared with how differently "
                          "neighbours answer: of all the variation in the answers, at most "
                          "{hi}% lies between neighbourhoods ({theme}); the rest are "
                          "differences between people in the same neighbourhood.",
        "diff_icc": "Of all the variation in the answers, up to {hi}% lies between "
                    "neighbourhoods ({theme}); the rest are differences between people in the "
                    "same neighbourhood.",
        "diff_icc_few": "With only {k} neighbourhoods to compare, this share is very "
                        "uncertain.",
        "diff_hidden": "Neighbourhoods and themes hidden for privacy are left out, and «the "
                       "other neighbourhoods» are those shown.",
        "diff_none": "No comparison: it needs at least two neighbourhoods with enough "
                     "responses.",
        "hl_differ": "The neighbourhoods differ clearly on: {themes}.",
        "lead_differences": "Differences between neighbourhoods.",
        "m_differences": "For each theme the neighbourhoods are compared with a Kruskal–Wallis "
                         "test (rank-based, suited to scores from 1 to {scale} with many ties), "
                         "and each neighbourhood with the other neighbourhoods pooled with a "
                         "Mann–Whitney test. p-values are adjusted for multiple testing with "
                         "Benjamini–Hochberg (expected share of chance findings at most 5%), "
                         "separately for the themes and for all comparisons of "
                         "neighbourhoods. The share of the variation lying between "
                         "neighbourhoods is the ICC of a multilevel model with a random "
                         "intercept per neighbourhood. Cells hidden for privacy are left out of "
                         "every calculation for that theme, so no figure can be used to work "
                         "out a hidden neighbourhood. Figures are unweighted.",
        "map_title": "Composite index on a map",
        "map_legend": "Index (higher = better)",
        "map_survey": "Place Standard medians for {k} dimensions of social justice and social "
                      "robustness",
        "map_register": "{k} register indicators ({names})",
        "and": "and",
        "ci_range": "{lo} to {hi}",
        "map_text": "The index combines {k} indicators: {names}. {how} It is the same index "
                    "as in notebook 03. It says where neighbourhoods stand relative to each "
                    "other, not how well off they are in absolute terms.",
        "map_partial": "{areas}: the index uses only the indicators that have values.",
        "map_missing": "No map: the report was given no area boundaries.",
        "rank_title": "How certain is the ranking?",
        "rank_text": "The ranking depends on the method and on how much each indicator counts. "
                     "A sensitivity analysis shows how much: the grey line shows every rank a "
                     "neighbourhood took with {m} methods and {d} random weightings (±{s}%); the "
                     "blue bar the middle 90%. Long lines mean an uncertain rank. Read the "
                     "ranking as groups, not as a league table.",
        "index_none": "No composite index: too few neighbourhoods have data ({n}).",
        "gradient_title": "Social gradient: low scores and low income",
        "gradient_text": "Neighbourhoods are ordered by their share of persistent low income "
                         "(0 = highest share, 1 = lowest), weighted by population. The line is "
                         "a population-weighted regression. The slope index of inequality (SII) is "
                         "the difference in the share of low scores ({low}) between the best-off "
                         "and the worst-off end, in percentage points: a negative SII means "
                         "more dissatisfaction where more people have low income.",
        "gradient_by_income": "Neighbourhoods are ordered by median income (0 = lowest, 1 = "
                              "highest), weighted by population. The line is a population-"
                              "weighted regression. The slope index of inequality (SII) is the "
                              "difference in the share of low scores ({low}) between the "
                              "best-off and the worst-off end, in percentage points: a "
                              "negative SII means more dissatisfaction where income is lowest.",
        "gradient_table": "SII by theme ({conf}% confidence interval, {k} neighbourhoods)",
        "gradient_few": "No slope index: only {k} neighbourhoods have figures. A line through "
                        "fewer than {min} neighbourhoods says nothing reliable about the gap "
                        "between the best-off and the worst-off, so it is not shown.",
        "gradient_few_themes": "Left out (fewer than {min} neighbourhoods with figures): "
                               "{themes}.",
        "gradient_none": "No gradient: it needs the low-income share or median income and the "
                         "population per neighbourhood, and at least three neighbourhoods "
                         "with data.",
        "gradient_bold": "Bold: the confidence interval excludes 0, so the difference is "
                         "clear even allowing for uncertainty.",
        "gradient_col_theme": "Theme",
        "gradient_col_sii": "SII (percentage points)",
        "gradient_col_ci": "Confidence interval",
        "gradient_col_areas": "Neighbourhoods",
        "gradient_x": "Ranked by low-income share (0 = highest share)",
        "gradient_x_income": "Ranked by median income (0 = lowest)",
        "gradient_y": "Share scoring {low} (%)",
        "gradient_panel": "{theme}\nSII {sii} pp ({lo} to {hi})",
        "gradient_panel_no_ci": "{theme}\nSII {sii} pp",
        "methods": "Methods and privacy",
        "lead_scores": "Scores and medians.",
        "lead_weights": "Who responded.",
        "lead_minn": "Privacy.",
        "lead_quotes": "Quotes.",
        "lead_index": "Composite index.",
        "lead_gradient": "Social gradient.",
        "lead_synthetic": "Synthetic data.",
        "lead_merged": "Merged neighbourhoods.",
        "lead_register": "Register figures not shown.",
        "m_scores": "Scores are ordinal: 5 is better than 4, but the steps need not be equal. "
                    "We therefore show the median and the shares scoring {low} or {high}, not "
                    "means. "
                    "The median's confidence interval is the distribution-free order-statistic "
                    "interval; shares use Wilson intervals ({conf}%).",
        "m_weights": "Figures are unweighted: they describe those who responded. Groups that "
                     "respond less often (often young people and lower-income neighbourhoods) "
                     "may be under-represented.",
        "m_weighted": "Figures are weighted to correct for who responded.",
        "m_minn": "A theme in a neighbourhood is shown only when at least {min_n} "
                  "answered it (otherwise «too few responses»). Because the municipal total is "
                  "shown too, as few other cells as possible are hidden as well (secondary "
                  "suppression, «hidden to protect a small neighbourhood»): on every theme "
                  "either no neighbourhood is hidden, or at least two that together hold at "
                  "least {min_n} responses, so nobody can work out a small neighbourhood from "
                  "the municipal total. Usually the next smallest neighbourhood is hidden; one "
                  "already hidden on many themes is spared, so that one small neighbourhood "
                  "does not take a bigger one off every theme. Secondary suppression never "
                  "removes quotes. Neighbourhoods with fewer than {min_n} responses get "
                  "no figures and no quotes. Every number comes from the same privacy-checked "
                  "summary, and the report is checked automatically for small cells before it "
                  "is saved.",
        "m_quotes": "Quotes are drawn at random (seed {seed}) from comments in neighbourhoods "
                    "with enough responses. Phone numbers, e-mail addresses, identity numbers "
                    "and street addresses are masked automatically, and comments that may hold "
                    "personal names are not used. Still read them before sharing the report.",
        "m_index_survey": "Place Standard indicators (mean of theme medians per dimension, "
                          "i.e. per item the guide lists under its two goals), combined with "
                          "the exponential method (as Scotland's SIMD), every dimension "
                          "counting the same. Its uncertainty is shown by recomputing it with "
                          "five methods and {d} weight draws.",
        "m_index": "Register and Place Standard indicators (mean of theme "
                   "medians per dimension, i.e. per item the guide lists under its two goals), "
                   "combined with the exponential method (as Scotland's SIMD), every dimension "
                   "counting the same. Its uncertainty is "
                   "shown by recomputing it with five methods and {d} weight draws.",
        "m_gradient": "Weighted least squares of the share of low scores on "
                      "the neighbourhoods' position along the gradient (population-weighted rank "
                      "from 0 to 1); SII with a "
                      "t-based confidence interval. With few neighbourhoods the intervals are "
                      "wide.",
        "m_synthetic": "The data are synthetic: the municipality {kommune}, its neighbourhoods, "
                       "responses and quotes were generated by a computer with built-in "
                       "patterns, for training and testing.",
        "m_sources": "Sources",
        "source_real": "Source of the register figures: not given",
        "ch_title": "Change since {since}",
        "ch_link": "Change since {since}",
        "ch_intro": "The Place Standard survey was also run in {since}. Here we compare the "
                    "share of low scores ({low}) in {since} and {after}, per neighbourhood and "
                    "theme.",
        "ch_some": "{k} of {m} comparisons show a clear change:",
        "ch_none": "None of the {m} comparisons shows a clear change. That does not mean "
                   "nothing changed: with few answers real changes can be lost in the "
                   "uncertainty.",
        "ch_item": "{area}, {theme}: {p1} low scores in {since}, {p2} in {after} ({way}; "
                   "{lo} to {hi} percentage points)",
        "ch_better": "better", "ch_worse": "worse",
        "ch_total": "For the municipality as a whole: {items}.",
        "ch_dots": "The change in the share of low scores for the themes with a clear change. "
                   "The dot is the change, the line its uncertainty; clear changes are large "
                   "diamonds (blue = better, red = worse).",
        "ch_rule": "Clear means the change is too large to be chance, allowing for the {m} "
                   "comparisons made at once (q-value below {a}), and its interval excludes 0. "
                   "With this rule about one clear change in twenty may still be a false alarm.",
        "ch_caveat_who": "The Place Standard survey is open to all. If other groups answered "
                         "this time, the figures can change without the place changing.",
        "ch_caveat_why": "A clear change does not say why. Link it to what you know happened "
                         "in the neighbourhood – and ask the residents.",
        "ch_caveats": "Read with care",
        "lead_change": "Change between rounds.",
        "m_change": "The share of low scores in two rounds is compared per neighbourhood and "
                    "theme with Newcombe's interval for a difference of two proportions and the "
                    "Brunner–Munzel test for ordinal scores; p-values are adjusted with "
                    "Benjamini–Hochberg (notebook 08). A figure is shown only when both rounds "
                    "have at least {min_n} answers and neither round hides it.",
        "footer_synthetic": "Synthetic data – fictional municipality",
    },
}
