"""The shipped snapshots in data/raw: sidecars, checksums, keys, licences, README table.

Runs on the repository alone (never on the workspace's source copies): every rule here is one a
user's clone must satisfy too.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections import Counter
from pathlib import Path

import pytest

from hilir.provenance.sidecar import (
    SIDECAR_SUFFIX,
    Provenance,
    discover,
    read_sidecar,
    sha256_of,
    sidecar_path,
    verify_checksum,
)
from hilir.sources.catalog import BUILT_TABLES, READERS

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
#: Files in data/raw that are documentation, not data.
DOCS = frozenset({"README.md", "LICENSES.md"})
TRUST = frozenset({"high", "medium", "low"})
GEOGRAPHY = re.compile(r"^(WORLD|[A-Z]{3}|[A-Z]{2}-[A-Z0-9]{1,3})$")
#: The readme table's header, as generated from the sidecars.
README_HEADER = "| Folder / file | Key | Publisher | Coverage | Latest year | Licence | Trust |"


def _data_files() -> list[Path]:
    return sorted(
        p
        for p in RAW.rglob("*")
        if p.is_file()
        and not p.name.endswith(SIDECAR_SUFFIX)
        and p.name not in DOCS
        and not any(part.startswith(".") for part in p.relative_to(RAW).parts)
    )


SIDECARS = sorted(RAW.rglob("*" + SIDECAR_SUFFIX))
IDS = [p.relative_to(RAW).as_posix() for p in SIDECARS]


def _records() -> list[Provenance]:
    return [read_sidecar(p) for p in SIDECARS]


def _markdown_table(text: str, header: str) -> list[list[str]]:
    """Cells of the markdown table that starts with ``header`` (separator row skipped)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.strip().startswith("|"):
            break
        cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        rows.append([c.strip().replace("\\|", "|") for c in cells])
    return rows


def _strip_code(cell: str) -> str:
    return cell.strip().strip("`")


def test_raw_folder_has_data():
    assert len(SIDECARS) >= 40
    assert (RAW / "README.md").is_file() and (RAW / "LICENSES.md").is_file()


def test_every_data_file_has_a_sidecar():
    orphans = [
        p.relative_to(RAW).as_posix() for p in _data_files() if not sidecar_path(p).is_file()
    ]
    assert orphans == []


@pytest.mark.parametrize("sidecar", SIDECARS, ids=IDS)
def test_sidecar_is_valid_and_its_checksum_matches(sidecar):
    rec = read_sidecar(sidecar)
    verify_checksum(rec)
    assert sha256_of(rec.data_path) == rec.sha256
    assert rec.trust in TRUST
    assert GEOGRAPHY.match(rec.geography), rec.geography
    assert rec.source_label["id"].strip() and rec.source_label["en"].strip()
    dt.date.fromisoformat(rec.accessed)
    assert rec.latest_year is None or isinstance(rec.latest_year, int)
    if rec.latest_year is not None:
        assert str(rec.latest_year) in rec.coverage, "latest_year must lie in coverage"
    assert isinstance(rec.reader_args, dict)


@pytest.mark.parametrize("sidecar", SIDECARS, ids=IDS)
def test_sidecar_points_into_its_own_folder(sidecar):
    rec = read_sidecar(sidecar)
    assert "/" not in rec.file and "\\" not in rec.file and rec.file not in {"", ".", ".."}
    assert rec.data_path.resolve().parent == sidecar.resolve().parent
    assert sidecar.name == rec.file + SIDECAR_SUFFIX


@pytest.mark.parametrize("sidecar", SIDECARS, ids=IDS)
def test_sidecar_cites_the_upstream_copy_not_the_workspace(sidecar):
    """taken_from names a repository, path and commit (or a derivation), never a local folder."""
    rec = read_sidecar(sidecar)
    text = " ".join(str(v) for v in rec.to_dict().values())
    workspace = ("/work/", "/".join(("..", "shared")))
    assert not any(w in text for w in workspace)
    assert rec.url.startswith(("http://", "https://"))


def test_keys_are_unique():
    counts = Counter(rec.key for rec in _records())
    assert [k for k, n in counts.items() if n > 1] == []
    assert len(discover(RAW)) == len(SIDECARS)


@pytest.mark.parametrize("sidecar", SIDECARS, ids=IDS)
def test_reader_accepts_the_sidecar_arguments(sidecar):
    """The build calls read_<reader>(path, source=key, **reader_args); it must accept them.

    The IO tables and Sakernas are read the same way by :mod:`hilir.jobs`; reference files
    (HS nomenclature, the PPRK comparison file) have readers of their own outside the
    catalogue and are never built."""
    rec = read_sidecar(sidecar)
    if rec.reader not in READERS:
        assert rec.table not in BUILT_TABLES, f"{rec.key}: unknown reader {rec.reader!r}"
        assert rec.table in {"reference", "employment_comparison"}, rec.table
        return
    assert READERS[rec.reader].table == rec.table
    params = inspect.signature(READERS[rec.reader].function()).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return
    unknown = sorted((set(rec.reader_args) | {"source"}) - set(params))
    assert unknown == [], f"{rec.key}: {rec.reader} does not take {unknown}"


