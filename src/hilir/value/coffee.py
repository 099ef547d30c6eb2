"""Coffee: how much the processing share depends on reading FAOSTAT extracts as soluble."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hilir.checks import geography, require_columns, safe_divide
from hilir.errors import HilirDataError
from hilir.value.assumptions import pick, value_assumptions
from hilir.value.shares import processing_share

MIXED = "coffee_extracts_mixed"
PSD_RAW = ("bean_exports",)
PSD_PROCESSED = ("roast_ground_exports", "soluble_exports")


def _split(share_as: str, factor: dict[str, float] | None, basis: str, source: str) -> pd.DataFrame:
    row = {
        "chain": "coffee", "product": MIXED, "year_from": pd.NA, "year_to": pd.NA,
        "share_low": 1.0, "share_central": 1.0, "share_high": 1.0, "as_product": share_as,
        "source": source,
    }  # fmt: skip
    if factor is not None:
        row.update({f"factor_{b}": v for b, v in factor.items()} | {"factor_basis": basis})
    return pd.DataFrame([row])


def coffee_processing_variants(
    exports: pd.DataFrame,
    balances: pd.DataFrame | None = None,
    *,
    factors: pd.DataFrame | None = None,
    assumptions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Coffee processing share under readings of FAOSTAT extracts, next to USDA PSD.

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
        assumption``. Variants: ``extracts_excluded`` (mixed item left out),
        ``extracts_as_soluble`` (all of item 659 read as soluble coffee, 2.6 t GBE per t;
        ICO), ``extracts_as_mixes`` (all of it read as 3-in-1 mixes holding 8-14 % soluble
        coffee, i.e. 2.6 x share t GBE per t), ``usda_psd`` (bean vs roast-and-ground plus
        soluble exports, already in GBE: no factor; no value split).

    Notes
    -----
    share_volume = R_processed / R_total in t GBE. USDA PSD years are marketing years
    (Indonesia: April-March), FAOSTAT years calendar years.
    """
    asm = value_assumptions() if assumptions is None else assumptions
    frames = []
    variants = [("extracts_excluded", None)]
    variants.append(
        (
            "extracts_as_soluble",
            _split(
                "coffee_soluble",
                None,
                "",
                "FAOSTAT item 659 read as soluble coffee (upper bound of its coffee content)",
            ),
        )
    )
    mix = pick(asm, quantity="raw_input_mass_share", product="coffee_preparations")
    if not mix.empty:
        r = mix.iloc[0]
        fac = {b: 2.6 * float(r[b]) for b in ("low", "central", "high")}
        variants.append(
            (
                "extracts_as_mixes",
                _split(
                    "coffee_preparations",
                    fac,
                    "t GBE per t coffee mix = 2.6 (ICO soluble factor) x soluble share "
                    f"{r['low']:g}-"
                    f"{r['high']:g} ({r['source']})",
                    "FAOSTAT item 659 read as coffee mixes",
                ),
            )
        )
    for name, sp in variants:
        ps = processing_share(exports, chain="coffee", factors=factors, splits=sp)
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
