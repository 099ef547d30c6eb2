"""Input-output tables: BPS provincial workbooks and their tidy CSVs, and WIOD national tables.

Every reader returns an :class:`IOTable`: the domestic intermediate matrix, the final-demand
columns, the value-added rows, imports and total output, with sector codes and names.

BPS layouts
-----------
BPS publishes provincial input-output tables as Excel workbooks whose transactions sheets carry
numeric row and column codes (the codes of the table's classification sheet, e.g. "Tabel 8" of
the Lampung 2010 table):

* rows ``1..n`` sectors, ``190`` total intermediate input, ``200`` imports (the domestic table
  records imported inputs in one row), ``201`` wages and salaries, ``202`` operating surplus,
  ``203`` depreciation, ``204`` indirect taxes (net, or gross with ``205`` subsidies),
  ``209`` gross value added, ``210`` total input;
* columns ``1..n`` sectors, ``180`` total intermediate demand, final demand ``301`` household
  consumption, ``302`` government, ``303`` gross fixed capital formation, ``304`` change in
  stocks, ``305`` exports (foreign exports when ``306`` inter-provincial exports is also
  present, all exports otherwise), ``309`` total final demand, ``310`` total demand, ``600``
  total output. Tables on the 2015 classification use four-digit final-demand codes
  (``3011`` household, ``3012`` non-profit institutions, ``3020`` government, ``3030`` GFCF,
  ``3040`` change in inventories, ``3050`` exports, ``3090``, ``3100``).

The reader finds the header row (the row whose cells run 1, 2, 3, ...) and the code column (the
column whose cells run 1, 2, 3, ... downwards) itself, so the Lampung 2010 ("Domestik
Produsen"), Bangka Belitung 2015 ("PDD") and East Kalimantan 2010 ("Domestik Produsen")
workbooks, whose layouts differ, are read by the same code. A tidy long CSV
``row_code,row_label,col_code,col_label,value`` of the same sheet is read too.

WIOD layout
-----------
The WIOD national input-output tables (September 2012 release) have one sheet per year: rows
``c1..c35`` of the domestic block (column C ``IDN``), the same rows again for imports (column C
``Imports``), then ``r60`` total intermediate consumption, ``r99`` taxes less subsidies on
products, ``r61``-``r63`` adjustments, ``r64`` value added at basic prices, an uncoded row of
international transport margins and ``r69`` output at basic prices; columns ``c1..c35``,
final demand ``c37`` households, ``c38`` non-profit institutions, ``c39`` government, ``c41``
GFCF, ``c42`` inventories, ``c44`` exports, then total output. Sectors are named by their
NACE codes (``AtB``, ``15t16``, ``27t28`` ...). WIOD NIOTs have no split of value added into
compensation and surplus, and no employment accounts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.fileio import read_csv
from hilir.schema.cells import parse_number
from hilir.sources._common import require_columns

PathLikeStr = str | PathLike[str]

#: Final-demand categories, in the order they are kept.
FINAL_DEMAND_CATEGORIES = (
    "household",
    "npish",
    "government",
    "investment",
    "stock_change",
    "exports_foreign",
    "exports_interprovincial",
    "exports",
)

#: Value-added rows kept in :attr:`IOTable.value_added`.
VALUE_ADDED_ROWS = (
    "wages",
    "operating_surplus",
    "depreciation",
    "net_indirect_taxes",
    "gross_value_added",
)

_FD_CODES: dict[int, str] = {
    301: "household",
    3011: "household",
    3012: "npish",
    302: "government",
    3020: "government",
    303: "investment",
    3030: "investment",
    304: "stock_change",
    3040: "stock_change",
    306: "exports_interprovincial",
    3050: "exports",
}
_FD_TOTAL = (309, 3090)
_TOTAL_DEMAND = (310, 3100)
_OUTPUT_COL = 600
_ROW_IMPORTS = 200
_ROW_VA = {201: "wages", 202: "operating_surplus", 203: "depreciation", 204: "indirect_taxes"}
_ROW_SUBSIDIES = 205
_ROW_GVA = 209
_ROW_TOTAL_INPUT = 210

_PREFERRED_SHEETS = ("domestik produsen", "pdd", "tabel 3")
_PROVINCES = {
    "bangka belitung": "ID-BB",
    "lampung": "ID-LA",
    "kalimantan timur": "ID-KI",
    "sumatera selatan": "ID-SS",
    "jambi": "ID-JA",
    "riau": "ID-RI",
    "bengkulu": "ID-BE",
}


@dataclass(frozen=True, eq=False)
class IOTable:
    """A domestic input-output table at producer prices, ready for Leontief analysis.

    Attributes
    ----------
    Z : pandas.DataFrame
        Domestic intermediate transactions, supplying sector (rows) x using sector (columns),
        in :attr:`unit`. Index and columns are the sector codes (str).
    final_demand : pandas.DataFrame
        Sectors x final-demand categories (:data:`FINAL_DEMAND_CATEGORIES` that the table
        has), in :attr:`unit`. ``exports`` is used when a table does not split foreign from
        inter-provincial exports.
    value_added : pandas.DataFrame
        Rows ``wages``, ``operating_surplus``, ``depreciation``, ``net_indirect_taxes``,
        ``gross_value_added`` x sectors, in :attr:`unit`. Rows a table does not publish are
        NaN (WIOD has only ``gross_value_added``).
    imports : pandas.Series
        Imported intermediate inputs by using sector, in :attr:`unit`.
    output : pandas.Series
        Total output by sector, in :attr:`unit`.
    sectors : pandas.DataFrame
        ``code``, ``name_id``, ``name_en`` (NA when no translation is known).
    unit : {"juta Rp", "million USD"}
        Unit of every value (juta Rp = million rupiah).
    year : int
        Year of the table (current prices of that year).
    geography : str
        ISO 3166-2 province (``ID-LA``) or ``IDN``.
    source : str
        Provenance key of the file read.
    classification : str or None
        Key of the sector classification in ``refdata/io_sectors.csv`` the table matches
        (``bps_lampung_io2010`` ...), used for English names, Sakernas groups and product
        mappings; None for an unknown classification.
    imports_final_demand : pandas.Series or None
        Imports bought directly by each final-demand category (row 200 of a BPS domestic
        table under the final-demand columns), in :attr:`unit`; household consumption of
        imports is what the household income share of operating surplus is derived from.
    notes : str
        What the reader did (sheet read, checks passed).
    """

    Z: pd.DataFrame
    final_demand: pd.DataFrame
    value_added: pd.DataFrame
    imports: pd.Series
    output: pd.Series
    sectors: pd.DataFrame
    unit: Literal["juta Rp", "million USD"]
    year: int
    geography: str
    source: str
    classification: str | None = None
    imports_final_demand: pd.Series | None = None
    notes: str = field(default="", repr=False)

    @property
    def codes(self) -> list[str]:
        """Sector codes in table order."""
        return list(self.Z.index)

    @property
    def exports(self) -> pd.Series:
        """All exports by sector (foreign plus inter-provincial where split), in :attr:`unit`."""
        cols = [c for c in self.final_demand.columns if c.startswith("exports")]
        return self.final_demand[cols].sum(axis=1)

    @property
    def foreign_exports(self) -> pd.Series:
        """Exports abroad by sector; NaN when the table does not split exports (Babel, Kaltim).

        For a national table (WIOD) all exports are foreign.
        """
        if "exports_foreign" in self.final_demand.columns:
            return self.final_demand["exports_foreign"]
        if self.geography == "IDN" and "exports" in self.final_demand.columns:
            return self.final_demand["exports"]
        return pd.Series(np.nan, index=self.Z.index, name="exports_foreign")

    def totals(self) -> pd.Series:
        """Table totals, in :attr:`unit`.

        Returns
        -------
        pandas.Series
            Output, domestic intermediate transactions, intermediate imports, gross value
            added, wages, operating surplus, household consumption of domestic products, all
            exports and foreign exports (NaN when the table does not split exports).
        """
        va = self.value_added.sum(axis=1, min_count=1)
        fd = self.final_demand
        return pd.Series(
            {
                "output": self.output.sum(),
                "intermediate_domestic": self.Z.to_numpy().sum(),
                "imports_intermediate": self.imports.sum(),
                "gross_value_added": va["gross_value_added"],
                "wages": va["wages"],
                "operating_surplus": va["operating_surplus"],
                "household_consumption_domestic": fd["household"].sum(),
                "exports": self.exports.sum(),
                "exports_foreign": self.foreign_exports.sum(min_count=1),
            },
            name=f"{self.source} ({self.unit})",
        )


# --------------------------------------------------------------------------------------------
# sector classifications (package data)


def sector_classifications() -> pd.DataFrame:
    """Known sector classifications: ``refdata/io_sectors.csv``.

    Returns
    -------
    pandas.DataFrame
        ``classification, code, name_id, name_en, sakernas_classification, sakernas_sector``
        (strings), one row per sector of the BPS Lampung 2010, Bangka Belitung 2015, East
        Kalimantan 2010 and WIOD 2012 tables. English names of BPS sectors are hilir's
        translations; WIOD names are WIOD's, with hilir's Indonesian translation.
    """
    return _sector_classifications().copy()


@lru_cache(maxsize=1)
def _sector_classifications() -> pd.DataFrame:
    ref = resources.files("hilir") / "refdata" / "io_sectors.csv"
    with resources.as_file(ref) as path:
        df = read_csv(path)
    df = require_columns(
        df,
        [
            "classification",
            "code",
            "name_id",
            "name_en",
            "sakernas_classification",
            "sakernas_sector",
        ],
        path=path,
    )
    dup = df.duplicated(["classification", "code"])
    if dup.any():
        row = int(df.loc[dup, "_row"].iloc[0])
        raise HilirDataError("duplicate sector code", path=path, row=row, column="code")
    return df.drop(columns="_row").reset_index(drop=True)


def _norm_name(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def _match_classification(codes: list[str], names: list[str], *, by: str) -> str | None:
    ref = _sector_classifications()
    for key, grp in ref.groupby("classification", sort=False):
        if len(grp) != len(codes) or list(grp["code"]) != codes:
            continue
        if by == "code" or [_norm_name(n) for n in grp["name_id"]] == [
            _norm_name(n) for n in names
        ]:
            return str(key)
    return None


def _sector_frame(
    codes: list[str], name_id: list[str], name_en: list[str] | None, classification: str | None
) -> pd.DataFrame:
    out = pd.DataFrame({"code": codes, "name_id": name_id})
    if name_en is not None:
        out["name_en"] = name_en
    elif classification is not None:
        ref = sector_classifications()
        ref = ref[ref["classification"] == classification].set_index("code")
        out["name_en"] = out["code"].map(ref["name_en"])
    else:
        out["name_en"] = pd.NA
    return out.astype({"code": "string", "name_id": "string", "name_en": "string"})


# --------------------------------------------------------------------------------------------
# cell helpers


def _code_of(value: object) -> int | None:
    """An integer code from a cell (int, integral float or digit string), else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return int(value) if float(value).is_integer() else None
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.0+)?", text):
        return int(float(text))
    return None


