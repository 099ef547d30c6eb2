"""Filter-first scans of bulk trade files (CEPII BACI) on Polars, and their Parquet store.

Why Polars. Measured with ``benchmarks/bench_ingest.py`` (each engine in its own process,
timing the read and filter, one exporter and 60 HS6 codes kept; a shared 2-core machine):
on 1 million rows Polars' ``scan_csv().filter().collect()`` took 0.16 s wall (0.16 s CPU,
241 MB peak RSS) against DuckDB's ``read_csv ... WHERE`` 0.26 s (0.19 s, 212 MB); on 5
million rows (164 MB) 1.08 s (0.71 s CPU, 354 MB) against 1.02 s (0.74 s, 300 MB), and in
earlier quiet runs 0.7-1.0 s against 1.4-3.3 s. pandas' C reader took 2.25 s and 722 MB.
Polars is as fast or faster, numbers the rows (``row_index_name``, for located errors) and
writes Parquet, with no database connection to manage.

Flat memory. Polars' own ``scan_csv`` memory-maps the file, and every page it touches counts
in the process's RSS until the scan ends: 360 MB for 5 million rows, about 650 MB more for
20 million. :func:`scan_baci` instead reads the file in blocks of :data:`BLOCK_BYTES` (cut
at a line end) and parses each block, typed, in a small pool of threads (Polars releases
the GIL), keeping the rows asked from each before the next is read. Only a few blocks are in
memory at once, so the peak does not grow with the file, and the blocks of two threads keep
both cores of a small machine busy, as the memory-mapped scan does. A file of at most
:data:`WHOLE_BYTES` is scanned whole, memory-mapped: its pages add at most that much, and
the blocks' own cost (reading them into memory, one query each) would be a tenth of so
short a read.

The scan reads the six BACI columns typed (``t i j k`` whole numbers, ``v q`` floats, ``NA``
as missing) and keeps, in one pass over the whole file:

* the rows the filters ask for (exporter, importer, year, HS6 ranges);
* every *suspect* row: a value that is missing or negative, a product code that cannot be a
  zero-padded HS6 code, a negative quantity.

When the typed parse of a block fails on a cell (``1O97012``, ``"1,097,012.5"``, a padded
``NA`` whose width the head of the file did not show), that block is parsed again with every
cell as text and the same filters cast leniently; every row where a cast fails is then
suspect. A file with quoted cells is read as text whole (a quoted cell may hold a line
break, so it cannot be cut into blocks at line ends). The
suspect rows travel with the kept rows, as text with their line numbers, to the reader's own
checks (:func:`hilir.sources.baci.read_baci`), which name the row and column at fault (or
accept a cell written by hand, ``1,097,012.5``) and then drop the rows not asked for. So the
checks the engine can do run on the whole file, and the rest on the rows kept.

The store (:func:`write_store`) is written the same way, block by block: each block's rows of
one year and exporter become one Parquet file of that partition, so writing it keeps memory
as flat as reading (Polars' partitioned ``sink_parquet`` held every partition's buffers,
580 MB for 5 million rows). A read that asks for the store writes it during its one scan
(``scan_baci(..., store=draft)``, each typed block written as it is parsed) into a draft
folder (:func:`store_draft`), renamed into place (:func:`commit_store`) only once the rows
kept pass the reader's checks: on 5 million rows 1.1 s and 294 MB peak RSS, against 1.4 s
and 373 MB for a scan followed by :func:`write_store`.

Gzip and zip files (as CEPII distributes them) are first decompressed, streamed, to a
temporary file with a progress bar in bytes. Line numbers count the header as line 1 and
blank lines as lines, as an editor does.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from hilir.errors import HilirDataError
from hilir.progress import progress_bar

PathLikeStr = str | PathLike[str]

COLUMNS = ("t", "i", "j", "k", "v", "q")
_INT = ("t", "i", "j", "k")
_HEAD_BYTES = 1 << 18
#: The part of the head whose lines say the layout (``NA`` widths, codes with a leading zero).
_SNIFF_BYTES = 1 << 16
#: Files larger than this get a progress bar when ``progress`` is left to decide.
PROGRESS_BYTES = 50 << 20
#: Bytes of CSV parsed at a time by one thread (cut at a line end). Measured on 5 million
#: rows (2 cores, each setting the best of four runs): 8 and 16 MB blocks in 2 or 3 threads
#: took 0.39-0.42 s, 32 MB blocks 0.41-0.43 s; 8 MB keeps the peak lowest (about 60 MB
#: above the imports', against 150 MB with 16 MB).
BLOCK_BYTES = 8 << 20
#: Bytes of CSV written to the Parquet store at a time by one thread. A block written holds
#: its parse, its partitions and their Parquet buffers at once: measured on 5 million rows
#: (2 threads), 4 MB blocks peak at 285 MB RSS (118 MB above the imports') against 335 MB
#: with 8 MB, for 7 % more time.
STORE_BLOCK_BYTES = 4 << 20
#: Threads parsing blocks at once (at most the machine's cores).
WORKERS = 2
#: Files up to this size are scanned whole, memory-mapped (Polars' fastest read; at most this
#: much more RSS); larger ones in blocks. Measured on 1 million rows (33 MB, best of nine
#: interleaved runs in one process): blocks took 0.073 s, the whole-file scan 0.065 s. It is
#: the size from which a read shows a progress bar, so every bar drawn counts rows as blocks
#: pass.
WHOLE_BYTES = PROGRESS_BYTES
_STAMP = "_store.json"
#: The copy of the source's provenance sidecar inside a store folder.
STORE_SIDECAR = "_source.provenance.yaml"


@dataclass
class Filters:
    """What a scan keeps: numeric exporter and importer codes, years, HS6 ranges (inclusive)."""

    exporters: frozenset[int] | None = None
    partners: frozenset[int] | None = None
    years: frozenset[int] | None = None
    hs_ranges: tuple[tuple[int, int], ...] | None = None

    def expr(self, cols: dict[str, Any]) -> Any:
        """The filter as a Polars expression on the given column expressions."""
        import polars as pl

        keep = pl.lit(True)
        if self.exporters is not None:
            keep = keep & cols["i"].is_in(sorted(self.exporters))
        if self.partners is not None:
            keep = keep & cols["j"].is_in(sorted(self.partners))
        if self.years is not None:
            keep = keep & cols["t"].is_in(sorted(self.years))
        if self.hs_ranges is not None:
            # whole HS6 codes as one set lookup; shorter prefixes as ranges
            exact = sorted(low for low, high in self.hs_ranges if low == high)
            inside = cols["k"].is_in(exact) if exact else pl.lit(False)
            for low, high in self.hs_ranges:
                if low != high:
                    inside = inside | cols["k"].is_between(low, high)
            keep = keep & inside
        return keep


def hs_ranges(prefixes: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """HS6 prefixes as ranges of the code read as a number (``"0901"`` -> 90100-90199)."""
    out = []
    for p in prefixes:
        digits = str(p).strip()
        if not digits.isdigit() or len(digits) > 6:
            raise HilirDataError(f"HS prefix {p!r} is not 1 to 6 digits")
        scale = 10 ** (6 - len(digits))
        out.append((int(digits) * scale, (int(digits) + 1) * scale - 1))
    return tuple(out)


@dataclass
class ScanResult:
    """The rows a scan kept, as text cells with their line numbers.

    Attributes
    ----------
    frame : polars.DataFrame
        Columns ``t i j k v q`` (text, missing as ``""``), ``_row`` (line number, the header
        is line 1) and ``_keep`` (asked by the filters; the other rows are suspect rows for
        the reader's checks).
    suspect : int
        Rows kept only because a cell looked wrong.
    typed : bool
        Whether the typed scan read the whole file (else the text scan did).
    zeros_as_text : bool
        The file writes product codes with their leading zero (``090111``).
    """

    frame: Any  # polars.DataFrame (polars is imported when a scan runs)
    suspect: int
    typed: bool
    zeros_as_text: bool


@dataclass
class _Layout:
    names: list[str]
    nulls: list[str]
    zeros_as_text: bool
    quoted: bool


def _layout(path: Path, label: PathLikeStr) -> _Layout:
    """Header, padded ``NA`` widths and product-code style, from the head of a plain file.

    Only the lines of the sniffed head that hold ``NA`` are cut into cells, and one regular
    expression finds a product code of six characters led by ``0``: half the cost of
    cutting every line (measured 0.9 ms against 1.6 ms, of a 0.1 s read of 1 million rows).
    """
    from hilir.fileio import read_head

    head = read_head(path, _HEAD_BYTES, label=label)
    sniff = head[:_SNIFF_BYTES]  # enough lines to learn the layout
    if sniff.startswith(codecs.BOM_UTF8):
        sniff = sniff[len(codecs.BOM_UTF8) :]
    try:
        text = sniff.decode("utf-8")
    except UnicodeDecodeError:
        text = sniff.decode("cp1252", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header, _, body = text.partition("\n")
    names = [c.strip().strip('"').strip() for c in header.split(",")]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise HilirDataError(
            f"missing column(s) {missing}; a BACI file has t,i,j,k,v,q and this one has {names}",
            path=label,
            row=1,
            column=missing[0],
        )
    whole = len(head) < _HEAD_BYTES and len(sniff) == len(head)  # the file ends in the sniff
    if not whole:
        body = body[: body.rfind("\n") + 1]  # whole lines only
    if whole and not body.strip():
        raise HilirDataError("file has a header but no data rows", path=label)
    widths = {"NA"}
    for line in body.split("\n"):
        if "NA" in line:  # a few lines in twenty: only those are cut into cells
            widths.update(c for c in line.split(",") if c.strip() == "NA")
    k_at = names.index("k")
    zeros = re.compile(rf"^(?:[^,\n]*,){{{k_at}}}[^\S\n]*0[^,\s]{{5}}[^\S\n]*(?:,|$)", re.M)
    return _Layout(names, sorted(widths), zeros.search(body) is not None, b'"' in head)


def _check_tail(path: Path, names: list[str], label: PathLikeStr) -> None:
    """Refuse a last line cut short (a cut download): fewer fields than the header."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 65536))
        tail = fh.read().decode("utf-8", errors="replace").replace("\r\n", "\n")
    last = [s for s in tail.split("\n") if s.strip()]
    if not last:
        return
    fields = last[-1].count(",") + 1
    if fields >= len(names):
        return
    with open(path, "rb") as fh:  # the line number, on this error path only
        newlines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 24), b""))
    # the line of the last non-blank text: the newlines before it, plus one
    row = newlines - tail[tail.rindex(last[-1]) :].count("\n") + 1
    raise HilirDataError(
        f"line has {fields} of the header's {len(names)} fields (was the file cut mid-line?)",
        path=label,
        row=row,
        column=names[fields],
    )


