"""The overview brief's side-by-side tables of the five chains (data, then formatted cells).

Each ``*_table`` function returns the unformatted data (units in column names, one row per
chain, a ``note`` saying why a cell is empty); each ``show_*`` function turns it into the
formatted cells of the brief in one language. The overview notebook only calls these.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from hilir.brief.gate import Check
from hilir.brief.texts import say
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.i18n import format_money, format_number, format_percent, format_range, label
from hilir.i18n.catalog import check_lang
from hilir.i18n.labels import cell_label, geography_label
from hilir.trade import annual_products

#: The five chains of the overview; minerals are represented by nickel.
FIVE_CHAINS: tuple[str, ...] = ("coffee", "spices", "rubber", "palm_oil", "nickel")

#: Products with partner-level export data in the shipped sources.
MARKET_PRODUCTS = ("coffee_green", "coal", "copper_ore", "ferronickel")


def chain_summary(
    exports: pd.DataFrame, *, chains: Sequence[str] = FIVE_CHAINS, year: int | None = None
) -> pd.DataFrame:
    """Each chain's export value and its raw and processed parts in its latest year.

    Parameters
    ----------
    exports : pandas.DataFrame
        National exports (``hilir.load_exports(reporter="IDN")``).
    chains : sequence of str
    year : int, optional
        Default: each chain's latest year.

    Returns
    -------
    pandas.DataFrame
        ``chain, year, value_usd_total, share_processed_value`` (fraction of value at
        intermediate or processed stages; NA when the data cannot tell), ``basis``
        (``data`` | ``split`` | ``none``), ``note`` (``mixed`` | ``no_downstream`` | ``""``),
        ``source``.
    """
    from hilir.registry.tables import products
    from hilir.value import processing_share

    prods = products()
    rows = []
    for chain in chains:
        sub = exports[exports["chain"] == chain]
        if sub.empty:
            rows.append(
                {
                    "chain": chain,
                    "year": pd.NA,
                    "value_usd_total": np.nan,
                    "share_processed_value": np.nan,
                    "basis": "none",
                    "note": "no_data",
                    "source": "",
                }
            )
            continue
        have = set(sub["product"].astype(str))
        stages = set(prods.loc[prods["product"].isin(have), "stage"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", HilirDataWarning)
            ps = processing_share(sub, chain=chain)
        ps = ps[ps["bound"].astype(str) == "central"].dropna(subset=["value_usd_total"])
        annual = annual_products(sub, chain=chain)
        yr = int(annual["year"].max()) if year is None else int(year)
        that = annual[annual["year"] == yr]
        total = float(that["value_usd"].sum())
        source = "+".join(sorted(set(that["source"].astype(str))))
        share, basis, note = np.nan, "none", ""
        hit = ps[ps["year"] == yr]
        if not hit.empty and not (stages <= {"raw"}):
            share = float(hit["share_value"].iloc[0])
            basis = "split" if str(hit["assumption"].iloc[0]).strip() else "data"
        if "mixed" in stages and not basis == "split":
            note = "mixed"
            if not (stages & {"intermediate", "processed"}):
                share = np.nan
                basis = "none"
        elif not (stages & {"intermediate", "processed", "mixed"}):
            note = "no_downstream"
        rows.append(
            {
                "chain": chain,
                "year": yr,
                "value_usd_total": total,
                "share_processed_value": share,
                "basis": basis,
                "note": note,
                "source": source,
            }
        )
    out = pd.DataFrame(rows)
    out["year"] = pd.array(out["year"], dtype="Int64")
    return out


def show_summary(summary: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """Formatted cells of :func:`chain_summary` (headers in ``attrs["labels"]``)."""
    check_lang(lang)
    cells = []
    for _, r in summary.iterrows():
        share = (
            format_percent(float(r["share_processed_value"]), lang=lang)
            if pd.notna(r["share_processed_value"])
            else say(f"overview.na.{r['note'] or 'none'}", lang)
        )
        if r["basis"] == "split":
            share += " " + say("overview.split_mark", lang)
        elif r["note"] == "mixed" and pd.notna(r["share_processed_value"]):
            share += " " + say("overview.na.mixed_part", lang)
        cells.append(
            {
                "chain": cell_label("chain", str(r["chain"]), lang),
                "year": "" if pd.isna(r["year"]) else str(int(r["year"])),
                "value": format_money(float(r["value_usd_total"]), lang=lang)
                if pd.notna(r["value_usd_total"])
                else "-",
                "share": share,
            }
        )
    out = pd.DataFrame(cells)
    out.attrs["labels"] = {c: say(f"overview.col.{c}", lang) for c in out.columns}
    return out


def scenario_table(
    exports: pd.DataFrame,
    *,
    base_years: Mapping[str, int],
    share: float,
) -> pd.DataFrame:
    """The value at stake in each chain: processing ``share`` of its raw exports at home.

    Parameters
    ----------
    exports : pandas.DataFrame
        National exports.
    base_years : mapping of str to int
        Chain -> base year of its scenario (a year with raw exports).
    share : float
        Share of raw exports moved (0-1).

    Returns
    -------
    pandas.DataFrame
        ``chain, year, share, raw_product, target, raw_forgone_t, delta_low_usd,
        delta_central_usd, delta_high_usd, basis`` (``trade data`` | ``assumption`` |
        ``none``), ``source``, ``scale_ratio`` (implied target output / current exports)
        and ``gate_passed``; NA values with ``basis = none`` when the chain's data cannot
        support a scenario. ``attrs["checks"]`` maps each chain to the gate's scale check
        (:func:`hilir.brief.narrative.scenario_scale_check`): :func:`show_scenarios`
        withholds the figures of a chain that fails it, as the key messages do.
    """
    from hilir.brief.narrative.scenarios import scenario_scale_check
    from hilir.value import scenario, scenario_summary

    rows, checks = [], {}
    for chain, year in base_years.items():
        row = {
            "chain": chain,
            "year": int(year),
            "share": float(share),
            "raw_product": "",
            "target": "",
            "raw_forgone_t": np.nan,
            "delta_low_usd": np.nan,
            "delta_central_usd": np.nan,
            "delta_high_usd": np.nan,
            "basis": "none",
            "source": "",
            "scale_ratio": np.nan,
            "gate_passed": True,
        }
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", HilirDataWarning)
                res = scenario(exports, chain=chain, year=int(year), shares=[float(share)])
        except HilirDataError:
            rows.append(row)
            continue
        check = scenario_scale_check(res, share=float(share))
        if check is not None:
            checks[chain] = check
            row.update({"scale_ratio": check.value, "gate_passed": check.passed})
        summ = scenario_summary(res)
        vals = dict(
            zip(summ["bound"].astype(str), summ["delta_value_usd"].astype(float), strict=True)
        )
        tgt = res[res["role"] == "target"]
        raw = res[res["role"] == "raw"]
        if all(np.isfinite(v) for v in vals.values()) and not tgt.empty:
            row.update(
                {
                    "raw_product": str(raw["product"].iloc[0]),
                    "target": str(tgt["product"].iloc[0]),
                    "raw_forgone_t": float(
                        -raw[raw["bound"].astype(str) == "central"]["delta_t"].sum()
                    ),
                    "delta_low_usd": min(vals.values()),
                    "delta_central_usd": vals["central"],
                    "delta_high_usd": max(vals.values()),
                    "basis": str(tgt["basis"].iloc[0]),
                    "source": str(res["source"].iloc[0]),
                }
            )
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs["checks"] = checks
    return out


def show_scenarios(table: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """Formatted cells of :func:`scenario_table`; a chain failing the gate shows the reason.

    A scenario whose scale check failed (``gate_passed`` False) is not a headline in any
    brief, so its cells give the reason instead of the figures (which stay in the data
    annex and in the chain's analyst edition).
    """
    check_lang(lang)
    checks = table.attrs.get("checks", {})
    cells = []
    for _, r in table.iterrows():
        ok = r["basis"] != "none"
        if ok and not bool(r.get("gate_passed", True)) and r["chain"] in checks:
            cells.append(_withheld_cells(r, checks[r["chain"]], lang))
            continue
        cells.append(
            {
                "chain": cell_label("chain", str(r["chain"]), lang),
                "year": str(int(r["year"])),
                "move": _move(r, lang) if ok else "-",
                "change": format_range(
                    float(r["delta_low_usd"]), float(r["delta_high_usd"]), lang=lang, kind="money"
                )
                if ok
                else say("overview.na.scenario", lang),
                "central": format_money(float(r["delta_central_usd"]), lang=lang, signed=True)
                if ok
                else "-",
                "basis": say(
                    f"overview.basis.{'data' if r['basis'] == 'trade data' else 'assumption'}", lang
                )
                if ok
                else "-",
            }
        )
    out = pd.DataFrame(cells)
    out.attrs["labels"] = {c: say(f"overview.col.{c}", lang) for c in out.columns}
    return out


def _move(r: pd.Series, lang: str) -> str:
    """The processing step of a scenario row: raw product -> target."""
    return say(
        "overview.move",
        lang,
        raw=label("product", str(r["raw_product"]), lang),
        target=label("product", str(r["target"]), lang),
    )


def _withheld_cells(r: pd.Series, check: Check, lang: str) -> dict[str, str]:
    """Cells of a scenario row whose figures failed the gate: the move and the reason."""
    return {
        "chain": cell_label("chain", str(r["chain"]), lang),
        "year": str(int(r["year"])),
        "move": _move(r, lang),
        "change": say("overview.withheld", lang, reason=check.reason(lang)),
        "central": "-",
        "basis": "-",
    }


def jobs_table(jobs: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Jobs of several scenarios side by side: one row per (geography, chain, kind).

    Parameters
    ----------
    jobs : sequence of pandas.DataFrame
        :func:`hilir.jobs.jobs_from_scenario` outputs (one share each).

    Returns
    -------
    pandas.DataFrame
        ``geography, chain, kind, jobs_low, jobs_central, jobs_high, complete,
        table_source, sources``; kinds without an estimate are left out.
    """
    rows = []
    for frame in jobs:
        for (geo, chain, kind), g in frame.groupby(["geography", "chain", "kind"], sort=False):
            vals = dict(zip(g["bound"].astype(str), g["jobs"].astype(float), strict=True))
            if any(not np.isfinite(v) for v in vals.values()):
                continue
            rows.append(
                {
                    "geography": geo,
                    "chain": chain,
                    "kind": kind,
                    "jobs_low": min(vals.values()),
                    "jobs_central": vals["central"],
                    "jobs_high": max(vals.values()),
                    "complete": bool(g["complete"].all()),
                    "table_source": str(g["table_source"].iloc[0]),
                    "source": str(g["table_source"].iloc[0]),
                }
            )
    cols = ["geography", "chain", "kind", "jobs_low", "jobs_central", "jobs_high", "complete",
            "table_source", "source"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def show_jobs(table: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """Formatted cells of :func:`jobs_table` (total where complete, else direct only)."""
    check_lang(lang)
    cells = []
    for (geo, chain), g in table.groupby(["geography", "chain"], sort=False):
        tot = g[(g["kind"] == "total") & g["complete"]]
        row = tot.iloc[0] if not tot.empty else g[g["kind"] == "direct"].iloc[0]
        cells.append(
            {
                "geo": say(f"geo.{geo}", lang),
                "chain": cell_label("chain", str(chain), lang),
                "kind": say(f"overview.kind.{row['kind']}", lang),
                "jobs": format_range(
                    float(row["jobs_low"]), float(row["jobs_high"]), lang=lang, words=3
                ),
                "central": format_number(float(row["jobs_central"]), lang=lang, words=3),
            }
        )
    out = pd.DataFrame(cells)
    out.attrs["labels"] = {c: say(f"overview.col.{c}", lang) for c in out.columns}
    return out


def downstream_chains(summary: pd.DataFrame) -> list[str]:
    """Chains whose processed share comes from trade data at every stage (not a split)."""
    return [str(c) for c in summary.loc[summary["basis"] == "data", "chain"]]


def jobs_for_chains(
    exports: pd.DataFrame,
    *,
    base_years: Mapping[str, int],
    share: float,
    geography: str = "IDN",
    gate: bool = True,
) -> pd.DataFrame:
    """Jobs of each chain's national scenario (``share`` of raw exports processed at home).

    Parameters
    ----------
    exports : pandas.DataFrame
        National exports.
    base_years : mapping of str to int
        Chain -> base year.
    share : float
    geography : {"IDN", "ID-LA", "ID-BB"}, default "IDN"
        Table the jobs are counted in (national WIOD: direct jobs only, no employment data).
    gate : bool, default True
        Leave out the chains whose jobs fail a gate check (policymaker tables); ``False``
        keeps them (an analyst chart), with the failed checks still in ``attrs["withheld"]``.

    Returns
    -------
    pandas.DataFrame
        :func:`hilir.jobs.jobs_from_scenario` rows of every chain that has a scenario and
        passes the gate; ``attrs["skipped"]`` maps chains without one to the reason, and
        ``attrs["withheld"]`` maps chains whose jobs failed a gate check (the scenario's
        scale, or direct jobs implying less value added per worker than the sector pays) to
        the failed :class:`hilir.brief.gate.Check` objects.
    """
    from hilir.jobs import jobs_from_scenario
    from hilir.value import scenario, scenario_changes

    frames, skipped, withheld = [], {}, {}
    for chain, year in base_years.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", HilirDataWarning)
                res = scenario(exports, chain=chain, year=int(year), shares=[float(share)])
                ch = scenario_changes(res).drop(columns=["geography"])
                if ch["delta_value_usd"].isna().any():
                    raise HilirDataError("the scenario has no value change")
                jf = jobs_from_scenario(ch, geography=geography, price_factor="muv")  # type: ignore[arg-type]
        except (HilirDataError, ValueError) as exc:
            skipped[chain] = str(exc)
            continue
        failed = [c for c in _jobs_checks(res, jf, share) if not c.passed]
        if failed:
            withheld[chain] = failed
            if gate:
                continue
        jf.attrs = {}
        frames.append(jf)
    if not frames and not withheld:
        raise HilirDataError(f"no chain has a jobs estimate: {skipped}")
    if frames:
        out = pd.concat(frames, ignore_index=True)
    else:
        from hilir.jobs.scenario_spec import RESULT_COLUMNS

        out = pd.DataFrame(columns=list(RESULT_COLUMNS))
    out.attrs["skipped"] = skipped
    out.attrs["withheld"] = withheld
    return out


def _jobs_checks(res: pd.DataFrame, jobs: pd.DataFrame, share: float) -> list[Check]:
    """Gate checks of one chain's jobs: its scenario's scale and its direct jobs."""
    from hilir.brief.narrative.jobs import direct_jobs_check
    from hilir.brief.narrative.scenarios import scenario_scale_check

    checks = [scenario_scale_check(res, share=float(share))]
    try:
        checks.append(direct_jobs_check(jobs))
    except HilirDataError:
        pass  # no direct-jobs row: nothing to check
    return [c for c in checks if c is not None]


def withheld_note(jobs: pd.DataFrame, *, lang: str) -> str | None:
    """Which chains' jobs the gate withheld from the table, and why (``None``: none).

    Parameters
    ----------
    jobs : pandas.DataFrame
        :func:`jobs_for_chains` output (``attrs["withheld"]``).
    """
    check_lang(lang)
    withheld = jobs.attrs.get("withheld") or {}
    if not withheld:
        return None
    geo = str(jobs.attrs.get("geography") or "")
    where = f"{geography_label(geo, lang)}, " if geo else ""
    parts = [
        f"{where}{label('chain', str(c), lang)}: " + "; ".join(k.reason(lang) for k in checks)
        for c, checks in withheld.items()
    ]
    return say("overview.jobs_withheld", lang, items=" | ".join(parts))


def complete_chains(jobs: pd.DataFrame, *, kind: str = "direct") -> list[str]:
    """Chains whose ``kind`` jobs have a low, a central and a high value (drawable ranges)."""
    out = []
    for chain, g in jobs[jobs["kind"] == kind].groupby("chain", sort=False):
        vals = g.set_index(g["bound"].astype(str))["jobs"]
        if {"low", "central", "high"} <= set(vals.index) and vals.notna().all():
            out.append(str(chain))
    return out


def market_concentrations(
    exports: pd.DataFrame, *, products: Sequence[str] = MARKET_PRODUCTS
) -> pd.DataFrame:
    """Concentration of exports over destination markets for several products, stacked.

    Parameters
    ----------
    exports : pandas.DataFrame
        Tidy exports (``hilir.load_exports()``) with partner rows.
    products : sequence of str
        Registry products that have destination data (default: green coffee, coal, copper
        ore and ferro-nickel, the shipped partner-level series).

    Returns
    -------
    pandas.DataFrame
        :func:`hilir.markets.market_concentration` rows of every product, one table, ready
        for :func:`hilir.plots.plot_concentration`.
    """
    from hilir.markets import market_concentration

    return pd.concat(
        [market_concentration(exports, product=p) for p in products], ignore_index=True
    )
