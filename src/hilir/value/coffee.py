"""Coffee: how much the processing share depends on the coffee content of FAOSTAT item 659.

Item 659 (HS 2101.11 soluble coffee + 2101.12 coffee mixes) is processed either way; what
its reading changes is the green-bean-equivalent factor, hence the volume share and the
uplift, never the share by value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hilir.checks import BOUNDS, concat_frames, geography, require_columns, safe_divide
from hilir.errors import HilirDataError
from hilir.value.assumptions import pick, value_assumptions
from hilir.value.shares import processing_share

ITEM_659 = "coffee_extracts_mixed"
#: ICO conversion factor, t GBE per t soluble coffee (ITC Coffee Guide, ICO doc. 01.05).
SOLUBLE_GBE = 2.6
PSD_RAW = ("bean_exports",)
PSD_PROCESSED = ("roast_ground_exports", "soluble_exports")


def _with_factor(factors: pd.DataFrame | None, fac: dict[str, float], basis: str) -> pd.DataFrame:
    """The factor table with item 659's row replaced by ``fac`` (t GBE per t, by bound)."""
    from hilir.registry.tables import factors as registry_factors

    tab = (registry_factors() if factors is None else factors).copy()
    tab = tab[tab["product"] != ITEM_659]
    row = {c: pd.NA for c in tab.columns} | {
        "product": ITEM_659, "basis": basis, "method": "fixed", "source": basis,
        "reliability": "low", **{b: float(fac[b]) for b in BOUNDS},
    }  # fmt: skip
    return concat_frames([tab, pd.DataFrame([row])], ignore_index=True)


def coffee_processing_variants(
    exports: pd.DataFrame,
    balances: pd.DataFrame | None = None,
    *,
    factors: pd.DataFrame | None = None,
    assumptions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Coffee processing share under readings of FAOSTAT item 659, next to USDA PSD.

    Parameters
    ----------
    exports : pandas.DataFrame
        Tidy exports with the coffee chain (FAOSTAT items 656, 657, 659 and/or HS codes).
    balances : pandas.DataFrame, optional
        Coffee balances (``hilir.load_balances()``) with USDA PSD ``bean_exports``,
        ``roast_ground_exports``, ``soluble_exports`` in t GBE.
    factors, assumptions
        Registry factors and value assumptions (defaults: shipped tables).

    Returns
    -------
    pandas.DataFrame
        ``geography, chain, year, variant, bound, share_volume, share_value, source,
        assumption``. Variants: ``registry`` (item 659 with the registry's factor, 0.208-
        0.86-2.6 t GBE per t), ``extracts_excluded`` (item 659 left out: the old reading
        that dropped the main processed product), ``extracts_as_soluble`` (all of item 659
        read as soluble coffee, 2.6 t GBE per t; ICO), ``extracts_as_mixes`` (all of it read
        as 3-in-1 mixes holding 8-14 % soluble coffee, i.e. 2.6 x share t GBE per t),
        ``usda_psd`` (bean vs roast-and-ground plus soluble exports, already in GBE: no
        factor; no value split).

    Notes
    -----
    share_volume = R_processed / R_total in t GBE; share_value does not depend on the
    factor, so it is the same in every variant that counts item 659. USDA PSD years are
    marketing years (Indonesia: April-March), FAOSTAT years calendar years.
    """
    asm = value_assumptions() if assumptions is None else assumptions
    frames = []
    without = exports[exports["product"].astype(str) != ITEM_659]
    variants = [("registry", exports, factors), ("extracts_excluded", without, factors)]
    soluble = dict.fromkeys(BOUNDS, SOLUBLE_GBE)
    basis = "FAOSTAT item 659 read as soluble coffee (ICO 2.6 t GBE per t; upper bound)"
    variants.append(("extracts_as_soluble", exports, _with_factor(factors, soluble, basis)))
    mix = pick(asm, quantity="raw_input_mass_share", product="coffee_preparations")
    if not mix.empty:
        r = mix.iloc[0]
        fac = {b: SOLUBLE_GBE * float(r[b]) for b in BOUNDS}
        basis = (
            "FAOSTAT item 659 read as coffee mixes: t GBE per t = 2.6 (ICO soluble factor) x "
            f"soluble share {r['low']:g}-{r['high']:g} ({r['source']})"
        )
        variants.append(("extracts_as_mixes", exports, _with_factor(factors, fac, basis)))
    for name, ex, fac in variants:
        ps = processing_share(ex, chain="coffee", factors=fac)
        if ps.empty:
            continue
        ps = ps.assign(variant=name)
        frames.append(ps[["geography", "chain", "year", "variant", "bound", "share_volume",
                          "share_value", "source", "assumption"]])  # fmt: skip
    if balances is not None:
        require_columns(balances, ("year", "reporter", "attribute", "quantity_t_gbe", "source"),
                        "balances")  # fmt: skip
        b = balances[balances["attribute"].isin(PSD_RAW + PSD_PROCESSED)]
        b = b[b["source"].astype(str).str.contains("usda", case=False)]
        if b.empty:
            raise HilirDataError("balances have no USDA PSD bean/roast/soluble export rows")
        w = b.pivot_table(index=["reporter", "year"], columns="attribute",
                          values="quantity_t_gbe", aggfunc="sum")  # fmt: skip
        for c in PSD_RAW + PSD_PROCESSED:
            if c not in w.columns:
                w[c] = np.nan
        proc = w[list(PSD_PROCESSED)].sum(axis=1, min_count=1)
        tot = proc + w["bean_exports"]
        psd = w.reset_index()[["reporter", "year"]]
        psd["share_volume"] = safe_divide(proc.to_numpy(), tot.to_numpy())
        psd["share_value"] = np.nan
        psd["geography"] = geography(psd["reporter"])
        psd["chain"] = "coffee"
        psd["variant"] = "usda_psd"
        psd["source"] = "+".join(sorted(set(b["source"].astype(str))))
        psd["assumption"] = "USDA PSD marketing years, green-bean equivalent (no factor applied)"
        psd = psd.loc[psd.index.repeat(3)].reset_index(drop=True)
        psd["bound"] = ["low", "central", "high"] * (len(psd) // 3)
        frames.append(psd[["geography", "chain", "year", "variant", "bound", "share_volume",
                           "share_value", "source", "assumption"]])  # fmt: skip
    if not frames:
        raise HilirDataError("no coffee exports or balances to compare")
    out = pd.concat(frames, ignore_index=True)
    out["bound"] = out["bound"].astype(str)
    return out.sort_values(["year", "variant", "bound"]).reset_index(drop=True)
