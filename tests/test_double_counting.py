"""Nothing counted twice on import (issue 13, item 4).

Found by importing as a user would: the same nickel download under two names doubled 2019
(US$7.36 bn became 14.73 bn); a different download with the same file name silently replaced
the earlier one; monthly user rows were added to the shipped annual row of the same flow; two
user files with the same flows were both preferred.
"""

from __future__ import annotations

import pandas as pd
import pytest

from hilir import HilirDataWarning
from hilir.cli import main
from hilir.data.precedence import flag_preferred
from hilir.errors import HilirDataError

PREFERRED = pd.DataFrame(
    {
        "chain": ["coffee"],
        "product": [""],
        "source": ["faostat_idn_trade"],
        "year_from": pd.array([pd.NA], dtype="Int64"),
        "year_to": pd.array([pd.NA], dtype="Int64"),
        "rank": [1],
    }
)
HEADER = "Kode HS,Deskripsi HS,Negara Tujuan Ekspor,Periode,Berat (Kg),Nilai (USD)\n"


def _flows(rows: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["source", "month", "value_usd"])
    df["month"] = pd.array(df["month"], dtype="Int64")
    df = df.assign(chain="coffee", product="coffee_green", hs_code="090111", item_code="")
    return df.assign(year=2023, reporter="IDN", partner="JPN", flow="export")


def test_twelve_months_of_a_user_import_replace_the_shipped_year() -> None:
    rows = [("faostat_idn_trade", None, 1200.0)] + [("user_bps", m, 100.0) for m in range(1, 13)]
    flag = flag_preferred(_flows(rows), PREFERRED)
    assert flag.tolist() == [False] + [True] * 12


def test_some_months_beside_a_year_total_do_not_add_to_it() -> None:
    rows = [("faostat_idn_trade", None, 1200.0)] + [("user_bps", m, 100.0) for m in (1, 2)]
    with pytest.warns(HilirDataWarning, match="the year total is used"):
        flag = flag_preferred(_flows(rows), PREFERRED)
    assert flag.tolist() == [True, False, False]  # before: all three, 1,400 for 1,200


def test_two_user_imports_of_one_flow_are_an_error() -> None:
    rows = [("user_bps_a", 1, 100.0), ("user_bps_b", 1, 100.0), ("user_bps_b", 2, 90.0)]
    with pytest.raises(HilirDataError, match=r"\['user_bps_a', 'user_bps_b'\] both report 1"):
        flag_preferred(_flows(rows), PREFERRED)


@pytest.fixture
def user_data(tmp_path, monkeypatch):
    monkeypatch.setenv("HILIR_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def _download(folder, name: str, value: str):
    path = folder / name
    path.write_text(HEADER + f"9011190,Robusta,Jepang,202301,19200,{value}\n", encoding="utf-8")
    return path


def test_the_same_download_under_two_names_is_refused(user_data, capsys) -> None:
    src = _download(user_data, "ekspor.csv", "52800")
    assert main(["data", "import", "bps_exports", str(src), "--key", "first"]) == 0
    assert main(["data", "import", "bps_exports", str(src), "--key", "second"]) == 1
    assert "already imported as 'user_first'" in capsys.readouterr().err
    assert main(["data", "import", "bps_exports", str(src), "--key", "first"]) == 0  # no-op
    sidecars = list((user_data / "data" / "user").rglob("*.provenance.yaml"))
    assert len(sidecars) == 1


def test_another_download_with_the_same_name_replaces_nothing(user_data, capsys) -> None:
    first = _download(user_data, "ekspor.csv", "52800")
    assert main(["data", "import", "bps_exports", str(first)]) == 0
    copy = user_data / "data" / "user" / "bps_exports" / "ekspor.csv"
    before = copy.read_bytes()
    other = user_data / "other"
    other.mkdir()
    second = _download(other, "ekspor.csv", "99999")
    assert main(["data", "import", "bps_exports", str(second), "--key", "later"]) == 1
    assert "another download named 'ekspor.csv'" in capsys.readouterr().err
    assert copy.read_bytes() == before
