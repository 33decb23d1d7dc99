"""``[socio]`` in a municipality's configuration: register figures per grunnkrets and the
kommune's own zones they are carried to.

::

    [socio]
    path = "levekar_grunnkrets.csv"      # register figures per grunnkrets (required)
    crosswalk = "grunnkrets_til_sone.csv"  # grunnkrets → zone of [areas] (many-to-one), or
    grunnkretser = "grunnkretser.zip"    # grunnkrets polygons laid over the zones of [areas]
    split_share = 0.05                   # split a grunnkrets with more of its area elsewhere
    skipna = false                       # true: a zone's figure from the grunnkretser that
                                         # have one when a source suppressed another

Without ``crosswalk`` and ``grunnkretser`` the grunnkretser are added up to their delområder
(``KKKKDD00``), as before. :func:`socio_options` gives the keyword arguments of
:func:`soslokal_lib.io.inputs.load_socio_tables`.
"""

from __future__ import annotations

from typing import Any

from soslokal_lib._messages import msg

KEYS = ("path", "crosswalk", "grunnkretser", "split_share", "skipna")


def parse_socio(reader: Any, socio: dict, values: dict, bad: object) -> None:
    """Read ``[socio]`` into ``values`` (``socio_path``, ``socio_crosswalk``,
    ``socio_grunnkretser``, ``socio_split_share``, ``socio_skipna``); problems go to
    ``reader``."""
    p = reader
    reader.keys("[socio]", socio, KEYS)
    values["socio_path"] = p.required("[socio]", socio, "path", p.file)
    values["socio_crosswalk"] = p.optional("[socio]", socio, "crosswalk", p.file)
    values["socio_grunnkretser"] = p.optional("[socio]", socio, "grunnkretser", p.file)
    values["socio_split_share"] = p.optional("[socio]", socio, "split_share", _share(reader, bad))
    values["socio_skipna"] = p.optional("[socio]", socio, "skipna", p.boolean, False)
    if values["socio_crosswalk"] is not None and values["socio_grunnkretser"] is not None:
        reader.fail("[socio]", msg("socio.both"), fix=msg("socio.both.fix"))


def _share(reader: Any, bad: object):
    def parse(key: str, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 0.5:
            return reader.fail(key, msg("socio.split_share"), value,
                               msg("config.write_eg", line="split_share = 0.05"))
        return float(value)
    return parse


def socio_parameters(config: Any) -> dict[str, Any]:
    """The notebook parameters of ``[socio]`` besides ``socio_path``."""
    def text(path: Any) -> str | None:
        return None if path is None else str(path)

    return {"socio_crosswalk": text(config.socio_crosswalk),
            "socio_grunnkretser": text(config.socio_grunnkretser),
            "socio_split_share": config.socio_split_share,
            "socio_skipna": config.socio_skipna}


def socio_options(config: Any) -> dict[str, Any]:
    """Keyword arguments of :func:`soslokal_lib.io.inputs.load_socio_tables` for ``config``."""
    return {"socio_path": config.socio_path, "grunnkrets_path": config.grunnkrets_path,
            "crosswalk_path": config.socio_crosswalk,
            "zone_grunnkretser": config.socio_grunnkretser,
            "split_share": config.socio_split_share, "skipna": config.socio_skipna}
