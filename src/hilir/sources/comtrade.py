"""UN Comtrade CSV files (legacy download, legacy API/bulk, current API/bulk) -> tidy trade table.

Three layouts are detected from the header (column names are compared without case, spaces,
underscores, dots, parentheses and ``$``, so ``Trade Value (US$)`` and ``Trade_Value__US__``
are the same column):

``legacy`` download
    ``Year, Commodity Code, Commodity, Netweight (kg), Trade Value (US$)``, optionally with
    ``Reporter, Reporter ISO, Partner, Partner ISO, Trade Flow`` (the old comtrade.un.org
    "Download CSV"; users often add columns such as ``USD/ton``, which are ignored).
``legacy`` API/bulk (35 columns)
    ``Classification, Year, Period, Period Desc., Aggregate Level, Is Leaf Code, Trade Flow
    Code, Trade Flow, Reporter Code, Reporter, Reporter ISO, Partner Code, Partner, Partner
    ISO, ..., Commodity Code, Commodity, ..., Netweight (kg), ..., Trade Value (US$), ...,
    Flag``; R and pandas users often save it with ``_`` for spaces and brackets.
``current`` API/bulk (Comtrade Plus, ``comtradeapicall``)
    ``typeCode, freqCode, refPeriodId, refYear, refMonth, period, reporterCode, reporterISO,
    reporterDesc, flowCode, flowDesc, partnerCode, partnerISO, partnerDesc, partner2Code,
    partner2ISO, partner2Desc, classificationCode, classificationSearchCode,
    isOriginalClassification, cmdCode, cmdDesc, aggrLevel, isLeaf, customsCode, customsDesc,
    mosCode, motCode, motDesc, qtyUnitCode, qtyUnitAbbr, qty, isQtyEstimated, altQtyUnitCode,
    altQtyUnitAbbr, altQty, isAltQtyEstimated, netWgt, isNetWgtEstimated, grossWgt,
    isGrossWgtEstimated, cifvalue, fobvalue, primaryValue, legacyEstimationFlag, isReported,
    isAggregate``.
"""

from __future__ import annotations

import re
import warnings
from os import PathLike
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.hs import hs6_of, leaf_codes, revision_for_year, revision_from_comtrade
from hilir.registry.partners import resolve_numeric, resolve_partner, resolve_reporter
from hilir.schema.cells import parse_numbers
from hilir.schema.tables import TRADE, conform
from hilir.sources._common import (
    check_nonnegative,
    check_unique,
    column_key,
    find_column,
    first_bad,
    normalise_codes,
    read_csv_below_title,
)

Flow = Literal["export", "import"]
PathLikeStr = str | PathLike[str]

#: Role -> column names seen in the legacy and current layouts (first match wins).
COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("Year", "refYear"),
    "period": ("Period", "period"),
    "freq": ("freqCode",),
    "month": ("refMonth",),
    "classification": ("Classification", "classificationCode"),
    "hs": ("Commodity Code", "cmdCode"),
    "value": ("Trade Value (US$)", "primaryValue"),
    "weight": ("Netweight (kg)", "netWgt"),
    "reporter_iso": ("Reporter ISO", "reporterISO"),
    "reporter_name": ("Reporter", "reporterDesc"),
    "reporter_code": ("Reporter Code", "reporterCode"),
    "partner_iso": ("Partner ISO", "partnerISO"),
    "partner_name": ("Partner", "partnerDesc"),
    "partner_code": ("Partner Code", "partnerCode"),
    "flow_code": ("Trade Flow Code", "flowCode"),
    "flow": ("Trade Flow", "flowDesc"),
    "partner2": ("2nd Partner Code", "X2nd Partner Code", "partner2Code"),
    "customs": ("Customs Proc. Code", "customsCode"),
    "mot": ("Mode of Transport Code", "motCode"),
    "mos": ("mosCode",),
}

#: Breakdown columns of the current layout and the code of their total.
_TOTALS = {"partner2": ("0", "0.0"), "customs": ("C00",), "mot": ("0", "0.0"), "mos": ("0", "0.0")}
_BREAKDOWN_NAMES = {
    "partner2": "second partner",
    "customs": "customs procedure",
    "mot": "mode of transport",
    "mos": "mode of supply",
}

