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

__version__ = "0.1.0"

_LAZY = {
    "chains": "hilir.registry",
    "products": "hilir.registry",
    "load_exports": "hilir.load",
    "load_production": "hilir.load",
    "load_prices": "hilir.load",
    "load_balances": "hilir.load",
    "load_example": "hilir.example",
    "load_published": "hilir.load",
    "load_trade": "hilir.load",
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
    "load_trade",
]

if TYPE_CHECKING:  # pragma: no cover
    from hilir.example import load_example
    from hilir.load import (
        load_balances,
        load_exports,
        load_prices,
        load_production,
        load_published,
        load_trade,
    )
    from hilir.registry import chains, products


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'hilir' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
