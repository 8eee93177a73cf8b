"""A district's Word template for the tests: a small .docx made with python-docx."""

from __future__ import annotations

import docx


def word_template(path, body="{简报名称}　{期号}　{印发日期}", width_mm=200):
    """A small Word file made with python-docx, standing for a bureau's 红头 template."""
    document = docx.Document()
    document.sections[0].page_width = docx.shared.Mm(width_mm)
    if body:
        document.add_paragraph(body)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path
