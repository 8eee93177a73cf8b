"""Print never loses data, and the leader edition reads as a 简报 on paper: every column and
value of every table is in the PDF's text (the leader edition and the analyst edition, whose
11-column town table used to lose its right-hand columns), a serif body font, at most six
A4 pages for the sample, captions kept with their first rows, no running header over the
版头, CreationDate from SOURCE_DATE_EPOCH, no script run while printing, configuration
text escaped for the print page's stylesheet."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from analysis.deliver import pdf as pdf_export
from analysis.deliver.document import Table, parse_briefing
from analysis.folder import ANALYST_HTML, BRIEFING_HTML

EPOCH = 1604534400  # 2020-11-05 00:00:00 UTC
MAX_LEADER_PAGES = 6


def _run(*args: str) -> str:
    assert shutil.which(args[0]), f"{args[0]} is required: apt-get install poppler-utils"
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _print(folder, html_name: str):
    return pdf_export.write_pdf(folder, html_name=html_name)


@pytest.fixture(scope="module")
def editions_printed(built_briefing, tmp_path_factory):
    """(html, pdf) of the leader and the analyst edition, printed as reproducible builds."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        out = {}
        for name in (BRIEFING_HTML, ANALYST_HTML):
            folder = tmp_path_factory.mktemp("print") / "run"
            shutil.copytree(built_briefing.parent, folder)
            out[name] = (folder / name, _print(folder, name))
    return out


@pytest.mark.parametrize("edition", [BRIEFING_HTML, ANALYST_HTML])
def test_every_column_and_value_of_every_table_is_printed(editions_printed, edition):
    html, pdf = editions_printed[edition]
    tables = [b for b in parse_briefing(html.read_text("utf-8")).blocks if isinstance(b, Table)]
    assert tables
    # -raw: the text in the order it is drawn, so that a cell's wrapped lines stay together
    text = _squash(_run("pdftotext", "-raw", str(pdf), "-"))
    missing = [
        (t.caption, cell.text)
        for t in tables
        for row in t.rows
        for cell in row
        if cell.text and _squash(cell.text) not in text
    ]
    assert not missing, missing[:10]


def test_the_wide_town_table_keeps_its_right_hand_columns(editions_printed):
    _, pdf = editions_printed[ANALYST_HTML]
    text = _squash(_run("pdftotext", str(pdf), "-"))
    assert "立案总数" in text and "执法处罚金额" in text
    assert re.search(r"邹区镇(\d+[^\d]+){10}", text), "all ten figures of a town"


def _fonts(pdf) -> list[str]:
    return [line.split()[0].split("+")[-1] for line in _run("pdffonts", str(pdf)).splitlines()[2:]]


def test_the_body_is_set_in_a_serif_face(editions_printed, tmp_path):
    _, pdf = editions_printed[BRIEFING_HTML]
    assert "BriefingPrintSerif-Regular" in _fonts(pdf)
    assert "Type 3" not in _run("pdffonts", str(pdf))
    # a page of body text only, under the print stylesheet: its one font is the serif
    body = "<p>截至10月底，事故9起。</p>"
    page = f'<html><head></head><body><main class="briefing">{body}</main></body></html>'
    (tmp_path / BRIEFING_HTML).write_text(page, encoding="utf-8")
    assert set(_fonts(_print(tmp_path, BRIEFING_HTML))) == {"BriefingPrintSerif-Regular"}


def test_leader_edition_fits_six_pages_and_has_the_masthead_once(editions_printed):
    html, pdf = editions_printed[BRIEFING_HTML]
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf)))[1])
    assert pages <= MAX_LEADER_PAGES
    text = _run("pdftotext", "-layout", str(pdf), "-").split("\f")
    title = re.search(r"<title>(.*?)</title>", html.read_text("utf-8"))[1]
    assert title not in text[0], "no running header above the 版头 on page 1"
    assert all(title in page for page in text[1:pages]), "the running header from page 2 on"
    assert text[0].count("钟楼区安全生产工作简报") == 1
    assert "2020年第10期" in text[0]  # 期号
    assert re.search(r"委员会办公室\s+\d{4}年\d{1,2}月\d{1,2}日", text[0])  # 编印单位, 印发日期


