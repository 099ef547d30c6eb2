"""Reliability of the readers on a generated corpus of malformed and re-formatted inputs.

A check, not a test: ``python benchmarks/reliability.py [--per-reader N] [--seed S]``.
For every CSV reader it takes the reader's own fixture (``tests/fixtures``) and writes

* **re-formatted** copies that mean the same table (Windows and old-Mac line endings, a
  byte-order mark, Windows-1252, numbers written with thousands separators, the table as an
  ``.xlsx`` workbook with numbers stored as numbers): a reader must
  return the same numbers (*normalised*) or refuse them clearly; same rows with other numbers
  are *accepted with wrong values*;
* **malformed** copies (a cut file, a broken quote, a text, negative, non-finite or
  impossible cell, a missing column, noise bytes, a cut or password-protected workbook):
  a reader must refuse them with a
  :class:`~hilir.errors.HilirDataError`, at best naming the row or column (*located*).

It prints one line per reader and the totals per class:
``located``, ``unlocated`` (a HilirDataError without row or column), ``other exception``,
``accepted with wrong values``, ``normalised`` and ``accepted`` (a malformed file read
without complaint: not always wrong, e.g. a cut that ends on a line break). The target is
zero ``other exception`` and zero ``accepted with wrong values``. Each class is also tried
through ``hilir data import`` for one file per reader (exit code 0, 1 or 2, no traceback).
Last, the real layouts of :data:`LAYOUTS` (R ``write.csv`` Comtrade exports, FAOSTAT's
CPC-coded web download, historic areas) must be read, with the numbers their fixtures hold.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from hilir.data.options import reader_options  # noqa: E402
from hilir.errors import HilirDataError  # noqa: E402
from hilir.sources.catalog import BUILT_TABLES, READERS  # noqa: E402
from test_reader_fuzz import CASES, FIXTURES  # noqa: E402

#: Options a fixture needs to be read at all (the fuzz suite only checks exception types).
NEEDS = {
    "bps_io": {"year": "2010", "geography": "ID-LA", "scale": "1"},
    "comtrade": {"reporter": "IDN", "partner": "WLD", "flow": "export"},
}
#: Real layouts users download (issue 13, items 13-14): reader, fixture, options, and numbers
#: the read must contain (US$ and kg as the fixtures' README documents them).
LAYOUTS: dict[str, tuple[str, str, dict[str, str], tuple[float, ...]]] = {
    "comtrade R write.csv, historic partners": (
        "comtrade",
        "comtrade/r_write_csv_historic.csv",
        {"reporter": "IDN", "flow": "export"},
        (377_000_000.0, 900_000.0),
    ),
    "comtrade R write.csv, historic reporter": (
        "comtrade",
        "comtrade/r_write_csv_historic.csv",
        {"reporter": "SUN"},
        (20_000.0,),
    ),
    "faostat web download, CPC codes": (
        "faostat_trade",
        "faostat/tcl_web_download_cpc.csv",
        {},
        (1_189_725_000.0, 499_651_000.0, 7_982_000.0),
    ),
    "faostat bulk, historic areas": (
        "faostat_trade",
        "faostat/tcl_bulk_historic.csv",
        {},
        (376_615_000.0, 220_000_000.0),
    ),
    "faostat bulk, historic areas, one reporter": (
        "faostat_trade",
        "faostat/tcl_bulk_historic.csv",
        {"reporter": "IDN"},
        (376_615_000.0, 421_627_000.0),
    ),
}
CLASSES = ("located", "unlocated", "other exception", "accepted with wrong values")
CLASSES += ("normalised", "accepted")


def _read(reader: str, path: Path, options: dict[str, str]) -> object:
    function = READERS[reader].function()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(path, source="bench", **reader_options(function, options, reader=reader))


def _numbers(table: object) -> np.ndarray:
    """The numeric content of a reader's result, sorted, for comparing two reads."""
    frame = table if isinstance(table, pd.DataFrame) else getattr(table, "Z", None)
    if frame is None:
        return np.array([])
    values = frame.select_dtypes("number").to_numpy(dtype=float).ravel()
    return np.sort(values[np.isfinite(values)])


def reformatted(text: str) -> dict[str, bytes]:
    """Copies of a fixture that mean the same table."""
    lines = text.splitlines()
    return {
        "crlf": "\r\n".join(lines).encode("utf-8"),
        "cr": "\r".join(lines).encode("utf-8"),
        "bom": ("\ufeff" + "\n".join(lines)).encode("utf-8"),
        "cp1252": "\n".join(lines).encode("cp1252", errors="replace"),
    }


