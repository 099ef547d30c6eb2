"""hilir: hilirisasi (downstream processing) analytics for Indonesia and Lampung.

What is gained, in export value and in jobs, when a raw commodity is processed at home
before it is exported? ``import hilir`` is light: pandas is imported when a function that
needs it is first called, matplotlib and statsmodels only by the modules that chart or fit.

Examples
--------
>>> import hilir
>>> reg = hilir.chains()                                  # doctest: +SKIP
>>> exports = hilir.load_exports()                        # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.version import __version__

_LAZY = {
    "chains": "hilir.registry.tables",
    "products": "hilir.registry.tables",
    "load_exports": "hilir.data.load",
    "load_production": "hilir.data.load",
    "load_prices": "hilir.data.load",
    "load_balances": "hilir.data.load",
    "load_example": "hilir.data.example",
    "load_published": "hilir.data.load",
    "load_bi_exports": "hilir.data.load",
    "load_port_exports": "hilir.data.load",
    "load_bps_destinations": "hilir.data.load",
    "load_trade": "hilir.data.load",
    "load_io_table": "hilir.data.jobs_inputs",
    "load_employment": "hilir.data.jobs_inputs",
}

__all__ = [  # noqa: RUF022 - grouped: errors, version, then the lazy public API
    "HilirDataError",
    "HilirDataWarning",
    "__version__",
    "chains",
    "products",
    "load_exports",
    "load_production",
    "load_prices",
    "load_balances",
    "load_example",
    "load_published",
    "load_bi_exports",
    "load_port_exports",
    "load_bps_destinations",
    "load_trade",
    "load_io_table",
    "load_employment",
]

if TYPE_CHECKING:  # pragma: no cover
    from hilir.data.example import load_example
    from hilir.data.jobs_inputs import load_employment, load_io_table
    from hilir.data.load import (
        load_balances,
        load_bi_exports,
        load_bps_destinations,
        load_exports,
        load_port_exports,
        load_prices,
        load_production,
        load_published,
        load_trade,
    )
    from hilir.registry.tables import chains, products


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'hilir' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
