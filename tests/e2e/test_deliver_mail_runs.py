"""The e-mail of the sample briefing (the runs)."""

from __future__ import annotations

import base64
import email
import email.policy
import re
import shutil
from email.message import EmailMessage

from analysis.deliver import mail, smtp_settings

SUBJECT = "钟楼区安全生产简报（2024年1—6月）"


def _parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


BODY_LIMIT = 102 * 1024  # Gmail clips an HTML body past 102 KB


EML_LIMIT = 450 * 1024


def _sample_eml(built_briefing, tmp_path, pdf: bytes | None = None) -> tuple[bytes, EmailMessage]:
    briefing = tmp_path / "briefing.html"
    shutil.copy(built_briefing, briefing)
    if pdf is not None:
        briefing.with_suffix(".pdf").write_bytes(pdf)
    settings = smtp_settings.SmtpSettings(host=None, port=587)
    eml = mail.email_briefing(briefing, tmp_path / "briefing.eml", SUBJECT, settings)
    raw = eml.read_bytes()
    return raw, _parse(raw)


def _render_with_cids(html: str, images: dict[str, bytes], width: int) -> dict:
    """Render the body in headless Chromium with each cid: replaced by a data: URI."""
    from playwright.sync_api import sync_playwright

    for cid, data in images.items():
        html = html.replace(
            f"cid:{cid}", "data:image/png;base64," + base64.b64encode(data).decode()
        )
    chromium = shutil.which("chromium")
    assert chromium, "headless Chromium is required: apt-get install chromium"
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.set_content(html, wait_until="load")
            metrics = page.evaluate(
                """() => ({
                    images: [...document.images].map(i => i.naturalWidth),
                    scrollWidth: document.documentElement.scrollWidth,
                    text: document.body.innerText,
                })"""
            )
        finally:
            browser.close()
    metrics["requests"] = [r for r in requests if not r.startswith(("data:", "about:"))]
    return metrics


def test_pdf_is_attached_when_the_run_made_one(built_briefing, tmp_path):
    fake_pdf = b"%PDF-1.4\n% not a real document\n%%EOF\n"
    _, msg = _sample_eml(built_briefing, tmp_path, pdf=fake_pdf)
    attachments = {a.get_content_type(): a for a in msg.iter_attachments()}
    assert set(attachments) == {"text/html", "application/pdf"}
    assert attachments["application/pdf"].get_payload(decode=True) == fake_pdf
    assert attachments["application/pdf"].get_filename() == f"{SUBJECT}.pdf"
    body = msg.get_body(("html",)).get_content()
    assert f"《{SUBJECT}.pdf》" in body


def test_sample_mail_is_built_for_mail_clients(built_briefing, tmp_path):
    raw, msg = _sample_eml(built_briefing, tmp_path)
    assert len(raw) <= EML_LIMIT, f".eml is {len(raw) // 1024} KB"
    html_part = msg.get_body(("html",))
    body = html_part.get_content()
    assert len(body.encode("utf-8")) <= BODY_LIMIT, f"body is {len(body.encode()) // 1024} KB"
    assert "var(--" not in body and "<style" not in body and "class=" not in body
    assert not re.search(r"display\s*:\s*(flex|grid)", body)
    assert "data:" not in body

    # each image once, by cid, and every cid resolves
    related = msg.get_body(("related",))
    images = {
        p["Content-ID"].strip("<>"): p.get_content()
        for p in related.iter_parts()
        if p.get_content_maintype() == "image"
    }
    referenced = re.findall(r'src="cid:([^"]+)"', body)
    assert set(referenced) == set(images) and len(referenced) == len(images) >= 1

    # the full briefing is attached unchanged; its charts are not repeated in the body
    attachments = list(msg.iter_attachments())
    assert [a.get_content_type() for a in attachments] == ["text/html"]
    assert attachments[0].get_payload(decode=True) == built_briefing.read_bytes()
    from analysis.deliver.mail_body import MAX_CHARTS

    full_charts = built_briefing.read_text(encoding="utf-8").count("data:image/png")
    assert len(images) == min(full_charts, MAX_CHARTS)

    text = msg.get_body(("plain",)).get_content()
    assert "一、总体情况" in text and "合成数据" in text and "见附件" in text

    rendered = _render_with_cids(body, images, 700)
    assert rendered["requests"] == [], "the body fetched something"
    assert rendered["images"] and all(w > 0 for w in rendered["images"])
    assert rendered["scrollWidth"] <= 700
    phone = _render_with_cids(body, images, 390)
    assert phone["scrollWidth"] <= 390, f"the body is {phone['scrollWidth']} px on a 390 px phone"
    assert "一、总体情况" in rendered["text"] and "示例数据" in rendered["text"]
