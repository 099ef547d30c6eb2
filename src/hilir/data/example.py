"""A tiny synthetic dataset for docstrings and tests. It must never reach a brief."""

from __future__ import annotations

import pandas as pd

SYNTHETIC_SOURCE = "synthetic_example"


def load_example() -> pd.DataFrame:
    """A four-row synthetic export table in the tidy trade layout, marked synthetic.

    The numbers are invented (round figures for easy arithmetic in examples); the column
    ``synthetic`` is ``True`` on every row and ``source`` is ``"synthetic_example"``, so the
    frame can never pass for real data: brief-building code rejects it.

    Returns
    -------
    pandas.DataFrame
        Columns of the tidy trade table (``value_usd`` in USD, ``net_weight_kg`` in kg)
        plus ``chain``, ``product``, ``stage``, ``preferred`` and ``synthetic``.

    Examples
    --------
    >>> from hilir import load_example
    >>> ex = load_example()
    >>> bool(ex["synthetic"].all())
    True
    >>> ex.groupby("stage")["value_usd"].sum().to_dict()
    {'processed': 1300000.0, 'raw': 4000000.0}
    """
    rows = [
        # year, product, stage, hs_code, value_usd, net_weight_kg
        (2019, "coffee_green", "raw", "090111", 2_000_000.0, 1_000_000.0),
        (2019, "coffee_roasted", "processed", "090121", 600_000.0, 100_000.0),
        (2020, "coffee_green", "raw", "090111", 2_000_000.0, 800_000.0),
        (2020, "coffee_roasted", "processed", "090121", 700_000.0, 120_000.0),
    ]
    df = pd.DataFrame(
        rows, columns=["year", "product", "stage", "hs_code", "value_usd", "net_weight_kg"]
    )
    df.insert(1, "month", pd.Series(pd.NA, index=df.index, dtype="Int64"))
    df.insert(2, "reporter", "IDN")
    df.insert(3, "partner", "WLD")
    df.insert(4, "partner_type", "world")
    df.insert(5, "flow", "export")
    df["hs6"] = df["hs_code"].str[:6]
    df["item_code"] = ""
    df["hs_revision"] = "HS2017"
    df["source"] = SYNTHETIC_SOURCE
    df["chain"] = "coffee"
    df["preferred"] = True
    df["synthetic"] = True
    order = [
        "year",
        "month",
        "reporter",
        "partner",
        "partner_type",
        "flow",
        "hs_code",
        "hs6",
        "item_code",
        "hs_revision",
        "value_usd",
        "net_weight_kg",
        "source",
        "chain",
        "product",
        "stage",
        "preferred",
        "synthetic",
    ]
    return df[order]
