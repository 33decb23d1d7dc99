"""Wording of the «politisk verksted» report's parts on the guide's two goals, the discussion
questions, the priority sheet and the area selection (bokmål and English). Merged into
:data:`soslokal_lib.app.verksted.wording.TEXT` by the report, so ``{low}``, ``{high}`` and
``{scale}`` are filled in the same way.

Question templates (``q_*``, rules in :mod:`soslokal_lib.app.verksted.questions`) take
``{area}``, ``{theme}`` (lower case) or ``{Theme}`` (as a sentence opens), and the rule's own
figures.
"""

from __future__ import annotations

TEXT_GOALS: dict[str, dict[str, str]] = {
    "nb": {
        "goals_link": "Sosial rettferdighet og sosial robusthet",
        "goals_title": "Sosial rettferdighet og sosial robusthet i {kommune}",
        "goals_intro": "Veilederen for sosial bærekraft har to overordnede mål for et sosialt "
                       "bærekraftig lokalsamfunn: sosial rettferdighet og sosial robusthet. "
                       "Under hvert mål står punktene veilederen lister (her kalt dimensjoner) "
                       "og temaene i Stedskompasset vi har knyttet til dem, med tallene for "
                       "hele kommunen.",
        "goals_col_dimension": "Dimensjon",
        "goals_col_theme": "Tema i Stedskompasset",
        "goals_col_median": "Median (95 % KI)",
        "goals_col_share": "Andel som ga {low} (95 % KI)",
        "goals_no_theme": "ingen tema i Stedskompasset",
        "goals_register_only": "ingen tema i Stedskompasset; i delindeksen: {names}",
        "goals_partial": ", færre indikatorer (skjulte tall)",
        "goals_kommune": "I {kommune} som helhet er {worst} svakest av de {k} temaene under "
                         "målet: {share} ga {low} (95 % konfidensintervall {lo}–{hi}). "
                         "Sterkest er {best}, der {best_share} ga {low}.",
        "goals_lowest": "Lavest på {goal}: {items}.",
        "goals_highest": "Høyest på {goal}: {items}.",
        "goals_rank": "{shared}plass {rank} av {m}, spenn {lo}–{hi}",
        "goals_shared": "delt ",
        "goals_rank_fixed": "{shared}plass {rank} av {m} med alle metoder og vekter",
        "goals_interval": "Plassen er nabolagets delindeks for målet, laget som indeksen i "
                          "notatbok 03 (1 = best stilt). Spennet er alle plassene nabolaget får "
                          "når delindeksen regnes på nytt med fem metoder og {d} tilfeldige "
                          "vektsett (følsomhetsanalyse). Spennet viser hvor mye plassen "
                          "avhenger av valgene bak indeksen; det er ikke et "
                          "konfidensintervall, og usikkerheten fra hvem som svarte, er ikke "
                          "med. Intervallene for kommunen i tabellene er 95 % "
                          "konfidensintervaller for medianen og andelen.",
        "goals_none": "Ingen delindeks for målene: for få indikatorer har tall.",
        "goals_area": "På de to målene",
        "goals_area_none": "ingen plass: for få tall",
        "goals_band_low": "Blant de nederste uansett metode og vekter.",
        "goals_band_high": "Blant de øverste uansett metode og vekter.",
        "goals_weakest_dim": "Svakest på {dim}.",
        "questions": "Spørsmål til diskusjon",
        "questions_note": "Spørsmålene er laget automatisk fra nabolagets egne tall etter faste "
                          "regler (se Metode). Bruk dem som start på samtalen, ikke som fasit.",
        "q_lowest": "{Theme} får lavest skår i {area}: {share} ga {low}. Hva vet vi om hvorfor, "
                    "og hva kan kommunen gjøre?",
        "q_lowest_total": "{Theme} får lavest skår i {area}: {share} ga {low}, mot {p2} i hele "
                          "kommunen. Hva vet vi om hvorfor, og hva kan kommunen gjøre?",
        "q_lowest_better": "{Theme} får lavest skår i {area} ({share} ga {low}), men færre er "
                           "misfornøyd enn i hele kommunen ({p2}). Er det likevel noe her som "
                           "bør følges opp?",
        "q_ask": "Hva ville innbyggerne i {area} selv si er det viktigste å gjøre noe med?",
        "q_lowest_worse": "{Theme} er lavest i {area} og har blitt verre siden {since} "
                          "({p1} → {p2} lave skårer): hva vet vi om hvorfor?",
        "q_worse": "{Theme} har blitt verre i {area} siden {since} ({p1} → {p2} lave "
                   "skårer). Hva har endret seg?",
        "q_better": "{Theme} har blitt bedre i {area} siden {since} ({p1} → {p2} lave "
                    "skårer). Hva har virket, og kan det brukes andre steder?",
        "q_gap": "I {area} ga {p1} {low} på {theme}, mot {p2} i hele kommunen. Hva gjør dette "
                 "vanskeligere her enn ellers?",
        "q_register_theme": "{label} er {value} i {area} mot {kommune} i kommunen. Hvordan "
                            "henger det sammen med det innbyggerne sier om {about}?",
        "q_register": "{label} er {value} i {area} mot {kommune} i kommunen. Hva betyr det "
                      "for hverdagen til dem som bor her?",
        "q_register_theme_areas": "{label} er {value} i {area} mot {kommune} i snitt for "
                                  "nabolagene med tall. Hvordan henger det sammen med det "
                                  "innbyggerne sier om {about}?",
        "q_register_areas": "{label} er {value} i {area} mot {kommune} i snitt for nabolagene "
                            "med tall. Hva betyr det for hverdagen til dem som bor her?",
        "q_dont_know": "{share} svarte «vet ikke» om {theme} i {area}. Kjenner folk ikke "
                       "tilbudet, eller finnes det ikke?",
        "q_goal_justice": "{area} ligger blant de nederste på {goal} uansett metode og vekter. "
                          "Hva skal til for at folk her får like god tilgang til goder og like "
                          "mye å si som ellers i kommunen?",
        "q_goal_robustness": "{area} ligger blant de nederste på {goal} uansett metode og "
                             "vekter. Hva kan styrke nettverkene og fellesskapet her?",
        "q_strongest": "{Theme} får best skår i {area}. Hva må vi ta vare på når området "
                       "utvikles videre?",
        "q_missing": "Hvem har vi ikke hørt fra i {area}, og hvordan kan vi nå dem, for "
                     "eksempel med gåtur, Bylab eller fokusgruppe?",
        "q_too_few": "For få svarte i {area} til å vise resultater. Hvordan kan vi høre fra "
                     "innbyggerne her, for eksempel med gåtur, Bylab eller fokusgruppe?",
        "q_sources": "Hva vet kommunen om {area} fra andre kilder, som tjenestene, skolene og "
                     "lag og foreninger?",
        "priority": "Prioriteringer fra verkstedet",
        "priority_intro": "Fylles ut i møtet: hvilke nabolag og tema prioriterer vi, hvorfor, "
                          "hvem gjør hva, og innen når? Veilederen legger vekt på at "
                          "innbyggere, kommunen og utbyggere deler rollene.",
        "priority_area": "Område", "priority_theme": "Tema", "priority_why": "Hvorfor",
        "priority_who": "Hvem gjør hva", "priority_when": "Frist",
        "covers": "Rapporten gjelder {k} av {m} nabolag: {names}. Tallene for hele kommunen, "
                  "plassene på de to målene og oversikten over forskjeller gjelder hele "
                  "kommunen.",
        "lead_questions": "Spørsmål til diskusjon.",
        "m_questions": "Hvert nabolag får tre til fem spørsmål etter faste regler, i denne "
                       "rekkefølgen og høyst ett spørsmål per tema: tydelig forverring siden "
                       "forrige runde; svakeste tema; temaet der andelen lave skårer ligger "
                       "minst 10 prosentpoeng over kommunen; registertallet som ligger minst "
                       "25 % fra kommunen i ugunstig retning; minst 15 % «vet ikke» på et "
                       "tema; tydelig forbedring; blant de nederste på et av målene med alle "
                       "metoder og vekter; sterkeste tema, men bare når det er en styrke: "
                       "færre enn halvparten ga {low}, nabolaget ligger ikke tydelig under de "
                       "andre nabolagene der, og andelen lave skårer er ikke 10 prosentpoeng "
                       "eller mer over kommunen (ellers heter listen «Relativt sterkeste "
                       "tema»). Blir det færre enn tre, spør vi om "
                       "hvem vi ikke har hørt fra, hva kommunen vet fra andre kilder og hva "
                       "innbyggerne selv ville sagt er viktigst. Skjulte celler brukes aldri.",
        "lead_goals": "De to målene.",
        "m_goals": "Temaene er knyttet til veilederens mål og dimensjoner som i notatbok 03.",
        "m_goals_index": "Delindeksene for målene er laget med samme metode og vekter som den "
                         "samlede indeksen, bare av indikatorene under hvert mål; spennet er "
                         "følsomhetsanalysen med fem metoder og {d} vektsett. Svakeste "
                         "dimensjon er den med lavest z-skår (notatbok 03).",
    },
    "en": {
        "goals_link": "Social justice and social robustness",
        "goals_title": "Social justice and social robustness in {kommune}",
        "goals_intro": "The guide to social sustainability sets two overarching goals for a "
                       "socially sustainable community: social justice and social robustness. "
                       "Under each goal are the items the guide lists (here called dimensions) "
                       "and the Place Standard themes we link to them, with the figures for "
                       "the whole municipality.",
        "goals_col_dimension": "Dimension",
        "goals_col_theme": "Place Standard theme",
        "goals_col_median": "Median (95% CI)",
        "goals_col_share": "Share scoring {low} (95% CI)",
        "goals_no_theme": "no Place Standard theme",
        "goals_register_only": "no Place Standard theme; in the sub-index: {names}",
        "goals_partial": ", fewer indicators (hidden figures)",
        "goals_kommune": "In {kommune} as a whole, {worst} is the weakest of the {k} themes "
                         "under this goal: {share} scored {low} (95% confidence interval "
                         "{lo}–{hi}). The strongest is {best}, where {best_share} scored {low}.",
        "goals_lowest": "Lowest on {goal}: {items}.",
        "goals_highest": "Highest on {goal}: {items}.",
        "goals_rank": "{shared}rank {rank} of {m}, range {lo}–{hi}",
        "goals_shared": "shared ",
        "goals_rank_fixed": "{shared}rank {rank} of {m} with every method and weighting",
        "goals_interval": "The rank is the neighbourhood's sub-index for the goal, built like "
                          "the index in notebook 03 (1 = best off). The range is every rank "
                          "the neighbourhood gets when the sub-index is recomputed with five "
                          "methods and {d} random weightings (sensitivity analysis). It shows "
                          "how much the rank depends on the choices behind the index; it is "
                          "not a confidence interval and leaves out the uncertainty of who "
                          "answered. The intervals for the municipality in the tables are 95% "
                          "confidence intervals of the median and the share.",
        "goals_none": "No sub-index for the goals: too few indicators have figures.",
        "goals_area": "On the two goals",
        "goals_area_none": "no rank: too few figures",
        "goals_band_low": "Among the lowest with every method and weighting.",
        "goals_band_high": "Among the highest with every method and weighting.",
        "goals_weakest_dim": "Weakest on {dim}.",
        "questions": "Questions for discussion",
        "questions_note": "The questions are generated from the neighbourhood's own figures by "
                          "fixed rules (see Methods). Use them to start the conversation, not "
                          "as answers.",
        "q_lowest": "{Theme} scores lowest in {area}: {share} scored {low}. What do we know "
                    "about why, and what can the municipality do?",
        "q_lowest_total": "{Theme} scores lowest in {area}: {share} scored {low}, against {p2} "
                          "in the whole municipality. What do we know about why, and what can "
                          "the municipality do?",
        "q_lowest_better": "{Theme} scores lowest in {area} ({share} scored {low}), though "
                           "fewer are dissatisfied than in the whole municipality ({p2}). Is "
                           "there still something here to follow up?",
        "q_ask": "What would the residents of {area} themselves say most needs doing?",
        "q_lowest_worse": "{Theme} is lowest in {area} and has got worse since {since} "
                          "({p1} → {p2} low scores): what do we know about why?",
        "q_worse": "{Theme} has got worse in {area} since {since} ({p1} → {p2} low scores). "
                   "What has changed?",
        "q_better": "{Theme} has improved in {area} since {since} ({p1} → {p2} low scores). "
                    "What worked, and can it be used elsewhere?",
        "q_gap": "In {area} {p1} scored {low} on {theme}, against {p2} in the whole "
                 "municipality. What makes this harder here than elsewhere?",
        "q_register_theme": "{label} is {value} in {area} against {kommune} in the "
                            "municipality. How does that relate to what residents say about "
                            "{about}?",
        "q_register": "{label} is {value} in {area} against {kommune} in the municipality. "
                      "What does it mean for everyday life here?",
        "q_register_theme_areas": "{label} is {value} in {area} against {kommune} on average "
                                  "in the neighbourhoods with figures. How does that relate to "
                                  "what residents say about {about}?",
        "q_register_areas": "{label} is {value} in {area} against {kommune} on average in the "
                            "neighbourhoods with figures. What does it mean for everyday life "
                            "here?",
        "q_dont_know": "{share} answered «don't know» about {theme} in {area}. Do people not "
                       "know what is on offer, or is there nothing?",
        "q_goal_justice": "{area} is among the lowest on {goal} with every method and "
                          "weighting. What would give people here the same access to services "
                          "and the same say as elsewhere in the municipality?",
        "q_goal_robustness": "{area} is among the lowest on {goal} with every method and "
                             "weighting. What could strengthen networks and community here?",
        "q_strongest": "{Theme} scores best in {area}. What must we keep as the area "
                       "develops?",
        "q_missing": "Whom have we not heard from in {area}, and how can we reach them, for "
                     "example with a walk, a Bylab or a focus group?",
        "q_too_few": "Too few answered in {area} to show results. How can we hear from the "
                     "residents here, for example with a walk, a Bylab or a focus group?",
        "q_sources": "What does the municipality know about {area} from other sources, such "
                     "as its services, schools and local associations?",
        "priority": "Priorities from the workshop",
        "priority_intro": "To fill in at the meeting: which neighbourhoods and themes come "
                          "first, why, who does what, and by when? The guide stresses that "
                          "residents, the municipality and developers share the roles.",
        "priority_area": "Area", "priority_theme": "Theme", "priority_why": "Why",
        "priority_who": "Who does what", "priority_when": "Deadline",
        "covers": "The report covers {k} of {m} neighbourhoods: {names}. The figures for the "
                  "whole municipality, the ranks on the two goals and the overview of "
                  "differences cover the whole municipality.",
        "lead_questions": "Questions for discussion.",
        "m_questions": "Each neighbourhood gets three to five questions by fixed rules, in "
                       "this order and at most one per theme: a clear change for the worse "
                       "since the previous round; the weakest theme; the theme whose share of "
                       "low scores lies at least 10 percentage points above the "
                       "municipality's; the register figure at least 25% away from the "
                       "municipality on the unfavourable side; at least 15% «don't know» on a "
                       "theme; a clear improvement; among the lowest on a goal with every "
                       "method and weighting; the strongest theme, but only when it is a "
                       "strength: fewer than half scored {low}, the neighbourhood is not "
                       "clearly below the others on it, and its share of low scores is not 10 "
                       "percentage points or more above the municipality's (otherwise the "
                       "list is headed «Relatively strongest themes»). Fewer than three are "
                       "filled up with whom we have not heard from, what the municipality knows "
                       "from other sources and what residents would say matters most. Hidden "
                       "cells are never used.",
        "lead_goals": "The two goals.",
        "m_goals": "Themes are linked to the guide's goals and dimensions as in notebook 03.",
        "m_goals_index": "The goals' sub-indices use the method and weights of the overall "
                         "index, on the indicators under each goal only; the range is the "
                         "sensitivity analysis with five methods and {d} weightings. The "
                         "weakest dimension is the one with the lowest z-score (notebook 03).",
    },
}

#: Empty rows of the priority sheet.
PRIORITY_ROWS = 8
