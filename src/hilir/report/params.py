"""Parameters of a report build: ``hilir report --param NAME=VALUE`` and the data they need.

A value given on the command line replaces the default of the same name in the ``parameters``
cell of every selected notebook (papermill injects it after that cell). A name must be
declared by every selected notebook (``--only`` chooses them), so a typo or a parameter of
another brief is refused with the names allowed. Before any notebook runs, the data the
values point at are checked (a chain in the registry with exports of the reporter, a
province with production and input-output data, products, crops and sources that exist), so
a missing table is named in one message instead of a traceback from inside a notebook.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from hilir.report.execute import PARAMETERS_TAG, ReportError

#: Parameters the build itself sets (``--lang``), never given with ``--param``.
RESERVED = frozenset({"lang"})
#: A province geography (ISO 3166-2:ID), e.g. ``ID-LA``.
_PROVINCE = re.compile(r"^ID-[A-Z]{2}$")
#: Parameters naming one chain, or a list of chains.
_CHAIN_KEYS = ("chain", "national_chain")
_CHAIN_LIST_KEYS = ("chains", "policy_chains")
#: Parameters naming products of the notebook's chain (or any chain without one).
_PRODUCT_KEYS = ("raw_product", "palm_product", "pepper_product", "world_product")
#: Parameters naming crops of the province's production table.
_CROP_KEYS = ("lampung_crop", "lampung_regency_crop")
_CROP_LIST_KEYS = ("regency_crops",)
#: The province of the Lampung sections of national briefs.
_LAMPUNG = "ID-LA"


def parse_params(items: Iterable[str] | None) -> dict[str, Any]:
    """``NAME=VALUE`` strings as a dict; a value is JSON when it parses, else a string.

    ``year_to=2019`` gives an int, ``chains=["coffee","cocoa"]`` a list, ``price_to=null``
    None and ``chain=cocoa`` the string ``"cocoa"``.

    Raises
    ------
    ReportError
        An item without ``=`` or with an empty name.
    """
    out: dict[str, Any] = {}
    for item in items or []:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise ReportError(f"--param takes NAME=VALUE (e.g. chain=cocoa), not {item!r}")
        try:
            out[name] = json.loads(text)
        except ValueError:
            out[name] = text
    return out


def declared_parameters(path: str | Path) -> dict[str, Any]:
    """Names assigned in a notebook's ``parameters`` cell, with their default values.

    A default that is not a literal (an expression) is given as its source text.
    """
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    out: dict[str, Any] = {}
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        if PARAMETERS_TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        for node in ast.parse(cell.source).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and node.value is not None:
                    try:
                        out[target.id] = ast.literal_eval(node.value)
                    except ValueError:
                        out[target.id] = ast.unparse(node.value)
    return out


def resolve_params(
    notebooks: Sequence[Path], params: Mapping[str, Any] | None
) -> dict[Path, dict[str, Any]]:
    """The values each notebook runs with: its defaults updated by ``params``.

    Raises
    ------
    ReportError
        A reserved name (``lang``: use ``--lang``) or a name not declared by every notebook
        selected (the message lists the names each allows).
    """
    params = dict(params or {})
    declared = {p: declared_parameters(p) for p in notebooks}
    reserved = sorted(set(params) & RESERVED)
    if reserved:
        raise ReportError(f"--param {reserved[0]} is set by the build: use --lang instead")
    unknown = {
        name: [p.stem for p in notebooks if name not in declared[p]]
        for name in params
        if any(name not in declared[p] for p in notebooks)
    }
    if unknown:
        lines = [
            f"unknown parameter {name!r} for {', '.join(stems)}" for name, stems in unknown.items()
        ]
        common = set.intersection(*(set(d) for d in declared.values())) - RESERVED
        lines.append(
            "parameters of every notebook selected: " + (", ".join(sorted(common)) or "none")
        )
        lines += [
            f"  {p.stem}: " + ", ".join(n for n in declared[p] if n not in RESERVED)
            for p in notebooks
        ]
        lines.append("(choose the notebooks with --only, e.g. --only 01_coffee --param chain=...)")
        raise ReportError("\n".join(lines))
    return {p: {**declared[p], **params} for p in notebooks}


def check_data(notebooks: Mapping[Path, Mapping[str, Any]], params: Mapping[str, Any]) -> None:
    """Check that the data the overridden parameters point at exist, before any run.

    Only notebooks run with a ``--param`` are checked, with all their values (defaults
    included: ``chain=cocoa`` with the default ``raw_product="coffee_green"`` is refused).

    Raises
    ------
    ReportError
        Every missing piece of data, by notebook, with what exists instead.
    """
    if not params:
        return
    problems = {p.stem: data_problems(p, values) for p, values in notebooks.items()}
    problems = {k: v for k, v in problems.items() if v}
    if problems:
        given = " ".join(f"{k}={json.dumps(v)}" for k, v in params.items())
        lines = [f"the data these parameters need are missing ({given}):"]
        for stem, found in problems.items():
            lines += [f"  {stem}: {x}" for x in found]
        raise ReportError("\n".join(lines))


def _code(path: Path) -> str:
    """The source of the notebook's cells other than the parameters cell."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    return "\n".join(
        c.source
        for c in nb.cells
        if c.get("cell_type") == "code"
        and PARAMETERS_TAG not in c.get("metadata", {}).get("tags", [])
    )


