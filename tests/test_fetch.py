"""`hilir data fetch`: offline tests with the HTTP layer mocked by `responses`.

Each service's answer is recorded in its documented shape (tests/fixtures/fetch/README.md).
The tests check that a fetch files what the reader reads (the same path as `hilir data
import`), that requests are split under the preview's row limit, that a repeated fetch is
answered from the cache, and that a missing or refused key, an offline machine, a changed
layout and an interrupted download give clear errors and leave nothing half-written.
The live tests (`network`) are deselected by default; run them with
`HILIR_RUN_NETWORK=1 pytest -m network tests/test_fetch.py`.
"""

from __future__ import annotations

import io
import json
import os
import urllib.parse
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import requests
import responses

from hilir.cli import main
from hilir.data import fetch
from hilir.errors import HilirDataError
from hilir.fetch import HilirFetchError, HilirFetchKeyError, _http, bulk, cached_path, comtrade
from hilir.fetch import baci as baci_mod
from hilir.provenance.sidecar import read_sidecar, sha256_of

FIX = Path(__file__).parent / "fixtures"
FETCH = FIX / "fetch"
ROOT = Path(__file__).resolve().parents[1]
PREVIEW = "https://comtradeapi.un.org/public/v1/preview/C/A/HS"
BACI_URL = "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_HS17_V202401.zip"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch, request):
    """A fresh data folder, no keys (except live), no waiting between retries or calls."""
    monkeypatch.setenv("HILIR_DATA_DIR", str(tmp_path / "data"))
    if request.node.get_closest_marker("network") is None:
        monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
        monkeypatch.delenv("BPS_API_KEY", raising=False)
    monkeypatch.setattr(_http, "BACKOFF_S", 0.0)
    monkeypatch.setattr(comtrade, "MIN_INTERVAL_S", 0.0)


def _preview_records() -> list[dict]:
    return json.loads((FETCH / "comtrade_preview_2019.json").read_text())["data"]


def _comtrade_service(request):
    """The preview: the fixture's records of the period, codes, flow and partner asked."""
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(request.url).query))
    codes = set(q["cmdCode"].split(","))
    data = [
        r
        for r in _preview_records()
        if r["cmdCode"] in codes
        and r["period"] == q["period"]
        and r["flowCode"] == q["flowCode"]
        and ("partnerCode" not in q or str(r["partnerCode"]) == q["partnerCode"])
    ]
    data = data[: int(q["maxRecords"])]
    return 200, {}, json.dumps({"elapsedTime": "0.1", "count": len(data), "data": data})


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _user_files(tmp_path: Path) -> list[Path]:
    base = tmp_path / "data" / "user"
    return sorted(p for p in base.rglob("*") if p.is_file()) if base.exists() else []


# --- UN Comtrade ----------------------------------------------------------------------------


@responses.activate
def test_comtrade_preview_files_the_records_through_the_reader():
    responses.add_callback(responses.GET, PREVIEW, callback=_comtrade_service)
    result = fetch("comtrade", hs=["720260", "090111"], years=[2019], partners="all")
    assert len(result.records) == 1
    record = result.records[0]
    assert record.key.startswith("user_comtrade") and record.reader == "comtrade"
    # the sidecar names the address, the query and when; its checksum is the copy's
    side = read_sidecar(record.path)
    assert PREVIEW in side.taken_from and "UTC" in side.taken_from
    assert '"cmdCode": "720260,090111"' in side.notes
    assert side.sha256 == sha256_of(record.data_path)
    # the copy is read by read_comtrade: the world ferro-nickel row of the fixture, in USD
    from hilir.sources.comtrade import read_comtrade

    df = read_comtrade(record.data_path)
    world = df[(df["partner"] == "WLD") & (df["hs_code"] == "720260")]
    assert world["value_usd"].tolist() == [2595556910.0]
    assert set(df["hs_code"]) == {"720260", "090111"}
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(responses.calls[0].request.url).query))
    assert "partnerCode" not in q and q["reportercode"] == "360" and q["flowCode"] == "X"


