"""Progress bars: tqdm's notebook widget in JupyterLab when ipywidgets is there, text otherwise.

``tqdm.auto`` chooses the widget bar inside a Jupyter kernel, but without ipywidgets it warns
(``TqdmWarning: IProgress not found``) the moment it is imported, which put that warning under
the first data cell of every notebook. Here ``tqdm.auto`` is used only when ipywidgets can be
imported; otherwise the plain text bar of ``tqdm.std``, with no warning.
"""

from __future__ import annotations

import importlib.util
import warnings
from typing import Any

__all__ = ["progress_bar", "tqdm_class"]


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


def progress_bar(*args: Any, **kwargs: Any) -> Any:
    """A progress bar: :func:`tqdm_class` called with tqdm's own arguments.

    Parameters
    ----------
    *args, **kwargs
        Passed to tqdm (``iterable``, ``total``, ``desc``, ``disable``, ``file``, ...).

    Returns
    -------
    tqdm.std.tqdm
        The bar (iterate over it, or call ``update``).
    """
    return tqdm_class()(*args, **kwargs)
