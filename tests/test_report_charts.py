"""The series charts (annual series, forecast, published monthly totals) and the Lampung helpers."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import hilir
from hilir import plots
from hilir.brief import lampung
from hilir.errors import HilirDataError


@pytest.fixture(scope="module")
def exports() -> pd.DataFrame:
    return hilir.load_exports(reporter="IDN")


def test_series_chart_title_data_and_source(exports: pd.DataFrame) -> None:
    from hilir.policy import trade_series

    coal = trade_series(exports, hs_code="2701")
    fig = plots.plot_series(plots.series_data({"coal": coal}), lang="en", geography="IDN")
    meta = fig.hilir
    assert (
        meta.title
        == "Indonesia's coal export value rose to US$30.5 billion in 2024, 1.3 times its 2012 level"
    )
    assert meta.subtitle == "Export value, US$ billion, 2012–2024, Indonesia"
    assert meta.source_line.startswith("Source: BPS-Statistics Indonesia")
    assert fig.hilir_data["value_usd"].tolist() == coal["value"].tolist()
    assert meta.savable


def test_series_chart_refuses_monthly_and_wrong_measure(exports: pd.DataFrame) -> None:
    monthly = pd.DataFrame(
        {"year": [2020, 2020], "month": [1, 2], "value": [1.0, 2.0], "unit": "USD", "source": "x"}
    )
    with pytest.raises(HilirDataError, match="monthly"):
        plots.series_data({"coal": monthly})
    frame = plots.series_data(
        {"coal": monthly.assign(month=pd.array([pd.NA, pd.NA], dtype="Int64"), year=[2019, 2020])}
    )
    with pytest.raises(HilirDataError, match="volume_t"):
        plots.plot_series(frame, lang="id", geography="IDN", measure="volume")


def test_forecast_chart_band_and_note(exports: pd.DataFrame) -> None:
    from hilir.policy import forecast, trade_series

    series = trade_series(exports, item_code="687")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = forecast(series, horizon=3)
    fig = plots.plot_forecast(
        result, lang="id", geography="IDN", item="pepper_mixed", sources=["faostat_idn_trade"]
    )
    data = fig.hilir_data
    assert set(data["kind"]) == {"observed", "forecast"}
    fc = data[data["kind"] == "forecast"]
    assert (fc["lower"] <= fc["value"]).all() and (fc["value"] <= fc["upper"]).all()
    assert fig.hilir.title.startswith("Proyeksi lada utuh dan bubuk Indonesia untuk")
    assert "selang prediksi 95%" in fig.hilir.note_line
    assert fig.hilir.latest_year == int(series["year"].max())


def test_monthly_totals_keep_single_months_only() -> None:
    published = hilir.load_published()
    data = lampung.monthly_totals(published)
    assert (data["region"] == "ID-LA").all()
    assert data.duplicated(["year", "month"]).sum() == 0
    oct22 = data[(data["year"] == 2022) & (data["month"] == 10)]["value_usd"]
    assert oct22.iloc[0] == pytest.approx(639.77e6)
    fig = plots.plot_monthly_totals(data, lang="en")
    assert (
        fig.hilir.title
        == "Highest monthly exports of Lampung in the data: US$639.8 million (October 2022)"
    )
    assert "hilir calculations" not in fig.hilir.source_line  # quoted as published
    with pytest.raises(HilirDataError, match="no published monthly"):
        lampung.monthly_totals(published, region="ID-JK")
    with pytest.raises(HilirDataError, match="no published monthly"):
        plots.plot_monthly_totals(data, region="ID-JK")
    with pytest.raises(HilirDataError, match="value_usd"):
        plots.plot_monthly_totals(published)  # the raw table, not the totals


def test_production_scenario_is_labelled_lampung(exports: pd.DataFrame) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = lampung.production_scenario(
            exports, hilir.load_production(), crop="coffee_robusta", year=2017, shares=[0.1, 0.2]
        )
    assert set(res["reporter"]) == {"ID-LA"} and set(res["geography"]) == {"Lampung"}
    assert "bps_lampung_prod_kabkota_2017" in res["source"].iloc[0]
    raw = res[(res["role"] == "raw") & (res["share"] == 0.2)]
    assert (raw["delta_t"] == -0.2 * 107_183.0).all()
    with pytest.raises(HilirDataError, match="years: \\[2020, 2021"):
        lampung.province_production(hilir.load_production(), crop="coffee", year=2017)
    with pytest.raises(HilirDataError, match="has no chain"):
        lampung.production_scenario(exports, hilir.load_production(), crop="tobacco",
                                    year=2017, shares=[0.1])  # fmt: skip


def test_import_example_command_really_imports(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The command the Lampung brief prints works on a copy of the BPS Lampung download."""
    from hilir.cli import main

    example = lampung.import_example("bps_lampung_prod_kabkota_2022")
    assert example["command"].startswith("hilir data import bps_production ")
    assert (example["table"]["source"] == "bps_lampung_prod_kabkota_2022").all()
    copy = tmp_path / "download" / example["file"]
    copy.parent.mkdir()
    shutil.copy(example["record"].data_path, copy)
    monkeypatch.setenv("HILIR_DATA_DIR", str(tmp_path / "data"))
    argv = example["command"].split()[1:]
    argv[argv.index(example["file"])] = str(copy)
    argv += ["--key", "user_lampung_2022"]
    assert main(argv) == 0
    assert (tmp_path / "data" / "user" / "bps_production" / example["file"]).is_file()
