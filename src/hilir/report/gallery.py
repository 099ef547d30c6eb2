"""The chart gallery: every chart of :mod:`hilir.plots` on the shipped data, in both languages.

``python -m hilir.report.gallery`` redraws ``docs/gallery/*.png`` and ``docs/gallery.md``
from the shipped snapshots (it builds the processed data first if needed). The same
examples are drawn by the test suite, so the gallery can not drift from the code.
"""

from __future__ import annotations

import argparse
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from hilir.errors import HilirDataWarning
from hilir.fileio import atomic_write_text

#: Shares of raw exports moved to processing in the scenario examples.
SCENARIO_SHARES = (0.1, 0.2, 0.3, 0.4, 0.5)


class ShippedData:
    """The shipped tables and the model frames the gallery draws, computed once each.

    Parameters
    ----------
    fast : bool, default False
        Use the export table directly for the small multiples (processed share by chain)
        instead of :func:`hilir.value.processing_share`; the image tests use this, so their
        baselines do not depend on the value model.
    """

    def __init__(self, *, fast: bool = False) -> None:
        self.fast = fast

    @cached_property
    def exports(self) -> pd.DataFrame:
        """Indonesia's exports (``hilir.load_exports(reporter="IDN")``)."""
        from hilir.data.load import load_exports

        return load_exports(reporter="IDN")

    @cached_property
    def production(self) -> pd.DataFrame:
        """The production table."""
        from hilir.data.load import load_production

        return load_production()

    @cached_property
    def prices(self) -> pd.DataFrame:
        """The prices table."""
        from hilir.data.load import load_prices

        return load_prices()

    @cached_property
    def stage_shares_nickel(self) -> pd.DataFrame:
        """:func:`hilir.value.stage_shares` of the nickel chain."""
        from hilir.value import stage_shares

        return stage_shares(self.exports, chain="nickel")

    @cached_property
    def processing_shares(self) -> pd.DataFrame:
        """Processed share by chain and year (model frame, or exports when ``fast``)."""
        if self.fast:
            return self.exports
        from hilir.value import processing_share

        return processing_share(self.exports)

    @cached_property
    def unit_values_nickel(self) -> pd.DataFrame:
        """:func:`hilir.value.unit_values` of the nickel chain (preferred source)."""
        from hilir.value import unit_values

        return unit_values(self.exports, chain="nickel", preferred_only=True)

    @cached_property
    def uplift_nickel(self) -> pd.DataFrame:
        """:func:`hilir.value.uplift` of the nickel chain."""
        from hilir.value import uplift

        return uplift(self.exports, chain="nickel")

    @cached_property
    def scenario_coffee(self) -> pd.DataFrame:
        """Coffee scenario (2015 base): green coffee roasted at home, by share."""
        from hilir.value import scenario

        return scenario(self.exports, chain="coffee", year=2015, shares=list(SCENARIO_SHARES))

    @cached_property
    def decomposition_nickel(self) -> pd.DataFrame:
        """:func:`hilir.value.decompose_growth` of nickel exports, 2005 to 2019."""
        from hilir.value import decompose_growth

        return decompose_growth(self.exports, chain="nickel", year_from=2005, year_to=2019)

    @cached_property
    def jobs_coffee(self) -> pd.DataFrame:
        """Jobs in Lampung of the coffee scenario at a 20 % share."""
        from hilir.jobs import jobs_from_scenario
        from hilir.value import scenario_changes

        changes = scenario_changes(self.scenario_coffee)
        changes = changes[changes["share"] == 0.2].drop(columns=["geography"])
        return jobs_from_scenario(changes, geography="ID-LA")

    @cached_property
    def ferronickel_series(self) -> pd.DataFrame:
        """Ferronickel export value (HS 720260), the policy example's series."""
        from hilir.policy import trade_series

        return trade_series(self.exports, hs_code="720260", reporter="IDN")

    @cached_property
    def its_ferronickel(self) -> object:
        """Interrupted time series of ferronickel exports around the 2014 and 2020 ore bans."""
        from hilir.policy import fit_its

        return fit_its(
            self.ferronickel_series,
            events=["nickel_ore_ban_2014", "nickel_ore_ban_2020"],
            scale="log",
        )

    @cached_property
    def price_comparison(self) -> pd.DataFrame:
        """:func:`hilir.value.compare_world_prices` of Indonesia's unit values."""
        from hilir.value import compare_world_prices, unit_values

        return compare_world_prices(unit_values(self.exports, preferred_only=True), self.prices)

    def scenario_summary(self) -> pd.DataFrame:
        """:func:`hilir.value.scenario_summary` of the coffee scenario."""
        from hilir.value import scenario_summary

        return scenario_summary(self.scenario_coffee)


