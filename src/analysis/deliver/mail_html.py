"""The mail body's HTML for mail clients (charts as ``cid:`` parts, CSS inlined, no script)
and its plain-text alternative."""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from html.parser import HTMLParser

import css_inline

from analysis.deliver.mail_body import cid_for

_DATA_URI_SRC = re.compile(
    r"""(?P<attr>\bsrc\s*=\s*)(?P<q>["'])data:image/(?P<sub>png|jpeg|gif|webp);base64,"""
    r"""(?P<data>[A-Za-z0-9+/=\s]*)(?P=q)""",
    re.IGNORECASE,
)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)


def html_for_email(html: str) -> tuple[str, dict[str, bytes]]:
    """Rewrite ``data:`` image URIs to ``cid:`` references and inline the CSS.

    Returns the HTML for the mail body and ``{cid: image bytes}``. Cids are derived from
    a hash of the bytes (the same chart twice is one part). ``<script>`` elements are
    dropped (mail clients block them anyway); escaped text such as
    ``&lt;script&gt;`` stays escaped text.
    """
    images: dict[str, bytes] = {}

    def to_cid(match: re.Match[str]) -> str:
        try:
            data = base64.b64decode(re.sub(r"\s+", "", match["data"]), validate=True)
        except (binascii.Error, ValueError):
            return match[0]  # leave a malformed URI alone rather than break the mail
        cid = cid_for(data)
        images[cid] = data
        return f"{match['attr']}{match['q']}cid:{cid}{match['q']}"

    body = _DATA_URI_SRC.sub(to_cid, html)
    body = _SCRIPT.sub("", body)
    body = css_inline.inline(
        body,
        keep_style_tags=False,
        keep_at_rules=True,  # @media rules cannot be inlined; keep them in <style>
        load_remote_stylesheets=False,
    )
    return body, images


# --- plain-text alternative ---------------------------------------------------------

_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "ul",
    "ol",
    "table",
    "blockquote",
    "figure",
    "figcaption",
    "pre",
    "hr",
    "main",
    "nav",
    "aside",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP = {"script", "style", "head", "title", "template", "noscript", "svg"}
_UNDERLINES = {"h1": "=", "h2": "-"}  # lower headings ((一)、一是…) stand on their own line


def _display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced mail client (a hanzi takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _TextExtractor(HTMLParser):
    """HTML → readable plain text; entity references are decoded (text stays text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    # building blocks
    def _flush(self, blank: bool = False) -> None:
        text = re.sub(r"[ \t\r\n\f]+", " ", "".join(self.current)).strip()
        self.current = []
        if text:
            self.lines.append(text)
        if blank and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag in _HEADINGS or tag in _BLOCKS:
            self._flush(blank=True)
        elif tag == "br":
            self._flush()
        elif tag == "li":
            self._flush()
            self.current.append("- ")
        elif tag == "tr":
            self._flush()
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._data(f"[图：{alt}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth:
            return
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(re.sub(r"\s+", " ", "".join(self.cell)).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if any(self.row):
                self.lines.append(" | ".join(self.row))
            self.row = None
        elif tag in _HEADINGS:
            text = re.sub(r"\s+", " ", "".join(self.current)).strip()
            self.current = []
            if text:
                self.lines.append(text)
                if tag in _UNDERLINES:  # the title and the numbered parts (一、二、…)
                    self.lines.append(_UNDERLINES[tag] * min(40, _display_width(text)))
            self.lines.append("")
        elif tag in _BLOCKS or tag == "li":
            self._flush(blank=tag != "li")

    def _data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.current.append(data)

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self._data(data)

    def text(self) -> str:
        self._flush()
        out: list[str] = []
        for line in self.lines:
            if line == "" and (not out or out[-1] == ""):
                continue
            out.append(line)
        return "\n".join(out).strip() + "\n"


def html_to_text(html: str) -> str:
    """Plain-text version of the briefing (headings underlined, table rows as ``a | b``)."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.text()
