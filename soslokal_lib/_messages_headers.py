"""Catalogue entries (English, bokmål) for a survey's numbered headers, group spellings and
blank responses (:mod:`soslokal_lib.io._survey_numbering`, :mod:`soslokal_lib.io.survey`).
Loaded by :mod:`soslokal_lib._messages`; see there for the conventions."""

from __future__ import annotations

ENTRIES: dict[str, tuple[str, str]] = {
    # --- why a file's numbers are not the standard order ---
    "numbering.role": (
        "{header!r} is numbered {number} and is not a theme, so the numbers count every "
        "question",
        "{header!r} har nummer {number} og er ikke et tema, så numrene teller alle spørsmålene"),
    "numbering.above": ("{header!r} is numbered {number} but names a theme",
                        "{header!r} har nummer {number}, men nevner et tema"),
    "numbering.most_wrong": (
        "most headers whose words name a theme have another number (e.g. {header!r} names "
        "{named})",
        "de fleste overskriftene som nevner et tema, har et annet nummer (f.eks. nevner "
        "{header!r} {named})"),
    "numbering.no_scores": (
        "{header!r} holds no scores (e.g. {example!r}), so the numbers count every question",
        "{header!r} inneholder ingen skårer (f.eks. {example!r}), så numrene teller alle "
        "spørsmålene"),
    "numbering.not_standard": (
        "numbered {number}, but this file's numbers do not follow the standard order of the 14 "
        "themes ({reason}), and its words name no theme",
        "har nummer {number}, men numrene i denne fila følger ikke standardrekkefølgen av de 14 "
        "temaene ({reason}), og ordene nevner ikke noe tema"),
    "numbering.not_standard.verb": (
        "map it (to its theme, or e.g. to \"area_id\"), or ignore it",
        "knytt den til temaet sitt (eller f.eks. til \"area_id\"), eller hopp over den"),
    "numbering.theme_code": ("<theme code>", "<temakode>"),
    # --- every number shifted by the same amount ---
    "numbering.shifted": (
        "the numbers of the headers do not follow the standard order of the 14 themes: all the "
        "numbers are shifted by {shift} ({reason}), so {first} is probably theme 1 and {last} "
        "theme {n}",
        "numrene i overskriftene følger ikke standardrekkefølgen av de 14 temaene: alle numrene "
        "er forskjøvet med {shift} ({reason}), så {first} er trolig tema 1 og {last} tema {n}"),
    "numbering.shifted.roles": ("{headers} are numbered 1–{shift} and are not themes",
                                "{headers} har nummer 1–{shift} og er ikke tema"),
    "numbering.shifted.range": ("the theme columns are numbered {low}–{high}",
                                "temakolonnene har nummer {low}–{high}"),
    "numbering.shifted.fix": (
        "check against the questionnaire, then read it with columns={mapping!r}",
        "sjekk mot spørreskjemaet, og les den med columns={mapping!r}"),
    "numbering.shifted.fix_config": (
        "check against the questionnaire, then add these lines under [survey.columns]:{lines}",
        "sjekk mot spørreskjemaet, og legg til disse linjene under [survey.columns]:{lines}"),
    # --- a header whose number and words name different themes ---
    "numbering.conflict": (
        "its number and its words name different themes – by its number ({number}): {theme} "
        "({code}); by its words: {named} ({other}) – so it is not read",
        "nummeret og ordene nevner ulike tema – etter nummeret ({number}): {theme} ({code}); "
        "etter ordene: {named} ({other}) – så den leses ikke"),
    "numbering.conflict.fix": (
        "check the questionnaire, then map it with columns={{{header!r}: '{other}'}} (the words "
        "are right) or columns={{{header!r}: '{code}'}} (the number is right){comments}",
        "sjekk spørreskjemaet, og knytt den til et tema med columns={{{header!r}: '{other}'}} "
        "(ordene stemmer) eller columns={{{header!r}: '{code}'}} (nummeret stemmer){comments}"),
    "numbering.conflict.fix_config": (
        "check the questionnaire, then under [survey.columns] add {by_words} (the words are "
        "right) or {by_number} (the number is right){comments}",
        "sjekk spørreskjemaet, og legg til {by_words} (ordene stemmer) eller {by_number} "
        "(nummeret stemmer) under [survey.columns]{comments}"),
    "numbering.conflict.comments": (
        "; the comment columns with the same number ({headers}) are read by the number as "
        "{code}: if the words are right, map them too ({lines})",
        "; kommentarkolonnene med samme nummer ({headers}) leses etter nummeret som {code}: "
        "stemmer ordene, knytt dem også ({lines})"),
    # --- a comment column numbered outside 1–14 ---
    "numbering.general_comment": (
        "numbered {number}, which is not one of the 14 themes, so it is read as a comment on no "
        "theme ({kind})",
        "har nummer {number}, som ikke er ett av de 14 temaene, så den leses som en kommentar "
        "uten tema ({kind})"),
    "numbering.general_comment.fix": (
        "if it belongs to a theme, map it with columns={{{header!r}: '<theme code>:{kind}'}}; "
        "otherwise columns={{{header!r}: '{kind}'}} silences this",
        "hører den til et tema, knytt den til temaet med "
        "columns={{{header!r}: '<temakode>:{kind}'}}; ellers demper "
        "columns={{{header!r}: '{kind}'}} denne merknaden"),
    "numbering.general_comment.fix_config": (
        "if it belongs to a theme, under [survey.columns] add {header} = \"<theme code>:{kind}\"; "
        "otherwise {header} = \"{kind}\" there silences this",
        "hører den til et tema, legg til {header} = \"<temakode>:{kind}\" under "
        "[survey.columns]; ellers demper {header} = \"{kind}\" der denne merknaden"),
    # --- spellings of one group ---
    "survey.spellings": (
        "{spellings} are spellings of the same group (case, spaces, hyphen or dash and the "
        "word «år» aside) and are read as one group, {into!r}",
        "{spellings} er skrivemåter av samme gruppe (når store/små bokstaver, mellomrom, "
        "bindestrek/tankestrek og ordet «år» ses bort fra) og leses som én gruppe, {into!r}"),
    "survey.spellings.fix": (
        "nothing needed; to silence this, write the group the same way in every row of the "
        "file; if they really are different groups, give them names that differ by more",
        "ingenting må gjøres; for å dempe merknaden, skriv gruppen likt på alle rader i fila; "
        "er de virkelig ulike grupper, gi dem navn som skiller seg mer"),
    # --- responses with nothing in them ---
    "survey.blank_rows": (
        "{n} response(s) hold nothing (no score, no «don't know», no comment, no age or gender; "
        "rows {rows}) and are left out: they are not counted as respondents",
        "{n} svar er helt tomme (ingen skår, ingen «vet ikke», ingen kommentar, ingen alder "
        "eller kjønn; rad {rows}) og er tatt ut: de telles ikke som svar"),
    "survey.blank_rows.fix": (
        "nothing needed; delete the rows from the file to silence this",
        "ingenting må gjøres; slett radene fra fila for å dempe merknaden"),
}