@dataclass(frozen=True)
class Example:
    """One gallery chart.

    Attributes
    ----------
    name : str
        File stem (``stage_share_nickel``).
    chart : str
        Chart kind (a key of :data:`hilir.plots.CHARTS`).
    frame : str
        The frame the chart is drawn from, for the gallery page.
    draw : callable
        ``draw(data, lang, size)`` -> Figure, with ``data`` a :class:`ShippedData`.
    """

    name: str
    chart: str
    frame: str
    draw: Callable[[ShippedData, str, str], Figure]


def _examples() -> list[Example]:
    from hilir import plots as P

    return [
        Example(
            "stage_share_nickel",
            "stage_share",
            "hilir.value.stage_shares(exports, chain='nickel')",
            lambda d, lang, size: P.plot_stage_share(
                d.stage_shares_nickel, lang=lang, geography="IDN", chain="nickel", size=size
            ),
        ),
        Example(
            "small_multiples",
            "small_multiples",
            "hilir.value.processing_share(exports)",
            lambda d, lang, size: P.plot_small_multiples(
                d.processing_shares,
                lang=lang,
                geography="IDN",
                chains=["coffee", "rubber", "palm_oil", "nickel", "cocoa", "cassava"],
                size=size,
            ),
        ),
        Example(
            "unit_value_ladder_nickel",
            "unit_value_ladder",
            "hilir.value.unit_values(exports, chain='nickel', preferred_only=True)",
            lambda d, lang, size: P.plot_unit_value_ladder(
                d.unit_values_nickel, lang=lang, geography="IDN", chain="nickel", size=size
            ),
        ),
        Example(
            "uplift_nickel",
            "uplift",
            "hilir.value.uplift(exports, chain='nickel')",
            lambda d, lang, size: P.plot_uplift(
                d.uplift_nickel, lang=lang, geography="IDN", chain="nickel", year=2019, size=size
            ),
        ),
        Example(
            "scenario_fan_coffee",
            "scenario_fan",
            "hilir.value.scenario_summary(hilir.value.scenario(exports, chain='coffee', ...))",
            lambda d, lang, size: P.plot_scenario_fan(
                d.scenario_summary(), lang=lang, geography="IDN", chain="coffee", size=size
            ),
        ),
        Example(
            "waterfall_nickel",
            "waterfall",
            "hilir.value.decompose_growth(exports, chain='nickel', year_from=2005, year_to=2019)",
            lambda d, lang, size: P.plot_waterfall(
                d.decomposition_nickel, lang=lang, geography="IDN", chain="nickel", size=size
            ),
        ),
        Example(
            "jobs_coffee_lampung",
            "jobs",
            "hilir.jobs.jobs_from_scenario(hilir.value.scenario_changes(...), geography='ID-LA')",
            lambda d, lang, size: P.plot_jobs(
                d.jobs_coffee,
                lang=lang,
                geography="ID-LA",
                size=size,
                sources=_keys(d.scenario_coffee),
            ),
        ),
        Example(
            "policy_event_ferronickel",
            "policy_event",
            "hilir.policy.fit_its(trade_series(exports, hs_code='720260'), events=[...])",
            lambda d, lang, size: P.plot_policy_event(
                d.its_ferronickel,
                lang=lang,
                geography="IDN",
                item="ferronickel",
                size=size,
                sources=_keys(d.ferronickel_series),
            ),
        ),
        Example(
            "regency_coffee_robusta",
            "regency_production",
            "hilir.load_production()",
            lambda d, lang, size: P.plot_regency_production(
                d.production, lang=lang, crop="coffee_robusta", size=size
            ),
        ),
        Example(
            "world_prices_palm_oil",
            "world_prices",
            "hilir.load_prices()",
            lambda d, lang, size: P.plot_world_prices(
                d.prices,
                lang=lang,
                series=["PALM_OIL", "SOYBEAN_OIL", "COCONUT_OIL"],
                years=(2000, 2023),
                size=size,
            ),
        ),
        Example(
            "price_comparison_palm_oil",
            "price_comparison",
            "hilir.value.compare_world_prices(unit_values(exports), prices)",
            lambda d, lang, size: P.plot_price_comparison(
                d.price_comparison,
                lang=lang,
                geography="IDN",
                product="palm_oil_mixed",
                size=size,
            ),
        ),
    ]


def _keys(frame: pd.DataFrame) -> list[str]:
    from hilir.plots.sources import frame_keys

    return frame_keys(frame)


def examples() -> list[Example]:
    """Every gallery example, one per chart kind, in the order of the gallery page."""
    return _examples()


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
    "source), or any frame with year, stage and share_value/share_volume, or the export "
    "table (year, stage, value_usd)",
    "small_multiples": "`hilir.value.processing_share` (chain, year, bound, share_value, "
    "share_volume, source), or stage shares, or the export table",
    "unit_value_ladder": "`hilir.value.unit_values` (product, stage, year, "
    "unit_value_usd_per_kg, flag, value_usd, source), or the export table",
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