@contextmanager
def plain_file(path: PathLikeStr, *, progress: bool | None = None) -> Iterator[list[Path]]:
    """The plain CSV file(s) of ``path``: itself, or its gzip or zip content decompressed.

    A zip archive gives each CSV member (a BACI release archive: one per year, in order;
    ``country_codes_*`` and ``product_codes_*`` left out).
    """
    p = Path(path)
    if not p.is_file():
        raise HilirDataError("file not found", path=p)
    with open(p, "rb") as fh:
        magic = fh.read(4)
    if not (magic[:2] == b"\x1f\x8b" or magic == b"PK\x03\x04"):
        yield [p]
        return
    with tempfile.TemporaryDirectory(prefix="hilir-bulk-") as tmp:
        out: list[Path] = []
        if magic[:2] == b"\x1f\x8b":
            target = Path(tmp) / (p.stem if p.suffix.lower() == ".gz" else p.name + ".csv")
            with gzip.open(p, "rb") as src:
                _copy(src, target, p.stat().st_size, p.name, progress, label=p)
            out.append(target)
        else:
            try:
                archive = zipfile.ZipFile(p)
            except zipfile.BadZipFile as exc:
                raise HilirDataError("damaged zip archive (was the download cut?)", path=p) from exc
            with archive:
                members = [
                    m
                    for m in archive.infolist()
                    if m.filename.lower().endswith(".csv")
                    and not re.search(r"(country|product)_codes", m.filename, re.IGNORECASE)
                ]
                if not members:
                    raise HilirDataError("the zip archive holds no CSV file", path=p)
                for m in sorted(members, key=lambda m: m.filename):
                    target = Path(tmp) / Path(m.filename).name
                    with archive.open(m) as src:
                        _copy(src, target, m.file_size, m.filename, progress, label=p)
                    out.append(target)
        yield out


