"""Catalogue entries (English, bokmål) for survey rounds: reading a round column, splitting a
combined export, comparing two rounds and the crosswalk between their areas. Loaded by
:mod:`soslokal_lib._messages`; see there for the conventions."""

from __future__ import annotations

ENTRIES: dict[str, tuple[str, str]] = {
    # --- reading a round column (io) ---
    "survey.round_blank": ("no round label", "mangler runde"),
    "survey.round_blank.fix": (
        "give every row its round (e.g. 2024), or remove the rows without one",
        "oppgi runden (f.eks. 2024) på hver rad, eller fjern radene uten"),
    "survey.round_other": ("round label other than round={given!r} (the file holds {found})",
                           "en annen runde enn round={given!r} (filen har {found})"),
    "survey.round_other.fix": (
        "read the file without round= and split it with split_rounds, or remove the other "
        "rounds' rows",
        "les filen uten round= og del den med split_rounds, eller fjern radene fra de andre "
        "rundene"),
    # --- rounds in the config (app) ---
    "config.round_missing": ("every [[survey]] block needs its round",
                             "hver [[survey]]-blokk må ha sin runde"),
    "config.round_missing.fix": ('write e.g. round = "2021" in each block',
                                 'skriv f.eks. round = "2021" i hver blokk'),
    "config.round_label": ('round must be a label such as "2021"',
                           'round må være en betegnelse som "2021"'),
    "config.round_label.fix": ('write e.g. round = "2021"', 'skriv f.eks. round = "2021"'),
    # --- splitting and checking rounds (stats) ---
    "rounds.no_label": (
        "{source}: respondent {who} has no round label. Fix: give every respondent its round",
        "{source}: respondent {who} mangler runde. Løsning: oppgi runden for hver respondent"),
    "rounds.no_column": (
        "{source}: no round column (round, «Runde», «År»), so the survey cannot be split into "
        "rounds. Fix: name the column of round labels 'round' (e.g. columns={{'År': 'round'}}), "
        "or read each round's file with read_survey(path, round=...)",
        "{source}: ingen kolonne med runde (round, «Runde», «År»), så undersøkelsen kan ikke "
        "deles i runder. Løsning: kall kolonnen med rundene 'round' (f.eks. "
        "columns={{'År': 'round'}}), eller les hver rundes fil med read_survey(sti, round=...)"),
    "rounds.duplicate": (
        "round label {label!r} is used twice ({first} and {second}). Fix: give each round its "
        "own label (e.g. round = \"2021\" and round = \"2024\")",
        "runden {label!r} er brukt to ganger ({first} og {second}). Løsning: gi hver runde sin "
        "egen betegnelse (f.eks. round = \"2021\" og round = \"2024\")"),
    "rounds.themes_differ": (
        "the rounds do not ask the same themes: {before} has {only_before}, which {after} "
        "lacks; {after} has {only_after}, which {before} lacks. Fix: read both rounds with "
        "themes=[...] naming the themes both asked",
        "rundene spør ikke om de samme temaene: {before} har {only_before}, som {after} "
        "mangler; {after} har {only_after}, som {before} mangler. Løsning: les begge rundene "
        "med themes=[...] og bare temaene begge spurte om"),
    "rounds.scale_differ": (
        "the rounds use different scales: {before} has {before_scale} points, {after} "
        "{after_scale}. Fix: compare rounds of the same version of the survey (7 points: the "
        "standard and young people's versions; 3: the children's)",
        "rundene bruker ulike skalaer: {before} har {before_scale} trinn, {after} "
        "{after_scale}. Løsning: sammenlign runder av samme versjon av undersøkelsen (7 trinn: "
        "standard- og ungdomsversjonen; 3: barneversjonen)"),
    "rounds.not_survey": (
        "compare_rounds needs two Survey objects, got {kind}. Fix: pass the results of "
        "read_survey (one per round) or of split_rounds",
        "compare_rounds trenger to Survey-objekter, fikk {kind}. Løsning: bruk resultatene av "
        "read_survey (ett per runde) eller av split_rounds"),
    "rounds.by_crosswalk": (
        "a crosswalk that merges areas works only with by='area_id', not by={by!r}. Fix: "
        "compare by area, or leave the crosswalk out",
        "en kobling som slår sammen områder virker bare med by='area_id', ikke by={by!r}. "
        "Løsning: sammenlign per område, eller utelat koblingen"),
    "rounds.weight": (
        "weight= must be None, a column name, a Series or a pair (before, after), not {kind}. "
        "Fix: e.g. weight='weight' or weight=(weights_2021, weights_2024)",
        "weight= må være None, et kolonnenavn, en Series eller et par (før, etter), ikke "
        "{kind}. Løsning: f.eks. weight='weight' eller weight=(vekter_2021, vekter_2024)"),
    # --- the crosswalk ---
    "rounds.crosswalk_type": (
        "the crosswalk must be a mapping {{old name: new name}} or the path of a CSV file with "
        "columns old,new, not {kind}",
        "koblingen må være en tabell {{gammelt navn: nytt navn}} eller stien til en CSV-fil med "
        "kolonnene old,new, ikke {kind}"),
    "rounds.crosswalk_columns": (
        "{source}: the crosswalk file needs the columns old and new (found {found}). Fix: write "
        "a header line old,new and one line per renamed or merged area",
        "{source}: koblingsfilen må ha kolonnene old og new (fant {found}). Løsning: skriv "
        "overskriftene old,new og én linje per område som har fått nytt navn eller er slått "
        "sammen"),
    "rounds.crosswalk_blank": (
        "{source}: line {line} of the crosswalk has an empty name. Fix: fill in both columns",
        "{source}: linje {line} i koblingen har et tomt navn. Løsning: fyll ut begge kolonnene"),
    "rounds.crosswalk_split": (
        "the crosswalk splits {area!r} into {targets}: the answers from {area!r} cannot be "
        "shared out between the new areas. Fix: map the new areas back onto the old one "
        "instead ({lines}), so that both rounds are compared on the old boundary; or leave "
        "{area!r} out of the crosswalk (it then gets no change figure)",
        "koblingen deler {area!r} i {targets}: svarene fra {area!r} kan ikke fordeles på de "
        "nye områdene. Løsning: koble heller de nye områdene til det gamle ({lines}), så "
        "sammenlignes begge rundene på den gamle grensen; eller ta {area!r} ut av koblingen "
        "(da får det ingen endringstall)"),
    "rounds.crosswalk_unknown": (
        "the crosswalk names {area!r}, which is in neither round. Fix: {hint}check the "
        "spelling, or remove that line",
        "koblingen nevner {area!r}, som ikke finnes i noen av rundene. Løsning: {hint}sjekk "
        "skrivemåten, eller fjern linjen"),
    "rounds.crosswalk_cycle": (
        "the crosswalk maps {areas} round in a circle. Fix: map every old name straight to "
        "its final name",
        "koblingen sender {areas} rundt i ring. Løsning: koble hvert gamle navn direkte til det "
        "endelige navnet"),
    "rounds.crosswalk_old_unknown": (
        "[rounds] crosswalk: the old name {area!r} is in no round's survey ({surveys}) and no "
        "area of {areas}, so it moves no answers. Fix: {hint}write the old name as the "
        "earlier round's answers spell it{example}, or remove it",
        "[rounds] crosswalk: det gamle navnet {area!r} finnes ikke i noen rundes undersøkelse "
        "({surveys}) eller blant områdene i {areas}, så det flytter ingen svar. Løsning: "
        "{hint}skriv det gamle navnet slik svarene i den tidligere runden staver det{example}, "
        "eller fjern det"),
    "rounds.crosswalk_new_unknown": (
        "[rounds] crosswalk: the new name {area!r} (for {old!r}) is no area of {areas} and in "
        "no round's survey. Fix: {hint}write the new name as {areas} spells it",
        "[rounds] crosswalk: det nye navnet {area!r} (for {old!r}) er ikke et område i {areas} "
        "og finnes ikke i noen rundes undersøkelse. Løsning: {hint}skriv det nye navnet slik "
        "{areas} staver det"),
    "rounds.crosswalk_advice": (
        "; if {values} is an area renamed or merged since round {round}, map it to its new "
        "name under [rounds]{config}: crosswalk = {{ {pairs} }}{others}",
        "; er {values} et område som har fått nytt navn eller er slått sammen med et annet "
        "siden runde {round}, kobler du det til det nye navnet under [rounds]{config}: "
        "crosswalk = {{ {pairs} }}{others}"),
    "rounds.crosswalk_new_name": ("<new name>", "<nytt navn>"),
    "rounds.crosswalk_candidates": (" (areas without answers in round {round}: {names})",
                                    " (områder uten svar i runde {round}: {names})"),
    "rounds.in_config": (" in the config", " i oppsettet"),
    "rounds.in_file": (" in {file}", " i {file}"),
    "rounds.unmatched": (
        "{survey} (round {round}): {n} area answer(s) match no area of the boundary file: "
        "{listed}. Fix: correct those answers in the survey, or the area names in the "
        "boundary file{advice}",
        "{survey} (runde {round}): {n} områdesvar passer ikke med noe område i grensefila: "
        "{listed}. Løsning: rett disse svarene i undersøkelsen, eller områdenavnene i "
        "grensefila{advice}"),
    "rounds.unmatched_one": ("{value!r} ({n} answer(s), first on row {row})",
                             "{value!r} ({n} svar, første på rad {row})"),
    "rounds.boundary": ("the boundary file", "grensefila"),
    "check.rounds": ("rounds {rounds}; the main round is {main}",
                     "runder {rounds}; hovedrunden er {main}"),
    # --- notes in the result ---
    "rounds.note.one_round": (
        "{areas}: only in round {label}; no change figure (suppression «{reason}»).",
        "{areas}: bare med i runde {label}; ingen endringstall (skjult: «{reason}»)."),
    "rounds.note.renamed": (
        "Renamed between the rounds, compared under the later name: {items}.",
        "Nytt navn mellom rundene, sammenlignet under det nye navnet: {items}."),
    "rounds.note.merged": (
        "Compared on the later boundaries: {items}.",
        "Sammenlignet på de nye grensene: {items}."),
    "rounds.note.mix": (
        "The respondents changed between the rounds: {items}. A change in scores can then be a "
        "change in who answered (rule: a group's share changed by {points} percentage points "
        "or more, or by a factor of {factor} or more).",
        "Hvem som svarte, endret seg mellom rundene: {items}. En endring i skårene kan da være "
        "en endring i hvem som svarte (regel: en gruppes andel endret seg med {points} "
        "prosentpoeng eller mer, eller med en faktor {factor} eller mer)."),
    "rounds.note.weighted": (
        "Weighted: shares, medians and means are weighted, their intervals use Kish's "
        "effective n; the p-value (Brunner–Munzel) is computed on the unweighted answers.",
        "Vektet: andeler, medianer og gjennomsnitt er vektet, og intervallene bruker Kishs "
        "effektive n; p-verdien (Brunner–Munzel) er regnet på de uvektede svarene."),
    "rounds.note.total": (
        "The total rows cover each round as a whole, areas found in one round only included.",
        "Totalradene gjelder hver runde som helhet, også områder som bare er med i én runde."),
    "rounds.suppression.one_round": ("only in one round", "bare med i én runde"),
}
