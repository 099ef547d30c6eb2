"""Table specs of the tidy tables hilir builds and reads.

* :mod:`hilir.schema.tables` - column specs of the built tables (trade, production, prices,
  balances, published, employment) and :func:`conform`.
"""

from __future__ import annotations

from hilir.schema.tables import (
    BALANCES,
    EMPLOYMENT,
    FLOWS,
    PARTNER_TYPES,
    PRICES,
    PRODUCTION,
    PUBLISHED,
    TABLES,
    TRADE,
    Column,
    TableSpec,
    conform,
    empty,
)

__all__ = [
    "BALANCES",
    "EMPLOYMENT",
    "FLOWS",
    "PARTNER_TYPES",
    "PRICES",
    "PRODUCTION",
    "PUBLISHED",
    "TABLES",
    "TRADE",
    "Column",
    "TableSpec",
    "conform",
    "empty",
]
