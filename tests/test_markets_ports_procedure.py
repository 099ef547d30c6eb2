"""Exports by port of loading (BPS download with a port column) and the export procedure."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.markets import PORT_CAVEAT, export_procedure, exports_by_port
from hilir.markets.procedure import validate_procedure

FIXTURE = Path(__file__).parent / "fixtures" / "markets"


@pytest.fixture(scope="module")
def by_port():
    from hilir.registry.tables import map_products
    from hilir.sources import read_bps_exports

    raw = read_bps_exports(
        FIXTURE / "bps_lampung_ekspor_2022_2023.csv",
        reporter="ID-LA",
        source="user_bps_lampung",
        keep_port=True,
    )
    return map_products(raw, extra=FIXTURE / "shrimp_registry")


def test_exports_by_port_and_product(by_port):
    out = exports_by_port(by_port, years=[2022])
    assert set(out["port"]) == {"Panjang", "Tanjung Priok"}
    row = out[(out["port"] == "Panjang") & (out["item"] == "coffee_green")].iloc[0]
    # 2022 green coffee via Panjang: 52 + 30 + 24 = 106m; via Tanjung Priok 2.6m
    assert row["value_usd"] == pytest.approx(106e6)
    assert row["port_share_of_item"] == pytest.approx(106 / 108.6)
    panjang = out[out["port"] == "Panjang"]
    assert panjang["share_of_port"].sum() == pytest.approx(1.0)
    assert out.attrs["caveat"] == PORT_CAVEAT
    assert "Bengkulu" in PORT_CAVEAT["id"] and "Bengkulu" in PORT_CAVEAT["en"]
    assert out["geography"].eq("Lampung").all()


def test_exports_by_port_levels(by_port):
    chains = exports_by_port(by_port, level="chain", ports="Panjang", years=[2023])
    coffee = chains[chains["item"] == "coffee"].iloc[0]
    # 2023 coffee via Panjang: green 129.7m + instant 7.8m
    assert coffee["value_usd"] == pytest.approx(137.5e6)
    codes = exports_by_port(by_port, level="hs_code", years=[2023])
    assert "09011190" in set(codes["item"])


def test_exports_by_port_bad_inputs(by_port):
    with pytest.raises(HilirDataError, match="keep_port=True"):
        exports_by_port(by_port.drop(columns="port"))
    with pytest.raises(HilirDataError, match="not in the data"):
        exports_by_port(by_port, ports="Bakauheni")
    with pytest.raises(HilirDataError, match="years is empty"):
        exports_by_port(by_port, years=[])
    with pytest.raises(HilirDataError, match="level"):
        exports_by_port(by_port, level="country")  # type: ignore[arg-type]


def test_port_rows_are_summed_without_keep_port():
    from hilir.sources import read_bps_exports

    with pytest.warns(HilirDataWarning, match="summed"):
        raw = read_bps_exports(FIXTURE / "bps_lampung_ekspor_2022_2023.csv", reporter="ID-LA")
    with pytest.raises(HilirDataError, match="no 'port' column"):
        exports_by_port(raw)


# --- procedure ---------------------------------------------------------------------------------


def test_procedure_steps_are_bilingual_and_cited():
    steps = export_procedure()
    assert steps["step"].is_monotonic_increasing
    for col in (
        "name_id",
        "name_en",
        "institution_id",
        "institution_en",
        "document_id",
        "document_en",
        "source",
        "legal_basis",
    ):
        assert steps[col].str.len().gt(0).all(), col
    keys = steps["key"].tolist()
    # quarantine, certificate of origin, customs declaration and shipping, in that order
    order = [
        keys.index(k)
        for k in ("plant_quarantine", "certificate_of_origin", "export_declaration", "shipping")
    ]
    assert order == sorted(order)
    peb = steps.set_index("key").loc["export_declaration"]
    assert "PEB" in peb["name_id"] and "DJBC" in peb["institution_id"]
    karantina = steps.set_index("key").loc["plant_quarantine"]
    assert "fitosanitasi" in karantina["document_id"].lower()
    assert "phytosanitary" in karantina["document_en"].lower()


def test_procedure_by_chain():
    coffee = export_procedure(chain="coffee")["key"].tolist()
    nickel = export_procedure(chain="nickel")["key"].tolist()
    assert "coffee_export_approval" in coffee and "plant_quarantine" in coffee
    assert "surveyor_verification" not in coffee
    assert "surveyor_verification" in nickel and "plant_quarantine" not in nickel
    assert export_procedure(chain="coffee")["position"].tolist() == list(range(1, len(coffee) + 1))
    with pytest.raises(HilirDataError, match="unknown chain"):
        export_procedure(chain="kopi")


def _table(changes):
    steps = export_procedure().drop(columns="position").astype(str)
    steps["_row"] = range(2, len(steps) + 2)
    for (i, col), value in changes.items():
        steps.loc[i, col] = value
    return steps


@pytest.mark.parametrize(
    ("changes", "row", "column", "match"),
    [
        ({(1, "step"): "1"}, 3, "step", "also on row 2"),
        ({(2, "status"): "checked"}, 4, "status", "not one of"),
        ({(3, "applies_to"): "seafood"}, 5, "applies_to", "registry chain"),
        ({(0, "institution_en"): ""}, 2, "institution_en", "missing"),
        ({(4, "step"): "five"}, 6, "step", "whole number"),
    ],
)
def test_procedure_bad_rows(changes, row, column, match):
    with pytest.raises(HilirDataError, match=match) as err:
        validate_procedure(_table(changes), path="export_procedure.csv")
    assert err.value.row == row and err.value.column == column


def test_procedure_missing_columns():
    with pytest.raises(HilirDataError, match="missing columns"):
        validate_procedure(pd.DataFrame({"step": ["1"], "_row": [2]}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(export_procedure()) >= 7
