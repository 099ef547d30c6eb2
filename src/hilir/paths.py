r"""Where hilir finds its shipped data and where it writes what it builds.

Shipped snapshots live in ``data/raw/`` of the repository and the brief notebooks in
``notebooks/``; a built wheel carries the same files as package data (``hilir/_data/raw`` and
``hilir/_notebooks``), so there is one copy in the repository.
Everything hilir writes (processed Parquet files, a user's imported downloads) goes under the
data folder, which is ``data/`` of the repository checkout, or the folder named by the
environment variable ``HILIR_DATA_DIR``, or, for an installed wheel, the user data folder of
the platform (:func:`platformdirs.user_data_dir`: ``~/.local/share/hilir`` or
``$XDG_DATA_HOME/hilir`` on Linux, ``~/Library/Application Support/hilir`` on macOS,
``%LOCALAPPDATA%\hilir`` on Windows).
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "HILIR_DATA_DIR"
ENV_NOTEBOOKS_DIR = "HILIR_NOTEBOOKS_DIR"

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_DIR = _PACKAGE_DIR.parent.parent


def _in_checkout() -> bool:
    return (_REPO_DIR / "pyproject.toml").is_file() and (_REPO_DIR / "data" / "raw").is_dir()


def raw_dir() -> Path:
    """Folder of the shipped raw snapshots (read-only to code).

    Returns
    -------
    pathlib.Path
        ``data/raw`` of the repository checkout, or the copy inside the installed package.
    """
    if _in_checkout():
        return _REPO_DIR / "data" / "raw"
    return _PACKAGE_DIR / "_data" / "raw"


def data_dir() -> Path:
    """Writable data folder: ``$HILIR_DATA_DIR``, else the checkout's ``data/``, else user data.

    Returns
    -------
    pathlib.Path
        The folder holding ``processed/`` and ``user/``.
    """
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    if _in_checkout():
        return _REPO_DIR / "data"
    return user_data_root()


def user_data_root() -> Path:
    """The platform's user data folder for hilir (used by an installed wheel).

    Returns
    -------
    pathlib.Path
        :func:`platformdirs.user_data_dir` for ``hilir`` (no vendor folder), e.g.
        ``~/.local/share/hilir`` on Linux (``$XDG_DATA_HOME`` is honoured).
    """
    from platformdirs import user_data_dir

    return Path(user_data_dir("hilir", appauthor=False))


def processed_dir() -> Path:
    """Folder of the built Parquet files and the data dictionary."""
    return data_dir() / "processed"


def user_dir() -> Path:
    """Folder of a user's imported downloads (git-ignored in a checkout)."""
    return data_dir() / "user"


def notebooks_dir() -> Path:
    """Folder of the brief notebooks: ``$HILIR_NOTEBOOKS_DIR``, the checkout's, or the package's.

    Returns
    -------
    pathlib.Path
        ``notebooks/`` of the repository checkout, or the copy an installed wheel carries
        (``hilir/_notebooks``).
    """
    env = os.environ.get(ENV_NOTEBOOKS_DIR)
    if env:
        return Path(env).expanduser().resolve()
    if _in_checkout() and (_REPO_DIR / "notebooks").is_dir():
        return _REPO_DIR / "notebooks"
    return _PACKAGE_DIR / "_notebooks"


def repo_dir() -> Path:
    """The repository checkout this package runs from (its ``notebooks/`` live there).

    Returns
    -------
    pathlib.Path
        Two folders above the package (``src/hilir`` -> the checkout), whether or not it is
        a checkout; callers check for the files they need.
    """
    return _REPO_DIR
