"""Numbers, money, percentages, ranges and dates in Bahasa Indonesia and English."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hilir.errors import HilirDataError
from hilir.i18n import (
    ExchangeRate,
    axis_scale,
    compact_decimals,
    format_date,
    format_date_range,
    format_money,
    format_month,
    format_number,
    format_percent,
    format_period,
    format_points,
    format_range,
    format_ratio,
    month_name,
    month_names,
    round_half_up,
)

# --- the brief's examples ------------------------------------------------------------------


def test_examples_of_the_brief():
    assert format_money(1.2e9, lang="id") == "US$1,2 miliar"
    assert format_money(268.3e12, lang="id", currency="IDR") == "Rp268,3 triliun"
    assert format_money(1.2e9, lang="en") == "US$1.2 billion"
    assert format_percent(0.125, lang="id") == "12,5%"
    assert format_number(1234.5, lang="id", decimals=1) == "1.234,5"
    assert format_date("2022-04-28", "id") == "28 April 2022"


# --- separators ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("id", "1.234.567,89"), ("en", "1,234,567.89")],
)
def test_decimal_and_thousands_separators(lang, expected):
    assert format_number(1234567.891, lang=lang, decimals=2) == expected


def test_small_numbers_have_no_thousands_separator():
    assert format_number(999, lang="id") == "999"
    assert format_number(0.5, lang="id", decimals=2) == "0,50"
    assert format_number(0.5, lang="en", decimals=2) == "0.50"


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False), st.integers(0, 3))
def test_id_and_en_differ_only_in_separators(x, decimals):
    id_text = format_number(x, lang="id", decimals=decimals)
    en_text = format_number(x, lang="en", decimals=decimals)
    swapped = en_text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    assert id_text == swapped
    assert float(en_text.replace(",", "")) == float(round_half_up(x, decimals))


# --- rounding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (0.125, 2, "0.13"),  # half up, not banker's (0.12)
        (2.5, 0, "3"),
        (3.5, 0, "4"),
        (-2.5, 0, "-3"),  # half away from zero
        (1.005, 2, "1.01"),  # decimal as written, not binary 1.00499...
        (1234.5678, 3, "1,234.568"),
    ],
)
def test_rounding_half_away_from_zero(x, decimals, expected):
    assert format_number(x, lang="en", decimals=decimals) == expected


def test_rounding_carries_into_the_next_magnitude():
    assert format_money(999.96e6, lang="id") == "US$1,0 miliar"
    assert format_money(999.96e6, lang="en") == "US$1.0 billion"
    assert format_number(999_960, lang="en", words=True) == "1.0 million"
    assert format_number(999.7, lang="id", words=True) == "1,0 ribu"


def test_a_value_rounding_to_zero_has_no_sign():
    assert format_number(-0.004, lang="id", decimals=2) == "0,00"
    assert format_money(-0.001, lang="en") == "US$0.00"


def test_default_decimals_follow_the_magnitude():
    assert format_money(45.6e6, lang="id") == "US$45,6 juta"
    assert format_money(336.4e6, lang="id") == "US$336,4 juta"
    assert format_money(2.347, lang="en") == "US$2.35"  # unit values keep cents
    assert format_money(950, lang="en") == "US$950"


def test_compact_decimals_drop_false_precision():
    assert compact_decimals(336.4e6) == 0
    assert compact_decimals(45.6e6) == 1
    assert format_money(999.96e6, lang="en", decimals=compact_decimals(999.96e6)) == (
        "US$1 billion"
    )
    assert format_money(336.4e6, lang="id", decimals=compact_decimals(336.4e6)) == "US$336 juta"


# --- magnitude words -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "id_text", "en_text"),
    [
        (12_300, "12,3 ribu", "12.3 thousand"),
        (4.56e6, "4,6 juta", "4.6 million"),
        (7.89e9, "7,9 miliar", "7.9 billion"),
        (2.5e12, "2,5 triliun", "2.5 trillion"),
        (3.2e15, "3.200,0 triliun", "3,200.0 trillion"),  # no word above triliun
    ],
)
def test_each_magnitude_word(x, id_text, en_text):
    assert format_number(x, lang="id", words=True) == id_text
    assert format_number(x, lang="en", words=True) == en_text


def test_words_from_a_chosen_magnitude():
    assert format_number(950_000, lang="id", words=6) == "950.000"
    assert format_number(1.25e6, lang="id", words=6) == "1,3 juta"
    assert format_money(12_500, lang="id", words=6) == "US$12.500"
    assert format_money(12_500, lang="id") == "US$12,5 ribu"


def test_bad_words_option():
    with pytest.raises(HilirDataError, match="words"):
        format_number(1e6, lang="id", words=4)


# --- negatives, signs, missing -----------------------------------------------------------------


def test_negative_money_puts_the_sign_before_the_symbol():
    assert format_money(-45.6e6, lang="id") == "-US$45,6 juta"
    assert format_money(-1.2e12, lang="en", currency="IDR") == "-Rp1.2 trillion"
    assert format_number(-1234.5, lang="id", decimals=1) == "-1.234,5"


def test_signed_changes():
    assert format_money(1.2e9, lang="id", signed=True) == "+US$1,2 miliar"
    assert format_percent(0.034, lang="en", signed=True) == "+3.4%"
    assert format_percent(-0.034, lang="en", signed=True) == "-3.4%"


@pytest.mark.parametrize("missing", [None, math.nan, float("nan")])
def test_missing_values_print_as_a_dash(missing):
    assert format_number(missing, lang="id") == "–"
    assert format_money(missing, lang="en") == "–"
    assert format_percent(missing, lang="en") == "–"


def test_text_is_not_a_number():
    with pytest.raises(HilirDataError, match="not a number"):
        format_number("12", lang="id")


def test_unknown_language_and_currency():
    with pytest.raises(HilirDataError, match="lang"):
        format_number(1, lang="fr")
    with pytest.raises(HilirDataError, match="currency"):
        format_money(1, lang="id", currency="EUR")


# --- percent, points, ratios -------------------------------------------------------------------


def test_percent_of_a_share_and_of_a_percentage():
    assert format_percent(0.125, lang="en") == "12.5%"
    assert format_percent(12.5, lang="id", fraction=False) == "12,5%"
    assert format_percent(1 / 3, lang="id", decimals=0) == "33%"


def test_percentage_points_and_ratios():
    assert format_points(0.072, lang="id") == "7,2 poin persentase"
    assert format_points(0.072, lang="en") == "7.2 percentage points"
    assert format_ratio(2.46, lang="id") == "2,5 kali"
    assert format_ratio(2.46, lang="en") == "2.5 times"


# --- ranges ------------------------------------------------------------------------------------


def test_money_range_writes_symbol_and_word_once():
    assert format_range(1.2e9, 1.5e9, lang="id", kind="money") == "US$1,2–1,5 miliar"
    assert format_range(1.2e9, 1.5e9, lang="en", kind="money") == "US$1.2–1.5 billion"
    assert format_range(105e6, 336e6, lang="id", kind="money") == "US$105,0–336,0 juta"
    assert format_range(105e6, 336e6, lang="id", kind="money", decimals=0) == "US$105–336 juta"


def test_range_across_magnitudes_uses_the_larger_one():
    assert format_range(800e6, 1.2e9, lang="id", kind="money") == "US$0,8–1,2 miliar"


def test_range_whose_low_end_vanishes_is_written_in_full():
    text = format_range(4e6, 1.2e9, lang="en", kind="money")
    assert text == "US$4.0 million to US$1.2 billion"


def test_negative_ranges_are_written_in_full():
    assert (
        format_range(-0.5e9, 1.2e9, lang="id", kind="money") == "-US$0,5 miliar s.d. US$1,2 miliar"
    )
    assert format_range(-0.5e9, 1.2e9, lang="en", kind="money") == (
        "-US$0.5 billion to US$1.2 billion"
    )
    assert format_range(-0.05, 0.1, lang="en", kind="percent") == "-5.0% to 10.0%"


def test_number_and_percent_ranges():
    assert format_range(1200, 3400, lang="id") == "1.200–3.400"
    assert format_range(1200, 3400, lang="en") == "1,200–3,400"
    assert format_range(19_139, 68_074, lang="id", words=3) == "19,1–68,1 ribu"
    assert format_range(0.125, 0.15, lang="id", kind="percent") == "12,5–15,0%"
    assert format_range(2.2, 8.0, lang="en", decimals=1) == "2.2–8.0"


def test_range_rounding_and_carry():
    assert format_range(0.0, 999.97e6, lang="en", kind="money") == "US$0.0–1.0 billion"


@pytest.mark.parametrize(
    ("low", "high", "match"),
    [(2.0, 1.0, "above"), (math.nan, 1.0, "both ends"), (1.0, None, "both ends")],
)
def test_bad_ranges(low, high, match):
    with pytest.raises(HilirDataError, match=match):
        format_range(low, high, lang="id")


def test_range_kind_is_checked():
    with pytest.raises(HilirDataError, match="kind"):
        format_range(1, 2, lang="id", kind="ratio")  # type: ignore[arg-type]


# --- axis scale, exchange rate -----------------------------------------------------------------


def test_axis_scale_units():
    sc = axis_scale(2.4e9)
    assert (sc.exponent, sc.divisor) == (9, 1e9)
    assert sc.money_unit("id") == "US$ miliar"
    assert sc.money_unit("en", "IDR") == "Rp billion"
    assert axis_scale(56_054).number_unit("id", "unit.tonnes") == "ribu ton"
    assert axis_scale(800).money_unit("en") == "US$"


def test_exchange_rate_converts_and_states_its_source():
    fx = ExchangeRate(15_236.9, "Bank Indonesia (JISDOR)", "rata-rata 2023")
    assert fx.to_idr(1.2e9) == pytest.approx(1.2e9 * 15_236.9)
    assert format_money(fx.to_idr(17.6e9), lang="id", currency="IDR") == "Rp268,2 triliun"
    assert fx.note("id") == "Kurs Rp15.237 per US$, Bank Indonesia (JISDOR), rata-rata 2023"
    en = ExchangeRate(15_236.9, {"id": "Bank Indonesia", "en": "Bank Indonesia"}, "2023")
    assert en.note("en") == "Exchange rate Rp15,237 per US$, Bank Indonesia, 2023"


@pytest.mark.parametrize(
    ("rate", "source", "period"),
    [
        (0, "BI", "2023"),
        (-1, "BI", "2023"),
        (math.nan, "BI", "2023"),
        (15000, "", "2023"),
        (15000, "BI", " "),
    ],
)
def test_exchange_rate_needs_a_positive_rate_a_source_and_a_period(rate, source, period):
    with pytest.raises(HilirDataError):
        ExchangeRate(rate, source, period)


# --- dates -------------------------------------------------------------------------------------


def test_month_names_in_both_languages():
    assert month_names("id") == [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ]
    assert month_names("en")[4] == "May"
    assert month_name(8, "id", short=True) == "Agu"
    assert month_name(12, "en", short=True) == "Dec"


@pytest.mark.parametrize("month", [0, 13, 2.5, "x"])
def test_bad_months(month):
    with pytest.raises(HilirDataError, match="month"):
        month_name(month, "id")


@pytest.mark.parametrize(
    "value",
    [
        "2022-04-28",
        dt.date(2022, 4, 28),
        dt.datetime(2022, 4, 28, 13, 5),
        pd.Timestamp("2022-04-28"),
    ],
)
def test_dates_from_any_date_type(value):
    assert format_date(value, "id") == "28 April 2022"
    assert format_date(value, "en") == "28 April 2022"
    assert format_date(value, "id", short=True) == "28 Apr 2022"


def test_date_precision_never_invents_a_day():
    assert format_date("2014-01-01", "id", precision="month") == "Januari 2014"
    assert format_date("2014-01-01", "en", precision="year") == "2014"
    assert format_month(2022, 5, "id") == "Mei 2022"


def test_date_ranges_and_periods():
    assert format_date_range("2022-04-28", "2022-05-23", "id") == "28 April–23 Mei 2022"
    assert format_date_range("2022-05-01", "2022-05-23", "en") == "1–23 May 2022"
    assert format_date_range("2021-12-30", "2022-01-02", "en") == (
        "30 December 2021–2 January 2022"
    )
    assert format_period(2010, 2023) == "2010–2023"
    assert format_period(2015, 2015) == "2015"
    with pytest.raises(HilirDataError):
        format_date_range("2022-05-23", "2022-04-28", "id")
    with pytest.raises(HilirDataError):
        format_period(2023, 2010)


@pytest.mark.parametrize("bad", ["28/04/2022", pd.NaT, 20220428])
def test_bad_dates(bad):
    with pytest.raises(HilirDataError):
        format_date(bad, "id")


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(
    ("low", "high", "kind"),
    [(1.296, 1.304, "number"), (2.04e9, 2.049e9, "money"), (0.1231, 0.1234, "percent")],
)
def test_a_range_whose_ends_are_written_alike_is_written_once(lang, low, high, kind):
    """Issue 15: a chart title said "1.3-1.3 times"; a degenerate range is one value."""
    text = format_range(low, high, lang=lang, kind=kind, decimals=1)
    assert "–" not in text and "s.d." not in text and " to " not in text
    same = {"number": format_number, "money": format_money, "percent": format_percent}[kind]
    kw = {"decimals": 1}
    assert text == same(low, lang=lang, **kw)
