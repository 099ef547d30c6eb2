"""The ``hilir`` command line.

Exit codes: 0 success, 1 bad data (the message names file, row and column), 2 usage error
(also a missing or refused API key), 3 a download failed (offline, HTTP error, changed layout).

Tables print in a default view that fits the terminal (at most 100 columns, at least 60):
the columns that matter, long text cut with an ellipsis, long lists cut after
:data:`MAX_ROWS` rows with a line saying how many more. ``--format csv|json|markdown``
prints every row and column.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from hilir.errors import HilirDataError, HilirOptionError
from hilir.paths import ENV_DATA_DIR, data_dir
from hilir.version import __version__

if TYPE_CHECKING:
    import pandas as pd

    _Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

#: Output formats of the listing commands: a view that fits the terminal, or everything.
FORMATS = ("text", "csv", "json", "markdown")
#: The widest and the narrowest default view, in columns.
MAX_WIDTH, MIN_WIDTH = 100, 60
#: A default view lists at most this many rows, then says how many more there are.
MAX_ROWS = 80
_GAP = "  "


def _width() -> int:
    """The width of a default view: the terminal's, within ``MIN_WIDTH..MAX_WIDTH``."""
    columns = shutil.get_terminal_size((MAX_WIDTH, 24)).columns
    return max(MIN_WIDTH, min(MAX_WIDTH, columns))


