"""The listing commands fit a terminal by default and give everything with --format (issue 16).

``hilir chains`` printed 250 columns, ``hilir data sources`` 413 and ``hilir data summary``
115 rows of world exporters. Their default views fit 100 columns (the terminal's width when
narrower, never below 60); csv, json and markdown print every row and column.
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from hilir.cli import MAX_ROWS, main, text_table

COMMANDS = [
    ["chains"],
    ["chains", "--lang", "en"],
    ["data", "sources"],
    ["data", "sources", "--all"],
    ["data", "sources", "--overview"],
    ["data", "summary"],
]


def _run(capsys, argv: list[str]) -> str:
    assert main(argv) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def _widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("columns", [200, 100])
def test_default_view_fits_100_columns(capsys, monkeypatch, argv, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    out = _run(capsys, argv)
    assert _widest(out) <= 100, out
    assert len(out.splitlines()) > 3


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_default_view_follows_a_narrow_terminal_down_to_60(capsys, monkeypatch, argv):
    monkeypatch.setenv("COLUMNS", "72")
    assert _widest(_run(capsys, argv)) <= 72
    monkeypatch.setenv("COLUMNS", "30")
    assert _widest(_run(capsys, argv)) <= 60


def _csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def test_chains_csv_and_json_give_every_row_and_column(capsys):
    from hilir.registry.tables import chains

    table = chains()
    full = _csv(_run(capsys, ["chains", "--format", "csv"]))
    assert len(full) == len(table)
    for col in ("hs_codes", "item_codes", "factor_low", "factor_high", "factor_method"):
        assert col in full.columns
    assert full["name_id"].str.len().max() > 50  # long names whole
    records = json.loads(_run(capsys, ["chains", "--format", "json"]))
    assert len(records) == len(table) and set(records[0]) == set(full.columns)


def test_sources_csv_gives_publisher_licence_and_whole_commands(capsys):
    full = _csv(_run(capsys, ["data", "sources", "--format", "csv"]))
    for col in ("publisher", "coverage", "licence", "trust", "update", "origin", "table"):
        assert col in full.columns
    assert full["update"].str.len().max() > 100
    assert full["update"].str.startswith("hilir data fetch faostat --option dataset=").any()
    text = _run(capsys, ["data", "sources"])
    assert len([x for x in text.splitlines() if x.strip()]) >= len(full) + 1
    records = json.loads(_run(capsys, ["data", "sources", "--format", "json"]))
    assert [r["key"] for r in records] == list(full["key"])


def test_sources_overview_csv_gives_every_folder_whole(capsys):
    full = _csv(_run(capsys, ["data", "sources", "--overview", "--format", "csv"]))
    assert {"publisher", "licence", "trust"} <= set(full.columns)
    assert full["publisher"].str.len().max() > 100


def test_summary_default_view_folds_world_exporters_and_csv_lists_them(capsys):
    text = _run(capsys, ["data", "summary"])
    world = [x for x in text.splitlines() if x.startswith("comtrade_world_7218")]
    assert len(world) == 1 and "reporters" in world[0]
    full = _run(capsys, ["data", "summary", "--format", "csv"])
    trade = _csv(full.split("\n\n")[0].split("\n", 1)[1])
    assert (trade["source"] == "comtrade_world_7218").sum() > 100
    assert {"first_year", "latest_year", "preferred_rows", "value_usd_bn"} <= set(trade.columns)
    doc = json.loads(_run(capsys, ["data", "summary", "--format", "json"]))
    assert len(doc["trade"]) == len(trade) and "prices" in doc


def test_a_long_list_is_cut_with_a_count_of_the_rest():
    df = pd.DataFrame({"key": [f"k{i}" for i in range(MAX_ROWS + 7)], "n": range(MAX_ROWS + 7)})
    lines = text_table(df, width=80)
    assert len(lines) == MAX_ROWS + 2
    assert lines[-1] == "... 7 more (use --format csv)"
    assert len(text_table(df, width=80, max_rows=None)) == MAX_ROWS + 8


def test_long_text_is_cut_with_an_ellipsis_numbers_never():
    df = pd.DataFrame({"name": ["x" * 150, "short"], "value": [123456.789, 1.0]})
    lines = text_table(df, width=60)
    assert max(len(x) for x in lines) <= 60
    assert lines[1].endswith("123456.789") and "\u2026" in lines[1]


def test_sources_with_a_user_import_state_the_rule_within_the_width(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HILIR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "100")
    src = tmp_path / "ekspor_lampung.csv"
    src.write_text(
        "Kode HS,Deskripsi HS,Negara Tujuan Ekspor,Periode,Berat (Kg),Nilai (USD)\n"
        "09011190,Robusta not roasted,Jepang,202301,19200,52800.5\n",
        encoding="utf-8",
    )
    assert main(["data", "import", "bps_exports", str(src)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    out = _run(capsys, ["data", "sources"])
    assert "Rule:" in out and _widest(out) <= 100
    assert any(line.startswith("user_") for line in out.splitlines())
    assert "Rule:" not in _run(capsys, ["data", "sources", "--format", "csv"])
