"""briefing.pdf: the rendered briefing printed to A4 by headless Chromium.

The page layout is print.css (A4, GB/T 9704-like margins, page numbers, rows never split);
this module adds the running header (the briefing's title, as a CSS ``@page`` margin box,
supported by Chromium 131 and later) to a temporary copy of briefing.html and prints it with
``chromium --headless --print-to-pdf``. Chromium embeds every font it uses; CFF-outlined
faces such as Noto Sans CJK become Type 3 fonts (Skia's rule), which is most of the file size.
Chromium stamps the print time into the PDF's CreationDate/ModDate; they are replaced, at the
same length so the cross-reference offsets stay valid, by the period end of the run.
"""

from __future__ import annotations

import html as html_lib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from analysis.atomic import write_atomic
from analysis.config import TEMPLATES_DIR
from analysis.errors import AnalysisError
from analysis.export.stable import run_stamp

PDF_NAME = "briefing.pdf"
PRINT_CSS = TEMPLATES_DIR / "briefing" / "print.css"
PRINT_CSS_MARKER = "briefing print.css"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--generate-pdf-document-outline",
)
TIMEOUT_SECONDS = 120
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:[^)]*\)")


class PdfError(AnalysisError):
    """The PDF could not be made (message in Chinese)."""


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


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes and line breaks escaped)."""
    escaped = "".join(
        ch if ch.isprintable() and ch not in '"\\' else f"\\{ord(ch):x} " for ch in text
    )
    return f'"{escaped}"'


def print_html(html: str, title: str) -> str:
    """``html`` with print.css (when the page lacks it) and the running header added."""
    css = "" if PRINT_CSS_MARKER in html else PRINT_CSS.read_text(encoding="utf-8")
    header = (
        "@media print { @page { @top-center { content: "
        f"{_css_string(title)}; font-size: 10.5pt; color: #444; }} }} }}"
    )
    style = f"<style>\n{css}\n{header}\n</style>\n"
    if "</head>" in html:
        return html.replace("</head>", style + "</head>", 1)
    return style + html


def stable_dates(pdf: bytes, stamp: str) -> bytes:
    """Replace the PDF's CreationDate/ModDate with ``stamp`` (``YYYYMMDDHHMMSS``), padded to
    the original length so that byte offsets do not move."""

    def fixed(match: re.Match[bytes]) -> bytes:
        original = match[0]
        value = f"/{match[1].decode()} (D:{stamp}Z)".encode()
        if len(value) > len(original):
            return original
        return value[:-1] + b" " * (len(original) - len(value)) + b")"

    return _PDF_DATE.sub(fixed, pdf)


class PdfPrint:
    """A Chromium print job running in the background: :meth:`start` returns at once, so
    the other formats are written meanwhile; :meth:`finish` waits and writes briefing.pdf."""

    def __init__(self, out_dir: Path, title: str | None = None, html_name: str = "briefing.html"):
        self.out_dir = Path(out_dir)
        chromium = chromium_path()
        html = (self.out_dir / html_name).read_text(encoding="utf-8")
        if title is None:
            match = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
            title = html_lib.unescape(match[1]).strip() if match else ""
        self.tmp = Path(tempfile.mkdtemp(prefix="briefing-pdf-"))
        page = self.tmp / "print.html"
        page.write_text(print_html(html, title), encoding="utf-8")
        self.target = self.tmp / PDF_NAME
        self.command = [
            chromium,
            *CHROMIUM_ARGS,
            f"--user-data-dir={self.tmp / 'profile'}",
            f"--print-to-pdf={self.target}",
            page.as_uri(),
        ]
        self.process: subprocess.Popen | None = None

    def start(self) -> PdfPrint:
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        return self

    def finish(self) -> Path:
        assert self.process is not None, "start() first"
        try:
            try:
                _, stderr = self.process.communicate(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                raise PdfError(f"Chromium 在 {TIMEOUT_SECONDS} 秒内没有完成 PDF 打印") from None
            if self.process.returncode != 0 or not self.target.exists():
                detail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
                raise PdfError(
                    f"Chromium 打印 PDF 失败（退出码 {self.process.returncode}）：{detail[0]}"
                )
            stamp = run_stamp(self.out_dir).strftime("%Y%m%d%H%M%S")
            pdf = stable_dates(self.target.read_bytes(), stamp)
            return write_atomic(self.out_dir / PDF_NAME, pdf)
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop the print job (if still running) and remove its temporary folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        shutil.rmtree(self.tmp, ignore_errors=True)


def write_pdf(out_dir: Path, title: str | None = None, html_name: str = "briefing.html") -> Path:
    """Print ``out_dir/briefing.html`` to ``out_dir/briefing.pdf`` with headless Chromium."""
    return PdfPrint(out_dir, title, html_name).start().finish()
