"""UN Comtrade reader: three layouts, partners, HS revisions, no double counting, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.registry.partners import partner_type_of
from hilir.schema.tables import TRADE
from hilir.sources.comtrade import detect_layout, keep_leaf_rows, read_comtrade

IDN_ARGS = {"reporter": "IDN", "partner": "WLD", "flow": "export"}

# Expected normalisation warnings are asserted where they matter; the rest stay quiet.
pytestmark = pytest.mark.filterwarnings("ignore::hilir.errors.HilirDataWarning")


@pytest.fixture
def comtrade(fixtures_dir):
    return fixtures_dir / "comtrade"


def _read_quiet(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        return read_comtrade(path, **kwargs)


def _copy(src, tmp_path, transform, name="file.csv"):
    text = src.read_text(encoding="utf-8-sig")
    out = tmp_path / name
    out.write_text(transform(text), encoding="utf-8")
    return out


# --- layout (a): legacy download --------------------------------------------------------------


def test_legacy_download_nickel_chain_values(comtrade):
    with pytest.warns(HilirDataWarning, match="inferred from the year"):
        df = read_comtrade(comtrade / "legacy_idn_exports.csv", **IDN_ARGS)
    assert list(df.columns) == TRADE.names
    ferronickel = df[(df["hs_code"] == "720260") & (df["year"] == 2019)].iloc[0]
    # UN Comtrade via the shipped nickel-chain extract: USD 2,595,556,910 and 1,593,696,030 kg.
    assert ferronickel["value_usd"] == 2_595_556_910
    assert ferronickel["net_weight_kg"] == 1_593_696_030
    assert (ferronickel["reporter"], ferronickel["partner"]) == ("IDN", "WLD")
    assert ferronickel["partner_type"] == "world"
    assert ferronickel["hs_revision"] == "HS2017"
    assert set(df["flow"]) == {"export"}
    assert df["month"].isna().all()
    assert set(df["hs_code"]) == {"2604", "720260", "7218", "7219"}
    assert df.loc[df["hs_code"] == "7218", "hs6"].iloc[0] == ""
    # The export-ban zeros are kept as zeros, not dropped.
    ban = df[(df["hs_code"] == "2604") & (df["year"] == 2016)].iloc[0]
    assert (ban["value_usd"], ban["net_weight_kg"]) == (0.0, 0.0)


def test_legacy_download_revision_inferred_from_year_keeps_hs1996_codes(comtrade):
    df = _read_quiet(comtrade / "legacy_idn_exports.csv", **IDN_ARGS)
    by_year = df[df["hs_code"] == "720260"].set_index("year")["hs_revision"]
    assert by_year[1996] == "HS1996"
    assert by_year[2011] == "HS2007"
    assert by_year[2019] == "HS2017"


def test_legacy_download_classification_argument_sets_revision(comtrade):
    df = _read_quiet(comtrade / "legacy_idn_exports.csv", **IDN_ARGS, classification="H5")
    assert set(df["hs_revision"]) == {"HS2017"}


@pytest.mark.parametrize(
    ("missing", "column"),
    [("reporter", "Reporter ISO"), ("partner", "Partner ISO"), ("flow", "Trade Flow")],
)
def test_legacy_download_needs_reporter_partner_flow(comtrade, missing, column):
    args = {k: v for k, v in IDN_ARGS.items() if k != missing}
    with pytest.raises(HilirDataError, match=f"pass {missing}=") as err:
        _read_quiet(comtrade / "legacy_idn_exports.csv", **args)
    assert (err.value.row, err.value.column) == (1, column)


def test_world_exporters_keep_aggregate_reporter_unchanged(comtrade):
    df = _read_quiet(comtrade / "legacy_world_exporters.csv", partner="WLD", flow="export")
    assert set(df["reporter"]) == {"EU2", "CHN", "IDN", "XOA", "CIV"}
    eu = df[(df["reporter"] == "EU2") & (df["year"] == 2019)].iloc[0]
    assert eu["value_usd"] == 330_905_888
    assert partner_type_of("EU2") == "aggregate"
    # World share without the aggregate: IDN's 2019 share of the country reporters.
    y19 = df[df["year"] == 2019]
    countries = y19[y19["reporter"].map(partner_type_of) != "aggregate"]
    share = countries.set_index("reporter")["value_usd"]["IDN"] / countries["value_usd"].sum()
    assert share == pytest.approx(411_337_301 / (411_337_301 + 814_725))
    # A blank Netweight stays missing, not zero.
    assert np.isnan(df[(df["reporter"] == "EU2") & (df["year"] == 2016)]["net_weight_kg"].iloc[0])


# --- layout (b): legacy API/bulk, 35 columns ------------------------------------------------


def test_legacy_bulk_underscore_names_integer_codes_restored(comtrade):
    with pytest.warns(HilirDataWarning, match="lost leading zeros"):
        df = read_comtrade(comtrade / "legacy_bulk_coffee_idn.csv")
    assert set(df["hs_code"]) == {"090111", "090112"}
    assert set(df["hs6"]) == {"090111", "090112"}
    world = df[(df["partner"] == "WLD") & (df["year"] == 2015)].set_index("hs_code")
    assert world.loc["090111", "value_usd"] == 1_189_551_288
    assert world.loc["090111", "net_weight_kg"] == 499_612_729
    assert world.loc["090111", "hs_revision"] == "HS2012"  # H4
    assert set(df.loc[df["year"] == 2005, "hs_revision"]) == {"HS1996"}  # H1
    other_asia = df[df["partner"] == "XOA"].iloc[0]
    assert other_asia["partner_type"] == "residual"
    assert other_asia["value_usd"] == 21_130_458


def test_legacy_bulk_heading_and_subheadings_not_double_counted(comtrade):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = read_comtrade(comtrade / "legacy_bulk_heading_subheadings.csv")
    messages = [str(w.message) for w in caught if issubclass(w.category, HilirDataWarning)]
    assert any("Re-Export" in m or "re-export" in m.lower() for m in messages)
    assert any("dropped 2 heading row(s)" in m for m in messages)
    mismatch = [m for m in messages if "differ from the sum" in m]
    assert len(mismatch) == 1 and "0901" in mismatch[0] and "JPN" in mismatch[0]
    # World: heading dropped, the two subheadings kept (their sum is the heading).
    world = df[df["partner"] == "WLD"]
    assert sorted(world["hs_code"]) == ["090111", "090112"]
    assert world["value_usd"].sum() == 1_189_725_365
    # China reports the heading only: it is a leaf for that partner and stays.
    assert df.loc[df["partner"] == "CHN", "hs_code"].tolist() == ["0901"]
    assert "SGP" not in set(df["partner"])  # re-export dropped


def test_keep_leaf_rows_within_group_only():
    frame = pd.DataFrame(
        {
            "year": [2019, 2019, 2019, 2020],
            "month": pd.array([pd.NA] * 4, dtype="Int64"),
            "reporter": ["IDN"] * 4,
            "partner": ["WLD"] * 4,
            "flow": ["export"] * 4,
            "hs_code": ["7202", "720260", "720299", "7202"],
            "value_usd": [100.0, 60.0, 40.0, 90.0],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # consistent heading: only the drop is announced
        with pytest.raises(HilirDataWarning, match="dropped 1 heading"):
            keep_leaf_rows(frame)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = keep_leaf_rows(frame)
    assert out["hs_code"].tolist() == ["720260", "720299", "7202"]  # 2020 heading stays
    assert out["value_usd"].sum() == 190.0


def test_keep_leaf_rows_leaves_flat_files_alone():
    frame = pd.DataFrame({"year": [2019], "hs_code": ["2604"], "value_usd": [1.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert keep_leaf_rows(frame).equals(frame)


# --- layout (c): current API / bulk -------------------------------------------------------------


def test_current_api_layout(comtrade):
    with pytest.warns(HilirDataWarning) as record:
        df = read_comtrade(comtrade / "current_api_idn_2019.csv")
    messages = " ".join(str(w.message) for w in record)
    assert "Re-export" in messages  # the RX row was dropped, and said so
    assert "lost leading zeros" in messages  # cmdCode 90111 -> 090111
    exports = df[df["flow"] == "export"].set_index(["partner", "hs_code"])
    assert exports.loc[("WLD", "720260"), "value_usd"] == 2_595_556_910
    assert exports.loc[("WLD", "720260"), "partner_type"] == "world"  # partnerISO W00
    assert exports.loc[("CHN", "720260"), "value_usd"] == 2_206_000_000.25
    # partnerISO S19 is not ISO: the name "Other Asia, nes" decides.
    assert exports.loc[("XOA", "720260"), "partner_type"] == "residual"
    assert ("WLD", "090111") in exports.index
    imports = df[df["flow"] == "import"]
    assert imports["value_usd"].tolist() == [41_000.0]
    assert set(df["hs_revision"]) == {"HS2017"}  # H5
    assert df["month"].isna().all()


def test_current_api_monthly(comtrade):
    df = read_comtrade(comtrade / "current_api_idn_monthly.csv")
    assert df["month"].tolist() == [1, 2]
    assert df["year"].tolist() == [2019, 2019]
    assert df["value_usd"].sum() == 385_000_000


def test_detect_layout():
    assert detect_layout(["refYear", "cmdCode", "primaryValue"]) == "current"
    assert detect_layout(["Year", "Commodity Code", "Trade Value (US$)"]) == "legacy"


def test_selection_arguments_filter_rows(comtrade):
    df = _read_quiet(comtrade / "current_api_idn_2019.csv", flow="import")
    assert df["flow"].unique().tolist() == ["import"]
    df = _read_quiet(comtrade / "current_api_idn_2019.csv", partner="China")
    assert set(df["partner"]) == {"CHN"}
    with pytest.raises(HilirDataError, match="no rows left"):
        _read_quiet(comtrade / "current_api_idn_2019.csv", classification="H4")


def test_breakdown_rows_dropped_when_totals_present(comtrade, tmp_path):
    def add_sea_row(text):
        lines = text.splitlines()
        sea = lines[1].replace(",0,0,TOTAL MOT,", ",0,2100,Sea,").replace("2595556910", "1")
        return "\n".join([*lines, sea]) + "\n"

    path = _copy(comtrade / "current_api_idn_2019.csv", tmp_path, add_sea_row)
    with pytest.warns(HilirDataWarning, match="mode of transport"):
        df = read_comtrade(path)
    assert 1.0 not in set(df["value_usd"])


def test_breakdown_without_totals_is_an_error(comtrade, tmp_path):
    def sea_only(text):
        return text.replace(",0,0,TOTAL MOT,", ",0,2100,Sea,")

    path = _copy(comtrade / "current_api_idn_monthly.csv", tmp_path, sea_only)
    with pytest.raises(HilirDataError, match="mode of transport") as err:
        read_comtrade(path)
    assert (err.value.row, err.value.column) == (2, "motCode")


# --- bad input ----------------------------------------------------------------------------------


def test_renamed_value_column(comtrade, tmp_path):
    path = _copy(
        comtrade / "legacy_idn_exports.csv",
        tmp_path,
        lambda t: t.replace("Trade Value (US$)", "Value"),
    )
    with pytest.raises(HilirDataError, match="missing column") as err:
        read_comtrade(path, **IDN_ARGS)
    assert (err.value.row, err.value.column) == (1, "Trade Value (US$)")


def test_renamed_current_column_names_the_current_name(comtrade, tmp_path):
    path = _copy(
        comtrade / "current_api_idn_2019.csv", tmp_path, lambda t: t.replace("primaryValue", "pv")
    )
    with pytest.raises(HilirDataError) as err:
        read_comtrade(path)
    assert (err.value.row, err.value.column) == (1, "primaryValue")


def test_thousands_separators_and_decimal_comma(comtrade, tmp_path):
    def thousands(text):
        return text.replace(",1593696030,2595556910,", ',"1,593,696,030","2,595,556,910",')

    path = _copy(comtrade / "legacy_idn_exports.csv", tmp_path, thousands)
    df = _read_quiet(path, **IDN_ARGS)
    y19 = df[df["year"] == 2019].set_index("hs_code")
    assert y19.loc["720260", "value_usd"] == 2_595_556_910
    assert y19.loc["720260", "net_weight_kg"] == 1_593_696_030

    def decimal_comma(text):  # the only separator of the column: a decimal comma
        return text.replace(",266602846,411337301,", ',266602846,"411337301,5",')

    df = _read_quiet(
        _copy(comtrade / "legacy_idn_exports.csv", tmp_path, decimal_comma), **IDN_ARGS
    )
    y19 = df[df["year"] == 2019].set_index("hs_code")
    assert y19.loc["7218", "value_usd"] == 411_337_301.5

    def mixed(text):  # both in one column: the file does not say which one it means
        return decimal_comma(thousands(text))

    with pytest.raises(HilirDataError, match="mixes number formats"):
        _read_quiet(_copy(comtrade / "legacy_idn_exports.csv", tmp_path, mixed), **IDN_ARGS)


def test_negative_value_names_row_and_column(comtrade, tmp_path):
    path = _copy(
        comtrade / "legacy_idn_exports.csv",
        tmp_path,
        lambda t: t.replace(",1593696030,2595556910,", ",1593696030,-2595556910,"),
    )
    with pytest.raises(HilirDataError, match="negative") as err:
        read_comtrade(path, **IDN_ARGS)
    assert (err.value.row, err.value.column) == (3, "Trade Value (US$)")


def test_negative_weight_names_row_and_column(comtrade, tmp_path):
    path = _copy(
        comtrade / "legacy_bulk_coffee_idn.csv",
        tmp_path,
        lambda t: t.replace(",12750611,", ",-12750611,"),
    )
    with pytest.raises(HilirDataError, match="negative") as err:
        _read_quiet(path)
    assert (err.value.row, err.value.column) == (4, "Netweight__kg_")


def test_duplicate_row_names_second_occurrence(comtrade, tmp_path):
    def dup(text):
        lines = text.splitlines()
        return "\n".join([*lines, lines[2]]) + "\n"

    path = _copy(comtrade / "legacy_idn_exports.csv", tmp_path, dup)
    with pytest.raises(HilirDataError, match="already on row 3") as err:
        _read_quiet(path, **IDN_ARGS)
    assert (err.value.row, err.value.column) == (9, "Commodity Code")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(HilirDataError, match="empty") as err:
        read_comtrade(path, **IDN_ARGS)
    assert err.value.path == str(path)


def test_header_only_file(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("Year,Commodity Code,Commodity,Netweight (kg),Trade Value (US$)\n")
    with pytest.raises(HilirDataError, match="no data rows"):
        read_comtrade(path, **IDN_ARGS)


def test_file_cut_mid_line(comtrade, tmp_path):
    path = _copy(
        comtrade / "legacy_idn_exports.csv", tmp_path, lambda t: t[: t.index(",0,0,0") + 2]
    )
    with pytest.raises(HilirDataError, match="cut") as err:
        read_comtrade(path, **IDN_ARGS)
    # Line 6 is "2016,2604,Nickel ores and concentrates,0" -> 4 of 6 fields.
    assert (err.value.row, err.value.column) == (6, "Trade Value (US$)")


def test_file_cut_inside_quoted_cell(comtrade, tmp_path):
    path = _copy(
        comtrade / "legacy_idn_exports.csv",
        tmp_path,
        lambda t: t[: t.index("Ferro-nickel, in") + 8],
    )
    with pytest.raises(HilirDataError, match="cut") as err:
        read_comtrade(path, **IDN_ARGS)
    assert err.value.row == 7


def test_excel_title_rows_are_skipped_with_warning(comtrade, tmp_path):
    path = _copy(
        comtrade / "legacy_idn_exports.csv",
        tmp_path,
        lambda t: "UN Comtrade export,,,,,\nIndonesia 1989-2020,,,,,\n" + t,
    )
    with pytest.warns(HilirDataWarning, match="skipped 2 line"):
        df = read_comtrade(path, **IDN_ARGS, classification="H5")
    assert len(df) == 7
    # Errors still name the line as the spreadsheet shows it.
    bad = _copy(path, tmp_path, lambda t: t.replace("1097012524", "abc"), name="bad.csv")
    with pytest.raises(HilirDataError) as err:
        _read_quiet(bad, **IDN_ARGS)
    assert (err.value.row, err.value.column) == (4, "Trade Value (US$)")


def test_not_a_number(comtrade, tmp_path):
    path = _copy(
        comtrade / "legacy_idn_exports.csv", tmp_path, lambda t: t.replace("2595556910", "2.595.5x")
    )
    with pytest.raises(HilirDataError, match="not a number") as err:
        read_comtrade(path, **IDN_ARGS)
    assert (err.value.row, err.value.column) == (3, "Trade Value (US$)")


def test_missing_value(comtrade, tmp_path):
    path = _copy(
        comtrade / "legacy_idn_exports.csv", tmp_path, lambda t: t.replace("2595556910", "")
    )
    with pytest.raises(HilirDataError, match="missing") as err:
        read_comtrade(path, **IDN_ARGS)
    assert (err.value.row, err.value.column) == (3, "Trade Value (US$)")


def test_unknown_partner_name(comtrade, tmp_path):
    path = _copy(
        comtrade / "legacy_bulk_coffee_idn.csv",
        tmp_path,
        lambda t: t.replace("392,Japan,JPN", "999,Atlantis,"),
    )
    with pytest.raises(HilirDataError, match="Atlantis") as err:
        _read_quiet(path)
    assert (err.value.row, err.value.column) == (5, "Partner")


def test_unknown_flow_and_classification(comtrade, tmp_path):
    path = _copy(
        comtrade / "current_api_idn_2019.csv", tmp_path, lambda t: t.replace(",M,Import,", ",Q,?,")
    )
    with pytest.raises(HilirDataError, match="unknown trade flow") as err:
        _read_quiet(path)
    assert (err.value.row, err.value.column) == (6, "flowCode")
    path = _copy(
        comtrade / "legacy_bulk_coffee_idn.csv", tmp_path, lambda t: t.replace("\nH1,", "\nS3,")
    )
    with pytest.raises(HilirDataError, match="classification") as err:
        _read_quiet(path)
    assert (err.value.row, err.value.column) == (9, "Classification")


def test_bad_year(comtrade, tmp_path):
    path = _copy(
        comtrade / "legacy_idn_exports.csv", tmp_path, lambda t: t.replace("\n1996,", "\n96,")
    )
    with pytest.raises(HilirDataError, match="year") as err:
        read_comtrade(path, **IDN_ARGS)
    assert (err.value.row, err.value.column) == (8, "Year")


def test_bad_flow_argument(comtrade):
    with pytest.raises(HilirDataError, match="flow must be"):
        read_comtrade(comtrade / "legacy_idn_exports.csv", reporter="IDN", partner="WLD", flow="x")


# --- R write.csv exports and historic areas (issue 13, item 13) -------------------------------


def test_r_write_csv_na_is_missing_and_row_numbers_ignored(comtrade):
    """R's write.csv writes a row-number column headed "" and NA for missing cells.

    NA in a partner ISO column is a missing cell, never Namibia's alpha-2 code: the 1990
    Czechoslovakia row (ISO NA) is CSK from its name and code, and no row becomes NAM.
    The breakdown columns (second partner, customs, transport) are NA everywhere: the totals.
    """
    df = _read_quiet(comtrade / "r_write_csv_historic.csv", reporter="IDN", flow="export")
    assert "NAM" not in set(df["partner"])
    by_partner = df.set_index("partner")["value_usd"]
    assert by_partner["WLD"] == 377_000_000
    assert by_partner["CSK"] == 900_000
    assert set(df["reporter"]) == {"IDN"}
    # NA in Qty / CIF columns does not matter; NA net weight would be missing, not 0.
    assert df["net_weight_kg"].notna().all()


def test_r_write_csv_na_value_is_missing_value(comtrade, tmp_path):
    src = comtrade / "r_write_csv_historic.csv"
    bad = _copy(src, tmp_path, lambda t: t.replace(",377000000,", ",NA,", 1))
    with pytest.raises(HilirDataError) as err:
        _read_quiet(bad, reporter="IDN", flow="export")
    assert err.value.row == 2
    assert err.value.column == "Trade.Value..US.."


def test_historic_partners_kept_under_their_code_with_a_note(comtrade):
    """Partners 810 USSR, 200 Czechoslovakia, 890 SFR Yugoslavia, 280 FR Germany (1990).

    They are kept (one partner each, never split into successor states) and a warning says
    so; 280 keeps ISO's DEU (UN M49 / ISO numeric 280 had alpha-3 DEU).
    """
    with pytest.warns(HilirDataWarning, match="historic areas"):
        df = read_comtrade(comtrade / "r_write_csv_historic.csv", reporter="IDN", flow="export")
    assert {"SUN", "CSK", "YUG", "DEU"} <= set(df["partner"])
    assert set(df.loc[df["partner"].isin(["SUN", "CSK", "YUG"]), "partner_type"]) == {"country"}
    # Nothing counted twice: the partners add up to less than the world row.
    countries = df.loc[df["partner"] != "WLD", "value_usd"].sum()
    assert countries < df.loc[df["partner"] == "WLD", "value_usd"].iloc[0]


def test_unselected_reporter_rows_are_ignored_whatever_their_code(comtrade, tmp_path):
    """A reporter hilir cannot resolve does not refuse a file when another one is selected."""
    src = comtrade / "legacy_bulk_coffee_idn.csv"
    text = src.read_text(encoding="utf-8-sig")
    line = text.splitlines()[1]
    other = line.replace("360,Indonesia,IDN", "835,Fmr Tanganyika,", 1)
    assert other != line
    path = tmp_path / "two_reporters.csv"
    path.write_text(text.rstrip("\n") + "\n" + other + "\n", encoding="utf-8")
    df = _read_quiet(path, reporter="IDN", flow="export")
    assert set(df["reporter"]) == {"IDN"}
    assert len(df) == len(_read_quiet(src, reporter="IDN", flow="export"))
    # Without a selection the unknown reporter is still an error naming its line.
    with pytest.raises(HilirDataError, match="Fmr Tanganyika") as err:
        _read_quiet(path, flow="export")
    assert err.value.row == len(text.rstrip("\n").splitlines()) + 1


def test_historic_reporters_resolve_by_code_and_name(comtrade):
    """Reporter 810 Fmr USSR (ISO NA) and 58 Belgium-Luxembourg can be selected themselves."""
    path = comtrade / "r_write_csv_historic.csv"
    ussr = _read_quiet(path, reporter="SUN")
    assert ussr[["partner", "value_usd"]].values.tolist() == [["WLD", 20_000.0]]
    blx = _read_quiet(path, reporter="Belgium-Luxembourg")
    assert blx[["flow", "value_usd"]].values.tolist() == [["import", 200_000_000.0]]
