"""The optional distribution block (版记) at the foot of a briefing: 报 / 送 / 发 lines, the
signature and the issuing office, from the district's settings
(data/config/districts/<district>/district.yaml over data/config/defaults.yaml)::

    distribution: {报: 市安委办, 送: [区委办, 区政府办], 发: 各镇（街道）安委办}
    signature: 区安委办（代章）
    office: 钟楼区安全生产委员会办公室

With neither distribution nor signature the block is empty. The briefing shows the HTML at
its end; the Word, PDF and e-mail versions take it from there.
"""

from __future__ import annotations

from html import escape

from analysis.settings.district import DISTRIBUTION_KEYS, district_settings


def distribution_lines(district: str) -> list[tuple[str, str]]:
    """[(label, text)] in 公文 order: 报, 送, 发, then 签发 (signature) and 印发 (office)."""
    settings = district_settings(district)
    lines = list(settings.distribution)
    if settings.signature:
        lines.append(("签发", settings.signature))
    if lines:
        lines.append(("印发", settings.office))
    return lines


def distribution_footer_html(district: str) -> str:
    """The 版记 block as escaped HTML (``""`` when the district configures none of it)."""
    lines = distribution_lines(district)
    if not lines:
        return ""
    rows = []
    for label, text in lines:
        if label in DISTRIBUTION_KEYS:
            rows.append(f'<p class="noindent">{label}：{escape(text)}</p>')
        else:
            rows.append(f'<p class="noindent" style="text-align:right">{escape(text)}</p>')
    return '<section class="distribution">\n' + "\n".join(rows) + "\n</section>"
