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

import warnings
from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.fileio import is_workbook
from hilir.hs import hs6_of, leaf_codes, normalise_hs_code, revision_from_comtrade
from hilir.registry.partners import resolve_partner, resolve_reporter
from hilir.schema.cells import parse_numbers
from hilir.schema.tables import TRADE, conform
from hilir.sources._common import (
    check_nonnegative,
    check_unique,
    column_key,
    find_column,
    normalise_codes,
    read_csv_below_title,
)
from hilir.sources._comtrade_fields import (
    COLUMNS,
    HISTORIC_CODES,
    HISTORIC_NUMERIC,
    _drop_total_codes,
    _flows,
    _has,
    _keep_breakdown_totals,
    _months,
    _places,
    _r_missing,
    _revisions,
    _years,
)
from hilir.sources.bulk_scan import PROGRESS_BYTES, hs_ranges, plain_file

Flow = Literal["export", "import"]
PathLikeStr = str | PathLike[str]

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
    years: Sequence[int] | None = None,
    hs_prefixes: Sequence[str] | None = None,
    progress: bool | None = None,
    bulk: bool | None = None,
) -> pd.DataFrame:
    """Read a UN Comtrade CSV in any of the three layouts into the tidy trade table.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file (UTF-8 with or without byte-order mark, or Windows-1252), gzipped, or a
        zip archive holding one CSV (as Comtrade's bulk downloads come).
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
    years : sequence of int, optional
        Keep only these years.
    hs_prefixes : sequence of str, optional
        Keep only products whose code (leading zero restored) starts with one of these
        (``["0901", "7202"]``; 1 to 6 digits).
    progress : bool, optional
        A progress bar (bytes) for the bulk scan; by default for files over 50 MB.
    bulk : bool, optional
        Read with the streaming, filter-first scan of
        :func:`hilir.sources.comtrade_bulk.scan_comtrade` (``True``) or read and check every
        cell as text (``False``). By default the scan reads gzip and zip files and files over
        50 MB; workbooks are always read as text. Both give the same table.

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

    *R exports*: R's ``write.csv`` adds a row-number column headed ``""`` (ignored) and writes
    ``NA`` for every missing cell; ``NA`` is read as missing, never as a code or name (it is
    Namibia's ISO alpha-2 code, but Comtrade files use alpha-3 ``NAM`` and the name).

    *Historic areas*: with ``reporter`` given, the rows of other reporters are not read
    further, whatever their code, so a file that also holds reporter 810 (USSR) or an area
    hilir does not know is not refused. Historic partners (58 Belgium-Luxembourg ``BLX``,
    200 Czechoslovakia ``CSK``, 278/280 the two German states ``DDR``/``DEU``, 810 USSR
    ``SUN``, 890 Yugoslavia ``YUG``, 891 Serbia and Montenegro ``SCG``; UN M49 historic
    codes, :data:`hilir.sources._comtrade_fields.HISTORIC_NUMERIC`) are kept, each under its
    own code and never split into successor states, with a :class:`HilirDataWarning`.

    Examples
    --------
    >>> read_comtrade("idn_exports.csv", reporter="IDN", partner="WLD", flow="export")
    ... # doctest: +SKIP
    """
    if flow is not None and flow not in ("export", "import"):
        raise HilirDataError(f"flow must be 'export' or 'import', not {flow!r}")
    if hs_prefixes is not None:
        hs_ranges(hs_prefixes)  # 1 to 6 digits, else an error naming the prefix
    selection = {
        "reporter": reporter,
        "partner": partner,
        "flow": flow,
        "classification": classification,
        "years": list(years) if years is not None else None,
        "hs_prefixes": list(hs_prefixes) if hs_prefixes is not None else None,
    }
    if _use_bulk(path, bulk):
        from hilir.sources.comtrade_bulk import scan_comtrade

        scan = scan_comtrade(
            path,
            reporter=reporter,
            partner=partner,
            flow=flow,
            years=years,
            hs_prefixes=hs_prefixes,
            progress=progress,
        )
        df, header, skip = scan.frame.drop(columns="_keep"), scan.header, scan.skip
        if df.empty and scan.scanned and _has_columns(header):
            raise HilirDataError(_no_rows(selection), path=path)
    else:
        df, skip = _read_text(path, progress)
        header = [c for c in df.columns if c != "_row"]
    return _convert(df, header, skip, path, source=source, selection=selection)


