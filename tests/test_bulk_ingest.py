"""The filter-first BACI ingest: compressed files, whole-file checks, filters, Parquet store."""

from __future__ import annotations

import gzip
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.sources import bulk_scan
from hilir.sources.baci import default_store, read_baci

pytestmark = pytest.mark.filterwarnings("ignore::hilir.errors.HilirDataWarning")

FILE = "BACI_HS17_Y2019_V202401.csv"


@pytest.fixture(autouse=True, params=["whole file", "8 MB blocks", "64-byte blocks"])
def blocks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test three times: the file scanned whole, in one block, and cut into blocks of a
    line or two."""
    if request.param != "whole file":
        monkeypatch.setattr(bulk_scan, "WHOLE_BYTES", 0)
    if request.param == "64-byte blocks":
        monkeypatch.setattr(bulk_scan, "BLOCK_BYTES", 64)
        monkeypatch.setattr(bulk_scan, "STORE_BLOCK_BYTES", 64)


@pytest.fixture
def text(fixtures_dir: Path) -> str:
    return (fixtures_dir / "baci" / FILE).read_text(encoding="utf-8")


@pytest.fixture
def user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HILIR_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _write(tmp_path: Path, content: str, name: str = FILE) -> Path:
    out = tmp_path / name
    out.write_text(content, encoding="utf-8")
    return out


def _key(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(["reporter", "partner", "hs_code"]).reset_index(drop=True)


def test_gzip_and_zip_read_as_the_plain_file(tmp_path, text):
    plain = read_baci(_write(tmp_path, text), store=False)
    gz = tmp_path / (FILE + ".gz")
    gz.write_bytes(gzip.compress(text.encode()))
    archive = tmp_path / "BACI_HS17_V202401.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(FILE, text)
        z.writestr("country_codes_V202401.csv", "country_code,country_iso3\n360,IDN\n")
    pd.testing.assert_frame_equal(_key(read_baci(gz, store=False)), _key(plain))
    pd.testing.assert_frame_equal(_key(read_baci(archive, store=False)), _key(plain))


def test_cut_gzip_is_a_located_error(tmp_path, text):
    gz = tmp_path / (FILE + ".gz")
    gz.write_bytes(gzip.compress(text.encode())[:-30])
    with pytest.raises(HilirDataError, match="cut or damaged"):
        read_baci(gz, store=False)


@pytest.mark.parametrize(
    ("old", "new", "column", "match"),
    [
        (",0.135,", ",1O97,", "v", "not a number"),
        (",0.135,", ",-0.135,", "v", "negative"),
        (",0.135,", ",NA,", "v", "missing"),
        (",720260,0.135", ",7202600,0.135", "k", "6 digits"),
        (",0.001", ",x.001", "q", "not a number"),
    ],
)
def test_bad_cell_in_a_row_not_asked_for_is_still_found(tmp_path, text, old, new, column, match):
    # line 8 is France's export: the filter keeps only Indonesia's, the scan checks all lines
    path = _write(tmp_path, text.replace(old, new))
    with pytest.raises(HilirDataError, match=match) as err:
        read_baci(path, exporters=["IDN"], store=False)
    assert (err.value.row, err.value.column) == (8, column)


def test_filters_are_pushed_into_the_scan(tmp_path, text):
    path = _write(tmp_path, text)
    scan = bulk_scan.scan_baci(path, bulk_scan.Filters(exporters=frozenset({360})))
    assert scan.typed and scan.suspect == 0
    assert scan.frame["_keep"].all() and len(scan.frame) == 5
    df = read_baci(path, exporters=["IDN"], partners=["China", "USA"], years=[2019], store=False)
    assert set(df["partner"]) == {"CHN", "USA"} and set(df["reporter"]) == {"IDN"}
    assert read_baci(path, years=[2020], store=False).empty
    assert set(read_baci(path, hs_prefixes=["72"], store=False)["hs_code"]) == {"720260"}


def test_blank_lines_count_in_line_numbers(tmp_path, text):
    path = _write(tmp_path, text.replace("\n2019,76,", "\n\n2019,76,").replace(",0.135,", ",?,"))
    with pytest.raises(HilirDataError, match="not a number") as err:
        read_baci(path, store=False)
    assert (err.value.row, err.value.column) == (9, "v")
    assert len(read_baci(_write(tmp_path, text.replace("\n2019,76,", "\n\n2019,76,")))) == 7


def test_padded_na_of_an_unseen_width_falls_back_to_text(tmp_path, text, monkeypatch):
    # 560 kB: with small blocks, nine of 64 kB; the wide NA is in the last
    monkeypatch.setattr(bulk_scan, "BLOCK_BYTES", max(bulk_scan.BLOCK_BYTES, 1 << 16))
    head = text.split("\n", 1)[0]
    rows = text.split("\n")[1:]
    wide = "\n".join([head, *rows]).replace("           NA", "  NA")
    many = [f"2019,360,156,{100000 + n},1.0,2.0" for n in range(20000)]
    path = _write(tmp_path, "\n".join([head, *many, *wide.split("\n")[1:]]) + "\n")
    df = read_baci(path, exporters=["USA", "IDN"], hs_prefixes=["0901"], store=False)
    assert df["net_weight_kg"].isna().sum() == 1 and len(df) == 2


@pytest.mark.parametrize(
    ("old", "new"),
    [("2019,360,", '"2019","360",'), (",1097012.524,", ',"1,097,012.524",')],
    ids=["quoted numbers", "quoted comma"],
)
def test_quotes_past_the_head_read_as_quotes(tmp_path, text, monkeypatch, old, new):
    """The typed parse reads no quote: a quoted cell past the sniffed head (a quoted number,
    a quoted comma) fails it, and its block is read as text, quotes read, as before."""
    monkeypatch.setattr(bulk_scan, "BLOCK_BYTES", max(bulk_scan.BLOCK_BYTES, 1 << 16))
    head, *rows = text.rstrip("\n").split("\n")
    many = [f"2019,360,156,{100000 + n},1.0,2.0" for n in range(20000)]  # 560 kB
    plain = _write(tmp_path, "\n".join([head, *many, *rows]) + "\n")
    quoted = [r.replace(old, new) for r in rows]
    assert quoted != rows and '"' not in "\n".join(many)
    path = _write(tmp_path, "\n".join([head, *many, *quoted]) + "\n", name="quoted_" + FILE)
    expected = read_baci(plain, exporters=["IDN", "USA"], store=False)
    got = read_baci(path, exporters=["IDN", "USA"], store=False)
    pd.testing.assert_frame_equal(_key(got), _key(expected))
    assert len(got) == 20000 + 5


def test_parquet_store_is_written_partitioned_and_read_second(tmp_path, text, monkeypatch):
    path = _write(tmp_path, text)
    store = tmp_path / "store"
    first = read_baci(path, store=store)
    assert (store / "year=2019" / "exporter=360").is_dir()
    assert (store / "year=2019" / "exporter=251").is_dir()
    assert bulk_scan.store_is_current(store, path)

    def no_csv(*args, **kwargs):
        raise AssertionError("the CSV was read again")

    monkeypatch.setattr("hilir.sources.baci_file.scan_baci", no_csv)
    again = read_baci(path, store=store)
    pd.testing.assert_frame_equal(_key(again), _key(first))
    only = read_baci(path, store=store, exporters=["IDN"], hs_prefixes=["0901"])
    assert set(only["hs_code"]) == {"090111"} and set(only["reporter"]) == {"IDN"}
    monkeypatch.undo()
    # a changed file makes the store stale: the CSV is read (and its errors found)
    path.write_text(text.replace(",0.135,", ",-0.135,"), encoding="utf-8")
    os.utime(path, ns=(1, 1))
    assert not bulk_scan.store_is_current(store, path)
    with pytest.raises(HilirDataError, match="negative"):
        read_baci(path, store=store)
    # the old store stays as it was, and the draft written during the scan is gone
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([FILE, "store"])
    assert (store / "year=2019" / "exporter=360").is_dir()


def test_first_read_writes_the_store_in_its_one_scan(tmp_path, text, monkeypatch):
    """read_baci(store=...) reads the CSV once, and writes what write_store writes."""
    path = _write(tmp_path, text)
    reads = []
    blocks = bulk_scan._blocks

    def counted(*args, **kwargs):
        reads.append(args[0])
        return blocks(*args, **kwargs)

    monkeypatch.setattr(bulk_scan, "_blocks", counted)
    read_baci(path, store=tmp_path / "one pass")
    assert reads == [path]
    bulk_scan.write_store(path, tmp_path / "written")

    def files(store):
        return sorted(str(p.relative_to(store)) for p in store.rglob("*.parquet"))

    assert files(tmp_path / "one pass") == files(tmp_path / "written")
    for name in files(tmp_path / "written"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "one pass" / name),
            pd.read_parquet(tmp_path / "written" / name),
        )


def test_duplicate_flow_found_in_the_store_path_too(tmp_path, text):
    path = _write(tmp_path, text + "2019,360,156,260400,1.0,1.0\n")
    with pytest.raises(HilirDataError, match="twice") as err:
        read_baci(path, store=tmp_path / "store")
    assert err.value.row == 9
    assert [p.name for p in tmp_path.iterdir()] == [FILE]  # no store, no draft of one


def test_quoted_cells_are_read_but_not_stored(tmp_path, text):
    path = _write(tmp_path, text.replace(",1097012.524,", ',"1,097,012.524",'))
    df = read_baci(path, store=tmp_path / "store")
    assert df["value_usd"].max() == pytest.approx(2_206_000_250.0)
    assert [p.name for p in tmp_path.iterdir()] == [FILE]


def test_import_writes_the_store_with_the_sidecar(user_data, tmp_path, text):
    from hilir.data.importer import import_file
    from hilir.provenance.sidecar import read_sidecar

    src = _write(tmp_path, text)
    record = import_file("baci", src)
    store = default_store(record.data_path)
    assert store.parent == user_data / "bulk" / "baci"
    assert bulk_scan.store_is_current(store, record.data_path)
    copy = read_sidecar(store / bulk_scan.STORE_SIDECAR)
    assert (copy.key, copy.sha256) == (record.key, record.sha256)
    assert list(store.glob("year=2019/exporter=*/*.parquet"))
    df = read_baci(record.data_path)  # the build's read: from the store
    assert len(df) == 7


def test_import_of_a_file_the_typed_scan_cannot_read_keeps_no_store(
    user_data, tmp_path, text, monkeypatch
):
    """A padded NA past the head (read through the text parse) is imported, and not stored."""
    from hilir.data.importer import import_file

    for name in ("BLOCK_BYTES", "STORE_BLOCK_BYTES"):  # 560 kB in blocks of 64 kB at least
        monkeypatch.setattr(bulk_scan, name, max(getattr(bulk_scan, name), 1 << 16))

    head, *rows = text.rstrip("\n").split("\n")
    many = [f"2019,360,156,{100000 + n},1.0,2.0" for n in range(20000)]  # 560 kB
    wide = [r.replace("           NA", "  NA") for r in rows]
    src = _write(tmp_path, "\n".join([head, *many, *wide]) + "\n")
    record = import_file("baci", src)
    store = default_store(record.data_path)
    assert not store.exists() and not list(store.parent.glob(f".{store.name}*"))
    with pytest.raises(HilirDataError, match="only files the typed scan reads whole"):
        bulk_scan.write_store(record.data_path, tmp_path / "store")
    assert len(read_baci(record.data_path)) == 20000 + 7


_LINES = st.lists(
    st.sampled_from(["2019,360,156,90111,1.5,NA", "", "   ", "\r", "2019,4,8,720260,0.1,2"]),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(lines=_LINES, size=st.integers(1, 90), end=st.sampled_from(["", "\n"]))
def test_blocks_cut_at_line_ends_and_never_start_blank(tmp_path_factory, lines, size, end):
    """The blocks put the file back together; each later block starts with a non-blank line."""
    path = tmp_path_factory.mktemp("blocks") / "f.csv"
    data = ("t,i,j,k,v,q\n" + "\n".join(lines) + end).encode()
    path.write_bytes(data)
    blocks = list(bulk_scan._blocks(path, size))
    assert b"".join(blocks) == data
    for block in blocks[:-1]:
        assert block.endswith(b"\n")
    for block in blocks[1:]:
        assert block.split(b"\n", 1)[0].strip()


def test_row_numbers_across_blocks_with_blank_lines(tmp_path, text, monkeypatch):
    """A bad cell after blank lines at block edges is found on its own line, any block size."""
    head, *rows = text.rstrip("\n").split("\n")
    lines = [head]
    for n, row in enumerate(rows):
        lines += [row, *([""] * (n % 3)), *(["  "] if n % 2 else [])]
    bad = len(lines)  # the next line, numbered from 1
    lines += ["2019,251,156,260400,x,1.0", ""]
    path = _write(tmp_path, "\n".join(lines))
    for size in (16, 40, 64, 100, 1 << 20):
        monkeypatch.setattr(bulk_scan, "BLOCK_BYTES", size)
        with pytest.raises(HilirDataError, match="not a number") as err:
            read_baci(path, exporters=["IDN"], store=False)
        assert (err.value.row, err.value.column) == (bad + 1, "v"), size


def test_filter_baci_writes_the_rows_asked_as_a_smaller_baci_file(tmp_path, text):
    path = _write(tmp_path, text)
    out = tmp_path / "kept" / FILE
    out.parent.mkdir()
    kept = bulk_scan_filter(path, out)
    assert out.read_text(encoding="utf-8").splitlines()[0] == "t,i,j,k,v,q"
    pd.testing.assert_frame_equal(_key(read_baci(out, store=False)), _key(kept))
    asked = read_baci(path, exporters=["IDN"], hs_prefixes=["0901", "72"], store=False)
    pd.testing.assert_frame_equal(_key(kept), _key(asked))


def test_filter_baci_checks_rows_it_does_not_keep(tmp_path, text):
    path = _write(tmp_path, text.replace(",0.135,", ",-0.135,"))
    out = tmp_path / "out.csv"
    with pytest.raises(HilirDataError, match="negative") as err:
        bulk_scan_filter(path, out, label="archive.zip:" + FILE)
    assert (str(err.value.path), err.value.row, err.value.column) == (
        "archive.zip:" + FILE,
        8,
        "v",
    )
    assert not out.exists()


def bulk_scan_filter(path: Path, out: Path, **kwargs: object) -> pd.DataFrame:
    from hilir.sources.baci import filter_baci

    return filter_baci(path, out, exporters=["IDN"], hs_prefixes=["0901", "72"], **kwargs)


def test_warnings_name_the_callers_line(tmp_path, text):
    """A repaired file's warning points at the user's call, not at a line inside hilir."""
    path = _write(tmp_path, text, name="BACI_Y2019.csv")  # no HS revision; codes as numbers
    with pytest.warns(HilirDataWarning) as caught:
        read_baci(path, store=False)
    assert len(caught) == 2
    assert {w.filename for w in caught} == {__file__}


_ROW = st.tuples(
    st.sampled_from(["90111", "090111", " 090111 ", "720260", "0901", "0abcde"]),
    st.sampled_from(["1.5", "NA", "  NA", "NA ", "\tNA", "2"]),
)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(_ROW, min_size=1, max_size=30), crlf=st.booleans())
def test_layout_finds_every_na_width_and_leading_zero(tmp_path_factory, rows, crlf):
    """The sniffed layout: every padded NA width of the head, and zero-led six-digit codes."""
    end = "\r\n" if crlf else "\n"
    lines = ["t,i,j,k,v,q", *(f"2019,360,156,{k},1.0,{q}" for k, q in rows)]
    path = tmp_path_factory.mktemp("layout") / "f.csv"
    path.write_text(end.join(lines) + end, encoding="utf-8")
    layout = bulk_scan._layout(path, path)
    assert set(layout.nulls) == {"NA"} | {q for _, q in rows if q.strip() == "NA"}
    led = any(len(k.strip()) == 6 and k.strip()[0] == "0" for k, _ in rows)
    assert layout.zeros_as_text == led


def test_the_progress_bar_counts_rows_and_says_when_it_stores(tmp_path, text, capsys):
    path = _write(tmp_path, text)
    read_baci(path, exporters=["IDN"], store=tmp_path / "store", progress=True)
    err = capsys.readouterr().err
    assert f"scan and store {FILE}" in err and "7 rows, 5 kept" in err  # blocks, storing
    read_baci(path, exporters=["IDN"], store=False, progress=True)
    err = capsys.readouterr().err
    assert f"scan {FILE}" in err and "scan and store" not in err
