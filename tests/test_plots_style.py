"""The one chart style: palette, stage ramps, sizes, font, no LaTeX."""

from __future__ import annotations

import colorsys

import matplotlib as mpl
import pytest

from hilir.errors import HilirDataError
from hilir.plots.style import (
    CHAIN_COLOURS,
    SIZES,
    STAGE_LIGHTNESS,
    chain_colour,
    chart_style,
    figure_size,
    rc_params,
    stage_colour,
    stage_ramp,
    text_colour_on,
    with_lightness,
)


def _lightness(colour: str) -> float:
    c = colour.lstrip("#")
    return colorsys.rgb_to_hls(*(int(c[i : i + 2], 16) / 255 for i in (0, 2, 4)))[1]


def _hue(colour: str) -> float:
    c = colour.lstrip("#")
    return colorsys.rgb_to_hls(*(int(c[i : i + 2], 16) / 255 for i in (0, 2, 4)))[0]


def test_every_registry_chain_has_its_own_colour():
    from hilir.registry.tables import chains

    keys = set(chains()["chain"].astype(str))
    assert keys <= set(CHAIN_COLOURS)
    colours = [CHAIN_COLOURS[k] for k in sorted(keys)]
    assert len(set(colours)) == len(colours)


@pytest.mark.parametrize("chain", sorted(CHAIN_COLOURS))
def test_stage_ramp_goes_light_to_dark_in_the_chain_hue(chain):
    ramp = stage_ramp(chain)
    light = [_lightness(ramp[s]) for s in ("raw", "intermediate", "processed")]
    assert light[0] > light[1] > light[2]
    assert light == pytest.approx(
        [STAGE_LIGHTNESS[s] for s in ("raw", "intermediate", "processed")], abs=0.01
    )
    if chain != "coal":  # grey has no hue
        assert _hue(ramp["processed"]) == pytest.approx(_hue(CHAIN_COLOURS[chain]), abs=0.02)
    assert ramp["mixed"] == stage_colour("mixed", "coffee")


def test_unknown_stage_size_and_colour_are_errors():
    with pytest.raises(HilirDataError, match="unknown stage"):
        stage_colour("semi", "coffee")
    with pytest.raises(HilirDataError, match="size"):
        figure_size("a4")
    with pytest.raises(HilirDataError, match="#rrggbb"):
        with_lightness("red", 0.5)
    assert chain_colour("durian") == chain_colour(None)


def test_named_sizes():
    assert set(SIZES) == {"column", "full", "slide"}
    assert SIZES["slide"].width / SIZES["slide"].height == pytest.approx(16 / 9)
    assert SIZES["column"].width * 25.4 == pytest.approx(85, abs=0.5)  # A4 brief column
    assert SIZES["full"].width * 25.4 == pytest.approx(180, abs=0.5)  # A4 text width
    assert SIZES["column"].font < SIZES["full"].font < SIZES["slide"].font


def test_style_uses_the_bundled_font_no_latex_and_a_fixed_svg_salt():
    rc = rc_params("full")
    assert rc["font.sans-serif"] == ["DejaVu Sans"]
    assert rc["text.usetex"] is False and rc["text.parse_math"] is False
    assert rc["svg.hashsalt"] == "hilir"
    salt_before = mpl.rcParams["svg.hashsalt"]
    with chart_style("column") as fs:
        assert fs.name == "column"
        assert mpl.rcParams["font.size"] == SIZES["column"].font
        from matplotlib.font_manager import findfont

        assert findfont("DejaVu Sans").endswith("DejaVuSans.ttf")
        assert mpl.rcParams["svg.hashsalt"] == "hilir"
    assert mpl.rcParams["svg.hashsalt"] == salt_before


def test_text_colour_reads_on_its_background():
    assert text_colour_on("#ffffff") != "#ffffff"
    assert text_colour_on("#000000") == "#ffffff"
    assert text_colour_on(stage_colour("raw", "nickel")) != "#ffffff"