@dataclass(frozen=True)
class _Cell:
    value: object
    row: int  # 1-based line or worksheet row
    column: str  # column as a user finds it


def _number(cell: _Cell | None, *, path: PathLikeStr | None) -> float:
    """A cell's number; blank, '-' and missing cells are nil (0)."""
    if cell is None:
        return 0.0
    try:
        value = parse_number(cell.value)
    except ValueError as exc:
        raise HilirDataError(
            f"{cell.value!r} is not a number", path=path, row=cell.row, column=cell.column
        ) from exc
    return 0.0 if np.isnan(value) else value


# --------------------------------------------------------------------------------------------
# BPS workbooks and long CSVs


@dataclass
class _Grid:
    """Cells keyed by (row code, column code), plus the sector codes and names."""

    cells: dict[tuple[int, int], _Cell]
    sector_codes: list[int]
    sector_names: list[str]
    row_codes: set[int]
    col_codes: set[int]
    title: str = ""
    where: str = ""
    col_label: Mapping[int, str] = field(default_factory=dict)
    row_line: Mapping[int, int] = field(default_factory=dict)


def read_bps_io(
    path: PathLikeStr,
    *,
    source: str = "bps_lampung_io2010",
    sheet: str | None = None,
    year: int | None = None,
    geography: str | None = None,
    scale: float | None = None,
    tolerance: float = 1.0,
) -> IOTable:
    r"""Read a BPS input-output table (workbook or tidy long CSV) into an :class:`IOTable`.

    Parameters
    ----------
    path : str or os.PathLike
        An ``.xlsx`` workbook (the domestic transactions sheet at producer prices is read), or
        a ``.csv`` in the long layout ``row_code,row_label,col_code,col_label,value``.
    source : str, default "bps_lampung_io2010"
        Provenance key recorded in the table.
    sheet : str, optional
        Sheet to read. By default the first of "Domestik Produsen", "PDD", "Tabel 3" that
        exists, else the first sheet whose title mentions domestic transactions at producer
        prices ("domestik" and "produsen").
    year : int, optional
        Year of the table. By default the four-digit year in the sheet title.
    geography : str, optional
        ISO 3166-2 code of the province. By default recognised from the title or the file
        name (Lampung ``ID-LA``, Bangka Belitung ``ID-BB``, Kalimantan Timur ``ID-KI`` ...).
    scale : float, optional
        Multiplier that turns the file's values into juta rupiah (million rupiah): 1 for
        "juta rupiah", 1000 for "miliar rupiah", 0.001 for "ribu rupiah". By default read
        from the title; a file that states no unit needs it.
    tolerance : float, default 1.0
        Largest accepted difference, in juta Rp plus one part in a million of the sector's
        output, between a published total and the sum of its parts.

    Returns
    -------
    IOTable
        Values in juta Rp (million rupiah), current prices of ``year``.

    Raises
    ------
    HilirDataError
        No transactions sheet, no header row of codes, sector codes of rows and columns that
        differ, a cell that is not a number (naming the worksheet row and column letter), a
        negative intermediate flow, or a published total (output, total input, value added,
        final demand) that its parts do not add up to.

    Notes
    -----
    Blank cells and "-" are nil (zero), as in BPS tables. Output is column 600 (row 210 when
    the sheet has no column 600). The checks are the table's own identities: for every
    sector :math:`x_i = \\sum_j z_{ij} + \\sum_k f_{ik}` and
    :math:`x_j = \\sum_i z_{ij} + m_j + v_j`, and gross value added equals its components.
    When a table has both 305 and 306, 305 is foreign exports ("Ekspor antar Negara") and
    306 inter-provincial exports; with 305 alone (East Kalimantan 2010) or 3050 (Bangka
    Belitung 2015) exports are not split and are kept as ``exports``.
    """
    p = Path(path)
    if not p.is_file():
        raise HilirDataError("file not found", path=p)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        grid = _grid_from_workbook(p, sheet=sheet)
    elif p.suffix.lower() in (".csv", ".txt"):
        grid = _grid_from_long_csv(p)
    else:
        raise HilirDataError(
            f"unsupported file type {p.suffix!r}: give a BPS .xlsx workbook or a long .csv",
            path=p,
        )
    if year is None:
        found = re.findall(r"\b(19[5-9]\d|20\d\d)\b", grid.title)
        if not found:
            raise HilirDataError("the year of the table is not in its title; pass year=", path=p)
        year = int(found[-1])
    if geography is None:
        text = _norm_name(grid.title + " " + p.stem.replace("_", " "))
        hits = [iso for name, iso in _PROVINCES.items() if name in text]
        if not hits:
            hits = [iso for name, iso in _PROVINCES.items() if name.split()[0] in text]
        if len(set(hits)) != 1:
            raise HilirDataError(
                "cannot tell the province from the title or file name; pass geography= "
                "(ISO 3166-2, e.g. 'ID-LA')",
                path=p,
            )
        geography = hits[0]
    if scale is None:
        scale = _scale_from_title(grid.title, path=p)
    return _build_bps(
        grid,
        path=p,
        source=source,
        year=int(year),
        geography=geography,
        scale=float(scale),
        tolerance=tolerance,
    )


