"""Source precedence: a flow reported by two sources is counted once."""

from __future__ import annotations

import pandas as pd
import pytest

from hilir import HilirDataWarning
from hilir.data.precedence import flag_preferred

PREFERRED = pd.DataFrame(
    {
        "chain": ["coffee", "coffee"],
        "product": ["", ""],
        "source": ["faostat_idn_trade", "comtrade_idn_coffee_green"],
        "year_from": pd.array([pd.NA, pd.NA], dtype="Int64"),
        "year_to": pd.array([pd.NA, pd.NA], dtype="Int64"),
        "rank": [1, 2],
    }
)


def _rows(spec):
    df = pd.DataFrame(
        spec, columns=["source", "partner", "product", "hs_code", "item_code", "value_usd"]
    )
    df["chain"] = "coffee"
    df["year"] = 2015
    df["month"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df["reporter"] = "IDN"
    df["flow"] = "export"
    return df


def test_world_flow_reported_twice_counts_once():
    """FAOSTAT item 656 (green, incl. decaf) and Comtrade 090111 + 090112 both report 2015."""
    trade = _rows(
        [
            ("faostat_idn_trade", "WLD", "coffee_green", "", "656", 1_189_725_000.0),
            ("comtrade_idn_coffee_green", "WLD", "coffee_green", "090111", "", 1_189_551_288.0),
            ("comtrade_idn_coffee_green", "WLD", "coffee_green_decaf", "090112", "", 100_000.0),
            ("comtrade_idn_coffee_green", "DZA", "coffee_green", "090111", "", 30_145_170.0),
        ]
    )
    flag = flag_preferred(trade, PREFERRED)
    assert flag.tolist() == [True, False, False, True]
    world = trade[flag & trade["partner"].eq("WLD")]["value_usd"].sum()
    assert world == 1_189_725_000.0


def test_user_import_outranks_shipped_source():
    trade = _rows(
        [
            ("faostat_idn_trade", "WLD", "coffee_green", "", "656", 1.0),
            ("user_comtrade_mine", "WLD", "coffee_green", "090111", "", 2.0),
        ]
    )
    assert flag_preferred(trade, PREFERRED).tolist() == [False, True]


def test_equal_ranks_warn_and_stay_deterministic():
    trade = _rows(
        [
            ("b_source", "WLD", "coffee_green", "090111", "", 1.0),
            ("a_source", "WLD", "coffee_green", "090111", "", 1.0),
        ]
    )
    with pytest.warns(HilirDataWarning, match="does not rank"):
        flag = flag_preferred(trade, PREFERRED)
    assert flag.tolist() == [False, True]


def test_equal_explicit_ranks_are_complementary():
    """Pepper (FAOSTAT file 1) and nutmeg (FAOSTAT file 2) are one dataset split in two."""
    prefs = pd.DataFrame(
        {
            "chain": ["coffee", "coffee"],
            "product": ["", "coffee_roasted"],
            "source": ["faostat_idn_trade", "faostat_idn_trade_more"],
            "year_from": pd.array([pd.NA, pd.NA], dtype="Int64"),
            "year_to": pd.array([pd.NA, pd.NA], dtype="Int64"),
            "rank": [1, 1],
        }
    )
    trade = _rows(
        [
            ("faostat_idn_trade", "WLD", "coffee_green", "", "656", 1.0),
            ("faostat_idn_trade_more", "WLD", "coffee_roasted", "", "657", 2.0),
        ]
    )
    assert flag_preferred(trade, prefs).tolist() == [True, True]
