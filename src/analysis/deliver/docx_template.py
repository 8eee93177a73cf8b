"""A district's own Word template: data/config/districts/<区>/template.docx.

The briefing is built on it: its page, header, footer and styles are kept (styles it lacks
get the 公文 defaults), and its body, usually the bureau's own 红头, stays at the top with
these placeholders filled in: ``{简报名称}`` ``{期号}`` ``{编印单位}`` ``{印发日期}``
``{统计期间}`` ``{内部资料}``. A template whose body is empty gets the drawn 版头.

The path is never taken from data unchecked: the district must be one plain folder name,
the file must resolve inside the districts folder, be a regular file (not a link), be a Word
document (.docx, not a macro-enabled or .dotx file) under ``MAX_BYTES``, and refer to nothing
outside itself except hyperlinks.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docx import Document

from analysis.deliver.docx_masthead import Masthead
from analysis.errors import TemplateError
from analysis.settings import config

TEMPLATE_NAME = "template.docx"
MAX_BYTES = 20 * 1024 * 1024
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_EXTERNAL = re.compile(r"<Relationship\b[^>]*>", re.IGNORECASE)
_HYPERLINK = "/relationships/hyperlink"


def template_path(district: str, districts_dir: Path | None = None) -> Path | None:
    """The district's template.docx, checked; None when the district has none."""
    root = Path(districts_dir or config.DISTRICTS_DIR)
    if not district or Path(district).name != district or district in (".", ".."):
        raise TemplateError(f"区名“{district!r}”不能用作文件夹名，无法查找其 Word 模板")
    path = root / district / TEMPLATE_NAME
    if not path.exists() and not path.is_symlink():
        return None
    shown = _shown(path)
    if path.is_symlink() or not path.is_file():
        raise TemplateError(f"Word 模板 {shown} 应为普通文件（不能是链接或文件夹）")
    if not path.resolve().is_relative_to(root.resolve()):
        raise TemplateError(f"Word 模板 {shown} 不在区配置文件夹 {_shown(root)} 内")
    if path.stat().st_size > MAX_BYTES:
        raise TemplateError(f"Word 模板 {shown} 超过 {MAX_BYTES // 1024 // 1024} MB")
    _check_package(path, shown)
    return path


def _shown(path: Path) -> str:
    try:
        return Path(path).relative_to(config.PROJ_ROOT).as_posix()
    except ValueError:
        return str(path)


def _check_package(path: Path, shown: str) -> None:
    """A .docx (not .docm/.dotx) whose parts refer to nothing outside it but hyperlinks."""
    try:
        with zipfile.ZipFile(path) as package:
            types = package.read("[Content_Types].xml").decode("utf-8")
            names = [n for n in package.namelist() if n.endswith(".rels")]
            rels = [package.read(n).decode("utf-8") for n in names]
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, OSError):
        raise TemplateError(
            f"Word 模板 {shown} 不是有效的 .docx 文件（请在 Word 或 WPS 中“另存为 .docx”）"
        ) from None
    if _MAIN_TYPE not in types:
        raise TemplateError(
            f"Word 模板 {shown} 不是普通的 Word 文档（.docx）：启用宏的文档或 .dotx 模板"
            "不能使用，请在 Word 中“另存为 Word 文档（.docx）”"
        )
    for text in rels:
        for rel in _EXTERNAL.findall(text):
            if 'TargetMode="External"' in rel and _HYPERLINK not in rel:
                target = re.search(r'Target="([^"]*)"', rel)
                raise TemplateError(
                    f"Word 模板 {shown} 引用了外部文件或网址"
                    f"（{target[1] if target else '未知'}），打开时会联网或读取其他文件，不能使用"
                )


def open_template(path: Path | None):
    """A python-docx Document: the template when given, else python-docx's blank one."""
    return Document(str(path)) if path else Document()


def has_own_masthead(doc) -> bool:
    """The template's body already holds something (its 红头): the drawn one is left out."""
    return any(p.text.strip() for p in doc.paragraphs) or bool(doc.tables)


def fill_placeholders(doc, head: Masthead) -> None:
    """Replace the placeholders in the template's body, tables, headers and footers. A
    paragraph holding one gets the replaced text in its first run (Word may split a typed
    placeholder across runs)."""
    values = {
        "{简报名称}": head.name,
        "{期号}": head.issue,
        "{编印单位}": head.issuer,
        "{印发日期}": head.issued,
        "{统计期间}": head.period,
        "{内部资料}": head.mark,
    }
    for paragraph in _all_paragraphs(doc):
        text = paragraph.text
        if "{" not in text or not any(k in text for k in values):
            continue
        for key, value in values.items():
            text = text.replace(key, value)
        runs = paragraph.runs
        runs[0].text = text
        for run in runs[1:]:
            run.text = ""


def _all_paragraphs(doc):
    parts = [doc]
    for section in doc.sections:
        parts += [section.header, section.footer, section.first_page_header]
        parts += [section.first_page_footer, section.even_page_header, section.even_page_footer]
    for part in parts:
        if part is not doc and part.is_linked_to_previous:
            continue  # no part of its own (reading it would add an empty one)
        yield from part.paragraphs
        for table in part.tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from cell.paragraphs
