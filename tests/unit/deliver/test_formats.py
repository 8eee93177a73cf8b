"""Choosing the output formats: FORMATS=html,xlsx,docx,pdf."""

from __future__ import annotations

import pytest

from analysis.deliver import DEFAULT_FORMATS, parse_formats
from analysis.errors import ParameterError


def test_default_and_canonical_order():
    assert parse_formats(None) == parse_formats("") == DEFAULT_FORMATS == ("html", "xlsx")
    assert parse_formats("docx, HTML") == ("html", "docx")
    assert parse_formats("xlsx，docx") == ("html", "xlsx", "docx")  # Chinese comma
    assert parse_formats("docx") == ("html", "docx")  # html is always made


def test_unknown_format_is_a_chinese_error():
    with pytest.raises(
        ParameterError, match="不支持的输出格式：doc、pptx。可选：html、xlsx、docx、pdf"
    ):
        parse_formats("html,doc,pptx")
