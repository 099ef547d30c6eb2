"""The processed-share finding as a key message, with the gate's share check."""

from __future__ import annotations

import pandas as pd

from hilir.brief import gate
from hilir.brief.narrative._common import _central
from hilir.brief.narrative.value import processing_share_change
from hilir.checks import DOWNSTREAM


def share_headline(
    shares: pd.DataFrame,
    *,
    lang: str,
    chain: str,
    measure: str = "value",
    year_from: int | None = None,
    year_to: int | None = None,
    exports: pd.DataFrame | None = None,
) -> gate.Headline:
    """:func:`processing_share_change` with the gate's check of the share it quotes last.

    Parameters
    ----------
    shares, lang, chain, measure, year_from, year_to, exports
        As :func:`hilir.brief.narrative.processing_share_change` (the sentence names the
        products the chain lacks in the data).

    Returns
    -------
    hilir.brief.gate.Headline
        The sentence and ``gate.share_check`` of the latest central share (a fraction in
        [0, 1]) with the downstream stages it counts, from ``shares["stages"]``
        (``"intermediate + processed"``); a share with no downstream stage in the data fails
        and goes to the analyst edition.
    """
    text = processing_share_change(
        shares,
        lang=lang,
        chain=chain,
        measure=measure,
        year_from=year_from,
        year_to=year_to,
        exports=exports,
    )
    col = f"share_{measure}"
    df = _central(shares)
    df = df[(df["chain"] == chain) & df[col].notna()].sort_values("year")
    if year_to is not None:
        df = df[df["year"] <= year_to]
    if df.empty:
        return gate.Headline(text)
    last = df.iloc[-1]
    stages = [s for s in str(last.get("stages", "")).split(",") if s in DOWNSTREAM]
    what = f"processed share of {chain} exports ({measure}), {int(last['year'])}"
    return gate.Headline(
        text, gate.share_check(float(last[col]), what=what, stages=" + ".join(stages))
    )
