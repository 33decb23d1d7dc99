"""The synthetic sample's known truths next to what the notebooks estimate from it.

The generator of the sample kommune Fjordvik knows the true population means per area and
theme (``load_sample().truth``). With real data there is no truth; then the results say so.

* :func:`true_sii` → :class:`TrueSii`: the slope index (SII) computed on the true area means,
  beside the SII from the survey (notebook ``04_ulikhet``).
* :func:`delta_truth` → :class:`DeltaTruth`: each area's true mean beside its Cliff's δ
  against the other areas (notebook ``04_nabolagsforskjeller``).

Both follow the result convention: ``statistic``, ``to_frame()``, ``text(lang)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from soslokal_lib.numformat import format_number
from soslokal_lib.stats import inequality as iq
from soslokal_lib.stats.models import wording as mt
from soslokal_lib.themes import get_theme

if TYPE_CHECKING:
    from soslokal_lib.stats.area_differences import AreaDifferences

__all__ = ["DeltaTruth", "TrueSii", "delta_truth", "sample_truth", "true_sii"]

#: The whole-kommune row of the sample's truth table.
KOMMUNE = "9901"
_WORDS = {
    "nb": {
        "only": "Fasiten finnes bare for de syntetiske eksempeldataene.",
        "sii": "Sann SII for {theme}: {true}; fra utvalget: {estimate}",
        "columns": {"area_name": "nabolag", "mean": "sant gjennomsnitt", "delta": "δ fra utvalget"},
    },
    "en": {
        "only": "The truth exists only for the synthetic sample data.",
        "sii": "True SII for {theme}: {true}; from the sample: {estimate}",
        "columns": {"area_name": "area", "mean": "true mean", "delta": "δ from the sample"},
    },
}


def sample_truth(theme: str) -> pd.DataFrame:
    """The sample's true population statistics of ``theme`` per area (index ``area_id``;
    ``mean``, ``median``, ``share_low``, …), without the whole-kommune row."""
    from soslokal_lib.io.sample import load_sample

    truth = load_sample().truth
    code = get_theme(theme).code
    rows = truth[(truth["theme"] == code) & (truth["area_id"].astype(str) != KOMMUNE)]
    return rows.set_index(rows["area_id"].astype(str)).drop(columns=["area_id", "theme"])


@dataclass(frozen=True)
class TrueSii:
    """SII of the true area means (``statistic``; NaN without a truth) and the survey's
    ``estimate``; ``n`` areas with a shown register figure."""

    statistic: float
    estimate: float
    theme: str
    n: int
    synthetic: bool

    def to_frame(self) -> pd.DataFrame:
        """One row: ``theme``, ``true_sii``, ``estimate``, ``n``."""
        return pd.DataFrame(
            [
                {
                    "theme": self.theme,
                    "true_sii": self.statistic,
                    "estimate": self.estimate,
                    "n": self.n,
                }
            ]
        )

    def text(self, lang: str = "nb") -> str:
        """«Sann SII for trygghet: 0,99; fra utvalget: 1,03», or that there is no truth."""
        lang = mt.lang_key(lang)
        if not self.synthetic:
            return _WORDS[lang]["only"]
        return _WORDS[lang]["sii"].format(
            theme=mt.theme_label(self.theme, lang),
            true=format_number(self.statistic, lang, 2),
            estimate=format_number(self.estimate, lang, 2),
        )


def true_sii(
    socio: pd.DataFrame,
    theme: str,
    indicator: str,
    estimate: float,
    *,
    synthetic: bool,
    truth: pd.DataFrame | None = None,
    ascending: bool = False,
) -> TrueSii:
    """The SII of ``theme``'s true area means along ``socio[indicator]`` (population-weighted,
    areas whose register figure is blanked left out), beside ``estimate`` (the survey's SII).

    ``truth`` defaults to :func:`sample_truth`; nothing is computed unless ``synthetic``.
    """
    code = get_theme(theme).code
    if not synthetic:
        return TrueSii(
            statistic=float("nan"), estimate=float(estimate), theme=code, n=0, synthetic=False
        )
    truth = sample_truth(code) if truth is None else truth
    soc = socio.set_index("area_id") if "area_id" in socio.columns else socio
    table = truth[["mean"]].join(soc, how="inner").dropna(subset=[indicator])
    sii = iq.slope_index(table["mean"], table[indicator], table["population"], ascending=ascending)
    return TrueSii(
        statistic=sii.statistic, estimate=float(estimate), theme=code, n=sii.n, synthetic=True
    )


@dataclass(frozen=True)
class DeltaTruth:
    """Per area: the true mean of a theme and the survey's Cliff's δ (``table``: ``area_id``,
    ``area_name``, ``mean``, ``delta``; lowest true mean first). ``statistic`` is the Spearman
    rank correlation of the two over the areas with a δ (NaN without a truth)."""

    table: pd.DataFrame = field(repr=False)
    theme: str
    synthetic: bool

    @property
    def statistic(self) -> float:
        shown = self.table.dropna(subset=["mean", "delta"])
        if len(shown) < 2:
            return float("nan")
        return float(shown["mean"].rank().corr(shown["delta"].rank()))

    def to_frame(self) -> pd.DataFrame:
        """A copy of :attr:`table`."""
        return self.table.copy()

    def text(self, lang: str = "nb") -> str:
        """The areas as a small text table (name, true mean, δ; two decimals), or that there
        is no truth."""
        lang = mt.lang_key(lang)
        words = _WORDS[lang]
        if not self.synthetic:
            return words["only"]
        shown = self.table[["area_name", "mean", "delta"]].copy()
        for col in ("mean", "delta"):
            shown[col] = [format_number(v, lang, 2) for v in shown[col]]
        return shown.rename(columns=words["columns"]).to_string(index=False)


def delta_truth(
    result: AreaDifferences, theme: str, *, synthetic: bool, truth: pd.DataFrame | None = None
) -> DeltaTruth:
    """Each area's true mean of ``theme`` (``truth``, default :func:`sample_truth`) beside its
    δ from :func:`~soslokal_lib.stats.area_differences.area_differences`; empty unless
    ``synthetic``."""
    code = get_theme(theme).code
    columns = ["area_id", "area_name", "mean", "delta"]
    if not synthetic:
        return DeltaTruth(table=pd.DataFrame(columns=columns), theme=code, synthetic=False)
    truth = sample_truth(code) if truth is None else truth
    areas = result.to_frame("areas")
    areas = areas[areas["theme"] == code]
    if "area_name" not in areas.columns:
        areas = areas.assign(area_name=areas["area_id"].astype(str))
    table = (
        areas[["area_id", "area_name", "delta"]]
        .merge(truth[["mean"]].rename_axis("area_id").reset_index(), on="area_id")
        .sort_values("mean", kind="stable")
        .reset_index(drop=True)
    )
    table["delta"] = table["delta"].astype(float).where(table["delta"].notna(), np.nan)
    return DeltaTruth(table=table[columns], theme=code, synthetic=True)
