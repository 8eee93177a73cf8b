"""Targets (达标 / 预警 / 未达标 against 序时进度), per district and year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.assess.targets import (
    Target,
    evaluate_targets,
    load_targets,
    months_elapsed,
    parse_targets,
    target_text,
)
from analysis.errors import ConfigError
from analysis.indicators import TextStyle, parse_as_of
from analysis.settings import config
from analysis.settings.yaml_files import read_yaml


def frame(as_of: str, **values) -> pd.DataFrame:
    """A compute_indicators-like frame: id → value, or id → (value, prior)."""
    rows = []
    for ind_id, v in values.items():
        value, prior = v if isinstance(v, tuple) else (v, float("nan"))
        yoy = (value - prior) / prior * 100 if prior and prior == prior else float("nan")
        rows.append(
            {
                "as_of": parse_as_of(as_of),
                "id": ind_id,
                "value": value,
                "prior_value": prior,
                "yoy_pct": yoy,
                "yoy_pp": float("nan"),
                "applicable": True,
                "yoy_text": "",
            }
        )
    return pd.DataFrame(rows)


def targets(*items):
    return {"year": 2020, "targets": list(items)}


COVERAGE = {
    "id": "below",
    "name": "规下企业宣讲覆盖率100%",
    "indicator": "below_scale_coverage",
    "op": "ge",
    "target": 100,
    "pace": "linear",
    "gap_text": "规下企业尚有{n}家未覆盖",
}


def test_months_elapsed():
    assert months_elapsed("2020-10") == 10
    assert months_elapsed("2020-12") == 12
    assert months_elapsed("2020-10-23") == pytest.approx(9 + 23 / 31)


def _coverage(as_of, briefed, total=4091):
    return frame(
        as_of,
        below_scale_coverage=briefed / total * 100,
        below_scale_briefed=briefed,
        below_scale_enterprises=total,
    )


def test_gap_in_natural_units_and_on_pace():
    out = evaluate_targets(_coverage("2020-10-23", 3600), targets(COVERAGE)).iloc[0]
    assert out["gap_text"] == "规下企业尚有491家未覆盖"
    assert out["gap"] == 491
    # 序时进度 at 10-23: 100 × (9 + 23/31) / 12 = 81.2% < 88.0% → on pace
    assert out["pace_required"] == pytest.approx(100 * (9 + 23 / 31) / 12)
    assert out["status"] == "达标"
    assert "序时进度" in out["status_note"]


def test_behind_pace_is_a_warning():
    # June: pace requires 50%; 1800 / 4091 = 44.0% → 预警, projected 88.0% at year end
    out = evaluate_targets(_coverage("2020-06", 1800), targets(COVERAGE)).iloc[0]
    assert out["status"] == "预警"
    assert out["projected"] == pytest.approx(1800 / 4091 * 100 * 2)
    assert out["gap_text"] == "规下企业尚有2291家未覆盖"


def test_year_end_not_reached_is_missed_and_reached_is_met():
    missed = evaluate_targets(_coverage("2020-12", 4000), targets(COVERAGE)).iloc[0]
    assert missed["status"] == "未达标"
    assert missed["gap_text"] == "规下企业尚有91家未覆盖"
    met = evaluate_targets(_coverage("2020-06", 4091), targets(COVERAGE)).iloc[0]
    assert met["status"] == "达标"
    assert met["gap"] == 0
    assert met["gap_text"].startswith("已达标")


def test_standing_target_and_major_hazards():
    t = {
        "id": "mh",
        "name": "重大隐患整改率100%",
        "indicator": "major_hazard_rectification_rate",
        "op": "ge",
        "target": 100,
        "pace": "none",
        "gap_text": "重大隐患尚有{n}项未整改",
    }
    df = frame(
        "2020-10",
        major_hazard_rectification_rate=21 / 22 * 100,
        major_hazards_rectified=21,
        major_hazards_found=22,
    )
    out = evaluate_targets(df, targets(t)).iloc[0]
    assert out["status"] == "未达标"
    assert out["gap_text"] == "重大隐患尚有1项未整改"
    assert out["actual_text"] == "95.5%"


def test_yoy_target():
    t = {
        "id": "acc",
        "name": "事故起数同比下降20%以上",
        "indicator": "accidents",
        "measure": "yoy_pct",
        "op": "le",
        "target": -20,
        "gap_text": "须再减少{n}起",
    }
    # 50 vs 60 = −16.7%: at most 48 allowed → 2 too many
    out = evaluate_targets(frame("2020-10", accidents=(50.0, 60.0)), targets(t)).iloc[0]
    assert out["status"] == "未达标"
    assert out["gap_text"] == "须再减少2起"
    assert out["target_text"] == "同比下降20%以上"
    ok = evaluate_targets(frame("2020-10", accidents=(9.0, 60.0)), targets(t)).iloc[0]
    assert ok["status"] == "达标"
    assert "同比下降85.0%" in ok["gap_text"]
    # no prior-year data: cannot be judged
    na = evaluate_targets(frame("2020-10", accidents=9.0), targets(t)).iloc[0]
    assert na["status"] == "无法评估"


def test_target_texts_follow_the_districts_rounding_rule_and_decimals():
    """A 截尾 district with 2 decimals: 9 vs 60 is −85.00%, and 1 vs 6 is −83.33% (half-up
    and truncation agree) while 1 vs 3 gives −66.66% truncated, −66.67% half-up."""
    t = {"id": "acc", "name": "事故下降", "indicator": "accidents", "measure": "yoy_pct"}
    t |= {"op": "le", "target": -20}
    truncated = TextStyle("截尾", 2, 2)
    ok = evaluate_targets(frame("2020-10", accidents=(9.0, 60.0)), targets(t), style=truncated)
    assert "同比下降85.00%" in ok.iloc[0]["gap_text"]
    third = frame("2020-10", accidents=(1.0, 3.0))
    assert evaluate_targets(third, targets(t), style=truncated).iloc[0]["actual_text"] == (
        "同比下降66.66%"
    )
    assert evaluate_targets(third, targets(t)).iloc[0]["actual_text"] == "同比下降66.7%"
    cover = evaluate_targets(
        frame("2020-06", below_scale_coverage=66.66666), targets(COVERAGE), style=truncated
    ).iloc[0]
    assert cover["actual_text"] == "66.6%"
    half_up = evaluate_targets(frame("2020-06", below_scale_coverage=66.66666), targets(COVERAGE))
    assert half_up.iloc[0]["actual_text"] == "66.7%"


def test_cumulative_cap_with_pace():
    cap = {
        "id": "cap",
        "name": "全年火灾不超过12起",
        "indicator": "fires",
        "op": "le",
        "target": 12,
        "pace": "linear",
        "gap_text": "已超出{n}起",
    }
    # June: pace allows 6
    assert evaluate_targets(frame("2020-06", fires=5.0), targets(cap)).iloc[0]["status"] == "达标"
    assert evaluate_targets(frame("2020-06", fires=7.0), targets(cap)).iloc[0]["status"] == "预警"
    over = evaluate_targets(frame("2020-06", fires=13.0), targets(cap)).iloc[0]
    assert over["status"] == "未达标" and over["gap_text"] == "已超出1起"


def test_ranking_by_severity():
    t_cov = dict(COVERAGE)
    t_mh = {
        "id": "mh",
        "name": "重大隐患整改率100%",
        "indicator": "major_hazard_rectification_rate",
        "op": "ge",
        "target": 100,
    }
    t_ok = {
        "id": "zero",
        "name": "零较大事故",
        "indicator": "major_or_above_accidents",
        "op": "le",
        "target": 0,
    }
    df = pd.concat(
        [
            _coverage("2020-06", 1800),
            frame("2020-06", major_hazard_rectification_rate=90.0, major_or_above_accidents=0.0),
        ]
    )
    out = evaluate_targets(df, targets(t_ok, t_cov, t_mh))
    assert list(out["status"]) == ["未达标", "预警", "达标"]
    assert list(out["target_id"]) == ["mh", "below", "zero"]


def test_to_display_headers():
    from analysis.indicators import to_display

    df = evaluate_targets(_coverage("2020-06", 1800), targets(COVERAGE))
    shown = to_display(df)
    assert {"目标", "状态", "差距说明", "序时进度应达"} <= set(shown.columns)


def test_targets_validation():
    with pytest.raises(ConfigError, match="指标目录中没有指标“nope”"):
        parse_targets(targets({"id": "a", "indicator": "nope", "op": "ge", "target": 1}))
    with pytest.raises(ConfigError, match="op 应为"):
        parse_targets(targets({"id": "a", "indicator": "accidents", "op": "gt", "target": 1}))


def test_shipped_targets_of_the_sample_district():
    t = load_targets("钟楼区", 2020)
    assert {x.indicator for x in t.targets} >= {
        "accidents",
        "accident_deaths",
        "major_hazard_rectification_rate",
        "above_scale_coverage",
        "below_scale_coverage",
        "inspection_plan_completion",
        "enforcement_supervision_coverage",
        "hazard_due_rectification_rate",
    }


def test_a_district_or_year_without_targets_has_none():
    assert load_targets("天宁区", 2020).targets == ()
    assert load_targets("钟楼区", 2031).targets == ()
    ind = frame("2020-10", accidents=(9.0, 60.0))
    out = evaluate_targets(ind, load_targets("天宁区", 2020))
    assert out.empty and list(out.columns) == list(evaluate_targets(ind, targets()).columns)


@pytest.fixture
def config_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(config, "CONFIG_DIR", tmp_path)
    monkeypatch.setattr(config, "DISTRICTS_DIR", tmp_path / "districts")
    return tmp_path


def test_config_errors_name_the_file_and_line(config_dir):
    path = config_dir / "districts" / "新北区" / "targets" / "2021.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        "year: 2021\n"
        "targets:\n"
        "  - id: ok\n"
        "    indicator: accidents\n"
        "    op: le\n"
        "    target: 0\n"
        "  - id: bad\n"
        "    indicator: accidents\n"
        "    op: lt\n"
        "    target: 0\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_targets("新北区", 2021)
    text = str(err.value)
    assert text.startswith(f"配置文件 {path} 第 9 行：目标“bad”：op 应为")  # the “op:” line


def test_year_in_file_must_match_its_name(config_dir):
    path = config_dir / "districts" / "新北区" / "targets" / "2022.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("year: 2021\ntargets: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="year 为 2021，与文件名年份 2022 不符"):
        load_targets("新北区", 2022)


@pytest.mark.parametrize(
    ("op", "target", "direction", "text"),
    [
        ("le", -20, "lower_better", "同比下降20%以上"),
        ("le", -2.5, "lower_better", "同比下降2.5%以上"),  # declared decimals kept
        ("le", 0, "lower_better", "不高于上年同期"),  # not “同比增长0%以内”
        ("ge", 0, "higher_better", "不低于上年同期"),
        ("le", 5, "lower_better", "同比上升5%以内"),  # accidents rise, they do not grow
        ("ge", 10, "higher_better", "同比增长10%以上"),
        ("ge", -10, "higher_better", "同比下降10%以内"),
    ],
)
def test_yoy_target_wording(op, target, direction, text):
    t = Target("t", "t", "accidents", op, target, measure="yoy_pct")
    assert target_text(t, "%", direction) == text


def test_rate_targets_are_in_percentage_points():
    t = Target("t", "t", "major_hazard_rectification_rate", "ge", 5, measure="yoy_pct")
    assert target_text(t, "个百分点", "higher_better") == "同比提高5个百分点以上"
    df = frame("2020-10", major_hazard_rectification_rate=(90.0, 80.0))
    df["yoy_pp"] = 10.0
    goal = {
        "id": "r",
        "name": "整改率提高5个百分点以上",
        "indicator": "major_hazard_rectification_rate",
        "measure": "yoy_pct",
        "op": "ge",
        "target": 5,
    }
    out = evaluate_targets(df, targets(goal)).iloc[0]
    assert out["target_text"] == "同比提高5个百分点以上"
    assert out["status"] == "达标"
    assert out["actual_text"] == "同比提高10.0个百分点"


def test_value_target_keeps_decimals():
    t = Target("t", "t", "fines", "ge", 2.5)
    assert target_text(t, "万元") == "≥2.5万元"
    assert target_text(Target("t", "t", "fines", "le", 12), "起") == "≤12起"


def test_every_problem_names_the_line_of_its_key(tmp_path):
    path = tmp_path / "2021.yaml"
    path.write_text(
        "year: 2021\n"
        "targets:\n"
        "  - id: x\n"
        "    indicator: nope\n"  # line 4
        "    op: le\n"
        "    target: 少\n"  # line 6
        "  - id: x\n"  # line 7
        "    indicator: accidents\n"
        "    op: le\n"
        "    target: 0\n"
        "  - 不是映射\n",  # line 11
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        parse_targets(read_yaml(path), path)
    assert str(err.value).splitlines()[1:] == [
        "  1. 第 4 行：目标“x”：指标目录中没有指标“nope”",
        "  2. 第 6 行：目标“x”：target / baseline 应为数字",
        "  3. 第 7 行：目标编号“x”重复",
        "  4. 第 11 行：该条目标不是“键: 值”的映射",
    ]
