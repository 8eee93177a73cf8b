"""The charts' house style, Chinese font and small deterministic PNGs.

The briefing notebook draws its charts with seaborn/matplotlib in its own cells; the
``analysis.house`` extension applies :func:`style_rc` and renders every figure a cell
shows with :func:`figure_to_png`. The two ready-made charts here serve the exploration
notebook. Every chart function takes a tidy DataFrame (columns documented on the function) and
returns a :class:`matplotlib.figure.Figure`. Figures are built with the object API
(``Figure()``, not ``pyplot``), so they are never auto-displayed twice by the inline
backend and never accumulate in pyplot's figure registry.

Render with :func:`figure_to_png` (bytes), :func:`png_data_uri` (``data:`` URI),
:func:`figure_html` (an ``<img>`` tag with alt text) or :func:`display_figure` (show in a
notebook so nbconvert embeds it). The same data give byte-identical PNG bytes on a given
machine: fixed size and dpi, no metadata (no ``Software``/date chunks), fixed palette
quantisation.

Font: the analyst's system Chinese font, else the bundled face (see
``analysis.present.chart_font``).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import html
import io
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ParamSpec, TypeVar

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis.compare import format_number
from analysis.present.chart_font import chinese_font_family

# --- size and palette ---------------------------------------------------------------

DPI = 210  # 1008 px wide bitmaps shown 480 CSS px wide: printed at their CSS size, 201 dpi
# 4.8 in × 100 CSS px per inch = 480 px: on a 390 px phone (370 px of content) the chart is
# shown at 77%, so its smallest text (10.5 pt = 14.6 CSS px) stays above 11 px; on A4 it is
# 127 mm of the 156 mm text block
WIDTH_IN = 4.8
CSS_PX_PER_IN = 100
PNG_COLOURS = 64  # palette size after quantisation (antialiased text needs a few greys)

BLUE = "#1f5fa8"  # this year / done / rectified: the series the eye should follow
GREY = "#b3b3b3"  # last year / planned / found: the reference series
RED = "#c0392b"  # only for emphasis (e.g. 重大隐患 panel title)
TEXT = "#333333"
GRID = "#e6e6e6"

NO_DATA = "无数据"

# --- style --------------------------------------------------------------------------


def style_rc() -> dict[str, Any]:
    """The rcParams of the house style."""
    family = chinese_font_family()
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [family, "DejaVu Sans"],
        "font.size": 12,
        "axes.titlesize": 13,
        "axes.titleweight": "normal",  # the bundled face has no bold weight
        "axes.titlelocation": "left",
        "axes.labelsize": 11,
        "axes.labelcolor": TEXT,
        "axes.edgecolor": GRID,
        "axes.linewidth": 0.8,
        "axes.grid": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.unicode_minus": False,  # plain hyphen-minus: present in every font
        "axes.prop_cycle": matplotlib.cycler(color=[BLUE, GREY, RED]),
        "xtick.labelsize": 10.5,
        "ytick.labelsize": 10.5,
        "xtick.color": TEXT,
        "ytick.color": TEXT,
        "grid.color": GRID,
        "grid.linewidth": 0.8,
        "legend.fontsize": 10.5,
        "legend.frameon": False,
        "figure.dpi": DPI,
        "figure.facecolor": "white",
        "figure.titlesize": 14,
        "figure.titleweight": "normal",
        "text.color": TEXT,
        "savefig.dpi": DPI,
        "savefig.facecolor": "white",
        "svg.hashsalt": "analysis",
    }


@contextlib.contextmanager
def style_context() -> Iterator[None]:
    """Apply the house style for the duration of a ``with`` block."""
    with matplotlib.rc_context(style_rc()):
        yield


P = ParamSpec("P")
R = TypeVar("R")


def _styled(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` inside :func:`style_context` (figure creation and rendering alike)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with style_context():
            return func(*args, **kwargs)

    return wrapper


# --- rendering ----------------------------------------------------------------------


@_styled
def figure_to_png(fig: Figure, *, close: bool = True) -> bytes:
    """Render ``fig`` to PNG bytes: Agg, fixed dpi, palette-quantised, no metadata.

    The figure is closed afterwards (``close=False`` keeps it, e.g. to render twice).
    """
    from PIL import Image

    try:
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        rgba = np.asarray(canvas.buffer_rgba())
        image = Image.fromarray(rgba[..., :3].copy(), "RGB")
        # Fast octree quantisation: ~8x faster than median cut and smaller files for these
        # flat-colour charts.
        image = image.quantize(
            colors=PNG_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
        buf = io.BytesIO()
        # No pnginfo → no tEXt/tIME chunks; pHYs from the fixed dpi.
        image.save(buf, format="PNG", compress_level=9, dpi=(DPI, DPI))
        return buf.getvalue()
    finally:
        if close:
            close_figure(fig)


def close_figure(fig: Figure) -> None:
    """Release a figure (also removes it from pyplot's registry if it was made there)."""
    import sys

    if "matplotlib.pyplot" in sys.modules:  # importing pyplot just to close costs ~0.1 s
        sys.modules["matplotlib.pyplot"].close(fig)
    fig.clear()


def png_data_uri(png: bytes) -> str:
    """``data:image/png;base64,…`` for embedding in a standalone HTML file."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def figure_html(fig: Figure | bytes, alt: str) -> str:
    """An ``<img>`` tag (data URI, escaped alt text) that scales down on narrow screens."""
    png = fig if isinstance(fig, bytes) else figure_to_png(fig)
    width = round(png_width(png) * CSS_PX_PER_IN / DPI)
    return (
        f'<img src="{png_data_uri(png)}" alt="{html.escape(alt, quote=True)}" '
        f'width="{width}" style="max-width:100%;height:auto;">'
    )


def display_figure(fig: Figure, alt: str) -> None:
    """Show ``fig`` in a notebook as an inline PNG with alt text; nbconvert embeds it."""
    from IPython.display import HTML, display

    display(HTML(figure_html(fig, alt)))


def png_width(png: bytes) -> int:
    """Pixel width of a PNG, from its header."""
    # IHDR is the first chunk: 8-byte signature, 4 length, 4 type, then width (big endian).
    return int.from_bytes(png[16:20], "big")


# --- helpers ------------------------------------------------------------------------


def _fmt(value: float) -> str:
    """A number on a chart: 四舍五入 like the tables, two decimals at most, no trailing 0."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if float(value).is_integer():
        return format_number(value, 0)
    return format_number(value, 2).rstrip("0").rstrip(".")


def _new_figure(height_in: float) -> Figure:
    return Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, layout="constrained")


