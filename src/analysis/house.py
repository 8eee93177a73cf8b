"""The house style in the notebook: every table and chart a cell shows looks like the briefing.

Loaded as an IPython extension (``%load_ext analysis.house``; the ``safety-briefing``
kernel loads it at start-up), it

- sets matplotlib's rcParams to the house style with the Simplified-Chinese font (seaborn
  draws with those rcParams too), so an analyst's own chart has no missing glyphs;
- shows every ``pandas.DataFrame`` as the briefing's table markup (escaped, numbers
  formatted by ``compare.format_number``, i.e. 四舍五入);
- shows every matplotlib ``Figure`` (returned by a cell, or drawn with pyplot/seaborn and
  shown by ``plt.show()`` or at the end of the cell) as a small, byte-deterministic PNG
  made by ``plots.figure_to_png``, with the figure's title as alt text.

``python -m analysis.house install-kernel --sys-prefix`` installs the kernelspec that
loads the extension.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from markupsafe import Markup, escape

from analysis.compare import format_number
from analysis.present import plots

EXTENSION = "analysis.house"
KERNEL_NAME = "safety-briefing"
KERNEL_DISPLAY = "安全生产简报 (Python 3.11)"
# earlier period / this period, planned / done: the reference first (grey), then the series
# the eye should follow (blue), in every chart
PAIR = [plots.GREY, plots.BLUE]
WIDTH_IN = plots.WIDTH_IN  # a chart's width: legible on a phone, fits A4
EMPHASIS = plots.RED  # only for what needs a look: special causes, towns outside the funnel
FIGURE_HEIGHT_IN = 3.4
FLOAT_DECIMALS = 2  # decimals of a float column in an analyst's own table
_NUMERIC_TEXT = re.compile(r"^(—|[-+]?\d[\d,]*(\.\d+)?[^\d\s]{0,3})$")
# cells of these columns get a class that colours them like the briefing's status column
STATUS_COLUMNS = {"状态": "status", "结论": "verdict"}


# ---------------------------------------------------------------- tables


def _is_integral(values) -> bool:
    return all(float(v).is_integer() for v in values if not _is_missing(v))


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _column_texts(series) -> tuple[list[str], bool]:
    """A column's cells as text and whether it reads as numbers (right-aligned)."""
    from pandas.api import types

    if types.is_bool_dtype(series):
        return ["是" if v else "否" for v in series], False
    if types.is_numeric_dtype(series):
        decimals = 0 if _is_integral(series) else FLOAT_DECIMALS
        return [format_number(v, decimals) or "—" for v in series], True
    texts = ["—" if _is_missing(v) or v == "" else str(v) for v in series]
    numeric = bool(texts) and all(_NUMERIC_TEXT.match(t) for t in texts)
    return texts, numeric


def table_html(df, caption: str | None = None, index: bool = False) -> Markup:
    """The briefing's table markup for ``df``, every text escaped. ``index=True`` shows the
    index as the first column(s), e.g. the keys of a ``groupby``."""
    if df is None or len(df.columns) == 0 or len(df) == 0:
        return Markup("")  # a section without rows (e.g. by town in a town briefing)
    frame = df.reset_index(drop=not index)
    columns = [_column_texts(frame[c]) for c in frame.columns]
    head = "".join(
        f'<th class="num">{escape(c)}</th>' if numeric else f"<th>{escape(c)}</th>"
        for c, (_, numeric) in zip(frame.columns, columns, strict=True)
    )
    # a phone shows each row as a card: its first cell is the card's title, every other cell
    # is shown after its column's name (phone.css reads ``data-label``)
    labels = ["", *(f' data-label="{escape(c)}"' for c in frame.columns[1:])]
    rows = []
    for i in range(len(frame)):
        cells = []
        for name, (texts, numeric), label in zip(frame.columns, columns, labels, strict=True):
            text = texts[i]
            css = "num" if numeric else ""
            if name in STATUS_COLUMNS and text != "—":
                css = f"{STATUS_COLUMNS[name]}-{text}"
            attr = f' class="{escape(css)}"' if css else ""
            cells.append(f"<td{attr}{label}>{escape(text)}</td>")
        total = ' class="total"' if "合计" in _first_text(columns, i) else ""
        rows.append(f"<tr{total}>{''.join(cells)}</tr>")
    cap = f"<caption>{escape(caption)}</caption>\n" if caption else ""
    body = "\n".join(rows)
    return Markup(
        f'<div class="table-wrap">\n<table>\n{cap}<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody>\n</table>\n</div>"
    )


def _first_text(columns: list[tuple[list[str], bool]], row: int) -> str:
    """The first column's text of a row (a total row reads “合计” there)."""
    return columns[0][0][row] if columns else ""


def number(x) -> str:
    """A number as the briefing writes it (四舍五入; two decimals unless whole), e.g. for
    ``ax.bar_label(bars, fmt=house.number)``.

    >>> [number(x) for x in (2.675, 12.0)]
    ['2.68', '12']
    """
    if _is_missing(x):
        return ""
    return format_number(x, 0 if float(x).is_integer() else FLOAT_DECIMALS)


