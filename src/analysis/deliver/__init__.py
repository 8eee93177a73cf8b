"""The briefing in the readers' formats, made from what the run already wrote.

``html`` is the briefing itself (written by the run); ``xlsx`` is made from the CSV tables,
``docx`` and ``pdf`` from briefing.html. Nothing is recomputed: data flow one way.
``make report`` writes html and xlsx unless ``FORMATS=…`` asks for others.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Executor, Future
from pathlib import Path

from analysis import folder
from analysis.errors import AnalysisError, ParameterError

FORMATS = ("html", "xlsx", "docx", "pdf")
DEFAULT_FORMATS = ("html", "xlsx")


def parse_formats(text: str | None) -> tuple[str, ...]:
    """``"html,xlsx,pdf"`` → ``("html", "xlsx", "pdf")`` in canonical order. Empty or
    ``None`` = the default (html, xlsx). html is always included: the other formats are
    made from it. Unknown names raise :class:`ParameterError` in Chinese; asking for pdf
    without Chromium installed raises :class:`~analysis.errors.PdfError` here, before
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
        from analysis.deliver.pdf import chromium_path

        chromium_path()
    return tuple(f for f in FORMATS if f in chosen)


def import_writers(formats: Iterable[str]) -> None:
    """Import the writers of ``formats`` (openpyxl, python-docx) ahead of ``write_formats``,
    so that a run can load them while its notebook is still running."""
    import importlib

    for name in set(formats) & {"xlsx", "docx"}:
        importlib.import_module(f"analysis.deliver.{name}")


class EarlyWorkbook:
    """The workbook made while the notebook still runs: its tables are written by the first
    cells (``briefing.prepare``), and the rest of the run only draws charts and words. A
    background thread makes it as soon as summary.json exists; it is used only if none of
    its files changed by the end of the run, else the workbook is made again."""

    def __init__(self, out_dir: Path, pool: Executor):
        self.out_dir = Path(out_dir)
        self.pool = pool
        self.made: Future | None = None

    def after_cell(self, **_) -> None:
        """nbclient's ``on_cell_executed`` hook."""
        if self.made is None and (self.out_dir / folder.SUMMARY).exists():
            self.made = self.pool.submit(self._make)

    def _make(self) -> tuple[dict[str, bytes | None], bytes]:
        from analysis.deliver.xlsx import workbook_bytes, workbook_inputs

        inputs = workbook_inputs(self.out_dir)
        return inputs, workbook_bytes(self.out_dir)

    def result(self, out_dir: Path) -> bytes | None:
        """The early workbook, if it was made from the files now in ``out_dir``."""
        if self.made is None or Path(out_dir) != self.out_dir:
            return None
        from analysis.deliver.xlsx import workbook_inputs

        try:
            inputs, data = self.made.result()
        except (AnalysisError, OSError, ValueError):
            return None  # made from files still being written: make it again now
        return data if inputs == workbook_inputs(out_dir) else None


def write_formats(
    out_dir: Path, formats: Iterable[str], early_workbook=None, district: str | None = None
) -> list[Path]:
    """Write the chosen formats besides html into ``out_dir`` (the run's staging folder, so
    that the output folder is replaced all at once). Returns the files written. Chromium
    prints the PDF in the background while the Office files are written.
    ``early_workbook``: the ``EarlyWorkbook`` made while the notebook ran; ``district``:
    whose Word template (template.docx) the docx is built on, if it has one."""
    out_dir = Path(out_dir)
    chosen = set(formats)
    written = []
    printing = None
    if "pdf" in chosen:
        from analysis.deliver.pdf import PdfPrint

        printing = PdfPrint(out_dir).start()
    try:
        if "xlsx" in chosen:
            from analysis.deliver.xlsx import write_xlsx

            early = early_workbook.result(out_dir) if early_workbook else None
            written.append(write_xlsx(out_dir, early))
        if "docx" in chosen:
            from analysis.deliver.docx import write_docx

            written.append(write_docx(out_dir, district=district))
        if printing is not None:
            written.append(printing.finish())
    finally:
        if printing is not None:
            printing.cancel()
    return written