def _require(df: pd.DataFrame, columns: Sequence[str], chart: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"{chart}：数据缺少列 {', '.join(missing)}")


def _no_data_figure(title: str, height_in: float = 2.2) -> Figure:
    fig = _new_figure(height_in)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(
        0.5,
        0.45,
        NO_DATA,
        ha="center",
        va="center",
        fontsize=14,
        color="#888888",
        transform=ax.transAxes,
    )
    return fig


def _value_axis(ax: Axes) -> None:
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=False, min_n_ticks=3))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _fmt(round(v, 6))))
    ax.grid(True, axis="x")
    ax.set_axisbelow(True)


def _bars(
    ax: Axes, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float], str]]
) -> None:
    """Grouped horizontal bars, each labelled with its value: ``series`` = [(legend name,
    values, colour), …]."""
    n = len(series)
    pos = np.arange(len(labels), dtype=float)
    width = 0.8 / n
    for i, (name, values, colour) in enumerate(series):
        offset = (i - (n - 1) / 2) * width
        vals = np.asarray(values, dtype=float)
        bars = ax.barh(pos + offset, vals, height=width, color=colour, label=name)
        ax.bar_label(bars, labels=[_fmt(v) for v in vals], padding=2, fontsize=9.5, color=TEXT)
    ax.set_yticks(pos, labels)
    ax.invert_yaxis()  # first label at the top
    ax.spines["left"].set_color(GRID)
    ax.tick_params(axis="y", length=0)
    ax.margins(x=0.12)
    _value_axis(ax)
    if any(np.asarray(v, dtype=float).min(initial=0) < 0 for _, v, _ in series):
        ax.axvline(0, color="#999999", linewidth=0.8)


def _bars_height(n_labels: int, n_series: int) -> float:
    return 1.1 + n_labels * (0.30 + 0.14 * (n_series - 1))


# --- charts -------------------------------------------------------------------------


