"""The export procedure as bilingual reference data: steps, institutions, documents, sources.

Package data ``hilir/refdata/export_procedure.csv`` (column dictionary in
``hilir/refdata/README_markets.md``), validated on load. Each step says which exports it
applies to (``all``, ``agro`` plant products, ``mineral`` products, or one chain such as
``coffee``), the responsible institution and the document in Indonesian and English, its
legal basis and the public source it was taken from, and a ``status``: ``as_documented``
(as the cited source describes it), ``titles_only`` (regulation titles seen, contents not
read) or ``not_verified`` (a standard step not checked against a regulation in hilir's
references). The procedure is as documented by those sources, not legal advice.
"""

from __future__ import annotations

import functools
import hashlib

import pandas as pd

from hilir.errors import HilirDataError
from hilir.provenance.sidecar import Provenance
from hilir.refdata import read_refdata, refdata_file

COLUMNS = (
    "step",
    "key",
    "applies_to",
    "name_id",
    "name_en",
    "institution_id",
    "institution_en",
    "document_id",
    "document_en",
    "system",
    "legal_basis",
    "source",
    "status",
    "note",
)
OPTIONAL = frozenset({"system", "note"})
STATUSES = ("as_documented", "titles_only", "not_verified")
KINDS = ("all", "agro", "mineral")
_FILE = "export_procedure.csv"


def procedure_file() -> str:
    """Path of the shipped procedure table (for provenance and citation)."""
    return str(refdata_file(_FILE))


def validate_procedure(df: pd.DataFrame, *, path: str | None = None) -> pd.DataFrame:
    """Check a procedure table as read by :func:`hilir.sources._common.read_csv`.

    Raises
    ------
    HilirDataError
        Missing columns, an empty required cell, a step that is not a whole number or
        appears twice, a duplicate key, an unknown status or ``applies_to`` value (``all``,
        ``agro``, ``mineral`` or a registry chain); each names row and column.
    """
    from hilir.registry.tables import chain_table

    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise HilirDataError(f"missing columns {missing}", path=path, row=1, column=missing[0])
    if df.empty:
        raise HilirDataError("the procedure table has no steps", path=path)
    chains = set(chain_table()["chain"].astype(str))
    seen_step: dict[int, int] = {}
    seen_key: dict[str, int] = {}
    steps = []
    for i in range(len(df)):
        row = int(df["_row"].iloc[i]) if "_row" in df.columns else i + 2
        cell = {c: str(df[c].iloc[i]).strip() for c in COLUMNS}
        for c in COLUMNS:
            if c not in OPTIONAL and not cell[c]:
                raise HilirDataError("value is missing", path=path, row=row, column=c)
        try:
            step = int(cell["step"])
        except ValueError:
            raise HilirDataError(
                f"step {cell['step']!r} is not a whole number", path=path, row=row, column="step"
            ) from None
        if step in seen_step:
            raise HilirDataError(
                f"step {step} also on row {seen_step[step]}", path=path, row=row, column="step"
            )
        if cell["key"] in seen_key:
            raise HilirDataError(
                f"key {cell['key']!r} also on row {seen_key[cell['key']]}",
                path=path,
                row=row,
                column="key",
            )
        seen_step[step], seen_key[cell["key"]] = row, row
        if cell["status"] not in STATUSES:
            raise HilirDataError(
                f"status {cell['status']!r} is not one of {list(STATUSES)}",
                path=path,
                row=row,
                column="status",
            )
        for target in cell["applies_to"].split(";"):
            if target not in KINDS and target not in chains:
                raise HilirDataError(
                    f"applies_to {target!r} is not one of {list(KINDS)} nor a registry chain",
                    path=path,
                    row=row,
                    column="applies_to",
                )
        steps.append(step)
    out = df[list(COLUMNS)].copy()
    for c in COLUMNS:
        out[c] = out[c].astype(str).str.strip()
    out["step"] = pd.array(steps, dtype="int64")
    return out.sort_values("step").reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def _shipped() -> pd.DataFrame:
    return validate_procedure(read_refdata(_FILE), path=str(refdata_file(_FILE)))


def export_procedure(*, chain: str | None = None) -> pd.DataFrame:
    """The export procedure's steps, for every export or for one chain.

    Parameters
    ----------
    chain : str, optional
        Registry chain (``coffee``, ``nickel`` ...): keep the steps that apply to all
        exports, to the chain's kind (``agro`` or ``mineral``) and to the chain itself.
        Default: every step.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS` in step order, plus ``position`` (1, 2, ... after filtering).

    Raises
    ------
    HilirDataError
        For an unknown chain.

    Examples
    --------
    >>> from hilir.markets import export_procedure
    >>> export_procedure(chain="coffee")["key"].tolist()[:3]
    ['exporter_registration', 'restrictions_and_duty', 'coffee_export_approval']
    """
    df = _shipped().copy()
    if chain is not None:
        from hilir.registry.tables import chain_table

        tab = chain_table()
        hit = tab[tab["chain"].astype(str) == chain]
        if hit.empty:
            raise HilirDataError(f"unknown chain {chain!r}; chains: {sorted(tab['chain'])}")
        kind = str(hit["kind"].iloc[0])
        wanted = {"all", kind, chain}
        keep = df["applies_to"].map(lambda s: bool(set(s.split(";")) & wanted))
        df = df[keep.to_numpy(dtype=bool)]
    df = df.reset_index(drop=True)
    df["position"] = range(1, len(df) + 1)
    return df


def procedure_provenance() -> Provenance:
    """A provenance record for the export-procedure table (package reference data).

    The table is compiled by hilir from the public sources named in each row; the record
    lets a chart of it carry a generated source line and be saved.
    """
    data = refdata_file(_FILE).read_bytes()
    return Provenance(
        key="hilir_export_procedure",
        file="export_procedure.csv",
        reader="export_procedure",
        table="reference",
        publisher="hilir project (compiled from the public sources cited in each row)",
        title="Export procedure of Indonesia: steps, institutions and documents",
        url="",
        taken_from="hilir/refdata/export_procedure.csv",
        accessed="",
        licence="as the hilir package",
        citation="hilir, export_procedure.csv; each step cites its own source",
        source_label={
            "id": "dihimpun hilir dari sumber terkutip per langkah",
            "en": "compiled by hilir from the sources cited for each step",
        },
        geography="IDN",
        coverage="as documented",
        latest_year=None,
        sha256=hashlib.sha256(data).hexdigest(),
        notes="Reference data, not legal advice; 'status' marks steps not verified.",
    )
