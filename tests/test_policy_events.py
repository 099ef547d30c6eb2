"""The policy timeline and data events as package data."""

from __future__ import annotations

import pandas as pd
import pytest

from hilir.errors import HilirDataError
from hilir.policy import INSTRUMENTS, data_events, period_share, policy_events
from hilir.policy.events import DATE_PRECISIONS, LEGAL_SOURCES


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return policy_events().set_index("event_id")


def test_table_has_documented_columns_and_bilingual_labels(events):
    for column in (
        "start_date",
        "end_date",
        "announced_date",
        "date_precision",
        "chains",
        "hs_codes",
        "item_codes",
        "instrument",
        "label_id",
        "label_en",
        "legal_basis",
        "legal_source",
        "source",
        "note",
        "duration_days",
    ):
        assert column in events.columns
    assert events.index.is_unique
    assert events["instrument"].isin(INSTRUMENTS).all()
    assert events["date_precision"].isin(DATE_PRECISIONS).all()
    assert (events["label_id"].str.len() > 5).all() and (events["label_en"].str.len() > 5).all()
    assert (events["label_id"] != events["label_en"]).all()
    assert (events["source"].str.len() > 3).all()
    assert (events["legal_basis"].str.len() > 3).all()
    assert events["legal_source"].isin(LEGAL_SOURCES).all()


def test_every_event_names_its_regulation_or_says_it_is_secondary(events):
    """Issue 12 finding 9: each row gives the regulation number and date (primary) or says,
    in a note starting "Secondary", what the reference notes lack."""
    primary = events[events["legal_source"] == "primary"]
    assert primary["legal_basis"].str.contains(r"\d+/(?:[\w.\-]+/)*(?:19|20)\d\d").all()
    secondary = events[events["legal_source"] == "secondary"]
    assert secondary["note"].str.startswith("Secondary").all(), secondary.index.tolist()
    # the rows resting on issue 12's review, not on the reference notes, are secondary
    for eid in ("tin_exchange_2013", "bauxite_relaxation_2017", "palm_dmo_2022"):
        assert events.loc[eid, "legal_source"] == "secondary"


def test_nickel_ore_ban_relaxation_and_renewed_ban(events):
    ban = events.loc["nickel_ore_ban_2014"]
    assert ban["start_date"] == pd.Timestamp("2014-01-12")
    assert ban["instrument"] == "ban" and ban["hs_codes"] == "2604"
    relax = events.loc["nickel_ore_relaxation_2017"]
    assert relax["instrument"] == "relaxation"
    assert (relax["start_date"], relax["date_precision"]) == (pd.Timestamp("2017-01-01"), "month")
    assert relax["end_date"] == pd.Timestamp("2019-12-31")
    assert "5/2017" in relax["legal_basis"]
    renewed = events.loc["nickel_ore_ban_2020"]
    assert renewed["start_date"] == pd.Timestamp("2020-01-01")
    assert "11/2019" in renewed["legal_basis"]
    assert renewed["announced_date"] == pd.Timestamp("2019-09-02")


def test_law_3_2020_raw_mineral_and_bauxite_bans(events):
    """One June 2023 ban for bauxite and copper (the former ``bauxite_ban_2023`` row was the
    same measure), announced for bauxite on 21 Dec 2022 (Reuters/Nasdaq, Straits Times)."""
    law = events.loc["minerba_law_2020"]
    assert "3/2020" in law["legal_basis"] and law["date_precision"] == "month"
    raw = events.loc["raw_mineral_ban_2023"]
    assert raw["start_date"] == pd.Timestamp("2023-06-01") and raw["date_precision"] == "month"
    assert "170A" in raw["legal_basis"]
    assert raw["hs_codes"] == "2603;2606" and raw["instrument"] == "ban"
    assert raw["announced_date"] == pd.Timestamp("2022-12-21")
    assert "bauxite_ban_2023" not in events.index
    june_2023_bans = events[
        (events["start_date"].dt.to_period("M") == pd.Period("2023-06", "M"))
        & (events["instrument"] == "ban")
    ]
    assert june_2023_bans.index.tolist() == ["raw_mineral_ban_2023"]


