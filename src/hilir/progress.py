"""Progress bars: tqdm's notebook widget in JupyterLab when ipywidgets is there, text otherwise.

``tqdm.auto`` chooses the widget bar inside a Jupyter kernel, but without ipywidgets it warns
(``TqdmWarning: IProgress not found``) the moment it is imported, which put that warning under
the first data cell of every notebook. Here ``tqdm.auto`` is used only when ipywidgets can be
imported; otherwise the plain text bar of ``tqdm.std``, with no warning.

A bar asked with ``disable=True`` is a :class:`QuietBar` that draws nothing and imports no
tqdm (about 20 ms on first use, which a short read of a bulk file would otherwise pay).
"""

from __future__ import annotations

import importlib.util
import warnings
from typing import Any

__all__ = ["QuietBar", "progress_bar", "tqdm_class"]


def _has_ipywidgets() -> bool:
    try:
        return importlib.util.find_spec("ipywidgets") is not None
    except (ImportError, ValueError):
        return False


def tqdm_class() -> type[Any]:
    """The tqdm class to use: ``tqdm.auto.tqdm`` with ipywidgets, else ``tqdm.std.tqdm``.

    Returns
    -------
    type
        A tqdm class; in a Jupyter kernel with ipywidgets installed it draws a widget.
    """
    if _has_ipywidgets():
        with warnings.catch_warnings():
            # a broken ipywidgets makes tqdm.auto fall back to text itself; keep that quiet too
            from tqdm.std import TqdmWarning

            warnings.simplefilter("ignore", TqdmWarning)
            from tqdm.auto import tqdm as auto_tqdm

        return auto_tqdm
    from tqdm.std import tqdm as std_tqdm

    return std_tqdm


class QuietBar:
    """A bar that draws nothing: the part of tqdm's interface hilir uses, as no-ops.

    Parameters
    ----------
    iterable : iterable, optional
        What iterating over the bar gives.
    *args : Any
        tqdm's other positional arguments (``desc``, ``total``, ...), ignored.
    **kwargs : Any
        tqdm's keyword arguments, ignored except ``iterable``.
    """

    def __init__(self, iterable: Any = None, *args: Any, **kwargs: Any) -> None:
        self.iterable = iterable if iterable is not None else kwargs.get("iterable")
        self.n = 0

    def __iter__(self) -> Any:
        return iter(self.iterable if self.iterable is not None else ())

    def __enter__(self) -> QuietBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: float = 1) -> None:
        """Count ``n`` more (nothing is drawn)."""
        self.n += n

    def set_postfix(self, *args: Any, **kwargs: Any) -> None:
        """Ignored."""

    def set_postfix_str(self, *args: Any, **kwargs: Any) -> None:
        """Ignored."""

    def set_description(self, *args: Any, **kwargs: Any) -> None:
        """Ignored."""

    def close(self) -> None:
        """Ignored."""


def progress_bar(*args: Any, **kwargs: Any) -> Any:
    """A progress bar: :func:`tqdm_class` called with tqdm's own arguments.

    Parameters
    ----------
    *args, **kwargs
        Passed to tqdm (``iterable``, ``total``, ``desc``, ``disable``, ``file``, ...).

    Returns
    -------
    tqdm.std.tqdm or QuietBar
        The bar (iterate over it, or call ``update``); a :class:`QuietBar` when
        ``disable=True``.
    """
    if kwargs.get("disable") is True:
        return QuietBar(*args, **kwargs)
    return tqdm_class()(*args, **kwargs)