def _listed(values: Iterable[object], limit: int = 12) -> str:
    items = sorted({str(v) for v in values})
    more = f" ... ({len(items)} in all)" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more if items else "none"


def data_problems(path: Path, values: Mapping[str, Any]) -> list[str]:
    """What a notebook run with ``values`` would miss, in sentences (empty: nothing)."""
    from hilir.data import load as hilir_load
    from hilir.data.jobs_inputs import DEFAULT_TABLES
    from hilir.registry import tables as hilir_tables
    from hilir.registry.provinces import province_table

    code = _code(path)
    out: list[str] = []
    registry = hilir_tables.chains()
    known_chains = set(registry["chain"].astype(str))

    for key in _CHAIN_KEYS + _CHAIN_LIST_KEYS:
        if key not in values:
            continue
        names = values[key] if key in _CHAIN_LIST_KEYS else [values[key]]
        for name in names if isinstance(names, list) else [names]:
            if str(name) not in known_chains:
                out.append(
                    f"{key}={name!r} is not a chain of the registry (hilir_tables.chains()): "
                    f"{_listed(known_chains, 20)}"
                )

    geo = str(values.get("geography", "IDN"))
    province = geo if _PROVINCE.match(geo) else None
    if province is not None:
        codes = set(province_table()["iso"].astype(str))
        if province not in codes:
            out.append(
                f"geography={geo!r} is not a province code of refdata/provinces.csv "
                f"({_listed(codes, 40)})"
            )
    if "load_io_table(geography)" in code and geo not in DEFAULT_TABLES:
        out.append(
            f"no input-output table for geography={geo!r}: shipped for "
            f"{_listed(DEFAULT_TABLES)} (add one under data/raw/io_tables with a sidecar)"
        )
    production = None
    if "load_production(" in code:
        production = hilir_load.load_production()
        if province is not None and not (production["geo"].astype(str) == province).any():
            have = production.loc[production["geo"].astype(str).str.match(r"^ID-[A-Z]{2}$"), "geo"]
            out.append(
                f"no production data for geography={geo!r} (provinces with production: "
                f"{_listed(have)}; add a BPS download with `hilir data import`)"
            )
        crop_geo = province or _LAMPUNG
        crops = set(production.loc[production["geo"].astype(str) == crop_geo, "crop"].astype(str))
        for key in _CROP_KEYS + _CROP_LIST_KEYS:
            if key not in values or not crops:
                continue
            wanted = values[key] if isinstance(values[key], list) else [values[key]]
            for crop in wanted:
                if str(crop) not in crops:
                    out.append(
                        f"{key}={crop!r}: no production of this crop in {crop_geo} "
                        f"(crops there: {_listed(crops, 30)})"
                    )

    chain = values.get("chain")
    if isinstance(chain, str) and chain in known_chains:
        out += _chain_problems(chain, geo, values, code, registry)
    return out