def _ellipsis() -> str:
    try:
        "\u2026".encode(getattr(sys.stdout, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return "..."
    return "\u2026"


def _cut(text: str, width: int, mark: str) -> str:
    return text if len(text) <= width else text[: max(width - len(mark), 0)] + mark


def _cell(value: object) -> str:
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def text_table(
    df: pd.DataFrame,
    *,
    width: int | None = None,
    max_rows: int | None = MAX_ROWS,
    caps: Mapping[str, int] | None = None,
) -> list[str]:
    """The lines of a table that fit ``width`` columns (default: the terminal, 60 to 100).

    Text columns are cut with an ellipsis, the widest first (``caps`` sets a column's widest
    before that); numbers and headers are never cut. Rows beyond ``max_rows`` are replaced by
    one line ``... N more (use --format csv)``.
    """
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    width = width or _width()
    mark = _ellipsis()
    shown = df if max_rows is None or len(df) <= max_rows else df.head(max_rows)
    cols = [str(c) for c in df.columns]
    cells = {c: [_cell(v) for v in shown[c]] for c in cols}
    right = {c: is_numeric_dtype(df[c]) and not is_bool_dtype(df[c]) for c in cols}
    widths = {c: max([len(c), *map(len, cells[c])]) for c in cols}
    for c, cap in (caps or {}).items():
        if c in widths:
            widths[c] = max(min(widths[c], cap), len(c))
    floor = {c: widths[c] if right[c] else min(widths[c], max(len(c), 4)) for c in cols}
    while sum(widths.values()) + len(_GAP) * (len(cols) - 1) > width:
        loose = [c for c in cols if widths[c] > floor[c]]
        if not loose:
            break
        widths[max(loose, key=lambda c: widths[c])] -= 1

    def line(values: Mapping[str, str]) -> str:
        parts = []
        for c in cols:
            text = _cut(values[c], widths[c], mark)
            parts.append(text.rjust(widths[c]) if right[c] else text.ljust(widths[c]))
        return _cut(_GAP.join(parts).rstrip(), width, mark)

    lines = [line({c: c for c in cols})]
    lines += [line({c: cells[c][i] for c in cols}) for i in range(len(shown))]
    if len(shown) < len(df):
        lines.append(f"... {len(df) - len(shown)} more (use --format csv)")
    return lines


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = json.loads(df.to_json(orient="records", force_ascii=False))
    return out


def _print_frame(
    df: pd.DataFrame,
    *,
    fmt: str = "text",
    view: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    caps: Mapping[str, int] | None = None,
) -> None:
    """Print ``df`` whole (csv, json, markdown) or as its default ``view`` (text)."""
    import pandas as pd

    if fmt == "csv":
        df.to_csv(sys.stdout, index=False)
        return
    if fmt == "json":
        print(json.dumps(_records(df), ensure_ascii=False, indent=1))
        return
    if fmt == "markdown":
        cols = list(df.columns)
        print("| " + " | ".join(cols) + " |")
        print("|" + "---|" * len(cols))
        for row in df.itertuples(index=False):
            print("| " + " | ".join("" if pd.isna(v) else str(v) for v in row) + " |")
        return
    print("\n".join(text_table(view(df) if view else df, caps=caps)))


def _print_note(text: str, fmt: str) -> None:
    """A sentence under a default view, wrapped to its width (not printed with csv or json)."""
    import textwrap

    if fmt in ("text", "markdown"):
        print("\n" + textwrap.fill(text, width=_width()))


def _spans(df: pd.DataFrame) -> list[str]:
    """``first_year`` to ``latest_year`` of each row as one span (one year written once)."""
    out = []
    for first, last in zip(df["first_year"], df["latest_year"], strict=True):
        a, b = _cell(first), _cell(last)
        out.append(a if a == b else f"{a}-{b}")
    return out


def _cmd_chains(args: argparse.Namespace) -> int:
    from hilir.registry.tables import chains

    df = chains()
    if args.chain:
        df = df[df["chain"].isin(args.chain)]
        if df.empty:
            raise HilirDataError(f"unknown chain(s) {args.chain}; see `hilir chains`")
    name = "name_id" if args.lang == "id" else "name_en"
    cols = [
        "chain",
        "product",
        "stage",
        name,
        "hs_codes",
        "item_codes",
        "factor_low",
        "factor_central",
        "factor_high",
        "factor_method",
    ]
    _print_frame(df[cols], fmt=args.format, view=_chains_view, caps={"hs_codes": 15})
    return 0


def _chains_view(df: pd.DataFrame) -> pd.DataFrame:
    """Chain, product, stage, HS codes, central factor and name (the rest: --format csv)."""
    name = next(c for c in df.columns if str(c).startswith("name_"))
    view = df[["chain", "product", "stage", "hs_codes", "factor_central", name]]
    return view.rename(columns={"factor_central": "factor", name: "name"})


def _cmd_build(args: argparse.Namespace) -> int:
    from hilir.data.pipeline import build

    result = build(force=args.force, progress=not args.quiet)
    print(result.message())
    for note in result.notes:
        print(f"  note: {note}")
    return 0


def _cmd_sources(args: argparse.Namespace) -> int:
    import pandas as pd

    from hilir.data.pipeline import discover_inputs
    from hilir.paths import user_dir

    records = discover_inputs()
    if args.overview:
        from hilir.data.summary import source_overview

        _print_frame(
            source_overview(records), fmt=args.format, view=_overview_view, caps={"tables": 18}
        )
        return 0
    from hilir.brief.blocks import update_instruction

    user = str(user_dir())
    df = pd.DataFrame(
        [
            {
                "key": r.key,
                "origin": "user" if str(r.path).startswith(user) else "shipped",
                "table": r.table,
                "publisher": r.publisher,
                "geography": r.geography,
                "coverage": r.coverage,
                "latest_year": r.latest_year if r.latest_year is not None else "undated",
                "retrieved": str(r.accessed or "")[:10],
                "licence": r.licence,
                "trust": r.trust,
                "update": update_instruction(r, "en").replace("`", ""),
            }
            for r in records
        ]
    )
    if not args.all:
        df = df[df["table"] != "reference"] if "table" in df else df
    _print_frame(df, fmt=args.format, view=_sources_view)
    if args.format == "text":
        _print_note(
            "update: the hilir data command that brings newer data. Publisher, coverage, "
            "licence, trust and whole commands: hilir data sources --format csv (or json, "
            "markdown).",
            args.format,
        )
    if (df["origin"] == "user").any():
        _print_note(
            "Rule: a user's import (key user_...) replaces the shipped rows of the products, "
            "years and partners it reports, and nothing else (part of an aggregate the shipped "
            "data hold whole stays aside, with a note from hilir data build); shipped rows stay "
            "in load_exports() with preferred=False.",
            args.format,
        )
    return 0


def _sources_view(df: pd.DataFrame) -> pd.DataFrame:
    """Key, geography, latest year, retrieval date and the update command of each input."""
    update = (
        df["update"]
        .str.replace(r" \(or download it yourself.*\)$", "", regex=True)
        .str.replace(r"^hilir data ", "", regex=True)
        .str.replace(
            r"^replace the file in data/raw with its provenance sidecar \(reader (\w+)\)$",
            r"(replace the raw file: \1)",
            regex=True,
        )
        .str.replace(r"^package reference table.*", "(ships with hilir)", regex=True)
    )
    view = df.assign(update=update)[["key", "geography", "latest_year", "retrieved", "update"]]
    return view.rename(
        columns={"geography": "geo", "latest_year": "latest", "update": "update: hilir data"}
    )


def _overview_view(df: pd.DataFrame) -> pd.DataFrame:
    """Folder, files, tables, coverage, latest year and publisher of each data folder."""
    view = df[["folder", "files", "tables", "coverage", "latest_year", "publisher"]]
    return view.rename(columns={"latest_year": "latest"})


def _cmd_import(args: argparse.Namespace) -> int:
    from hilir.data.importer import import_file

    reader_args = {}
    for item in args.option or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise HilirDataError(f"--option takes NAME=VALUE, not {item!r}")
        reader_args[name.strip()] = value.strip()
    record = import_file(
        args.format_name,
        args.file,
        key=args.key,
        title=args.title,
        url=args.url,
        reader_args=reader_args,
    )
    print(f"imported {args.file} as {record.key!r} ({record.coverage}, {record.geography})")
    print(f"  copy: {record.data_path}")
    print(f"  sidecar: {record.path}")
    print("Run `hilir data build` to use it.")
    return 0


def _cmd_fetch(args: argparse.Namespace) -> int:
    from hilir.data import fetch

    options = {}
    for item in args.option or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise HilirOptionError(f"--option takes NAME=VALUE, not {item!r}")
        options[name.strip()] = value.strip()
    years: list[int] = []
    for part in (args.years or "").split(","):
        first, _, last = part.strip().partition("-")
        if first and not (first.isdigit() and (not last or last.isdigit())):
            raise HilirOptionError(f"--years takes 2019-2023 or 2021,2023, not {args.years!r}")
        if first:
            years += list(range(int(first), int(last or first) + 1))
    result = fetch(
        args.source,
        chains=args.chain or (),
        hs=args.hs or (),
        years=years,
        reporter=args.reporter,
        partners=args.partners,
        freq=args.freq,
        refresh=args.refresh,
        dry_run=args.dry_run,
        progress=not args.quiet,
        url=args.url,
        **options,
    )
    if result.dry_run:
        print(f"{len(result.queries)} request(s) (dry run: nothing downloaded or written):")
        for q in result.queries:
            print(f"  {q.shown()}")
        return 0
    print(f"{len(result.queries)} request(s), {result.cache_hits} from the cache")
    for record in result.records:
        print(f"fetched {record.key!r} ({record.coverage}, {record.geography})")
        print(f"  copy: {record.data_path}")
    for path in result.files[len(result.queries) :]:
        print(f"  snapshot: {path}")
    if result.records:
        print("Run `hilir data build` to use it.")
    return 0


def _add_fetch(dsub: _Subparsers) -> None:
    from hilir.fetch import SOURCES

    p = dsub.add_parser(
        "fetch",
        help="download current data (UN Comtrade, BPS, FAOSTAT, Pink Sheet, USDA, BACI)",
        description="Sources: "
        + "; ".join(f"{k}: {v[0]}" for k, v in SOURCES.items())
        + ". Keys: COMTRADE_API_KEY (optional), BPS_API_KEY. Exit 2: key missing or "
        "refused; 3: offline, HTTP error or changed layout.",
    )
    p.add_argument("source", metavar="SOURCE", choices=sorted(SOURCES), help=", ".join(SOURCES))
    p.add_argument("--chain", action="append", help="a chain's HS codes / FAO items (repeatable)")
    p.add_argument("--hs", action="append", help="an HS code (repeatable)")
    p.add_argument("--years", help="years: 2019-2023 or 2021,2023")
    p.add_argument("--reporter", default="IDN", help="ISO alpha-3 reporter (default IDN)")
    p.add_argument("--partners", choices=["world", "all"], default="world")
    p.add_argument("--freq", choices=["annual", "monthly"], default="annual")
    p.add_argument("--url", help="another address for a bulk file (if the service moved it)")
    p.add_argument("--option", action="append", metavar="NAME=VALUE", help="source option")
    p.add_argument("--refresh", action="store_true", help="download again even if cached")
    p.add_argument("--dry-run", action="store_true", help="print the requests; write nothing")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_fetch)


def _cmd_summary(args: argparse.Namespace) -> int:
    from hilir.data.load import load_balances, load_prices, load_production, load_trade
    from hilir.data.summary import summarise_table, summarise_trade

    tables = [("Trade (value: world-partner rows, USD billion)", summarise_trade(load_trade()))]
    for title, frame, geo in (
        ("Production", load_production, "geo"),
        ("Coffee balances", load_balances, "reporter"),
        ("Prices", load_prices, "series"),
    ):
        try:
            df = frame()
        except HilirDataError:
            continue
        tables.append((title, summarise_table(df, geo=geo)))
    if args.format == "json":
        keys = ["trade", "production", "balances", "prices"]
        doc = {keys[i]: _records(df) for i, (_, df) in enumerate(tables)}
        print(json.dumps(doc, ensure_ascii=False, indent=1))
        return 0
    for i, (title, df) in enumerate(tables):
        print(("\n" if i else "") + title)
        view = _trade_summary_view if i == 0 else _table_summary_view
        _print_frame(df, fmt=args.format, view=view)
    if args.format == "text":
        _print_note(
            f"A source with more than {_MANY_GEOS} reporters is one line; every reporter, "
            "and the first and latest years apart: hilir data summary --format csv.",
            args.format,
        )
    return 0


#: In the default view of the trade summary, a source with more reporters is one line.
_MANY_GEOS = 5


def _trade_summary_view(df: pd.DataFrame) -> pd.DataFrame:
    """One line per source and chain with many reporters; years as one span."""
    import pandas as pd

    keys = ["source", "chain"]
    count = df.groupby(keys, sort=False)["geography"].transform("size")
    many = df[count > _MANY_GEOS]
    grouped = (
        many.groupby(keys, sort=False)
        .agg(
            geography=("geography", "size"),
            rows=("rows", "sum"),
            first_year=("first_year", "min"),
            latest_year=("latest_year", "max"),
            preferred_rows=("preferred_rows", "sum"),
            value_usd_bn=("value_usd_bn", "sum"),
        )
        .reset_index()
    )
    grouped["geography"] = grouped["geography"].map(lambda n: f"{n} reporters")
    out = pd.concat([df[count <= _MANY_GEOS], grouped], ignore_index=True)
    out = out.sort_values(keys, kind="stable").reset_index(drop=True)
    out["value_usd_bn"] = out["value_usd_bn"].round(3)
    out.insert(4, "years", _spans(out))
    view = out[["source", "chain", "geography", "rows", "years", "preferred_rows", "value_usd_bn"]]
    return view.rename(columns={"preferred_rows": "preferred", "value_usd_bn": "usd_bn"})


def _table_summary_view(df: pd.DataFrame) -> pd.DataFrame:
    """Source, rows, count of geographies (or series), examples and the span of years."""
    count = next(c for c in df.columns if str(c).endswith("_count"))
    return df.assign(years=_spans(df))[["source", "rows", count, "years", "example"]]


def _cmd_report(args: argparse.Namespace) -> int:
    from hilir.report.build import build_report
    from hilir.report.execute import ReportError
    from hilir.report.params import parse_params

    langs = ["id", "en"] if args.lang == "all" else [args.lang]
    try:
        params = parse_params(args.param)
        result = build_report(
            args.out,
            langs=langs,
            only=args.only,
            jobs=args.jobs,
            timeout=args.timeout,
            notebooks=args.notebooks,
            pdf=not args.no_pdf,
            progress=not args.quiet,
            reuse=not args.force,
            params=params,
        )
    except ReportError as exc:
        print(f"hilir: error: {exc}", file=sys.stderr)
        return 1
    print(result.message())
    return 0


def _default_jobs() -> int:
    import os

    return max(1, min(4, os.cpu_count() or 1))


def _add_chains(sub: _Subparsers, fmt: argparse.ArgumentParser) -> None:
    p = sub.add_parser("chains", parents=[fmt], help="list the commodity chains and products")
    p.add_argument("--chain", action="append", help="only this chain (repeatable)")
    p.add_argument("--lang", choices=["id", "en"], default="id", help="names in this language")
    p.set_defaults(func=_cmd_chains)


def _add_data(sub: _Subparsers, fmt: argparse.ArgumentParser) -> None:
    from hilir.sources.catalog import BUILT_TABLES, READERS

    importable = sorted(k for k, v in READERS.items() if v.table in BUILT_TABLES)
    data = sub.add_parser("data", help="build, list and import data")
    dsub = data.add_subparsers(dest="data_command", required=True, metavar="DATA_COMMAND")
    p = dsub.add_parser("build", help="build data/processed/ from the raw inputs")
    p.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_build)
    p = dsub.add_parser("sources", parents=[fmt], help="list every input with its provenance")
    p.add_argument("--all", action="store_true", help="include reference tables (IO, HS)")
    p.add_argument("--overview", action="store_true", help="one row per data folder")
    p.set_defaults(func=_cmd_sources)
    p = dsub.add_parser("summary", parents=[fmt], help="rows per source, chain, geography, years")
    p.set_defaults(func=_cmd_summary)
    p = dsub.add_parser(
        "import",
        help="validate a BPS, UN Comtrade, FAOSTAT ... download and add it to data/user/",
        description="Known formats: " + ", ".join(importable),
    )
    p.add_argument(
        "format_name",
        metavar="SOURCE",
        choices=importable,
        help="format of the file: " + ", ".join(importable),
    )
    p.add_argument("file", metavar="FILE", help="the downloaded file (never modified)")
    p.add_argument("--key", help="provenance key (default: from the file name)")
    p.add_argument("--title", help="title of the download, for citations")
    p.add_argument("--url", help="where it was downloaded from")
    p.add_argument(
        "--option",
        action="append",
        metavar="NAME=VALUE",
        help=(
            "reader option, typed as the reader declares it: reporter=ID-LA, keep_port=false, "
            "year=2020, hs_prefixes=0901,0902 (a list: comma-separated); repeatable. An "
            "unknown or missing option exits with 2 and names the valid ones"
        ),
    )
    p.set_defaults(func=_cmd_import)
    _add_fetch(dsub)


