"""Cache and snapshots of ``hilir data fetch``.

A download is kept in the user data folder's ``user/_fetch/<source>/`` under a name that
carries a hash of its address and query, with a ``NAME.fetch.json`` beside it (URL with any
key masked, query, retrieval time in UTC, sha256, licence): a repeated fetch of the same
address and query reads it instead of downloading again (``refresh=True`` downloads anew).
The reader-ready extract is then filed by :func:`hilir.data.fetch` through
:func:`hilir.data.importer.import_file`, the path of ``hilir data import``, so fetched and
imported data are read and checked alike; its sidecar says what was fetched, from where, when.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hilir.fetch._http import mask
from hilir.fileio import atomic_write_bytes
from hilir.paths import user_dir
from hilir.provenance.sidecar import sha256_of

META_SUFFIX = ".fetch.json"


@dataclass(frozen=True)
class Query:
    """One request of a fetch: what ``--dry-run`` prints.

    Attributes
    ----------
    url : str
        Address (a key in it is masked when printed).
    params : dict
        Query parameters (a key among them is masked when printed).
    note : str
        What the request brings (years, codes).
    """

    url: str
    params: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    def shown(self) -> str:
        """The request as one line, keys masked."""
        pairs = "&".join(
            f"{k}={'***' if 'key' in k.lower() else v}"
            for k, v in self.params.items()
            if v is not None
        )
        text = mask(self.url) + (f"?{pairs}" if pairs else "")
        return f"{text}    # {self.note}" if self.note else text


def cache_key(url: str, params: Mapping[str, Any] | None = None) -> str:
    """Hash of an address and its query, keys left out (16 hex digits)."""
    clean = {k: v for k, v in (params or {}).items() if "key" not in k.lower() and v is not None}
    text = mask(url) + "?" + json.dumps(clean, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def cache_dir(source: str) -> Path:
    """Folder of a source's downloads (inside the git-ignored ``user/`` folder)."""
    return user_dir() / "_fetch" / source


def cached_path(source: str, query: Query, name: str) -> Path:
    """Where the answer to a query is kept."""
    return cache_dir(source) / f"{cache_key(query.url, query.params)}_{name}"


def is_cached(path: Path) -> bool:
    """Whether a complete download and its description are there."""
    return path.is_file() and path.with_name(path.name + META_SUFFIX).is_file()


def write_meta(path: Path, query: Query, *, licence: str, extra: Mapping[str, Any] = ()) -> dict:
    """Write the description of a download beside it; return it."""
    meta = {
        "url": mask(query.url),
        "query": {k: v for k, v in query.params.items() if "key" not in k.lower()},
        "retrieved": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "sha256": sha256_of(path),
        "licence": licence,
        **dict(extra),
    }
    text = json.dumps(meta, indent=1, ensure_ascii=False, default=str) + "\n"
    atomic_write_bytes(path.with_name(path.name + META_SUFFIX), text.encode())
    return meta


def read_meta(path: Path) -> dict:
    """The description written by :func:`write_meta`."""
    return json.loads(path.with_name(path.name + META_SUFFIX).read_text(encoding="utf-8"))