_FLOWS: dict[str, str] = {
    "x": "export",
    "2": "export",
    "export": "export",
    "exports": "export",
    "m": "import",
    "1": "import",
    "import": "import",
    "imports": "import",
}
#: Flows read but not kept: re-exports and re-imports, and the current API's special flows.
_OTHER_FLOWS = frozenset(
    {"3", "4", "rx", "rm", "re-export", "re-import", "re-exports", "re-imports", "dx", "fm"}
    | {"mip", "mop", "xip", "xop", "mif", "xef", "mig", "xig"}
)
_TOTAL_CODES = frozenset({"TOTAL", "ALL", "AG2", "AG4", "AG6"})
_YEAR = re.compile(r"^\d{4}$")
_KEY = ("year", "month", "reporter", "partner", "flow")


def detect_layout(columns: list[str]) -> Literal["legacy", "current"]:
    """Which Comtrade layout a header belongs to.

    Returns
    -------
    str
        ``"current"`` when the header has ``primaryValue`` or ``cmdCode``, else ``"legacy"``.
    """
    names = {column_key(c) for c in columns}
    return "current" if {"primaryvalue", "cmdcode", "refyear"} & names else "legacy"


def read_comtrade(
    path: PathLikeStr,
    *,
    source: str = "comtrade",
    reporter: str | None = None,
    partner: str | None = None,
    flow: Flow | None = None,
    classification: str | None = None,
) -> pd.DataFrame:
    """Read a UN Comtrade CSV in any of the three layouts into the tidy trade table.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file (UTF-8 with or without byte-order mark, or Windows-1252).
    source : str, default "comtrade"
        Provenance key written to the ``source`` column.
    reporter : str, optional
        Reporter (ISO alpha-3 code or name). Required when the file has no reporter column;
        when it has one, only that reporter's rows are kept.
    partner : str, optional
        Partner (``"WLD"`` for the world, an ISO code or a name). Required when the file has
        no partner column; otherwise selects that partner's rows.
    flow : {"export", "import"}, optional
        Required when the file has no trade-flow column; otherwise selects that flow.
    classification : str, optional
        Comtrade classification (``"H0"`` ... ``"H6"`` or ``"HS1992"`` ... ``"HS2022"``).
        When the file has no classification column it sets ``hs_revision``; otherwise it
        selects the rows of that classification.

    Returns
    -------
    pandas.DataFrame
        The :data:`hilir.schema.tables.TRADE` table: ``value_usd`` in US dollars (as reported:
        FOB for exports, CIF for imports), ``net_weight_kg`` in kilograms (empty when
        Comtrade has none), ``month`` empty for annual data.

    Raises
    ------
    HilirDataError
        Missing or renamed columns (row 1, the missing column), a reporter/partner/flow
        column that is absent without the matching argument, unknown partner names,
        unknown flow or classification codes, numbers that are not numbers, missing or
        negative values, the same flow twice, empty or cut files. The message names the
        file, the line and the column as written in the file.

    Warns
    -----
    HilirDataWarning
        When commodity codes stored as numbers lost their leading zero (restored:
        ``90111`` -> ``090111``); when title lines above the header were skipped; when
        re-export/re-import rows, all-product ``TOTAL`` rows or breakdown rows (mode of
        transport, customs procedure, second partner) were dropped; when the HS revision
        had to be inferred from the year; when heading rows were dropped in favour of
        their subheadings (see :func:`keep_leaf_rows`).

    Notes
    -----
    *Partners and reporters* are taken from the ISO column, then the name, then the numeric
    code, through :func:`hilir.registry.partners.resolve_partner`: ``WLD`` is ``world``, Comtrade's
    "Other Asia, nes" (no ISO code) becomes residual ``XOA``, and aggregates keep their
    code: the ``EU-28`` reporter (ISO ``EU2``) stays ``EU2``; world-share code must drop
    reporters for which :func:`hilir.registry.partners.partner_type_of` returns ``aggregate``.

    *HS revision*: Comtrade classifications map to revisions (H0 HS1992, H1 HS1996, H2
    HS2002, H3 HS2007, H4 HS2012, H5 HS2017, H6 HS2022; :func:`hilir.hs.revision_from_comtrade`).
    Codes are kept exactly as reported in their own revision, HS1996 files included (no
    concordance is applied here). When the file has no classification column and none is
    given, or reports ``HS`` ("as reported"), the revision is *inferred* from the year with
    :func:`hilir.hs.revision_for_year` (the revision in force that year), with a warning.

    *No double counting*: a file that reports a heading together with its subheadings for
    the same year, reporter, partner and flow keeps only the most detailed codes
    (:func:`keep_leaf_rows`).

    Examples
    --------
    >>> read_comtrade("idn_exports.csv", reporter="IDN", partner="WLD", flow="export")
    ... # doctest: +SKIP
    """
    if flow is not None and flow not in ("export", "import"):
        raise HilirDataError(f"flow must be 'export' or 'import', not {flow!r}")
    df, skip = read_csv_below_title(path, (*COLUMNS["hs"], *COLUMNS["value"]))
    cols = {role: find_column(df.columns, names) for role, names in COLUMNS.items()}
    layout = detect_layout(list(df.columns))
    header_row = skip + 1
    for role in ("year", "hs", "value"):
        if cols[role] is None:
            names = COLUMNS[role]
            wanted = names[0] if layout == "legacy" else names[-1]
            have = [c for c in df.columns if c != "_row"]
            raise HilirDataError(
                f"missing column {wanted!r} ({layout} Comtrade layout); the file has {have}",
                path=path,
                row=header_row,
                column=wanted,
            )

    df = _drop_total_codes(df, cols["hs"], path)
    df = _keep_breakdown_totals(df, cols, path)
    out = pd.DataFrame(index=df.index)
    out["year"] = _years(df, cols["year"], path)
    out["month"] = _months(df, cols, out["year"], path)
    out["flow"] = _flows(df, cols, flow, path, header_row)
    keep = out["flow"].isin(["export", "import"])
    if not keep.all():
        shown = cols["flow"] or cols["flow_code"]
        dropped = sorted(set(df.loc[~keep, shown].str.strip())) if shown else []
        warnings.warn(
            f"{path}: dropped {int((~keep).sum())} row(s) with flows {dropped} "
            "(hilir keeps exports and imports only)",
            HilirDataWarning,
            stacklevel=2,
        )
        df, out = df.loc[keep], out.loc[keep]
    out["reporter"] = _places(df, cols, "reporter", reporter, path, header_row)
    parties = _places(df, cols, "partner", partner, path, header_row, with_type=True)
    out["partner"] = parties["code"]
    out["partner_type"] = parties["partner_type"]
    out["hs_revision"] = _revisions(df, cols, classification, out["year"], path)

    # Selections given as arguments for columns the file has.
    mask = pd.Series(True, index=out.index)
    if reporter is not None and _has(cols, "reporter"):
        mask &= out["reporter"].eq(resolve_reporter(reporter))
    if partner is not None and _has(cols, "partner"):
        mask &= out["partner"].eq(resolve_partner(partner)[0])
    if flow is not None and (cols["flow"] or cols["flow_code"]):
        mask &= out["flow"].eq(flow)
    if classification is not None and cols["classification"]:
        mask &= out["hs_revision"].eq(revision_from_comtrade(classification))
    if not mask.all():
        df, out = df.loc[mask], out.loc[mask]
        if out.empty:
            raise HilirDataError(
                "no rows left after selecting "
                + ", ".join(
                    f"{k}={v!r}"
                    for k, v in {
                        "reporter": reporter,
                        "partner": partner,
                        "flow": flow,
                        "classification": classification,
                    }.items()
                    if v is not None
                ),
                path=path,
            )

    out["hs_code"] = normalise_codes(df, cols["hs"], path=path)
    out["hs6"] = out["hs_code"].map(hs6_of).astype("string")
    out["item_code"] = ""
    value = parse_numbers(df, cols["value"], path=path, allow_missing=False)
    out["value_usd"] = check_nonnegative(value, df, cols["value"], path=path)
    if cols["weight"] is not None:
        weight = parse_numbers(df, cols["weight"], path=path)
        out["net_weight_kg"] = check_nonnegative(weight, df, cols["weight"], path=path)
    else:
        out["net_weight_kg"] = np.nan
    out["source"] = source
    out["_row"] = df["_row"]

    check_unique(out, [*_KEY, "hs_code"], path=path, column=cols["hs"])
    out = keep_leaf_rows(out, path=path)
    return conform(out, TRADE, path=path, row_numbers=out["_row"])