def _add_report(sub: _Subparsers) -> None:
    p = sub.add_parser(
        "report",
        help="run the brief notebooks and write the HTML, PDF and Excel briefs to reports/",
        description=(
            "Execute every notebook in notebooks/ (each in its own kernel, with a timeout), "
            "check it for errors, and write reports/: the policymaker and analyst HTML "
            "editions, a PDF of the policymaker edition (with Chromium), an Excel annex and "
            "a ZIP of CSVs per brief, and index.html. A failing notebook stops the build "
            "and leaves reports/ untouched. A notebook run whose inputs are unchanged since "
            "the last build is reused, not executed again (--force executes all)."
        ),
    )
    p.add_argument(
        "--lang",
        choices=["id", "en", "all"],
        default="all",
        help="language of the briefs (default: all = id and en)",
    )
    p.add_argument(
        "--only", nargs="+", metavar="NAME", help="only these notebooks (01_coffee, coffee or 01)"
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=_default_jobs(),
        metavar="N",
        help="notebooks run at once (default: the number of CPU cores, at most 4)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        metavar="S",
        help="seconds allowed per notebook run (default 600)",
    )
    p.add_argument("--out", default="reports", help="output folder (default: reports)")
    p.add_argument(
        "--notebooks",
        default=None,
        metavar="DIR",
        help="folder of the notebooks (default: notebooks/)",
    )
    p.add_argument("--no-pdf", action="store_true", help="do not print PDFs")
    p.add_argument(
        "--param",
        action="append",
        metavar="NAME=VALUE",
        help=(
            "a value for the parameters cell of the selected notebooks, e.g. "
            "--only 01_coffee --param chain=cocoa --param year_to=2019 (JSON when it parses, "
            "else text); repeatable. An unknown name, or data the values need that are "
            "missing, stop the build before any notebook runs"
        ),
    )
    p.add_argument(
        "--force",
        "--no-reuse",
        dest="force",
        action="store_true",
        help=(
            "execute every notebook again (by default a notebook run whose notebook, hilir "
            "code, processed data, parameters and language are unchanged since the last "
            "build of --out is reused, with its files)"
        ),
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_report)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``hilir`` command."""
    parser = argparse.ArgumentParser(
        prog="hilir",
        description=(
            "Hilirisasi analytics for Indonesia and Lampung: export value and jobs gained by "
            "processing commodities at home."
        ),
    )
    parser.add_argument("--version", action="version", version=f"hilir {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    fmt = argparse.ArgumentParser(add_help=False)
    fmt.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help=(
            "text (default): the main columns, fitted to the terminal (at most 100 columns); "
            "csv, json, markdown: every row and column"
        ),
    )
    _add_chains(sub, fmt)
    _add_data(sub, fmt)
    _add_report(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from hilir.fetch import HilirFetchError

    try:
        return int(args.func(args))
    except HilirFetchError as exc:
        print(f"hilir: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except HilirOptionError as exc:
        print(f"hilir: error: {exc}", file=sys.stderr)
        return 2
    except HilirDataError as exc:
        print(f"hilir: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `hilir data sources | head`: the reader left, nothing is wrong
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:  # an unwritable or missing folder: say which, no traceback
        where = exc.filename or "a file"
        print(
            f"hilir: error: cannot use {where}: {exc.strerror or exc}. Is the data folder "
            f"writable? Set {ENV_DATA_DIR} to a folder you can write (now: {data_dir()})",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