def test_bauxite_ban_relaxed_in_2017_and_banned_again_in_2023(events):
    """Issue 12 finding 9: the January 2017 relaxation (PP 1/2017 in the review; the reference
    notes date the raw-ore relaxation to Jan 2017 and give the washed-bauxite window,
    >= 42 % Al2O3, of Permen ESDM 11/2019 Art. 46) sits between the 2014 and 2023 bans."""
    bauxite = policy_events(chain="bauxite", instrument=["ban", "relaxation"])
    assert bauxite["event_id"].tolist() == [
        "bauxite_ore_ban_2014",
        "bauxite_relaxation_2017",
        "raw_mineral_ban_2023",
    ]
    relax = events.loc["bauxite_relaxation_2017"]
    assert (relax["start_date"], relax["date_precision"]) == (pd.Timestamp("2017-01-01"), "month")
    assert relax["hs_codes"] == "2606" and "1/2017" in relax["legal_basis"]
    assert pd.isna(relax["end_date"])  # superseded by the June 2023 ban
    nickel = events.loc["nickel_ore_relaxation_2017"]
    assert nickel["start_date"] == relax["start_date"]


def test_tin_exchange_first_required_in_2013(events):
    """Issue 12 finding 9: exchange trading of tin ingots was first required in 2013
    (Permendag 32/2013), not in August 2015 (Permendag 33/2015 restated it)."""
    first = events.loc["tin_exchange_2013"]
    assert (first["start_date"], first["date_precision"]) == (pd.Timestamp("2013-01-01"), "year")
    assert "32/2013" in first["legal_basis"] and first["instrument"] == "trade_rule"
    later = events.loc["tin_exchange_2015"]
    assert later["start_date"] == pd.Timestamp("2015-08-01") and "33/M-DAG" in later["legal_basis"]
    assert "restated" in later["label_en"]


def test_palm_dmo_from_january_2022_and_cpo_export_duties(events):
    """Issue 12 finding 9: the DMO was first imposed in late January 2022 (month precision,
    no day given by any source), before the 28 April export ban; CPO export duties (bea
    keluar: PP 55/2008, PMK 39/PMK.010/2022) are on the timeline."""
    dmo = events.loc["palm_dmo_2022"]
    assert (dmo["start_date"], dmo["date_precision"]) == (pd.Timestamp("2022-01-01"), "month")
    assert dmo["start_date"] < events.loc["cpo_export_ban_2022", "start_date"]
    duties = policy_events(chain="palm_oil", instrument="export_duty")
    assert duties["event_id"].tolist() == ["cpo_export_duty_2008", "cpo_export_duty_2022"]
    assert "55/2008" in duties["legal_basis"].iat[0]
    assert "39/PMK.010/2022" in duties["legal_basis"].iat[1]
    assert (duties["item_codes"] == "257").all()


def test_cpo_ban_lasts_26_days_and_levy_starts_july_2015(events):
    cpo = events.loc["cpo_export_ban_2022"]
    assert cpo["start_date"] == pd.Timestamp("2022-04-28")
    assert cpo["end_date"] == pd.Timestamp("2022-05-23")
    assert cpo["duration_days"] == 26
    assert "22/2022" in cpo["legal_basis"] and cpo["item_codes"] == "257"
    levy = events.loc["palm_export_levy_2015"]
    assert levy["instrument"] == "levy"
    assert (levy["start_date"], levy["date_precision"]) == (pd.Timestamp("2015-07-01"), "month")


def test_copper_concentrate_rules_are_recorded():
    copper = policy_events(chain="copper")
    assert {
        "copper_concentrate_rule_2014",
        "copper_concentrate_exemption_2023",
        "copper_concentrate_permit_2024",
    } <= set(copper["event_id"])
    assert (copper["hs_codes"].str.contains("2603")).all()


def test_filters_by_hs_prefix_item_code_and_instrument():
    nickel = policy_events(hs_code="260400")["event_id"].tolist()
    assert "nickel_ore_ban_2014" in nickel and "nickel_ore_ban_2020" in nickel
    assert "raw_mineral_ban_2023" not in nickel
    palm = policy_events(item_code="257", instrument="ban")
    assert palm["event_id"].tolist() == ["cpo_export_ban_2022"]
    assert policy_events(chain="nickel", instrument=["ban"])["event_id"].tolist() == [
        "nickel_ore_ban_2014",
        "nickel_ore_ban_2020",
    ]
    with pytest.raises(HilirDataError, match="unknown instrument"):
        policy_events(instrument="tariff")


