"""Number formatting and the language of texts: one formatter, one language normaliser.

Numbers for figures, tables and sentences: «485 900», «12,5», «−0,3» in bokmål; «485,900»,
«12.5», «-0.3» in English (:func:`format_number`, :func:`format_percent`,
:func:`format_significant`). Bokmål uses a decimal comma, a narrow no-break (thin) space between
thousands and a real minus sign. No matplotlib here.

Every function taking ``lang`` reads it with :func:`lang_key`: ``"nb"``, ``"nob"``, ``"no"``,
``"nor"``, ``"nn"``, ``"nno"`` give bokmål (there are no nynorsk texts), ``"en"``, ``"eng"``
English, in any case and with a region (``"nb-NO"``, ``"en_GB"``); anything else is a
:class:`ValueError` naming the accepted values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

THIN_SPACE = "\u202f"  # narrow no-break space: a thin space that never breaks a number
MINUS = "\u2212"

#: Accepted language codes (ISO 639-1 and 639-2) → the language of the texts.
LANGUAGES: dict[str, str] = {"nb": "nb", "nob": "nb", "no": "nb", "nor": "nb", "nn": "nb",
                             "nno": "nb", "en": "en", "eng": "en"}


def lang_key(lang: object) -> str:
    """``"nb"`` (bokmål) or ``"en"`` (English) for an accepted language code (see
    :data:`LANGUAGES`; case and a region such as ``"-NO"`` or ``"_GB"`` are ignored); raises
    :class:`ValueError` naming the accepted values otherwise."""
    if isinstance(lang, str):
        key = LANGUAGES.get(lang)
        if key is not None:
            return key
        key = LANGUAGES.get(lang.strip().lower().replace("_", "-").split("-")[0])
        if key is not None:
            return key
    raise ValueError(
        f"Unknown language {lang!r}. Fix: use lang='nb' (bokmål; also 'nob', 'no', 'nor', 'nn', "
        "'nno') or lang='en' (English; also 'eng')."
    )


def format_number(value: float | None, lang: str = "nb", decimals: int = 0, *,
                  whole: bool = False) -> str:
    """``485900`` → ``"485 900"`` (nb, thin space) or ``"485,900"`` (en); ``""`` for missing.

    ``decimals`` after the decimal comma (point); ``whole=True`` writes whole numbers without
    them («4», «4,5»). No «−0»: a value that rounds to zero has no sign."""
    if value is None or not np.isfinite(value):
        return ""
    if whole and float(value).is_integer():
        decimals = 0
    text = f"{float(value):,.{decimals}f}"
    if text.lstrip("-").strip("0,.") == "":
        text = text.lstrip("-")  # no «−0»
    return localise(text, lang)


def format_percent(share: float | None, lang: str = "nb", decimals: int = 0, *,
                   whole: bool = False) -> str:
    """A share (``0.385``) as a percentage: «38,5 %» (nb) or «38.5%» (en);
    ``""`` for missing. ``decimals`` and ``whole`` as in :func:`format_number`."""
    text = format_number(None if share is None else 100 * share, lang, decimals, whole=whole)
    if not text:
        return ""
    return text + (" %" if lang_key(lang) == "nb" else "%")


def format_significant(value: float | None, lang: str = "nb", digits: int = 3,
                       smallest: int = 6) -> str:
    """``value`` with ``digits`` significant digits, no trailing zeros and never an exponent:
    ``0.001234`` → «0,00123», ``12345.6`` → «12 300», ``2.50`` → «2,5»; a value nearer 0 than ``10**-smallest`` reads
    «under 0,000001» (nb) / «below 0.000001» (en); ``""`` for missing."""
    if value is None or not np.isfinite(value):
        return ""
    value = float(value)
    if value == 0:
        return "0"
    if abs(value) < 10.0 ** -smallest:
        limit = format_number(10.0 ** -smallest, lang, smallest)
        nb = lang_key(lang) == "nb"
        word = ("under " if nb else "below ") if value > 0 else ("over −" if nb else "above -")
        return word + limit
    exponent = int(np.floor(np.log10(abs(value))))
    decimals = max(0, digits - 1 - exponent)
    text = f"{round(value, digits - 1 - exponent):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")  # like "g": no trailing zeros
    return localise(text, lang)


def localise(text: str, lang: str) -> str:
    """A number Python formatted (``"-1,234.5"``) in bokmål (``"−1 234,5"``: thin-space
    thousands, decimal comma, real minus) when ``lang`` is bokmål (:func:`lang_key`); unchanged
    in English."""
    if lang_key(lang) == "nb":
        text = text.replace(",", THIN_SPACE).replace(".", ",").replace("-", MINUS)
    return text


def auto_decimals(values: Sequence[float], most: int = 3) -> int:
    """Fewest decimals (0 for values ≥ 100, else at least 1) that keep ``values`` distinct."""
    arr = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if arr.size == 0:
        return 0
    start = 0 if np.nanmax(np.abs(arr)) >= 100 else 1
    for decimals in range(start, most + 1):
        if np.unique(np.round(arr, decimals)).size == np.unique(arr).size:
            return decimals
    return most


def formatter(fmt: str | Callable[[float], str] | None, lang: str,
              values: Sequence[float]) -> Callable[[float], str]:
    """A value → text function: ``fmt`` callable as is; a format spec (``"{:.1f}"``, ``".1f"``,
    ``",.0f"``) localised; ``None`` → :func:`format_number` with :func:`auto_decimals`."""
    if callable(fmt):
        return fmt
    if fmt is None:
        decimals = auto_decimals(values)
        return lambda v: format_number(v, lang, decimals)
    spec = fmt[2:-1] if fmt.startswith("{:") and fmt.endswith("}") else fmt

    def apply(value: float) -> str:
        if value is None or not np.isfinite(value):
            return ""
        return localise(format(float(value), spec), lang)

    return apply
