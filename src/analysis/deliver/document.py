"""The rendered briefing (briefing.html) read back as a list of blocks.

The Word document, the PDF and the e-mail body are all made from the HTML the run already
wrote, never from a second computation. Only stable markup is relied on: ``<h1>``–``<h3>``,
``<p>``, ``<li>``, ``<table>`` (with ``<caption>``/``<th>``/``<td>``), ``<img alt>`` with a
``data:`` URI, the ``banner`` paragraph (synthetic data) and ``<footer>``.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

_SKIP = {"script", "style", "head", "title", "template", "noscript", "svg"}
LINE_BREAK = "\u2028"  # a <br>, kept apart from the source's own (insignificant) newlines
_DATA_URI = re.compile(r"data:image/[a-z+]+;base64,(?P<data>[A-Za-z0-9+/=\s]*)", re.IGNORECASE)


@dataclass
class Run:
    """A piece of paragraph text; ``bold`` for ``<strong>``/``<b>``."""

    text: str
    bold: bool = False


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Paragraph:
    runs: list[Run]
    classes: tuple[str, ...] = ()
    in_footer: bool = False
    list_item: bool = False

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Cell:
    text: str
    header: bool = False
    classes: tuple[str, ...] = ()


@dataclass
class Table:
    caption: str = ""
    rows: list[list[Cell]] = field(default_factory=list)
    row_classes: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def header_rows(self) -> int:
        """Leading rows made of ``<th>`` cells only."""
        count = 0
        for row in self.rows:
            if not row or not all(c.header for c in row):
                break
            count += 1
        return count


@dataclass
class Image:
    alt: str
    data: bytes


Block = Heading | Paragraph | Table | Image


@dataclass
class BriefingDocument:
    title: str
    blocks: list[Block]
    synthetic: bool


def _squash(text: str) -> str:
    return re.sub(r"[ \t\r\n\f]+", " ", text).strip()


class _BriefingParser(HTMLParser):
    """Collects blocks in document order; text is decoded (escaped markup stays text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.skip = 0
        self.bold = 0
        self.footer = 0
        self.runs: list[Run] | None = None  # open paragraph, heading or list item
        self.open_tag = ""
        self.open_classes: tuple[str, ...] = ()
        self.table: Table | None = None
        self.cell: list[str] | None = None
        self.cell_tag = ""
        self.cell_classes: tuple[str, ...] = ()
        self.caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        if self.skip:
            return
        attr = {k: v or "" for k, v in attrs}
        classes = tuple(attr.get("class", "").split())
        if tag == "footer":
            self.footer += 1
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag == "img":
            self._image(attr)
        elif tag == "br":
            self._text(LINE_BREAK)
        elif tag == "table":
            self.table = Table()
        elif tag == "caption" and self.table is not None:
            self.caption = []
        elif tag == "tr" and self.table is not None:
            self.table.rows.append([])
            self.table.row_classes.append(classes)
        elif tag in ("td", "th") and self.table is not None:
            self.cell, self.cell_tag, self.cell_classes = [], tag, classes
        elif tag in ("p", "li", "h1", "h2", "h3", "h4") and self.table is None:
            self._close_text()
            self.runs, self.open_tag, self.open_classes = [], tag, classes

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "footer":
            self.footer = max(0, self.footer - 1)
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag == "caption" and self.table is not None and self.caption is not None:
            self.table.caption = _squash("".join(self.caption))
            self.caption = None
        elif tag in ("td", "th") and self.table is not None and self.cell is not None:
            text = "\n".join(_squash(p) for p in "".join(self.cell).split(LINE_BREAK))
            cell = Cell(text.strip(), self.cell_tag == "th", self.cell_classes)
            self.table.rows[-1].append(cell)
            self.cell = None
        elif tag == "table" and self.table is not None:
            self.table.rows = [r for r in self.table.rows if r]
            self.blocks.append(self.table)
            self.table = None
        elif tag == self.open_tag:
            self._close_text()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._text(data)

    def _text(self, data: str) -> None:
        if self.caption is not None:
            self.caption.append(data)
        elif self.cell is not None:
            self.cell.append(data)
        elif self.runs is not None:
            self.runs.append(Run(data, self.bold > 0))

    def _image(self, attr: dict[str, str]) -> None:
        match = _DATA_URI.match(attr.get("src", ""))
        if not match:
            return
        try:
            data = base64.b64decode(re.sub(r"\s+", "", match["data"]), validate=True)
        except (binascii.Error, ValueError):
            return
        self._close_text()
        self.blocks.append(Image(attr.get("alt", ""), data))

    def _close_text(self) -> None:
        if self.runs is None:
            return
        runs = _merge_runs(self.runs)
        tag, self.runs, self.open_tag = self.open_tag, None, ""
        if not runs:
            return
        if tag.startswith("h"):
            self.blocks.append(Heading(int(tag[1]), "".join(r.text for r in runs)))
        else:
            self.blocks.append(
                Paragraph(runs, self.open_classes, self.footer > 0, list_item=tag == "li")
            )


def _merge_runs(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs of the same weight and collapse whitespace."""
    merged: list[Run] = []
    for run in runs:
        if merged and merged[-1].bold == run.bold:
            merged[-1] = Run(merged[-1].text + run.text, run.bold)
        else:
            merged.append(Run(run.text, run.bold))
    out = [
        Run(re.sub(f" ?{LINE_BREAK} ?", "\n", re.sub(r"[ \t\r\n\f]+", " ", r.text)), r.bold)
        for r in merged
    ]
    if out:
        out[0].text = out[0].text.lstrip()
        out[-1].text = out[-1].text.rstrip()
    return [r for r in out if r.text]


def parse_briefing(html: str) -> BriefingDocument:
    """Blocks of a rendered briefing, in order; the first ``<h1>`` is the title."""
    parser = _BriefingParser()
    parser.feed(html)
    parser.close()
    parser._close_text()
    blocks = parser.blocks
    title = next((b.text for b in blocks if isinstance(b, Heading) and b.level == 1), "")
    synthetic = any(isinstance(b, Paragraph) and "banner" in b.classes for b in blocks)
    return BriefingDocument(title, blocks, synthetic)


def read_briefing(path: Path) -> BriefingDocument:
    return parse_briefing(Path(path).read_text(encoding="utf-8"))
