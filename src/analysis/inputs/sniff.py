"""What a data file really is, from its first bytes, whatever its extension says.

A workbook saved as ``.csv``, a text export named ``.xlsx``, a password-protected workbook
(an encrypted OOXML package inside an OLE2 container) and an old binary ``.xls``/``.et``
each get their own message with what to do, instead of an encoding or zip error.
"""

from __future__ import annotations

from typing import Literal

from analysis.inputs.discover import BOOK_EXTENSIONS, FORMAT_ADVICE

Kind = Literal["workbook", "text", "encrypted", "legacy", "html"]

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAMS = ("EncryptionInfo", "EncryptedPackage")
_HTML_MARKS = (b"<html", b"<table", b"<!doctype html", b"<?xml")


def kind_of(data: bytes) -> Kind:
    """The kind of content: a zipped workbook, text, an encrypted workbook, a binary one."""
    if data.startswith(_ZIP):
        return "workbook"
    if data.startswith(_OLE2):
        if any(s.encode("utf-16-le") in data for s in _ENCRYPTED_STREAMS):
            return "encrypted"
        return "legacy"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_HTML_MARKS):
        return "html"  # a web page or XML spreadsheet some systems save as .xls/.xlsx
    return "text"


def refusal(data: bytes, name: str) -> tuple[Kind, str | None]:
    """(kind, None) when the content fits a readable format for ``name``'s extension, else
    (kind, why not) in Chinese."""
    kind = kind_of(data)
    extension = "." + name.rpartition(".")[2].lower() if "." in name else ""
    book = extension in BOOK_EXTENSIONS
    if kind == "encrypted":
        return kind, "工作簿设置了打开密码（已加密），无法读取：请在 Excel 中取消密码后另存为 .xlsx"
    if kind == "legacy":
        what = "WPS 表格（.et）二进制格式" if extension == ".et" else "旧版 Excel（.xls）格式"
        return kind, f"文件是{what}，无法读取：{FORMAT_ADVICE}"
    if kind == "html":
        why = (
            "文件实际上是网页（HTML）或 XML 表格，不是 Excel 工作簿或 CSV："
            "请用 Excel 打开后另存为 .xlsx 或“CSV UTF-8（逗号分隔）”"
        )
        return kind, why
    if kind == "workbook" and not book:
        stem = name.rpartition(".")[0] or name
        why = (
            f"文件实际上是 Excel 工作簿，但扩展名是 {extension or '（无）'}："
            f"请把文件改名为 {stem}.xlsx，或在 Excel 中另存为“CSV UTF-8（逗号分隔）”"
        )
        return kind, why
    if kind == "text" and book:
        stem = name.rpartition(".")[0]
        why = (
            f"文件实际上是文本（CSV）文件，不是 Excel 工作簿，但扩展名是 {extension}："
            f"请把文件改名为 {stem}.csv"
        )
        return kind, why
    return kind, None
