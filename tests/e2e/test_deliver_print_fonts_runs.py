"""A character the print fonts lack is still printed (a real Chromium prints it)."""

from __future__ import annotations

import re
import shutil
import subprocess

from analysis.deliver import pdf as pdf_export

RARE_NAME = "王堃"  # 堃 (U+5803) is not in GB 2312: not in the copies


def test_a_character_the_copies_lack_is_still_printed(tmp_path):
    assert shutil.which("pdftotext"), "apt-get install poppler-utils"
    (tmp_path / "briefing.html").write_text(
        f"<html><head><title>测试</title></head><body><p>联系人：{RARE_NAME}</p></body></html>",
        encoding="utf-8",
    )
    path = pdf_export.write_pdf(tmp_path)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    # the fallback face's glyph may sit on its own line for pdftotext: compare without spaces
    assert RARE_NAME in re.sub(r"\s", "", text)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"BriefingPrint(Sans|Serif)-Regular\s+CID TrueType", fonts)
