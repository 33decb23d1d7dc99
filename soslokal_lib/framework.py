"""The framework of the guide «En veileder i sosial bærekraft» (SOSLOKAL / Fremsam).

A socially sustainable local community has two goals (:data:`GOALS`): **sosial rettferdighet**
(social justice) and **sosial robusthet** (social robustness). The guide spells each out in a
short list (five items under justice, four under robustness); this library calls those items
*dimensions* (:data:`DIMENSIONS`), a word the guide itself does not use. Three interdependent
core elements (:data:`CORE_ELEMENTS`) and four frame conditions (:data:`FRAME_CONDITIONS`)
complete the picture. Norwegian descriptions quote or closely paraphrase the guide; English ones
are this project's translation.

Each of the 14 Stedskompasset themes is linked to one dimension and one core element
(:func:`dimension_of`, :func:`core_element_of`, :data:`THEME_LINKS`). The guide gives no such
table: each link carries a one-line rationale drawn from the guide's lists, and a ``judgement``
flag where the guide does not name the theme's subject outright and we chose.
"""

from __future__ import annotations

from dataclasses import dataclass

from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import lang_key
from soslokal_lib.themes import THEME_CODES, get_theme

#: The guide this framework is taken from.
SOURCE = (
    "«En veileder i sosial bærekraft», Fremsam / forskningsprosjektet SOSLOKAL "
    "(NIBR OsloMet, NMBU; Kristiansand, Stavanger og Fredrikstad kommuner)"
)


class _Named:
    """``name(lang)`` for the framework's concepts."""

    name_nb: str
    name_en: str

    def name(self, lang: str = "nb") -> str:
        return self.name_nb if lang_key(lang) == "nb" else self.name_en


@dataclass(frozen=True)
class Concept(_Named):
    """A named concept of the guide with its description in bokmål and English."""

    code: str
    name_nb: str
    name_en: str
    description_nb: str
    description_en: str


class Goal(Concept):
    """One of the two overarching goals of a socially sustainable local community."""


class CoreElement(Concept):
    """One of the three core elements («kjerneelementer»)."""


class FrameCondition(Concept):
    """One of the four frame conditions («rammebetingelser»)."""


@dataclass(frozen=True)
class Dimension(_Named):
    """One item the guide lists under a goal (its two tables); «dimension» is our word."""

    code: str
    goal: str
    name_nb: str
    name_en: str
    description_nb: str
    description_en: str


@dataclass(frozen=True)
class ThemeLink:
    """Where a Stedskompasset theme sits in the framework, and why."""

    theme: str
    dimension: str
    dimension_judgement: bool
    dimension_rationale: str
    core_element: str
    core_element_judgement: bool
    core_element_rationale: str


