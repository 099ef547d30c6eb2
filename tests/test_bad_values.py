"""Values no source publishes are refused, with file, row and column (issue 13, item 8)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hilir.errors import HilirDataError
from hilir.schema.cells import parse_number, parse_numbers
from hilir.sources import read_pinksheet, read_published_figures


@pytest.mark.parametrize("text", ["1e400", "-1e400", "inf", "Infinity", "nan(1)"])
def test_non_finite_numbers_are_not_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="not a"):
        parse_number(text)
    frame = pd.DataFrame({"v": ["1", text], "_row": [2, 3]})
    with pytest.raises(HilirDataError) as err:
        parse_numbers(frame, "v", path="t.csv")
    assert (err.value.row, err.value.column) == (3, "v")


@pytest.mark.parametrize("year", ["4928", "1020", "2999"])
def test_a_year_no_data_can_have_is_refused(tmp_path: Path, year: str) -> None:
    path = tmp_path / "annual_long.csv"
    path.write_text(
        "year,series_name,unit,value_nominal_usd\n"
        f"2001,Palm oil,($/mt),287.5\n{year},Palm oil,($/mt),1130.6\n",
        encoding="utf-8",
    )
    with pytest.raises(HilirDataError, match=f"year {int(year)} is outside 1900-") as err:
        read_pinksheet(path)
    assert (err.value.row, err.value.column) == (3, "year")


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"])
def test_any_line_ending_with_a_quote_reads_or_names_the_problem(
    tmp_path: Path, fixtures_dir: Path, ending: str
) -> None:
    text = (fixtures_dir / "published" / "quoted_figures.csv").read_text(encoding="utf-8")
    path = tmp_path / "quoted.csv"
    path.write_bytes(ending.join(text.splitlines()).encode("utf-8"))
    shipped = read_published_figures(fixtures_dir / "published" / "quoted_figures.csv")
    assert len(read_published_figures(path)) == len(shipped)
    path.write_bytes(ending.join([*text.splitlines()[:2], 'x,"open quote']).encode("utf-8"))
    with pytest.raises(HilirDataError):
        read_published_figures(path)