def test_captions_stay_with_their_first_rows(editions_printed):
    for html, pdf in editions_printed.values():
        pages = [_squash(p) for p in _run("pdftotext", str(pdf), "-").split("\f")]
        tables = [
            b
            for b in parse_briefing(html.read_text("utf-8")).blocks
            if isinstance(b, Table) and b.caption and len(b.rows) > b.header_rows
        ]
        for table in tables:
            caption = _squash(table.caption)
            first = _squash(table.rows[table.header_rows][0].text)
            page = next(p for p in pages if caption in p)
            assert first in page[page.index(caption) :], (table.caption, first)


def test_creation_date_is_source_date_epoch_else_the_build_time(editions_printed, monkeypatch):
    _, pdf = editions_printed[BRIEFING_HTML]
    info = _run("pdfinfo", "-isodates", str(pdf))
    assert re.search(r"CreationDate:\s+2020-11-05T00:00:00", info)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert pdf_export.build_time().year >= 2025  # now, not the period end (2020-10-31)


def test_the_page_prints_with_javascript_disabled(tmp_path):
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><p>原文</p>"
        "<script>document.body.innerHTML = '<p>脚本已运行</p>';</script></body></html>"
    )
    (tmp_path / BRIEFING_HTML).write_text(page, encoding="utf-8")
    text = _run("pdftotext", str(_print(tmp_path, BRIEFING_HTML)), "-")
    assert "原文" in text and "脚本已运行" not in text


@pytest.mark.parametrize(
    "name",
    [
        "</style><script>document.title='x'</script>镇",
        '"; } body { display: none } /*',
        '\\" </STYLE >&lt;',
        "镇\n</style>",
    ],
)
def test_a_configured_name_stays_text_in_the_print_stylesheet(name):
    page = pdf_export.print_html("<html><head></head><body></body></html>", name)
    style = page[page.index("<style>") : page.index("</style>") + len("</style>")]
    assert style.count("</style") == 1 and "<script" not in style.lower()
    assert re.search(r'content: "[^"<>&]*";', style), "one CSS string, nothing breaks out"


def test_header_rows_repeat_on_every_page_of_a_long_table(editions_printed):
    html, pdf = editions_printed[ANALYST_HTML]
    recon = next(
        b
        for b in parse_briefing(html.read_text("utf-8")).blocks
        if isinstance(b, Table) and any("可接受范围" in c.text for r in b.rows for c in r)
    )
    header = "".join(_squash(c.text) for c in recon.rows[0])
    pages = [_squash(p) for p in _run("pdftotext", "-raw", str(pdf), "-").split("\f")]
    with_rows = [p for p in pages if "在可接受范围" in p]
    assert len(with_rows) >= 2, "the 71 reconciliation rows span pages"
    assert all(header in p for p in with_rows)


@pytest.mark.parametrize("columns", [8, 11, 14, 18, 22])
def test_a_wide_table_of_long_figures_loses_no_column(tmp_path, columns):
    """Beyond the sample: a table as wide as an analyst may configure into the leader
    edition, every cell a long figure with its unit, keeps every value on paper."""
    from analysis.settings.config import TEMPLATES_DIR

    css = (TEMPLATES_DIR / "briefing" / "briefing.css").read_text(encoding="utf-8")
    head = "".join(f'<th class="num">指标名称较长的第{c}列</th>' for c in range(columns))
    rows = "".join(
        f"<tr><td>镇街{r}</td>"
        + "".join(f'<td class="num">{r}{c}345.67万元</td>' for c in range(1, columns))
        + "</tr>"
        for r in range(1, 6)
    )
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{css}</style></head><body>"
        f'<main class="briefing"><div class="table-wrap"><table><caption>宽表</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div></main></body></html>"
    )
    (tmp_path / BRIEFING_HTML).write_text(page, encoding="utf-8")
    text = _squash(_run("pdftotext", "-raw", str(_print(tmp_path, BRIEFING_HTML)), "-"))
    values = [f"{r}{c}345.67万元" for r in range(1, 6) for c in range(1, columns)]
    assert not [v for v in values if v not in text]
    assert all(f"第{c}列" in text for c in range(columns))