def keep_leaf_rows(
    df: pd.DataFrame,
    *,
    tolerance: float = 0.005,
    path: PathLikeStr | None = None,
) -> pd.DataFrame:
    """Drop heading rows reported together with their subheadings, so nothing is counted twice.

    Within each year, month, reporter, partner and flow (and ``source`` when present), a row
    whose ``hs_code`` is a strict prefix of another row's code (``7218`` above ``721810``) is
    an aggregate of rows already in the table and is dropped; the most detailed codes
    (leaves, :func:`hilir.hs.leaf_codes`) are kept.

    Parameters
    ----------
    df : pandas.DataFrame
        Trade rows with ``hs_code``, ``value_usd`` and the key columns.
    tolerance : float, default 0.005
        Relative difference (0.5 %) between a heading's value and the sum of its leaf rows
        above which a warning is given: the subheadings then do not cover the heading, and
        the part not covered is lost with the heading row.
    path : str or os.PathLike, optional
        The file, for the warning text.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` without the heading rows (index kept).

    Warns
    -----
    HilirDataWarning
        When heading rows are dropped, and separately when a heading differs from the sum
        of its leaves by more than ``tolerance``.
    """
    codes = df["hs_code"].astype(str)
    parents = set(codes) - leaf_codes(codes)
    if not parents:
        return df.copy()
    key = [c for c in ("source", *_KEY) if c in df.columns]
    work = df[key].copy()
    if "month" in work.columns:
        work["month"] = work["month"].astype("Float64").fillna(0)
    work["_code"] = codes.to_numpy()
    work["_len"] = work["_code"].str.len()
    work["_pos"] = np.arange(len(df))
    work["_value"] = pd.to_numeric(df["value_usd"]).to_numpy()
    nonleaf = np.zeros(len(df), dtype=bool)
    lengths = sorted({len(c) for c in parents})
    for length in lengths:
        longer = work.loc[work["_len"] > length, key].copy()
        longer["_code"] = work.loc[work["_len"] > length, "_code"].str[:length]
        longer = longer.drop_duplicates()
        cand = work.loc[work["_len"] == length, [*key, "_code", "_pos"]]
        hit = cand.merge(longer, on=[*key, "_code"], how="inner")
        nonleaf[hit["_pos"].to_numpy()] = True
    if not nonleaf.any():
        return df.copy()
    leaves = work.loc[~nonleaf]
    worst: tuple[float, str] | None = None
    n_off = 0
    for length in sorted(set(work.loc[nonleaf, "_len"])):
        desc = leaves.loc[leaves["_len"] > length, [*key, "_code", "_value"]].copy()
        desc["_code"] = desc["_code"].str[:length]
        sums = desc.groupby([*key, "_code"], dropna=False, as_index=False)["_value"].sum()
        heads = work.loc[nonleaf & (work["_len"] == length).to_numpy(), [*key, "_code", "_value"]]
        both = heads.merge(sums, on=[*key, "_code"], how="left", suffixes=("", "_leaves"))
        head = both["_value"].to_numpy(dtype=float)
        leaf = both["_value_leaves"].fillna(0).to_numpy(dtype=float)
        rel = np.abs(head - leaf) / np.where(head > 0, head, 1.0)
        off = (rel > tolerance) & ~((head == 0) & (leaf == 0))
        n_off += int(off.sum())
        if off.any():
            i = int(np.argmax(np.where(off, rel, -1)))
            r = both.iloc[i]
            text = (
                f"{r['_code']} in {int(r['year'])} (reporter {r.get('reporter', '?')}, "
                f"partner {r.get('partner', '?')}): heading {head[i]:,.0f} USD, "
                f"subheadings {leaf[i]:,.0f} USD"
            )
            if worst is None or rel[i] > worst[0]:
                worst = (float(rel[i]), text)
    where = f"{path}: " if path is not None else ""
    warnings.warn(
        f"{where}dropped {int(nonleaf.sum())} heading row(s) reported together with their "
        "subheadings; the subheadings are kept, so nothing is counted twice",
        HilirDataWarning,
        stacklevel=2,
    )
    if worst is not None:
        warnings.warn(
            f"{where}{n_off} heading(s) differ from the sum of their reported subheadings by "
            f"more than {tolerance:.1%} (largest: {worst[1]}); the difference is not in the "
            "table",
            HilirDataWarning,
            stacklevel=2,
        )
    return df.loc[~nonleaf].copy()


