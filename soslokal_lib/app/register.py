"""The register facts per neighbourhood that the «politisk verksted» report and the Bylab
briefs show, protected the same way for both."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from soslokal_lib.app.config import Config
    from soslokal_lib.io.inputs import Inputs, SocioTables


def register_per_area(config: Config, inputs: Inputs, socio: SocioTables | None
                      ) -> tuple[pd.DataFrame | None, str | None, Any]:
    """The register facts per neighbourhood the verksted and the Bylab briefs show:
    ``(per_area, note, sheets)``. The sample's facts, or ``socio`` added up to the
    neighbourhoods (:func:`soslokal_lib.indicators.aggregate_socio`), with figures the config's
    levekår sheets mark suppressed, or that concern too few people, hidden
    (:func:`soslokal_lib.indicators.register_privacy.protect_tables`); then the kommune's
    levekår sheets per zone, with rates of too few people blanked. ``note`` says what was
    hidden (``None`` when nothing); ``sheets`` are the sheets read per zone, or ``None``."""
    from soslokal_lib.indicators import aggregate_socio
    from soslokal_lib.indicators.levekar_data import read_levekar_data
    from soslokal_lib.indicators.register_privacy import RegisterProtection, protect_tables
    from soslokal_lib.io.inputs import is_sample

    levekar = config.to_parameters()["levekar"]
    limits = {"min_population": config.register_min_population,
              "min_count": config.register_min_count}
    per_area, note = None, None
    if is_sample(inputs):
        from soslokal_lib.app.verksted import sample_socio
        from soslokal_lib.io.inputs import load_socio_tables

        _, protection = protect_tables(load_socio_tables(inputs), levekar, inputs=inputs,
                                       **limits)
        # the sample's median income is SSB 06944 per delområde (suppressed there for Øyane)
        per_area = protection.mask(sample_socio(), keep=("median_income_nok",))
    elif socio is not None:
        tables, protection = protect_tables(socio, levekar, inputs=inputs, **limits)
        per_area = aggregate_socio(tables.socio, **tables.zone_options()).drop(
            columns="n_units")
    if per_area is not None and protection.statistic:
        note = protection.text(config.lang)
    sheets = read_levekar_data(levekar, inputs, **limits)
    if sheets is not None:
        per_area = sheets.apply(per_area)
        if sheets.hidden is not None and len(sheets.hidden):
            hidden = RegisterProtection(per_area, sheets.hidden, names=dict(inputs.names),
                                        **limits).text(config.lang)
            note = f"{note} {hidden}" if note else hidden
    return per_area, note, sheets
