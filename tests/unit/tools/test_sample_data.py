"""The shipped synthetic sample data: reproducible, valid, and equal to the published figures.

Expectations are hand-written from /tmp/figures_spec.md (the seed report) and computed with
plain pandas, independently of the project's indicator code.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.inputs import load_tables
from analysis.settings import config
from analysis.tools import sample_data

YTD20 = ("2020-01-01", "2020-10-31")
YTD19 = ("2019-01-01", "2019-10-31")
AS_OF_OUTREACH = pd.Timestamp("2020-10-23")


def between(s: pd.Series, period: tuple[str, str]) -> pd.Series:
    return s.between(pd.Timestamp(period[0]), pd.Timestamp(period[1]))


@pytest.fixture(scope="module")
def loaded():
    return load_tables(config.SAMPLE_DATA_DIR, strict=True, today=date(2025, 1, 1))


@pytest.fixture(scope="module")
def t(loaded):
    return loaded.tables


def test_regeneration_is_byte_identical(tmp_path):
    written = sample_data.write_sample_data(tmp_path)
    assert {p.name for p in written} >= {"enterprises.csv", "MANIFEST.yaml", "SYNTHETIC"}
    for path in written:
        committed = config.SAMPLE_DATA_DIR / path.name
        assert committed.exists(), f"{path.name} is not committed"
        assert path.read_bytes() == committed.read_bytes(), f"{path.name} differs"


def test_the_module_command_still_writes_this_sample_by_default(tmp_path, capsys):
    assert sample_data.main([str(tmp_path)]) == 0
    assert "钟楼区" in capsys.readouterr().out
    for name in ("incidents.csv", "MANIFEST.yaml"):
        assert (tmp_path / name).read_bytes() == (config.SAMPLE_DATA_DIR / name).read_bytes()
    assert not (tmp_path / "published_figures.csv").exists()  # maintained by hand


def test_every_table_except_published_figures_is_generated():
    generated = set(sample_data.generate())
    from analysis.inputs.schema import TABLES

    assert generated == set(TABLES) - {"published_figures"}


def test_loads_without_problems_and_is_marked_synthetic(loaded):
    assert loaded.problems == []
    assert loaded.n_rejected == 0
    assert loaded.rejects.empty
    assert loaded.synthetic is True
    assert loaded.manifest["synthetic"] is True
    assert loaded.manifest_mismatches == []
    assert all(f.encoding == "utf-8-sig" for f in loaded.files)
    names = loaded.tables["enterprises"]["enterprise_name"]
    assert names.str.endswith("（合成）").all()
    for f in loaded.files:
        if f.table != "published_figures":
            assert loaded.manifest["files"][f.name]["rows"] == f.rows_read


def test_dtypes(t):
    inc = t["incidents"]
    assert inc["date"].dtype == "datetime64[ns]"
    assert inc["deaths"].dtype == "int64"
    assert inc["direct_loss_wan"].dtype == "float64"
    assert inc["incident_id"].dtype == object
    assert t["cases"]["suspension"].dtype == bool
    assert t["enterprises"]["briefed_date"].dtype == "datetime64[ns]"


def test_incidents(t):
    inc = t["incidents"]
    acc = inc[inc["category"] == "生产安全事故"]
    fire = inc[inc["category"] == "火灾"]
    a20, a19 = acc[between(acc["date"], YTD20)], acc[between(acc["date"], YTD19)]
    assert (len(a20), a20["deaths"].sum()) == (9, 4)
    assert (len(a19), a19["deaths"].sum()) == (60, 9)
    assert round((9 - 60) / 60 * 100, 1) == -85.0
    assert round((4 - 9) / 9 * 100, 1) == -55.6
    f20, f19 = fire[between(fire["date"], YTD20)], fire[between(fire["date"], YTD19)]
    assert len(f20) == 45 and len(f19) == 71
    assert f20[["deaths", "injuries", "serious_injuries"]].sum().sum() == 0
    assert round((45 - 71) / 71 * 100, 1) == -36.6
    # no 较大以上 accident (deaths >= 3, serious >= 10 or loss >= 1000 万元)
    assert (acc["deaths"] <= 2).all() and (acc["serious_injuries"] <= 9).all()
    assert (acc["direct_loss_wan"] < 1000).all()
    # Nov–Dec 2019 exist, so the full year 2019 can be computed
    late19 = inc[between(inc["date"], ("2019-11-01", "2019-12-31"))]
    assert (late19["category"] == "生产安全事故").sum() == 6
    assert (late19["category"] == "火灾").sum() == 8
    # 邹区镇 has the most incidents
    assert inc["town"].value_counts().index[0] == "邹区镇"


def test_meetings_and_media(t):
    m = t["meetings"]
    assert between(m["date"], YTD20).sum() == 12
    assert set(m.loc[between(m["date"], YTD20), "body"]) == {"区委常委会", "区政府常务会议"}
    assert (m["date"].dt.year == 2019).sum() > 0
    media = t["media"]
    counts = media[between(media["date"], YTD20)]["outlet"].value_counts().to_dict()
    assert counts == {
        "新钟楼·常州日报": 16,
        "中国应急管理报": 7,
        "常州电视台": 2,
        "江苏卫视": 1,
        "学习强国江苏学习平台": 1,
        "应急管理部微信平台": 1,
        "央视12套《应急时刻》": 1,
    }


def test_outreach_as_of_october_23(t):
    o = t["outreach"]
    upto = o[between(o["date"], ("2020-01-01", "2020-10-23"))]
    talks = upto[upto["event_type"] == "集中宣讲"]
    assert len(talks) == 92
    assert 8100 <= talks["participants"].sum() < 8200
    assert talks["participants"].sum() == 8136
    assert (upto["event_type"] == "视频教材播放").sum() == 58
    booklets = upto.loc[upto["event_type"] == "宣传手册发放", "materials"].sum()
    assert 37000 <= booklets < 37300
    online = upto[upto["event_type"] == "在线学习"].groupby("audience")["participants"].sum()
    assert online.to_dict() == {"规上企业": 235, "规下企业": 128, "镇街领导班子": 75}
    # rows after 10-23 exist, so the as-of date matters
    assert (o["date"] > AS_OF_OUTREACH).sum() > 0


def test_enterprises_roster(t):
    e = t["enterprises"]
    assert len(e) == 4389
    above, below = e[e["scale"] == "规上"], e[e["scale"] == "规下"]
    assert len(above) == 298 and len(below) == 4091
    assert (above["briefed_date"] <= AS_OF_OUTREACH).sum() == 298
    assert (below["briefed_date"] <= AS_OF_OUTREACH).sum() == 3600
    assert round(3600 / 4091 * 100) == 88
    assert below["briefed_date"].notna().sum() <= 4091
    assert e["model_enterprise"].sum() == 12
    assert e["hazchem"].sum() == 20
    grades = e["standardization_grade"].value_counts()
    assert grades["二级"] == 20 and grades["三级"] == 164 and "一级" not in grades
    assert e["town"].value_counts().index[0] == "邹区镇"


def test_inspections_and_plan(t):
    i = t["inspections"]
    i20 = i[between(i["date"], YTD20)]
    assert 7675 <= len(i20) < 7700
    assert i20["inspectors"].sum() == 6560
    assert i20["experts"].sum() == 270
    em = i[i["department"] == "区应急管理局"]
    em20 = em[between(em["date"], YTD20)]["enterprise_id"].nunique()
    em19 = em[between(em["date"], YTD19)]["enterprise_id"].nunique()
    assert (em20, em19) == (209, 185)
    assert round((209 - 185) / 185 * 100) == 13
    plan = t["enforcement_plan"]
    plan20 = plan[(plan["year"] == 2020) & (plan["department"] == "区应急管理局")]
    assert len(plan20) == 136
    inspected = set(em[between(em["date"], YTD20)]["enterprise_id"])
    assert set(plan20["enterprise_id"]) <= inspected
    assert len(plan[plan["year"] == 2019]) == 120


def test_hazards(t):
    h = t["hazards"]
    h20 = h[between(h["found_date"], YTD20)]
    major = h20[h20["level"] == "重大"]
    assert len(major) == 22
    done = major[major["status"] == "已整改"]
    assert len(done) == 21
    assert (done["rectified_date"] <= pd.Timestamp("2020-10-31")).all()
    assert (major["status"] == "整改中").sum() == 1
    general = h20[h20["level"] == "一般"]
    assert 2000 < len(general) < 3000
    assert (general["status"] == "整改中").sum() > 0
    assert (general["status"] == "已整改").mean() > 0.9


def test_cases(t):
    c = t["cases"]
    c20 = c[between(c["filing_date"], YTD20)]
    c19 = c[between(c["filing_date"], YTD19)]
    em20 = c20[c20["department"] == "区应急管理局"]
    assert len(em20) == 101 and em20["enterprise_id"].nunique() == 101
    assert round(em20["fine_wan"].sum(), 2) == 453.00
    before = em20[em20["kind"] == "事前"]
    after = em20[em20["kind"] == "事故"]
    assert (len(before), round(before["fine_wan"].sum(), 2)) == (92, 186.00)
    assert (len(after), round(after["fine_wan"].sum(), 2)) == (9, 267.00)
    em19 = c19[c19["department"] == "区应急管理局"]
    before19 = em19[em19["kind"] == "事前"]
    assert len(em19) == 71 and (em19["kind"] == "事故").sum() == 4
    assert (len(before19), round(before19["fine_wan"].sum(), 2)) == (67, 182.40)
    assert round((101 - 71) / 71 * 100) == 42
    assert round((92 - 67) / 67 * 100) == 37
    assert round((186 - 182.4) / 182.4 * 100) == 2
    assert round(c20["fine_wan"].sum(), 2) == 491.54
    assert c20.loc[c20["suspension"], "enterprise_id"].nunique() == 27


CAMPAIGN = {
    "危化品企业通过部门联合审核": (4, "家", None),
    "危化品企业完成设计诊断和自动化提升方案": (4, "家", None),
    "危化品企业完成安全风险分区分级“四色图”公示": (20, "家", None),
    "金属冶炼和粉尘涉爆重大隐患整改到位": (36, "条", None),
    "压力管道隐患企业完成更新改造": (64, "家", None),
    "物流市场叉车整改完成": (129, "台", None),
    "关停简易幼儿园": (3, "所", None),
    "简易小学完成安防改造": (2, "所", None),
    "简易幼儿园完成安防改造": (9, "所", None),
    "瓶装液化气贮配站完成风险隐患排查": (4, "家", None),
    "瓶装液化气供应站点完成风险隐患排查": (21, "个", None),
    "拆除违章建筑": (2, "处", None),
    "关停场所": (3, "处", None),
    "暂停活动场所": (2, "处", None),
    "安装简易消防设施": (212, "套", "余"),
    "高层建筑单位自动消防设施联网监测接入比例": (90, "%", None),
    "高层公共建筑安装电气火灾监控系统比例": (82, "%", "以上"),
    "查处“黑加油车”": (26, "辆", None),
    "农村面包车入库列管": (1678, "辆", None),
    "行业领域牵头单位": (24, "个", None),
    "负有安全生产监管责任的行业主管部门": (18, "个", None),
}


def test_campaign_progress_snapshot(t):
    cp = t["campaign_progress"]
    latest = cp[cp["as_of"] == pd.Timestamp("2020-10-31")]
    got = {
        r.item: (r.value, r.unit, None if pd.isna(r.qualifier) else r.qualifier)
        for r in latest.itertuples()
    }
    assert got == CAMPAIGN
    assert latest["town"].isna().all()
    assert (cp["as_of"] < pd.Timestamp("2020-10-31")).sum() >= 2
