"""The monthly genre as bulletins have it: 累计 with its own 同比, an all-type line where the
data have several kinds, no table without rows (a sentence instead), the 12-month trend."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import briefing
from analysis.run.preflight import check_inputs
from analysis.settings import config, places

D = "示例城区"
TOWNS = places.towns_of(D)
HEADER = (
    "incident_id,district,town,date,category,industry,accident_type,deaths,"
    "serious_injuries,injuries,direct_loss_wan,description"
)


def _write(folder: Path, counts: dict[tuple[str, str], int]) -> Path:
    """incidents.csv with ``counts[(month, category)]`` records."""
    lines = [HEADER]
    for (month, category), n in counts.items():
        for k in range(n):
            day = pd.Timestamp(f"{month}-01") + pd.Timedelta(days=k % 28)
            lines.append(
                f"{category[0]}{month}-{k},{D},{TOWNS[k % len(TOWNS)]},{day:%Y-%m-%d},"
                f"{category},工贸,其他,{k % 2},0,0,1.00,测试记录"
            )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "incidents.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _months(first: str, last: str) -> list[str]:
    return list(pd.period_range(first, last, freq="M").strftime("%Y-%m"))


def _brief(folder: Path):
    params = briefing.run_params(
        district=D, period="2021-11", kind="month", data_dir=folder, data_as_of="2021-11-30"
    )
    params, _ = check_inputs(params)
    return briefing.prepare(params)


@pytest.fixture(scope="module")
def several_kinds(tmp_path_factory):
    """Accidents every month; fires only in the first half of 2020 (none since)."""
    counts = {(m, "生产安全事故"): 3 for m in _months("2020-01", "2021-11")}
    counts |= {(m, "火灾"): 2 for m in _months("2020-01", "2020-06")}
    return _brief(_write(tmp_path_factory.mktemp("kinds"), counts))


@pytest.fixture(scope="module")
def one_kind(tmp_path_factory):
    counts = {(m, "生产安全事故"): 3 for m in _months("2020-01", "2021-11")}
    return _brief(_write(tmp_path_factory.mktemp("one"), counts))


def test_an_all_type_line_where_the_data_have_several_kinds(several_kinds):
    table = several_kinds.frames.period_accidents
    assert list(table.index[:2]) == ["all_incidents", "all_incident_deaths"]
    assert "共发生各类事故" in several_kinds.say("period_accidents").data


def test_no_all_type_line_where_the_data_have_one_kind(one_kind):
    assert "all_incidents" not in one_kind.frames.period_accidents.index
    assert "各类事故" not in one_kind.say("period_accidents").data


def test_the_year_to_date_figures_have_their_own_change(one_kind):
    table = one_kind.frames.period_accidents
    assert table.loc["accidents", "累计（截至11月30日）"] == "33起"
    assert table.loc["accidents", "累计同比"] == "同比持平"  # 33 against 33
    assert "累计发生生产安全事故" in one_kind.say("period_accidents").data


def test_a_kind_with_nothing_this_year_gets_a_sentence_not_an_empty_table(several_kinds):
    assert several_kinds.frames.period_fires.empty
    assert several_kinds.frames.fires_by_town.empty
    said = several_kinds.say("period_fires").data
    assert "未发生火灾" in said
    assert "other_disasters" in several_kinds.chapters()


def test_a_kind_the_district_never_records_has_neither(one_kind):
    assert one_kind.frames.period_fires.empty
    assert one_kind.say("period_fires").data == ""
    assert "other_disasters" not in one_kind.chapters()


def test_the_trend_frame_has_twelve_months_of_last_year_and_this_years_months(one_kind):
    trend = one_kind.frames.monthly
    accidents = trend[trend["指标"] == "事故起数"]
    by_year = accidents.groupby("年份")["月"].apply(list)
    assert sorted(len(months) for months in by_year) == [11, 12]
    assert set(accidents["本月"]) == {3}


def test_the_monthly_notebook_defaults_to_a_month_and_has_content_with_them():
    """Opened in JupyterLab and run top to bottom with its defaults (the parameters cell as
    written), monthly.ipynb makes a month's 形势分析, not an empty year-to-date briefing."""
    import json

    notebook = json.loads((config.NOTEBOOKS_DIR / "monthly.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", []))
    defaults: dict = {}
    exec("".join(cell["source"]), {}, defaults)  # plain assignments, no code
    assert defaults["kind"] == "month"
    wanted = ("district", "period", "unit", "data_dir", "strict", "kind", "data_as_of")
    params = briefing.run_params(**{k: defaults[k] for k in wanted})
    brief = briefing.prepare(params)
    assert brief.period is not None and not brief.frames.period_accidents.empty
    assert "生产安全事故" in brief.say("period_accidents").data