class Table:
    """A table to show in a notebook cell (``house.table(df)``); renders as HTML."""

    def __init__(self, df, caption: str | None = None):
        self.df, self.caption = df, caption

    def _repr_html_(self) -> str:
        return str(table_html(self.df, self.caption))

    def __repr__(self) -> str:
        """The plain-text form stored beside the HTML in the executed notebook: the data
        (pandas' text), never an object address that changes from run to run."""
        return (f"{self.caption}\n" if self.caption else "") + repr(self.df)


def table(df, caption: str | None = None) -> Table:
    """Show ``df`` as a briefing table, e.g. ``house.table(overview[["指标", "本期"]])``."""
    return Table(df, caption)


# ---------------------------------------------------------------- figures


def figure_alt(fig) -> str:
    """What a figure shows, for its alt text: its title, else its axes' titles."""
    titles = [fig.get_suptitle()] if fig.get_suptitle() else []
    if not titles:
        titles = [
            ax.get_title(loc) for ax in fig.axes for loc in ("left", "center") if ax.get_title(loc)
        ]
    return "；".join(titles) or "图表"


def smallest_text_px(fig) -> float:
    """The smallest text drawn on ``fig``, in CSS px at the chart's own size (the size a
    reader sees is this times the chart's shown width over its own)."""
    from matplotlib.text import Text

    sizes = [
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.get_figure() is not None
    ]
    return round(min(sizes, default=0) / 72 * plots.CSS_PX_PER_IN, 1)


def figure_png(fig) -> tuple[bytes, dict]:
    """IPython's image/png formatter for a Figure: house PNG plus alt text, CSS width and
    the smallest text's CSS px at that width (so a test can tell what a phone shows)."""
    png = plots.figure_to_png(fig, close=False)
    width = round(plots.png_width(png) * plots.CSS_PX_PER_IN / plots.DPI)
    text_px = smallest_text_px(fig)
    return png, {"alt": figure_alt(fig), "width": width, "text_px": text_px}


def _figure_types() -> Iterable[type]:
    from matplotlib.figure import Figure

    return (Figure,)


def house_rc() -> dict:
    """Global rcParams of a notebook: the charts' style, a briefing-wide default size."""
    return plots.style_rc() | {
        "figure.figsize": (plots.WIDTH_IN, FIGURE_HEIGHT_IN),
        "figure.autolayout": True,
    }


def dataframe_html(df) -> str:
    """How any DataFrame a cell shows looks: a briefing table, with its index unless that
    is just the row numbers."""
    import pandas as pd

    plain = isinstance(df.index, pd.RangeIndex) and df.index.name is None
    return str(table_html(df, index=not plain))


def use_house_style(ip) -> None:
    """Set the style, font and display formatters in an IPython shell."""
    import matplotlib

    if getattr(ip, "kernel", None) is not None:  # a Jupyter kernel: inline figures
        # activate now, so that its defaults cannot override ours at the first plot
        ip.enable_matplotlib("inline")
    matplotlib.rcParams.update(house_rc())
    formatters = ip.display_formatter.formatters
    for fig_type in _figure_types():
        for mime in ("image/svg+xml", "image/jpeg", "application/pdf", "image/png"):
            formatters[mime].pop(fig_type, None)
        formatters["image/png"].for_type(fig_type, figure_png)
    import pandas as pd

    formatters["text/html"].for_type(pd.DataFrame, dataframe_html)
    formatters["text/plain"].for_type(object, plain_without_address)


def plain_without_address(obj, printer, cycle: bool) -> None:
    """IPython's plain text of an object that has no text form of its own (a seaborn
    FacetGrid, a list of matplotlib lines): its type without the memory address, which
    changes from run to run, so that the executed notebook of the same inputs repeats."""
    printer.text(f"<{type(obj).__module__}.{type(obj).__qualname__}>")


def load_ipython_extension(ip) -> None:
    use_house_style(ip)


# ---------------------------------------------------------------- kernelspec


def kernel_spec() -> dict:
    return {
        "argv": [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            f"--IPKernelApp.extensions={EXTENSION}",
        ],
        "display_name": KERNEL_DISPLAY,
        "language": "python",
        "metadata": {"debugger": True},
    }


def install_kernel(
    name: str = KERNEL_NAME, display_name: str = KERNEL_DISPLAY, prefix: str | None = None
) -> str:
    """Install the kernelspec that starts with the house style; returns its folder."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = kernel_spec() | {"display_name": display_name}
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "kernel.json").write_text(
            json.dumps(spec, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        return KernelSpecManager().install_kernel_spec(
            tmp, kernel_name=name, prefix=prefix, user=prefix is None
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.house", description="简报的内核")
    sub = parser.add_subparsers(dest="command", required=True)
    install = sub.add_parser("install-kernel", help="安装带简报样式的 Jupyter 内核")
    install.add_argument("--name", default=KERNEL_NAME)
    install.add_argument("--display-name", default=KERNEL_DISPLAY)
    install.add_argument("--sys-prefix", action="store_true", help="装在当前环境中")
    args = parser.parse_args(argv)
    where = install_kernel(args.name, args.display_name, sys.prefix if args.sys_prefix else None)
    print(f"已安装内核 {args.name}：{where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
