"""The catalogue of inputs: every sidecar of the shipped snapshots and of a user's imports.

One function answers "which inputs are there?" for the build, the source lines of charts
and the caveats of the models: :func:`input_records`. Sidecars are parsed once and read
again only when the set of sidecar files or one of their modification times changes.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

from hilir import paths
from hilir.errors import HilirDataError
from hilir.provenance.sidecar import SIDECAR_SUFFIX, Provenance, discover

__all__ = ["input_records"]


def _state(include_user: bool) -> tuple[tuple[str, int], ...]:
    folders = [paths.raw_dir()] + ([paths.user_dir()] if include_user else [])
    out = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob(f"*{SIDECAR_SUFFIX}")):
                out.append((str(path), path.stat().st_mtime_ns))
    return tuple(out)


@lru_cache(maxsize=4)
def _records(include_user: bool, state: tuple[tuple[str, int], ...]) -> tuple[Provenance, ...]:
    records = discover(paths.raw_dir())
    if include_user and paths.user_dir().is_dir():
        records += discover(paths.user_dir())
    seen: dict[str, Provenance] = {}
    for rec in records:
        if rec.key in seen:
            raise HilirDataError(
                f"provenance key {rec.key!r} is used twice (also {seen[rec.key].path})",
                path=rec.path,
            )
        seen[rec.key] = rec
    return tuple(records)


def input_records(*, include_user: bool = True) -> list[Provenance]:
    """Provenance records of every input: the shipped snapshots, then a user's imports.

    Parameters
    ----------
    include_user : bool, default True
        Also the imports in the user folder (``data/user``).

    Returns
    -------
    list of Provenance
        Shipped records first, each folder in the order :func:`discover` gives.

    Raises
    ------
    HilirDataError
        If two records share a key or a sidecar is malformed.
    """
    return [dataclasses.replace(r) for r in _records(include_user, _state(include_user))]