# --- helpers -----------------------------------------------------------------------------


def _drop_total_codes(df: pd.DataFrame, col: str, path: PathLikeStr) -> pd.DataFrame:
    total = df[col].str.strip().str.upper().isin(_TOTAL_CODES)
    if total.any():
        warnings.warn(
            f"{path}: dropped {int(total.sum())} all-product row(s) ({col} = TOTAL/ALL); "
            "hilir works with product codes",
            HilirDataWarning,
            stacklevel=3,
        )
        df = df.loc[~total]
        if df.empty:
            raise HilirDataError("the file has only all-product TOTAL rows", path=path, column=col)
    return df


def _keep_breakdown_totals(
    df: pd.DataFrame, cols: dict[str, str | None], path: PathLikeStr
) -> pd.DataFrame:
    for role, totals in _TOTALS.items():
        col = cols[role]
        if col is None:
            continue
        cells = df[col].str.strip()
        is_total = cells.isin(totals) | cells.eq("")
        if is_total.all():
            continue
        if not is_total.any():
            raise HilirDataError(
                f"the file is broken down by {_BREAKDOWN_NAMES[role]} and has no total rows "
                f"({col} = {totals[0]}); download the total",
                path=path,
                row=first_bad(~is_total, df),
                column=col,
            )
        warnings.warn(
            f"{path}: dropped {int((~is_total).sum())} row(s) broken down by "
            f"{_BREAKDOWN_NAMES[role]} ({col} other than {totals[0]}); the totals are kept",
            HilirDataWarning,
            stacklevel=3,
        )
        df = df.loc[is_total]
    return df