GOALS: tuple[Goal, ...] = (
    Goal(
        "justice", "Sosial rettferdighet", "Social justice",
        "Handler om at folk har lik tilgang til ulike samfunnsgoder, at det er en rettferdig "
        "fordeling av byrder, og at man har lik mulighet til å delta i politikk og "
        "samfunnsutvikling.",
        "People have equal access to the goods of society, burdens are shared fairly, and "
        "everyone has an equal opportunity to take part in politics and community development.",
    ),
    Goal(
        "robustness", "Sosial robusthet", "Social robustness",
        "Handler om at innbyggerne har en sterk sosial kapital, som betyr at folk har gode "
        "relasjoner til hverandre og deltar i sosiale nettverk, og sammen løser felles problemer "
        "og utfordringer.",
        "Residents have strong social capital: good relations with one another, taking part in "
        "social networks and solving shared problems and challenges together.",
    ),
)

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "social_infrastructure", "justice", "Sosial infrastruktur", "Social infrastructure",
        "Bolig, nærmiljøsentra, skoler, barnehager, arbeidsplasser, restauranter, bibliotek, etc.",
        "Housing, local centres, schools, kindergartens, workplaces, restaurants, libraries, etc.",
    ),
    Dimension(
        "physical_infrastructure_transport", "justice", "Fysisk infrastruktur og transport",
        "Physical infrastructure and transport",
        "Kollektivtransport, sykkelruter, gå-vennlige områder, bildeling.",
        "Public transport, cycle routes, walkable areas, car sharing.",
    ),
    Dimension(
        "public_spaces", "justice", "Offentlige rom", "Public spaces",
        "Åpne plasser, parker og friluftsområder.",
        "Open squares, parks and outdoor recreation areas.",
    ),
    Dimension(
        "environmental_quality", "justice", "Nærmiljøkvalitet",
        "Quality of the local environment",
        "Helse, livskvalitet, sjenerende virksomhet, støy, forurensning av luft, vann og jord.",
        "Health, quality of life, nuisance activities, noise, pollution of air, water and soil.",
    ),
    Dimension(
        "political_participation", "justice", "Politisk deltakelse", "Political participation",
        "Politiske valg og politiske prosesser.",
        "Elections and political processes.",
    ),
    Dimension(
        "social_networks", "robustness", "Sosiale nettverk", "Social networks",
        "Sosiale nettverk, som bidrar til relasjoner mellom innbyggerne.",
        "Social networks, which build relations between residents.",
    ),
    Dimension(
        "stability", "robustness", "Stabilitet", "Stability",
        "Stabilitet, som gir aktivitet og deltakelse.",
        "Stability, which brings activity and participation.",
    ),
    Dimension(
        "safety_security", "robustness", "Trygghet og sikkerhet", "Safety and security",
        "Trygghet og sikkerhet, som skaper balanse mellom inn- og utflytting.",
        "Safety and security, which create a balance between moving in and moving out.",
    ),
    Dimension(
        "pride_belonging", "robustness", "Stolthet og stedstilhørighet",
        "Pride and place attachment",
        "Stolthet og stedstilhørighet, som bidrar til normer, identitet og «en rett til å høre "
        "til».",
        "Pride and attachment to place, which build norms, identity and «a right to belong».",
    ),
)

CORE_ELEMENTS: tuple[CoreElement, ...] = (
    CoreElement(
        "neighbourhood", "Bærekraft i nabolaget", "Sustainability in the neighbourhood",
        "Handler om grunnverdier som styrker tilknytning til nærmiljøet: trygghet, identitet og "
        "tilhørighet. Å kjenne noen – både nære relasjoner og bekjentskaper – skaper trygghet og "
        "tilhørighet, grobunn for tillit og gjensidighet, og en grunnmur for sosial robusthet.",
        "Core values that strengthen attachment to the local area: safety, identity and "
        "belonging. Knowing people, close and casual, builds trust and reciprocity and lays the "
        "foundation for social robustness.",
    ),
    CoreElement(
        "everyday_life", "Bærekraft i hverdagen", "Sustainability in everyday life",
        "Handler om tilgjengelige og godt vedlikeholdte fasiliteter og tjenester som gjør folks "
        "liv lettere, og fungerer som arenaer for sosial interaksjon (skole, lege, matbutikk, "
        "kafé, parker og naturområder). Slitt og forlatt bygd miljø og fjernede tjenester kan gi "
        "en følelse av å være glemt og oversett.",
        "Accessible, well-maintained facilities and services that make life easier and serve "
        "as arenas for social interaction (school, doctor, grocery, café, parks, nature). A "
        "worn, abandoned built environment and withdrawn services make people feel forgotten.",
    ),
    CoreElement(
        "political_processes", "Bærekraft i politiske prosesser",
        "Sustainability in political processes",
        "Handler om at sosial bærekraft skapes i skjæringspunktet mellom flere aktører, og om "
        "mekanismer som kobler lokalsamfunnet sammen med resten av kommunen – samarbeid mellom "
        "innbyggere, kommunen, utbyggere og næringsliv.",
        "Social sustainability arises where many actors meet; it needs mechanisms that connect "
        "the community with the rest of the municipality, and cooperation between residents, "
        "the municipality, developers and business.",
    ),
)

