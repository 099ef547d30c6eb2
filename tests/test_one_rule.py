"""One rule per question, on the shipped data: where the retired rules disagreed, and why.

"The annual export total of a product" is answered by :func:`hilir.trade.annual_products`
everywhere (value model, overview table, narrative, market totals via
:func:`hilir.trade.product_totals`): preferred rows only, the world row where the flow has
one, else the sum of its country and residual partners, months summed. The briefs used to
add up the preferred ``WLD`` rows only, which drops a flow reported by partner alone; this
test runs that retired rule next to the kept one and lists every product-year where they
differ, so a change of data or rule that widens the gap shows here.
"""

from __future__ import annotations

import pandas as pd
import pytest

from hilir.trade import annual_products, product_totals

KEY = ["reporter", "chain", "product", "year"]


def _retired_world_rows_only(exports: pd.DataFrame) -> pd.Series:
    """The retired rule: sum of the preferred export rows with partner ``WLD``."""
    rows = exports[
        exports["preferred"] & (exports["partner"] == "WLD") & (exports["flow"] == "export")
    ]
    return rows.groupby(KEY)["value_usd"].sum()


def _disagreements(a: pd.Series, b: pd.Series) -> list[tuple]:
    both = pd.concat({"a": a, "b": b}, axis=1).fillna(0.0)
    gap = (both["a"] - both["b"]).abs() > 1e-6 * both.abs().max(axis=1).clip(lower=1.0)
    return sorted(both[gap].index.tolist())


def test_the_retired_world_row_rule_missed_one_partner_only_flow(exports) -> None:
    """Decaffeinated green coffee (HS 0901.12) in 2010: Comtrade has partner rows only.

    The retired rule counted US$0 for it; the kept rule sums its partners (US$34,485). This
    is the only product-year of the shipped data where the two rules disagree.
    """
    kept = annual_products(exports).groupby(KEY)["value_usd"].sum()
    retired = _retired_world_rows_only(exports)
    assert _disagreements(kept, retired) == [("IDN", "coffee", "coffee_green_decaf", 2010)]
    assert kept.loc[("IDN", "coffee", "coffee_green_decaf", 2010)] == pytest.approx(34_485.0)


def test_market_totals_and_value_totals_are_one_rule(exports) -> None:
    """The market analytics' one-source-per-flow totals equal the value model's totals."""
    kept = annual_products(exports).groupby(KEY)["value_usd"].sum()
    markets = product_totals(exports)
    markets = markets[markets["product"].notna()].groupby(KEY)["value_usd"].sum()
    assert _disagreements(kept, markets) == []


def test_the_overview_table_uses_the_kept_rule(exports) -> None:
    from hilir.brief.overview import chain_summary

    national = exports[exports["reporter"] == "IDN"]
    summary = chain_summary(national, chains=["coffee"], year=2010).iloc[0]
    kept = annual_products(national, chain="coffee")
    assert summary["value_usd_total"] == pytest.approx(
        kept.loc[kept["year"] == 2010, "value_usd"].sum()
    )
