"""The raw stage's unit value that uplift and scenarios divide by, never a flagged one silently.

A raw unit value computed from a tiny shipment (Indonesia's nickel ore in 2020: USD 116 for
1,404 kg, flagged ``tiny_weight`` by :func:`hilir.value.unit_values`) says nothing about the
price of ore; dividing by it pulled the 2020 nickel uplift down to about 1.5-2.3. This module
resolves the raw unit value of each reporter and year under an explicit rule and says in a
note which year's value was used and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from hilir.checks import check_choice, safe_divide
from hilir.errors import HilirDataError
from hilir.value.unit_value import flag_unit_values

RawUnitValue = Literal["same_year", "last_unflagged", "window_median"]
RAW_UNIT_VALUE_METHODS: tuple[str, ...] = ("same_year", "last_unflagged", "window_median")
#: Flags that make a raw unit value unusable by default. ``outside_band`` is left out on
#: purpose: by construction about a tenth of a long series lies outside its own 5-95 %
#: band, and those years are real price peaks and troughs (coffee 2011, rubber 2010-2012,
#: nickel ore 2007); such a year is used and the note says it is flagged.
UNUSABLE_FLAGS: tuple[str, ...] = ("tiny_weight",)
FLAGS = ("zero_flow", "no_weight", "tiny_weight", "outside_band")
COLUMNS = [
    "reporter",
    "year",
    "raw_value_usd",
    "raw_quantity_t",
    "raw_unit_value_same_year_usd_per_t",
    "raw_flag",
    "raw_usable",
    "raw_unit_value_usd_per_t",
    "raw_unit_value_year",
    "raw_unit_value_note",
]


def _describe(flag: str, value: float, tonnes: float, median_t: float, year: int) -> str:
    """Plain-language reasons of a flag string (``tiny_weight;outside_band``)."""
    parts = []
    for f in [x for x in flag.split(";") if x]:
        if f == "tiny_weight":
            parts.append(
                f"tiny net weight ({tonnes * 1000:,.0f} kg worth USD {value:,.0f} in {year}, "
                f"against a median of {median_t:,.0f} t a year)"
            )
        elif f == "no_weight":
            parts.append(f"no net weight (USD {value:,.0f} in {year} with no tonnes)")
        elif f == "zero_flow":
            parts.append(f"no raw exports in {year}")
        elif f == "outside_band":
            parts.append("outside its own 5-95 % band")
        else:
            parts.append(f)
    return "; ".join(parts)


def resolve_raw_unit_values(
    stages: pd.DataFrame,
    *,
    method: RawUnitValue = "same_year",
    window: int = 3,
    unusable_flags: Iterable[str] = UNUSABLE_FLAGS,
) -> pd.DataFrame:
    """The raw stage's unit value by reporter and year, under an explicit rule.

    Parameters
    ----------
    stages : pandas.DataFrame
        :func:`hilir.value.stage_table` output (the chain's raw-stage rows, central bound,
        are used; a split's raw part counts as raw).
    method : {"same_year", "last_unflagged", "window_median"}, default "same_year"
        ``same_year``: the year's own raw unit value, missing when it is flagged with one
        of ``unusable_flags`` (the note says why). ``last_unflagged``: the latest usable
        year up to this one (this year when it is usable; a borrowed year is named in the
        note). ``window_median``: the median of the usable years in the ``window`` years
        ending at this one, in every year.
    window : int, default 3
        Years of the ``window_median`` window.
    unusable_flags : iterable of str, default ("tiny_weight",)
        :func:`hilir.value.unit_values` flags that make a raw unit value unusable. A year
        with another flag (``outside_band``) is used and the note says it is flagged.

    Returns
    -------
    pandas.DataFrame
        ``reporter, year, raw_value_usd, raw_quantity_t, raw_unit_value_same_year_usd_per_t,
        raw_flag, raw_usable`` (the year's own value is finite and carries no unusable
        flag), ``raw_unit_value_usd_per_t`` (the value to divide by, USD/t),
        ``raw_unit_value_year`` (the year it comes from; ``window_median``: the last year
        of the window) and ``raw_unit_value_note`` ("" when the year's own, unflagged
        value is used). Every year of ``stages`` appears, also years without raw exports.

    Notes
    -----
    Raw unit value UV_raw(y) = V_raw(y) / R_raw(y) in USD per raw-equivalent tonne, summed
    over the chain's raw products (R = tonnes x factor: 1 for the chain's raw product, 2.5 t
    fresh roots per t of dried cassava chips), so it is on the basis of the downstream
    stages' value per raw-equivalent tonne. Flags are computed on that yearly series as in
    :func:`hilir.value.unit_values` (series: the reporter's raw stage). A year is usable
    when UV_raw is finite and carries none of ``unusable_flags``.
    """
    check_choice("raw_unit_value", method, RAW_UNIT_VALUE_METHODS)
    if int(window) < 1:
        raise HilirDataError(f"the raw unit value window must be >= 1, not {window!r}")
    bad = sorted(set(unusable_flags) - set(FLAGS))
    if bad:
        raise HilirDataError(f"unknown unit-value flags {bad}; flags are {list(FLAGS)}")
    unusable = set(unusable_flags)
    if stages.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    out = _yearly_raw(stages)
    uv_t = out["unit_value_usd_per_kg"].to_numpy(dtype="float64") * 1000.0
    flags = [set(f.split(";")) - {""} for f in out["raw_flag"]]
    usable = np.isfinite(uv_t) & np.array([not (f & unusable) for f in flags], dtype=bool)
    resolved, from_year, notes = _resolve(out, uv_t, flags, usable, unusable, method, window)
    res = pd.DataFrame(
        {
            "reporter": out["reporter"].to_numpy(),
            "year": out["year"].to_numpy(),
            "raw_value_usd": out["value_usd"].to_numpy(),
            "raw_quantity_t": out["net_weight_kg"].to_numpy() / 1000.0,
            "raw_unit_value_same_year_usd_per_t": uv_t,
            "raw_flag": out["raw_flag"].to_numpy(),
            "raw_usable": usable,
            "raw_unit_value_usd_per_t": resolved,
            "raw_unit_value_year": from_year,
            "raw_unit_value_note": notes,
        }
    )
    return res[COLUMNS]


def _yearly_raw(stages: pd.DataFrame) -> pd.DataFrame:
    """Raw value (USD), weight (kg) and unit value (USD/kg) by reporter and year, flagged.

    Every year of the reporter's central rows appears; ``raw_flag`` holds the
    :func:`~hilir.value.unit_value.flag_unit_values` flags and ``_median_t`` the series'
    median positive weight (t).
    """
    cen = stages[stages["bound"].astype(str) == "central"]
    years = cen.groupby("reporter", sort=True)["year"].unique()
    raw = cen[cen["stage"] == "raw"]
    # per raw-equivalent tonne: a raw stage traded in another form than the chain's basis
    # (dried cassava chips, 2.5 t fresh roots per t) is put on that basis (fresh roots)
    g = raw.groupby(["reporter", "year"]).agg(
        raw_value_usd=("value_usd", "sum"), raw_quantity_t=("raw_equivalent_t", "sum")
    )
    full = pd.MultiIndex.from_tuples(
        [(r, int(y)) for r, ys in years.items() for y in sorted(ys)], names=["reporter", "year"]
    )
    g = g.reindex(full).reset_index()
    work = pd.DataFrame(
        {
            "reporter": g["reporter"],
            "year": g["year"].astype("int64"),
            "value_usd": g["raw_value_usd"],
            "net_weight_kg": g["raw_quantity_t"] * 1000.0,
        }
    )
    work["unit_value_usd_per_kg"] = safe_divide(work["value_usd"], work["net_weight_kg"])
    present = work["value_usd"].notna().to_numpy()
    flagged = flag_unit_values(work[present], ["reporter"])
    out = work.copy()
    out["raw_flag"] = ""
    out.loc[present, "raw_flag"] = flagged["flag"].astype(str).to_numpy()
    out["_median_t"] = np.nan
    out.loc[present, "_median_t"] = flagged["median_net_weight_kg"].to_numpy() / 1000.0
    return out


def _resolve(
    out: pd.DataFrame,
    uv_t: np.ndarray,
    flags: list[set[str]],
    usable: np.ndarray,
    unusable: set[str],
    method: RawUnitValue,
    window: int,
) -> tuple[np.ndarray, pd.api.extensions.ExtensionArray, list[str]]:
    """The resolved raw unit value (USD/t), the year it comes from and its note, per row."""
    resolved = np.full(len(out), np.nan)
    from_year = pd.array([pd.NA] * len(out), dtype="Int64")
    notes = [""] * len(out)
    year_arr = out["year"].to_numpy(dtype="int64")
    flag_arr = out["raw_flag"].to_numpy(dtype=object)
    value_arr = out["value_usd"].to_numpy(dtype="float64")
    tonnes_arr = out["net_weight_kg"].to_numpy(dtype="float64") / 1000.0
    median_arr = out["_median_t"].to_numpy(dtype="float64")
    for _rep, idx in out.groupby("reporter", sort=False).indices.items():
        idx = idx[np.argsort(year_arr[idx])]
        for k, i in enumerate(idx):
            y = int(year_arr[i])
            why = _describe(flag_arr[i], value_arr[i], tonnes_arr[i], median_arr[i], y)
            own_flags = flags[i]
            if method == "window_median":
                inwin = [j for j in idx[: k + 1] if year_arr[j] > y - window and usable[j]]
                if inwin:
                    resolved[i] = float(np.median(uv_t[inwin]))
                    from_year[i] = y
                    span = sorted({int(year_arr[j]) for j in inwin})
                    spans = f"{span[0]}" if len(span) == 1 else f"{span[0]}-{span[-1]}"
                    notes[i] = (
                        f"raw unit value = median of {len(inwin)} usable year(s) in {spans}: "
                        f"{resolved[i]:,.1f} USD/t (raw_unit_value='window_median', window "
                        f"{window})"
                    )
                else:
                    notes[i] = (
                        f"no usable raw unit value in {y - window + 1}-{y} "
                        "(raw_unit_value='window_median')"
                    )
                if own_flags:
                    notes[i] += f"; {y} flagged {'/'.join(sorted(own_flags))}: {why}"
                continue
            if usable[i]:
                resolved[i] = uv_t[i]
                from_year[i] = y
                if own_flags:
                    notes[i] = (
                        f"raw unit value flagged {'/'.join(sorted(own_flags))} ({why}): used "
                        "as reported"
                    )
                continue
            flagged_unusable = bool(own_flags & unusable)
            if method == "same_year":
                if flagged_unusable:
                    notes[i] = (
                        f"raw unit value flagged: {why}; not used (raw_unit_value='same_year'; "
                        "pass 'last_unflagged' or 'window_median' to substitute)"
                    )
                elif "no_weight" in own_flags:
                    notes[i] = f"raw unit value missing: {why}"
                continue
            # last_unflagged
            earlier = [j for j in idx[:k] if usable[j]]
            if earlier:
                j = earlier[-1]
                resolved[i] = uv_t[j]
                from_year[i] = int(year_arr[j])
                reason = why or "no raw exports"
                notes[i] = (
                    f"raw unit value of {int(year_arr[j])} ({uv_t[j]:,.1f} USD/t) used "
                    f"for {y} ({reason}; raw_unit_value='last_unflagged')"
                )
            else:
                notes[i] = (
                    f"no usable raw unit value up to {y}"
                    + (f" ({why})" if why else "")
                    + " (raw_unit_value='last_unflagged')"
                )
    return resolved, from_year, notes
