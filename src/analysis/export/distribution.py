"""The optional distribution block (版记) at the foot of a briefing: 报 / 送 / 发 lines, the
signature and the issuing office, from the district's entry in data/config/units.yaml::

    districts:
      钟楼区:
        distribution: {报: 市安委办, 送: [区委办, 区政府办], 发: 各镇（街道）安委办}
        signature: 区安委办（代章）
        office: 钟楼区安全生产委员会办公室

Every key is optional; with none of them the block is empty. The briefing template shows
the HTML in its footer; the Word, PDF and e-mail versions take it from there.
"""

from __future__ import annotations

from html import escape

from analysis import config
from analysis.errors import ConfigError

DISTRIBUTION_KEYS = ("报", "送", "发")


def _fault(reason: str, *at: str) -> ConfigError:
    """units.yaml named with the line of the district's offending entry."""
    line = config.line_at(config.units(), "districts", *at)
    return config.config_fault(config.UNITS_FILE, reason, line)


def _names(district: str, key: str, value, *at: str) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return "，".join(v.strip() for v in value)
    reason = f"区“{district}”的 distribution.{key} 应为单位名称或名称列表，实际为“{value}”"
    raise _fault(reason, district, *at)


def distribution_lines(district: str) -> list[tuple[str, str]]:
    """[(label, text)] in 公文 order: 报, 送, 发, then 签发 (signature) and 印发 (office)."""
    entry = config.units()["districts"].get(district) or {}
    lines: list[tuple[str, str]] = []
    distribution = entry.get("distribution") or {}
    if not isinstance(distribution, dict):
        reason = f"区“{district}”的 distribution 应为“报/送/发: 单位”的映射"
        raise _fault(reason, district, "distribution")
    unknown = [k for k in distribution if k not in DISTRIBUTION_KEYS]
    if unknown:
        reason = f"区“{district}”的 distribution 含未知项“{'、'.join(map(str, unknown))}”"
        raise _fault(f"{reason}，只能是 报、送、发", district, "distribution", unknown[0])
    for key in DISTRIBUTION_KEYS:
        if key in distribution:
            text = _names(district, key, distribution[key], "distribution", key)
            lines.append((key, text))
    for key, label in (("signature", "签发"), ("office", "印发")):
        if entry.get(key) is not None:
            lines.append((label, _names(district, key, entry[key], key)))
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