FRAME_CONDITIONS: tuple[FrameCondition, ...] = (
    FrameCondition(
        "fairness", "Rettferdighet", "Justice",
        "Sosial rettferdighet må inn som et bærende prinsipp i samfunnsplanleggingen fra start, "
        "slik at en eksisterende skjevfordeling av goder og byrder ikke forsterkes; noen områder "
        "trenger særskilt innsats, og styringen må bli mer inkluderende.",
        "Social justice as a guiding principle of planning from the start, so that an unequal "
        "distribution of goods and burdens is not reinforced; some areas need particular effort, "
        "and governance must become more inclusive.",
    ),
    FrameCondition(
        "capacity_building", "Kapasitetsbygging", "Capacity building",
        "Utviklingsprosjekter skal involvere lokalsamfunnets egne ressurser, og kommunen må "
        "utvikle sin kapasitet til å trekke inn innbyggere i stedsutviklingsprosesser.",
        "Development projects draw on the community's own resources, and the municipality builds "
        "its capacity to involve residents in place development.",
    ),
    FrameCondition(
        "role_allocation", "Rollefordeling", "Division of roles",
        "Hvem har ansvar for hva – innbyggerne, kommunen eller en privat utbygger? Tydelig "
        "definerte og fordelte ansvarsområder og roller sikrer at lokalsamfunnet utvikles og "
        "ivaretas.",
        "Who is responsible for what – residents, the municipality or a private developer? "
        "Clearly defined and allocated roles ensure the community is developed and cared for.",
    ),
    FrameCondition(
        "co_creation", "Samskaping", "Co-creation",
        "Nye arbeidsmetoder som skaper tillit og gir rom for nye ideer; samskaping åpner politiske "
        "styringsprosesser for flere aktører, fordeler makt og ansvar og utløser ressurser.",
        "New working methods that build trust and make room for new ideas; co-creation opens "
        "political governance to more actors, shares power and responsibility and releases "
        "resources.",
    ),
)


def _link(theme: str, dim: str, dim_j: bool, dim_why: str, core: str, core_j: bool,
          core_why: str) -> ThemeLink:
    return ThemeLink(theme, dim, dim_j, dim_why, core, core_j, core_why)