def _use_bulk(path: PathLikeStr, bulk: bool | None) -> bool:
    """Whether :func:`read_comtrade` scans the file (see its ``bulk`` parameter)."""
    if is_workbook(path):
        if bulk:
            raise HilirDataError(
                "the bulk scan reads CSV files (plain, gzip or zip); read a workbook with "
                "bulk=False",
                path=path,
            )
        return False
    if bulk is not None:
        return bulk
    p = Path(path)
    if not p.is_file():
        return False  # the text reader says the file is not there
    with open(p, "rb") as fh:
        magic = fh.read(4)
    return magic[:2] == b"\x1f\x8b" or magic == b"PK\x03\x04" or p.stat().st_size > PROGRESS_BYTES


def _has_columns(header: list[str]) -> bool:
    return all(find_column(header, COLUMNS[role]) for role in ("year", "hs", "value"))


def _read_text(path: PathLikeStr, progress: bool | None) -> tuple[pd.DataFrame, int]:
    """Every cell as text (a gzip or zip file decompressed first), errors naming ``path``."""
    p = Path(path)
    compressed = False
    if p.is_file() and not is_workbook(p):
        with open(p, "rb") as fh:
            magic = fh.read(4)
        compressed = magic[:2] == b"\x1f\x8b" or magic == b"PK\x03\x04"
    names = (*COLUMNS["hs"], *COLUMNS["value"])
    if not compressed:
        return read_csv_below_title(path, names)
    with plain_file(p, progress=progress) as files:
        if len(files) != 1:
            raise HilirDataError(
                f"the zip archive holds {len(files)} CSV files; read each one by itself",
                path=path,
            )
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", HilirDataWarning)
                df, skip = read_csv_below_title(files[0], names)
        except HilirDataError as exc:
            raise HilirDataError(exc.reason, path=path, row=exc.row, column=exc.column) from exc
    for w in caught:
        warnings.warn(
            str(w.message).replace(str(files[0]), str(path)),
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    return df, skip


def _no_rows(selection: dict[str, object]) -> str:
    return "no rows left after selecting " + ", ".join(
        f"{k}={v!r}" for k, v in selection.items() if v is not None
    )


def _convert(
    df: pd.DataFrame,
    header: list[str],
    skip: int,
    path: PathLikeStr,
    *,
    source: str,
    selection: dict[str, Any],
) -> pd.DataFrame:
    """The text rows of a Comtrade file (with ``_row``) checked and converted to TRADE."""
    reporter, partner = selection["reporter"], selection["partner"]
    flow, classification = selection["flow"], selection["classification"]
    df = _r_missing(df)
    cols = {role: find_column(df.columns, names) for role, names in COLUMNS.items()}
    layout = detect_layout(header)
    header_row = skip + 1
    for role in ("year", "hs", "value"):
        if cols[role] is None:
            names = COLUMNS[role]
            wanted = names[0] if layout == "legacy" else names[-1]
            have = [c for c in header if c != "_row"]
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
            stacklevel=caller_stacklevel(),
        )
        df, out = df.loc[keep], out.loc[keep]
    df, out = _parties(df, out, cols, reporter, partner, path, header_row)
    out["hs_revision"] = _revisions(df, cols, classification, out["year"], path)

    df, out = _select(df, out, cols, selection, path=path)
    _note_historic(df, out, cols, path)

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