def _scale_from_title(title: str, *, path: Path) -> float:
    t = title.lower()
    if "juta rupiah" in t or "juta rp" in t or "million rupiah" in t:
        return 1.0
    if "miliar rupiah" in t or "milyar rupiah" in t:
        return 1000.0
    if "ribu rupiah" in t:
        return 0.001
    raise HilirDataError(
        "the sheet states no unit (juta/miliar/ribu rupiah); pass scale= (1.0 for juta Rp)",
        path=path,
    )


def _grid_from_workbook(path: Path, *, sheet: str | None) -> _Grid:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise HilirDataError(f"not a readable Excel workbook: {exc}", path=path) from exc
    try:
        names = wb.sheetnames
        chosen = _choose_sheet(wb, names, sheet, path=path)
        rows = [list(r) for r in wb[chosen].iter_rows(values_only=True)]
    finally:
        wb.close()
    if not rows:
        raise HilirDataError(f"sheet {chosen!r} is empty", path=path)
    title = " ".join(str(v) for r in rows[:6] for v in r if isinstance(v, str) and v.strip())

    # header row: the row whose coded cells run 1, 2, 3, ... left to right (text cells in
    # between, such as a repeated "SEKTOR" label at a printed page break, are skipped)
    best = (0, -1, -1)  # run length, row index, column of code 1
    for i, r in enumerate(rows[:40]):
        coded = [(j, c) for j, c in ((j, _code_of(v)) for j, v in enumerate(r)) if c is not None]
        for start, (j, c) in enumerate(coded):
            if c != 1:
                continue
            k = 0
            while start + k < len(coded) and coded[start + k][1] == k + 1:
                k += 1
            if k > best[0]:
                best = (k, i, j)
    n, hrow, hcol = best
    if n < 3:
        raise HilirDataError(
            f"sheet {chosen!r} has no header row of sector codes 1, 2, 3, ...", path=path
        )
    header = [_code_of(v) for v in rows[hrow]]
    col_of: dict[int, int] = {}
    for j, c in enumerate(header):
        if c is not None and j >= hcol and c not in col_of:
            col_of[c] = j

    # code column: the column whose cells run 1, 2, 3, ... downwards below the header
    code_col = -1
    first_row = -1
    for j in range(min(hcol, 12)):
        col = [_code_of(r[j]) if j < len(r) else None for r in rows]
        for i in range(hrow + 1, len(rows)):
            if col[i] == 1 and all(i + k < len(rows) and col[i + k] == k + 1 for k in range(n)):
                code_col, first_row = j, i
                break
        if code_col >= 0:
            break
    if code_col < 0:
        raise HilirDataError(
            f"sheet {chosen!r}: no column holds the row codes 1..{n} of the {n} sectors "
            "in the header row",
            path=path,
        )
    row_of: dict[int, int] = {}
    for i in range(first_row, len(rows)):
        c = _code_of(rows[i][code_col]) if code_col < len(rows[i]) else None
        if c is not None and c not in row_of:
            row_of[c] = i
    extra = [c for c in row_of if c > n and c < 180]
    if extra:
        raise HilirDataError(
            f"row code {extra[0]} is a sector code, but the header row has only {n} sectors",
            path=path,
            row=row_of[extra[0]] + 1,
            column=get_column_letter(code_col + 1),
        )

    # sector names: the neighbouring column with the most text in the sector rows
    def texts(j: int) -> list[str]:
        out = []
        for i in range(first_row, first_row + n):
            v = rows[i][j] if 0 <= j < len(rows[i]) else None
            out.append(" ".join(str(v).split()) if isinstance(v, str) else "")
        return out

    candidates = [texts(j) for j in (code_col - 1, code_col + 1) if j >= 0]
    sector_names = max(candidates, key=lambda t: sum(bool(x) for x in t))

    cells: dict[tuple[int, int], _Cell] = {}
    for rc, i in row_of.items():
        r = rows[i]
        for cc, j in col_of.items():
            if j < len(r) and r[j] is not None:
                cells[(rc, cc)] = _Cell(r[j], i + 1, f"{get_column_letter(j + 1)} (code {cc})")
    return _Grid(
        cells=cells,
        sector_codes=list(range(1, n + 1)),
        sector_names=sector_names,
        row_codes=set(row_of),
        col_codes=set(col_of),
        title=title,
        where=f"sheet {chosen!r}",
        col_label={cc: f"{get_column_letter(j + 1)} (code {cc})" for cc, j in col_of.items()},
        row_line={rc: i + 1 for rc, i in row_of.items()},
    )


