"""Provenance of every input: sidecar files with checksum, licence, citation and vintage.

* :mod:`hilir.provenance.sidecar` - :class:`Provenance` records and their ``.provenance.yaml``
  sidecars (read, write, verify, discover).
"""

from __future__ import annotations

from hilir.provenance.sidecar import (
    REQUIRED,
    SIDECAR_SUFFIX,
    Provenance,
    discover,
    read_sidecar,
    sha256_of,
    sidecar_path,
    verify_checksum,
    write_sidecar,
)

__all__ = [
    "REQUIRED",
    "SIDECAR_SUFFIX",
    "Provenance",
    "discover",
    "read_sidecar",
    "sha256_of",
    "sidecar_path",
    "verify_checksum",
    "write_sidecar",
]
