"""The briefing in a real browser: headless Chromium (Debian package `chromium`, installed by
.ci/run) loads it with no network request and no console error; the full-page screenshot goes
to outputs/test-screenshots/ for a reviewer to look at."""

from __future__ import annotations

import shutil

from analysis import config

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
            shot = SCREENSHOTS / f"briefing-{width}px.png"
            page.screenshot(path=str(shot), full_page=True)
            metrics = page.evaluate(
                """() => ({
                    scrollWidth: document.documentElement.scrollWidth,
                    images: [...document.images].map(i => i.naturalWidth),
                    h1: document.querySelector('h1')?.textContent,
                    links: document.querySelectorAll('a').length,
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


def test_briefing_fits_a_phone_screen(built_briefing):
    _, console, errors, _, metrics = _open(built_briefing, 390)
    assert console == [] and errors == []
    assert metrics["scrollWidth"] <= 390 + 1, "the page scrolls sideways at phone width"
