"""The optional 版记 (报 / 送 / 发, signature, office) from the district's district.yaml."""

from __future__ import annotations

import pytest

from analysis.deliver.distribution import distribution_footer_html, distribution_lines
from analysis.errors import ConfigError


def test_footer_lines_in_gongwen_order_and_escaped(districts):
    districts(
        "office: 钟楼区安全生产委员会办公室\n"
        "signature: 区安委办<代章>\n"
        "distribution: {发: 各镇（街道）, 报: 市安委办, 送: [区委办, 区政府办]}\n"
    )
    assert distribution_lines("钟楼区") == [
        ("报", "市安委办"),
        ("送", "区委办，区政府办"),
        ("发", "各镇（街道）"),
        ("签发", "区安委办<代章>"),
        ("印发", "钟楼区安全生产委员会办公室"),
    ]
    html = distribution_footer_html("钟楼区")
    assert html.index("报：市安委办") < html.index("送：区委办，区政府办") < html.index("发：")
    assert "区安委办&lt;代章&gt;" in html and "<代章>" not in html


def test_no_configuration_no_footer(districts):
    districts("office: 钟楼区安全生产委员会办公室\n")
    assert distribution_footer_html("钟楼区") == ""


@pytest.mark.parametrize(
    "distribution, message",
    [
        ("{抄: 市局}", "未知项“抄”"),
        ("{报: ''}", "distribution 中报应为单位名称或名称列表"),
        ("{送: [1]}", "distribution 中送应为单位名称或名称列表"),
        ("市安委办", "应为“报/送/发: 单位”的映射"),
    ],
)
def test_bad_distribution_is_a_chinese_config_error(districts, distribution, message):
    path = districts(f"office: 某办\ndistribution: {distribution}\n")
    with pytest.raises(ConfigError, match=message) as info:
        distribution_lines("钟楼区")
    assert f"{path} 第 2 行" in str(info.value)