def _years(df: pd.DataFrame, col: str, path: PathLikeStr) -> pd.Series:
    cells = df[col].str.strip().str.replace(r"\.0$", "", regex=True)
    bad = ~cells.str.fullmatch(_YEAR.pattern)
    if bad.any():
        raise HilirDataError(
            f"{df.loc[bad, col].iloc[0]!r} is not a four-digit year",
            path=path,
            row=first_bad(bad, df),
            column=col,
        )
    return cells.astype("int64")


def _months(
    df: pd.DataFrame, cols: dict[str, str | None], years: pd.Series, path: PathLikeStr
) -> pd.Series:
    month = pd.Series(pd.NA, index=df.index, dtype="Int64")
    freq_col, period_col, month_col = cols["freq"], cols["period"], cols["month"]
    if freq_col is not None:
        monthly = df[freq_col].str.strip().str.upper().eq("M")
    elif period_col is not None:
        monthly = df[period_col].str.strip().str.len().eq(6)
    else:
        return month
    if not monthly.any():
        return month
    if month_col is not None and freq_col is not None:
        src_col = month_col
        text = df[month_col].str.strip()
    elif period_col is not None:
        src_col = period_col
        text = df[period_col].str.strip().str[4:]
        wrong_year = monthly & df[period_col].str.strip().str[:4].ne(years.astype(str))
        if wrong_year.any():
            raise HilirDataError(
                "period does not match the year column",
                path=path,
                row=first_bad(wrong_year, df),
                column=period_col,
            )
    else:
        return month
    numbers = pd.to_numeric(text.where(monthly), errors="coerce")
    bad = monthly & ~numbers.between(1, 12)
    if bad.any():
        raise HilirDataError(
            f"{df.loc[bad, src_col].iloc[0]!r} is not a month 1-12",
            path=path,
            row=first_bad(bad, df),
            column=src_col,
        )
    month[monthly] = numbers[monthly].astype("int64")
    return month


def _flows(
    df: pd.DataFrame,
    cols: dict[str, str | None],
    flow: str | None,
    path: PathLikeStr,
    header_row: int,
) -> pd.Series:
    col = cols["flow_code"] or cols["flow"]
    if col is None:
        if flow is None:
            raise HilirDataError(
                "the file has no trade-flow column: pass flow='export' or flow='import'",
                path=path,
                row=header_row,
                column=COLUMNS["flow"][0],
            )
        return pd.Series(flow, index=df.index, dtype="string")
    keys = df[col].str.strip().str.lower()
    known = keys.map(_FLOWS)
    other = keys.isin(_OTHER_FLOWS)
    bad = known.isna() & ~other
    if bad.any():
        raise HilirDataError(
            f"unknown trade flow {df.loc[bad, col].iloc[0]!r} (expected Export/Import, X/M, 2/1)",
            path=path,
            row=first_bad(bad, df),
            column=col,
        )
    return known.fillna(df[col].str.strip()).astype("string")