def _choose_sheet(wb: Any, names: list[str], sheet: str | None, *, path: Path) -> str:
    if sheet is not None:
        if sheet not in names:
            raise HilirDataError(f"no sheet {sheet!r}; the workbook has {names}", path=path)
        return sheet
    lower = {n.strip().lower(): n for n in names}
    for want in _PREFERRED_SHEETS:
        if want in lower:
            return lower[want]
    for name in names:
        head = " ".join(
            str(v).lower()
            for r in wb[name].iter_rows(max_row=4, values_only=True)
            for v in r
            if isinstance(v, str)
        )
        if "domestik" in head and "produsen" in head:
            return name
    raise HilirDataError(
        "no sheet of domestic transactions at producer prices (looked for 'Domestik "
        f"Produsen', 'PDD', 'Tabel 3' or a title with 'domestik' and 'produsen'); the "
        f"workbook has {names}; pass sheet=",
        path=path,
    )


def _grid_from_long_csv(path: Path) -> _Grid:
    df = read_csv(path)
    df = require_columns(df, ["row_code", "row_label", "col_code", "col_label", "value"], path=path)
    cells: dict[tuple[int, int], _Cell] = {}
    names: dict[int, str] = {}
    col_codes: set[int] = set()
    row_codes: set[int] = set()
    for line, row_code, row_label, col_code, value in zip(
        df["_row"], df["row_code"], df["row_label"], df["col_code"], df["value"], strict=True
    ):
        line = int(line)
        rc, cc = _code_of(row_code), _code_of(col_code)
        if rc is None:
            raise HilirDataError(
                f"{row_code!r} is not a row code", path=path, row=line, column="row_code"
            )
        if cc is None:
            raise HilirDataError(
                f"{col_code!r} is not a column code", path=path, row=line, column="col_code"
            )
        if (rc, cc) in cells:
            raise HilirDataError(
                f"duplicate cell (row {rc}, column {cc}); first on line {cells[(rc, cc)].row}",
                path=path,
                row=line,
                column="col_code",
            )
        cells[(rc, cc)] = _Cell(value, line, "value")
        row_codes.add(rc)
        col_codes.add(cc)
        if rc < 180 and rc not in names:
            names[rc] = " ".join(str(row_label).split())
    sectors = sorted(c for c in col_codes if c < 180)
    if not sectors or sectors != list(range(1, len(sectors) + 1)):
        raise HilirDataError("sector column codes are not 1..n", path=path, column="col_code")
    missing = [c for c in sectors if c not in row_codes]
    if missing:
        raise HilirDataError(
            f"no rows for sector code(s) {missing[:5]}", path=path, column="row_code"
        )
    title = f"{path.stem.replace('_', ' ')}"
    return _Grid(
        cells=cells,
        sector_codes=sectors,
        sector_names=[names.get(c, "") for c in sectors],
        row_codes=row_codes,
        col_codes=col_codes,
        title=title,
        where="long CSV",
        col_label={c: f"value (col_code {c})" for c in col_codes},
    )


