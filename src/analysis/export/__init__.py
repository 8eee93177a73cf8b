"""The briefing in the readers' formats, made from what the run already wrote.

``html`` is the briefing itself (written by the run); ``xlsx`` is made from the CSV tables,
``docx`` and ``pdf`` from briefing.html. Nothing is recomputed: data flow one way.
``make report`` writes html and xlsx unless ``FORMATS=…`` asks for others.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from analysis.errors import ParameterError

FORMATS = ("html", "xlsx", "docx", "pdf")
DEFAULT_FORMATS = ("html", "xlsx")


def parse_formats(text: str | None) -> tuple[str, ...]:
    """``"html,xlsx,pdf"`` → ``("html", "xlsx", "pdf")`` in canonical order. Empty or
    ``None`` = the default (html, xlsx). html is always included: the other formats are
    made from it. Unknown names raise :class:`ParameterError` in Chinese; asking for pdf
    without Chromium installed raises :class:`~analysis.export.pdf.PdfError` here, before
    the run starts."""
    if text is None or not text.strip():
        return DEFAULT_FORMATS
    names = [n.strip().lower() for n in text.replace("，", ",").split(",") if n.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise ParameterError(
            f"不支持的输出格式：{'、'.join(unknown)}。可选：{'、'.join(FORMATS)}"
            "（用逗号分隔，例如 FORMATS=html,xlsx,pdf）"
        )
    chosen = {"html", *names}
    if "pdf" in chosen:
        from analysis.export.pdf import chromium_path

        chromium_path()
    return tuple(f for f in FORMATS if f in chosen)


def write_formats(out_dir: Path, formats: Iterable[str]) -> list[Path]:
    """Write the chosen formats besides html into ``out_dir`` (the run's staging folder, so
    that the output folder is replaced all at once). Returns the files written. Chromium
    prints the PDF in the background while the Office files are written."""
    out_dir = Path(out_dir)
    chosen = set(formats)
    written = []
    printing = None
    if "pdf" in chosen:
        from analysis.export.pdf import PdfPrint

        printing = PdfPrint(out_dir).start()
    try:
        if "xlsx" in chosen:
            from analysis.export.xlsx import write_xlsx

            written.append(write_xlsx(out_dir))
        if "docx" in chosen:
            from analysis.export.docx import write_docx

            written.append(write_docx(out_dir))
        if printing is not None:
            written.append(printing.finish())
    finally:
        if printing is not None:
            printing.cancel()
    return written