#: Theme → dimension and core element, with rationale and a judgement flag (official order).
THEME_LINKS: dict[str, ThemeLink] = {link.theme: link for link in (
    _link("moving_around",
          "physical_infrastructure_transport", False,
          "The guide lists «sykkelruter, gå-vennlige områder» under fysisk infrastruktur og "
          "transport.",
          "everyday_life", True,
          "Walking and cycling routes give the «lett tilgang» to everyday places that the guide "
          "puts under bærekraft i hverdagen; the guide names destinations, not routes."),
    _link("public_transport",
          "physical_infrastructure_transport", False,
          "«Kollektivtransport» is the first item of fysisk infrastruktur og transport.",
          "everyday_life", True,
          "Public transport is how many reach school, doctor and shops (bærekraft i hverdagen); "
          "the guide does not name transport there."),
    _link("traffic_parking",
          "physical_infrastructure_transport", True,
          "Traffic and parking arrangements are transport infrastructure («bildeling» is "
          "listed); their noise and pollution also touch nærmiljøkvalitet.",
          "everyday_life", True,
          "Safe movement in daily life is part of the accessible everyday environment."),
    _link("streets_spaces",
          "public_spaces", False,
          "Buildings, streets and public spaces: «Offentlige rom: åpne plasser…».",
          "everyday_life", False,
          "The guide: «Et nabolags fysiske kvaliteter påvirker muligheten for sosiale "
          "interaksjoner» (bærekraft i hverdagen)."),
    _link("natural_space",
          "public_spaces", False,
          "«Offentlige rom: åpne plasser, parker og friluftsområder».",
          "everyday_life", False,
          "The guide names «parker og naturområder» among everyday places with easy access."),
    _link("play_recreation",
          "public_spaces", True,
          "Play and recreation take place in parks, open spaces and outdoor areas (offentlige "
          "rom); dedicated facilities could also count as sosial infrastruktur.",
          "everyday_life", True,
          "Places for play are everyday arenas for social interaction, like the guide's parks."),
    _link("facilities_services",
          "social_infrastructure", False,
          "«Sosial infrastruktur: bolig, nærmiljøsentra, skoler, barnehager, … restauranter, "
          "bibliotek».",
          "everyday_life", False,
          "«Tilgjengelige og godt vedlikeholdte fasiliteter og tjenester» is the definition of "
          "bærekraft i hverdagen."),
    _link("work_economy",
          "social_infrastructure", False,
          "«Arbeidsplasser» are listed under sosial infrastruktur.",
          "everyday_life", True,
          "Access to work shapes daily life; the guide lists no workplaces under any element."),
    _link("housing_community",
          "social_infrastructure", False,
          "«Bolig» is the first item of sosial infrastruktur.",
          "everyday_life", True,
          "Homes that meet the community's needs are a basic everyday good; the theme's "
          "community side also touches bærekraft i nabolaget."),
    _link("social_interaction",
          "social_networks", False,
          "«Sosiale nettverk, som bidrar til relasjoner mellom innbyggerne».",
          "neighbourhood", True,
          "«Å kjenne noen – både nære relasjoner og bekjentskaper» (nabolaget); the guide also "
          "calls everyday places «arenaer for sosial interaksjon»."),
    _link("identity_belonging",
          "pride_belonging", False,
          "«Stolthet og stedstilhørighet, som bidrar til normer, identitet og «en rett til å høre "
          "til»».",
          "neighbourhood", False,
          "Bærekraft i nabolaget: «trygghet, identitet og tilhørighet»."),
    _link("feeling_safe",
          "safety_security", False,
          "«Trygghet og sikkerhet».",
          "neighbourhood", False,
          "Bærekraft i nabolaget: «trygghet, identitet og tilhørighet»."),
    _link("care_maintenance",
          "environmental_quality", True,
          "Upkeep is part of the quality of the local environment (nærmiljøkvalitet); the guide "
          "notes that poor maintenance also lowers the feeling of safety.",
          "everyday_life", False,
          "«Godt vedlikeholdte fasiliteter»; a worn, abandoned built environment weakens social "
          "sustainability (bærekraft i hverdagen)."),
    _link("influence_control",
          "political_participation", False,
          "«Politisk deltakelse: politiske valg og politiske prosesser».",
          "political_processes", False,
          "Bærekraft i politiske prosesser: mechanisms that connect the community with the rest "
          "of the municipality."),
)}

_GOALS = {g.code: g for g in GOALS}
_DIMENSIONS = {d.code: d for d in DIMENSIONS}
_CORE = {c.code: c for c in CORE_ELEMENTS}
_FRAME = {f.code: f for f in FRAME_CONDITIONS}

#: Dimension codes in the guide's order.
DIMENSION_CODES: tuple[str, ...] = tuple(_DIMENSIONS)


def _lookup(kind: str, table: dict, key: str):
    found = table.get(str(key).strip().casefold().replace(" ", "_"))
    if found is None:
        for item in table.values():
            if str(key).strip().casefold() in (item.name_nb.casefold(), item.name_en.casefold()):
                return item
        raise SoslokalError(
            f"Unknown {kind} {key!r}. Fix: use one of {', '.join(table)}."
        )
    return found


def get_goal(key: str) -> Goal:
    """A goal by code ("justice", "robustness") or nb/en name."""
    return _lookup("goal", _GOALS, key)


def get_dimension(key: str) -> Dimension:
    """A dimension by code or nb/en name."""
    return _lookup("dimension", _DIMENSIONS, key)


def get_core_element(key: str) -> CoreElement:
    """A core element by code or nb/en name."""
    return _lookup("core element", _CORE, key)


def get_frame_condition(key: str) -> FrameCondition:
    """A frame condition by code or nb/en name."""
    return _lookup("frame condition", _FRAME, key)


