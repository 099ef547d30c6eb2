"""Filter-first scans of UN Comtrade bulk files on Polars (CSV, gzip or zip).

:func:`scan_comtrade` reads a Comtrade file in any of the three layouts of
:mod:`hilir.sources.comtrade` with one streaming pass of Polars (``scan_csv(...).filter(...)
.collect(engine="streaming")``, every cell as text) and keeps:

* the rows the filters ask for (reporter, partner, flow, years, HS prefixes), each pushed
  into the scan on the columns the file has (reporter and partner by ISO code or numeric
  code; a row whose ISO and numeric code are both empty, or whose ISO code hilir does not
  know, is kept for the reader to resolve by name);
* every *suspect* row: a row on which a check that :func:`~hilir.sources.comtrade.read_comtrade`
  runs before its selection could fail (a year that is not four digits or outside
  1900 to the current year, a month outside 1-12 or a period of another year, an unknown
  trade-flow or classification code), a row whose value is missing or not a plain number,
  whose weight is not a number, whose product code is not digits, and a row whose last
  cell is empty (a line cut short, checked against the line itself).

The kept rows travel as text with their line numbers (``_row``; the header is line 1, title
lines above it and blank lines count) to the reader's own checks and conversion, which name
file, row and column, and then drop the rows not asked for. So the checks the engine can do
run on the whole file, and the rest (names of places, duplicates, HS codes, headings and
subheadings) on the rows kept. The reader gives the same table for a file read either way.

What the scan does not check on the rows it drops: the reporter and partner names and codes
(a row of another reporter is never resolved, on either path; a row of the reporter asked
for but of another flow, year or product is resolved by the plain reader only), and a line
with text after the last header column (Polars refuses the file and the plain reader
names the line). A file Polars cannot read (too many fields on a line, a cell spanning lines
among the kept rows) is read whole by :func:`hilir.fileio.read_csv`, whose errors name the
line; a file that is not UTF-8 is transcoded from Windows-1252 first.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.fileio import column_names, read_csv, read_head
from hilir.hs import COMTRADE_CLASSIFICATIONS, REVISIONS
from hilir.progress import progress_bar
from hilir.registry.partners import resolve_partner, resolve_reporter
from hilir.schema.cells import MISSING_TOKENS, YEAR_MIN, year_max
from hilir.sources._common import column_key, find_column
from hilir.sources._comtrade_fields import (
    _FLOWS,
    _OTHER_FLOWS,
    _TOTAL_CODES,
    COLUMNS,
    _resolve_numeric,
)
from hilir.sources.bulk_scan import PROGRESS_BYTES, plain_file

PathLikeStr = str | PathLike[str]

_HEAD_BYTES = 1 << 20
_YEAR_TEXT, _YEAR, _FLOW_KEY, _HS = "\x00year", "\x00year:int", "\x00flow", "\x00hs"
#: Records searched for the header line (title lines above it are skipped).
_TITLE_LINES = 30


@dataclass
class ComtradeScan:
    """The rows a scan kept, as text cells with their line numbers.

    Attributes
    ----------
    frame : pandas.DataFrame
        The columns the reader uses (as text; ``""`` for an empty cell), ``_row`` (line
        number in the file, header = line ``skip + 1``) and ``_keep`` (asked by the filters;
        the other rows are suspect rows for the reader's checks).
    header : list of str
        Every column of the file, named as :func:`hilir.fileio.read_csv` names them.
    skip : int
        Title lines above the header.
    suspect : int
        Rows kept only because a cell looked wrong.
    scanned : bool
        Whether Polars read the file (else :func:`hilir.fileio.read_csv` read it whole).
    """

    frame: pd.DataFrame
    header: list[str]
    skip: int
    suspect: int
    scanned: bool


@dataclass
class _Head:
    names: list[str]
    skip: int
    title: int
    sep: str
    utf8: bool
    has_data: bool


def _head(path: Path, label: PathLikeStr) -> _Head:
    """Header line, title lines above it, separator and encoding, from the head of the file."""
    data = read_head(path, _HEAD_BYTES, label=label)
    utf8 = True
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # the head may end inside a character; only an error before the end is not UTF-8
        if exc.start < len(data) - 4:
            utf8 = False
        text = data[: exc.start].decode("utf-8-sig") if utf8 else data.decode("cp1252", "replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    complete = len(data) < _HEAD_BYTES
    lines = text.split("\n")
    if not complete:
        lines = lines[:-1]  # the last line may be cut by the head's end
    wanted = {column_key(n) for n in (*COLUMNS["hs"], *COLUMNS["value"])}
    skip = 0
    reader = csv.reader(io.StringIO("\n".join(lines[: _TITLE_LINES * 4])))
    previous = 0
    try:
        for i, record in enumerate(reader):
            if i >= _TITLE_LINES:
                break
            if wanted & {column_key(c) for c in record}:
                skip = previous
                break
            previous = reader.line_num
    except csv.Error:
        skip = 0
    title = skip
    rest = lines[skip:]
    while rest and not rest[0].strip():  # read_csv skips blank lines above the header
        rest = rest[1:]
        skip += 1
    if not rest:
        raise HilirDataError("file has no header line", path=label)
    line = rest[0]
    bare = "".join(line.split('"')[::2])
    sep = ";" if ";" in bare and "," not in bare else ","
    header = next(csv.reader([line], delimiter=sep))
    has_data = any(s.strip() for s in rest[1:]) or not complete
    return _Head(column_names(header), skip, title, sep, utf8, has_data)


def _transcode(src: Path, target: Path, label: PathLikeStr) -> None:
    """Windows-1252 text as UTF-8, streamed (as :func:`hilir.fileio.read_text` decodes it)."""
    decoder = codecs.getincrementaldecoder("cp1252")()
    try:
        with open(src, "rb") as fin, open(target, "w", encoding="utf-8", newline="") as fout:
            for chunk in iter(lambda: fin.read(1 << 22), b""):
                fout.write(decoder.decode(chunk))
            fout.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as exc:
        raise HilirDataError("file is neither UTF-8 nor Windows-1252 text", path=label) from exc


_CELL = "\x00cell:"


def _cell(name: str) -> Any:
    """A cell as the reader sees it (stripped, ``""`` when empty or R's ``NA``), computed once.

    A reference to the column :func:`_cells` adds.
    """
    import polars as pl

    return pl.col(_CELL + name)


def _cells(names: Sequence[str]) -> dict[str, Any]:
    """The cells of :func:`_cell` as columns (``with_columns`` keyword arguments)."""
    import polars as pl

    out = {}
    for name in names:
        c = pl.col(name).fill_null("").str.strip_chars()
        out[_CELL + name] = pl.when(c == "NA").then(pl.lit("")).otherwise(c)
    return out


@functools.lru_cache(maxsize=1)
def _iso_index() -> dict[str, str]:
    """Three-letter codes hilir knows -> the code they resolve to (for the place filter)."""
    import pycountry

    out: dict[str, str] = {}
    candidates = {c.alpha_3 for c in pycountry.countries}
    candidates |= {"W00", "WLD", "EU2", "EUN", "XOA", "ANT", "SCG", "YUG", "SUN", "CSK", "DDR"}
    for code in sorted(candidates):
        try:
            out[code] = resolve_partner(code)[0]
        except HilirDataError:
            continue
    return out


@functools.lru_cache(maxsize=1)
def _numeric_index() -> dict[int, str]:
    """Numeric codes 0-999 -> the code the reader resolves them to (historic areas too)."""
    out: dict[int, str] = {}
    for number in range(1000):
        try:
            out[number] = _resolve_numeric(str(number))[0]
        except HilirDataError:
            continue
    return out


def _place_filter(cols: dict[str, str | None], role: str, target: str) -> Any:
    """Rows that may be ``target`` as reporter or partner (a superset of the reader's choice).

    The reader resolves the ISO code first, then the name, then the numeric code. A known ISO
    code decides; else a name (not resolved here) keeps the row; else the numeric code decides.
    """
    import polars as pl

    iso, name, num = cols[f"{role}_iso"], cols[f"{role}_name"], cols[f"{role}_code"]
    if iso is None and num is None:
        return None  # names only: every row goes to the reader
    isos = _iso_index()
    undecided: Any = pl.lit(True)
    keep: Any = pl.lit(False)
    if iso is not None:
        cell = _cell(iso)
        keep = cell.is_in(sorted(c for c, t in isos.items() if t == target))
        undecided = ~cell.is_in(sorted(isos))
    if name is not None:
        keep = keep | (undecided & (_cell(name) != ""))
        undecided = undecided & (_cell(name) == "")
    if num is not None:
        numbers = _numeric_index()
        value = _cell(num).str.replace(r"\.0$", "").cast(pl.Int64, strict=False)
        known = [n for n in numbers]
        wanted = [n for n, t in numbers.items() if t == target]
        keep = keep | (undecided & (value.is_in(wanted) | ~value.is_in(known).fill_null(False)))
    else:
        keep = keep | undecided
    return keep.fill_null(True)


def _flow_key(cols: dict[str, str | None]) -> Any:
    """The flow key the reader reads: the code, or the text where the code is not one."""
    import polars as pl

    code_col, text_col = cols["flow_code"], cols["flow"]
    known = sorted(set(_FLOWS) | set(_OTHER_FLOWS))
    code = _cell(code_col).str.to_lowercase() if code_col else None
    text = _cell(text_col).str.to_lowercase() if text_col else None
    if code is not None and text is not None:
        return pl.when(code.is_in(known)).then(code).otherwise(text)
    return code if code is not None else text


def _hs_text(col: str) -> Any:
    """Product codes of digits as :func:`hilir.hs.normalise_hs_code` reads them (padded).

    Other codes (``0901.11``, ``90111.0``) are suspect rows, kept for the reader.
    """
    import polars as pl

    t = _cell(col)
    return pl.when(t.str.len_chars() % 2 == 1).then(pl.lit("0") + t).otherwise(t)


def _expressions(
    cols: dict[str, str | None],
    last: str,
    *,
    reporter: str | None,
    partner: str | None,
    flow: str | None,
    years: Sequence[int] | None,
    hs_prefixes: Sequence[str] | None,
) -> tuple[list[dict[str, Any]], Any, Any]:
    """The filter (rows asked for) and the suspect test, as Polars expressions.

    Returns
    -------
    tuple
        The columns both use (stages of ``with_columns``, each computed once per row), the
        filter and the suspect test.
    """
    import polars as pl

    used = [c for c in dict.fromkeys(cols.values()) if c]
    derived: dict[str, Any] = {
        _YEAR_TEXT: _cell(cols["year"]).str.replace(r"\.0$", ""),  # type: ignore[arg-type]
        _HS: _hs_text(cols["hs"]),  # type: ignore[arg-type]
    }
    if cols["flow_code"] or cols["flow"]:
        derived[_FLOW_KEY] = _flow_key(cols)
    stages = [_cells(used), derived, {_YEAR: pl.col(_YEAR_TEXT).cast(pl.Int64, strict=False)}]

    keep: Any = pl.lit(True)
    suspect: list[Any] = [pl.col(last).is_null()]
    year_col = cols["year"]
    assert year_col is not None and cols["hs"] is not None and cols["value"] is not None
    year_text = pl.col(_YEAR_TEXT)
    year = pl.col(_YEAR)
    suspect.append(~year_text.str.contains(r"^\d{4}$"))
    suspect.append(~year.is_between(YEAR_MIN, year_max()).fill_null(False))
    if years is not None:
        keep = keep & year.is_in(sorted({int(y) for y in years}))
    suspect.append(_month_suspect(cols, year_text))
    if cols["flow_code"] or cols["flow"]:
        key = pl.col(_FLOW_KEY)
        suspect.append(~key.is_in(sorted(set(_FLOWS) | set(_OTHER_FLOWS))))
        if flow is not None:
            keep = keep & key.is_in(sorted(k for k, v in _FLOWS.items() if v == flow))
    if cols["classification"]:
        valid = ["HS", "", *COMTRADE_CLASSIFICATIONS, *REVISIONS]
        suspect.append(~_cell(cols["classification"]).str.to_uppercase().is_in(valid))
    for role, given in (("reporter", reporter), ("partner", partner)):
        if given is None:
            continue
        target = resolve_reporter(given) if role == "reporter" else resolve_partner(given)[0]
        place = _place_filter(cols, role, target)
        if place is not None:
            keep = keep & place
    code = _cell(cols["hs"])
    total = code.str.to_uppercase().is_in(sorted(_TOTAL_CODES))
    hs = pl.col(_HS)
    digits = code.str.contains(r"^\d+$")
    suspect.append(~digits & ~total)
    if hs_prefixes is not None:
        by_length: dict[int, list[str]] = {}
        for p in hs_prefixes:
            by_length.setdefault(len(str(p).strip()), []).append(str(p).strip())
        inside: Any = pl.lit(False)
        for length, group in sorted(by_length.items()):  # one set lookup per length
            inside = inside | hs.str.slice(0, length).is_in(sorted(group))
        keep = keep & inside
    value = _cell(cols["value"])
    number = value.cast(pl.Float64, strict=False)
    suspect.append(number.is_null() | (number < 0).fill_null(False))
    if cols["weight"]:
        weight = _cell(cols["weight"])
        missing = weight.str.to_lowercase().is_in(sorted(MISSING_TOKENS))
        w = weight.cast(pl.Float64, strict=False)
        suspect.append((w.is_null() & ~missing) | (w < 0).fill_null(False))
    return stages, keep.fill_null(False), pl.any_horizontal(*suspect).fill_null(True)


def _month_suspect(cols: dict[str, str | None], year_text: Any) -> Any:
    """Rows whose month the reader would refuse (see ``_months``)."""
    import polars as pl

    freq_col, period_col, month_col = cols["freq"], cols["period"], cols["month"]
    if freq_col is not None:
        monthly = _cell(freq_col).str.to_uppercase() == "M"
    elif period_col is not None:
        monthly = _cell(period_col).str.len_chars() == 6
    else:
        return pl.lit(False)
    if month_col is not None and freq_col is not None:
        text = _cell(month_col)
        wrong_year: Any = pl.lit(False)
    elif period_col is not None:
        period = _cell(period_col)
        text = period.str.slice(4)
        wrong_year = period.str.slice(0, 4) != year_text
    else:
        return pl.lit(False)
    number = text.cast(pl.Float64, strict=False)
    return monthly & (wrong_year | ~number.is_between(1, 12).fill_null(False))


def _strict_text(path: Path, skip: int, label: PathLikeStr) -> pd.DataFrame:
    """A file the engine cannot read: :func:`hilir.fileio.read_csv` names the line at fault.

    When it reads the file after all, every row goes to the reader's checks and filters.
    """
    try:
        df = read_csv(path, skiprows=skip)
    except HilirDataError as exc:
        raise HilirDataError(exc.reason, path=label, row=exc.row, column=exc.column) from exc
    df["_keep"] = True
    return df


def _check_short_lines(
    path: Path, frame: pd.DataFrame, head: _Head, label: PathLikeStr
) -> pd.DataFrame:
    """The kept rows whose last cell is empty, checked against their line in the file.

    Raises as :func:`hilir.fileio.read_csv` does on the first line with fewer fields than
    the header; drops lines whose cells are all blank (``read_csv`` skips them).
    """
    import polars as pl

    last = head.names[-1]
    candidates = frame.loc[frame[last].isna(), "_row"]
    if candidates.empty:
        return frame
    wanted = sorted(int(r) - head.skip - 2 for r in candidates)  # record index after header
    lines = (
        pl.scan_csv(
            path,
            has_header=False,
            new_columns=["line"],
            separator="\x1f",
            quote_char=None,
            infer_schema=False,
            skip_lines=head.skip + 1,
            row_index_name="_i",
            encoding="utf8-lossy",
        )
        .filter(pl.col("_i").is_in(wanted))
        .collect(engine="streaming")
    )
    text = dict(zip(lines["_i"].to_list(), lines["line"].fill_null("").to_list(), strict=True))
    width = len(head.names)
    blank: list[int] = []
    for index in wanted:
        line = text.get(index, "").rstrip("\r")
        row = index + head.skip + 2
        record = next(csv.reader([line], delimiter=head.sep), [])
        if not record or all(not c.strip() for c in record):
            blank.append(row)
            continue
        if len(record) < width:
            if line.count('"') % 2 == 1 and index == wanted[-1]:
                raise HilirDataError(
                    "the file ends inside a quoted cell (was it cut short?)", path=label, row=row
                )
            raise HilirDataError(
                f"line has {len(record)} of the header's {width} fields "
                "(was the file cut mid-line?)",
                path=label,
                row=row,
                column=head.names[len(record)],
            )
    if blank:
        frame = frame.loc[~frame["_row"].isin(blank)]
    return frame


def _scan_one(
    path: Path,
    head: _Head,
    cols: dict[str, str | None],
    tests: tuple[list[dict[str, Any]], Any, Any],
    show: bool,
) -> Any:
    import polars as pl

    used = [c for c in dict.fromkeys([head.names[0], *cols.values(), head.names[-1]]) if c]
    lf = pl.scan_csv(
        path,
        has_header=True,
        separator=head.sep,
        new_columns=head.names,
        infer_schema=False,
        skip_lines=head.skip,
        row_index_name="_r",
        encoding="utf8",
    )
    blank = pl.all_horizontal(*(pl.col(c).is_null() for c in used))
    stages, keep, suspect = tests
    for stage in stages:  # the cells both tests read, computed once
        lf = lf.with_columns(**stage)
    query = (
        lf.select("_r", *used, _keep=keep, _suspect=suspect)  # only these reach the filter
        .filter(pl.col("_keep") | pl.col("_suspect"))
        .filter(~blank)
        .drop("_suspect")
    )
    size = path.stat().st_size
    bar = progress_bar(
        total=size, unit="B", unit_scale=True, desc=f"scan {path.name}", disable=not show
    )
    with bar:
        found = query.collect(engine="streaming")
        bar.update(size)
        bar.set_postfix(kept=f"{found.height:,}")
    return found, used


def scan_comtrade(
    path: PathLikeStr,
    *,
    reporter: str | None = None,
    partner: str | None = None,
    flow: str | None = None,
    years: Sequence[int] | None = None,
    hs_prefixes: Sequence[str] | None = None,
    progress: bool | None = None,
    label: PathLikeStr | None = None,
) -> ComtradeScan:
    """Scan a Comtrade file (CSV, gzip or zip) once, keeping the rows asked and the suspect rows.

    Parameters
    ----------
    path : str or os.PathLike
        The file: CSV (UTF-8 or Windows-1252, ``,`` or ``;`` separated, title lines above the
        header allowed), gzipped, or a zip archive holding one CSV.
    reporter, partner : str, optional
        Keep the rows of this reporter / partner (ISO code or name), when the file has the
        column.
    flow : {"export", "import"}, optional
        Keep the rows of this flow, when the file has a flow column.
    years : sequence of int, optional
        Keep the rows of these years.
    hs_prefixes : sequence of str, optional
        Keep the products whose code (leading zero restored) starts with one of these.
    progress : bool, optional
        A progress bar (bytes decompressed, then scanned); by default for files over 50 MB.
    label : str or os.PathLike, optional
        The name errors give (default ``path``).

    Returns
    -------
    ComtradeScan

    Raises
    ------
    HilirDataError
        An empty or binary file, no header or no data rows, a zip archive with no or several
        CSV files, a line with fewer fields than the header (a cut file), a file that is
        neither UTF-8 nor Windows-1252. Missing columns are left to the reader.
    """
    import polars as pl

    label = path if label is None else label
    with plain_file(path, progress=progress) as files:
        if len(files) != 1:
            raise HilirDataError(
                f"the zip archive holds {len(files)} CSV files; read each one by itself",
                path=label,
            )
        f = files[0]
        head = _head(f, label)
        if head.title:
            warnings.warn(
                f"{label}: skipped {head.title} line(s) above the header (title rows)",
                HilirDataWarning,
                stacklevel=caller_stacklevel(),
            )
        if not head.has_data:
            raise HilirDataError("file has a header but no data rows", path=label)
        cols = {role: find_column(head.names, names) for role, names in COLUMNS.items()}
        if cols["year"] is None or cols["hs"] is None or cols["value"] is None:
            # the reader names the missing column from the header alone
            frame = pd.DataFrame({c: pd.Series(dtype=str) for c in head.names})
            frame["_row"] = pd.Series(dtype="int64")
            frame["_keep"] = pd.Series(dtype=bool)
            return ComtradeScan(frame, head.names, head.skip, 0, False)
        tests = _expressions(
            cols,
            head.names[-1],
            reporter=reporter,
            partner=partner,
            flow=flow,
            years=years,
            hs_prefixes=hs_prefixes,
        )
        show = f.stat().st_size > PROGRESS_BYTES if progress is None else progress
        with tempfile.TemporaryDirectory(prefix="hilir-comtrade-") as tmp:
            source = f
            if not head.utf8:
                source = Path(tmp) / "utf8.csv"
                _transcode(f, source, label)
            try:
                try:
                    found, used = _scan_one(source, head, cols, tests, show)
                except pl.exceptions.ComputeError as exc:
                    if "utf-8" not in str(exc).lower() or source != f:
                        raise
                    source = Path(tmp) / "utf8.csv"
                    _transcode(f, source, label)
                    found, used = _scan_one(source, head, cols, tests, show)
            except pl.exceptions.PolarsError:
                return _fallback(source, head, label)
            frame = found.select(
                *used,
                (pl.col("_r").cast(pl.Int64) + 2 + head.skip).alias("_row"),
                "_keep",
            ).to_pandas()
            frame = _check_short_lines(source, frame, head, label)
            frame[used] = frame[used].fillna("").astype(str)
            if frame[used].apply(lambda s: s.str.contains("\n", regex=False)).any().any():
                return _fallback(source, head, label)  # a cell spans lines: numbers shift
    if head.sep == ";":  # as read_csv: Excel writes ";" where "," is the decimal mark
        from hilir.fileio import DECIMAL_HINT

        frame.attrs[DECIMAL_HINT] = ","
    frame = frame.reset_index(drop=True)
    suspect_n = int((~frame["_keep"]).sum())
    return ComtradeScan(frame, head.names, head.skip, suspect_n, True)


def _fallback(source: Path, head: _Head, label: PathLikeStr) -> ComtradeScan:
    frame = _strict_text(source, head.skip, label)
    header = [c for c in frame.columns if c not in ("_row", "_keep")]
    return ComtradeScan(frame, header, head.skip, 0, False)