def test_data_events_kept_apart_from_policy(events):
    data = data_events()
    palm = data_events(dataset="wb_pinksheet_monthly", series="PALM_OIL")
    assert len(palm) == 1
    row = palm.iloc[0]
    assert row["date"] == pd.Timestamp("2021-01-01") and row["kind"] == "definition_change"
    assert "Rotterdam" in row["label_en"] and "Rotterdam" in row["label_id"]
    assert not set(data["event_id"]) & set(events.index)
    # no policy event sits on the palm price definition change
    palm_policy = policy_events(chain="palm_oil")
    assert not (palm_policy["start_date"] == pd.Timestamp("2021-01-01")).any()


def test_period_share_of_the_cpo_ban():
    months = pd.DataFrame({"year": [2022] * 4, "month": [3, 4, 5, 6]})
    share = period_share(months, "2022-04-28", "2022-05-23", frequency="monthly")
    assert share.tolist() == pytest.approx([0, 3 / 30, 23 / 31, 0])
    assert (share * [31, 30, 31, 30]).sum() == pytest.approx(26)
    years = pd.DataFrame({"year": [2021, 2022, 2023]})
    annual = period_share(years, "2022-04-28", "2022-05-23", frequency="annual")
    assert annual.tolist() == pytest.approx([0, 26 / 365, 0])
    open_ended = period_share(years, "2022-07-01", None, frequency="annual")
    assert open_ended.tolist() == pytest.approx([0, 184 / 365, 1])


HEADER = (
    "event_id,start_date,date_precision,end_date,announced_date,chains,hs_codes,item_codes,"
    "instrument,label_id,label_en,legal_basis,legal_source,source,note\n"
)
GOOD = "ban_x,2014-01-12,day,,,nickel,2604,,ban,Larangan,Ban,UU 4/2009,primary,Src,\n"


def _write(tmp_path, *lines, header=HEADER):
    path = tmp_path / "events.csv"
    path.write_text(header + "".join(lines), encoding="utf-8")
    return path


def test_user_table_round_trips(tmp_path):
    path = _write(tmp_path, GOOD, GOOD.replace("ban_x", "ban_y").replace("2014", "2016"))
    out = policy_events(path)
    assert out["event_id"].tolist() == ["ban_x", "ban_y"]


@pytest.mark.parametrize(
    ("bad_line", "column", "match"),
    [
        (GOOD.replace("2014-01-12", "12/01/2014"), "start_date", "not an ISO date"),
        (GOOD.replace(",ban,", ",tariff,"), "instrument", "tariff"),
        (GOOD.replace(",day,", ",week,"), "date_precision", "week"),
        (GOOD.replace("2014-01-12,day,,", "2014-01-12,day,2013-01-01,"), "end_date", "before"),
        (GOOD.replace(",2604,", ",26O4,"), "hs_codes", "digits"),
        (GOOD.replace("Larangan", ""), "label_id", "missing"),
        (GOOD, "event_id", "twice"),
        (GOOD.replace(",primary,", ",tertiary,"), "legal_source", "tertiary"),
        (GOOD.replace("UU 4/2009", "a law"), "legal_basis", "regulation number"),
        (GOOD.replace(",primary,", ",secondary,"), "note", "secondary legal source"),
    ],
)
def test_bad_user_table_names_row_and_column(tmp_path, bad_line, column, match):
    path = _write(tmp_path, GOOD.replace("ban_x", "ban_ok").replace("2014", "2010"), bad_line)
    if match == "twice":
        path = _write(tmp_path, GOOD, bad_line)
    with pytest.raises(HilirDataError, match=match) as info:
        policy_events(path)
    assert info.value.row == 3
    assert info.value.column == column
    assert str(path) in str(info.value)


def test_user_table_missing_column(tmp_path):
    path = _write(tmp_path, "x,2014-01-12\n", header="event_id,start_date\n")
    with pytest.raises(HilirDataError, match="lacks columns"):
        policy_events(path)


def test_event_chains_are_registry_chains(events):
    import hilir

    known = set(hilir.chains()["chain"])
    named = {c for cell in events["chains"] for c in cell.split(";") if c}
    assert named <= known, named - known
