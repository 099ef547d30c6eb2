"""The Dask path of the BACI reader: same rows as read_baci, many files, store, located errors."""

from __future__ import annotations

import pickle
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")

import dask  # noqa: E402

from hilir.errors import HilirDataError, HilirOptionError  # noqa: E402
from hilir.schema.tables import TRADE  # noqa: E402
from hilir.sources.baci import read_baci  # noqa: E402
from hilir.sources.baci_dask import INSTALL_HINT, read_baci_dask  # noqa: E402
from hilir.sources.bulk_scan import write_store  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::hilir.errors.HilirDataWarning")

YEARS = (2017, 2018, 2019)
KEY = ["year", "reporter", "partner", "hs_code"]


@pytest.fixture(scope="module")
def client():
    # threads, not processes: starts in half a second; the errors' pickling is tested apart
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        c = distributed.Client(cluster)  # not `with`: that would pin it as the current client
        try:
            yield c
        finally:
            c.close()


@pytest.fixture(scope="module")
def text() -> str:
    fixture = Path(__file__).parent / "fixtures" / "baci" / "BACI_HS17_Y2019_V202401.csv"
    return fixture.read_text(encoding="utf-8")


@pytest.fixture
def yearly(tmp_path, text) -> list[Path]:
    """Three yearly files of one release (the fixture with its year changed)."""
    out = []
    for year in YEARS:
        path = tmp_path / f"BACI_HS17_Y{year}_V202401.csv"
        path.write_text(text.replace("2019,", f"{year},"), encoding="utf-8")
        out.append(path)
    return out


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(KEY).reset_index(drop=True)


def _single(paths, **filters) -> pd.DataFrame:
    return pd.concat([read_baci(p, store=False, **filters) for p in paths], ignore_index=True)


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"exporters": ["IDN"], "hs_prefixes": ["7202", "2604"]},
        {"partners": ["CHN", "USA"], "years": [2018, 2019]},
    ],
)
def test_same_rows_as_read_baci_file_by_file(client, yearly, filters):
    ddf = read_baci_dask(yearly, store=False, **filters)
    assert isinstance(ddf, dd.DataFrame) and ddf.npartitions == len(yearly)
    assert list(ddf.columns) == TRADE.names
    assert ddf.dtypes.to_dict() == _single(yearly[:1], **filters).dtypes.to_dict()
    got = ddf.compute()
    want = _single(yearly, **filters)
    assert len(got) > 0
    # file after file, in each file's order
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want)


def test_glob_and_release_zip(client, yearly, tmp_path):
    want = _single(yearly, exporters=["IDN"])
    pattern = str(tmp_path / "BACI_HS17_Y*_V202401.csv")
    got = read_baci_dask(pattern, exporters=["IDN"], store=False).compute()
    pd.testing.assert_frame_equal(_sorted(got), _sorted(want))
    archive = tmp_path / "BACI_HS17_V202401.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in yearly:
            z.write(p, p.name)
        z.writestr("country_codes_V202401.csv", "country_code,country_iso3\n360,IDN\n")
    ddf = read_baci_dask(archive, exporters=["IDN"])
    assert ddf.npartitions == len(YEARS)  # one task per yearly member
    pd.testing.assert_frame_equal(_sorted(ddf.compute()), _sorted(want))


def test_store_folder_with_pushdown(client, yearly, tmp_path, text):
    archive = tmp_path / "BACI_HS17_V202401.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in yearly:
            z.write(p, p.name)
    store = write_store(archive, tmp_path / "store")
    ddf = read_baci_dask(store)
    assert ddf.npartitions == len(YEARS)  # one task per year folder
    pd.testing.assert_frame_equal(_sorted(ddf.compute()), _sorted(_single(yearly)))
    filters = {"exporters": ["IDN"], "hs_prefixes": ["7202"], "years": [2018]}
    ddf = read_baci_dask(store, **filters)
    assert ddf.npartitions == 1  # the year filter chose the folder
    got = ddf.compute()
    assert len(got) > 0 and set(got["year"]) == {2018}
    pd.testing.assert_frame_equal(_sorted(got), _sorted(_single(yearly, **filters)))


def test_bad_cell_in_a_store_names_the_parquet_file_row_and_column(client, yearly, tmp_path):
    import polars as pl

    store = write_store(yearly[2], tmp_path / "store")
    part = next(store.glob("year=2019/exporter=360/*.parquet"))
    second = pl.int_range(pl.len()) == 1
    frame = pl.read_parquet(part).with_columns(v=pl.when(second).then(-5.0).otherwise("v"))
    frame.write_parquet(part)
    with pytest.raises(HilirDataError, match="negative") as err:
        read_baci_dask(store).compute()
    assert (err.value.path, err.value.row, err.value.column) == (str(part), 2, "v")


def test_zip_with_a_current_copy_reads_its_years(client, yearly, tmp_path, monkeypatch):
    monkeypatch.setenv("HILIR_DATA_DIR", str(tmp_path / "data"))
    archive = tmp_path / "BACI_HS17_V202401.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in yearly:
            z.write(p, p.name)
    want = _single(yearly, partners=["CHN"])
    read_baci_dask(archive, partners=["CHN"], store=True).compute()  # one task, writes it
    ddf = read_baci_dask(archive, partners=["CHN"])
    assert ddf.npartitions == len(YEARS)
    pd.testing.assert_frame_equal(_sorted(ddf.compute()), _sorted(want))


