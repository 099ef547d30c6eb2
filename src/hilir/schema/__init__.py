"""Table specs of the tidy tables hilir builds and reads.

* :mod:`hilir.schema.tables` - column specs of the built tables (trade, production, prices,
  balances, published, employment) and :func:`conform`;
* :mod:`hilir.schema.iotable` - :class:`IOTable`, the input-output table every IO reader returns.
"""

from __future__ import annotations

from hilir.schema.iotable import IOTable
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
    "IOTable",
    "TableSpec",
    "conform",
    "empty",
]
