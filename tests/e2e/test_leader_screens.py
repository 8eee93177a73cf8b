"""The editions on screens, in headless Chromium: chart text a phone can read (at least
11 CSS px at 390 px), and wide tables that use a wide screen's width instead of scrolling
inside their box and wrapping town names one or two characters per line."""

from __future__ import annotations

import shutil

import pytest

from analysis.folder import ANALYST_HTML, BRIEFING_HTML

pytestmark = pytest.mark.browser

MIN_CHART_TEXT_PX = 11


def _evaluate(path, width: int, script: str):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "headless Chromium is required: apt-get install chromium"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(path.as_uri(), wait_until="load")
            return page.evaluate(script)
        finally:
            browser.close()


CHART_TEXT = """() => [...document.images].map(i => ({
    alt: i.alt,
    shown: i.getBoundingClientRect().width,
    own: Number(i.getAttribute('width')),
    textPx: Number(i.dataset.textPx),
}))"""


@pytest.mark.parametrize("edition", [BRIEFING_HTML, ANALYST_HTML])
def test_chart_text_is_readable_on_a_phone(built_briefing, edition):
    charts = _evaluate(built_briefing.parent / edition, 390, CHART_TEXT)
    assert charts
    for chart in charts:
        assert chart["own"] > 0 and chart["textPx"] > 0, chart
        shown_px = chart["textPx"] * min(1, chart["shown"] / chart["own"])
        assert shown_px >= MIN_CHART_TEXT_PX, f"{chart['alt']}: text {shown_px:.1f} px"


WIDE_TABLES = """() => [...document.querySelectorAll('.table-wrap')]
    .filter(w => w.querySelector('tr').cells.length >= 7)
    .map(w => ({
        caption: w.querySelector('caption')?.textContent ?? '',
        scrolls: w.scrollWidth > w.clientWidth + 1,
        width: w.getBoundingClientRect().width,
        prose: document.querySelector('main').getBoundingClientRect().width,
        firstCellLines: [...w.querySelectorAll('tbody td:first-child')].map(td => {
            const line = parseFloat(getComputedStyle(td).lineHeight);
            const padding = parseFloat(getComputedStyle(td).paddingTop) * 2;
            return Math.round((td.getBoundingClientRect().height - padding) / line);
        }),
    }))"""


def test_wide_tables_use_a_wide_screen(built_briefing):
    tables = _evaluate(built_briefing.parent / ANALYST_HTML, 1280, WIDE_TABLES)
    assert tables, "the 11-column town table is in the analyst edition"
    for table in tables:
        assert not table["scrolls"], f"{table['caption']} scrolls inside its box at 1280 px"
        assert table["width"] > table["prose"], "wider than the prose column"
        assert max(table["firstCellLines"]) == 1, f"{table['caption']}: names wrap"
