"""The one chart style of hilir: palette, stage ramps, figure sizes and matplotlib settings.

Chart functions apply this style themselves (inside :func:`chart_style`); notebooks never set
styles. The font is DejaVu Sans, which ships inside matplotlib, so a chart looks the same on
every machine without installing fonts; LaTeX is never used.

Colours are colour-blind safe: chain colours come from Paul Tol's *muted* and *bright*
qualitative schemes and the Okabe-Ito scheme (both designed to stay distinct under the
common forms of colour-vision deficiency); each chain keeps its colour in every chart. A
stage ramp keeps the chain's hue and goes from light (raw) to dark (processed), so stage
order reads without a legend and survives greyscale printing.

References
----------
Tol, P. (2021). *Colour schemes*. SRON Technical Note SRON/EPS/TN/09-002, issue 3.2.
Okabe, M. and Ito, K. (2008). *Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people*. J*FLY.
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from hilir.errors import HilirDataError

Size = Literal["column", "full", "slide"]

#: Text and neutral colours.
INK = "#222222"
MUTED = "#6b6b6b"
GRID = "#dddddd"
CONTEXT = "#b3b3b3"  # series the title does not talk about
#: Context series drawn together, each its own (line colour, label colour, dash pattern):
#: greys a step apart in lightness, told apart in greyscale by the dashes too.
CONTEXT_SERIES: tuple[tuple[str, str, object], ...] = (
    ("#8f8f8f", "#5c5c5c", "solid"),
    ("#bdbdbd", "#858585", (0, (4, 2))),
    ("#a3a3a3", "#707070", (0, (1, 1.5))),
)
BAND_ALPHA = 0.25

#: Fixed colour of each chain (same in every chart). Keys are registry chain keys.
CHAIN_COLOURS: dict[str, str] = {
    "coffee": "#882255",  # Tol muted wine
    "spices": "#999933",  # Tol muted olive
    "pepper": "#999933",
    "rubber": "#332288",  # Tol muted indigo
    "palm_oil": "#117733",  # Tol muted green
    "nickel": "#44AA99",  # Tol muted teal
    "bauxite": "#CC6677",  # Tol muted rose
    "aluminium": "#88CCEE",  # Tol muted cyan (its own chain since alumina is imported)
    "copper": "#EE7733",  # Tol vibrant orange
    "tin": "#0077BB",  # Tol vibrant blue
    "coal": "#555555",  # raw-only reference: dark grey
    "cocoa": "#AA4499",  # Tol muted purple
    "cassava": "#DDAA33",  # Tol high-contrast yellow
    "pineapple": "#E69F00",  # Okabe-Ito orange
    "steel": "#004488",  # Tol high-contrast blue
}
#: Colour for a chain without its own colour.
DEFAULT_ACCENT = "#0072B2"  # Okabe-Ito blue

#: Direction colours for waterfalls and signed bars (Okabe-Ito blue and vermillion).
UP = "#0072B2"
DOWN = "#D55E00"
TOTAL = "#444444"

#: Lightness of each stage in a ramp (HLS lightness, 0 = black, 1 = white).
STAGE_LIGHTNESS: dict[str, float] = {"raw": 0.80, "intermediate": 0.58, "processed": 0.34}
#: Order of stages from raw to processed; ``mixed`` (a source item spanning stages) last.
STAGE_ORDER: tuple[str, ...] = ("raw", "intermediate", "processed", "mixed")
MIXED = "#c8c8c8"

#: Crops of the production table and the chain whose colour they take.
CROP_CHAIN: dict[str, str] = {
    "coffee": "coffee",
    "coffee_robusta": "coffee",
    "coffee_arabica": "coffee",
    "pepper": "spices",
    "clove": "spices",
    "nutmeg": "spices",
    "oil_palm": "palm_oil",
    "palm_oil": "palm_oil",
    "rubber": "rubber",
    "cocoa": "cocoa",
    "cassava": "cassava",
    "pineapple": "pineapple",
}

#: World Bank Pink Sheet series and the chain whose colour they take.
SERIES_CHAIN: dict[str, str] = {
    "COFFEE_ARABIC": "coffee",
    "COFFEE_ROBUS": "coffee",
    "PALM_OIL": "palm_oil",
    "PLMKRNL_OIL": "palm_oil",
    "RUBBER_TSR20": "rubber",
    "RUBBER1_MYSG": "rubber",
    "NICKEL": "nickel",
    "ALUMINUM": "bauxite",
    "COPPER": "copper",
    "TIN": "tin",
    "COAL_AUS": "coal",
    "COCOA": "cocoa",
}


@dataclass(frozen=True)
class FigureSize:
    """A named figure size.

    Attributes
    ----------
    name : str
        ``column``, ``full`` or ``slide``.
    width, height : float
        Inches.
    font : float
        Base font size in points (tick labels, subtitle); titles are larger, source lines
        smaller.
    """

    name: str
    width: float
    height: float
    font: float

    @property
    def title(self) -> float:
        """Title font size (points)."""
        return round(self.font * 1.3, 1)

    @property
    def small(self) -> float:
        """Source and note line font size (points)."""
        return round(self.font * 0.82, 1)


#: Named sizes: one column of a two-column A4 brief (85 mm), the full A4 text width
#: (180 mm), and a 16:9 slide.
SIZES: dict[str, FigureSize] = {
    "column": FigureSize("column", 3.35, 3.4, 7.0),
    "full": FigureSize("full", 7.09, 4.3, 8.5),
    "slide": FigureSize("slide", 10.0, 5.625, 12.0),
}


def figure_size(size: str) -> FigureSize:
    """The named size; raise on an unknown name.

    Raises
    ------
    HilirDataError
        If ``size`` is not ``column``, ``full`` or ``slide``.
    """
    if size not in SIZES:
        raise HilirDataError(f"size must be one of {list(SIZES)}, not {size!r}")
    return SIZES[size]


def chain_colour(chain: str | None) -> str:
    """The fixed colour of a chain (a default accent for chains without one)."""
    if chain is None:
        return DEFAULT_ACCENT
    return CHAIN_COLOURS.get(str(chain), DEFAULT_ACCENT)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def _rgb(colour: str) -> tuple[float, float, float]:
    c = colour.lstrip("#")
    if len(c) != 6:
        raise HilirDataError(f"colour must be #rrggbb, not {colour!r}")
    return tuple(int(c[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def with_lightness(colour: str, lightness: float) -> str:
    """``colour`` with its HLS lightness set to ``lightness`` (hue and saturation kept)."""
    h, _, s = colorsys.rgb_to_hls(*_rgb(colour))
    return _hex(colorsys.hls_to_rgb(h, lightness, s))


def stage_colour(stage: str, chain: str | None = None) -> str:
    """Colour of a stage in a chain's ramp: light for raw, dark for processed.

    ``mixed`` (a source item spanning stages) is a neutral grey in every chain.

    Raises
    ------
    HilirDataError
        On an unknown stage.
    """
    if stage == "mixed":
        return MIXED
    if stage not in STAGE_LIGHTNESS:
        raise HilirDataError(f"unknown stage {stage!r}; stages are {list(STAGE_ORDER)}")
    return with_lightness(chain_colour(chain), STAGE_LIGHTNESS[stage])


def stage_ramp(chain: str | None = None) -> dict[str, str]:
    """Colours of every stage of a chain, raw to processed, then mixed."""
    return {stage: stage_colour(stage, chain) for stage in STAGE_ORDER}


def text_colour_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (WCAG relative luminance)."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in _rgb(colour))
    return INK if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.25 else "#ffffff"


def rc_params(size: str = "full") -> dict[str, Any]:
    """Matplotlib settings of the hilir style for a named size.

    Fixed settings make images reproducible: the bundled DejaVu Sans, no LaTeX, no locale,
    a fixed SVG hash salt and glyphs written as paths in SVG.
    """
    from cycler import cycler

    fs = figure_size(size)
    return {
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
        "font.size": fs.font,
        "text.usetex": False,
        "text.parse_math": False,  # "US$1 ... US$2" is money, never mathtext
        "mathtext.fontset": "dejavusans",
        "axes.formatter.use_locale": False,
        "axes.unicode_minus": False,
        "axes.titlesize": fs.font,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": fs.font,
        "axes.labelcolor": MUTED,
        "axes.edgecolor": MUTED,
        "axes.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "axes.axisbelow": True,
        "axes.prop_cycle": cycler(
            color=[DEFAULT_ACCENT, "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
        ),
        "grid.color": GRID,
        "grid.linewidth": 0.6,
        "xtick.labelsize": fs.font * 0.92,
        "ytick.labelsize": fs.font * 0.92,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "xtick.major.size": 2.5,
        "ytick.major.size": 0.0,
        "xtick.major.width": 0.6,
        "xtick.minor.visible": False,
        "ytick.minor.visible": False,
        "legend.frameon": False,
        "legend.fontsize": fs.font * 0.92,
        "lines.linewidth": 1.6 if size != "slide" else 2.4,
        "lines.markersize": 3.5 if size == "column" else 4.5,
        "patch.linewidth": 0.0,
        "figure.dpi": 100,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "savefig.dpi": 300,
        "svg.hashsalt": "hilir",
        "svg.fonttype": "path",
        "svg.image_inline": True,
        "path.simplify": True,
    }


@contextmanager
def chart_style(size: str = "full") -> Iterator[FigureSize]:
    """Apply the hilir style for the duration of a ``with`` block.

    Yields
    ------
    FigureSize
        The named size.
    """
    import matplotlib as mpl

    fs = figure_size(size)
    with mpl.rc_context(rc_params(size)):
        yield fs
