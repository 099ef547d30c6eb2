"""Products whose raw material is a minor share of their mass have no uplift of it.

Stainless steel is 3.5-10.5 % nickel by mass (AISI/ASTM grade tables, value assumptions
``stainless_*_ni_content``): its export value per tonne of ore equivalent also pays for
chromium, iron and manganese, so dividing it by the ore's unit value (the old "5.7x") is not
what processing nickel ore adds. :func:`hilir.value.uplift` refuses such a ratio and says why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["MINOR_RAW_SHARE", "refuse_minor_raw"]

#: A product whose raw input is less than this share of its mass (central, value
#: assumptions) has no uplift of the raw product: stainless steel is ~3.5-10.5 % nickel,
#: the rest of its value pays for chromium, iron and manganese.
MINOR_RAW_SHARE = 0.5


def refuse_minor_raw(g: pd.DataFrame) -> None:
    """Blank the uplift of products whose raw input is a minor share of their mass, in place.

    Their value per raw-equivalent tonne counts the value of the other inputs too, so its
    ratio to the raw unit value is not what processing the raw material adds.
    """
    cen = g["raw_input_mass_share"].where(g["bound"].astype(str) == "central")
    minor = cen.groupby([g["product"], g["year"]]).transform("max").lt(MINOR_RAW_SHARE)
    lo = g["raw_input_mass_share"].groupby([g["product"], g["year"]]).transform("min")
    hi = g["raw_input_mass_share"].groupby([g["product"], g["year"]]).transform("max")
    m = minor.to_numpy(dtype=bool)
    if not m.any():
        return
    why = [
        f"no uplift: the raw material is only {a:.1%}-{b:.1%} of this product's mass, so its "
        "value per raw-equivalent tonne also pays for the other inputs (stainless steel: "
        "chromium, iron, manganese) and is not what processing the raw material adds"
        for a, b in zip(lo[m], hi[m], strict=True)
    ]
    notes = g.loc[m, "assumption"]
    g.loc[m, "assumption"] = [
        "; ".join(filter(None, (a, w))) for a, w in zip(notes, why, strict=True)
    ]
    g.loc[m, ["uplift", "raw_value_share"]] = np.nan
