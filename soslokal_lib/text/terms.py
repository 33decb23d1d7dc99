"""Term statistics of scrubbed comments: stop words, word and phrase counts, contrasts, themes.

:func:`term_frequencies`, :func:`contrast_terms` (log-odds with an informative Dirichlet prior,
Monroe, Colaresi & Quinn 2008) and :func:`assign_themes` analyse scrubbed text. Word counts
follow two privacy rules (see :func:`term_frequencies`): an area is shown only if it has at
least ``min_n`` respondents and is not suppressed (else it is pooled with the other suppressed
areas in :data:`POOLED_AREAS`), and a term is shown only if at least ``min_n`` different
respondents use it (k-anonymity for words). Which areas are hidden is decided by
:mod:`soslokal_lib.privacy` alone.

Word lists live in ``soslokal_lib/data``: ``stopwords_nb_nn.txt`` (Snowball list + hand-made
additions) and ``theme_keywords.toml`` (the default theme dictionary).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from soslokal_lib.errors import ConfigError, SoslokalError
from soslokal_lib.privacy import check_min_n, suppression_codes
from soslokal_lib.text.scrubbing import NAME_TAG, TAGS, _data_text, mask_names_series, scrub_series
from soslokal_lib.themes import THEME_CODES, get_theme

_TOKEN = re.compile(r"[0-9a-zæøåéèêóòôüäöáàç]+(?:[-'][0-9a-zæøåéèêóòôüäöáàç]+)*")
_TAG_RE = re.compile("|".join(re.escape(t) for t in (*TAGS.values(), NAME_TAG)))


@cache
def stopwords() -> frozenset[str]:
    """The shipped bokmål + nynorsk stop words (``soslokal_lib/data/stopwords_nb_nn.txt``)."""
    lines = _data_text("stopwords_nb_nn.txt").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def tokenize(text: str, *, drop_stopwords: bool = True) -> list[str]:
    """Lower-case word tokens of one text; scrub tags, numbers-only tokens and stop words go."""
    if not isinstance(text, str):
        return []
    words = _TOKEN.findall(_TAG_RE.sub(" ", text).lower())
    stop = stopwords() if drop_stopwords else frozenset()
    return [w for w in words if len(w) > 1 and not w.isdigit() and w not in stop]


def _ngram_table(text: pd.Series, ngram: tuple[int, int], extra_stop: Iterable[str] = ()
                 ) -> pd.DataFrame:
    """Long table ``doc`` (position in ``text``), ``term``, ``ngram`` — vectorised."""
    lo, hi = ngram
    if not (1 <= lo <= hi <= 2):
        raise SoslokalError(f"ngram={ngram!r} is not supported. Fix: use (1, 1), (1, 2) or (2, 2).")
    stop = stopwords() | {w.lower() for w in extra_stop}
    clean = text.reset_index(drop=True).str.replace(_TAG_RE, " ", regex=True).str.lower()
    tokens = clean.str.findall(_TOKEN).explode().dropna()
    tok = pd.DataFrame({"doc": tokens.index.to_numpy(), "token": tokens.to_numpy(dtype=object)})
    keep = ~(tok["token"].isin(stop) | tok["token"].str.isdigit() | (tok["token"].str.len() < 2))
    parts = []
    if lo == 1:
        parts.append(tok.loc[keep, ["doc"]].assign(term=tok.loc[keep, "token"], ngram=1))
    if hi == 2:
        nxt_keep = keep.shift(-1, fill_value=False)
        same = tok["doc"].shift(-1) == tok["doc"]
        pair = keep & nxt_keep & same
        bigram = tok["token"] + " " + tok["token"].shift(-1).fillna("")
        parts.append(pd.DataFrame({"doc": tok.loc[pair, "doc"], "term": bigram[pair], "ngram": 2}))
    out = pd.concat(parts, ignore_index=True)
    out["term"] = out["term"].astype("string")
    return out


def _check_comments(comments: pd.DataFrame, needed: Sequence[str]) -> None:
    if not isinstance(comments, pd.DataFrame):
        raise SoslokalError(
            f"comments must be a DataFrame (Survey.comments), not {type(comments).__name__}.")
    missing = [c for c in needed if c not in comments.columns]
    if missing:
        raise SoslokalError(
            f"The comments table lacks column(s) {missing}. Fix: pass survey.comments (columns "
            "respondent_id, theme, kind, text); for area_id also pass responses=survey.responses.")


def _with_area(comments: pd.DataFrame, responses: pd.DataFrame | None) -> pd.DataFrame:
    """``comments`` with an ``area_id`` column taken from ``responses`` (respondent → area)."""
    if responses is None:
        if "area_id" in comments.columns:
            return comments
        _check_comments(comments, ["area_id"])
    _check_comments(comments, ["respondent_id"])
    area = _respondent_areas(responses)
    ids = comments["respondent_id"].astype("string")
    return comments.assign(area_id=ids.map(area).astype("string"))


def _respondent_areas(responses: pd.DataFrame) -> pd.Series:
    if not isinstance(responses, pd.DataFrame):
        raise SoslokalError("responses must be a DataFrame (Survey.responses).")
    frame = responses
    if "respondent_id" in frame.columns and frame.index.name != "respondent_id":
        frame = frame.set_index("respondent_id")
    if "area_id" not in frame.columns:
        raise SoslokalError(
            "responses has no 'area_id' column. Fix: pass survey.responses (index respondent_id, "
            "column area_id).")
    area = frame["area_id"].astype("string")
    area.index = frame.index.astype("string")
    return area[~area.index.duplicated()]


#: Group label of the pooled suppressed areas in :func:`term_frequencies` by area.
POOLED_AREAS = "(andre områder)"
#: Internal key of respondents with no known area (never a real area id).
_UNKNOWN_AREA = "\x00(uten område)"
#: Internal respondent key of comments without a respondent id (all count as one person).
_NO_ID = "\x00(uten id)"


def _respondent_counts(frame: pd.DataFrame, responses: pd.DataFrame | None) -> pd.Series:
    """Respondents per area (index area id; respondents with no known area under
    ``_UNKNOWN_AREA``), counted in ``responses`` when given, else among the commenters."""
    ids = frame["respondent_id"].astype("string")
    if responses is not None:
        area = _respondent_areas(responses)
        known = ids.dropna()
        unknown = (int(area.isna().sum()) + int(known[~known.isin(area.index)].nunique())
                   + int(ids.isna().any()))  # comments without an id: one more person
        counts = area.dropna().value_counts()
    else:
        area = frame["area_id"].astype("string")
        people = pd.DataFrame({"area": area, "id": ids.fillna(_NO_ID)}).drop_duplicates()
        unknown = int(people["area"].isna().sum())
        counts = people["area"].dropna().value_counts()
    if unknown:
        counts = pd.concat([counts, pd.Series({_UNKNOWN_AREA: unknown})])
    return counts.rename("respondents").astype(np.int64)


def _area_codes(counts: pd.Series, min_n: int) -> pd.Series:
    """Suppression code per area (0 shown, 1 primary, 2 secondary; index: area id, sorted),
    from :func:`soslokal_lib.privacy.suppression_codes` against the areas' total. By its rule 1
    the hidden areas are none, or at least two holding at least ``min_n`` respondents together
    (all of them when the total itself has fewer), so the pooled rest (a total minus the shown
    areas) never describes fewer than ``min_n`` people."""
    counts = counts.sort_index()
    n = np.append(counts.to_numpy(dtype=np.int64), int(counts.sum()))
    is_total = np.zeros(len(n), dtype=bool)
    is_total[-1] = True
    codes = suppression_codes(n, np.zeros(len(n), dtype=np.int64), is_total, min_n)[:-1]
    return pd.Series(codes, index=counts.index, name="suppression_code")


def _hidden_areas(counts: pd.Series, min_n: int) -> frozenset[str]:
    """Areas whose words are never shown on their own: those :func:`_area_codes` hides."""
    codes = _area_codes(counts, min_n)
    return frozenset(codes.index[codes.to_numpy() > 0])


def _respondent_keys(frame: pd.DataFrame) -> pd.Series:
    """Respondent id per comment (missing ids count as one respondent, the safe side)."""
    return frame["respondent_id"].astype("string").fillna(_NO_ID)


def term_frequencies(
    comments: pd.DataFrame,
    by: str | Sequence[str] = ("theme", "kind"),
    ngram: tuple[int, int] = (1, 2),
    min_count: int = 2,
    *,
    responses: pd.DataFrame | None = None,
    extra_stopwords: Iterable[str] = (),
    min_n: int = 5,
) -> pd.DataFrame:
    """Keyword and two-word phrase frequencies per group, from scrubbed text.

    ``by``: any of ``theme``, ``kind``, ``area_id`` (the latter from ``responses``, or from an
    ``area_id`` column of ``comments``); a missing group value (e.g. the theme of a general
    comment) becomes ``"(uten)"``.
    Returns ``*by, term, ngram, count`` (occurrences), ``comments`` (comments that use the term),
    ``n_comments`` (comments in the group) and ``share`` (= comments / n_comments), terms used
    in at least ``min_count`` comments, most frequent first within each group.

    Privacy (``min_n``): a term is shown in a group only if at least ``min_n`` different
    respondents (``respondent_id``) use it there, so a word only one or two people wrote never
    appears (k-anonymity for words). By area, an area with fewer than ``min_n`` respondents,
    an area suppressed alongside it (``privacy.suppression_codes``: a total would reveal it)
    and respondents with no known area are pooled in one group :data:`POOLED_AREAS`; while
    the pool holds fewer than ``min_n`` respondents the smallest other areas join it. Areas
    are counted in ``responses`` when given, else among the commenters.
    """
    by_cols = [by] if isinstance(by, str) else list(by)
    check_min_n(min_n)
    _check_comments(comments, ["text"])
    if min_n > 1:
        _check_comments(comments, ["respondent_id"])
    by_area = "area_id" in by_cols
    frame = _with_area(comments, responses) if by_area else comments
    _check_comments(frame, by_cols)
    frame = frame.reset_index(drop=True)
    if by_area:
        hidden = _hidden_areas(_respondent_counts(frame, responses), min_n)
        area = frame["area_id"].astype("string")
        pooled = area.isin(hidden).fillna(False) | (area.isna() & (_UNKNOWN_AREA in hidden))
        frame = frame.assign(area_id=area.mask(pooled, POOLED_AREAS))
    text = mask_names_series(scrub_series(frame["text"])[0])  # no names among the words
    groups = frame[by_cols].astype("string").fillna("(uten)")
    people = (_respondent_keys(frame) if "respondent_id" in frame.columns
              else pd.Series(np.arange(len(frame)).astype(str), dtype="string"))
    docs = _ngram_table(text, ngram, extra_stopwords)
    doc = docs["doc"].to_numpy()
    docs = pd.concat([groups.iloc[doc].reset_index(drop=True), docs,
                      pd.DataFrame({"_who": people.iloc[doc].to_numpy()})], axis=1)
    stats = (docs.groupby([*by_cols, "term", "ngram"], observed=True, sort=False)
             .agg(count=("doc", "size"), comments=("doc", "nunique"),
                  _who=("_who", "nunique")).reset_index())
    has_text = text.str.strip().str.len().fillna(0).to_numpy() > 0
    n_group = groups[has_text].value_counts().rename("n_comments").reset_index()
    stats = stats.merge(n_group, on=by_cols, how="left")
    stats["share"] = stats["comments"] / stats["n_comments"]
    stats = stats[(stats["comments"] >= min_count) & (stats["_who"] >= min_n)]
    return stats.drop(columns="_who").sort_values(
        [*by_cols, "comments", "count", "term"],
        ascending=[True] * len(by_cols) + [False, False, True], ignore_index=True)


def contrast_terms(
    comments: pd.DataFrame,
    area_a: str | Sequence[str],
    area_b: str | Sequence[str] = "rest",
    *,
    responses: pd.DataFrame | None = None,
    ngram: tuple[int, int] = (1, 1),
    alpha0: float | None = None,
    min_count: int = 3,
    min_n: int = 5,
    theme: str | None = None,
    kind: str | None = None,
) -> pd.DataFrame:
    """Words that set area(s) ``area_a`` apart from ``area_b`` (default: all other comments).

    Log-odds ratio with an informative Dirichlet prior, Monroe, Colaresi & Quinn (2008),
    "Fightin' Words", *Political Analysis* 16(4): 372–403, eq. 22–24: with counts ``y`` and
    totals ``n`` per group and prior ``alpha_w = alpha0 * p_w`` from the two groups together
    (background frequencies ``p_w``),
    ``delta_w = log((y_aw + a_w) / (n_a + a0 - y_aw - a_w)) - log((y_bw + a_w) / (n_b + a0 -
    y_bw - a_w))``, ``var ≈ 1/(y_aw + a_w) + 1/(y_bw + a_w)``, ``z = delta / sqrt(var)``.
    ``alpha0`` defaults to the size of the two groups, i.e. ``alpha_w`` = the term's count.

    Returns ``term, ngram, count_a, count_b, log_odds, se, z`` sorted by ``z`` (high = typical of
    ``area_a``), terms seen at least ``min_count`` times in the two groups together and used by
    at least ``min_n`` different respondents there (k-anonymity for words). ``"rest"`` is every
    comment not in ``area_a``, also those with no known area.

    Privacy: raises if a group has fewer than ``min_n`` respondents, or holds some but not all
    of the areas whose words are hidden (an area below ``min_n``, an area suppressed alongside
    it, see :func:`term_frequencies`): their words could otherwise be had by subtraction.
    """
    check_min_n(min_n)
    frame = _with_area(comments, responses)
    _check_comments(frame, ["text", "area_id", "respondent_id"])
    counts = _respondent_counts(frame.reset_index(drop=True), responses)
    hidden = _hidden_areas(counts, min_n)
    frame = _filter(frame, theme, kind).reset_index(drop=True)
    a = [area_a] if isinstance(area_a, str) else [str(x) for x in area_a]
    in_a = frame["area_id"].isin(a).fillna(False).to_numpy(dtype=bool)
    b: list[str] | None = None
    if isinstance(area_b, str) and area_b == "rest":
        in_b = ~in_a
        n_b = int(counts[~counts.index.isin(a)].sum())
    else:
        b = [area_b] if isinstance(area_b, str) else [str(x) for x in area_b]
        in_b = frame["area_id"].isin(b).fillna(False).to_numpy(dtype=bool) & ~in_a
        n_b = int(counts.reindex([x for x in b if x not in a]).fillna(0).sum())
    _check_group(a, int(counts.reindex(a).fillna(0).sum()), hidden, min_n)
    _check_group(b, n_b, hidden, min_n, exclude=a)
    text = mask_names_series(scrub_series(frame["text"])[0])  # no names among the words
    terms = _ngram_table(text, ngram)
    doc = terms["doc"].to_numpy()
    both = in_a | in_b
    terms = terms[both[doc]]
    doc = terms["doc"].to_numpy()
    background = terms["term"].value_counts()
    ya = terms.loc[in_a[doc], "term"].value_counts()
    yb = terms.loc[in_b[doc], "term"].value_counts()
    vocab = background.index
    ya, yb = ya.reindex(vocab, fill_value=0), yb.reindex(vocab, fill_value=0)
    users = (pd.DataFrame({"term": terms["term"].to_numpy(),
                           "who": _respondent_keys(frame).to_numpy()[doc]})
             .drop_duplicates()["term"].value_counts().reindex(vocab, fill_value=0))
    a0 = float(background.sum()) if alpha0 is None else float(alpha0)
    if a0 <= 0:
        raise SoslokalError(f"alpha0 must be positive, not {alpha0!r}.")
    alpha = a0 * background / background.sum()
    na, nb = ya.sum(), yb.sum()
    delta = (np.log((ya + alpha) / (na + a0 - ya - alpha))
             - np.log((yb + alpha) / (nb + a0 - yb - alpha)))
    se = np.sqrt(1.0 / (ya + alpha) + 1.0 / (yb + alpha))
    ngrams = terms.drop_duplicates("term").set_index("term")["ngram"].reindex(vocab)
    out = pd.DataFrame({"term": vocab.astype("string"), "ngram": ngrams.to_numpy(),
                        "count_a": ya.to_numpy(), "count_b": yb.to_numpy(),
                        "log_odds": delta.to_numpy(), "se": se.to_numpy(),
                        "z": (delta / se).to_numpy()})
    keep = ((out["count_a"] + out["count_b"]) >= min_count) & (users.to_numpy() >= min_n)
    return out[keep].sort_values(["z", "term"], ascending=[False, True], ignore_index=True)


def _check_group(areas: list[str] | None, n: int, hidden: frozenset[str], min_n: int,
                 exclude: Sequence[str] = ()) -> None:
    """Raise if a group (``areas``, or every comment not in ``exclude``) has fewer than
    ``min_n`` respondents, or holds some but not all hidden areas."""
    what = f"Area(s) {areas}" if areas is not None else f"The areas other than {list(exclude)}"
    if n < min_n:
        raise SoslokalError(
            f"{what} have {n} respondents, fewer than min_n={min_n}: their words are not shown. "
            "Fix: join the area with its neighbours or compare a larger group.")
    inside = hidden & set(areas if areas is not None else hidden - set(exclude))
    if inside and inside != hidden:
        named = sorted(h for h in hidden if h != _UNKNOWN_AREA)
        fix = ("compare other areas, or use area_b='rest'" if _UNKNOWN_AREA in hidden else
               f"compare other areas, use area_b='rest', or take all of {named} together")
        raise SoslokalError(
            f"{what} include area(s) {sorted(inside)} whose words are hidden (too few "
            f"respondents, or suppressed so that a small area cannot be found by subtraction). "
            f"Fix: {fix}.")


def _filter(frame: pd.DataFrame, theme: str | None, kind: str | None) -> pd.DataFrame:
    if theme is not None:
        frame = frame[frame["theme"] == get_theme(theme).code]
    if kind is not None:
        if kind not in ("good", "improve", "other"):
            raise SoslokalError(f"kind {kind!r} is not one of 'good', 'improve', 'other'.")
        frame = frame[frame["kind"] == kind]
    return frame


@cache
def _default_keywords() -> dict[str, tuple[str, ...]]:
    return _parse_keywords(tomllib.loads(_data_text("theme_keywords.toml")), "theme_keywords.toml")


def _parse_keywords(raw: Mapping[str, object], source: object) -> dict[str, tuple[str, ...]]:
    table = raw.get("keywords", raw)
    if not isinstance(table, Mapping):
        raise ConfigError(f"{source}: [keywords] must be a table of theme = [words].")
    result: dict[str, tuple[str, ...]] = {}
    for key, words in table.items():
        try:
            code = get_theme(key).code
        except SoslokalError as exc:
            raise ConfigError(f"{source}: key {key!r}: {exc}") from None
        if isinstance(words, str) or not isinstance(words, (list, tuple)) or not all(
                isinstance(w, str) and w.strip(" *") for w in words):
            raise ConfigError(
                f"{source}: {key!r} must be a list of words, e.g. {key} = [\"buss*\", \"tog\"].")
        result[code] = tuple(w.strip().lower() for w in words)
    return result


def load_keywords(path: str | Path, *, extend: bool = True) -> dict[str, tuple[str, ...]]:
    """Read a keyword dictionary from TOML (same shape as the default, see
    ``soslokal_lib/data/theme_keywords.toml``); with ``extend`` it is added to the default.

    ::

        [keywords]
        public_transport = ["ferje*", "hurtigbåt*"]
        "Trygghet" = ["nattravn*"]
    """
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found. Fix: check the path.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}).") from None
    own = _parse_keywords(raw, path)
    if not extend:
        return own
    merged = dict(_default_keywords())
    for code, words in own.items():
        merged[code] = tuple(dict.fromkeys(merged.get(code, ()) + words))
    return merged


def _keyword_pattern(words: Iterable[str]) -> str:
    parts = []
    for word in words:
        pieces = [re.escape(p).replace(r"\*", r"\w*") for p in word.split()]
        parts.append(r"\s+".join(pieces))
    return r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])"


def assign_themes(
    comments: pd.DataFrame,
    keywords: Mapping[str, Sequence[str]] | None = None,
    *,
    all_rows: bool = False,
) -> pd.DataFrame:
    """Assign general comments to themes by keyword hits; returns a copy with two new columns.

    ``assigned_theme``: for a general comment (kind ``other``, or no valid theme) the theme with
    most keyword hits (ties: official order; NA if none); for other rows their own theme unless
    ``all_rows``. ``matched_themes``: every theme with a hit, most hits first, ``;``-separated.
    ``keywords``: theme → words (see ``theme_keywords.toml`` for the syntax); default the
    shipped dictionary, extend it with :func:`load_keywords`.
    """
    _check_comments(comments, ["text"])
    table = _default_keywords() if keywords is None else _parse_keywords(dict(keywords), "keywords")
    text, _ = scrub_series(comments["text"])
    lower = text.str.lower()
    codes = [c for c in THEME_CODES if table.get(c)]
    hits = pd.DataFrame({c: lower.str.count(_keyword_pattern(table[c])).fillna(0).astype(int)
                         for c in codes}, index=comments.index)
    if not codes:
        raise SoslokalError("The keyword dictionary is empty. Fix: give words for some theme.")
    best = hits.idxmax(axis=1).where(hits.max(axis=1) > 0).astype("string")
    ranked = hits.where(hits > 0).stack().dropna().rename("hits").reset_index()
    ranked.columns = ["row", "code", "hits"]
    ranked["order"] = ranked["code"].map({c: i for i, c in enumerate(THEME_CODES)})
    ranked = ranked.sort_values(["row", "hits", "order"], ascending=[True, False, True])
    matched = ranked.groupby("row", sort=False)["code"].agg(";".join)
    if all_rows or "theme" not in comments.columns:
        general = pd.Series(True, index=comments.index)
    else:
        theme = comments["theme"].astype("string")
        general = theme.isna() | ~theme.isin(THEME_CODES)
        if "kind" in comments.columns:
            general |= (comments["kind"] == "other").fillna(False)
    own = comments["theme"].astype("string") if "theme" in comments.columns else best
    out = comments.copy()
    out["assigned_theme"] = best.where(general, own).astype("string")
    out["matched_themes"] = matched.reindex(comments.index).astype("string")
    return out


# --------------------------------------------------------------------------------------------
# 3. Quotes, counts and export (privacy: min_n per area, no respondent ids)
