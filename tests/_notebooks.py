"""Tiny notebooks for the report tests: a parameters cell, analyst notes, code cells."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

#: The parameters cell of a test notebook unless told otherwise.
PARAMETERS = 'lang = "id"'


def make_notebook(
    folder: Path,
    name: str,
    *cells: str,
    parameters: str | None = PARAMETERS,
    notes: bool = True,
) -> Path:
    """Write ``folder/name.ipynb`` with a ``parameters`` cell (None: none), notes and cells."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    if parameters is not None:
        nb.cells.append(new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    if notes:
        nb.cells.append(new_markdown_cell("notes", metadata={"tags": ["analyst-only"]}))
    for src in cells:
        nb.cells.append(new_code_cell(src))
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, str(path))
    return path
