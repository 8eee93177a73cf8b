"""The 简报's 版头 and 版记 (GB/T 9704 and bureau practice), as HTML fragments.

版头: optional 内部资料 mark, the 简报's name in red 小标宋, the 期号 centred, 编印单位 left and
印发日期 right, a red rule. 版记: the 报/送/发 lines of the district's settings, the 落款, and
编印单位 with 印发日期. The markup is documented in templates/fragments/header.html.j2 and
footer.html.j2; every text is escaped by the templates.
"""

from __future__ import annotations

from datetime import date

from analysis.assess.coverage import coverage_note
from analysis.present.render import render
from analysis.present.titles import briefing_title, period_label
from analysis.settings.district import DistrictSettings
from analysis.settings.params import PERIOD_GENRE_KINDS, RunParams


def zh_date(day: date) -> str:
    """``2020年11月5日`` (the way a 公文 writes a date)."""
    return f"{day.year}年{day.month}月{day.day}日"


def content_title(params: RunParams) -> str:
    """The title under the 版头: ``钟楼区安全生产工作情况（截至2020年10月底）``; a 形势分析
    keeps its own title (``钟楼区2020年10月安全生产形势分析``)."""
    if params.kind in PERIOD_GENRE_KINDS:
        return briefing_title(params)
    return f"{params.unit_name}安全生产工作情况（{period_label(params.period, params.kind)}）"


def issue_label(params: RunParams) -> str:
    """``2020年第10期``."""
    return f"{params.period[:4]}年第{params.issue_number}期"


def masthead_html(
    params: RunParams, settings: DistrictSettings, synthetic: bool, rejected: int
) -> str:
    """The 版头, the issue's title and the notices under it (synthetic data, coverage,
    rows left out in lenient mode)."""
    layout = settings.layout
    return render(
        "header.html.j2",
        internal_mark=layout.internal_mark,
        masthead=layout.masthead_for(params.unit_name, params.district),
        issue=issue_label(params),
        office=settings.office,
        issued=zh_date(params.issued_date),
        title=content_title(params),
        synthetic=synthetic,
        rejected=rejected,
        coverage_note=coverage_note(params),
    )


def imprint_lines(settings: DistrictSettings) -> list[tuple[str, str]]:
    """[(报/送/发, names)] as configured (in 公文 order)."""
    return list(settings.distribution)


def imprint_html(params: RunParams, settings: DistrictSettings) -> str:
    """The 版记 ("" when the district turns it off with ``imprint: false``)."""
    return render(
        "footer.html.j2",
        shown=settings.layout.imprint,
        lines=imprint_lines(settings),
        signature=settings.signature,
        office=settings.office,
        issued=zh_date(params.issued_date),
    )