def _chain_problems(
    chain: str, reporter: str, values: Mapping[str, Any], code: str, registry: Any
) -> list[str]:
    """Exports, products, sources and conversion factors a chain brief needs."""
    import numpy as np

    from hilir.data import load as hilir_load
    from hilir.errors import HilirDataError
    from hilir.value.world_prices import PAIRS

    out: list[str] = []
    lines = registry[registry["chain"].astype(str) == chain]
    products = set(lines["product"].astype(str))
    try:
        exports = hilir_load.load_exports(reporter=reporter, chain=chain)
    except HilirDataError:  # a reporter or a chain not in the data at all
        exports = hilir_load.load_exports().iloc[:0]
    if exports.empty:
        try:
            with_chain = hilir_load.load_exports(chain=chain)["reporter"].astype(str)
        except HilirDataError:
            with_chain = exports["reporter"]
        return [
            f"no exports of chain {chain!r} for reporter {reporter!r} in the processed data "
            f"(reporters with it: {_listed(with_chain)}; fetch them with "
            f"`hilir data fetch comtrade --chain {chain} --reporter {reporter}`)"
        ]
    for key in _PRODUCT_KEYS:
        if key in values and str(values[key]) not in products:
            raw = sorted(lines.loc[lines["stage"].astype(str) == "raw", "product"].astype(str))
            out.append(
                f"{key}={values[key]!r} is not a product of chain {chain!r} "
                f"(its raw products: {_listed(raw)}; all: {_listed(products, 20)})"
            )
    if "compare_world_prices(" in code and "raw_product" in values:
        paired = {p.product for p in PAIRS}
        if str(values["raw_product"]) in products and str(values["raw_product"]) not in paired:
            out.append(
                f"no world price series is paired with raw_product={values['raw_product']!r} "
                f"(hilir.value.world_prices.PAIRS has: {_listed(paired, 20)})"
            )
    source = values.get("trade_source")
    if isinstance(source, str) and not (exports["source"].astype(str) == source).any():
        out.append(
            f"trade_source={source!r} has no exports of chain {chain!r} for {reporter!r} "
            f"(sources with them: {_listed(exports['source'])})"
        )
    year = values.get("base_year")
    years = exports["year"].astype(int)
    if isinstance(year, int) and not (years == year).any():
        out.append(
            f"base_year={year}: no exports of chain {chain!r} that year "
            f"(years with exports: {years.min()}-{years.max()})"
        )
    group = values.get("bi_group")
    if isinstance(group, str) and "load_bi_exports(" in code:
        out += _bi_problems(group, chain)
    if "value.uplift(" in code or "value.scenario(" in code:
        later = lines[~lines["stage"].astype(str).isin(["raw", "mixed"])]
        factors = later["factor_central"].astype(float)
        if len(later) and not np.isfinite(factors).any():
            out.append(
                f"chain {chain!r} has no raw-equivalent conversion factor for any processed "
                f"product ({_listed(later['product'])}: factor_central is empty in the "
                "registry, hilir/refdata); the uplift and scenario sections need one"
            )
    return out


def _bi_problems(group: str, chain: str) -> list[str]:
    """A Bank Indonesia commodity group of the chain (``refdata/bi_groups.csv``)."""
    from importlib.resources import files

    import pandas as pd

    with files("hilir.refdata").joinpath("bi_groups.csv").open(encoding="utf-8") as fh:
        groups = pd.read_csv(fh, dtype=str)
    own = groups.loc[groups["chain"] == chain, "commodity"]
    if group in set(own):
        return []
    where = groups.loc[groups["commodity"] == group, "chain"]
    found = f"a group of chain {where.iloc[0]!r}" if len(where) else "not a group"
    return [
        f"bi_group={group!r} is {found} in refdata/bi_groups.csv; groups of chain "
        f"{chain!r}: {_listed(own)}"
    ]
