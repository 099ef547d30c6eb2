"""Time hilir's BACI ingest against DuckDB, Polars and pandas on the same filter.

A benchmark, not a test: ``python benchmarks/bench_ingest.py [--sizes 1,5,20] [--seed 17]
[--runs 1] [--keep-files] [--markdown]``. For each size (millions of rows) it writes a
BACI-layout CSV
(``t,i,j,k,v,q``; one year, 249 exporters and importers with ISO numeric codes, 5,000 HS6 codes
stored as numbers so that their leading zeros are lost, 5 % of quantities ``NA``) into a
temporary folder, then runs each engine in its own process on the same query: exporter
Indonesia (BACI code 360) and 60 HS6 codes. Each child times the read and filter only (not
the interpreter start or the imports, done before the clock starts for every engine) and
reports its peak RSS (``VmHWM`` of ``/proc/self/status``; ``resource.getrusage``
elsewhere). CPU time (user + system) is printed too: on a busy machine it
varies less than the wall time. The parent prints the table, hilir's ratios to the fastest of
DuckDB and Polars and to pandas, and checks that every engine kept the same rows with the
same values. Exit status 1 when they differ. With ``--markdown`` it ends with the figures as
a Markdown table (the README's performance section is that table).

Two more hilir rows follow, not ranked: ``hilir+store`` reads the CSV and writes hilir's
Parquet store (partitioned by year and exporter), ``hilir-parquet`` is the next query, read
from that store. ``hilir-dask`` (not ranked either) is the same query through
:func:`hilir.sources.baci_dask.read_baci_dask` on a ``distributed.LocalCluster`` of 2
worker processes with 1 thread each, started (and the workers' imports done) before the
clock starts; its CPU and peak RSS add the workers' to the client's. DuckDB, Polars and
pandas must be installed (``pip install duckdb``; Polars
is a hilir dependency).

The 20-million-row file takes a minute to generate and 650 MB of disk.
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

from _measure import child_figures, cpu_seconds, peak_rss_mb, run_child

EXPORTER = 360  # Indonesia
N_CODES = 60
ENGINES = ("hilir", "duckdb", "polars", "pandas")
#: hilir writing its Parquet store (first query), then reading it (second query): not ranked.
STORE_RUNS = ("hilir+store", "hilir-parquet")
#: hilir's Dask path on a 2-worker LocalCluster (``pip install 'hilir[dask]'``): not ranked.
DASK_RUNS = ("hilir-dask",)


def generate(path: Path, rows: int, seed: int) -> list[int]:
    """Write a BACI-layout file of ``rows`` unique flows; return the 60 HS6 codes queried."""
    import numpy as np
    import polars as pl
    import pycountry

    rng = np.random.default_rng(seed)
    others = sorted({int(c.numeric) for c in pycountry.countries} - {EXPORTER})
    countries = np.array(sorted([*others, EXPORTER]))  # the 249 ISO 3166-1 countries
    hs = np.unique(rng.integers(10100, 970600, 6000))[:5000]
    n, m = len(countries), len(hs)
    draws = np.unique(rng.integers(0, n * n * m, int(rows * 1.05)))
    idx = np.sort(rng.choice(draws, rows, replace=False))  # unique flows, ordered like BACI
    v = np.round(rng.lognormal(3.0, 2.5, rows), 3)
    q = pl.Series(np.round(rng.lognormal(2.0, 3.0, rows), 3))
    df = pl.DataFrame(
        {
            "t": np.full(rows, 2019),
            "i": countries[idx // (n * m)],
            "j": countries[(idx // m) % n],
            "k": hs[idx % m],
            "v": v,
            "q": q.set(pl.Series(rng.random(rows) < 0.05), None),
        }
    )
    df.write_csv(path, null_value="NA")
    exported = np.unique(df.filter(pl.col("i") == EXPORTER)["k"].to_numpy())
    return sorted(int(c) for c in rng.choice(exported, N_CODES, replace=False))


def _child(engine: str, path: str, codes: list[int], out: str) -> dict[str, float | int]:
    """Run one engine (in this process) and write its kept rows (j, k, v, q) to ``out``."""
    import time

    import pandas as pd

    if engine == "hilir-dask":
        return _child_dask(path, codes, out)
    if engine.startswith("hilir"):
        import polars  # noqa: F401  (imported before timing, as for the polars engine)

        from hilir.sources.baci import read_baci

        prefixes = [f"{c:06d}" for c in codes]
        store = Path(out).parent / "store" if engine != "hilir" else False
        t0, c0 = time.perf_counter(), cpu_seconds()
        df = read_baci(
            path,
            exporters=["IDN"],
            hs_prefixes=prefixes,
            hs_revision="HS2017",
            store=store,
            progress=False,
        )
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        kept = pd.DataFrame(
            {
                "j": df["partner"].astype(str),
                "k": df["hs_code"].astype(int),
                "v": df["value_usd"] / 1000.0,
                "q": df["net_weight_kg"].astype(float) / 1000.0,
            }
        )
    elif engine == "duckdb":
        import duckdb

        t0, c0 = time.perf_counter(), cpu_seconds()
        con = duckdb.connect()
        kept = con.execute(
            "SELECT j, k, v, q FROM read_csv(?, header = true, nullstr = 'NA', columns = "
            "{'t': 'BIGINT', 'i': 'BIGINT', 'j': 'BIGINT', 'k': 'BIGINT', 'v': 'DOUBLE', "
            "'q': 'DOUBLE'}) WHERE i = ? AND k IN (SELECT unnest(?))",
            [path, EXPORTER, codes],
        ).df()
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    elif engine == "polars":
        import polars as pl

        t0, c0 = time.perf_counter(), cpu_seconds()
        schema = {"t": pl.Int64, "i": pl.Int64, "j": pl.Int64, "k": pl.Int64}
        kept = (
            pl.scan_csv(path, schema={**schema, "v": pl.Float64, "q": pl.Float64}, null_values="NA")
            .filter((pl.col("i") == EXPORTER) & pl.col("k").is_in(codes))
            .select("j", "k", "v", "q")
            .collect()
            .to_pandas()
        )
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    elif engine == "pandas":
        t0, c0 = time.perf_counter(), cpu_seconds()
        raw = pd.read_csv(path)
        kept = raw.loc[(raw["i"] == EXPORTER) & raw["k"].isin(codes), ["j", "k", "v", "q"]]
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    else:
        raise SystemExit(f"unknown engine {engine}")
    kept.reset_index(drop=True).to_parquet(out)
    rss = peak_rss_mb()
    return {"wall": wall, "cpu": cpu, "rss_mb": rss, "rows": len(kept)}


def _child_dask(path: str, codes: list[int], out: str) -> dict[str, float | int]:
    """``hilir-dask``: read_baci_dask on a 2-worker LocalCluster (started before the clock)."""
    import time

    import dask.dataframe  # noqa: F401  (imported before timing, as for every engine)
    import pandas as pd
    from distributed import Client, LocalCluster

    from hilir.sources.baci_dask import read_baci_dask

    def worker_cpu() -> float:

        return cpu_seconds()

    def worker_rss() -> float:

        return peak_rss_mb()

    def warm_up() -> None:
        import polars  # noqa: F401

        import hilir.sources.baci_dask  # noqa: F401

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        client.run(warm_up)
        w0 = sum(client.run(worker_cpu).values())
        t0, c0 = time.perf_counter(), cpu_seconds()
        df = read_baci_dask(
            path,
            exporters=["IDN"],
            hs_prefixes=[f"{c:06d}" for c in codes],
            hs_revision="HS2017",
            store=False,
        ).compute()
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        cpu += sum(client.run(worker_cpu).values()) - w0
        rss = peak_rss_mb() + sum(client.run(worker_rss).values())
    kept = pd.DataFrame(
        {
            "j": df["partner"].astype(str),
            "k": df["hs_code"].astype(int),
            "v": df["value_usd"] / 1000.0,
            "q": df["net_weight_kg"].astype(float) / 1000.0,
        }
    )
    kept.reset_index(drop=True).to_parquet(out)
    return {"wall": wall, "cpu": cpu, "rss_mb": rss, "rows": len(kept)}


def run_engine(engine: str, path: Path, codes: list[int], out: Path) -> dict[str, float | int]:
    """Run one engine in a fresh interpreter and return its figures."""
    res = run_child(__file__, engine, path, codes, out)
    if res.returncode != 0:
        raise SystemExit(f"{engine} failed:\n{res.stderr}")
    return child_figures(res)


def same_rows(results: dict[str, Path]) -> list[str]:
    """Compare every engine's kept rows with Polars' (importer as ISO code, sorted)."""
    import numpy as np
    import pandas as pd

    from hilir.registry.partners import resolve_numeric

    def norm(engine: str) -> pd.DataFrame:
        df = pd.read_parquet(results[engine])
        if not engine.startswith("hilir"):
            df["j"] = [resolve_numeric(int(x))[0] for x in df["j"]]
        df["k"] = df["k"].astype(int)
        return df.sort_values(["j", "k"]).reset_index(drop=True)

    ref = norm("polars")
    problems = []
    for engine in results:
        got = norm(engine)
        if (
            len(got) != len(ref)
            or not (got[["j", "k"]].to_numpy() == ref[["j", "k"]].to_numpy()).all()
        ):
            problems.append(f"{engine}: other rows than polars ({len(got)} vs {len(ref)})")
            continue
        for col in ("v", "q"):
            a, b = got[col].to_numpy(float), ref[col].to_numpy(float)
            if not np.allclose(a, b, rtol=1e-12, atol=0, equal_nan=True):
                problems.append(f"{engine}: column {col} differs from polars")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Generate the files, run the engines, print the table; 1 when results differ."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        engine, path, codes, out = argv[1:5]
        print(json.dumps(_child(engine, path, json.loads(codes), out)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,5,20", help="millions of rows, comma-separated")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--runs", type=int, default=1, help="runs per engine (best is shown)")
    parser.add_argument("--keep-files", action="store_true", help="keep the generated files")
    parser.add_argument("--markdown", action="store_true", help="end with a Markdown table")
    args = parser.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="hilir-bench-ingest-"))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; files in {tmp}"
    )
    status = 0
    table: list[str] = []
    try:
        for size in sizes:
            rows = int(size * 1_000_000)
            path = tmp / f"BACI_HS17_Y2019_bench_{rows}.csv"
            codes = generate(path, rows, args.seed)
            mb = path.stat().st_size / 1e6
            print(f"\n{rows:,} rows ({mb:,.0f} MB), exporter {EXPORTER}, {len(codes)} HS6 codes")
            print(f"{'engine':<13} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'rows kept':>10}")
            figures: dict[str, dict[str, float | int]] = {}
            outs: dict[str, Path] = {}
            # runs interleaved (hilir, duckdb, polars, pandas, then again), so that a change
            # in the machine's load falls on every engine alike; the best run of each is shown
            runs: dict[str, list[dict[str, float | int]]] = {e: [] for e in ENGINES}
            for _ in range(args.runs):
                for engine in ENGINES:
                    outs[engine] = tmp / f"{engine}.parquet"
                    runs[engine].append(run_engine(engine, path, codes, outs[engine]))
            for engine in ENGINES:
                figures[engine] = min(runs[engine], key=lambda r: r["wall"])
                f = figures[engine]
                print(
                    f"{engine:<13} {f['wall']:>8.2f} {f['cpu']:>8.2f} {f['rss_mb']:>8.0f} "
                    f"{f['rows']:>10,}"
                )
            shutil.rmtree(tmp / "store", ignore_errors=True)
            for engine in (*STORE_RUNS, *DASK_RUNS):
                outs[engine] = tmp / f"{engine}.parquet"
                f = run_engine(engine, path, codes, outs[engine])
                figures[engine] = f
                print(
                    f"{engine:<13} {f['wall']:>8.2f} {f['cpu']:>8.2f} {f['rss_mb']:>8.0f} "
                    f"{f['rows']:>10,}"
                )
            fastest = min(("duckdb", "polars"), key=lambda e: figures[e]["wall"])
            h = figures["hilir"]["wall"]
            hc = figures["hilir"]["cpu"]
            print(
                f"hilir / fastest ({fastest}): {h / figures[fastest]['wall']:.2f}x wall, "
                f"{hc / figures[fastest]['cpu']:.2f}x CPU; hilir / pandas: "
                f"{h / figures['pandas']['wall']:.2f}x wall, "
                f"{hc / figures['pandas']['cpu']:.2f}x CPU"
            )
            d = figures["hilir-dask"]
            print(
                f"dask / single-process: {d['wall'] / h:.2f}x wall, {d['cpu'] / hc:.2f}x CPU "
                "(2-worker LocalCluster against hilir)"
            )
            problems = same_rows(outs)
            print("rows and values: " + ("identical" if not problems else "; ".join(problems)))
            status |= bool(problems)
            table.append(_markdown_row(rows, figures, fastest, problems))
            if not args.keep_files:
                path.unlink()
    finally:
        if not args.keep_files:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.markdown and table:
        print("\n" + "\n".join([*MARKDOWN_HEAD, *table]))
    return status


MARKDOWN_HEAD = (
    "| rows | hilir s (MB) | DuckDB s (MB) | Polars s (MB) | pandas s (MB) "
    "| hilir / fastest | Dask s (MB) | Dask / hilir | same rows |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
)


def _markdown_row(
    rows: int, figures: dict[str, dict[str, float | int]], fastest: str, problems: list[str]
) -> str:
    """One size's figures as a row of :data:`MARKDOWN_HEAD` (wall seconds, peak RSS MB)."""

    def cell(engine: str) -> str:
        f = figures[engine]
        return f"{f['wall']:.2f} ({f['rss_mb']:,.0f})"

    h, d = figures["hilir"]["wall"], figures["hilir-dask"]["wall"]
    ratio = f"{h / figures[fastest]['wall']:.2f}x ({fastest})"
    return (
        f"| {rows / 1e6:g}M | {cell('hilir')} | {cell('duckdb')} | {cell('polars')} | "
        f"{cell('pandas')} | {ratio} | {cell('hilir-dask')} | {d / h:.2f}x | "
        f"{'yes' if not problems else 'no'} |"
    )


if __name__ == "__main__":
    raise SystemExit(main())
