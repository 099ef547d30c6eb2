"""Validation rules of the registry tables, row by row, naming file, row and column.

Each ``check_*`` function takes the records of :func:`hilir.registry.files.read_records`
(text cells with ``_file`` and ``_row``), raises :class:`~hilir.errors.HilirDataError` on the
first bad cell, and stores parsed values on the records (``_from``, ``_to``, ``_low``,
``_central``, ``_high``, ``_rank``) for :mod:`hilir.registry.validate` to build the tables.
"""

from __future__ import annotations

import re
import warnings

import numpy as np

from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.hs import REVISIONS, normalise_hs_code
from hilir.registry.files import COLUMNS, OPTIONAL, Rec

__all__ = [
    "KINDS",
    "METHODS",
    "RELIABILITY",
    "STAGES",
    "SYSTEMS",
    "check_codes",
    "check_factors",
    "check_preferred",
    "check_products",
]

STAGES = ("raw", "intermediate", "processed", "mixed")
KINDS = ("agro", "mineral")
SYSTEMS = ("HS", "FAOSTAT")
METHODS = ("fixed", "estimate_by_year", "none")
RELIABILITY = ("high", "medium", "low")

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


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


def check_products(ch: list[Rec], pr: list[Rec]) -> None:
    """Chains and products: keys, choices, references, raw products of each chain."""
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


def check_codes(pc: list[Rec], pr: list[Rec]) -> None:
    """Product codes: HS codes and revisions normalised, no code claimed twice or overlapping."""
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
                    stacklevel=caller_stacklevel(),
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


def check_factors(fa: list[Rec], pr: list[Rec], ch: list[Rec]) -> None:
    """Factors: cited ranges ``low <= central <= high``, years that do not overlap."""
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


def check_preferred(ps: list[Rec], pr: list[Rec], ch: list[Rec]) -> None:
    """Source precedence: known chains and products, ranks that are never ambiguous."""
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
