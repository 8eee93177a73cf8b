"""Control charts, funnel and forecasts from the engine's figures."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import indicators
from analysis.assess.evidence import (
    allowed_total,
    control_charts,
    monthly_counts,
    prior_full_year,
    target_forecasts,
    town_funnel,
)
from analysis.inputs.cache import load_tables_cached
from analysis.settings import config, places


def _counts(values, ind="accidents", start="2019-01-31", direction="lower_better"):
    dates = pd.date_range(start, periods=len(values), freq="ME")
    return pd.DataFrame(
        {
            "as_of": dates,
            "id": ind,
            "name_zh": "生产安全事故起数",
            "unit": "起",
            "direction": direction,
            "value": [float(v) for v in values],
        }
    )


LAST_YEAR = [5, 6, 8, 5, 5, 5, 6, 6, 7, 7, 3, 3]  # 66
THIS_YEAR = [2, 2, 0, 1, 0, 1, 1, 0, 1, 1]  # 9 by October


def _targets(*rows):
    columns = ["target_id", "name", "indicator_id", "measure", "op", "target"]
    return pd.DataFrame(list(rows), columns=columns)


IND = pd.DataFrame({"id": ["accidents", "fines"], "unit": ["起", "万元"], "value": [9.0, 5.5]})
DOWN_20 = ("down", "起数同比下降20%以上", "accidents", "yoy_pct", "le", -20)


def test_prior_full_year_needs_all_twelve_months():
    assert prior_full_year(_counts(LAST_YEAR + THIS_YEAR), 2020) == {"accidents": 66.0}
    assert prior_full_year(_counts(LAST_YEAR[1:] + THIS_YEAR, start="2019-02-28"), 2020) == {}


@pytest.mark.parametrize(
    "measure, target, prior, expected",
    [("value", 0, None, 0.0), ("yoy_pct", -20, 66.0, 52.8), ("yoy_pct", -20, None, None)],
)
def test_allowed_total(measure, target, prior, expected):
    total = allowed_total({"measure": measure, "target": target}, prior)
    assert total == (pytest.approx(expected) if expected is not None else None)


def test_a_control_chart_finds_the_shift_and_judges_the_target_on_the_current_process():
    (chart,) = control_charts(_counts(LAST_YEAR + THIS_YEAR), _targets(DOWN_20), IND)
    assert chart.limits is not None and len(chart.months) == 22
    shifts = [e for e in chart.episodes if e.rule == "shift" and e.side == "low"]
    assert shifts and shifts[-1].end == 21 and shifts[-1].length >= 12
    assert chart.monthly_target == pytest.approx(66 * 0.8 / 12)
    # against all 22 months 4.4 a month is inside the limits; since the shift it is above
    assert chart.limits.lower_unfloored < chart.monthly_target < chart.limits.upper
    assert chart.assurance == "pass"


def test_fewer_than_twelve_months_draw_no_limits():
    (chart,) = control_charts(_counts(THIS_YEAR))
    assert chart.limits is None and chart.episodes == () and chart.assurance is None


def test_money_targets_get_no_control_number():
    target = ("fines", "罚款", "fines", "value", "le", 100)
    (chart,) = control_charts(_counts(LAST_YEAR + THIS_YEAR), _targets(target), IND)
    assert chart.monthly_target is None


def test_forecasts_of_count_targets_only_and_none_at_year_end():
    counts = _counts(LAST_YEAR + THIS_YEAR)
    targets = _targets(DOWN_20, ("fines", "罚款", "fines", "value", "le", 100))
    (forecast,) = target_forecasts(targets, IND, counts, "2020-10")
    assert (forecast.forecast.low, forecast.forecast.high) == (9, 14)
    assert forecast.probability > 0.99  # 52.8 allowed, 14 at most expected
    assert target_forecasts(targets, IND, counts, "2020-12") == []


def test_a_floor_target_counts_up():
    at_least = ("many", "检查不少于20次", "accidents", "value", "ge", 20)
    (forecast,) = target_forecasts(_targets(at_least), IND, _counts(THIS_YEAR), "2020-10")
    assert forecast.probability < 0.01


@pytest.fixture(scope="module")
def sample_tables():
    return load_tables_cached(config.SAMPLE_DATA_DIR, strict=True).tables


def test_monthly_counts_start_with_the_data_and_add_up_to_the_year_to_date(sample_tables):
    counts = monthly_counts(sample_tables, "钟楼区", "2020-10", ["accidents", "fires"])
    for ind, rows in counts.groupby("id"):
        assert rows["as_of"].min() == pd.Timestamp("2019-01-31")
        assert len(rows) == 22 and rows["value"].notna().all()
        ytd = indicators.compute_indicators(sample_tables, "钟楼区", "2020-10")
        this_year = rows[rows["as_of"].dt.year == 2020]["value"].sum()
        assert this_year == ytd.set_index("id").at[ind, "value"]


def test_a_mid_month_period_leaves_out_the_partial_month(sample_tables):
    counts = monthly_counts(sample_tables, "钟楼区", "2020-10-23", ["accidents"])
    assert counts["as_of"].max() == pd.Timestamp("2020-09-30")


def test_the_town_funnel_covers_every_town_and_adds_up(sample_tables):
    fit = town_funnel(sample_tables, "钟楼区", "2020-10")
    assert len(fit.towns) == len(places.towns_of("钟楼区"))
    assert fit.towns["count"].sum() == 9
    assert fit.rate == pytest.approx(100 * 9 / fit.towns["exposure"].sum())


def test_without_an_enterprise_roster_there_is_no_funnel():
    tables = load_tables_cached(config.DATA_DIR / "sample_city", strict=True).tables
    assert "enterprises" not in tables or tables["enterprises"].empty
    district = next(iter(places.units()["districts"]))
    district = "示例城区" if "示例城区" in places.units()["districts"] else district
    assert town_funnel(tables, district, "2024-12") is None


def test_double_decline_needs_both_figures_down():
    from analysis.assess.evidence import double_decline

    rows = pd.DataFrame(
        {
            "town": ["甲"] * 2 + ["乙"] * 2 + ["丙"] * 2 + ["丁"],
            "id": ["accidents", "accident_deaths"] * 3 + ["accidents"],
            "value": [1, 0, 2, 0, 0, 0, 0],
            "prior_value": [3, 1, 2, 1, 1, 0, 5],
        }
    )
    # 甲 both down; 乙 accidents flat; 丙 deaths 0 against 0; 丁 has no deaths figure
    assert double_decline(rows) == (4, 1)


def test_monthly_counts_keep_the_callers_order_of_indicators(sample_tables):
    ids = ["fires", "accidents", "accident_deaths"]
    counts = monthly_counts(sample_tables, "钟楼区", "2020-10", ids)
    assert list(dict.fromkeys(counts["id"])) == ids
    for _, rows in counts.groupby("id"):
        assert rows["as_of"].is_monotonic_increasing
