"""Nothing injected: data-derived text is shown as text in HTML, Excel and CSV (issue 13, 2-3).

A user's BPS production file can name a regency ``<img src=x onerror=...>`` or
``=HYPERLINK(...)``; the regency name reaches a sentence, a chart title, the chart's data and
the annex. It must run nowhere: not in the brief (HTML or the PDF Chromium prints from it),
not as a live formula in the Excel annex or the CSV bundle.
"""

from __future__ import annotations

import csv
import html
import io
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

import hilir
from hilir.brief import Brief
from hilir.brief.narrative import regency_top
from hilir.brief.payload import chart_payload
from hilir.report.annex import sheet_name, write_annex, write_data_zip
from hilir.report.export import export_html

SCRIPT = '<img src=x onerror="alert(1)">'
LINK = "[click](javascript:alert(1))"
FORMULA = '=HYPERLINK("http://evil.example","open")'


def _production(name: str) -> pd.DataFrame:
    """Shipped production with the largest pepper regency renamed to ``name``."""
    prod = hilir.load_production()
    pepper = prod[(prod["crop"] == "pepper") & (prod["geo_level"] == "regency")]
    latest = pepper[pepper["year"] == pepper["year"].max()]
    top = latest["production_t"].astype(float).idxmax()
    prod = prod.copy()
    prod.loc[prod["geo"] == prod.loc[top, "geo"], "geo_name"] = name
    return prod


def _html(markdown: dict, metadata: dict) -> dict[str, str]:
    nb = new_notebook()
    nb.cells.append(new_code_cell('lang = "en"', metadata={"tags": ["parameters"]}))
    cell = new_code_cell("brief.say(...)", execution_count=1)
    cell.outputs = [new_output("display_data", data=markdown, metadata=metadata)]
    nb.cells.append(cell)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            edition: export_html(nb, edition=edition, lang="en", title="T")
            for edition in ("policymaker", "analyst")
        }


@pytest.mark.parametrize("name", [SCRIPT, LINK])
def test_a_regency_name_never_runs_in_the_brief(name: str) -> None:
    sentence = regency_top(_production(name), lang="en", crop="pepper")
    assert name in sentence  # the sentence names it ...
    shown: list[tuple[dict, dict]] = []
    Brief("08_lampung_profile", lang="en", display=lambda b, m: shown.append((b, m))).say(sentence)
    for page in _html(*shown[0]).values():
        # ... as text: before escaping, nbconvert rendered <img ... onerror=...> and
        # <a href="javascript:...">
        assert "<img alt" not in page.split('data-mime-type="text/markdown"')[1]
        assert 'href="javascript:' not in page
        assert html.escape(name, quote=False) in page


def test_a_formula_in_the_data_stays_text_in_the_annex_and_csv(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from hilir.plots import plot_regency_production

    fig = plot_regency_production(_production(FORMULA), lang="en", crop="pepper")
    assert FORMULA in set(fig.hilir_data["geo_name"])
    doc = chart_payload(fig, number=1)
    doc["meta"]["title"] = "=1+1"
    xlsx = write_annex([doc], tmp_path / "a.xlsx", title="+cmd", lang="en")
    wb = load_workbook(str(xlsx))
    ws = wb[sheet_name(1, "chart", "en")]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert {c.value for c in risky} >= {"=1+1", FORMULA}
    assert all(c.data_type == "s" for c in risky)
    about = wb.worksheets[0]
    assert about["A1"].value == "+cmd" and about["A1"].data_type == "s"
    bundle = write_data_zip([doc], tmp_path / "d.zip", title="+cmd", lang="en")
    with zipfile.ZipFile(bundle) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".csv"))
        rows = list(csv.DictReader(io.StringIO(zf.read(name).decode("utf-8"))))
    names = {r["geo_name"] for r in rows}
    assert "'" + FORMULA in names and FORMULA not in names
    assert all(not v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_negative_numbers_stay_numbers_in_the_csv(tmp_path: Path) -> None:
    from hilir.report.annex import csv_safe

    frame = pd.DataFrame({"change_usd": [-1.5, 2.0], "label": ["-5 %", "fine"]})
    out = csv_safe(frame)
    assert out["change_usd"].tolist() == [-1.5, 2.0]
    assert out["label"].tolist() == ["'-5 %", "fine"]
