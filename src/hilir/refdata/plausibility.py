"""The thresholds of the plausibility checks (``hilir/refdata/plausibility.csv``), read once.

One reader for every user of the table: the brief's gate (:mod:`hilir.brief.gate`), the
scenario scale check (:mod:`hilir.value`) and the direct-jobs check (:mod:`hilir.jobs`).
The rows, their rules and sources are documented in ``refdata/README.md``.
"""

from __future__ import annotations

from functools import cache

from hilir.errors import HilirDataError
from hilir.refdata import read_refdata, refdata_label

__all__ = ["optional_threshold", "threshold", "thresholds"]

_FILE = "plausibility.csv"


@cache
def thresholds() -> dict[str, float]:
    """Every threshold: parameter -> value (a number in the row's unit).

    Raises
    ------
    HilirDataError
        A parameter listed twice or a value that is not a number (file, row and column).
    """
    df = read_refdata(_FILE, ["check", "parameter", "value"])
    out: dict[str, float] = {}
    for _, row in df.iterrows():
        name = row["parameter"].strip()
        if name in out:
            raise HilirDataError(
                f"parameter {name!r} is listed twice",
                path=refdata_label(_FILE),
                row=int(row["_row"]),
                column="parameter",
            )
        try:
            out[name] = float(row["value"])
        except ValueError:
            raise HilirDataError(
                f"threshold {row['value']!r} of {name!r} is not a number",
                path=refdata_label(_FILE),
                row=int(row["_row"]),
                column="value",
            ) from None
    return out


def threshold(parameter: str) -> float:
    """One threshold, e.g. ``threshold("max_scale_ratio")``.

    Raises
    ------
    HilirDataError
        An unknown parameter (naming the known ones).
    """
    table = thresholds()
    if parameter not in table:
        raise HilirDataError(
            f"no threshold {parameter!r} (known: {sorted(table)})", path=refdata_label(_FILE)
        )
    return table[parameter]


def optional_threshold(parameter: str) -> float | None:
    """A threshold that may be absent (a provincial minimum wage no source gave): or None."""
    return thresholds().get(parameter)