def _copy(
    src: Any, target: Path, total: int, name: str, progress: bool | None, label: Path
) -> None:
    show = total > PROGRESS_BYTES if progress is None else progress
    bar = progress_bar(
        total=total, unit="B", unit_scale=True, desc=f"decompress {name}", disable=not show
    )
    try:
        with bar, open(target, "wb") as dst:
            for chunk in iter(lambda: src.read(1 << 22), b""):
                dst.write(chunk)
                bar.update(len(chunk))
    except (EOFError, OSError, zipfile.BadZipFile) as exc:
        raise HilirDataError(f"the compressed file is cut or damaged ({exc})", path=label) from exc


def _blocks(path: Path, size: int) -> Iterator[bytes]:
    """The file in blocks of about ``size`` bytes, each ending at a line end (or the end).

    A block never starts with a blank line (a block parsed without its header takes the
    number of fields from its first line), so blank lines stay with the block before. Each
    block is read once, unbuffered, straight into its own bytes.
    """
    total = path.stat().st_size
    with open(path, "rb", buffering=0) as fh:
        start = 0
        while start < total:
            end = _cut(fh, start + size, total) if start + size < total else total
            fh.seek(start)
            parts = [fh.read(end - start)]
            got = len(parts[0])
            while got < end - start:  # a short read (rare on a local file)
                more = fh.read(end - start - got)
                if not more:
                    break
                parts.append(more)
                got += len(more)
            yield parts[0] if len(parts) == 1 else b"".join(parts)
            start = start + got


