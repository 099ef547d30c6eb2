"""The commodity-chain registry: chains, products, codes, conversion factors, source precedence.

The registry is package data (``hilir/refdata/*.csv``, column dictionary in
``hilir/refdata/README.md``) validated on load. Each chain lists its products; each product
sits at a stage (``raw``, ``intermediate``, ``processed``, or ``mixed`` for a source item that
spans stages), carries the HS codes (with the HS revisions in which each exists) and source
item codes (FAOSTAT) it covers, and a raw-equivalent conversion factor with a low / central /
high range and a citation, or an explicit ``none`` with the reason.

Users add rows with ``extra=``: a folder holding any of ``chains.csv``, ``products.csv``,
``product_codes.csv``, ``factors.csv``, ``preferred_sources.csv``, or one such file (its name
may carry a prefix, ``my_products.csv``). Added rows pass the same checks as the shipped ones.

Examples
--------
>>> import hilir
>>> reg = hilir.chains()
>>> reg.loc[reg["product"] == "coffee_roasted", "factor_central"].item()
1.19
>>> from hilir.registry.tables import factor_for
>>> factor_for("ferronickel", 2019)["central"]
np.float64(13.0)
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.fileio import read_csv
from hilir.hs import REVISIONS, normalise_hs_code
from hilir.registry.mapping import map_products
from hilir.sources._common import require_columns

__all__ = [
    "Registry",
    "chain_table",
    "chains",
    "factor_for",
    "factors",
    "map_products",
    "preferred_sources",
    "product_codes",
    "products",
    "refdata_dir",
    "validate_registry",
]

STAGES = ("raw", "intermediate", "processed", "mixed")
KINDS = ("agro", "mineral")
SYSTEMS = ("HS", "FAOSTAT")
METHODS = ("fixed", "estimate_by_year", "none")
RELIABILITY = ("high", "medium", "low")

#: Columns of each registry file, in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "chains": ("chain", "name_id", "name_en", "kind", "raw_only", "raw_product", "note"),
    "products": ("product", "chain", "stage", "name_id", "name_en", "raw_product", "note"),
    "product_codes": ("product", "system", "code", "revisions", "note"),
    "factors": tuple(
        "product year_from year_to low central high basis method reason_if_none source "
        "reliability note".split()
    ),
    "preferred_sources": ("chain", "product", "source", "year_from", "year_to", "rank", "reason"),
}
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
#: Columns that may be left empty, per file.
OPTIONAL: dict[str, frozenset[str]] = {
    "chains": frozenset({"note"}),
    "products": frozenset({"note", "raw_product"}),
    "product_codes": frozenset({"revisions", "note"}),
    "factors": frozenset(
        {"year_from", "year_to", "low", "central", "high", "reason_if_none", "note"}
    ),
    "preferred_sources": frozenset({"product", "year_from", "year_to"}),
}

PathArg = str | PathLike[str]


@dataclass(frozen=True)
class Registry:
    """The validated registry tables (shared, cached: never modify them in place)."""

    chains: pd.DataFrame
    products: pd.DataFrame
    product_codes: pd.DataFrame
    factors: pd.DataFrame
    preferred_sources: pd.DataFrame


def refdata_dir() -> Path:
    """Folder of the shipped registry files (``hilir/refdata``)."""
    return Path(__file__).resolve().parent.parent / "refdata"


# --- reading ---------------------------------------------------------------------------------

Rec = dict[str, object]  # one CSV row: its cells (str) plus "_file", "_row" and parsed values


def _extra_files(extra: PathArg) -> dict[str, Path]:
    path = Path(extra)
    if path.is_dir():
        found = {t: path / f"{t}.csv" for t in COLUMNS if (path / f"{t}.csv").is_file()}
        if not found:
            raise HilirDataError(f"no registry file ({', '.join(COLUMNS)}).csv here", path=path)
        return found
    if not path.is_file():
        raise HilirDataError("registry extra file or folder not found", path=path)
    names = [t for t in COLUMNS if path.stem == t or path.stem.endswith("_" + t)]
    if not names:
        raise HilirDataError(
            f"cannot tell which registry table this is: name it one of "
            f"{[t + '.csv' for t in COLUMNS]}",
            path=path,
        )
    return {max(names, key=len): path}


def _read(path: Path, table: str) -> list[Rec]:
    df = require_columns(read_csv(path), COLUMNS[table], path=path)
    recs = df[[*COLUMNS[table], "_row"]].to_dict("records")
    for rec in recs:
        for col in COLUMNS[table]:
            rec[col] = str(rec[col]).strip()
        rec["_file"] = str(path)
    return recs


def _fingerprint(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    return tuple((str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)


# --- validation ------------------------------------------------------------------------------


def _fail(rec: Rec, column: str, message: str) -> HilirDataError:
    row = int(str(rec["_row"]))
    return HilirDataError(message, path=str(rec["_file"]), row=row, column=column)


def _basic(
    recs: list[Rec],
    table: str,
    *,
    key: str | None = None,
    choices: dict[str, tuple[str, ...]] | None = None,
    known: dict[str, tuple[set[str], str]] | None = None,
) -> None:
    """Required cells, key syntax, allowed values and references, row by row."""
    for rec in recs:
        for col in COLUMNS[table]:
            if col not in OPTIONAL[table] and rec[col] == "":
                raise _fail(rec, col, "value is missing")
        if key and not _KEY.match(str(rec[key])):
            raise _fail(rec, key, "keys are lower-case letters, digits and '_'")
        for col, allowed in (choices or {}).items():
            if rec[col] not in allowed:
                raise _fail(rec, col, f"{rec[col]!r} is not one of {list(allowed)}")
        for col, (keys, what) in (known or {}).items():
            if rec[col] != "" and rec[col] not in keys:
                raise _fail(rec, col, f"unknown {what} {rec[col]!r}")


def _unique(recs: list[Rec], columns: tuple[str, ...], what: str) -> None:
    seen: dict[tuple, Rec] = {}
    for rec in recs:
        k = tuple(rec[c] for c in columns)
        if k in seen:
            first = seen[k]
            raise _fail(
                rec,
                columns[-1],
                f"duplicate {what} {k}: already defined in {first['_file']} row {first['_row']}",
            )
        seen[k] = rec


def _number(rec: Rec, column: str, kind: type) -> float | int | None:
    text = str(rec[column])
    if text == "":
        return None
    try:
        return kind(text)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise _fail(rec, column, f"{text!r} is not {what}") from None


def _years(recs: list[Rec]) -> None:
    for rec in recs:
        rec["_from"], rec["_to"] = _number(rec, "year_from", int), _number(rec, "year_to", int)
        if rec["_from"] is not None and rec["_to"] is not None and rec["_from"] > rec["_to"]:
            raise _fail(rec, "year_to", "year_to is before year_from")


def _first_overlap(recs: list[Rec]) -> tuple[Rec, Rec] | None:
    """The first pair of rows whose year ranges (None = open) overlap."""
    span = [
        (-np.inf if r["_from"] is None else r["_from"], np.inf if r["_to"] is None else r["_to"])
        for r in recs
    ]
    for i in range(len(recs)):
        for j in range(i + 1, len(recs)):
            if span[i][0] <= span[j][1] and span[j][0] <= span[i][1]:
                return recs[i], recs[j]
    return None


def _check_products(ch: list[Rec], pr: list[Rec]) -> None:
    _basic(ch, "chains", key="chain", choices={"kind": KINDS, "raw_only": ("true", "false")})
    _unique(ch, ("chain",), "chain")
    keys = {str(r["product"]) for r in pr}
    _basic(
        pr,
        "products",
        key="product",
        choices={"stage": STAGES},
        known={
            "chain": ({str(r["chain"]) for r in ch}, "chain"),
            "raw_product": (keys, "raw product"),
        },
    )
    _unique(pr, ("product",), "product key")
    by_key = {r["product"]: r for r in pr}
    for rec in pr:
        head = by_key.get(rec["raw_product"])
        if head is None:
            continue
        if head["chain"] != rec["chain"]:
            raise _fail(rec, "raw_product", f"{head['product']!r} is not in chain {rec['chain']!r}")
        if head["stage"] != "raw" or head["raw_product"] != head["product"]:
            raise _fail(
                rec,
                "raw_product",
                f"{head['product']!r} must be a raw-stage product "
                "that names itself as its raw_product",
            )
    for rec in ch:
        raw = by_key.get(rec["raw_product"])
        if raw is None or raw["chain"] != rec["chain"] or raw["stage"] != "raw":
            raise _fail(
                rec,
                "raw_product",
                f"{rec['raw_product']!r} is not a raw-stage product of this chain",
            )
        cooked = [p for p in pr if p["chain"] == rec["chain"] and p["stage"] != "raw"]
        if rec["raw_only"] == "true" and cooked:
            raise _fail(cooked[0], "stage", f"chain {rec['chain']!r} is raw-only")


def _overlap(rec: Rec, other: Rec, rev: str) -> HilirDataError:
    return _fail(
        rec,
        "code",
        f"HS code {rec['code']} of {rec['product']!r} overlaps code "
        f"{other['code']} of {other['product']!r} in {rev} "
        f"({other['_file']} row {other['_row']}): a traded code would "
        "belong to both",
    )


def _check_codes(pc: list[Rec], pr: list[Rec]) -> None:
    _basic(
        pc,
        "product_codes",
        choices={"system": SYSTEMS},
        known={"product": ({str(r["product"]) for r in pr}, "product")},
    )
    for rec in pc:
        if rec["system"] == "HS":
            try:
                code, fixed = normalise_hs_code(rec["code"], warn=False)
            except HilirDataError as exc:
                raise _fail(rec, "code", exc.reason) from None
            if fixed:
                warnings.warn(
                    f"{rec['_file']} row {rec['_row']}: HS code {rec['code']!r} lost its "
                    f"leading zero; read as {code!r}",
                    HilirDataWarning,
                    stacklevel=5,
                )
            revs = str(rec["revisions"]).split(";") if rec["revisions"] else []
            if not revs or set(revs) - set(REVISIONS) or len(set(revs)) != len(revs):
                raise _fail(
                    rec,
                    "revisions",
                    f"HS codes need ';'-joined revisions out of "
                    f"{list(REVISIONS)}, got {rec['revisions']!r}",
                )
            rec["code"], rec["revisions"] = code, ";".join(sorted(revs, key=REVISIONS.index))
        else:
            if not str(rec["code"]).isdigit():
                raise _fail(rec, "code", f"FAOSTAT item code {rec['code']!r} is not a number")
            if rec["revisions"]:
                raise _fail(rec, "revisions", "only HS codes have revisions; leave it empty")
            rec["code"] = str(int(str(rec["code"])))
    _unique(pc, ("system", "code", "product"), "code claim")
    _unique(
        [r for r in pc if r["system"] == "FAOSTAT"],
        ("system", "code"),
        "FAOSTAT item claim (one product per item)",
    )
    claims: dict[tuple[str, str], Rec] = {}
    for rec in (r for r in pc if r["system"] == "HS"):
        code = str(rec["code"])
        for rev in str(rec["revisions"]).split(";"):
            for k in range(2, len(code) + 1, 2):
                if (rev, code[:k]) in claims:
                    raise _overlap(rec, claims[(rev, code[:k])], rev)
            longer = [c for (r, c) in claims if r == rev and c.startswith(code)]
            if longer:
                raise _overlap(rec, claims[(rev, longer[0])], rev)
            claims[(rev, code)] = rec


def _check_factors(fa: list[Rec], pr: list[Rec], ch: list[Rec]) -> None:
    _basic(
        fa,
        "factors",
        choices={"method": METHODS, "reliability": RELIABILITY},
        known={"product": ({str(r["product"]) for r in pr}, "product")},
    )
    _years(fa)
    for rec in fa:
        vals = {c: _number(rec, c, float) for c in ("low", "central", "high")}
        rec.update({"_" + c: np.nan if v is None else v for c, v in vals.items()})
        if rec["method"] == "none":
            given = [c for c, v in vals.items() if v is not None]
            if given:
                raise _fail(rec, given[0], "method 'none' takes no factor values")
            if rec["reason_if_none"] == "":
                raise _fail(rec, "reason_if_none", "say why there is no factor")
            continue
        for col, v in vals.items():
            if v is None:
                raise _fail(rec, col, f"method {rec['method']!r} needs a {col} value")
            if not v > 0:
                raise _fail(rec, col, "factors are positive (t raw per t product)")
        if vals["low"] > vals["central"]:  # type: ignore[operator]
            raise _fail(rec, "central", "low must not exceed central")
        if vals["central"] > vals["high"]:  # type: ignore[operator]
            raise _fail(rec, "high", "central must not exceed high")
    stage = {r["product"]: r["stage"] for r in pr}
    by_product: dict[object, list[Rec]] = {}
    for rec in fa:
        by_product.setdefault(rec["product"], []).append(rec)
    for prod, rows in by_product.items():
        pair = _first_overlap(rows)
        if pair:
            raise _fail(
                pair[1],
                "year_from",
                f"factor years overlap row {pair[0]['_row']} for product {prod!r}",
            )
        if stage[prod] == "mixed" and any(r["method"] != "none" for r in rows):
            bad = next(r for r in rows if r["method"] != "none")
            raise _fail(bad, "method", "a mixed item needs an explicit, cited split, not a factor")
    for rec in pr:
        if rec["product"] not in by_product:
            raise _fail(
                rec,
                "product",
                "product has no row in factors (give a factor or method 'none' with the reason)",
            )
    heads = {r["raw_product"] for r in ch} | {
        r["product"] for r in pr if r["raw_product"] == r["product"]
    }
    for rec in (r for r in fa if r["product"] in heads):
        if rec["method"] != "fixed" or (rec["_low"], rec["_central"], rec["_high"]) != (1, 1, 1):
            raise _fail(rec, "central", "a raw product has factor 1 (fixed) on its own basis")


def _check_preferred(ps: list[Rec], pr: list[Rec], ch: list[Rec]) -> None:
    _basic(
        ps,
        "preferred_sources",
        known={
            "chain": ({str(r["chain"]) for r in ch}, "chain"),
            "product": ({str(r["product"]) for r in pr}, "product"),
        },
    )
    _years(ps)
    chain_of = {r["product"]: r["chain"] for r in pr}
    groups: dict[tuple, list[Rec]] = {}
    for rec in ps:
        rec["_rank"] = _number(rec, "rank", int)
        if rec["product"] and chain_of[rec["product"]] != rec["chain"]:
            raise _fail(rec, "product", f"{rec['product']!r} is not in chain {rec['chain']!r}")
        if rec["_rank"] < 1:  # type: ignore[operator]
            raise _fail(rec, "rank", "rank starts at 1 (1 = preferred)")
        groups.setdefault((rec["chain"], rec["product"], rec["_rank"]), []).append(rec)
    for rows in groups.values():
        pair = _first_overlap(rows)
        if pair:
            raise _fail(
                pair[1],
                "rank",
                f"same rank as row {pair[0]['_row']} for the same chain, "
                "product and years: precedence is ambiguous",
            )


# --- loading ---------------------------------------------------------------------------------


def validate_registry(*, extra: PathArg | None = None) -> Registry:
    """Read and validate the registry (shipped files plus ``extra`` rows); cached.

    Parameters
    ----------
    extra : str or os.PathLike, optional
        A folder with any of the five registry files, or one registry CSV file.

    Returns
    -------
    Registry
        The five tables with typed columns. They are cached and shared: copy before changing.

    Raises
    ------
    HilirDataError
        Naming file, row and column: duplicate product keys, an HS code claimed by two
        products in the same revision (also through overlapping prefixes such as ``2604`` and
        ``260400``), a FAOSTAT item claimed twice, a factor without a source, ``low > central``
        or ``central > high``, overlapping factor years, unknown keys or choices.

    Notes
    -----
    The cache key includes each file's path, modification time and size, so an edited file
    is read again.
    """
    files = {t: [refdata_dir() / f"{t}.csv"] for t in COLUMNS}
    if extra is not None:
        for table, path in _extra_files(extra).items():
            files[table].append(path)
    return _load(tuple((t, _fingerprint(files[t])) for t in COLUMNS))


def _frame(recs: list[Rec], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: [r[c] for r in recs] for c in columns}, dtype=object)


@functools.lru_cache(maxsize=8)
def _load(key: tuple) -> Registry:
    raw = {t: [rec for p, _, _ in fps for rec in _read(Path(p), t)] for t, fps in key}
    ch, pr, pc, fa, ps = (raw[t] for t in COLUMNS)
    _check_products(ch, pr)
    _check_codes(pc, pr)
    _check_factors(fa, pr, ch)
    _check_preferred(ps, pr, ch)
    text = {t: list(COLUMNS[t]) for t in COLUMNS}
    chains_df = _frame(ch, text["chains"]).astype(str)
    chains_df["raw_only"] = chains_df["raw_only"].eq("true")
    factors_df = _frame(fa, text["factors"]).astype(str)
    for col, src in (("year_from", "_from"), ("year_to", "_to")):
        factors_df[col] = pd.array([r[src] for r in fa], dtype="Int64")
    for col in ("low", "central", "high"):
        factors_df[col] = np.array([r["_" + col] for r in fa], dtype="float64")
    prefs_df = _frame(ps, text["preferred_sources"]).astype(str)
    for col, src in (("year_from", "_from"), ("year_to", "_to")):
        prefs_df[col] = pd.array([r[src] for r in ps], dtype="Int64")
    prefs_df["rank"] = np.array([r["_rank"] for r in ps], dtype="int64")
    return Registry(
        chains=chains_df,
        products=_frame(
            pr, ["product", "chain", "stage", "name_id", "name_en", "note", "raw_product"]
        ).astype(str),
        product_codes=_frame(pc, text["product_codes"]).astype(str),
        factors=factors_df,
        preferred_sources=prefs_df,
    )


validate_registry.cache_clear = _load.cache_clear  # type: ignore[attr-defined]


# --- accessors -------------------------------------------------------------------------------


def chain_table(*, extra: PathArg | None = None) -> pd.DataFrame:
    """Chains: ``chain, name_id, name_en, kind ('agro'|'mineral'), raw_only, raw_product, note``."""
    return validate_registry(extra=extra).chains.copy()


def products(*, extra: PathArg | None = None) -> pd.DataFrame:
    """Products: ``product, chain, stage, name_id, name_en, note, raw_product``.

    ``raw_product`` names the raw product whose tonnes the product's factor counts (its line
    in a chain with several raw products, such as spices); empty for essential oils.
    """
    return validate_registry(extra=extra).products.copy()


def product_codes(*, extra: PathArg | None = None) -> pd.DataFrame:
    """Codes: ``product, system ('HS'|'FAOSTAT'), code, revisions, note``.

    HS codes are zero-padded text (4 or 6 digits); ``revisions`` lists the HS revisions in
    which the code exists (``"HS1992;HS1996;...;HS2022"``), empty for FAOSTAT items.
    """
    return validate_registry(extra=extra).product_codes.copy()


def factors(*, extra: PathArg | None = None) -> pd.DataFrame:
    """Raw-equivalent factors, one row per product and year range.

    Returns
    -------
    pandas.DataFrame
        ``product, year_from, year_to`` (Int64, NA = open), ``low, central, high`` (float,
        tonnes of raw product per tonne of product on the raw product's basis; NaN when
        ``method == 'none'``), ``basis, method ('fixed'|'estimate_by_year'|'none'),
        reason_if_none, source, reliability ('high'|'medium'|'low'), note``.
    """
    return validate_registry(extra=extra).factors.copy()


def preferred_sources(*, extra: PathArg | None = None) -> pd.DataFrame:
    """Source precedence, one row per chain or product, source and year range.

    Columns ``chain, product ('' = whole chain), source, year_from, year_to, rank, reason``.
    Rank 1 is preferred; a flow reported by two sources is counted once, from the better rank.
    """
    return validate_registry(extra=extra).preferred_sources.copy()


def factor_for(product: str, year: int, *, extra: PathArg | None = None) -> pd.Series:
    """The factor row of a product that covers a year.

    Parameters
    ----------
    product : str
        Registry product key.
    year : int
        Calendar year.

    Returns
    -------
    pandas.Series
        One row of :func:`factors` (``low, central, high`` in t raw product per t product).

    Raises
    ------
    HilirDataError
        Unknown product, or no factor row covers ``year``.
    """
    fa = validate_registry(extra=extra).factors
    rows = fa[fa["product"] == product]
    if rows.empty:
        raise HilirDataError(f"unknown product {product!r}")
    hit = rows[
        (rows["year_from"].isna() | (rows["year_from"] <= year))
        & (rows["year_to"].isna() | (rows["year_to"] >= year))
    ]
    if hit.empty:
        raise HilirDataError(f"no factor row of {product!r} covers {year}")
    return hit.iloc[0].copy()


def _current_factor(fa: pd.DataFrame) -> pd.DataFrame:
    """Per product: the year-independent row, else the most recent year-split row."""
    order = fa.assign(_k=fa["year_from"].astype("float64").fillna(-np.inf))
    order = order.sort_values(["product", "_k"], kind="stable")
    return order.groupby("product", sort=False).tail(1).set_index("product")


def chains(*, extra: PathArg | None = None) -> pd.DataFrame:
    """The registry as one tidy table, one row per product.

    Parameters
    ----------
    extra : str or os.PathLike, optional
        User rows (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        ``chain, chain_name_id, chain_name_en, product, stage, name_id, name_en, hs_codes``
        (";"-joined), ``item_codes`` (";"-joined FAOSTAT items), ``factor_low,
        factor_central, factor_high`` (t raw product per t product), ``factor_basis,
        factor_method, factor_source``: the year-independent factor, or the most recent
        year-split row (see :func:`factor_for` for a given year).
    """
    reg = validate_registry(extra=extra)
    out = reg.products.merge(
        reg.chains[["chain", "name_id", "name_en"]].rename(
            columns={"name_id": "chain_name_id", "name_en": "chain_name_en"}
        ),
        on="chain",
        how="left",
    )
    pc = reg.product_codes
    for system, col in (("HS", "hs_codes"), ("FAOSTAT", "item_codes")):
        codes = pc[pc["system"] == system]
        keyf = int if system == "FAOSTAT" else str
        joined = codes.groupby("product")["code"].agg(
            lambda s, keyf=keyf: ";".join(sorted(set(s), key=keyf))
        )
        out[col] = out["product"].map(joined).fillna("")
    cur = _current_factor(reg.factors)
    for col in ("low", "central", "high", "basis", "method", "source"):
        out["factor_" + col] = out["product"].map(cur[col])
    cols = [
        "chain",
        "chain_name_id",
        "chain_name_en",
        "product",
        "stage",
        "name_id",
        "name_en",
        "hs_codes",
        "item_codes",
        "factor_low",
        "factor_central",
        "factor_high",
        "factor_basis",
        "factor_method",
        "factor_source",
    ]
    return out[cols].reset_index(drop=True)
