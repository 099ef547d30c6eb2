"""Market charts with their cross-model inputs: the recipes a notebook calls.

A chart of :mod:`hilir.plots` draws what it is given; these functions compute what a market
chart needs from the models (source caveats, a reporter's world-share rows, the policy
events, the export-procedure table and its provenance) and call the chart.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from hilir.markets import export_procedure, reporter_share, source_caveats
from hilir.markets.procedure import procedure_provenance
from hilir.plots import (
    plot_concentration,
    plot_destinations,
    plot_export_procedure,
    plot_world_share,
)
from hilir.plots.charts_concentration import concentration_data
from hilir.policy import policy_events

__all__ = [
    "plot_concentration_of",
    "plot_destinations_of",
    "plot_export_procedure_of",
    "plot_world_share_of",
]


def plot_destinations_of(profile: pd.DataFrame, **options: Any) -> Figure:
    """:func:`hilir.plots.plot_destinations` with the caveats of the profile's sources.

    Parameters
    ----------
    profile : pandas.DataFrame
        Output of :func:`hilir.markets.destination_profile` (one year).
    **options
        Passed to the chart (``lang``, ``top``, ``title`` ...).
    """
    return plot_destinations(profile, caveats=source_caveats(profile["source"]), **options)


def plot_concentration_of(
    table: pd.DataFrame,
    *,
    scopes: Iterable[str] | None = None,
    geography: str | None = None,
    **options: Any,
) -> Figure:
    """:func:`hilir.plots.plot_concentration` with the caveats of the charted rows' sources."""
    scopes = list(scopes) if scopes is not None else None
    rows = concentration_data(table, scopes=scopes, geography=geography)
    return plot_concentration(
        table,
        scopes=scopes,
        geography=geography,
        caveats=source_caveats(rows["source"]),
        **options,
    )


def plot_world_share_of(
    shares: pd.DataFrame,
    *,
    reporter: str = "IDN",
    events: Iterable[str] | None = None,
    **options: Any,
) -> Figure:
    """:func:`hilir.plots.plot_world_share` with the reporter's rows and the policy events.

    Raises
    ------
    HilirDataError
        As :func:`hilir.markets.reporter_share` (a province, an absent reporter).
    """
    return plot_world_share(
        shares,
        reporter=reporter,
        events=events,
        reporter_rows=reporter_share(shares, reporter=reporter),
        event_table=policy_events(),
        **options,
    )


def plot_export_procedure_of(
    steps: pd.DataFrame | None = None, *, chain: str | None = None, **options: Any
) -> Figure:
    """:func:`hilir.plots.plot_export_procedure` of the shipped steps for ``chain``.

    Parameters
    ----------
    steps : pandas.DataFrame, optional
        Default :func:`hilir.markets.export_procedure` for ``chain``.
    chain : str, optional
        Registry chain (``coffee``).
    **options
        Passed to the chart (``lang``, ``geography`` ...).
    """
    if steps is None:
        steps = export_procedure(chain=chain)
    return plot_export_procedure(steps, chain=chain, source=procedure_provenance(), **options)
