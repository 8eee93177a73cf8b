"""The guide's 十五 followed for two districts: each gets its own catalogue additions and
wording, and each briefing is free of the other's indicators and words."""

from __future__ import annotations

import shutil

import pytest
from test_howtos import snippet

from analysis import briefing
from analysis.errors import ConfigError
from analysis.indicators.catalogue import load_catalogue
from analysis.present import wording
from analysis.settings import config

CITY, OLD = "示例城区", "钟楼区"
CITY_WORD, OLD_WORD = "本月工作要点", "本期工作要点（钟楼）"
OLD_ADDITION = """indicators:
  - id: hazchem_fires
    name: 危险化学品火灾起数
    unit: 起
    group: 总体情况
    table: incidents
    measure: count
    filters: {category: 火灾, industry: 危险化学品}
    period: ytd
    direction: lower_better
"""


@pytest.fixture(scope="module")
def districts(tmp_path_factory):
    root = tmp_path_factory.mktemp("districts")
    folder = shutil.copytree(config.DISTRICTS_DIR, root / "districts")
    (folder / CITY / "catalogue.yaml").write_text(snippet("district_catalogue"), encoding="utf-8")
    (folder / CITY / "wording.yaml").write_text(snippet("district_wording"), encoding="utf-8")
    own = (folder / OLD / "catalogue.yaml").read_text(encoding="utf-8")
    addition = OLD_ADDITION.split("indicators:\n", 1)[1]
    (folder / OLD / "catalogue.yaml").write_text(own + addition, encoding="utf-8")
    (folder / OLD / "wording.yaml").write_text(
        snippet("district_wording").replace(CITY_WORD, OLD_WORD), encoding="utf-8"
    )
    patch = pytest.MonkeyPatch()
    patch.setattr(config, "DISTRICTS_DIR", folder)
    wording.load_wording.cache_clear()
    out = {}
    for district, kw in ((CITY, {"period": "2024-12", "kind": "ytd"}), (OLD, {})):
        target = root / district
        brief = briefing.prepare(briefing.run_params(district=district, **kw), output_dir=target)
        text = " ".join(
            [brief.say("highlights").data, brief.say("overview").data]
            + [(target / name).read_text(encoding="utf-8-sig") for name in ("indicators.csv",)]
        )
        out[district] = (brief, text)
    yield out
    patch.undo()
    wording.load_wording.cache_clear()


def test_each_district_has_its_own_indicators(districts):
    city = set(districts[CITY][0].indicators["id"])
    old = set(districts[OLD][0].indicators["id"])
    assert "gas_fires" in city and "gas_fires" not in old
    assert "hazchem_fires" in old and "hazchem_fires" not in city
    for own_to_old in ("logistics_accidents", "forklift_and_height_accidents"):
        assert own_to_old in old and own_to_old not in city


def test_each_briefing_is_free_of_the_others_indicators_and_words(districts):
    city_text, old_text = districts[CITY][1], districts[OLD][1]
    assert CITY_WORD in city_text and OLD_WORD not in city_text
    assert OLD_WORD in old_text and CITY_WORD not in old_text
    assert "城镇燃气火灾起数" in city_text and "城镇燃气火灾起数" not in old_text
    assert "危险化学品火灾起数" in old_text and "危险化学品火灾起数" not in city_text
    for name in ("叉车（起重）作业和高处坠落事故起数", "物流仓储领域生产安全事故起数"):
        assert name not in city_text


def test_the_shared_catalogue_has_neither_districts_additions(districts):
    shared = {i.id for i in load_catalogue()}
    assert not {"gas_fires", "hazchem_fires", "logistics_accidents"} & shared


def test_the_sample_still_reconciles_with_its_own_catalogue(districts):
    verdicts = districts[OLD][0].reconciliation["verdict"]
    assert len(verdicts) == 71 and set(verdicts) == {"一致"}


def test_a_fault_in_a_districts_catalogue_names_its_own_file(tmp_path, monkeypatch):
    folder = shutil.copytree(config.DISTRICTS_DIR, tmp_path / "districts")
    broken = snippet("district_catalogue").replace("measure: count", "measure: cont")
    (folder / CITY / "catalogue.yaml").write_text(broken, encoding="utf-8")
    monkeypatch.setattr(config, "DISTRICTS_DIR", folder)
    with pytest.raises(ConfigError, match="cont") as err:
        load_catalogue(district=CITY)
    assert "districts/示例城区/catalogue.yaml" in str(err.value)