def _cut(fh: Any, pos: int, total: int) -> int:
    """The start of the first non-blank line after the line holding byte ``pos``."""
    fh.seek(pos)
    buf = b""
    at = 0  # where the next line starts, in ``buf``
    ended = False  # the line holding ``pos`` has ended
    while True:
        nl = buf.find(b"\n", at)
        if nl < 0:
            chunk = fh.read(1 << 16)
            if not chunk:  # the file ends: blank lines at its end go with this block
                return total if not ended or not buf[at:].strip() else pos + at
            buf += chunk
            continue
        if ended and buf[at : nl + 1].strip():
            return pos + at
        ended = True
        at = nl + 1


def _schema(layout: _Layout) -> dict[str, Any]:
    """Keyword arguments of the typed parse: the columns named and typed, quotes not read.

    The typed parse reads a file whose head holds no quote (:attr:`_Layout.quoted`) and
    reads no quote character, which saves a twentieth of the scan (measured on 5 million
    rows). A quote further on cannot change what it reads: the six BACI columns are numbers,
    so a quoted cell in one of them, or a quoted comma anywhere (one field too many), fails
    the typed parse, and that block is parsed again as text, quotes read.
    """
    import polars as pl

    types: dict[str, Any] = {n: pl.String for n in layout.names}
    types.update({c: pl.Int64 for c in _INT})
    types.update({"v": pl.Float64, "q": pl.Float64})
    if len(set(layout.names)) == len(layout.names):  # the whole schema: no inference
        return {"schema": types, "quote_char": None}
    return {"new_columns": layout.names, "schema_overrides": types, "quote_char": None}


@dataclass
class _BlockParser:
    """The parse of one block, typed or else as text, built once per file.

    Calling it with a block (bytes of whole lines) and its number (block 0 holds the header)
    gives the rows the filters ask or that look wrong (``_r`` numbering the block's lines from
    0, after the header in the first block), the block's lines, and whether the typed parse
    read it.
    Every line of a block is one row of the parse (a blank line is a row of nulls), so the
    block is parsed whole and its lines are the parse's rows (plus the header's): no second
    pass over the bytes to count line ends (which cost a tenth of the scan, measured on 5
    million rows), and a block's row numbers follow from the lines of the blocks before it.
    """

    layout: _Layout
    filters: Filters
    #: A store folder being written: each typed block's rows go there too (:func:`_write_block`).
    store: Path | None = None
    #: The file's number among an archive's members (part of the store's file names).
    member: int = 0

    def __post_init__(self) -> None:
        keep, suspect = _typed_marks(self.filters)
        self._typed = (keep | suspect, {"_keep": keep, "_suspect": suspect}, _not_blank())
        keep, suspect = _text_marks(self.filters)
        self._text = (keep | suspect, {"_keep": keep, "_suspect": suspect}, _not_blank(True))
        self._schema = _schema(self.layout)

    def __call__(self, block: bytes, number: int) -> tuple[Any, int, bool]:
        import polars as pl

        first = number == 0
        options = {"has_header": first, "row_index_name": "_r"}
        try:
            rows = pl.read_csv(
                block, null_values=self.layout.nulls, encoding="utf8", **options, **self._schema
            )
            marks, typed = self._typed, True
            if self.store is not None:
                _write_block(rows, self.store, self.member, number)
        except pl.exceptions.PolarsError:
            rows = pl.read_csv(
                block,
                new_columns=self.layout.names,
                infer_schema=False,
                encoding="utf8-lossy",
                **options,
            )
            marks, typed = self._text, False
        return self._kept(rows.lazy(), marks), rows.height + int(first), typed

    def typed_rows(self, lf: Any) -> Any:
        """The rows kept by a typed scan (``lf``, with ``_r``), collected."""
        return self._kept(lf, self._typed)

    @staticmethod
    def _kept(lf: Any, marks: tuple[Any, dict[str, Any], Any]) -> Any:
        import polars as pl

        wanted, flags, not_blank = marks
        rows = lf.filter(wanted).select("_r", *COLUMNS).with_columns(**flags)
        return rows.filter(not_blank).with_columns(pl.col("_r").cast(pl.Int64)).collect()