def _build_bps(
    grid: _Grid,
    *,
    path: Path,
    source: str,
    year: int,
    geography: str,
    scale: float,
    tolerance: float,
) -> IOTable:
    codes = grid.sector_codes
    n = len(codes)
    labels = [str(c) for c in codes]

    def cell(rc: int, cc: int) -> _Cell | None:
        return grid.cells.get((rc, cc))

    def num(rc: int, cc: int) -> float:
        return _number(cell(rc, cc), path=path) * scale

    def where(rc: int, cc: int) -> tuple[int | None, str | None]:
        c = cell(rc, cc)
        if c is not None:
            return c.row, c.column
        return grid.row_line.get(rc), grid.col_label.get(cc, f"code {cc}")

    z = np.array([[num(i, j) for j in codes] for i in codes], dtype=float)
    neg = np.argwhere(z < 0)
    if len(neg):
        i, j = neg[0]
        row, col = where(codes[i], codes[j])
        raise HilirDataError(
            f"negative intermediate flow {z[i, j]:,.1f}", path=path, row=row, column=col
        )

    # final demand
    fd_cols: dict[str, np.ndarray] = {}
    fd_imports: dict[str, float] = {}
    has_306 = 306 in grid.col_codes
    for cc in sorted(grid.col_codes):
        if cc == 305:
            name = "exports_foreign" if has_306 else "exports"
        elif cc in _FD_CODES:
            name = _FD_CODES[cc]
        elif 301 <= cc <= 308 or 3010 <= cc <= 3089:
            name = f"other_{cc}"
        else:
            continue
        values = np.array([num(i, cc) for i in codes])
        fd_cols[name] = fd_cols.get(name, 0) + values
        fd_imports[name] = fd_imports.get(name, 0.0) + (
            num(_ROW_IMPORTS, cc) if _ROW_IMPORTS in grid.row_codes else np.nan
        )
    if not fd_cols:
        raise HilirDataError(
            f"{grid.where}: no final-demand columns (301-306 or 3011-3050)", path=path
        )
    order = [c for c in FINAL_DEMAND_CATEGORIES if c in fd_cols] + sorted(
        c for c in fd_cols if c not in FINAL_DEMAND_CATEGORIES
    )
    fd = pd.DataFrame({c: fd_cols[c] for c in order}, index=pd.Index(labels, name="code"))

    # value added, imports, output
    va = {}
    for rc, name in _ROW_VA.items():
        va[name] = np.array([num(rc, j) for j in codes]) if rc in grid.row_codes else None
    subsidies = (
        np.array([num(_ROW_SUBSIDIES, j) for j in codes])
        if _ROW_SUBSIDIES in grid.row_codes
        else np.zeros(n)
    )
    if _ROW_IMPORTS not in grid.row_codes:
        raise HilirDataError(f"{grid.where}: no imports row (code 200)", path=path)
    imports = np.array([num(_ROW_IMPORTS, j) for j in codes])
    if _OUTPUT_COL in grid.col_codes:
        output = np.array([num(i, _OUTPUT_COL) for i in codes])
        out_where = [where(i, _OUTPUT_COL) for i in codes]
    elif _ROW_TOTAL_INPUT in grid.row_codes:
        output = np.array([num(_ROW_TOTAL_INPUT, j) for j in codes])
        out_where = [where(_ROW_TOTAL_INPUT, j) for j in codes]
    else:
        raise HilirDataError(
            f"{grid.where}: neither output column 600 nor total-input row 210", path=path
        )

    def tol(x: np.ndarray) -> np.ndarray:
        return tolerance * max(scale, 1.0) + 1e-6 * np.abs(x)

    # gross value added and its parts
    parts = [v for v in va.values() if v is not None]
    if _ROW_GVA in grid.row_codes:
        gva = np.array([num(_ROW_GVA, j) for j in codes])
        if parts:
            base = np.sum(parts, axis=0)
            plus, minus = base + subsidies, base - subsidies
            ok_plus = np.abs(plus - gva) <= tol(gva)
            ok_minus = np.abs(minus - gva) <= tol(gva)
            if ok_plus.all():
                net_tax_sign = 1.0
            elif ok_minus.all():
                net_tax_sign = -1.0
            else:
                j = int(np.argmax(~ok_plus))
                row, col = where(_ROW_GVA, codes[j])
                raise HilirDataError(
                    f"gross value added {gva[j]:,.1f} is not the sum of rows 201-204(205) "
                    f"({plus[j]:,.1f})",
                    path=path,
                    row=row,
                    column=col,
                )
        else:
            net_tax_sign = 1.0
    else:
        if not parts:
            raise HilirDataError(f"{grid.where}: no value-added rows (201-209)", path=path)
        gva = np.sum(parts, axis=0) + subsidies
        net_tax_sign = 1.0
    taxes = va["indirect_taxes"]
    net_taxes = None if taxes is None else taxes + net_tax_sign * subsidies

    # identities: rows and columns add up to output
    row_sum = z.sum(axis=1) + fd.to_numpy().sum(axis=1)
    bad = np.abs(row_sum - output) > tol(output)
    if bad.any():
        i = int(np.argmax(bad))
        row, col = out_where[i]
        raise HilirDataError(
            f"output of sector {codes[i]} ({output[i]:,.1f}) differs from intermediate plus "
            f"final demand ({row_sum[i]:,.1f})",
            path=path,
            row=row,
            column=col,
        )
    col_sum = z.sum(axis=0) + imports + gva
    bad = np.abs(col_sum - output) > tol(output)
    if bad.any():
        j = int(np.argmax(bad))
        row, col = where(
            _ROW_TOTAL_INPUT if _ROW_TOTAL_INPUT in grid.row_codes else _ROW_GVA, codes[j]
        )
        raise HilirDataError(
            f"inputs of sector {codes[j]} (intermediate + imports + value added = "
            f"{col_sum[j]:,.1f}) differ from its output ({output[j]:,.1f})",
            path=path,
            row=row,
            column=col,
        )
    if _ROW_TOTAL_INPUT in grid.row_codes and _OUTPUT_COL in grid.col_codes:
        total_input = np.array([num(_ROW_TOTAL_INPUT, j) for j in codes])
        bad = np.abs(total_input - output) > tol(output)
        if bad.any():
            j = int(np.argmax(bad))
            row, col = where(_ROW_TOTAL_INPUT, codes[j])
            raise HilirDataError(
                f"total input {total_input[j]:,.1f} differs from output {output[j]:,.1f} "
                "(column 600)",
                path=path,
                row=row,
                column=col,
            )
    for total_code in _FD_TOTAL:
        if total_code in grid.col_codes:
            published = np.array([num(i, total_code) for i in codes])
            bad = np.abs(published - fd.to_numpy().sum(axis=1)) > tol(published)
            if bad.any():
                i = int(np.argmax(bad))
                row, col = where(codes[i], total_code)
                raise HilirDataError(
                    f"total final demand {published[i]:,.1f} is not the sum of its "
                    f"categories ({fd.iloc[i].sum():,.1f})",
                    path=path,
                    row=row,
                    column=col,
                )

    idx = pd.Index(labels, name="code")
    value_added = pd.DataFrame(
        {
            "wages": va["wages"] if va["wages"] is not None else np.nan,
            "operating_surplus": va["operating_surplus"]
            if va["operating_surplus"] is not None
            else np.nan,
            "depreciation": va["depreciation"] if va["depreciation"] is not None else np.nan,
            "net_indirect_taxes": net_taxes if net_taxes is not None else np.nan,
            "gross_value_added": gva,
        },
        index=idx,
    ).T
    value_added.index.name = "row"
    classification = _match_classification(labels, grid.sector_names, by="name")
    sectors = _sector_frame(labels, grid.sector_names, None, classification)
    return IOTable(
        Z=pd.DataFrame(z, index=idx, columns=idx.copy()),
        final_demand=fd,
        value_added=value_added,
        imports=pd.Series(imports, index=idx, name="imports"),
        output=pd.Series(output, index=idx, name="output"),
        sectors=sectors,
        unit="juta Rp",
        year=year,
        geography=geography,
        source=source,
        classification=classification,
        imports_final_demand=pd.Series({c: fd_imports[c] for c in order}, name="imports"),
        notes=(
            f"{path.name}, {grid.where}: {n} sectors, domestic transactions at producer "
            f"prices; rows and columns add up to output within {tolerance} juta Rp"
        ),
    )


