"""Errors, atomic writes, provenance sidecars, HS helpers and the example dataset."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from hilir import HilirDataError, load_example
from hilir.fileio import atomic_write, atomic_write_text
from hilir.hs import leaf_codes, revision_for_year, revision_from_comtrade
from hilir.provenance.sidecar import (
    Provenance,
    read_sidecar,
    sha256_of,
    sidecar_path,
    verify_checksum,
    write_sidecar,
)
from hilir.schema.tables import TRADE, conform


def test_error_message_names_file_row_and_column():
    exc = HilirDataError("not a number", path="x.csv", row=7, column="Nilai (USD)")
    assert str(exc) == "file x.csv, row 7, column 'Nilai (USD)': not a number"
    assert isinstance(exc, ValueError)
    assert (exc.path, exc.row, exc.column) == ("x.csv", 7, "Nilai (USD)")


def test_atomic_write_keeps_old_file_when_writer_fails(tmp_path):
    target = tmp_path / "out.txt"
    atomic_write_text(target, "old")

    def broken(path):
        path.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, broken)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def _record(tmp_path, **changes):
    data = tmp_path / "file.csv"
    data.write_text("a,b\n1,2\n")
    rec = Provenance(
        key="k",
        file="file.csv",
        reader="comtrade",
        table="trade",
        publisher="P",
        title="T",
        url="https://example.org",
        taken_from="here",
        accessed="2026-11-28",
        licence="CC BY 4.0",
        citation="P (2026) T",
        source_label={"id": "P", "en": "P"},
        geography="IDN",
        coverage="2019",
        latest_year=2019,
        sha256=sha256_of(data),
        path=sidecar_path(data),
    )
    return dataclasses.replace(rec, **changes)


def test_sidecar_round_trip_and_checksum(tmp_path):
    rec = _record(tmp_path)
    path = write_sidecar(rec)
    back = read_sidecar(path)
    assert back.to_dict() == rec.to_dict()
    verify_checksum(back)
    (tmp_path / "file.csv").write_text("a,b\n1,3\n")
    with pytest.raises(HilirDataError, match="checksum mismatch"):
        verify_checksum(back)


def test_sidecar_missing_field_names_column(tmp_path):
    path = write_sidecar(_record(tmp_path))
    text = path.read_text().replace("licence: CC BY 4.0\n", "")
    path.write_text(text)
    with pytest.raises(HilirDataError) as err:
        read_sidecar(path)
    assert err.value.column == "licence"


def test_leaf_codes_drop_headings_reported_with_subheadings():
    assert leaf_codes(["2604", "260400", "7218", "721810", "721891", "7219"]) == {
        "260400",
        "721810",
        "721891",
        "7219",
    }


@pytest.mark.parametrize(
    ("year", "rev"), [(1989, "HS1992"), (1996, "HS1996"), (2014, "HS2012"), (2022, "HS2022")]
)
def test_revision_for_year(year, rev):
    assert revision_for_year(year) == rev


def test_comtrade_classification_codes():
    assert revision_from_comtrade("H4") == "HS2012"
    with pytest.raises(HilirDataError):
        revision_from_comtrade("S3")


def test_conform_rejects_duplicates_and_negatives_with_row():
    ex = load_example().drop(columns=["chain", "product", "stage", "preferred", "synthetic"])
    rows = pd.Series(range(2, 2 + len(ex)), index=ex.index)
    dup = pd.concat([ex, ex.iloc[[0]]], ignore_index=True)
    with pytest.raises(HilirDataError, match="duplicate key") as err:
        conform(dup, TRADE, path="f.csv")
    assert err.value.row == len(dup)
    neg = ex.copy()
    neg.loc[2, "value_usd"] = -5.0
    with pytest.raises(HilirDataError, match="negative") as err:
        conform(neg, TRADE, path="f.csv", row_numbers=rows)
    assert (err.value.row, err.value.column) == (4, "value_usd")


def test_example_is_marked_synthetic():
    ex = load_example()
    assert ex["synthetic"].all()
    assert (ex["source"] == "synthetic_example").all()
    conform(ex, TRADE)  # it is a valid tidy trade table


def test_atomic_write_uses_normal_permissions(tmp_path):
    import os

    path = atomic_write_text(tmp_path / "f.txt", "x")
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
