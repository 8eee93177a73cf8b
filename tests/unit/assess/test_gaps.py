"""The gap register and next steps, per district and year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.assess.gaps import GapConfig, gaps_register, load_gaps, parse_gaps
from analysis.assess.targets import evaluate_targets, load_targets
from analysis.errors import ConfigError
from analysis.settings import config
from analysis.settings.yaml_files import read_yaml


def test_shipped_gaps_of_the_sample_district():
    cfg = load_gaps("钟楼区", 2020)
    assert [g.title for g in cfg.gaps] == [
        "企业思想转变有差距",
        "安全工作落实有差距",
        "源头治理有差距",
        "体制机制建设有差距",
    ]
    assert len(cfg.actions) == 6
    assert all(g.evidence and g.actions for g in cfg.gaps)


def test_next_steps_answer_their_gaps():
    from analysis.indicators import compute_indicators
    from analysis.inputs import load_tables
    from analysis.present.frames import next_steps_frame

    cfg = load_gaps("钟楼区", 2020)
    ind = compute_indicators(load_tables(config.SAMPLE_DATA_DIR).tables, "钟楼区", "2020-10")
    steps = next_steps_frame(gaps_register(ind, cfg), cfg.actions)
    assert list(steps["序号"]) == ["一", "二", "三", "四", "五", "六"]
    assert steps.iloc[0]["举措"] == "进一步压实企业主体责任"
    assert steps.iloc[0]["针对差距"] == "一是企业思想转变有差距"
    assert "二是安全工作落实有差距" in steps.iloc[5]["针对差距"]


def test_a_district_or_year_without_gaps_gets_nothing_and_never_another_districts_text():
    for district, year in (("天宁区", 2020), ("钟楼区", 2019)):
        cfg = load_gaps(district, year)
        assert cfg == GapConfig()
        assert cfg.actions == ()
        reg = gaps_register(pd.DataFrame(columns=["id", "value"]), cfg)
        assert reg.empty


def test_gaps_register_on_sample_data():
    from analysis.indicators import compute_indicators
    from analysis.inputs import load_tables

    tables = load_tables(config.SAMPLE_DATA_DIR).tables
    ind = compute_indicators(tables, "钟楼区", "2020-10-23")
    tg = evaluate_targets(ind, load_targets("钟楼区", 2020), period_end="2020-10-23")
    by_id = tg.set_index("target_id")
    assert by_id.loc["below_scale_outreach_full", "gap_text"] == "规下企业尚有491家未覆盖"
    assert by_id.loc["major_hazards_all_rectified", "gap_text"] == "重大隐患尚有1项未整改"
    assert by_id.loc["major_hazards_all_rectified", "status"] == "未达标"
    reg = gaps_register(ind, load_gaps("钟楼区", 2020), targets_df=tg)
    assert reg["gap_id"].nunique() == 4
    first = reg[reg["gap_id"] == "enterprise_mindset"]
    assert "规下企业未宣讲数491家" in first["evidence_text"].tolist()
    assert first["actions_text"].iloc[0].startswith("一是进一步压实企业主体责任")
    hz = reg[(reg["gap_id"] == "implementation") & (reg["indicator_id"] == "major_hazards_open")]
    assert hz["value"].iloc[0] == 1


def test_gaps_validation():
    bad = {
        "gaps": [
            {
                "id": "g",
                "seq": "一",
                "title": "t",
                "text": "x",
                "evidence": ["nope"],
                "actions": ["a9"],
            }
        ],
        "actions": [{"id": "a1", "seq": "一", "title": "t", "text": "x"}],
    }
    with pytest.raises(ConfigError) as err:
        gaps_register(pd.DataFrame(columns=["id", "value"]), gaps=bad)
    assert "佐证指标“nope”不在指标目录中" in str(err.value)
    assert "下一步工作“a9”未定义" in str(err.value)


def test_gaps_errors_name_the_file_and_line(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CONFIG_DIR", tmp_path)
    monkeypatch.setattr(config, "DISTRICTS_DIR", tmp_path / "districts")
    path: Path = tmp_path / "districts" / "新北区" / "gaps" / "2021.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        "gaps:\n"
        "  - id: g1\n"
        "    evidence: [accidents]\n"
        "    actions: [a1]\n"
        "  - id: g2\n"
        "    evidence: [nope]\n"
        "    actions: [a1]\n"
        "actions:\n"
        "  - id: a1\n"
        "    seq: 一\n"
        "    title: 压实责任\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_gaps("新北区", 2021)
    expected = f"配置文件 {path} 第 6 行：差距“g2”：佐证指标“nope”不在指标目录中"
    assert str(err.value) == expected  # the line of the unknown evidence indicator


def test_a_missing_or_repeated_id_or_a_bare_item_names_its_line(tmp_path):
    path = tmp_path / "2021.yaml"
    path.write_text(
        "gaps:\n"
        "  - id: g1\n"
        "    actions: [a1]\n"
        "  - 不是映射\n"  # line 4
        "actions:\n"
        "  - id: a1\n"
        "  - id: a1\n"  # line 7
        "  - title: 无编号\n",  # line 8
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        parse_gaps(read_yaml(path), path=path)
    assert str(err.value).splitlines()[1:] == [
        "  1. 第 4 行：gaps 的该项不是“键: 值”的映射",
        "  2. 第 7 行：下一步工作编号“a1”重复",
        "  3. 第 8 行：下一步工作缺少 id",
    ]


def test_evidence_values_follow_the_districts_rounding_rule():
    cfg = parse_gaps(
        {
            "year": 2020,
            "gaps": [
                {
                    "id": "g",
                    "title": "覆盖",
                    "text": "覆盖不足",
                    "evidence": ["below_scale_coverage"],
                }
            ],
            "next_steps": [],
        }
    )
    ind = pd.DataFrame(
        [{"id": "below_scale_coverage", "value": 88.88, "applicable": True, "yoy_text": ""}]
    )
    assert gaps_register(ind, cfg).iloc[0]["value_text"] == "88.9%"
    assert gaps_register(ind, cfg, rule="截尾").iloc[0]["value_text"] == "88.8%"