@responses.activate
def test_comtrade_splits_a_full_preview_answer(monkeypatch):
    """An answer with as many records as the limit may be cut: the codes are split in halves."""
    monkeypatch.setattr(comtrade, "PREVIEW_MAX_RECORDS", 4)
    responses.add_callback(responses.GET, PREVIEW, callback=_comtrade_service)
    result = fetch("comtrade", hs=["720260", "090111"], years=[2019], partners="all")
    asked = [
        dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(c.request.url).query))["cmdCode"]
        for c in responses.calls
    ]
    assert asked == ["720260,090111", "720260", "090111"]
    from hilir.sources.comtrade import read_comtrade

    df = read_comtrade(result.records[0].data_path)
    assert len(df) == 4  # the 4 export records of the fixture, each once


@responses.activate
def test_comtrade_one_code_still_full_asks_for_a_key(monkeypatch):
    monkeypatch.setattr(comtrade, "PREVIEW_MAX_RECORDS", 2)
    responses.add_callback(responses.GET, PREVIEW, callback=_comtrade_service)
    with pytest.raises(HilirFetchError, match="COMTRADE_API_KEY"):
        fetch("comtrade", hs=["720260"], years=[2019], partners="all")


def test_comtrade_years_split_one_request_each():
    result = fetch("comtrade", chains=["coffee"], years=[2019, 2020, 2021], dry_run=True)
    assert [q.params["period"] for q in result.queries] == ["2019", "2020", "2021"]
    assert "090111" in result.queries[0].params["cmdCode"]  # the chain's codes, registry
    monthly = fetch("comtrade", hs=["0901"], years=[2023], freq="monthly", dry_run=True)
    assert len(monthly.queries) == 12 and monthly.queries[0].params["period"] == "202301"


@responses.activate
def test_a_repeated_fetch_is_answered_from_the_cache():
    responses.add_callback(responses.GET, PREVIEW, callback=_comtrade_service)
    first = fetch("comtrade", hs=["720260"], years=[2019])
    assert len(responses.calls) == 1 and first.cache_hits == 0
    again = fetch("comtrade", hs=["720260"], years=[2019])
    assert len(responses.calls) == 1 and again.cache_hits == 1
    assert again.records[0].key == first.records[0].key
    fetch("comtrade", hs=["720260"], years=[2019], refresh=True)
    assert len(responses.calls) == 2


@responses.activate
def test_comtrade_refused_key_names_the_variable_and_hides_the_key(monkeypatch, tmp_path):
    monkeypatch.setenv("COMTRADE_API_KEY", "s3cret")
    url = "https://comtradeapi.un.org/data/v1/get/C/A/HS"
    responses.add(responses.GET, url, status=401, json={"statusCode": 401})
    with pytest.raises(HilirFetchKeyError) as info:
        fetch("comtrade", hs=["0901"], years=[2023])
    assert "COMTRADE_API_KEY" in str(info.value) and "s3cret" not in str(info.value)
    assert "subscription-key=s3cret" in responses.calls[0].request.url  # sent as documented
    assert _user_files(tmp_path) == []


def test_comtrade_requests_are_those_of_comtradeapicall(monkeypatch):
    """hilir sends what the official package sends (address and parameters)."""
    pkg = pytest.importorskip("comtradeapicall")
    import urllib3

    seen = {}

    class _Resp:
        status = 200
        data = json.dumps({"count": 0, "data": []}).encode()

    def fake(self, method, url, fields=None, **kw):
        seen.update(url=url, fields=fields)
        return _Resp()

    monkeypatch.setattr(urllib3.PoolManager, "request", fake)
    pkg.previewFinalData(
        typeCode="C", freqCode="A", clCode="HS", period="2019", reporterCode=360,
        cmdCode="090111,720260", flowCode="X", partnerCode=0, partner2Code=0,
        customsCode="C00", motCode=0, maxRecords=500, format_output="JSON", includeDesc=True,
    )  # fmt: skip
    ours = fetch("comtrade", hs=["090111", "720260"], years=[2019], dry_run=True).queries[0]
    assert ours.url == seen["url"]
    sent = {k: str(v) for k, v in seen["fields"].items()}
    assert sent == {k: str(v) for k, v in ours.params.items()}


