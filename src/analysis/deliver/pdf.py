"""briefing.pdf: the rendered briefing printed to A4 by headless Chromium.

The page layout is print.css (A4, GB/T 9704-like margins, page numbers, rows never split);
this module adds the running header (the briefing's title, as a CSS ``@page`` margin box,
supported by Chromium 131 and later) to a temporary copy of briefing.html and prints it with
the process's shared headless Chromium (:mod:`analysis.deliver.chromium`: started once, so a
batch worker pays its start-up once). The PDF is tagged (accessible) and has an outline of
the headings.

Size: Chromium embeds CFF-outlined faces such as Noto Sans CJK as Type 3 fonts (Skia's
rule), so it is shown TrueType copies of them (:mod:`analysis.deliver.print_fonts`), which it
embeds as subset CID fonts; the thousands of small structure-tree objects of the tagged PDF
are then packed into compressed object streams by pikepdf (qpdf). CreationDate/ModDate are
the build time, or ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds: a rerun gives
the same bytes), and the file ID is derived from the content.

The page is printed with JavaScript disabled, and every text of configuration that reaches
the print page's stylesheet (the running header) is escaped for CSS inside HTML.
"""

from __future__ import annotations

import html as html_lib
import io
import os
import re
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from analysis import folder
from analysis.atomic import write_atomic
from analysis.deliver import chromium
from analysis.deliver.print_fonts import print_font_env
from analysis.errors import PdfError
from analysis.settings.config import TEMPLATES_DIR
from analysis.settings.runtime import runtime_dir

PRINT_CSS = TEMPLATES_DIR / "briefing" / "print.css"
PRINT_CSS_MARKER = "briefing print.css"
# Page.printToPDF: page size and margins from print.css, backgrounds (status colours) kept
PRINT_OPTIONS = {
    "preferCSSPageSize": True,
    "printBackground": True,
    "displayHeaderFooter": False,
    "generateTaggedPDF": True,
    "generateDocumentOutline": True,
}
TIMEOUT_SECONDS = 120


def chromium_path() -> str:
    """The Chromium executable, or a Chinese error naming the Debian package."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(
        "生成 PDF 需要无界面 Chromium 浏览器，但在 PATH 中找不到 chromium。"
        "请安装 Debian 软件包 chromium（apt-get install chromium fonts-noto-cjk poppler-utils），"
        "或不选 pdf 格式（FORMATS=html,xlsx）。"
    )


# characters a CSS string inside an HTML <style> element must not carry literally: the
# string's own delimiters, and the markup characters that could end the element
CSS_UNSAFE = frozenset("\"'\\<>&")


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal that is safe inside an HTML ``<style>`` element:
    quotes, backslashes, line breaks and ``< > &`` become CSS hex escapes, so a name that
    reads ``</style><script>`` stays text."""
    escaped = "".join(
        ch if ch.isprintable() and ch not in CSS_UNSAFE else f"\\{ord(ch):x} " for ch in text
    )
    return f'"{escaped}"'


def print_html(html: str, title: str) -> str:
    """``html`` with print.css (when the page lacks it) and the running header added from
    page 2 on (page 1 carries the 版头)."""
    css = "" if PRINT_CSS_MARKER in html else PRINT_CSS.read_text(encoding="utf-8")
    header = (
        "@media print { @page { @top-center { content: "
        f"{_css_string(title)}; font-size: 10.5pt; color: #444; }} }} "
        "@page :first { @top-center { content: none; } } }"
    )
    style = f"<style>\n{css}\n{header}\n</style>\n"
    if "</head>" in html:
        return html.replace("</head>", style + "</head>", 1)
    return style + html


def compact_pdf(pdf: bytes, stamp: str) -> bytes:
    """``pdf`` with compressed object streams, CreationDate/ModDate set to ``stamp``
    (``YYYYMMDDHHMMSS``) and a file ID derived from the content."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for key in ("/CreationDate", "/ModDate"):
            doc.docinfo[key] = f"D:{stamp}Z"
        out = io.BytesIO()
        doc.save(
            out,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
            deterministic_id=True,
        )
    return out.getvalue()


def build_time() -> datetime:
    """Now (UTC), or ``SOURCE_DATE_EPOCH`` when it is set, for a reproducible PDF."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC)


def browser_env() -> dict[str, str]:
    """The environment of the printing Chromium: the print fonts, a fixed locale and time
    zone, and no more, so that the PDF does not depend on who runs it or on what else the
    process's environment holds (the same inputs give the same bytes)."""
    fixed = {"PATH": os.environ.get("PATH", os.defpath), "LANG": "C.UTF-8", "TZ": "UTC"}
    return fixed | print_font_env()


def warm() -> None:
    """Start the shared Chromium now (while the notebook runs), so that the first print
    does not wait for it; a failure here is left for the print to report."""
    chromium.warm(chromium_path(), browser_env())


_printer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-pdf")


class PdfPrint:
    """A print job running in the background: :meth:`start` returns at once, so the other
    formats are written meanwhile; :meth:`finish` waits and writes briefing.pdf."""

    def __init__(
        self, out_dir: Path, title: str | None = None, html_name: str = folder.BRIEFING_HTML
    ):
        self.out_dir = Path(out_dir)
        self.executable = chromium_path()
        html = (self.out_dir / html_name).read_text(encoding="utf-8")
        if title is None:
            match = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
            title = html_lib.unescape(match[1]).strip() if match else ""
        self.tmp = Path(tempfile.mkdtemp(prefix="pdf-", dir=runtime_dir()))
        self.page = self.tmp / "print.html"
        self.page.write_text(print_html(html, title), encoding="utf-8")
        self.job: Future[bytes] | None = None

    def _print(self) -> bytes:
        url = self.page.as_uri()
        return chromium.print_pdf(
            self.executable, browser_env(), url, PRINT_OPTIONS, TIMEOUT_SECONDS
        )

    def start(self) -> PdfPrint:
        self.job = _printer.submit(self._print)
        return self

    def finish(self) -> Path:
        assert self.job is not None, "start() first"
        try:
            try:
                printed = self.job.result()
            except chromium.BrowserError as exc:
                raise PdfError(f"Chromium 打印 PDF 失败：{exc}") from None
            stamp = build_time().strftime("%Y%m%d%H%M%S")
            return write_atomic(self.out_dir / folder.PDF, compact_pdf(printed, stamp))
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Wait for the print job (a print cannot be interrupted half-way) and remove its
        temporary folder."""
        if self.job is not None:
            self.job.exception()
        shutil.rmtree(self.tmp, ignore_errors=True)


def write_pdf(
    out_dir: Path, title: str | None = None, html_name: str = folder.BRIEFING_HTML
) -> Path:
    """Print ``out_dir/briefing.html`` to ``out_dir/briefing.pdf`` with headless Chromium."""
    return PdfPrint(out_dir, title, html_name).start().finish()
