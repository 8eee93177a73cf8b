"""The 简报's 版头 and 版记 from a district's settings: names escaped, the 内部资料 mark and the
版记 on and off, the 印发日期 from ISSUED=."""

from __future__ import annotations

from analysis.present.masthead import imprint_html, masthead_html
from analysis.settings.district import district_settings
from analysis.settings.params import resolve_params

HOSTILE = '钟楼区</style><script>alert(1)</script>"办'


def _settings():
    return district_settings("钟楼区")


def test_masthead_has_name_issue_office_date_and_rule(districts):
    districts("internal_mark: true\nmasthead: '{区}安全生产简报'\n")
    params = resolve_params(period="2020-10", issued="2020-11-05")
    html = masthead_html(params, _settings(), synthetic=True, rejected=0)
    assert '<p class="masthead-mark noindent">内部资料　注意保存</p>' in html
    assert '<h1 class="masthead-name">钟楼区安全生产简报</h1>' in html
    assert '<p class="masthead-issue noindent">2020年第10期</p>' in html
    assert '<span class="masthead-date">2020年11月5日</span>' in html
    assert 'class="masthead-rule"' in html and "合成数据" in html


def test_without_the_mark_none_is_shown(districts):
    districts("office: 某办\n")
    html = masthead_html(resolve_params(period="2020-10"), _settings(), False, 0)
    assert "内部资料" not in html and "合成数据" not in html


def test_configured_names_are_text_not_markup(districts):
    districts(f"office: '{HOSTILE}'\nmasthead: '{HOSTILE}'\ndistribution: {{报: '{HOSTILE}'}}\n")
    params = resolve_params(period="2020-10")
    for html in (masthead_html(params, _settings(), False, 0), imprint_html(params, _settings())):
        assert "<script" not in html and "</style" not in html
        assert "&lt;script&gt;" in html


def test_imprint_lists_distribution_then_office_and_date_and_can_be_off(districts):
    districts("distribution: {报: 市安委办, 送: [区委办, 区政府办]}\n")
    params = resolve_params(period="2020-10", issued="2020-11-05")
    html = imprint_html(params, _settings())
    assert html.index("报：") < html.index("送：") < html.index("2020年11月5日印发")
    assert "区委办，区政府办" in html
    districts("imprint: false\ndistribution: {报: 市安委办}\n")
    assert imprint_html(params, _settings()).strip() == ""