# --- errors common to every source ---------------------------------------------------------


@responses.activate
def test_offline_machine_is_a_clear_error_and_writes_nothing(tmp_path, capsys):
    responses.add(responses.GET, PREVIEW, body=requests.ConnectionError("no route to host"))
    with pytest.raises(HilirFetchError, match="online"):
        fetch("comtrade", hs=["0901"], years=[2023])
    assert len(responses.calls) == _http.RETRIES  # retried with backoff first
    assert _user_files(tmp_path) == []
    assert main(["data", "fetch", "comtrade", "--hs", "0901", "--years", "2023"]) == 3
    assert "is this machine online" in capsys.readouterr().err


@responses.activate
def test_server_errors_are_retried_then_succeed():
    responses.add(responses.GET, PREVIEW, status=503)
    responses.add_callback(responses.GET, PREVIEW, callback=_comtrade_service)
    result = fetch("comtrade", hs=["720260"], years=[2019])
    assert len(responses.calls) == 2 and result.records


@responses.activate
def test_changed_comtrade_layout_names_the_missing_field(tmp_path):
    records = [{k: v for k, v in r.items() if k != "primaryValue"} for r in _preview_records()]
    responses.add(responses.GET, PREVIEW, json={"count": 6, "data": records})
    with pytest.raises(HilirFetchError, match=r"primaryValue.*URL: https://comtradeapi"):
        fetch("comtrade", hs=["720260"], years=[2019])
    assert not [p for p in _user_files(tmp_path) if p.suffix == ".yaml"]


