"""``[bylab]`` in a municipality's configuration: the action log and the group and walk scores.

::

    [bylab]
    actions = "tiltak.xlsx"        # the filled-in action log (soslokal report writes the template)
    group_scores = "gatur.csv"     # scores from gåtur, workshops and focus groups (CSV or XLSX)

Both are optional. ``soslokal report`` then shows the actions per neighbourhood and theme
(:mod:`soslokal_lib.app.actions`) and draws the group scores on each Bylab brief's compass as
an outline of their own (:mod:`soslokal_lib.app.bylab`).
"""

from __future__ import annotations

from typing import Any

KEYS = ("actions", "group_scores")


def parse_bylab(reader: Any, bylab: dict, values: dict) -> None:
    """Read ``[bylab]`` into ``values`` (``bylab_actions``, ``bylab_group_scores``)."""
    reader.keys("[bylab]", bylab, KEYS)
    values["bylab_actions"] = reader.optional("[bylab]", bylab, "actions", reader.file)
    values["bylab_group_scores"] = reader.optional("[bylab]", bylab, "group_scores",
                                                   reader.file)


def bylab_parameters(config: Any) -> dict[str, Any]:
    """The notebook parameters of ``[bylab]`` (paths as text, ``None`` when not given)."""
    def text(path: Any) -> str | None:
        return None if path is None else str(path)

    return {"bylab_actions": text(config.bylab_actions),
            "bylab_group_scores": text(config.bylab_group_scores)}
