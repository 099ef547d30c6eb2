"""Sentences that carry the briefs past the customs data: Bank Indonesia groups and ports.

Golden figures from the shipped extracts: Bank Indonesia's "Coffee bean" group (Form 18-K/A
2025, Exh. 99.D) US$808.635 m in 2020 and US$1,623.533 m in 2024 (preliminary), January-May
2025 US$914.475 m against US$367.709 m; "Tin" US$1.1 bn (2020) to US$1.4 bn (2024P), peak
US$2.4 bn in 2021. BPS exports loaded at Lampung's ports, HS 09, 2025: US$829.1 m.
"""

from __future__ import annotations

import hilir
from hilir.brief import narrative as N


def test_bank_indonesia_carries_coffee_past_the_customs_data() -> None:
    text = N.bi_extension_of(
        hilir.load_bi_exports(), lang="en", group="Coffee bean", trade_last_year=2020
    )
    assert text == (
        'According to Bank Indonesia (balance-of-payments commodity group "Coffee bean", not '
        "HS codes), which carries on after the customs data end in 2020, Indonesia's exports in "
        "this group were worth US$808.6 million in 2020 and US$1.6 billion in 2024 "
        "(preliminary), about Rp25.7 trillion at the 2024 average rate of Rp15,855 per US$, "
        'from ECB reference rates. Group "Coffee bean", January–May 2025: US$914.5 million, '
        "against US$367.7 "
        "million a year earlier (+149%; preliminary)."
    )


def test_a_group_without_customs_data_says_so_and_names_its_peak() -> None:
    text = N.bi_extension_of(hilir.load_bi_exports(), lang="id", group="Tin")
    assert "data kepabeanan yang disertakan tidak memuat rantai ini" in text
    assert "US$1,1 miliar pada 2020 dan US$1,4 miliar pada 2024 (angka sementara)" in text
    assert "; puncaknya US$2,4 miliar pada 2021" in text


def test_a_partial_group_is_marked() -> None:
    """Bank Indonesia's "Nickel" is about HS 75 (matte, unwrought nickel): ferro-nickel and
    NPI are in "Iron/steel", so the sentence says the group covers only part of the chain."""
    text = N.bi_extension_of(hilir.load_bi_exports(), lang="en", group="Nickel",
                             trade_last_year=2020)  # fmt: skip
    assert 'The Bank Indonesia group "Nickel" covers only part of the chain.' in text
    assert "US$794.4 million in 2020 and US$8.0 billion in 2024 (preliminary)" in text


def test_the_lampung_ports_table_leads_with_the_newest_year() -> None:
    from hilir.markets import lampung_ports_summary

    summary = lampung_ports_summary(hilir.load_port_exports(), lang="en")
    shown = N.show_ports(summary, lang="en")
    first = shown.iloc[0]
    assert (first["year"], first["chapter"]) == ("2025", "09 coffee, tea and spices")
    assert first["value"] == "US$829.1 million" and first["share"] == "24.2%"
    assert first["top"].startswith("Belgium (24%)")
    assert shown.attrs["labels"]["value"] == "Export value (FOB)"


def test_annual_world_prices_follow_the_one_rule_to_the_last_complete_year() -> None:
    """Published annual averages run to 2024 (Pink Sheet, May 2025); 2025 is the mean of its
    twelve months in the June 2026 monthly vintage (TSR20 US$1.77/kg); 2026 (January-May) has
    no annual price. The chart data keep both sources, one row per year."""
    from hilir import plots, value

    annual = value.annual_prices(hilir.load_prices())
    tsr = annual[annual["series"] == "RUBBER_TSR20"].set_index("year")
    assert int(tsr.index.max()) == 2025 and 2026 not in tsr.index
    assert tsr.loc[2025, "source"] == "wb_pinksheet_monthly_2026"
    assert tsr.loc[2024, "source"] == "wb_pinksheet_annual_2025"
    data = plots.world_price_data(annual, series=["RUBBER_TSR20"], years=(2000, 2025))
    assert data["year"].is_unique and data["year"].max() == 2025
    text = N.world_price_change(annual, lang="en", series="RUBBER_TSR20", year_from=2000,
                                year_to=2025)  # fmt: skip
    assert "to 1.77 USD/kg in 2025" in text and "peaked at 4.52 USD/kg in 2011" in text


def test_the_lampung_scenario_uses_the_newest_year_with_the_data_it_needs() -> None:
    """Lampung robusta production runs to 2022 (BPS Lampung regency tables) and Indonesia's
    green-coffee export unit values to 2020 (FAOSTAT): the scenario's base year is 2020, not
    the 2017 the briefs once used; with exports cut at 2015 it is 2015."""
    import pytest

    from hilir.brief import lampung
    from hilir.errors import HilirDataError

    prod, ex = hilir.load_production(), hilir.load_exports(reporter="IDN")
    assert lampung.latest_scenario_year(prod, ex, crop="coffee_robusta") == 2020
    assert lampung.latest_scenario_year(prod, ex[ex["year"] <= 2015], crop="coffee_robusta") == 2015
    with pytest.raises(HilirDataError, match="no year has both"):
        lampung.latest_scenario_year(prod, ex[ex["year"] < 2000], crop="coffee_robusta")
