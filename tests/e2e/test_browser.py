"""The briefing in a real browser: headless Chromium (Debian package `chromium`, installed by
.ci/run) loads it with no network request and no console error; the full-page screenshot goes
to outputs/test-screenshots/ for a reviewer to look at."""

from __future__ import annotations

import shutil

import pytest

from analysis.folder import ANALYST_HTML, BRIEFING_HTML
from analysis.settings import config, places

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = config.OUTPUTS_DIR / "test-screenshots"


def _open(html_path, width):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "headless Chromium is required: apt-get install chromium (see .ci/run)"
    requests, console, errors = [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(html_path.as_uri(), wait_until="load")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shot = SCREENSHOTS / f"{html_path.stem}-{width}px.png"
            page.screenshot(path=str(shot), full_page=True)
            metrics = page.evaluate(
                """() => ({
                    scrollWidth: document.documentElement.scrollWidth,
                    images: [...document.images].map(i => i.naturalWidth),
                    h1: document.querySelector('h1')?.textContent,
                    links: document.querySelectorAll('a').length,
                    cells: [...document.querySelectorAll('td, th')]
                        .map(c => c.getBoundingClientRect())
                        .filter(r => r.width > 0 && r.height > 0)
                        .map(r => r.width),
                    chartsFit: [...document.images].every(
                        i => i.getBoundingClientRect().right <= window.innerWidth + 1),
                })"""
            )
        finally:
            browser.close()
    return requests, console, errors, shot, metrics


def test_briefing_loads_offline_without_errors(built_briefing):
    requests, console, errors, shot, metrics = _open(built_briefing, 1000)
    assert requests == [built_briefing.as_uri()], "the page fetched something besides itself"
    assert console == [] and errors == []
    assert shot.stat().st_size > 10_000
    assert metrics["h1"] and "安全生产工作简报" in metrics["h1"]
    assert all(w > 0 for w in metrics["images"]), "an inline chart failed to decode"
    assert metrics["links"] == 0, "a briefing has no links; an unclosed <a> swallows the page"


EDITIONS = [BRIEFING_HTML, ANALYST_HTML]


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("width", [390, 1280])
def test_briefing_fits_phone_and_desktop(built_briefing, width, edition):
    _, console, errors, _, metrics = _open(built_briefing.parent / edition, width)
    assert console == [] and errors == []
    assert metrics["scrollWidth"] <= width + 1, f"the page scrolls sideways at {width} px"
    page = (built_briefing.parent / edition).read_text(encoding="utf-8")
    cells = page.count("<td") + page.count("<th")  # (a phone card hides its header row)
    assert cells > 20 and len(metrics["cells"]) >= 0.75 * cells, "the tables are missing"
    narrow = [w for w in metrics["cells"] if w < 40]
    assert not narrow, f"{len(narrow)} table cells narrower than 40 px at {width} px"
    assert metrics["chartsFit"], "a chart is wider than the screen"


@pytest.mark.parametrize("edition", EDITIONS)
def test_desktop_tables_stay_tables_and_phone_cards_label_their_values(built_briefing, edition):
    """phone.css applies at 480 px or narrower only: on a desktop, rows stay table rows; on a
    phone each row is a card whose values are preceded by their column's name."""
    page_path = built_briefing.parent / edition
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            seen = {}
            for width in (390, 1280):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(page_path.as_uri(), wait_until="load")
                seen[width] = page.evaluate(
                    """() => ({
                        displays: [...document.querySelectorAll('tbody tr')]
                            .map(r => getComputedStyle(r).display),
                        labels: [...document.querySelectorAll('tbody tr')]
                            .filter(r => getComputedStyle(r).display === 'block')
                            .flatMap(r => [...r.cells].slice(1))
                            .map(c => [c.closest('table').tHead.rows[0]
                                        .cells[c.cellIndex].textContent,
                                       getComputedStyle(c, '::before').content]),
                    })"""
                )
        finally:
            browser.close()
    assert set(seen[1280]["displays"]) == {"table-row"}
    assert "block" in seen[390]["displays"], "wide tables should become cards on a phone"
    labels = seen[390]["labels"]
    assert len(labels) > 20
    unlabelled = [(h, shown) for h, shown in labels if shown != f'"{h}："']
    assert not unlabelled, f"card values not shown after their column's name: {unlabelled[:3]}"


def _index_page(tmp_path):
    """outputs/index.html for a district with eight towns over ten months."""
    import json
    from pathlib import Path

    from analysis.run.batch import Summary
    from analysis.run.index_page import write_index
    from analysis.run.planning import Job
    from analysis.run.workers import Outcome
    from analysis.settings.params import RunParams

    jobs, outcomes = [], []
    for unit in ["", *places.towns_of("钟楼区")]:
        for month in range(1, 11):
            params = RunParams("钟楼区", f"2020-{month:02d}", unit, Path("data/sample"), True)
            out = tmp_path / params.output_subdir
            out.mkdir(parents=True)
            (out / "briefing.html").write_text("<html></html>", encoding="utf-8")
            summary = {
                "headline": [
                    {"name": "生产安全事故起数", "value": "9", "unit": "起", "change": ""}
                ],
                "synthetic": True,
                "targets": {"达标": 7, "预警": month % 3 == 0, "未达标": month % 4 == 0},
            }
            (out / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
            jobs.append(Job(params, "fp"))
            outcomes.append(Outcome(params, "built"))
    return write_index(jobs, Summary(outcomes), out_root=tmp_path)


@pytest.mark.parametrize("width", [390, 1280])
def test_index_page_fits_phone_and_desktop(tmp_path, width):
    index = _index_page(tmp_path)
    requests, console, errors, _, metrics = _open(index, width)
    assert requests == [index.as_uri()] and console == [] and errors == []
    assert metrics["scrollWidth"] <= width + 1, f"the index scrolls sideways at {width} px"
    assert not [w for w in metrics["cells"] if w < 40]
    assert metrics["links"] == 9 * 10 + 1  # each briefing, and the way up to the districts