def test_store_option_gives_each_file_its_own_copy(client, yearly, tmp_path):
    want = _single(yearly, exporters=["IDN"])
    folder = tmp_path / "copies"
    got = read_baci_dask(yearly, exporters=["IDN"], store=folder).compute()
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want)
    assert all((folder / p.name / "_store.json").is_file() for p in yearly)
    again = read_baci_dask(yearly, exporters=["IDN"], store=folder).compute()  # from Parquet
    pd.testing.assert_frame_equal(_sorted(again), _sorted(want))


@pytest.mark.filterwarnings("ignore:Running on a single-machine scheduler:UserWarning")
def test_without_a_client_dask_threads_compute_it(client, yearly):
    with dask.config.set(scheduler="threads"):
        got = read_baci_dask(yearly, hs_prefixes=["2604"], store=False).compute()
    pd.testing.assert_frame_equal(got.reset_index(drop=True), _single(yearly, hs_prefixes=["2604"]))


def test_bad_row_in_one_file_names_file_row_and_column(client, yearly):
    bad = yearly[1]
    bad.write_text(bad.read_text().replace(",0.135,", ",1O97,"), encoding="utf-8")
    ddf = read_baci_dask(yearly, exporters=["IDN"], store=False)  # lazy: nothing read yet
    with pytest.raises(HilirDataError, match="not a number") as err:
        ddf.compute()
    # line 8 is France's export: not asked for, still checked, as read_baci does
    assert (err.value.path, err.value.row, err.value.column) == (str(bad), 8, "v")
    # the error crosses process boundaries whole (workers in other processes pickle it)
    again = pickle.loads(pickle.dumps(err.value))
    assert (again.path, again.row, again.column, str(again)) == (
        str(bad),
        8,
        "v",
        str(err.value),
    )


def test_bad_zip_member_names_the_archive_and_member(client, yearly, tmp_path):
    archive = tmp_path / "BACI_HS17_V202401.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in yearly:
            z.writestr(
                p.name,
                p.read_text().replace(",0.135,", ",-0.135,") if p == yearly[2] else p.read_text(),
            )
    with pytest.raises(HilirDataError, match="negative") as err:
        read_baci_dask(archive).compute()
    assert err.value.path == f"{archive}!{yearly[2].name}"
    assert (err.value.row, err.value.column) == (8, "v")


def test_scheduler_address_and_client(client, yearly):
    want = _single(yearly[:1])
    address = client.scheduler.address
    with dask.config.set(scheduler="sync"):  # restored afterwards
        ddf = read_baci_dask(yearly[0], client=client, store=False)
        pd.testing.assert_frame_equal(ddf.compute().reset_index(drop=True), want)
    made = None
    try:
        ddf = read_baci_dask(yearly[0], scheduler=address, store=False)
        made = distributed.default_client()
        assert made is not client and made.scheduler.address == address
        pd.testing.assert_frame_equal(ddf.compute().reset_index(drop=True), want)
    finally:
        if made is not None and made is not client:
            made.close()
    with pytest.raises(HilirOptionError, match="not both"):
        read_baci_dask(yearly[0], client=client, scheduler=address)


def test_bad_options_are_refused_before_any_task(yearly, tmp_path):
    with pytest.raises(HilirOptionError, match="no file matches"):
        read_baci_dask(str(tmp_path / "nothing_*.csv"))
    with pytest.raises(HilirOptionError, match="not found"):
        read_baci_dask(tmp_path / "missing.csv")
    with pytest.raises(HilirOptionError, match="1 to 6 digits"):
        read_baci_dask(yearly, hs_prefixes=["09x"])
    with pytest.raises(HilirOptionError, match="store folder"):
        read_baci_dask(tmp_path)


def test_missing_dask_says_how_to_install(monkeypatch, yearly):
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    with pytest.raises(ImportError, match=r"pip install 'hilir\[dask\]'") as err:
        read_baci_dask(yearly)
    assert str(err.value) == INSTALL_HINT


def test_read_baci_engine_dask_is_read_baci_dask(client, yearly):
    filters = {"exporters": ["IDN"], "hs_prefixes": ["7202"]}
    ddf = read_baci(yearly, engine="dask", store=False, **filters)
    assert isinstance(ddf, dd.DataFrame) and ddf.npartitions == len(yearly)
    pd.testing.assert_frame_equal(
        _sorted(ddf.compute()), _sorted(_single(yearly, **filters)), check_dtype=True
    )
    glob = str(yearly[0].parent / "BACI_HS17_Y*_V202401.csv")
    assert read_baci(glob, engine="dask", client=client, store=False).npartitions == 3


def test_read_baci_engine_options_are_checked(yearly, client):
    with pytest.raises(HilirOptionError, match="engine must be one of polars, dask"):
        read_baci(yearly[0], engine="duckdb")
    with pytest.raises(HilirOptionError, match='for several files use engine="dask"'):
        read_baci(yearly, store=False)
    with pytest.raises(HilirOptionError, match='client and scheduler are for engine="dask"'):
        read_baci(yearly[0], client=client, store=False)
