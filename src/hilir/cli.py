"""The ``hilir`` command line.

Exit codes: 0 success, 1 bad data (the message names file, row and column), 2 usage error
(also a missing or refused API key), 3 a download failed (offline, HTTP error, changed layout).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from hilir.errors import HilirDataError, HilirOptionError
from hilir.paths import ENV_DATA_DIR, data_dir
from hilir.version import __version__


def _print_frame(df, *, fmt: str = "text") -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    if fmt == "csv":
        df.to_csv(sys.stdout, index=False)
        return
    if fmt == "markdown":
        cols = list(df.columns)
        print("| " + " | ".join(cols) + " |")
        print("|" + "---|" * len(cols))
        for row in df.itertuples(index=False):
            print("| " + " | ".join("" if pd.isna(v) else str(v) for v in row) + " |")
        return
    with pd.option_context(
        "display.max_rows",
        500,
        "display.max_columns",
        50,
        "display.width",
        200,
        "display.max_colwidth",
        60,
    ):
        print(df.to_string(index=False))


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
    _print_frame(df[cols], fmt=args.format)
    return 0


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

        _print_frame(source_overview(records), fmt=args.format)
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
    _print_frame(df, fmt=args.format)
    if (df["origin"] == "user").any():
        print(
            "\nRule: a user's import (key user_...) replaces the shipped rows of the products, "
            "years and partners it reports, and nothing else (part of an aggregate the shipped "
            "data hold whole stays aside, with a note from hilir data build); shipped rows stay "
            "in load_exports() with preferred=False."
        )
    return 0


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


def _add_fetch(dsub: argparse._SubParsersAction) -> None:
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

    print("Trade (value: world-partner rows, USD billion)")
    _print_frame(summarise_trade(load_trade()), fmt=args.format)
    for title, frame, geo in (
        ("Production", load_production, "geo"),
        ("Coffee balances", load_balances, "reporter"),
        ("Prices", load_prices, "series"),
    ):
        try:
            df = frame()
        except HilirDataError:
            continue
        print(f"\n{title}")
        _print_frame(summarise_table(df, geo=geo), fmt=args.format)
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from hilir.report.build import build_report
    from hilir.report.execute import ReportError

    langs = ["id", "en"] if args.lang == "all" else [args.lang]
    try:
        result = build_report(
            args.out,
            langs=langs,
            only=args.only,
            jobs=args.jobs,
            timeout=args.timeout,
            notebooks=args.notebooks,
            pdf=not args.no_pdf,
            progress=not args.quiet,
        )
    except ReportError as exc:
        print(f"hilir: error: {exc}", file=sys.stderr)
        return 1
    print(result.message())
    return 0


def _default_jobs() -> int:
    import os

    return max(1, min(4, os.cpu_count() or 1))


def _add_chains(sub: argparse._SubParsersAction, fmt: argparse.ArgumentParser) -> None:
    p = sub.add_parser("chains", parents=[fmt], help="list the commodity chains and products")
    p.add_argument("--chain", action="append", help="only this chain (repeatable)")
    p.add_argument("--lang", choices=["id", "en"], default="id", help="names in this language")
    p.set_defaults(func=_cmd_chains)


def _add_data(sub: argparse._SubParsersAction, fmt: argparse.ArgumentParser) -> None:
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


def _add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="run the brief notebooks and write the HTML, PDF and Excel briefs to reports/",
        description=(
            "Execute every notebook in notebooks/ (each in its own kernel, with a timeout), "
            "check it for errors, and write reports/: the policymaker and analyst HTML "
            "editions, a PDF of the policymaker edition (with Chromium), an Excel annex and "
            "a ZIP of CSVs per brief, and index.html. A failing notebook stops the build "
            "and leaves reports/ untouched."
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
        choices=["text", "csv", "markdown"],
        default="text",
        help="output format (default: text)",
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