def test_dry_run_prints_the_requests_and_writes_nothing(tmp_path, capsys):
    with responses.RequestsMock():  # any request would fail: none is registered
        code = main(["data", "fetch", "comtrade", "--hs", "0901", "--years", "2019-2020",
                     "--dry-run"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and out.count(PREVIEW) == 2 and "period=2020" in out
    assert not (tmp_path / "data").exists()


# --- BPS -----------------------------------------------------------------------------------


def test_bps_without_a_key_exits_2(capsys):
    with pytest.raises(HilirFetchKeyError, match="BPS_API_KEY"):
        fetch("bps", years=[2023], var=9999)
    assert main(["data", "fetch", "bps", "--years", "2023", "--option", "var=9999"]) == 2
    assert "BPS_API_KEY" in capsys.readouterr().err


@responses.activate
def test_bps_answers_become_a_long_table(monkeypatch):
    monkeypatch.setenv("BPS_API_KEY", "k3y")
    base = "https://webapi.bps.go.id/v1/api/list/model/data/lang/eng/domain/1800/var/9999/th/"
    responses.add(responses.GET, base + "123/key/k3y/", body=(FETCH / "bps_var_data_2023.json")
                  .read_bytes())  # fmt: skip
    responses.add(responses.GET, base + "124/key/k3y/", body=(FETCH / "bps_not_available.json")
                  .read_bytes())  # fmt: skip
    result = fetch("bps", years=[2023, 2024], var=9999, domain=1800)
    table = pd.read_csv(result.files[-1])
    assert table[["vervar_label", "year", "value"]].values.tolist() == [
        ["Kopi", 2023, 1.5],
        ["Lada", 2023, 2.25],
    ]
    assert all("k3y" not in q.shown() for q in result.queries)


# --- bulk files: FAOSTAT, Pink Sheet, USDA ------------------------------------------------


def _faostat_zip(csv_text: str) -> bytes:
    name = "Trade_CropsLivestock_E_All_Data_(Normalized)"
    return _zip_bytes({f"{name}.csv": csv_text.encode("latin-1"), f"{name}_Flags.csv": b"x\n"})


@responses.activate
def test_faostat_keeps_the_reporter_rows_while_streaming():
    url = bulk.FAOSTAT_BASE + bulk.FAOSTAT_FILES["trade"][0]
    text = (FIX / "faostat" / "tcl_bulk_normalized.csv").read_text()
    responses.add(responses.GET, url, body=_faostat_zip(text))
    result = fetch("faostat", reporter="IDN", progress=False)
    kept = pd.read_csv(result.records[0].data_path)
    assert set(kept["Area"]) == {"Indonesia"} and len(kept) == 4  # Viet Nam, World left out
    from hilir.sources.faostat import read_faostat_trade

    df = read_faostat_trade(result.records[0].data_path, reporter="IDN")
    assert df.loc[df["flow"] == "export", "value_usd"].tolist() == [1189725 * 1000.0]


@responses.activate
def test_faostat_changed_columns_are_named_with_the_url():
    url = bulk.FAOSTAT_BASE + bulk.FAOSTAT_FILES["trade"][0]
    text = (FIX / "faostat" / "tcl_bulk_normalized.csv").read_text()
    responses.add(responses.GET, url, body=_faostat_zip(text.replace("Area Code (M49)", "M49")))
    with pytest.raises(HilirFetchError, match=r"Area Code \(M49\).*URL: https://bulks-faostat"):
        fetch("faostat", progress=False)


@responses.activate
def test_pinksheet_workbook_is_filed_as_downloaded():
    workbook = ROOT / "data" / "raw" / "pinksheet" / "CMO-Historical-Data-Annual_2024-07-02.xlsx"
    url = bulk.PINKSHEET_BASE + "CMO-Historical-Data-Annual.xlsx"
    responses.add(responses.GET, url, body=workbook.read_bytes())
    result = fetch("pinksheet", freq="annual", progress=False)
    record = result.records[0]
    assert record.reader == "pinksheet" and record.sha256 == sha256_of(workbook)


@responses.activate
def test_pinksheet_moved_page_is_a_clear_error(tmp_path):
    url = bulk.PINKSHEET_BASE + "CMO-Historical-Data-Monthly.xlsx"
    responses.add(responses.GET, url, body=b"<html>moved</html>", content_type="text/html")
    with pytest.raises(HilirFetchError, match="not a ZIP"):
        fetch("pinksheet", freq="monthly", progress=False)
    assert not [p for p in _user_files(tmp_path) if p.suffix in (".xlsx", ".yaml")]


@responses.activate
def test_usda_psd_archive_goes_through_the_psd_reader():
    csv_bytes = (FIX / "usda" / "psd_coffee_long.csv").read_bytes()
    responses.add(responses.GET, bulk.USDA_URL, body=_zip_bytes({"psd_coffee.csv": csv_bytes}))
    result = fetch("usda", progress=False)
    assert result.records[0].reader == "usda_psd"
    assert result.records[0].data_path.read_bytes() == csv_bytes


# --- BACI: large, streamed, resumable -------------------------------------------------------


def _baci_archive() -> bytes:
    data = (FIX / "baci" / "BACI_HS17_Y2019_V202401.csv").read_bytes()
    codes = (FIX / "baci" / "country_codes_V202401.csv").read_bytes()
    return _zip_bytes({"BACI_HS17_Y2019_V202401.csv": data, "country_codes_V202401.csv": codes})


@responses.activate
def test_baci_resumes_an_interrupted_download(tmp_path):
    archive = _baci_archive()
    cut = len(archive) // 3
    target = baci_mod.query(
        baci_mod.FetchRequest(source="baci", options={"version": "202401"})
    )  # fmt: skip
    dest = cached_path("baci", target, "BACI_HS17_V202401.zip")
    dest.parent.mkdir(parents=True)
    dest.with_name(dest.name + ".part").write_bytes(archive[:cut])  # left by an interruption

    def ranged(request):
        assert request.headers["Range"] == f"bytes={cut}-"
        return 206, {"Content-Length": str(len(archive) - cut)}, archive[cut:]

    responses.add_callback(responses.GET, BACI_URL, callback=ranged)
    result = fetch("baci", years=[2019], hs=["7202"], version="202401", progress=False)
    assert dest.read_bytes() == archive and not dest.with_name(dest.name + ".part").exists()
    from hilir.sources.baci import read_baci

    df = read_baci(result.records[0].data_path)
    assert set(df["reporter"]) == {"IDN"} and set(df["hs_code"]) == {"720260"}


@responses.activate
def test_baci_server_without_ranges_starts_again():
    archive = _baci_archive()
    q = baci_mod.query(baci_mod.FetchRequest(source="baci", options={"version": "202401"}))
    dest = cached_path("baci", q, "BACI_HS17_V202401.zip")
    dest.parent.mkdir(parents=True)
    dest.with_name(dest.name + ".part").write_bytes(b"garbage")
    responses.add(responses.GET, BACI_URL, body=archive)  # 200: the range was ignored
    fetch("baci", years=[2019], version="202401", progress=False)
    assert dest.read_bytes() == archive


@responses.activate
def test_baci_extract_keeps_the_exporter_and_the_unpacked_year_is_removed(tmp_path):
    responses.add(responses.GET, BACI_URL, body=_baci_archive())
    result = fetch("baci", years=[2019], version="202401", progress=False)
    extract = result.records[0].data_path
    assert extract.name == "BACI_HS17_Y2019_V202401.csv"
    lines = extract.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "t,i,j,k,v,q" and len(lines) == 6  # Indonesia's five flows
    assert all(line.split(",")[1] == "360" for line in lines[1:])
    assert not [p for p in _user_files(tmp_path) if p.name.endswith(".all.csv")]


@responses.activate
def test_baci_bad_row_of_another_exporter_is_located_in_the_archive(tmp_path):
    data = (FIX / "baci" / "BACI_HS17_Y2019_V202401.csv").read_text(encoding="utf-8")
    bad = data.replace(",0.135,", ",1O.135,")  # line 8: France's export, not kept
    responses.add(
        responses.GET, BACI_URL, body=_zip_bytes({"BACI_HS17_Y2019_V202401.csv": bad.encode()})
    )
    with pytest.raises(HilirDataError, match="not a number") as err:
        fetch("baci", years=[2019], version="202401", progress=False)
    assert str(err.value.path) == "BACI_HS17_V202401.zip:BACI_HS17_Y2019_V202401.csv"
    assert (err.value.row, err.value.column) == (8, "v")
    assert not [p for p in _user_files(tmp_path) if p.suffix in (".csv", ".yaml")]


@responses.activate
def test_an_interrupted_download_leaves_only_the_part_file(monkeypatch, tmp_path):
    archive = _baci_archive()
    responses.add(responses.GET, BACI_URL, body=archive)

    def broken(self, chunk_size=1):
        yield archive[:100]
        raise requests.ConnectionError("connection reset")

    monkeypatch.setattr(requests.Response, "iter_content", broken)
    with pytest.raises(HilirFetchError, match="resume"):
        fetch("baci", years=[2019], version="202401", progress=False)
    files = _user_files(tmp_path)
    assert [p.name.endswith(".part") for p in files] == [True]
    assert files[0].stat().st_size == 100


@responses.activate
def test_missing_file_404_says_the_service_moved_it():
    responses.add(responses.GET, bulk.USDA_URL, status=404)
    with pytest.raises(HilirFetchError, match=r"404.*--url"):
        fetch("usda", progress=False)


# --- live, one small query per source (deselected by default) ------------------------------

_live = pytest.mark.skipif(
    not os.environ.get("HILIR_RUN_NETWORK"), reason="set HILIR_RUN_NETWORK=1 to query services"
)


@pytest.mark.network
@_live
@pytest.mark.parametrize(
    "source, kwargs",
    [
        ("comtrade", {"hs": ["090111"], "years": [2022]}),
        ("pinksheet", {"freq": "annual"}),
        ("usda", {}),
        ("faostat", {"years": [2022], "chains": ["coffee"], "dataset": "production"}),
        ("bps", {"years": [2023], "var": 1955}),
        ("baci", {"years": [2022], "hs": ["0901"], "version": "202501"}),
    ],
)
def test_live_fetch(source, kwargs):
    if source == "bps" and not os.environ.get("BPS_API_KEY"):
        pytest.skip("BPS_API_KEY is not set")
    if source == "baci" and not os.environ.get("HILIR_RUN_NETWORK_LARGE"):
        pytest.skip("the BACI archive is over 1 GB: set HILIR_RUN_NETWORK_LARGE=1")
    result = fetch(source, progress=False, **kwargs)
    assert result.records or result.files


def test_usage_errors_exit_2_and_name_the_valid_choices(capsys):
    assert main(["data", "fetch", "comtrade", "--dry-run"]) == 2
    assert "--hs" in capsys.readouterr().err
    assert main(["data", "fetch", "faostat", "--option", "datset=trade", "--dry-run"]) == 2
    assert "valid: dataset" in capsys.readouterr().err
    assert main(["data", "fetch", "comtrade", "--hs", "0901", "--years", "20x3"]) == 2
    imports = fetch("comtrade", hs=["0901"], years=[2023], flow="import", dry_run=True)
    assert imports.queries[0].params["flowCode"] == "M"


@responses.activate
def test_a_refreshed_fetch_with_revised_figures_replaces_the_earlier_snapshot(tmp_path):
    """Newest vintage wins: one snapshot per query, so the build never sees a flow twice."""
    records = _preview_records()
    world = [r for r in records if r["partnerISO"] == "W00" and r["cmdCode"] == "720260"]
    revised = [{**world[0], "primaryValue": 2600000000.0, "fobvalue": 2600000000.0}]
    responses.add(responses.GET, PREVIEW, json={"count": 1, "data": world})
    responses.add(responses.GET, PREVIEW, json={"count": 1, "data": revised})
    first = fetch("comtrade", hs=["720260"], years=[2019]).records[0]
    second = fetch("comtrade", hs=["720260"], years=[2019], refresh=True).records[0]
    sidecars = list((tmp_path / "data" / "user" / "comtrade").glob("*.provenance.yaml"))
    assert [p.name for p in sidecars] == [second.path.name] and first.key == second.key
    from hilir.sources.comtrade import read_comtrade

    assert read_comtrade(second.data_path)["value_usd"].tolist() == [2600000000.0]
    assert "Replaces the snapshot fetched on" in read_sidecar(second.path).notes


@responses.activate
def test_a_hand_imported_file_of_the_same_name_is_never_replaced(tmp_path):
    from hilir.data.importer import import_file
    from hilir.errors import HilirDataError

    responses.add(responses.GET, bulk.USDA_URL, body=_zip_bytes({"psd_coffee.csv": b"x"}))
    own = tmp_path / "psd_coffee.csv"
    own.write_bytes((FIX / "usda" / "psd_coffee_wide.csv").read_bytes())
    mine = import_file("usda_psd", own)
    csv_bytes = (FIX / "usda" / "psd_coffee_long.csv").read_bytes()
    responses.replace(responses.GET, bulk.USDA_URL, body=_zip_bytes({"psd_coffee.csv": csv_bytes}))
    with pytest.raises(HilirDataError, match="imported before"):
        fetch("usda", progress=False)
    assert mine.path.exists() and mine.data_path.read_bytes() == own.read_bytes()
