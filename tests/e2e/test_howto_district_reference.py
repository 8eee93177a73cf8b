"""The guide's 十五 followed for two districts' own industries and categories: 示例城区 adds
港口航运 and 自然灾害 (the guide's example), 钟楼区 adds 冷链物流. Each district's data may use its
own names, each briefing shows its own and not the other's, and a row of one district
using the other's name is refused naming the file, the line, the column and the list."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from test_howtos import read_csv, snippet, write_csv

from analysis import briefing
from analysis.errors import DataValidationError
from analysis.inputs import cache, load_tables
from analysis.settings import config

CITY, OLD = "示例城区", "钟楼区"
CITY_OWN, OLD_OWN = "港口航运", "冷链物流"
OLD_FILE = f"industries:\n  - {OLD_OWN}\n"
CITY_DATA = config.DATA_DIR / "sample_city"


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """Both districts' reference.yaml in a copy of the districts folder; 示例城区's data
    with some 2024 fires in 港口航运 and one 自然灾害; the table cache in a fresh folder."""
    root = tmp_path_factory.mktemp("district_reference")
    folder = shutil.copytree(config.DISTRICTS_DIR, root / "districts")
    (folder / CITY / "reference.yaml").write_text(snippet("district_reference"), "utf-8")
    (folder / OLD / "reference.yaml").write_text(OLD_FILE, encoding="utf-8")
    data = shutil.copytree(CITY_DATA, root / "city_data")
    incidents = read_csv(data / "incidents.csv")
    fires_2024 = incidents.index[
        incidents["date"].str.startswith("2024") & incidents["category"].eq("火灾")
    ]
    incidents.loc[fires_2024[:5], "industry"] = CITY_OWN
    incidents.loc[fires_2024[5], "category"] = "自然灾害"
    write_csv(incidents, data / "incidents.csv")
    patch = pytest.MonkeyPatch()
    patch.setattr(config, "DISTRICTS_DIR", folder)
    patch.setattr(cache, "CACHE_DIR", root / "cache")
    config.forget_settings()
    yield root, data
    patch.undo()
    config.forget_settings()


@pytest.fixture(scope="module")
def briefings(setup):
    root, data = setup
    out = {}
    for district, kw in (
        (CITY, {"period": "2024-12", "kind": "ytd", "data_dir": data}),
        (OLD, {}),
    ):
        target = root / "out" / district
        params = briefing.run_params(district=district, **kw)
        out[district] = (briefing.prepare(params, output_dir=target), target)
    return out


def by_industry(target) -> pd.DataFrame:
    return pd.read_csv(target / "by_industry.csv", encoding="utf-8-sig", dtype=str)


def industries_shown(target) -> set[str]:
    return set(by_industry(target)["行业领域"])


def test_each_briefing_shows_its_own_industry_and_not_the_others(briefings):
    city, old = (industries_shown(briefings[d][1]) for d in (CITY, OLD))
    assert CITY_OWN in city and OLD_OWN not in city
    assert OLD_OWN in old and CITY_OWN not in old
    city_rows = by_industry(briefings[CITY][1]).set_index(["行业领域", "指标编号"])
    assert city_rows.loc[(CITY_OWN, "fires"), "本期累计"] == "5"  # the five fires moved there
    everything = " ".join(
        (briefings[OLD][1] / name).read_text(encoding="utf-8-sig")
        for name in ("indicators.csv", "by_industry.csv", "by_town.csv")
    )
    assert CITY_OWN not in everything and "自然灾害" not in everything


def test_the_sample_still_reconciles_with_its_own_list(briefings):
    verdicts = briefings[OLD][0].reconciliation["verdict"]
    assert len(verdicts) == 71 and set(verdicts) == {"一致"}


def test_a_row_of_one_district_using_the_others_name_is_refused(setup, tmp_path):
    _, data = setup
    folder = shutil.copytree(data, tmp_path / "mixed")
    incidents = read_csv(folder / "incidents.csv")
    row = incidents.index[incidents["industry"].eq(CITY_OWN)][0]
    incidents.loc[row, ["district", "town"]] = [OLD, "邹区镇"]
    write_csv(incidents, folder / "incidents.csv")
    with pytest.raises(DataValidationError) as err:
        load_tables(folder, strict=True)
    problems = [p for p in err.value.problems if p.column == "industry"]
    assert len(problems) == 1, err.value.problems
    p = problems[0]
    assert (p.file, p.row, p.value) == ("incidents.csv", row + 2, CITY_OWN)  # header = line 1
    assert p.reason.startswith(f"取值不在允许范围内（{OLD}适用的行业领域：")
    assert f"新增的 {OLD_OWN}" in p.reason  # 钟楼区's own list, named
    assert f"“{CITY_OWN}”是{CITY}新增的行业领域" in p.reason and f"只适用于{CITY}" in p.reason
