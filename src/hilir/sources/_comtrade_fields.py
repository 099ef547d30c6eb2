"""Fields of a UN Comtrade CSV: years, months, flows, places, HS revisions, totals.

Each helper reads one field of :func:`hilir.sources.comtrade.read_comtrade` from the
columns found for it (``cols``: role -> column name or None) and names file, row and column
in its errors.
"""

from __future__ import annotations

import re
import warnings
from os import PathLike
from typing import Literal

import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.hs import revision_for_year, revision_from_comtrade
from hilir.registry.partners import resolve_numeric, resolve_partner, resolve_reporter
from hilir.schema.cells import year_range_error
from hilir.sources._common import (
    first_bad,
)

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

#: Numeric codes of historic areas that UN Comtrade still reports for old years (UN
#: Statistics Division, Standard country or area codes for statistical use (M49), historical
#: codes; UN Comtrade reference tables of reporters and partners; ISO 3166-3 for the
#: withdrawn alpha-3 codes) -> the code hilir keeps them under. Each area stays one partner
#: of its own (never split into its successor states); 280 (Federal Republic of Germany,
#: until 1990) keeps ISO's alpha-3 DEU, which the unified Germany (276) took over, so a
#: German series breaks in 1991; 230 (Ethiopia with Eritrea, until 1993) and 736 (Sudan
#: with South Sudan, until 2011) keep their country's alpha-3 code.
HISTORIC_NUMERIC: dict[int, str] = {
    58: "BLX",  # Belgium-Luxembourg (until 1998)
    200: "CSK",  # Czechoslovakia (until 1992)
    230: "ETH",  # Ethiopia, with Eritrea (until 1993)
    278: "DDR",  # German Democratic Republic (until 1990)
    280: "DEU",  # Federal Republic of Germany (until 1990)
    530: "ANT",  # Netherlands Antilles (until 2010)
    736: "SDN",  # Sudan, with South Sudan (until 2011)
    810: "SUN",  # USSR (until 1991)
    890: "YUG",  # Socialist Federal Republic of Yugoslavia (until 1991)
    891: "SCG",  # Serbia and Montenegro (1992-2005)
}
#: Codes of areas that no longer exist (a note, never an error, when they are partners).
HISTORIC_CODES = frozenset({"BLX", "CSK", "DDR", "SUN", "YUG", "SCG", "ANT"})

#: How R's ``write.csv`` writes a missing cell (its default ``na = "NA"``).
R_MISSING = "NA"


def _r_missing(df: pd.DataFrame) -> pd.DataFrame:
    """Cells written ``NA`` (R's ``write.csv``) are missing, and R's row-number column goes.

    In a Comtrade file ``NA`` is never a value: codes and ISO columns hold numbers and
    alpha-3 codes (Namibia is ``516``/``NAM``, never its alpha-2 ``NA``), names are spelt out.
    """
    cols = [c for c in df.columns if c != "_row"]
    if cols and (str(cols[0]).startswith("Unnamed: ") or str(cols[0]).strip() == ""):
        first = df[cols[0]].str.strip()
        if first.str.fullmatch(r"\d+").all():
            df = df.drop(columns=cols[0])
            cols = cols[1:]
    na = df[cols].apply(lambda s: s.str.strip().eq(R_MISSING))
    if na.to_numpy().any():
        df = df.copy()
        df[cols] = df[cols].mask(na, "")
    return df


def _drop_total_codes(df: pd.DataFrame, col: str, path: PathLikeStr) -> pd.DataFrame:
    total = df[col].str.strip().str.upper().isin(_TOTAL_CODES)
    if total.any():
        warnings.warn(
            f"{path}: dropped {int(total.sum())} all-product row(s) ({col} = TOTAL/ALL); "
            "hilir works with product codes",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
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
            stacklevel=caller_stacklevel(),
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
    years = cells.astype("int64")
    rows = df["_row"] if "_row" in df.columns else None
    error = year_range_error(years, path=path, column=col, rows=rows)
    if error is not None:
        raise error
    return years


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
    if col == cols["flow_code"] and cols["flow"]:
        # Bulk files carry both; a code the file does not define (0) defers to the text.
        text = df[cols["flow"]].str.strip().str.lower()
        keys = keys.where(keys.map(_FLOWS).notna() | keys.isin(_OTHER_FLOWS), text)
        col = cols["flow"] if keys.equals(text) else col
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
    tolerate: bool = False,
) -> pd.DataFrame | pd.Series:
    """Code (and type) of each row's reporter or partner.

    With ``tolerate`` a place that does not resolve gets a missing code instead of an error:
    the caller selects one reporter or partner, and a row that cannot be it is dropped.
    """
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
            if resolved[values][1] == "error" and tolerate:
                resolved[values] = (pd.NA, pd.NA)  # type: ignore[assignment]
            elif resolved[values][1] == "error":
                col = name if name is not None and values[parts.index(name)] else (iso or num)
                text = resolved[values][0]
                raise HilirDataError(text, path=path, row=int(df["_row"].iloc[pos]), column=col)
        codes.append(resolved[values][0])
        types.append(resolved[values][1])
    code_s = pd.Series(codes, index=df.index, dtype="string")
    if not with_type:
        return code_s
    return pd.DataFrame({"code": code_s, "partner_type": pd.Series(types, index=df.index)})


def _resolve_numeric(code: str) -> tuple[str, str]:
    """:func:`resolve_numeric`, knowing the historic areas of :data:`HISTORIC_NUMERIC`."""
    text = str(code).strip().removesuffix(".0")
    if text.isdigit() and int(text) in HISTORIC_NUMERIC:
        return HISTORIC_NUMERIC[int(text)], "country"
    return resolve_numeric(text)


def _resolve_one(
    cells: dict[str, str], iso: str | None, name: str | None, num: str | None
) -> tuple[str, str]:
    reasons: list[str] = []
    for col, resolve in ((iso, resolve_partner), (name, resolve_partner), (num, _resolve_numeric)):
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
            stacklevel=caller_stacklevel(),
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
            stacklevel=caller_stacklevel(),
        )
        out[as_reported] = inferred[as_reported]
    return out


def _has(cols: dict[str, str | None], role: str) -> bool:
    return any(cols[f"{role}_{part}"] is not None for part in ("iso", "name", "code"))