def _scan_plain(
    path: Path, layout: _Layout, bar: Any, size: int, parse: _BlockParser
) -> tuple[Any, bool]:
    """A plain file's rows kept: in one typed scan up to :data:`WHOLE_BYTES`, else in blocks.

    A small file is scanned whole, memory-mapped, as Polars reads it fastest (its pages in
    RSS are at most :data:`WHOLE_BYTES`); if a cell fails the typed parse, it is read in
    blocks, which fall back to text one block at a time. A scan that writes a store reads
    blocks of :data:`STORE_BLOCK_BYTES` whatever the size.
    """
    import polars as pl

    if parse.store is not None:
        return _scan_blocks(path, layout, bar, parse, STORE_BLOCK_BYTES)
    if size <= WHOLE_BYTES:
        lf = pl.scan_csv(
            path,
            has_header=True,
            null_values=layout.nulls,
            row_index_name="_r",
            encoding="utf8",
            **_schema(layout),
        )
        try:
            found = parse.typed_rows(lf)
        except pl.exceptions.PolarsError:
            pass
        else:
            bar.update(size)
            return _text_cells(found, layout.zeros_as_text), True
    return _scan_blocks(path, layout, bar, parse, BLOCK_BYTES)


def _scan_blocks(
    path: Path, layout: _Layout, bar: Any, parse: _BlockParser, size: int
) -> tuple[Any, bool]:
    """Parse the file in blocks of ``size`` bytes in a thread pool; the rows kept, in order.

    At most ``workers + 1`` blocks are read and not yet parsed, so memory stays flat. The rows
    kept come back as text cells (:func:`_text_cells`), converted once.
    Raises :class:`polars.exceptions.PolarsError` when a block cannot be read even as text.
    """
    import polars as pl

    workers = max(1, min(WORKERS, os.cpu_count() or 2))
    found: list[tuple[Any, bool]] = []
    lines = kept = 0
    pending: deque[tuple[Future[tuple[Any, int, bool]], int]] = deque()

    def collect_one() -> None:
        nonlocal kept, lines
        future, nbytes = pending.popleft()
        frame, block_lines, was_typed = future.result()
        # ``_r`` counts the block's lines from 0; as data lines of the file (the header is
        # the file's first line, so a later block starts at data line ``lines - 1``)
        if lines and frame.height:
            frame = frame.with_columns(pl.col("_r") + (lines - 1))
        found.append((frame, was_typed))
        kept += frame.height
        lines += block_lines
        bar.update(nbytes)
        bar.set_postfix_str(f"{max(lines - 1, 0):,} rows, {kept:,} kept")

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hilir-scan") as pool:
        try:
            for n, block in enumerate(_blocks(path, size)):
                pending.append((pool.submit(parse, block, n), len(block)))
                while len(pending) > workers:
                    collect_one()
            while pending:
                collect_one()
        finally:
            for future, _ in pending:
                future.cancel()
    typed = all(was_typed for _, was_typed in found)
    if typed:  # one conversion of all the rows kept
        frames = [f for f, _ in found if f.height] or [found[0][0]]
        return _text_cells(pl.concat(frames), layout.zeros_as_text), typed
    cells = [_text_cells(f, layout.zeros_as_text and t) for f, t in found]
    return pl.concat([c for c in cells if c.height] or cells[:1]), typed


def _typed_marks(filters: Filters) -> tuple[Any, Any]:
    """The filter and the suspect-row test on typed columns, as Polars expressions."""
    import polars as pl

    cols = {c: pl.col(c) for c in COLUMNS}
    # blank lines (every cell null) are suspect here and dropped from the few rows found
    suspect = pl.any_horizontal(
        *(pl.col(c).is_null() for c in ("t", "i", "j", "k", "v")),
        pl.col("v") < 0,
        pl.col("q") < 0,
        ~pl.col("k").is_between(10000, 999999),
    ).fill_null(False)
    return filters.expr(cols).fill_null(False), suspect


