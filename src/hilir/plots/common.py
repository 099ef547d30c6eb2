"""Input checks and the build-and-attach sequence shared by the chart functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hilir.checks import geography_code
from hilir.errors import HilirDataError
from hilir.i18n.catalog import check_lang, has, t, text_of
from hilir.i18n.dates import format_period
from hilir.i18n.units import AxisScale, ExchangeRate, axis_scale
from hilir.plots.layout import NumberFormatter, decorate, new_figure
from hilir.plots.meta import ChartMeta, attach
from hilir.plots.sources import Note, collect_sources, note_line, source_line
from hilir.plots.style import FigureSize, figure_size, with_lightness
from hilir.provenance.sidecar import Provenance

BOUNDS = ("low", "central", "high")


def check_choice(name: str, value: object, allowed: Sequence[object]) -> None:
    """Raise if ``value`` is not one of ``allowed``."""
    if value not in allowed:
        raise HilirDataError(f"{name} must be one of {list(allowed)}, not {value!r}")


def require(frame: object, columns: Iterable[str], what: str) -> None:
    """Raise if ``frame`` is not a DataFrame with ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise HilirDataError(f"{what} must be a pandas DataFrame, not {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise HilirDataError(f"{what} lacks columns {missing}; it has {list(frame.columns)}")
    if frame.empty:
        raise HilirDataError(f"{what} has no rows")


def geo_code(geography: object) -> str:
    """``IDN``, ``ID-LA`` or ``WORLD`` from a code or a name (``"Lampung"``).

    Raises
    ------
    HilirDataError
        For any other geography.
    """
    code = geography_code(geography, world=True)
    if code not in ("IDN", "ID-LA", "WORLD"):  # the geographies the charts have labels for
        raise HilirDataError(
            f"geography must be Indonesia ('IDN') or Lampung ('ID-LA'), not {geography!r}"
        )
    return code


def select_geography(frame: pd.DataFrame, code: str, what: str) -> pd.DataFrame:
    """Rows of ``frame`` for one geography (``reporter`` or ``geography`` column).

    A frame without either column is taken as already being for ``code``. A frame whose
    rows are for other geographies is an error, so Indonesia's data is never labelled
    Lampung.
    """
    if code == "WORLD":
        return frame
    for column in ("reporter", "geography"):
        if column in frame.columns:
            values = frame[column].astype("string")
            codes = values.map(lambda v: geography_code(v, world=True) or str(v))
            keep = codes.eq(code).fillna(False).to_numpy(dtype=bool)
            if not keep.any():
                have = sorted(set(codes.dropna()))
                raise HilirDataError(f"{what} has no rows for geography {code!r}; it has {have}")
            return frame[keep]
    return frame


def select_value(
    frame: pd.DataFrame, column: str, value: str | None, what: str
) -> tuple[pd.DataFrame, str | None]:
    """Rows with ``column == value``; with ``value=None`` the column must hold one value.

    Returns
    -------
    (DataFrame, str or None)
        The rows and the value selected (None when the column is absent).
    """
    if column not in frame.columns:
        if value is not None:
            raise HilirDataError(f"{what} has no {column!r} column to select {value!r} from")
        return frame, None
    present = sorted(str(v) for v in frame[column].dropna().unique())
    if value is None:
        if len(present) != 1:
            raise HilirDataError(f"{what} holds several {column} values {present}; pass {column}=")
        return frame, present[0]
    keep = frame[column].astype("string").eq(str(value)).fillna(False).to_numpy(dtype=bool)
    if not keep.any():
        raise HilirDataError(f"{what} has no rows for {column} {value!r}; it has {present}")
    return frame[keep], str(value)


def select_bound(frame: pd.DataFrame, bound: str, what: str) -> pd.DataFrame:
    """Rows of one bound when the frame has a ``bound`` column."""
    check_choice("bound", bound, BOUNDS)
    if "bound" not in frame.columns:
        return frame
    keep = frame["bound"].astype("string").eq(bound).fillna(False).to_numpy(dtype=bool)
    if not keep.any():
        raise HilirDataError(f"{what} has no rows for bound {bound!r}")
    return frame[keep]


def bounds_wide(frame: pd.DataFrame, value: str, index: Sequence[str], what: str) -> pd.DataFrame:
    """``low``, ``central``, ``high`` columns of a value, from a long or a wide frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        Either long (``bound`` and ``value`` columns) or wide (``<value>_low``,
        ``<value>_central``, ``<value>_high``).
    value : str
        Name of the value column (``jobs``, ``uplift``, ``delta_value_usd``).
    index : sequence of str
        Columns identifying a row (``chain``, ``kind``).

    Raises
    ------
    HilirDataError
        Neither layout, a missing bound, or several rows for one index and bound.
    """
    index = [c for c in index if c in frame.columns]
    wide_cols = [f"{value}_{b}" for b in BOUNDS]
    if all(c in frame.columns for c in wide_cols):
        out = frame.loc[:, [*index, *wide_cols]].rename(
            columns=dict(zip(wide_cols, BOUNDS, strict=True))
        )
    elif "bound" in frame.columns and value in frame.columns:
        bad = sorted(set(frame["bound"].dropna().astype(str)) - set(BOUNDS))
        if bad:
            raise HilirDataError(f"{what} has unknown bounds {bad}; bounds are {list(BOUNDS)}")
        dup = frame.duplicated([*index, "bound"])
        if dup.any():
            row = frame[dup.to_numpy(dtype=bool)].iloc[0]
            key = {c: row[c] for c in [*index, "bound"]}
            raise HilirDataError(
                f"{what} has several rows for {key}; filter it to one row per "
                f"{[*index, 'bound']} first"
            )
        out = (
            frame.pivot(index=index, columns="bound", values=value).reset_index()
            if index
            else frame.set_index("bound")[[value]].T.reset_index(drop=True)
        )
        out.columns.name = None
    else:
        raise HilirDataError(
            f"{what} needs either columns 'bound' and {value!r}, or {wide_cols}; it has "
            f"{list(frame.columns)}"
        )
    missing = [b for b in BOUNDS if b not in out.columns]
    if missing:
        raise HilirDataError(f"{what} lacks bound {missing}: a range needs low, central and high")
    for b in BOUNDS:
        out[b] = pd.to_numeric(out[b], errors="coerce").astype("float64")
    return out


def select_chains(frame: pd.DataFrame, chains: Sequence[str] | None, what: str) -> pd.DataFrame:
    """Rows of ``frame`` whose ``chain`` is one of ``chains`` (all rows for None).

    Raises
    ------
    HilirDataError
        If a requested chain has no rows.
    """
    if chains is None:
        return frame
    have = set(frame["chain"].astype(str))
    absent = sorted(set(chains) - have)
    if absent:
        raise HilirDataError(f"{what} has no rows for chains {absent}; it has {sorted(have)}")
    return frame[frame["chain"].astype(str).isin(list(chains)).to_numpy(dtype=bool)]


def join_keys(values: Iterable[object]) -> str:
    """Distinct provenance keys of ``+``-joined values, sorted and joined with ``+``."""
    return "+".join(sorted({k for v in values for k in str(v).split("+") if k}))


def source_of(frame: pd.DataFrame) -> str:
    """The joined provenance keys of a frame's ``source`` column (``""`` without one)."""
    return join_keys(frame["source"].dropna()) if "source" in frame.columns else ""


def years_of(frame: pd.DataFrame) -> list[int]:
    """Sorted distinct years of a frame's ``year`` column."""
    if "year" not in frame.columns:
        return []
    return sorted({int(y) for y in frame["year"].dropna()})


def period_text(years: Sequence[int]) -> str:
    """``2010–2020`` or ``2015`` from a list of years."""
    if not years:
        return ""
    return format_period(min(years), max(years))


def cap(text: str) -> str:
    """``text`` with its first letter in upper case (labels are stored mid-sentence)."""
    return text[:1].upper() + text[1:] if text else text


def text_colour(colour: str) -> str:
    """A readable text colour in the hue of ``colour`` (light ramp colours are darkened)."""
    import colorsys

    c = colour.lstrip("#")
    r, g, b = (int(c[i : i + 2], 16) / 255 for i in (0, 2, 4))
    _, lightness, _ = colorsys.rgb_to_hls(r, g, b)
    return with_lightness(colour, min(lightness, 0.40))


def item_label(
    key: str,
    lang: str,
    *,
    families: Sequence[str] = ("product", "chain", "crop", "series"),
) -> str:
    """Short label of a product, chain, crop or price series (``product.coffee_roasted``).

    Parameters
    ----------
    key : str
        The key.
    lang : {"id", "en"}
    families : sequence of str
        Catalogue families to look in, in order (a key such as ``coffee_green`` is both a
        product and a FAOSTAT crop item).

    Raises
    ------
    HilirDataError
        If the catalogue has no label: add a row to ``hilir/i18n/messages.csv``.
    """
    for family in families:
        if has(f"{family}.{key}"):
            return t(f"{family}.{key}", lang)
    raise HilirDataError(
        f"no label for {key!r} in the message catalogue; add a row '{families[0]}.{key}' "
        "with both languages to hilir/i18n/messages.csv"
    )


def as_notes(note: Note | Sequence[Note] | None) -> list[Note]:
    """A caller's note argument as a list."""
    if note is None:
        return []
    if isinstance(note, str | Mapping):
        return [note]
    return list(note)


def money_axis(
    ax: Any,
    values: Iterable[float],
    lang: str,
    *,
    currency: str = "USD",
    axis: str = "y",
) -> tuple[AxisScale, str]:
    """Tick labels of a money axis in a magnitude (``US$ miliar``); returns scale and unit."""
    arr = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    sc = axis_scale(float(np.max(np.abs(arr))) if arr.size else 0.0, words=6)
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(NumberFormatter(lang, divisor=sc.divisor))
    return sc, sc.money_unit(lang, currency)  # type: ignore[arg-type]


def to_currency(values: pd.Series, currency: str, fx: ExchangeRate | None) -> pd.Series:
    """US dollar values in the chart currency (rupiah needs a stated exchange rate)."""
    check_choice("currency", currency, ("USD", "IDR"))
    if currency == "USD":
        return values.astype("float64")
    if not isinstance(fx, ExchangeRate):
        raise HilirDataError(
            "rupiah charts need fx=ExchangeRate(idr_per_usd, source, period): the rate and "
            "its source are printed on the chart"
        )
    return values.astype("float64") * float(fx.idr_per_usd)


def date_x(date: pd.Timestamp) -> float:
    """A date as a fractional year on a numeric year axis (1 January = the year itself)."""
    date = pd.Timestamp(date)
    start = pd.Timestamp(year=date.year, month=1, day=1)
    days = 366 if date.is_leap_year else 365
    return date.year + (date - start).days / days


def latest_year_of(frame: pd.DataFrame) -> int | None:
    """Largest year in ``year`` (or ``year_to``, ``date``) of a frame, or None."""
    for column in ("year", "year_to"):
        if column in frame.columns and frame[column].notna().any():
            return int(pd.to_numeric(frame[column], errors="coerce").max())
    if "date" in frame.columns and frame["date"].notna().any():
        return int(pd.to_datetime(frame["date"]).dt.year.max())
    return None


class Chart:
    """The build sequence of a chart: checks, figure, texts, provenance, metadata.

    Parameters
    ----------
    name : str
        Chart kind.
    lang : {"id", "en"}
    size : {"column", "full", "slide"}
    """

    def __init__(self, name: str, *, lang: str, size: str) -> None:
        self.name = name
        self.lang = check_lang(lang)
        self.size = size
        self.fs: FigureSize = figure_size(size)
        self.meta: ChartMeta | None = None

    def t(self, key: str, **fields: object) -> str:
        """Catalogue text in the chart's language."""
        return t(key, self.lang, **fields)

    def text(self, message: str | Mapping[str, str]) -> str:
        """Text from a catalogue key or a bilingual mapping."""
        return text_of(message, self.lang)

    def figure(
        self, nrows: int = 1, ncols: int = 1, *, height: float | None = None, **kw: object
    ) -> tuple[Figure, np.ndarray]:
        """A figure of the chart's size with a grid of axes."""
        return new_figure(self.fs, nrows=nrows, ncols=ncols, height=height, **kw)

    def single(self, *, height: float | None = None) -> tuple[Figure, Any]:
        """A figure of the chart's size with one axes (``height`` in inches overrides)."""
        fig, axes = self.figure(height=height)
        return fig, axes[0, 0]

    def rows_figure(self, n: int, *, base: float, per_row: float) -> tuple[Figure, Any, np.ndarray]:
        """A one-axes figure for ``n`` horizontal rows, the first row at the top.

        The height is the size's height or ``base`` of it plus ``per_row`` × font size
        inches a row, whichever is larger.

        Returns
        -------
        (Figure, Axes, numpy.ndarray)
            The figure, its axes and the y position of each row (``n - 1`` down to 0).
        """
        height = max(self.fs.height, self.fs.height * base + n * self.fs.font * per_row)
        fig, ax = self.single(height=height)
        return fig, ax, np.arange(n)[::-1]

    def finish(
        self,
        fig: Figure,
        *,
        data: pd.DataFrame,
        title: str,
        subtitle: str,
        frames: Sequence[pd.DataFrame | None],
        sources: Iterable[str | Provenance] | None,
        notes: Sequence[Note | None] = (),
        latest_year: int | None = None,
        processed: bool = True,
        extra: dict[str, object] | None = None,
    ) -> None:
        """Write title, subtitle, source and note lines; lay the figure out; keep metadata.

        After this call the layout is done, so direct labels can be placed in display
        coordinates.
        """
        title, subtitle = cap(title), cap(subtitle)
        info = collect_sources(frames, sources)
        year = latest_year if latest_year is not None else latest_year_of(data)
        if year is None:
            year = info.latest_year()
        src = source_line(info, self.lang, latest_year=year, processed=processed)
        note = note_line(notes, self.lang)
        decorate(fig, self.fs, title=title, subtitle=subtitle, source=src, note=note)
        fig.draw_without_rendering()
        self.meta = ChartMeta(
            chart=self.name,
            lang=self.lang,
            size=self.size,
            data=data.reset_index(drop=True),
            sources=info,
            title=title,
            subtitle=subtitle,
            source_line=src,
            note_line=note,
            latest_year=year,
            extra=dict(extra or {}),
        )

    def fx_note(self, currency: str, fx: ExchangeRate | None) -> str | None:
        """Note stating the exchange rate of a rupiah chart (None for US dollars)."""
        if currency == "IDR" and fx is not None:
            return fx.note(self.lang)
        return None

    def done(self, fig: Figure) -> Figure:
        """Attach the metadata to the figure and return it."""
        if self.meta is None:  # pragma: no cover - programming error
            raise RuntimeError("Chart.finish was not called")
        return attach(fig, self.meta)


def frame_sources(frame: pd.DataFrame, *columns: str) -> list[str]:
    """Provenance keys held in other columns of a frame (``price_source``)."""
    from hilir.provenance.keys import split_keys

    values: list[object] = []
    for column in columns:
        if column in frame.columns:
            values += list(frame[column].dropna().unique())
    return split_keys(values)
