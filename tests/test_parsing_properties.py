"""Properties of HS-code normalisation and number parsing (hypothesis)."""

from __future__ import annotations

import math
import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.hs import hs6_of, normalise_hs_code
from hilir.schema.cells import MISSING_TOKENS, parse_number, parse_numbers

#: Applied per test, so other test modules keep their own hypothesis settings.
fast = settings(max_examples=100, deadline=None)

# --- HS codes ---------------------------------------------------------------------------------

#: Real HS chapters are 01-97 (98 and 99 are national).
chapters = st.integers(min_value=1, max_value=99).map(lambda c: f"{c:02d}")


@st.composite
def hs_codes(draw, lengths=(2, 4, 6, 8, 10)):
    length = draw(st.sampled_from(lengths))
    rest = draw(st.text(alphabet="0123456789", min_size=length - 2, max_size=length - 2))
    return draw(chapters) + rest


def _quiet(code, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        return normalise_hs_code(code, **kwargs)


@fast
@given(hs_codes())
def test_normalised_code_is_a_fixed_point(code):
    assert normalise_hs_code(code) == (code, False)
    assert normalise_hs_code(f"  {code} ") == (code, False)


@fast
@given(hs_codes())
def test_integer_codes_round_trip_to_the_zero_padded_text(code):
    lost_zero = code.startswith("0")
    if lost_zero:
        with pytest.warns(HilirDataWarning, match="leading zero"):
            out = normalise_hs_code(int(code))
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            out = normalise_hs_code(int(code))
    assert out == (code, lost_zero)
    # Spreadsheet renderings of the same number: float, "90111.0".
    assert _quiet(float(int(code))) == (code, lost_zero)
    assert _quiet(f"{int(code)}.0") == (code, lost_zero)


@fast
@given(hs_codes(lengths=(6, 8, 10)))
def test_dotted_and_spaced_notations(code):
    dotted = f"{code[:4]}.{code[4:6]}" + (f".{code[6:]}" if len(code) > 6 else "")
    assert normalise_hs_code(dotted) == (code, False)
    assert normalise_hs_code(f"{code[:4]} {code[4:]}") == (code, False)


@fast
@given(hs_codes(lengths=(8,)))
def test_fixed_length_padding_for_national_codes(code):
    assert _quiet(int(code), length=8) == (code, code.startswith("0"))
    assert hs6_of(code) == code[:6]


@fast
@given(st.one_of(hs_codes(), st.integers(min_value=10, max_value=9_999_999_999)))
def test_normalisation_is_idempotent(value):
    try:
        once, _ = _quiet(value)
    except HilirDataError:
        return
    assert normalise_hs_code(once) == (once, False)
    assert len(once) % 2 == 0 and 2 <= len(once) <= 10
    assert once.isdigit() and not once.startswith("00")


@fast
@given(st.text(alphabet="0123456789", min_size=11, max_size=14).filter(lambda s: s[0] != "0"))
def test_too_long_codes_are_rejected(text):
    with pytest.raises(HilirDataError):
        normalise_hs_code(text)


@fast
@given(hs_codes(lengths=(6,)), st.sampled_from(["A", "x", "/", "#"]))
def test_codes_with_letters_are_rejected(code, bad):
    with pytest.raises(HilirDataError, match="digits"):
        normalise_hs_code(code[:3] + bad + code[3:])


@fast
@given(st.integers(min_value=1, max_value=9_999))
def test_numbers_that_lost_more_than_one_digit_are_rejected_at_fixed_length(number):
    # 8-digit national codes: an int below 1,000,000 would be chapter 00.
    with pytest.raises(HilirDataError, match="chapter 00"):
        _quiet(number, length=8)


def test_missing_and_signed_codes_are_rejected():
    for bad in (None, pd.NA, float("nan"), "", "-90111", -90111, 9011.5):
        with pytest.raises(HilirDataError):
            normalise_hs_code(bad)


# --- numbers ---------------------------------------------------------------------------------

amounts = st.decimals(
    min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False
).map(float)
signs = st.sampled_from([1.0, -1.0])


def _english(x: float, places: int = 2) -> str:
    return f"{x:,.{places}f}"


def _indonesian(x: float, places: int = 2) -> str:
    return _english(x, places).replace(",", "_").replace(".", ",").replace("_", ".")


@fast
@given(amounts, signs)
def test_plain_numbers_round_trip(x, sign):
    value = sign * x
    assert parse_number(repr(value)) == value
    assert parse_number(repr(value), decimal=".") == value
    assert parse_number(value) == value


@fast
@given(amounts, signs)
def test_english_thousands_separators(x, sign):
    text = ("-" if sign < 0 else "") + _english(x)
    assert parse_number(text) == pytest.approx(sign * x, rel=1e-15)
    assert parse_number(text, decimal=".") == pytest.approx(sign * x, rel=1e-15)


@fast
@given(amounts, signs)
def test_indonesian_thousands_points_and_decimal_comma(x, sign):
    text = ("-" if sign < 0 else "") + _indonesian(x)
    assert parse_number(text, decimal=",") == pytest.approx(sign * x, rel=1e-15)
    # With a comma decimal part the form is unambiguous, so "auto" agrees.
    assert parse_number(text) == pytest.approx(sign * x, rel=1e-15)


@fast
@given(st.integers(min_value=1_000_000, max_value=10**12))
def test_indonesian_integers_with_two_or_more_point_groups(n):
    text = f"{n:,}".replace(",", ".")
    assert parse_number(text) == n
    assert parse_number(text, decimal=",") == n


@fast
@given(st.integers(min_value=1_000, max_value=999_999))
def test_single_point_group_is_ambiguous_and_documented(n):
    text = f"{n:,}".replace(",", ".")  # "1.234"
    assert parse_number(text, decimal=",") == n  # Indonesian reading, when asked for
    assert parse_number(text) == float(text)  # auto: a single point is a decimal point


@fast
@given(st.integers(min_value=0, max_value=999), st.integers(min_value=1, max_value=99))
def test_decimal_comma_without_grouping(units, cents):
    text = f"{units},{cents:02d}"
    assert parse_number(text) == pytest.approx(units + cents / 100)
    assert parse_number(text, decimal=",") == pytest.approx(units + cents / 100)


@fast
@given(st.integers(min_value=0, max_value=999))
def test_leading_zero_group_is_a_decimal_not_thousands(n):
    assert parse_number(f"0,{n:03d}") == pytest.approx(n / 1000)
    assert parse_number(f"0.{n:03d}") == pytest.approx(n / 1000)


@fast
@given(amounts)
def test_parentheses_mean_negative(x):
    assert parse_number(f"({_english(x)})") == pytest.approx(-x, rel=1e-15)


@fast
@given(st.sampled_from(sorted(MISSING_TOKENS)), st.sampled_from(["", " ", "  "]))
def test_missing_tokens_are_nan(token, pad):
    assert math.isnan(parse_number(pad + token + pad))
    assert math.isnan(parse_number(token.upper()))


@fast
@given(
    st.text(alphabet="abcxyz%$ ", min_size=1, max_size=6).filter(
        lambda s: s.strip().lower() not in MISSING_TOKENS and s.strip()
    )
)
def test_words_are_not_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


@fast
@given(amounts)
def test_a_comma_decimal_is_refused_when_the_point_is_the_decimal_mark(x):
    text = f"{x:.2f}".replace(".", ",")
    if "," in text and len(text.split(",")[0]) > 3:
        with pytest.raises(ValueError):
            parse_number(text, decimal=".")


@fast
@given(
    st.lists(amounts, min_size=1, max_size=20),
    st.sampled_from([1.0, 1e3, 1e6]),
    st.booleans(),
)
def test_scale_multiplies_every_value(values, scale, indonesian):
    fmt = _indonesian if indonesian else _english
    df = pd.DataFrame({"x": [fmt(v) for v in values], "_row": range(2, 2 + len(values))})
    out = parse_numbers(df, "x", path=None, decimal="," if indonesian else ".", scale=scale)
    assert out.tolist() == pytest.approx([v * scale for v in values], rel=1e-12)


@fast
@given(st.lists(amounts, min_size=1, max_size=10), st.integers(min_value=0, max_value=9))
def test_parse_numbers_names_the_row_of_the_first_bad_cell(values, where):
    cells = [_english(v) for v in values]
    where = min(where, len(cells) - 1)
    cells[where] = "12 ton"
    df = pd.DataFrame({"Nilai (USD)": cells, "_row": range(5, 5 + len(cells))})
    with pytest.raises(HilirDataError) as err:
        parse_numbers(df, "Nilai (USD)", path="f.csv")
    assert (err.value.row, err.value.column) == (5 + where, "Nilai (USD)")


# --- read_csv line numbers and field counts (examples, not properties) -----------------------


def test_read_csv_line_numbers_follow_quoted_newlines(tmp_path):
    from hilir.fileio import read_csv

    path = tmp_path / "f.csv"
    path.write_text('a,b\n1,"two\nlines"\n\n3,4,,\n')
    df = read_csv(path)
    assert df["_row"].tolist() == [2, 5]  # the blank line 4 is skipped, line 5 keeps its number
    assert df["b"].tolist() == ["two\nlines", "4"]  # empty trailing separators are dropped
    assert list(df.columns) == ["a", "b", "_row"]  # never a silent index column
    path.write_text("a,b\n1,2,3\n")
    with pytest.raises(HilirDataError, match="header has 2") as err:
        read_csv(path)
    assert err.value.row == 2


def test_conform_names_the_row_of_a_cell_it_cannot_cast():
    from hilir.schema.tables import TRADE, conform

    frame = pd.DataFrame({c: ["x", "x"] for c in TRADE.names})
    frame["year"] = [2019, "20l9"]
    frame["month"] = pd.NA
    frame["value_usd"] = [1.0, 2.0]
    frame["net_weight_kg"] = [1.0, 2.0]
    frame["hs_revision"] = pd.NA
    rows = pd.Series([7, 9])
    with pytest.raises(HilirDataError, match="int64") as err:
        conform(frame, TRADE, path="f.csv", row_numbers=rows)
    assert (err.value.row, err.value.column) == (9, "year")


_CELLS = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "\t", "\u00a0", "\u3000 ", "\x1c", "\x85", "\u200b", "IDN", " x "]),
    st.text(),
)


@fast
@given(cells=st.lists(_CELLS, max_size=12), dtype=st.sampled_from(["object", "string"]))
def test_blank_cells_are_those_pandas_strips_to_nothing(cells, dtype):
    """conform's blank test (on the Arrow array) agrees with pandas' ``str.strip() == ""``."""
    from hilir.schema.tables import _blank

    series = pd.Series(cells, dtype=dtype)
    expected = series.astype("string").str.strip().eq("").to_numpy(dtype=bool, na_value=False)
    assert _blank(series).tolist() == expected.tolist()


def test_a_cell_of_spaces_in_a_required_column_is_missing():
    from hilir.schema.tables import TRADE, conform

    frame = pd.DataFrame({c: ["x", "x"] for c in TRADE.names})
    frame["year"] = [2019, 2020]
    frame["month"] = pd.NA
    frame["value_usd"] = [1.0, 2.0]
    frame["net_weight_kg"] = [1.0, 2.0]
    frame["reporter"] = ["IDN", " \u00a0 "]
    with pytest.raises(HilirDataError, match="missing") as err:
        conform(frame, TRADE, path="f.csv", row_numbers=pd.Series([7, 9]))
    assert (err.value.row, err.value.column) == (9, "reporter")