@_styled
def cumulative_monthly(
    df: pd.DataFrame,
    *,
    year: int | None = None,
    through_month: int | None = None,
    title: str = "累计情况（与去年同期对比）",
    ncols: int = 3,
) -> Figure:
    """Cumulative monthly values, this year vs last year, one small panel per metric.

    ``df`` columns: ``metric`` (Chinese label, panel title; panels follow first
    appearance), ``month`` (1–12), ``year``, ``value`` (the month's own value, not
    cumulative; months without rows count as 0). ``year`` defaults to the latest year in
    the data; last year is ``year - 1``. This year's line stops at ``through_month``
    (default: the latest month with a row for this year); last year runs to December.
    """
    _require(df, ("metric", "month", "year", "value"), "cumulative_monthly")
    if df.empty:
        return _no_data_figure(title)
    data = df.assign(month=df["month"].astype(int), year=df["year"].astype(int))
    year = int(data["year"].max()) if year is None else int(year)
    if through_month is None:
        this_year_months = data.loc[data["year"] == year, "month"]
        through_month = int(this_year_months.max()) if len(this_year_months) else 12
    metrics = list(dict.fromkeys(data["metric"]))
    ncols = max(1, min(ncols, len(metrics)))
    nrows = -(-len(metrics) // ncols)
    fig = _new_figure(0.9 + 2.5 * nrows)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for ax, metric in zip(axes.flat, metrics, strict=False):
        _cumulative_panel(ax, data[data["metric"] == metric], str(metric), year, through_month)
    for ax in list(axes.flat)[len(metrics) :]:
        ax.set_axis_off()
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles[::-1], labels[::-1], loc="outside upper right", ncols=2)
    fig.suptitle(title, x=0.01, ha="left")
    return fig


def _cumulative_panel(
    ax: Axes, sub: pd.DataFrame, title: str, year: int, through_month: int
) -> None:
    """One metric's panel: last year's cumulative line to December, this year's to
    ``through_month`` with its latest value written at the end."""
    last = year - 1
    months = np.arange(1, 13)

    def cumulated(y: int) -> pd.Series:
        monthly = sub[sub["year"] == y].groupby("month")["value"].sum()
        return monthly.reindex(months, fill_value=0).astype(float).cumsum()

    prior = cumulated(last)
    current = cumulated(year).loc[:through_month]
    ax.plot(prior.index, prior.values, color=GREY, linewidth=2, label=f"{last}年")
    ax.plot(
        current.index,
        current.values,
        color=BLUE,
        linewidth=2.4,
        marker="o",
        markersize=3.5,
        label=f"{year}年",
    )
    end = float(current.iloc[-1])
    ax.annotate(
        _fmt(end),
        (through_month, end),
        xytext=(4, 4),
        textcoords="offset points",
        color=BLUE,
        fontsize=10,
    )
    ax.set_title(title, fontsize=12)
    ax.set_xlim(0.6, 12.4)
    ax.set_xticks([3, 6, 9, 12], ["3月", "6月", "9月", "12月"])
    ax.set_ylim(bottom=min(0.0, float(prior.min()), float(current.min())))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    ax.grid(True, axis="y")
    ax.set_axisbelow(True)


@_styled
def by_town(
    df: pd.DataFrame,
    *,
    title: str = "各镇（街道）情况",
    unit: str = "",
    current_label: str = "本期",
    prior_label: str = "去年同期",
    sort: bool = True,
) -> Figure:
    """Horizontal bars of one figure per town/street.

    ``df`` columns: ``town``, ``value``; optional ``prior`` (same figure for the
    comparison period, drawn as a grey bar beside each town). Sorted by ``value``,
    largest at the top, unless ``sort=False`` (then the row order is kept, e.g. the
    configured order of towns). Negative values (changes) are allowed.
    """
    _require(df, ("town", "value"), "by_town")
    full_title = f"{title}（{unit}）" if unit else title
    if df.empty:
        return _no_data_figure(full_title)
    data = df.sort_values("value", ascending=False, kind="stable") if sort else df
    labels = [str(t) for t in data["town"]]
    series = []
    if "prior" in data.columns:
        series.append((prior_label, data["prior"].fillna(0).to_numpy(), GREY))
    series.append((current_label, data["value"].fillna(0).to_numpy(), BLUE))
    fig = _new_figure(_bars_height(len(labels), len(series)))
    ax = fig.add_subplot()
    _bars(ax, labels, series)
    ax.set_title(full_title)
    if len(series) > 1:
        handles, names = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], names[::-1], loc="lower right", ncols=2, bbox_to_anchor=(1.0, 1.0))
    return fig
