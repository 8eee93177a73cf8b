"""briefing.pdf from headless Chromium, checked with poppler (pdfinfo/pdftotext/pdffonts):
A4, text, running header and page numbers, GB/T 9704 margins, embedded subset TrueType fonts
(no Type 3), a small file, byte-identical reruns, one browser per process; without Chromium
a Chinese error naming the package."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time

import pytest

from analysis import cli
from analysis.deliver import chromium, parse_formats
from analysis.deliver import pdf as pdf_export
from analysis.errors import BrowserError, PdfError

MM = 72 / 25.4


@pytest.fixture(scope="module", autouse=True)
def reproducible_build():
    """A reproducible build: the PDF's dates are SOURCE_DATE_EPOCH (2020-11-05), not now."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1604534400")
        yield


@pytest.fixture(scope="module")
def printed(built_briefing, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "run"
    shutil.copytree(built_briefing.parent, out)
    path = pdf_export.write_pdf(out)
    return path, path.read_bytes()


def _run(*args: str) -> str:
    assert shutil.which(args[0]), f"{args[0]} is required: apt-get install poppler-utils"
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_pdf_is_a4_with_the_briefing_text(printed, built_briefing):
    path, _ = printed
    info = _run("pdfinfo", str(path))
    assert re.search(r"Page size:\s+59[45]\.\d+ x 84[12]\.\d+ pts \(A4\)", info)
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    assert pages >= 2
    text = _run("pdftotext", "-layout", str(path), "-")
    title = re.search(r"<title>(.*?)</title>", built_briefing.read_text(encoding="utf-8"))[1]
    assert "一、总体情况" in text and "合成数据" in text
    first, last = text.split("\f")[0], text.split("\f")[pages - 1]
    assert title not in first and title in last, "running header on every page after the 版头"
    assert re.search(r"—\s*1\s*—", first) and re.search(rf"—\s*{pages}\s*—", last), "page numbers"


def test_pdf_margins_and_fonts(printed):
    path, _ = printed
    bbox = _run("pdftotext", "-bbox", "-f", "2", "-l", "2", str(path), "-")
    words = [
        tuple(float(v) for v in m)
        for m in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', bbox
        )
    ]
    body = [w for w in words if 30 * MM < w[1] < 297 * MM - 30 * MM]  # not header/footer
    assert body
    assert min(w[0] for w in body) >= 28 * MM - 1  # left margin
    assert max(w[2] for w in body) <= (210 - 26) * MM + 1  # right margin
    # top margin; a glyph's box may rise a little above its line box (the CJK font's ascent)
    assert min(w[1] for w in body) >= 36 * MM
    fonts = _run("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), "every font embedded"


def test_pdf_fonts_are_subset_truetype_and_the_file_is_small(printed):
    """Chromium would draw Noto Sans CJK (CFF) as Type 3 glyph procedures: 1.3 MB."""
    path, data = printed
    fonts = [line.split() for line in _run("pdffonts", str(path)).splitlines()[2:]]
    assert {f[0].split("+")[1] for f in fonts} == {
        "BriefingPrintSerif-Regular",  # the body (仿宋's stand-in)
        "BriefingPrintSerif-Bold",  # the 简报's name and title (小标宋's stand-in)
        "BriefingPrintSans-Regular",  # headings (黑体's stand-in)
    }
    assert all(f[1:3] == ["CID", "TrueType"] and f[-4] == "yes" for f in fonts), "subset CID"
    assert len(data) < 450 * 1024
    info = _run("pdfinfo", str(path))
    assert re.search(r"Tagged:\s+yes", info), "tagged (accessible) PDF"


def test_pdf_charts_are_printed_at_200_dpi_or_finer(printed, built_briefing):
    path, _ = printed
    images = _run("pdfimages", "-list", str(path)).splitlines()[2:]
    charts = built_briefing.read_text(encoding="utf-8").count("data:image/png")
    assert len(images) == charts
    assert all(min(int(line.split()[12]), int(line.split()[13])) >= 200 for line in images)


def test_pdf_rerun_is_byte_identical(printed):
    path, first = printed
    assert pdf_export.write_pdf(path.parent).read_bytes() == first
    info = _run("pdfinfo", str(path))
    assert re.search(r"CreationDate:\s+Thu Nov  5 00:00:00 2020", info), "SOURCE_DATE_EPOCH"
    assert re.search(r"ModDate:\s+Thu Nov  5 00:00:00 2020", info)


def test_one_browser_serves_the_process_and_a_dead_one_is_replaced(printed):
    path, first = printed
    program, env = pdf_export.chromium_path(), pdf_export.browser_env()
    browser = chromium.shared_browser(program, env)
    assert pdf_export.write_pdf(path.parent).read_bytes() == first
    assert chromium.shared_browser(program, env) is browser
    os.kill(browser.pid, signal.SIGKILL)
    while browser.alive():  # until the kill has landed
        time.sleep(0.05)
    assert pdf_export.write_pdf(path.parent).read_bytes() == first
    assert chromium.shared_browser(program, env) is not browser


def test_a_browser_started_for_another_environment_prints_nothing_of_ours(printed):
    """The cause of a PDF that differed after Chromium was restarted: the shared browser
    had been started by earlier code with another environment (here: without the print
    fonts) and was reused as it was. It is restarted for the print's own environment."""
    path, first = printed
    stranger = chromium.shared_browser(pdf_export.chromium_path(), {})
    assert pdf_export.write_pdf(path.parent).read_bytes() == first
    assert not stranger.alive()


def test_the_pdf_does_not_depend_on_the_callers_environment(printed, tmp_path, monkeypatch):
    path, first = printed
    (tmp_path / ".fonts").mkdir()
    for name, value in (("HOME", tmp_path), ("LANG", "zh_CN.GB18030"), ("TZ", "Asia/Urumqi")):
        monkeypatch.setenv(name, str(value))
    assert pdf_export.write_pdf(path.parent).read_bytes() == first


def test_a_browser_that_exits_gives_a_chinese_error(tmp_path):
    chromium.close_shared()
    with pytest.raises(BrowserError, match="Chromium 意外退出"):
        chromium.print_pdf(shutil.which("true"), {}, "about:blank", {}, timeout=10)
    assert chromium._browser is None, "a failed browser is not reused"


def test_without_chromium_a_chinese_error_and_nonzero_exit(monkeypatch, capsys):
    monkeypatch.setattr(pdf_export.shutil, "which", lambda name: None)
    with pytest.raises(PdfError, match="chromium"):
        parse_formats("html,pdf")
    assert cli.main(["report", "--formats", "pdf"]) == 1
    err = capsys.readouterr().err
    assert "找不到 chromium" in err and "apt-get install chromium" in err
