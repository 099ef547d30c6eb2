"""Time hilir's Comtrade reader, scanned and read as text, against a plain Polars scan.

A benchmark, not a test: ``python benchmarks/bench_comtrade.py [--sizes 1,5] [--seed 17]
[--runs 1] [--plain-max 5] [--keep-files]``. For each size (millions of rows) it writes a
Comtrade Plus bulk-layout CSV (the 47 columns of ``comtradeapicall``; one year, 60 reporters
and 120 partners plus the world with UN Comtrade numeric and ISO codes, exports and imports,
5,000 HS6 codes stored as numbers so that their leading zeros are lost, 3 % of net weights
empty) into a temporary folder, then runs each reader in its own process on the same
query: reporter Indonesia (360), exports, 60 HS6 codes. The readers:

``hilir-bulk``
    :func:`hilir.sources.comtrade.read_comtrade` with ``bulk=True`` (the streaming,
    filter-first scan of :mod:`hilir.sources.comtrade_bulk`, then the reader's checks on
    the rows kept).
``hilir-plain``
    The same with ``bulk=False``: every cell read and checked as text. Skipped above
    ``--plain-max`` million rows; it runs under an address-space limit of 16 GB and is
    reported as out of memory past it.
``polars``
    ``pl.scan_csv(...).filter(...).collect(engine="streaming")`` typed, with no checks.

Each child times the read and filter only (imports are done before the clock starts) and
reports its peak RSS (``VmHWM`` of ``/proc/self/status``) and CPU time (user + system). The
parent prints the table and hilir's ratios, and checks that every reader kept the same rows
with the same values (exit status 1 when they differ).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from _measure import child_figures, cpu_seconds, peak_rss_mb, run_child

REPORTER = 360  # Indonesia
N_CODES = 60
ENGINES = ("hilir-bulk", "hilir-plain", "polars")
HEADER = (
    "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,"
    "reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,"
    "partner2ISO,partner2Desc,classificationCode,classificationSearchCode,"
    "isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,"
    "mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,"
    "altQtyUnitAbbr,altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,"
    "isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,isReported,"
    "isAggregate"
).split(",")
#: Address-space limit of the text reader's process (bytes).
PLAIN_LIMIT = 16 << 30


def generate(path: Path, rows: int, seed: int) -> list[int]:
    """Write a Comtrade Plus file of ``rows`` unique flows; return the 60 HS6 codes queried."""
    import numpy as np
    import polars as pl
    import pycountry

    rng = np.random.default_rng(seed)
    countries = sorted(
        (int(c.numeric), c.alpha_3, c.name.split(",")[0]) for c in pycountry.countries
    )
    indonesia = next(c for c in countries if c[0] == REPORTER)
    others = [c for c in countries if c[0] != REPORTER]
    pick = rng.choice(len(others), 59, replace=False)
    reporters = [indonesia, *(others[i] for i in sorted(pick))]
    partners = [(0, "W00", "World"), *(others[i] for i in sorted(rng.choice(len(others), 120)))]
    partners = list(dict.fromkeys(partners))
    hs = np.unique(rng.integers(10100, 970600, 6000))[:5000]
    nr, np_, nf, nh = len(reporters), len(partners), 2, len(hs)
    total = nr * np_ * nf * nh
    idx = np.sort(rng.choice(total, rows, replace=False))
    r, rest = idx // (np_ * nf * nh), idx % (np_ * nf * nh)
    p, rest = rest // (nf * nh), rest % (nf * nh)
    f, k = rest // nh, rest % nh
    rep = np.array(reporters, dtype=object)
    par = np.array(partners, dtype=object)
    value = np.round(rng.lognormal(8.0, 3.0, rows), 2)
    weight = pl.Series(np.round(rng.lognormal(6.0, 3.0, rows), 1))
    weight = weight.set(pl.Series(rng.random(rows) < 0.03), None)
    n = rows
    const = {
        "typeCode": "C",
        "freqCode": "A",
        "refPeriodId": "20220101",
        "refYear": "2022",
        "refMonth": "52",
        "period": "2022",
        "partner2Code": "0",
        "partner2ISO": "W00",
        "partner2Desc": "World",
        "classificationCode": "H6",
        "classificationSearchCode": "HS",
        "isOriginalClassification": "True",
        "aggrLevel": "6",
        "isLeaf": "True",
        "customsCode": "C00",
        "customsDesc": "TOTAL CPC",
        "mosCode": "0",
        "motCode": "0",
        "motDesc": "TOTAL MOT",
        "qtyUnitCode": "8",
        "qtyUnitAbbr": "kg",
        "isQtyEstimated": "False",
        "altQtyUnitCode": "-1",
        "altQtyUnitAbbr": "N/A",
        "altQty": "",
        "isAltQtyEstimated": "False",
        "isNetWgtEstimated": "False",
        "grossWgt": "",
        "isGrossWgtEstimated": "False",
        "cifvalue": "",
        "legacyEstimationFlag": "0",
        "isReported": "True",
        "isAggregate": "False",
    }
    flows = np.array(["X", "M"])
    descs = np.array(["Export", "Import"])
    cols: dict[str, Any] = {
        "reporterCode": pl.Series([x[0] for x in rep[r]]),
        "reporterISO": pl.Series([x[1] for x in rep[r]]),
        "reporterDesc": pl.Series([x[2] for x in rep[r]]),
        "flowCode": flows[f],
        "flowDesc": descs[f],
        "partnerCode": pl.Series([x[0] for x in par[p]]),
        "partnerISO": pl.Series([x[1] for x in par[p]]),
        "partnerDesc": pl.Series([x[2] for x in par[p]]),
        "cmdCode": hs[k],
        "cmdDesc": pl.Series([f"Product {c}" for c in hs])[pl.Series(k)],
        "qty": weight,
        "netWgt": weight,
        "fobvalue": np.where(f == 0, value, np.nan),
        "primaryValue": value,
    }
    df = pl.DataFrame({name: cols[name] if name in cols else [const[name]] * n for name in HEADER})
    df = df.with_columns(pl.col("fobvalue").fill_nan(None))
    df.write_csv(path)
    exported = np.unique(hs[k[(r == 0) & (f == 0)]])
    return sorted(int(c) for c in rng.choice(exported, N_CODES, replace=False))


def _child(engine: str, path: str, codes: list[int], out: str) -> dict[str, Any]:
    """Run one reader (in this process) and write its kept rows (partner, code, value)."""
    import resource
    import time
    import warnings

    import pandas as pd
    import polars as pl

    if engine.startswith("hilir"):
        from hilir.errors import HilirDataWarning
        from hilir.sources.comtrade import read_comtrade

        if engine == "hilir-plain":
            resource.setrlimit(resource.RLIMIT_AS, (PLAIN_LIMIT, PLAIN_LIMIT))
        prefixes = [f"{c:06d}" for c in codes]
        t0, c0 = time.perf_counter(), cpu_seconds()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", HilirDataWarning)
                df = read_comtrade(
                    path,
                    reporter="IDN",
                    flow="export",
                    hs_prefixes=prefixes,
                    progress=False,
                    bulk=engine == "hilir-bulk",
                )
        except MemoryError:
            wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
            return {"wall": wall, "cpu": cpu, "rss_mb": peak_rss_mb(), "rows": -1}
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        kept = pd.DataFrame(
            {
                "partner": df["partner"].astype(str),
                "k": df["hs_code"].astype(int),
                "v": df["value_usd"].astype(float),
            }
        )
    elif engine == "polars":
        from hilir.registry.partners import resolve_partner

        resolve_partner("IDN")  # the registry loaded before the clock, as for hilir
        t0, c0 = time.perf_counter(), cpu_seconds()
        found = (
            pl.scan_csv(
                path,
                schema_overrides={
                    "reporterCode": pl.Int64,
                    "cmdCode": pl.Int64,
                    "primaryValue": pl.Float64,
                },
                infer_schema=False,
            )
            .filter(
                (pl.col("reporterCode") == REPORTER)
                & (pl.col("flowCode") == "X")
                & pl.col("cmdCode").is_in(codes)
            )
            .select("partnerISO", "cmdCode", "primaryValue")
            .collect(engine="streaming")
        )
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        kept = pd.DataFrame(
            {
                "partner": [p if p != "W00" else "WLD" for p in found["partnerISO"]],
                "k": found["cmdCode"].to_numpy(),
                "v": found["primaryValue"].to_numpy(),
            }
        )
    else:
        raise SystemExit(f"unknown engine {engine}")
    kept.reset_index(drop=True).to_parquet(out)
    return {"wall": wall, "cpu": cpu, "rss_mb": peak_rss_mb(), "rows": len(kept)}


def run_engine(engine: str, path: Path, codes: list[int], out: Path) -> dict[str, Any]:
    """Run one reader in a fresh interpreter and return its figures."""
    res = run_child(__file__, engine, path, codes, out)
    if res.returncode != 0:
        if "MemoryError" in res.stderr or res.returncode < 0:
            return {"wall": float("nan"), "cpu": float("nan"), "rss_mb": float("nan"), "rows": -1}
        raise SystemExit(f"{engine} failed:\n{res.stderr}")
    return child_figures(res)


def same_rows(results: dict[str, Path]) -> list[str]:
    """Compare every reader's kept rows with Polars' (sorted by partner and code)."""
    import numpy as np
    import pandas as pd

    def norm(engine: str) -> pd.DataFrame:
        df = pd.read_parquet(results[engine])
        return df.sort_values(["partner", "k"]).reset_index(drop=True)

    ref = norm("polars")
    problems = []
    for engine in results:
        got = norm(engine)
        same_keys = (
            len(got) == len(ref)
            and (got[["partner", "k"]].to_numpy() == ref[["partner", "k"]].to_numpy()).all()
        )
        if not same_keys:
            problems.append(f"{engine}: other rows than polars ({len(got)} vs {len(ref)})")
        elif not np.allclose(got["v"].to_numpy(float), ref["v"].to_numpy(float), rtol=1e-12):
            problems.append(f"{engine}: values differ from polars")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Generate the files, run the readers, print the table; 1 when results differ."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        engine, path, codes, out = argv[1:5]
        print(json.dumps(_child(engine, path, json.loads(codes), out)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,5", help="millions of rows, comma-separated")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--runs", type=int, default=1, help="runs per reader (best is shown)")
    parser.add_argument(
        "--plain-max", type=float, default=5, help="largest size (millions) read as text"
    )
    parser.add_argument("--keep-files", action="store_true", help="keep the generated files")
    args = parser.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="hilir-bench-comtrade-"))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; files in {tmp}"
    )
    status = 0
    try:
        for size in sizes:
            rows = int(size * 1_000_000)
            path = tmp / f"comtrade_plus_bench_{rows}.csv"
            codes = generate(path, rows, args.seed)
            mb = path.stat().st_size / 1e6
            print(f"\n{rows:,} rows ({mb:,.0f} MB), reporter {REPORTER}, exports, {N_CODES} HS6")
            print(f"{'reader':<12} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'rows kept':>10}")
            figures: dict[str, dict[str, Any]] = {}
            outs: dict[str, Path] = {}
            for engine in ENGINES:
                if engine == "hilir-plain" and size > args.plain_max:
                    print(f"{engine:<12} {'skipped (--plain-max)':>37}")
                    continue
                out = tmp / f"{engine}.parquet"
                runs = [run_engine(engine, path, codes, out) for _ in range(args.runs)]
                f = min(runs, key=lambda r: r["wall"] if r["rows"] >= 0 else float("inf"))
                if f["rows"] < 0:
                    print(f"{engine:<12} {'out of memory (16 GB address space)':>37}")
                    continue
                figures[engine], outs[engine] = f, out
                print(
                    f"{engine:<12} {f['wall']:>8.2f} {f['cpu']:>8.2f} {f['rss_mb']:>8.0f} "
                    f"{f['rows']:>10,}"
                )
            b = figures["hilir-bulk"]
            ratios = [
                f"hilir-bulk / {other}: {b['wall'] / figures[other]['wall']:.2f}x wall, "
                f"{b['cpu'] / figures[other]['cpu']:.2f}x CPU, "
                f"{b['rss_mb'] / figures[other]['rss_mb']:.2f}x peak RSS"
                for other in ("polars", "hilir-plain")
                if other in figures
            ]
            print("\n".join(ratios))
            problems = same_rows(outs)
            print("rows and values: " + ("identical" if not problems else "; ".join(problems)))
            status |= bool(problems)
            if not args.keep_files:
                path.unlink()
    finally:
        if not args.keep_files:
            shutil.rmtree(tmp, ignore_errors=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
