"""Age labels of population tables (SSB 04362 and the like) read as first and last age.

Used by the readers (:mod:`soslokal_lib.io.socio`) and by the profiles built from what they read
(:mod:`soslokal_lib.stats.profiles`, which re-exports :func:`age_bounds`).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError

_OPEN = re.compile(r"^\D*?(\d+)\s*(?:\+|år\s+(?:og|eller)\s+(?:eldre|over)|years?\s+(?:or|and)"
                   r"\s+(?:older|over)|and\s+over|or\s+older)", re.IGNORECASE)
_RANGE = re.compile(r"^\D*?(\d+)\s*(?:-|–|—|to|til)\s*(\d+)")
_SINGLE = re.compile(r"^\D*?(\d+)\D*$")


def age_bounds(ages: Any) -> pd.DataFrame:
    """First and last age (inclusive; ``inf`` for an open group) of each age label.

    Understands ``"0-4"``, ``"000-004"``, ``"0-4 år"``, ``"90+"``, ``"90 år eller eldre"``,
    ``"105+"`` and single years (``"017"``). Returns a frame indexed by the distinct labels
    with float columns ``lo`` and ``hi``; unknown labels raise :class:`SoslokalError`.
    """
    labels = pd.Index(pd.unique(pd.Series(ages).astype("str").str.strip()))
    text = pd.Series(labels, index=labels)
    rng = text.str.extract(_RANGE)
    opn = text.str.extract(_OPEN)
    one = text.str.extract(_SINGLE)
    lo = rng[0].fillna(opn[0]).fillna(one[0])
    hi = rng[1].fillna(one[0].where(rng[0].isna() & opn[0].isna()))
    bad = lo.isna() | (hi.isna() & opn[0].isna())
    if bad.any():
        shown = ", ".join(repr(v) for v in labels[bad.to_numpy()][:5])
        raise SoslokalError(f"Cannot read the age group(s) {shown}. Fix: use labels such as "
                            "'0-4', '000-004', '0-4 år', '90+' or single years '017'.")
    out = pd.DataFrame({"lo": lo.astype("float64"),
                        "hi": hi.astype("float64").fillna(np.inf)}, index=labels)
    if (out["hi"] < out["lo"]).any():
        raise SoslokalError(f"Age group(s) ending before they start: "
                            f"{', '.join(out.index[out['hi'] < out['lo']][:5])}.")
    return out
