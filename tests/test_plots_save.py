"""Source lines from provenance, and saving: reproducible files, refused without provenance."""

from __future__ import annotations

import stat

import pandas as pd
import pytest
from matplotlib.figure import Figure
from PIL import Image

from hilir import load_example
from hilir import plots as P
from hilir.errors import HilirDataError
from hilir.plots import collect_sources, note_line, save_figure, source_line
from hilir.provenance.keys import split_keys
from hilir.value import stage_shares
from plots_conftest import CASES, FAO, TRADE, record, stage_frame

# --- source and note lines -----------------------------------------------------------------


def test_source_line_names_each_source_once_with_the_latest_year():
    other = record("test_trade_2", "UN Comtrade", "UN Comtrade", 2018)
    frame = pd.DataFrame({"source": ["test_trade+test_fao", "test_trade_2", None]})
    info = collect_sources([frame], [TRADE, FAO, other], records=[])
    assert info.keys == ("test_fao", "test_trade", "test_trade_2") and info.complete
    assert source_line(info, "id") == "Sumber: FAOSTAT; UN Comtrade (diolah). Data terakhir: 2020."
    assert source_line(info, "en", latest_year=2019) == (
        "Source: FAOSTAT; UN Comtrade; hilir calculations. Latest data: 2019."
    )
    assert source_line(info, "id", processed=False).startswith("Sumber: FAOSTAT; UN Comtrade.")


def test_keys_are_split_and_read_from_attrs():
    assert split_keys(["a+b", "b; c", "d,e", None, "", float("nan")]) == ["a", "b", "c", "d", "e"]
    frame = pd.DataFrame({"x": [1]})
    frame.attrs["sources"] = ["test_trade"]
    info = collect_sources([frame], [TRADE], records=[])
    assert info.keys == ("test_trade",)


def test_keys_are_looked_up_in_the_shipped_records():
    info = collect_sources([pd.DataFrame({"source": ["wb_pinksheet_annual"]})])
    assert info.complete
    assert source_line(info, "en").startswith(
        "Source: World Bank (Pink Sheet); hilir calculations."
    )


def test_unknown_and_synthetic_sources_are_named():
    info = collect_sources([pd.DataFrame({"source": ["no_such_key"]})], records=[TRADE])
    assert info.missing == ("no_such_key",) and not info.complete
    assert source_line(info, "id") == (
        "Sumber: tidak diketahui (kunci tanpa catatan asal-usul: no_such_key)."
    )
    synthetic = collect_sources([load_example()], records=[])
    assert synthetic.synthetic and not synthetic.complete
    assert "sintetis" in source_line(synthetic, "id")
    assert "synthetic" in source_line(synthetic, "en")
    assert source_line(collect_sources([pd.DataFrame({"x": [1]})], records=[]), "en") == (
        "Source: unknown (data without a provenance record)."
    )


def test_note_line_accepts_keys_mappings_and_text():
    line = note_line(
        [
            "note.uplift_range",
            {"id": "Angka sementara", "en": "Preliminary"},
            "Own note.",
            None,
            "note.uplift_range",
        ],
        "en",
    )
    assert line == ("Note: Range from low and high conversion factors. Preliminary. Own note.")
    assert note_line([], "id") == ""
    with pytest.raises(HilirDataError, match=r"note\.nothing"):
        note_line(["note.nothing"], "id")


# --- saving --------------------------------------------------------------------------------


def test_save_writes_png_and_svg_and_returns_the_paths(tmp_path):
    fig = CASES["uplift"]("id", "column")
    paths = save_figure(fig, "uplift_id", folder=tmp_path / "out")
    assert set(paths) == {"png", "svg"}
    assert paths["png"] == tmp_path / "out" / "uplift_id.png"
    for path in paths.values():
        assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o644
    with Image.open(paths["png"]) as img:
        assert img.size == (round(3.35 * 300), round(3.4 * 300))  # print resolution
        assert img.info["Title"] == fig.hilir.title
        assert "Software" not in img.info
    svg = paths["svg"].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and fig.hilir.title in svg
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "uplift_id.png",
        "uplift_id.svg",
    ]


@pytest.mark.parametrize("name", ["stage_share", "policy_event", "jobs"])
def test_same_inputs_give_the_same_bytes(name, tmp_path):
    first = save_figure(CASES[name]("en", "column"), name, folder=tmp_path / "a", dpi=100)
    second = save_figure(CASES[name]("en", "column"), name, folder=tmp_path / "b", dpi=100)
    for fmt in ("png", "svg"):
        assert first[fmt].read_bytes() == second[fmt].read_bytes(), fmt


def test_save_with_data_writes_the_annex_files(tmp_path):
    fig = CASES["regency_production"]("en", "column")
    paths = save_figure(fig, "regency", folder=tmp_path, formats=("png",), with_data=True)
    data = pd.read_csv(paths["csv"])
    assert list(data.columns) == list(fig.hilir_data.columns)
    assert len(data) == len(fig.hilir_data)
    meta = paths["json"].read_text(encoding="utf-8")
    assert fig.hilir.title in meta and "hilir tests, test_production" in meta


def test_synthetic_data_cannot_be_saved(tmp_path):
    shares = stage_shares(load_example(), chain="coffee")
    fig = P.plot_stage_share(shares, lang="en", geography="IDN")
    assert "synthetic" in fig.hilir.source_line
    with pytest.raises(HilirDataError, match="synthetic example data"):
        save_figure(fig, "synthetic", folder=tmp_path)
    assert not any(tmp_path.iterdir())


def test_data_without_a_record_cannot_be_saved(tmp_path):
    frame = stage_frame().assign(source="no_such_key")
    fig = P.plot_stage_share(frame, geography="IDN")
    with pytest.raises(HilirDataError, match=r"without a provenance record: \['no_such_key'\]"):
        save_figure(fig, "unknown", folder=tmp_path)
    fig = P.plot_stage_share(stage_frame().drop(columns="source"), geography="IDN")
    with pytest.raises(HilirDataError, match="no source keys"):
        save_figure(fig, "nokeys", folder=tmp_path)
    assert not any(tmp_path.iterdir())


def test_only_hilir_figures_with_good_names_and_formats(tmp_path):
    with pytest.raises(HilirDataError, match="not made by a hilir chart function"):
        save_figure(Figure(), "plain", folder=tmp_path)
    fig = CASES["jobs"]("id", "column")
    for name in ("", "../escape", "a b", "x/y"):
        with pytest.raises(HilirDataError, match="plain file name"):
            save_figure(fig, name, folder=tmp_path)
    with pytest.raises(HilirDataError, match="formats"):
        save_figure(fig, "jobs", folder=tmp_path, formats=("pdf",))
    assert not any(tmp_path.iterdir())


def test_notebooks_display_the_figure_once_as_png():
    fig = CASES["waterfall"]("id", "column")
    png = fig._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