def _text_marks(filters: Filters) -> tuple[Any, Any]:
    """The filter and the suspect-row test on text columns cast leniently."""
    import polars as pl

    stripped = {c: pl.col(c).str.strip_chars() for c in COLUMNS}
    ints = {c: stripped[c].cast(pl.Int64, strict=False) for c in _INT}
    nums = {c: stripped[c].cast(pl.Float64, strict=False) for c in ("v", "q")}
    q_missing = stripped["q"].is_null() | stripped["q"].str.to_lowercase().is_in(["na", ""])
    suspect = pl.any_horizontal(
        *(ints[c].is_null() for c in _INT),
        nums["v"].is_null(),
        nums["v"] < 0,
        nums["q"].is_null() & ~q_missing,
        nums["q"] < 0,
        ~ints["k"].is_between(10000, 999999),
    ).fill_null(False)
    return filters.expr(ints).fill_null(False), suspect


def _not_blank(text: bool = False) -> Any:
    """Not a blank line: some cell holds something (in text cells, more than spaces)."""
    import polars as pl

    if text:
        empty = (pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in COLUMNS)
        return ~pl.all_horizontal(*empty)
    return ~pl.all_horizontal(*(pl.col(c).is_null() for c in COLUMNS))


def _text_query(path: Path, layout: _Layout, filters: Filters) -> Any:
    """The text scan of the whole file as one lazy query (a file with quoted cells)."""
    import polars as pl

    lf = pl.scan_csv(
        path,
        has_header=True,
        new_columns=layout.names,
        infer_schema=False,
        row_index_name="_r",
        encoding="utf8-lossy",
    ).select("_r", *COLUMNS)
    keep, suspect = _text_marks(filters)
    return (
        lf.filter(keep | suspect)
        .with_columns(_keep=keep, _suspect=suspect)
        .filter(_not_blank(text=True))
    )


def _text_cells(found: Any, zeros: bool) -> Any:
    """Kept rows as text cells (missing as ""), product codes zero-padded when ``zeros``.

    ``zeros`` is for rows parsed typed from a file that writes product codes with their
    leading zero: the typed parse read ``090111`` as 90111, and the file said ``090111``.
    """
    import polars as pl

    k = pl.col("k").cast(pl.String)
    if zeros:
        k = k.str.zfill(6)
    return found.select(
        "_r",
        *(pl.col(c).cast(pl.String) for c in COLUMNS if c != "k"),
        k.alias("k"),
        "_keep",
        "_suspect",
    ).select(
        pl.col("_r").cast(pl.Int64),
        *(pl.col(c).fill_null("") for c in COLUMNS),
        "_keep",
        "_suspect",
    )


def _numbered(cells: Any) -> Any:
    """Text cells with their file line numbers (``_row``: the header is line 1)."""
    import polars as pl

    return cells.select(*COLUMNS, (pl.col("_r") + 2).alias("_row"), "_keep", "_suspect")


def _strict_text(path: Path, label: PathLikeStr) -> Any:
    """A file the engine cannot parse: :func:`hilir.fileio.read_csv` names the line at fault.

    When it reads the file after all, every row goes to the reader's checks and filters.
    """
    import polars as pl

    from hilir.fileio import read_csv

    try:
        df = read_csv(path)
    except HilirDataError as exc:
        raise HilirDataError(exc.reason, path=label, row=exc.row, column=exc.column) from exc
    df.columns = [c.strip() if c != "_row" else c for c in df.columns]
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise HilirDataError(f"missing column(s) {missing}", path=label, row=1, column=missing[0])
    out = df[[*COLUMNS, "_row"]].astype({c: str for c in COLUMNS})
    return pl.from_pandas(out).with_columns(
        pl.col("_row").cast(pl.Int64), _keep=pl.lit(True), _suspect=pl.lit(True)
    )


