"""BPS input-output tables as provinces publish them (issue 13, item 12).

Rounding residue such as ``-1e-11`` in a flow used to be refused as a negative flow, and
export columns coded ``305 LN`` / ``305 DN`` (luar negeri: abroad; dalam negeri: other
provinces) were ignored, after which the output check blamed the output column.
"""

from __future__ import annotations

import pytest

from hilir.errors import HilirDataError
from hilir.sources import read_bps_io

OPTIONS = {"year": 2010, "geography": "ID-LA", "scale": 1.0}


def _long(io_dir, tmp_path, transform) -> object:
    text = (io_dir / "bps_io_3sector_long.csv").read_text(encoding="utf-8")
    path = tmp_path / "io.csv"
    path.write_text(transform(text), encoding="utf-8")
    return path


def _swap(text: str, flows: dict[str, str]) -> str:
    """Replace flow cells (``"row,col": value``) of the long table."""
    out = []
    for line in text.splitlines():
        parts = line.split(",")
        key = f"{parts[0]},{parts[2]}" if len(parts) == 5 else ""
        out.append(",".join([*parts[:4], flows[key]]) if key in flows else line)
    return "\n".join(out) + "\n"


def test_rounding_residue_is_nil_and_a_real_negative_flow_is_not(io_dir, tmp_path) -> None:
    # 5 moved round a 2 x 2 square keeps every row and column total; the cell left behind
    # holds the residue -1e-11 instead of 0, as a spreadsheet's rounding writes it
    moved = {"3,1": "-1e-11", "3,2": "15", "1,2": "15", "1,1": "15"}
    table = read_bps_io(_long(io_dir, tmp_path, lambda t: _swap(t, moved)), **OPTIONS)
    assert table.Z.to_numpy().min() == 0.0
    wrong = {**moved, "3,1": "-5", "1,1": "20"}
    with pytest.raises(HilirDataError, match=r"negative intermediate flow -5\.0"):
        read_bps_io(_long(io_dir, tmp_path, lambda t: _swap(t, wrong)), **OPTIONS)


def test_export_columns_coded_ln_and_dn(io_dir, tmp_path) -> None:
    coded = _long(
        io_dir,
        tmp_path,
        lambda t: t.replace(",305,", ",305 LN,").replace(",306,", ",305 DN,"),
    )
    table = read_bps_io(coded, **OPTIONS)
    reference = read_bps_io(io_dir / "bps_io_3sector_long.csv", **OPTIONS)
    assert table.foreign_exports.sum() == reference.foreign_exports.sum() == 40
    assert table.exports.sum() == reference.exports.sum() == 70