def _select(
    df: pd.DataFrame,
    out: pd.DataFrame,
    cols: dict[str, str | None],
    selection: dict[str, Any],
    *,
    path: PathLikeStr,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the rows matching the selections given as arguments, for columns the file has.

    ``years`` and ``hs_prefixes`` select on every file (the year and product columns are
    required); a product code that is not an HS code is not selected.
    """
    reporter, partner = selection["reporter"], selection["partner"]
    flow, classification = selection["flow"], selection["classification"]
    years, prefixes = selection["years"], selection["hs_prefixes"]
    mask = pd.Series(True, index=out.index)
    if years is not None:
        mask &= out["year"].isin([int(y) for y in years])
    if prefixes is not None:
        mask &= _prefix_mask(df[cols["hs"]], tuple(str(p).strip() for p in prefixes))
    if reporter is not None and _has(cols, "reporter"):
        mask &= out["reporter"].eq(resolve_reporter(reporter)).fillna(False).astype(bool)
    if partner is not None and _has(cols, "partner"):
        mask &= out["partner"].eq(resolve_partner(partner)[0]).fillna(False).astype(bool)
    if flow is not None and (cols["flow"] or cols["flow_code"]):
        mask &= out["flow"].eq(flow)
    if classification is not None and cols["classification"]:
        mask &= out["hs_revision"].eq(revision_from_comtrade(classification))
    if not mask.all():
        df, out = df.loc[mask], out.loc[mask]
        if out.empty:
            raise HilirDataError(_no_rows(selection), path=path)
    return df, out


def _prefix_mask(cells: pd.Series, prefixes: tuple[str, ...]) -> pd.Series:
    """Rows whose product code starts with one of ``prefixes``.

    Codes are read as :func:`hilir.hs.normalise_hs_code` reads them (leading zero
    restored); a code that is not an HS code is not selected.
    """
    positions, uniques = pd.factorize(cells.fillna(""))
    hit = np.zeros(len(uniques), dtype=bool)
    for i, code in enumerate(uniques):
        try:
            text, _ = normalise_hs_code(code, warn=False)
        except HilirDataError:
            continue
        hit[i] = text.startswith(prefixes)
    return pd.Series(hit[positions], index=cells.index, dtype=bool)


def _parties(
    df: pd.DataFrame,
    out: pd.DataFrame,
    cols: dict[str, str | None],
    reporter: str | None,
    partner: str | None,
    path: PathLikeStr,
    header_row: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reporter, partner and partner type; with ``reporter`` other reporters' rows go first.

    Rows of other reporters are not read further, whatever their code (historic or unknown),
    so a file holding them is not refused when one reporter is selected.
    """
    out = out.copy()
    out["reporter"] = _places(
        df, cols, "reporter", reporter, path, header_row, tolerate=reporter is not None
    )
    if reporter is not None and _has(cols, "reporter"):
        df, out = _keep(df, out, out["reporter"].eq(resolve_reporter(reporter)), path, reporter)
    parties = _places(
        df, cols, "partner", partner, path, header_row, with_type=True, tolerate=partner is not None
    )
    out["partner"] = parties["code"]
    out["partner_type"] = parties["partner_type"]
    return df, out


def _keep(
    df: pd.DataFrame, out: pd.DataFrame, mask: pd.Series, path: PathLikeStr, reporter: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of the selected reporter (an error naming it when there are none)."""
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        raise HilirDataError(f"no rows left after selecting reporter={reporter!r}", path=path)
    return df.loc[mask], out.loc[mask]


def _note_historic(
    df: pd.DataFrame, out: pd.DataFrame, cols: dict[str, str | None], path: PathLikeStr
) -> None:
    """Say which kept partners are areas that no longer exist (kept under their own code)."""
    historic = out["partner"].isin(list(HISTORIC_CODES)).fillna(False).astype(bool)
    if cols["partner_code"] is not None:
        num = df[cols["partner_code"]].str.strip().str.removesuffix(".0")
        historic |= num.isin([str(k) for k in HISTORIC_NUMERIC])
    if historic.any():
        found = sorted(set(out.loc[historic, "partner"].dropna()))
        warnings.warn(
            f"{path}: {int(historic.sum())} row(s) with partners that are historic areas "
            f"(kept as {found}: Belgium-Luxembourg, Czechoslovakia, the two German states, "
            "the USSR, Yugoslavia ...); each is kept under its own code, not split into its "
            "successor states, so series break where the area ends",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )


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
        stacklevel=caller_stacklevel(),
    )
    if worst is not None:
        warnings.warn(
            f"{where}{n_off} heading(s) differ from the sum of their reported subheadings by "
            f"more than {tolerance:.1%} (largest: {worst[1]}); the difference is not in the "
            "table",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    return df.loc[~nonleaf].copy()
