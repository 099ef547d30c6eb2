"""Edits of a fixture file's lines, for the reader tests that break one cell at a time."""

from __future__ import annotations

from collections.abc import Callable


def replace_in_line(line_no: int, old: str, new: str) -> Callable[[list[str]], list[str]]:
    """An edit that replaces ``old`` by ``new`` in line ``line_no`` (1-based) of a file's lines."""

    def mutate(lines):
        lines[line_no - 1] = lines[line_no - 1].replace(old, new)
        return lines

    return mutate
