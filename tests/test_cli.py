"""The `hilir` command: help, chains, sources, import with clear errors and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hilir.cli import main
from hilir.provenance.sidecar import read_sidecar, sha256_of

BPS_HEADER = "Kode HS,Deskripsi HS,Negara Tujuan Ekspor,Periode,Berat (Kg),Nilai (USD)\n"


def test_help_lists_commands():
    out = subprocess.run(
        [sys.executable, "-m", "hilir.cli", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0
    for word in ("chains", "data"):
        assert word in out.stdout


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as err:
        main(["data", "import", "no_such_format", "x.csv"])
    assert err.value.code == 2


def test_chains_prints_registry(capsys):
    assert main(["chains", "--chain", "nickel", "--lang", "en", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "ferronickel" in out and "nickel_ore" in out


def test_unknown_chain_is_a_data_error(capsys):
    assert main(["chains", "--chain", "durian"]) == 1
    assert "unknown chain" in capsys.readouterr().err


def test_sources_lists_every_shipped_input(capsys):
    assert main(["data", "sources", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    for key in ("comtrade_idn_nickel_chain", "faostat_idn_trade", "wb_pinksheet_annual"):
        assert key in out


@pytest.fixture
def user_data(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("HILIR_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def test_import_valid_bps_download(user_data, capsys):
    src = user_data / "ekspor_lampung.csv"
    src.write_text(
        BPS_HEADER
        + "9011190,Robusta not roasted,Jepang,202301,19200,52800.5\n"
        + "9041110,Black pepper,Amerika Serikat,202302,1000,4100\n",
        encoding="utf-8",
    )
    digest = sha256_of(src)
    code = main(["data", "import", "bps_exports", str(src), "--option", "reporter=ID-LA"])
    assert code == 0, capsys.readouterr().err
    copy = user_data / "data" / "user" / "bps_exports" / "ekspor_lampung.csv"
    rec = read_sidecar(copy.with_name(copy.name + ".provenance.yaml"))
    assert rec.key.startswith("user_")
    assert rec.geography == "ID-LA" and rec.latest_year == 2023
    assert sha256_of(src) == digest == rec.sha256  # the user's file is never modified


def test_import_rejects_bad_file_and_writes_nothing(user_data, capsys):
    src = user_data / "bad.csv"
    src.write_text(BPS_HEADER + "9011190,Robusta,Jepang,202301,19200,lima puluh\n")
    assert main(["data", "import", "bps_exports", str(src)]) == 1
    err = capsys.readouterr().err
    assert "row 2" in err and "Nilai (USD)" in err
    assert not (user_data / "data" / "user").exists()


def _bps_download(folder: Path) -> Path:
    src = folder / "ekspor_lampung.csv"
    src.write_text(
        BPS_HEADER + "9011190,Robusta not roasted,Jepang,202301,19200,52800.5\n", encoding="utf-8"
    )
    return src


@pytest.mark.parametrize(
    ("fmt", "options", "message"),
    [
        ("bps_exports", ["reportr=ID-LA"], "has no option 'reportr'; its options: keep_port"),
        ("bps_exports", ["keep_port=maybe"], "is true or false, not 'maybe'"),
        ("bps_wide", [], "needs the option(s) hs_code: pass --option hs_code=VALUE"),
        ("ico", [], "needs the option(s) unit"),
        ("ico", ["unit=kg"], "must be one of ['t', 'thousand_60kg_bags'], not 'kg'"),
        ("bps_exports", ["reporter"], "--option takes NAME=VALUE"),
    ],
)
def test_a_wrong_option_is_a_usage_error_naming_the_valid_ones(
    user_data, capsys, fmt, options, message
):
    src = _bps_download(user_data)
    argv = ["data", "import", fmt, str(src)]
    for opt in options:
        argv += ["--option", opt]
    code = main(argv)
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert code == (1 if "NAME=VALUE" in message else 2)
    assert not (user_data / "data" / "user").exists()


def test_options_are_typed_as_the_reader_declares(user_data, capsys):
    """``keep_port=false`` is false, ``hs_prefixes=0901`` a list of one code, ``year`` a number."""
    from hilir.data.options import reader_options
    from hilir.sources import read_baci, read_destination_values

    got = reader_options(read_baci, {"hs_prefixes": "0901", "exporters": "IDN,VNM"}, reader="b")
    assert got == {"hs_prefixes": ["0901"], "exporters": ["IDN", "VNM"]}
    dest = {"year": "2020", "hs_code": "720260", "value_scale": "1e6"}
    assert reader_options(read_destination_values, dest, reader="d") == {
        "year": 2020,
        "hs_code": "720260",
        "value_scale": 1e6,
    }
    src = _bps_download(user_data)
    code = main(["data", "import", "bps_exports", str(src), "--option", "keep_port=false"])
    assert code == 0, capsys.readouterr().err
    copy = user_data / "data" / "user" / "bps_exports" / "ekspor_lampung.csv"
    assert read_sidecar(copy.with_name(copy.name + ".provenance.yaml")).reader_args == {
        "keep_port": False
    }


def test_an_import_that_reads_no_rows_fails(user_data, capsys, fixtures_dir):
    """``series=NICKEL`` of a file without that series used to import 0 rows and exit 0."""
    src = fixtures_dir / "pinksheet" / "annual_long.csv"
    code = main(["data", "import", "pinksheet", str(src), "--option", "series=NO_SUCH_SERIES"])
    err = capsys.readouterr().err
    assert code == 1 and "found no rows" in err and "NO_SUCH_SERIES" in err
    assert not (user_data / "data" / "user").exists()


def test_a_reader_that_leaves_the_pipe_gets_no_traceback(monkeypatch):
    """``hilir data sources | head``: the pipe closes early; hilir stops quietly."""
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: every write is a broken pipe
    stdout = os.fdopen(write_end, "w", buffering=1)
    monkeypatch.setattr(sys, "stdout", stdout)
    try:
        assert main(["data", "sources", "--format", "csv"]) == 1
    finally:
        monkeypatch.undo()
        stdout.close()


def test_an_unusable_data_folder_is_named_without_a_traceback(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("HILIR_DATA_DIR", str(blocker / "data"))
    assert main(["data", "build"]) == 1
    err = capsys.readouterr().err
    assert "cannot use" in err and "HILIR_DATA_DIR" in err and "Traceback" not in err