def scan_baci(
    path: PathLikeStr,
    filters: Filters,
    *,
    progress: bool | None = None,
    label: PathLikeStr | None = None,
    store: PathLikeStr | None = None,
) -> ScanResult:
    """Scan a BACI file (CSV, gzip or zip) once, keeping the rows asked and the suspect rows.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    filters : Filters
        What to keep.
    progress : bool, optional
        A progress bar (bytes decompressed, then rows scanned); by default for files over
        50 MB.
    label : str or os.PathLike, optional
        The name errors give (default ``path``).
    store : str or os.PathLike, optional
        A folder (a draft from :func:`store_draft`) that receives, as the blocks are read,
        every row as :func:`write_store` writes it, so a first read that asks for the store
        reads the file once. It is complete only when the scan's ``typed`` is true; commit it
        (:func:`commit_store`) once the rows kept pass the reader's checks.

    Returns
    -------
    ScanResult

    Raises
    ------
    HilirDataError
        An empty file, a missing column, no data rows, a last line cut short.
    """
    import polars as pl

    label = path if label is None else label
    frames: list[Any] = []
    suspect = 0
    typed = True
    zeros = False
    with plain_file(path, progress=progress) as files:
        for member, f in enumerate(files):
            layout = _layout(f, label)
            _check_tail(f, layout.names, label)
            size = f.stat().st_size
            show = size > PROGRESS_BYTES if progress is None else progress
            bar = progress_bar(
                total=size,
                unit="B",
                unit_scale=True,
                desc=f"{'scan and store' if store is not None else 'scan'} {f.name}",
                disable=not show,
            )
            with bar:
                frame = None
                try:
                    if layout.quoted:  # a quoted cell may hold a line end: the file whole
                        typed = False
                        query = _text_query(f, layout, filters)
                        found = _text_cells(query.collect(engine="streaming"), False)
                        bar.update(size)
                    else:
                        parse = _BlockParser(
                            layout, filters, None if store is None else Path(store), member
                        )
                        found, was_typed = _scan_plain(f, layout, bar, size, parse)
                        typed = typed and was_typed
                except pl.exceptions.PolarsError:
                    typed = False
                    frame = _strict_text(f, label)
                if frame is None:
                    frame = _numbered(found)
            zeros = zeros or layout.zeros_as_text
            frames.append(frame)
            suspect += int((frame["_suspect"] & ~frame["_keep"]).sum())
    frame = pl.concat(frames) if len(frames) > 1 else frames[0]
    return ScanResult(frame.drop("_suspect"), suspect, typed, zeros)


# --- the Parquet store --------------------------------------------------------------------


def _stamp(path: Path) -> dict[str, Any]:
    st = path.stat()
    return {"file": path.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def store_is_current(store: Path, path: PathLikeStr) -> bool:
    """Whether ``store`` holds a Parquet copy of the file as it is now (size and time)."""
    stamp = store / _STAMP
    if not stamp.is_file():
        return False
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(recorded.get("source") == _stamp(Path(path)))


def write_store(
    path: PathLikeStr,
    store: PathLikeStr,
    *,
    sidecar: PathLikeStr | None = None,
    progress: bool | None = None,
) -> Path:
    """Write a BACI file as Parquet partitioned by year and exporter, atomically.

    The folder ``store`` receives ``year=YYYY/exporter=NNN/*.parquet`` (the columns ``j k v
    q`` typed as in the scan; the year and the exporter's numeric code are in the folder
    names), ``_store.json`` (the source's name, size and modification time, which say whether
    the store is current) and, when ``sidecar`` is given, a copy of the source's provenance
    sidecar (:data:`STORE_SIDECAR`). It is written in a draft folder beside it and renamed
    into place (:func:`commit_store`), so a killed process leaves the old store or none,
    never half of one.

    Call it after :func:`scan_baci` accepted the file: only files the typed scan reads are
    stored (a file of hand-written numbers is not). A read that asks for the store writes it
    during its scan instead (``scan_baci(..., store=draft)``).
    """
    with store_draft(store) as draft:
        with plain_file(path, progress=progress) as files:
            for n, f in enumerate(files):
                layout = _layout(f, path)
                if layout.quoted:
                    raise HilirDataError(
                        "only plain BACI files (no quoted cells) are stored as Parquet", path=path
                    )
                _write_partitions(f, layout, draft, n, progress=progress)
        return commit_store(draft, store, path, sidecar=sidecar)


@contextmanager
def store_draft(store: PathLikeStr | None) -> Iterator[Path | None]:
    """A new empty folder beside ``store`` to write it in, removed at the end unless committed.

    Parameters
    ----------
    store : str, os.PathLike or None
        The store folder to be written; ``None`` (no store asked) gives ``None``.

    Yields
    ------
    pathlib.Path or None
        The draft folder (``.<name>.<pid>-*`` beside ``store``).
    """
    if store is None:
        yield None
        return
    target = Path(store)
    target.parent.mkdir(parents=True, exist_ok=True)
    draft = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}-", dir=target.parent))
    try:
        yield draft
    finally:  # after commit_store the draft is the store, and this name is gone
        shutil.rmtree(draft, ignore_errors=True)