def _places(
    df: pd.DataFrame,
    cols: dict[str, str | None],
    role: Literal["reporter", "partner"],
    given: str | None,
    path: PathLikeStr,
    header_row: int,
    *,
    with_type: bool = False,
) -> pd.DataFrame | pd.Series:
    iso, name, num = cols[f"{role}_iso"], cols[f"{role}_name"], cols[f"{role}_code"]
    if iso is None and name is None and num is None:
        if given is None:
            raise HilirDataError(
                f"the file has no {role} column: pass {role}=... (for example "
                f"{role}={'IDN' if role == 'reporter' else 'WLD'!r})",
                path=path,
                row=header_row,
                column=COLUMNS[f"{role}_iso"][0],
            )
        if role == "reporter":
            code, ptype = resolve_reporter(given), "country"
        else:
            code, ptype = resolve_partner(given)
        if not with_type:
            return pd.Series(code, index=df.index, dtype="string")
        return pd.DataFrame(
            {"code": pd.Series(code, index=df.index, dtype="string"), "partner_type": ptype}
        )
    parts = [c for c in (iso, name, num) if c is not None]
    triples = df[parts].apply(lambda s: s.str.strip())
    resolved: dict[tuple[str, ...], tuple[str, str]] = {}
    codes: list[str] = []
    types: list[str] = []
    for pos, values in enumerate(triples.itertuples(index=False, name=None)):
        if values not in resolved:
            resolved[values] = _resolve_one(dict(zip(parts, values, strict=True)), iso, name, num)
            if resolved[values][1] == "error":
                col = name if name is not None and values[parts.index(name)] else (iso or num)
                text = resolved[values][0]
                raise HilirDataError(text, path=path, row=int(df["_row"].iloc[pos]), column=col)
        codes.append(resolved[values][0])
        types.append(resolved[values][1])
    code_s = pd.Series(codes, index=df.index, dtype="string")
    if not with_type:
        return code_s
    return pd.DataFrame({"code": code_s, "partner_type": pd.Series(types, index=df.index)})


def _resolve_one(
    cells: dict[str, str], iso: str | None, name: str | None, num: str | None
) -> tuple[str, str]:
    reasons: list[str] = []
    for col, resolve in ((iso, resolve_partner), (name, resolve_partner), (num, resolve_numeric)):
        if col is not None and cells[col]:
            try:
                return resolve(cells[col])
            except HilirDataError as exc:
                reasons.append(exc.reason)
    return ("; ".join(reasons) or "reporter/partner is missing"), "error"


def _revisions(
    df: pd.DataFrame,
    cols: dict[str, str | None],
    classification: str | None,
    years: pd.Series,
    path: PathLikeStr,
) -> pd.Series:
    col = cols["classification"]
    inferred = pd.Series([revision_for_year(int(y)) for y in years], index=df.index)
    if col is None:
        if classification is not None:
            return pd.Series(revision_from_comtrade(classification), index=df.index)
        warnings.warn(
            f"{path}: no classification column; HS revision inferred from the year "
            "(the revision in force that year)",
            HilirDataWarning,
            stacklevel=3,
        )
        return inferred
    cells = df[col].str.strip().str.upper()
    as_reported = cells.isin(["HS", ""])
    out = pd.Series(pd.NA, index=df.index, dtype="object")
    for value in sorted(set(cells[~as_reported])):
        try:
            rev = revision_from_comtrade(value)
        except HilirDataError as exc:
            bad = cells.eq(value)
            raise HilirDataError(exc.reason, path=path, row=first_bad(bad, df), column=col) from exc
        out[cells.eq(value)] = rev
    if as_reported.any():
        warnings.warn(
            f"{path}: classification 'HS' (as reported) on {int(as_reported.sum())} row(s); "
            "HS revision inferred from the year",
            HilirDataWarning,
            stacklevel=3,
        )
        out[as_reported] = inferred[as_reported]
    return out


def _has(cols: dict[str, str | None], role: str) -> bool:
    return any(cols[f"{role}_{part}"] is not None for part in ("iso", "name", "code"))
