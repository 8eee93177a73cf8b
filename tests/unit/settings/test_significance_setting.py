"""The significance level is a district setting (default 5%), checked like every other."""

from __future__ import annotations

import pytest

from analysis.errors import ConfigError
from analysis.settings.district import district_settings


def test_the_default_level_is_five_percent(districts):
    districts("office: 示例办公室\n")
    assert district_settings("钟楼区").significance_level == 0.05


def test_a_district_sets_its_own_level(districts):
    districts("significance_level: 0.01\n")
    assert district_settings("钟楼区").significance_level == 0.01


@pytest.mark.parametrize("bad", ["0", "0.5", "1", "-0.05", "五个百分点", "true", "[0.05]"])
def test_a_bad_level_is_refused_naming_the_file_and_line(districts, bad):
    path = districts(f"office: 示例办公室\nsignificance_level: {bad}\n")
    with pytest.raises(ConfigError) as info:
        district_settings("钟楼区")
    message = str(info.value)
    assert path.name in message and "第 2 行" in message and "significance_level" in message