def workbooks(text: str) -> dict[str, tuple[bytes, bool]]:
    """The fixture as an ``.xlsx`` workbook (same table: True) and two broken ones (False)."""
    import csv
    import io
    import re

    import openpyxl

    wb = openpyxl.Workbook()
    for r, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        for c, cell in enumerate(row, start=1):
            bare = (
                cell.replace(",", "") if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", cell) else cell
            )
            if re.fullmatch(r"-?(?:[1-9]\d*|0)", bare):
                wb.active.cell(r, c, int(bare))
            elif re.fullmatch(r"-?(?:[1-9]\d*|0)\.\d+", bare):
                wb.active.cell(r, c, float(bare))
            elif cell:
                wb.active.cell(r, c, cell)
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return {
        "xlsx": (data, True),
        "xlsx_cut": (data[: len(data) // 2], False),
        "xlsx_ole": (ole, False),
    }


def malformed(text: str, rng: random.Random, n: int) -> dict[str, bytes]:
    """``n`` broken copies of a fixture."""
    lines = text.splitlines()
    out: dict[str, bytes] = {}
    odd = ["abc", "-5", "1e400", "inf", "4928", '"', "=1+1", "1.234,5", "", "NaN(3)"]
    for k in range(n):
        kind = k % 5
        work = list(lines)
        if kind == 0 and len(work) > 1:  # a cell replaced
            i = rng.randrange(1, len(work))
            cells = work[i].split(",")
            cells[rng.randrange(len(cells))] = rng.choice(odd)
            work[i] = ",".join(cells)
        elif kind == 1:  # cut mid-file
            body = "\n".join(work)
            work = [body[: rng.randrange(1, max(2, len(body)))]]
        elif kind == 2 and work:  # a header cell renamed
            cells = work[0].split(",")
            cells[rng.randrange(len(cells))] = f"col{k}"
            work[0] = ",".join(cells)
        elif kind == 3 and len(work) > 1:  # a line with a field too many or too few
            i = rng.randrange(1, len(work))
            work[i] = work[i] + ",extra" if rng.random() < 0.5 else work[i].rsplit(",", 1)[0]
        else:  # noise
            out[f"noise{k}"] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
            continue
        out[f"broken{k}"] = "\n".join(work).encode("utf-8")
    return out


def classify(reader: str, path: Path, options: dict, reference: np.ndarray | None) -> str:
    """The class of one read (``reference``: the numbers a re-formatted file must give)."""
    try:
        table = _read(reader, path, options)
    except HilirDataError as exc:
        return "located" if (exc.row is not None or exc.column is not None) else "unlocated"
    except Exception:
        return "other exception"
    if reference is None:
        return "accepted"
    got = _numbers(table)
    same = got.shape == reference.shape and np.allclose(got, reference, rtol=1e-12)
    return "normalised" if same else "accepted with wrong values"


def layouts() -> Counter[str]:
    """Read the real layouts of :data:`LAYOUTS`: read right, read wrong, or refused."""
    counts: Counter[str] = Counter()
    for label, (reader, name, options, expected) in LAYOUTS.items():
        try:
            got = _numbers(_read(reader, FIXTURES / name, options))
        except Exception as exc:
            counts["layout refused"] += 1
            print(f"  refused: {label}: {type(exc).__name__}: {str(exc)[:120]}")
            continue
        right = all(np.isclose(got, value, rtol=1e-12).any() for value in expected)
        counts["layout read right" if right else "accepted with wrong values"] += 1
    return counts


def import_exit_code(reader: str, path: Path, options: dict, data: Path) -> tuple[int, bool]:
    """Exit code of ``hilir data import`` on a file, and whether it printed a traceback."""
    argv = [sys.executable, "-m", "hilir", "data", "import", reader, str(path)]
    for name, value in options.items():
        argv += ["--option", f"{name}={value}"]
    env = {"HILIR_DATA_DIR": str(data), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    return done.returncode, "Traceback" in done.stderr


def main(argv: list[str] | None = None) -> int:
    """Run the corpus and print the counts; exit 1 when a target class is not zero."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-reader", type=int, default=12, help="malformed files per reader")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    totals: Counter[str] = Counter()
    tracebacks = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for reader, (name, given) in sorted(CASES.items()):
            options = {**given, **NEEDS.get(reader, {})}
            original = FIXTURES / name
            text = original.read_bytes().decode("utf-8-sig")
            reference = _numbers(_read(reader, original, options))
            counts: Counter[str] = Counter()
            files = {k: (v, reference) for k, v in reformatted(text).items()}
            files |= {k: (v, None) for k, v in malformed(text, rng, args.per_reader).items()}
            if READERS[reader].table != "io_table" and reader != "pinksheet":  # read as text
                files |= {
                    k: (v, reference if same else None) for k, (v, same) in workbooks(text).items()
                }
            for key, (content, ref) in files.items():
                file_name = (
                    Path(name).with_suffix(".xlsx").name
                    if key.startswith("xlsx")
                    else Path(name).name
                )
                path = folder / reader / key / file_name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
                counts[classify(reader, path, options, ref)] += 1
            some = folder / reader / "broken0" / Path(name).name
            if some.is_file() and READERS[reader].table in BUILT_TABLES:  # importable formats
                code, trace = import_exit_code(reader, some, options, folder / "data")
                tracebacks += trace
                counts[f"import exit {code}"] += 1
            totals.update(counts)
            shown = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
            print(f"{reader:<20} {shown}")
    found = layouts()
    totals.update(found)
    print(f"{'real layouts':<20} " + ", ".join(f"{k}: {v}" for k, v in sorted(found.items())))
    print()
    for cls in CLASSES:
        print(f"{cls:<28} {totals[cls]}")
    print(f"{'import tracebacks':<28} {tracebacks}")
    print(f"{'layouts refused':<28} {totals['layout refused']} of {len(LAYOUTS)}")
    bad = totals["other exception"] + totals["accepted with wrong values"] + tracebacks
    bad += totals["layout refused"]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
