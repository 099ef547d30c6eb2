"""The chart gallery: every chart of :mod:`hilir.plots` on the shipped data, in both languages.

``python -m hilir.report.gallery`` redraws ``docs/gallery/*.png`` and ``docs/gallery.md``
from the shipped snapshots (it builds the processed data first if needed). The same
examples are drawn by the test suite, so the gallery can not drift from the code.
"""

from __future__ import annotations

import argparse
import os
import warnings
from pathlib import Path

from hilir.errors import HilirDataWarning
from hilir.fileio import atomic_write_text
from hilir.report.gallery_data import ShippedData
from hilir.report.gallery_examples import NOT_IN_GALLERY, Example, examples

__all__ = ["FRAMES", "NOT_IN_GALLERY", "Example", "ShippedData", "examples", "write_gallery"]

_PAGE_HEAD = """# Chart gallery

Every chart of `hilir.plots`, drawn from the data shipped in `data/raw/` in Bahasa
Indonesia (left) and English (right). Titles state the finding and are computed from the
data; subtitles give measure, unit, period and geography; source lines are generated from
the provenance records. Regenerate this page and its pictures with

```
python -m hilir.report.gallery
```

The test suite draws the same examples (`tests/test_plots_shipped.py`); image baselines
of small test frames live in `tests/baseline_images/` (regenerate them with
`python -m tests.regenerate_baselines`).

"""


#: The frame each chart takes (columns; see each chart's ``*_data`` function for details).
FRAMES: dict[str, str] = {
    "stage_share": "`hilir.value.stage_shares` (year, stage, measure, bound, share, amount, "
    "source), or any frame with year, stage and share_value/share_volume",
    "small_multiples": "`hilir.value.processing_share` (chain, year, bound, share_value, "
    "share_volume, source), or `hilir.value.stage_shares`",
    "unit_value_ladder": "`hilir.value.unit_values` (product, stage, year, "
    "unit_value_usd_per_kg, flag, value_usd, source)",
    "uplift": "`hilir.value.uplift` (chain, year, product, stage, bound, uplift, basis, "
    "raw_input_mass_share, source), or uplift_low/central/high columns",
    "scenario_fan": "`hilir.value.scenario_summary` (chain, year, share, bound, "
    "delta_value_usd, source)",
    "waterfall": "`hilir.value.decompose_growth` (chain, year_from, year_to, bound, effect, "
    "change_usd, value_usd_from, value_usd_to, source)",
    "jobs": "`hilir.jobs.jobs_from_scenario` (geography, chain, share, kind, bound, jobs, "
    "table_source, sources)",
    "policy_event": "`hilir.policy.fit_its` result or its `fitted` table (year[, month], "
    "observed, fitted, counterfactual, cf_low, cf_high, segment) and "
    "`hilir.policy.policy_events` (start_date, end_date, label_id, label_en)",
    "regency_production": "`hilir.load_production()` (year, geo, geo_level, geo_name, crop, "
    "production_t, area_ha, scope, flag, source)",
    "world_prices": "`hilir.load_prices()` (year, month, series, price, unit, source)",
    "price_comparison": "`hilir.value.compare_world_prices` (product, year, series, "
    "comparable_usd_per_t, world_price_usd_per_t, flag, data_event, source, price_source)",
    "concentration": "`hilir.markets.market_concentration` (reporter, scope, year, hhi, "
    "hhi_normalised, equivalent_number, top_item, top_share, residual_share, source)",
    "destinations": "`hilir.markets.destination_profile` (reporter, scope, year, partner, "
    "value_usd, share, rank, cagr, growth_flag, source)",
    "world_share": "`hilir.markets.world_share` (year, reporter, scope, value_usd, "
    "world_value_usd, share, rank, n_reporters, source)",
    "flagship": "`hilir.markets.flagship_scores` (chain, year, the indicators, their "
    "weights and contributions, score, rank, source)",
    "flagship_sensitivity": "`hilir.markets.flagship_sensitivity` (scenario, chain, score, "
    "rank, base_rank, rank_change, source)",
    "export_procedure": "`hilir.markets.export_procedure` (step, key, name_id, name_en, "
    "institution_id, institution_en, document_id, document_en, legal_basis, source, status)",
    "series": "`hilir.plots.series_data` of `hilir.policy.trade_series` outputs (item, year, "
    "value_usd or volume_t, unit, source)",
    "forecast": "`hilir.policy.forecast` result (its table: year, kind, value, lower, upper)",
    "monthly_totals": "`hilir.brief.lampung.monthly_totals` (region, year, month, value_usd, "
    "quoted_source, url, source)",
    "ports": "`hilir.markets.exports_by_port` (reporter, year, port, item, value_usd, "
    "share_of_port, port_share_of_item, source)",
}


def write_gallery(
    folder: str | Path = "docs/gallery",
    page: str | Path = "docs/gallery.md",
    *,
    size: str = "full",
    dpi: int = 100,
    data: ShippedData | None = None,
) -> list[Path]:
    """Draw every example in both languages and write the PNGs and the gallery page.

    Parameters
    ----------
    folder : str or pathlib.Path, default "docs/gallery"
        Folder of the pictures.
    page : str or pathlib.Path, default "docs/gallery.md"
        The Markdown page; pictures are linked relative to it.
    size : {"column", "full", "slide"}, default "full"
    dpi : int, default 100
    data : ShippedData, optional
        Data to draw from (default: the shipped data, full model frames).

    Returns
    -------
    list of pathlib.Path
        The files written, page last.
    """
    from hilir.plots import CHARTS
    from hilir.plots.save import save_figure

    data = data or ShippedData()
    folder, page = Path(folder), Path(page)
    rel = Path(os.path.relpath(folder.resolve(), page.resolve().parent))
    written: list[Path] = []
    lines = [_PAGE_HEAD]
    for ex in examples():
        figs = {}
        for lang in ("id", "en"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", HilirDataWarning)
                warnings.simplefilter("ignore", UserWarning)
                fig = ex.draw(data, lang, size)
            paths = save_figure(fig, f"{ex.name}_{lang}", folder=folder, formats=("png",), dpi=dpi)
            written.append(paths["png"])
            figs[lang] = fig
        doc = (CHARTS[ex.chart].__doc__ or "").strip().splitlines()[0]
        lines.append(f"## `{CHARTS[ex.chart].__name__}`\n\n{doc}\n\nDrawn from `{ex.frame}`.\n")
        lines.append("| Bahasa Indonesia | English |\n|---|---|")
        lines.append(
            f"| ![{figs['id'].hilir.title}]({rel.as_posix()}/{ex.name}_id.png) "
            f"| ![{figs['en'].hilir.title}]({rel.as_posix()}/{ex.name}_en.png) |\n"
        )
    lines.append("## Charts and the frames they take\n")
    lines.append("| Function | Frame |\n|---|---|")
    for kind, function in CHARTS.items():
        lines.append(f"| `hilir.plots.{function.__name__}` | {FRAMES[kind]} |")
    lines.append("")
    atomic_write_text(page, "\n".join(lines)).chmod(0o644)
    written.append(page)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m hilir.report.gallery [--folder F] [--page P]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default="docs/gallery")
    parser.add_argument("--page", default="docs/gallery.md")
    args = parser.parse_args(argv)
    for path in write_gallery(args.folder, args.page):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