def _names_licence(licence: str, name: str) -> bool:
    """A sidecar's licence names a listed licence: equal, or the name then a remark."""
    if licence == name:
        return True
    rest = licence[len(name) :] if licence.startswith(name) else ""
    return rest[:1] in {";", ":", ","} or rest[:2] == " ("


def _licences_md() -> str:
    return (RAW / "LICENSES.md").read_text(encoding="utf-8")


def _listed_licences() -> list[str]:
    rows = _markdown_table(_licences_md(), "| Licence (how the sidecar")
    return [_strip_code(row[0]) for row in rows]


def test_names_licence_rule():
    assert _names_licence("CC BY 4.0", "CC BY 4.0")
    assert _names_licence("CC BY-NC 4.0 (compilation by Pekerti 2024)", "CC BY-NC 4.0")
    assert _names_licence("WIOD: free to use with citation", "WIOD")
    assert not _names_licence("CC BY-NC 4.0", "CC BY")
    assert not _names_licence("CC BY-NC-SA 3.0 IGO", "CC BY-NC")


@pytest.mark.parametrize("sidecar", SIDECARS, ids=IDS)
def test_licence_is_listed_in_licenses_md(sidecar):
    rec = read_sidecar(sidecar)
    listed = _listed_licences()
    assert any(_names_licence(rec.licence, name) for name in listed), (
        f"{rec.key}: licence {rec.licence!r} does not start with one of the licences in "
        "data/raw/LICENSES.md"
    )


@pytest.mark.parametrize("sidecar", SIDECARS, ids=IDS)
def test_licenses_md_says_which_licence_applies_to_the_file(sidecar):
    rec = read_sidecar(sidecar)
    rel = rec.data_path.relative_to(RAW).as_posix()
    folder = rel.split("/")[0] + "/"
    rows = _markdown_table(_licences_md(), "| Folder / file |")
    matches = [
        re.findall(r"`([^`]+)`", row[1])
        for row in rows
        if rel in re.findall(r"`([^`]+)`", row[0]) or folder in re.findall(r"`([^`]+)`", row[0])
    ]
    assert matches, f"{rel} is not in the file table of data/raw/LICENSES.md"
    assert any(_names_licence(rec.licence, name) for names in matches for name in names), (
        f"LICENSES.md gives {matches} for {rel}, its sidecar says {rec.licence!r}"
    )


def test_licenses_md_mentions_the_code_licence():
    assert "MIT" in _licences_md()


def test_readme_table_matches_the_sidecars():
    """The README table is generated from the sidecars; this catches drift either way."""
    rows = _markdown_table((RAW / "README.md").read_text(encoding="utf-8"), README_HEADER)
    table = {_strip_code(r[1]): r for r in rows}
    records = {rec.key: rec for rec in _records()}
    hint = "regenerate the table in data/raw/README.md from the sidecars"
    assert sorted(set(records) - set(table)) == [], hint
    assert sorted(set(table) - set(records)) == [], hint
    for key, rec in records.items():
        path, _, publisher, coverage, latest, licence, trust = table[key]
        assert _strip_code(path) == rec.data_path.relative_to(RAW).as_posix(), hint
        assert (publisher, coverage, licence, trust) == (
            rec.publisher,
            rec.coverage,
            rec.licence,
            rec.trust,
        ), hint
        assert latest == (str(rec.latest_year) if rec.latest_year is not None else "none stated")


def test_shipped_data_stays_small():
    total = sum(p.stat().st_size for p in _data_files())
    assert total < 6_000_000, f"data/raw holds {total:,} bytes; keep snapshots small"


def test_line_endings_are_not_converted_by_git():
    attrs = (RAW / ".gitattributes").read_text(encoding="utf-8")
    assert re.search(r"^\*\s+-text\s*$", attrs, flags=re.MULTILINE)


# --- golden checks on the shipped files (arithmetic quoted in the sidecars) -------------------


def test_ferronickel_destinations_sum_to_the_2020_total():
    """Five rows, USD million, sum 4,739.10 = Comtrade 2020 HS 720260 (4,739.11) to rounding."""
    folder = RAW / "comtrade"
    lines = (folder / "idn_ferronickel_export_destinations_musd.csv").read_text("utf-8")
    values = [float(line.rsplit(",", 1)[1]) for line in lines.splitlines()[1:]]
    assert len(values) == 5 and sum(values) == pytest.approx(4739.10)
    nickel = (folder / "idn_exports_2604_720260_7218_7219_1989_2020.csv").read_text("utf-8-sig")
    row = next(line for line in nickel.splitlines() if line.startswith("2020,720260,"))
    assert abs(float(row.split(",")[4]) / 1e6 - sum(values)) <= 0.025
    rec = read_sidecar(sidecar_path(folder / "idn_ferronickel_export_destinations_musd.csv"))
    assert rec.latest_year is None and rec.reader_args["year_inferred"] is True


def test_lampung_folder_has_all_29_plantation_tables():
    recs = [r for r in _records() if r.data_path.parent.name == "bps_lampung"]
    assert len(recs) == 29
    assert {r.geography for r in recs} == {"ID-LA"}
    assert {r.reader for r in recs} == {"bps_production"}