def dimensions_of_goal(goal: str) -> tuple[Dimension, ...]:
    """The dimensions of ``goal`` in the guide's order."""
    code = get_goal(goal).code
    return tuple(d for d in DIMENSIONS if d.goal == code)


def theme_link(theme: str | int) -> ThemeLink:
    """The framework link of a theme (code, number or name, as :func:`themes.get_theme`)."""
    return THEME_LINKS[get_theme(theme).code]


def dimension_of(theme: str | int) -> str:
    """Dimension code of a Stedskompasset theme (see :data:`THEME_LINKS` for the rationale)."""
    return theme_link(theme).dimension


def core_element_of(theme: str | int) -> str:
    """Core element code of a Stedskompasset theme (see :data:`THEME_LINKS`)."""
    return theme_link(theme).core_element


def goal_of(theme: str | int) -> str:
    """Goal code ("justice" or "robustness") of a theme, through its dimension."""
    return _DIMENSIONS[dimension_of(theme)].goal


def themes_of_dimension(dimension: str) -> tuple[str, ...]:
    """Theme codes linked to ``dimension``, in official order (may be empty)."""
    code = get_dimension(dimension).code
    return tuple(t for t in THEME_CODES if THEME_LINKS[t].dimension == code)


def theme_table(lang: str = "nb"):
    """One row per theme: names of its dimension, goal and core element, flags and rationale."""
    import pandas as pd

    from soslokal_lib.themes import theme_labels

    labels = theme_labels(lang)
    rows = []
    for code in THEME_CODES:
        link = THEME_LINKS[code]
        dim = _DIMENSIONS[link.dimension]
        rows.append({
            "theme": code,
            "theme_name": labels[code],
            "dimension": dim.code,
            "dimension_name": dim.name(lang),
            "goal": dim.goal,
            "goal_name": _GOALS[dim.goal].name(lang),
            "core_element": link.core_element,
            "core_element_name": _CORE[link.core_element].name(lang),
            "dimension_judgement": link.dimension_judgement,
            "dimension_rationale": link.dimension_rationale,
            "core_element_judgement": link.core_element_judgement,
            "core_element_rationale": link.core_element_rationale,
        })
    return pd.DataFrame(rows).set_index("theme")


_KIND_NAMES = {
    "nb": {"goal": "Mål", "dimension": "Dimensjon", "core_element": "Kjerneelement",
           "frame_condition": "Rammebetingelse"},
    "en": {"goal": "Goal", "dimension": "Dimension", "core_element": "Core element",
           "frame_condition": "Frame condition"},
}


def framework_table(lang: str = "nb"):
    """The whole framework as one table, for readers: goals, dimensions, core elements, frame
    conditions.

    One row per item in the guide's order, indexed by ``code``: ``kind`` (``goal``,
    ``dimension``, ``core_element``, ``frame_condition``), ``kind_name``, ``name``, ``goal``
    (the goal's name, for dimensions), ``description`` and ``themes`` (names of the
    Stedskompasset themes linked to a dimension or core element, "" if none).
    """
    import pandas as pd

    from soslokal_lib.themes import theme_labels

    lang = lang_key(lang)
    labels = theme_labels(lang)
    kinds = _KIND_NAMES[lang]

    def themes(attr: str, code: str) -> str:
        return ", ".join(labels[t] for t in THEME_CODES
                         if getattr(THEME_LINKS[t], attr) == code)

    rows = []
    for g in GOALS:
        rows.append(("goal", g, "", ""))
    for d in DIMENSIONS:
        rows.append(("dimension", d, _GOALS[d.goal].name(lang), themes("dimension", d.code)))
    for e in CORE_ELEMENTS:
        rows.append(("core_element", e, "", themes("core_element", e.code)))
    for f in FRAME_CONDITIONS:
        rows.append(("frame_condition", f, "", ""))
    return pd.DataFrame(
        [{"code": item.code, "kind": kind, "kind_name": kinds[kind], "name": item.name(lang),
          "goal": goal,
          "description": item.description_nb if lang == "nb" else item.description_en,
          "themes": linked} for kind, item, goal, linked in rows]
    ).set_index("code")