# --------------------------------------------------------------------------------------------
# WIOD national input-output tables

_WIOD_FD = {
    "c37": "household",
    "c38": "npish",
    "c39": "government",
    "c41": "investment",
    "c42": "stock_change",
    "c44": "exports",
}


def read_wiod_niot(
    path: PathLikeStr,
    *,
    year: int,
    source: str = "wiod_niot_idn",
    country: str = "IDN",
    tolerance: float = 0.5,
) -> IOTable:
    """Read one year of a WIOD national input-output table (Sept. 2012 release).

    Parameters
    ----------
    path : str or os.PathLike
        The workbook, e.g. ``IDN_NIOT_row_sep12.xlsx`` (one sheet per year).
    year : int
        Sheet to read (1995-2011 in the 2012 release).
    source : str, default "wiod_niot_idn"
        Provenance key recorded in the table.
    country : str, default "IDN"
        ISO3 code in column C of the domestic block; it becomes the table's geography.
    tolerance : float, default 0.5
        Largest accepted difference, in million USD (plus one part in a million of output),
        between output and the sum of its uses or of its inputs.

    Returns
    -------
    IOTable
        Values in million USD, current prices of ``year``. ``value_added`` has
        ``gross_value_added`` (r64 plus net taxes on products r99, zero in the 2012 release)
        and ``net_indirect_taxes`` (r99); wages, operating surplus and depreciation are NaN
        (not published in NIOTs). ``imports`` is the imported-intermediates block summed by
        using industry, plus international transport margins and the adjustments r61-r63
        (payments abroad), so that intermediate inputs, imports and value added add up to
        output.

    Raises
    ------
    HilirDataError
        No sheet for the year, missing blocks or rows (r64, r69), a cell that is not a
        number, or output that its uses or inputs do not add up to.

    Notes
    -----
    Industry output (r69) equals total intermediate consumption (r60, domestic plus
    imported) plus net taxes on products (r99), the adjustments r61-r63, value added (r64) and
    international transport margins; the check uses these rows. Reference: Timmer et al.
    (2015), "An Illustrated User Guide to the World Input-Output Database", Review of
    International Economics 23: 575-605.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    p = Path(path)
    if not p.is_file():
        raise HilirDataError("file not found", path=p)
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:
        raise HilirDataError(f"not a readable Excel workbook: {exc}", path=p) from exc
    try:
        if str(year) not in wb.sheetnames:
            raise HilirDataError(
                f"no sheet for year {year}; the workbook has {wb.sheetnames}", path=p
            )
        rows = [list(r) for r in wb[str(year)].iter_rows(values_only=True)]
    finally:
        wb.close()

    # header: the row holding c1, c2, ... ; sector codes are in the row two above
    hrow = next(
        (i for i, r in enumerate(rows[:15]) if any(str(v).strip() == "c1" for v in r if v)),
        None,
    )
    if hrow is None:
        raise HilirDataError(f"sheet {year!r}: no header row with column codes c1, c2, ...", path=p)
    header = [str(v).strip() if v is not None else "" for v in rows[hrow]]
    col_of = {c: j for j, c in enumerate(header) if c}
    sector_cols = []
    k = 1
    while f"c{k}" in col_of and not any(f"c{k}" == x for x in _WIOD_FD):
        sector_cols.append(f"c{k}")
        k += 1
    n = len(sector_cols)
    if n < 3:
        raise HilirDataError(
            "fewer than three industry columns (c1, c2, ...)", path=p, row=hrow + 1
        )
    total_col = len(header) - 1
    while total_col > 0 and rows[hrow - 2][total_col] is None:
        total_col -= 1

    dom: dict[str, int] = {}
    imp: dict[str, int] = {}
    extra: dict[str, int] = {}
    for i in range(hrow + 1, len(rows)):
        r = rows[i]
        block = str(r[2]).strip() if len(r) > 2 and r[2] is not None else ""
        code = str(r[3]).strip() if len(r) > 3 and r[3] is not None else ""
        label = str(r[1]).strip().lower() if len(r) > 1 and r[1] is not None else ""
        if block == country and code in sector_cols:
            dom[code] = i
        elif block.lower() == "imports" and code in sector_cols:
            imp[code] = i
        elif code in ("r60", "r99", "r61", "r62", "r63", "r64", "r69"):
            extra[code] = i
        elif not code and "transport margin" in label:
            extra["margins"] = i
    missing = [c for c in sector_cols if c not in dom]
    if missing:
        raise HilirDataError(f"no domestic ({country}) rows for {missing[:3]}", path=p)
    for need in ("r64", "r69"):
        if need not in extra:
            raise HilirDataError(
                f"no row {need} ({'value added' if need == 'r64' else 'output'})", path=p
            )

    def val(i: int, j: int) -> float:
        v = rows[i][j] if j < len(rows[i]) else None
        return _number(_Cell(v, i + 1, get_column_letter(j + 1)), path=p)

    sc = [col_of[c] for c in sector_cols]
    z = np.array([[val(dom[c], j) for j in sc] for c in sector_cols])
    m = np.array([[val(imp[c], j) for j in sc] for c in sector_cols]) if imp else np.zeros((n, n))
    fd = {}
    fd_imports = {}
    for code, name in _WIOD_FD.items():
        if code in col_of:
            fd[name] = np.array([val(dom[c], col_of[code]) for c in sector_cols])
            fd_imports[name] = sum(val(imp[c], col_of[code]) for c in sector_cols if c in imp)
    output = np.array([val(dom[c], total_col) for c in sector_cols])
    gva = np.array([val(extra["r64"], j) for j in sc])
    x_in = np.array([val(extra["r69"], j) for j in sc])
    taxes = np.array([val(extra["r99"], j) for j in sc]) if "r99" in extra else np.zeros(n)
    abroad = np.zeros(n)
    for code in ("r61", "r62", "r63", "margins"):
        if code in extra:
            abroad += np.array([val(extra[code], j) for j in sc])
    other = taxes + abroad

    tol = tolerance + 1e-6 * np.abs(output)
    uses = z.sum(axis=1) + np.sum(list(fd.values()), axis=0)
    bad = np.abs(uses - output) > tol
    if bad.any():
        i = int(np.argmax(bad))
        raise HilirDataError(
            f"output of {sector_cols[i]} ({output[i]:,.1f}) differs from the sum of its "
            f"uses ({uses[i]:,.1f})",
            path=p,
            row=dom[sector_cols[i]] + 1,
            column=get_column_letter(total_col + 1),
        )
    inputs = z.sum(axis=0) + m.sum(axis=0) + gva + other
    bad = (np.abs(inputs - x_in) > tol) | (np.abs(x_in - output) > tol)
    if bad.any():
        j = int(np.argmax(bad))
        raise HilirDataError(
            f"output at basic prices (r69) of {sector_cols[j]} ({x_in[j]:,.1f}) differs from "
            f"its inputs ({inputs[j]:,.1f}) or from total output ({output[j]:,.1f})",
            path=p,
            row=extra["r69"] + 1,
            column=get_column_letter(sc[j] + 1),
        )

    codes = [_wiod_code(rows[dom[c]][0]) for c in sector_cols]
    names_en = [" ".join(str(rows[dom[c]][1]).split()) for c in sector_cols]
    classification = _match_classification(codes, names_en, by="code")
    if classification is not None:
        ref = sector_classifications()
        ref = ref[ref["classification"] == classification].set_index("code")
        names_id = [str(ref.loc[c, "name_id"]) for c in codes]
    else:
        names_id = names_en
    idx = pd.Index(codes, name="code")
    value_added = pd.DataFrame(
        {c: [np.nan, np.nan, np.nan, t, g + t] for c, g, t in zip(codes, gva, taxes, strict=True)},
        index=pd.Index(list(VALUE_ADDED_ROWS), name="row"),
    )
    value_added.columns.name = "code"
    return IOTable(
        Z=pd.DataFrame(z, index=idx, columns=idx.copy()),
        final_demand=pd.DataFrame(fd, index=idx),
        value_added=value_added,
        imports=pd.Series(m.sum(axis=0) + abroad, index=idx, name="imports"),
        output=pd.Series(output, index=idx, name="output"),
        sectors=_sector_frame(codes, names_id, names_en, classification),
        unit="million USD",
        year=int(year),
        geography="IDN" if country == "IDN" else country,
        source=source,
        classification=classification,
        imports_final_demand=pd.Series(fd_imports, name="imports"),
        notes=(
            f"{p.name}, sheet {year}: {n} industries, domestic block; imports = imported "
            "intermediates plus international transport margins and purchases abroad (r61-r63) "
            "by using industry; gross value added = value added at basic prices (r64) plus "
            "net taxes on products (r99)"
        ),
    )


def _wiod_code(value: object) -> str:
    code = _code_of(value)
    return str(code) if code is not None else str(value).strip()
