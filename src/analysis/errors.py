"""Named exceptions, in one place. Messages meant for analysts are in Chinese."""

from __future__ import annotations

from dataclasses import dataclass


class AnalysisError(Exception):
    """Base class of the project's errors; ``str(err)`` is a message for the analyst."""


class ParameterError(AnalysisError):
    """A run parameter (district, unit, period, …) is invalid."""


@dataclass(frozen=True)
class Problem:
    """One invalid cell or row: where it is (as the analyst sees it in Excel) and why."""

    file: str
    row: int | None  # row number as shown in Excel (header = row 1); None = whole file
    column: str | None  # the column header as in the file (Chinese where the file has it)
    value: str | None
    reason: str  # Chinese
    sheet: str | None = None  # the workbook sheet the row is on (None: text file)

    def __str__(self) -> str:
        where = [f"文件 {self.file}"]
        if self.sheet is not None:
            where.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"列“{self.column}”")
        shown = "" if self.value is None else f"，值“{self.value}”"
        return f"{'，'.join(where)}{shown}：{self.reason}"


class DataValidationError(AnalysisError):
    """Input files break the data contract; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        head = f"输入数据未通过校验，共 {len(self.problems)} 处问题："
        shown = [f"  {i}. {p}" for i, p in enumerate(self.problems[:200], 1)]
        more = len(self.problems) - len(shown)
        tail = [f"  ……另有 {more} 处问题未列出"] if more > 0 else []
        return "\n".join([head, *shown, *tail])


class ConfigError(AnalysisError):
    """A configuration file (catalogue, targets, units, …) is inconsistent."""


class RunFailedError(AnalysisError):
    """The briefing notebook failed; the message names the failing cell and the error."""


class OutputError(AnalysisError):
    """The output folder cannot be written (a file in its place, no permission, …)."""


# ---------------------------------------------------------------- the readers' formats


class ExportError(AnalysisError):
    """An output format could not be written (message in Chinese)."""


class PdfError(AnalysisError):
    """The PDF could not be made (message in Chinese)."""


class BrowserError(AnalysisError):
    """Chromium failed or stopped answering (message in Chinese)."""


class PrintFontError(AnalysisError):
    """The print fonts could not be prepared (message in Chinese)."""


class MailError(AnalysisError):
    """Building or sending the e-mail failed (message in Chinese, never with the password)."""


class TemplateError(ConfigError):
    """A district's template.docx cannot be used (message in Chinese, naming the file)."""


EXIT_INTERRUPTED = 130  # the shell's code for "stopped by Ctrl-C"
INTERRUPTED_MESSAGE = "已中断：输出文件夹保持完整（上一次或本次的全部结果），未留下半成品。"