def commit_store(
    draft: Path, store: PathLikeStr, source: PathLikeStr, *, sidecar: PathLikeStr | None = None
) -> Path:
    """Stamp a draft written for ``source`` and rename it to ``store`` (replacing an old one).

    Parameters
    ----------
    draft : pathlib.Path
        The folder written (from :func:`store_draft`).
    store : str or os.PathLike
        Where the store goes.
    source : str or os.PathLike
        The BACI file stored (its name, size and time say whether the store is current).
    sidecar : str or os.PathLike, optional
        The source's provenance sidecar, copied in as :data:`STORE_SIDECAR`.

    Returns
    -------
    pathlib.Path
        The store folder.
    """
    target = Path(store)
    meta = {"source": _stamp(Path(source)), "written": time.strftime("%Y-%m-%dT%H:%M:%SZ")}
    (draft / _STAMP).write_text(json.dumps(meta, indent=1), encoding="utf-8")
    if sidecar is not None:
        shutil.copyfile(sidecar, draft / STORE_SIDECAR)
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.{os.getpid()}-old")
        os.replace(target, old)
    os.replace(draft, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target


def _write_partitions(
    path: Path, layout: _Layout, folder: Path, n: int, *, progress: bool | None
) -> None:
    """Write one plain file into ``folder/year=YYYY/exporter=NNN/part-<n>-<block>.parquet``.

    Block by block (:data:`STORE_BLOCK_BYTES`), as the scan reads, in :data:`WORKERS`
    threads: each block's rows of a year and exporter are one file of that partition, so
    memory holds a few blocks whatever the file's size (BACI files are sorted by exporter, so
    a partition gets a file or two). The partition keys live in the folder names, the files
    hold ``j k v q``. A block the typed parse cannot read is a :class:`HilirDataError`.
    """
    import polars as pl

    schema = _schema(layout)
    size = path.stat().st_size
    show = size > PROGRESS_BYTES if progress is None else progress

    def write(b: int, block: bytes) -> None:
        try:
            rows = pl.read_csv(block, has_header=b == 0, null_values=layout.nulls, **schema)
        except pl.exceptions.PolarsError as exc:
            why = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise HilirDataError(
                "only files the typed scan reads whole are stored as Parquet; a cell is quoted, "
                f"written by hand or padded unlike the file's head ({why})",
                path=path,
            ) from exc
        _write_block(rows, folder, n, b)

    workers = max(1, min(WORKERS, os.cpu_count() or 2))
    bar = progress_bar(
        total=size, unit="B", unit_scale=True, desc=f"store {path.name}", disable=not show
    )
    pending: deque[tuple[Future[None], int]] = deque()
    with bar, ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hilir-store") as pool:
        try:
            for b, block in enumerate(_blocks(path, STORE_BLOCK_BYTES)):
                pending.append((pool.submit(write, b, block), len(block)))
                while len(pending) > workers:
                    future, nbytes = pending.popleft()
                    future.result()
                    bar.update(nbytes)
            while pending:
                future, nbytes = pending.popleft()
                future.result()
                bar.update(nbytes)
        finally:
            for future, _ in pending:
                future.cancel()


def _write_block(rows: Any, folder: Path, n: int, b: int) -> None:
    """Block ``b`` of file ``n``, parsed typed, as one Parquet file per year and exporter.

    The files are ``folder/year=YYYY/exporter=NNN/part-<n>-<b>.parquet`` with the columns
    ``j k v q``; blank lines are left out, and so are rows without a year or exporter (a
    file holding one fails the reader's checks, and its store is not kept).
    """
    import polars as pl

    rows = rows.select(COLUMNS).filter(_not_blank() & pl.col("t").is_not_null())
    for key, part in (
        rows.filter(pl.col("i").is_not_null()).partition_by("t", "i", as_dict=True).items()
    ):
        year, exporter = (int(k) for k in key)
        where = folder / f"year={year}" / f"exporter={exporter}"
        where.mkdir(parents=True, exist_ok=True)
        part.drop("t", "i").write_parquet(where / f"part-{n}-{b}.parquet")


def scan_store(store: PathLikeStr, filters: Filters) -> Any:
    """The rows asked, from a store written by :func:`write_store`, as :func:`scan_baci` gives.

    The year and exporter filters select partitions (folders) before any file is opened.
    Row numbers are those of the rows in the store (the source was checked when stored).
    """
    import polars as pl

    lf = pl.scan_parquet(Path(store) / "**" / "*.parquet", hive_partitioning=True)
    lf = lf.with_row_index("_r")
    cols = {c: pl.col(c) for c in COLUMNS}
    cols.update(t=pl.col("year"), i=pl.col("exporter"))
    found = lf.filter(filters.expr(cols)).with_columns(_keep=True, _suspect=False)
    found = found.with_columns(t=pl.col("year"), i=pl.col("exporter"))
    return _numbered(_text_cells(found.collect(engine="streaming"), False)).drop("_suspect")
