"""The published monthly bulletins of 示例城区 (published_figures.csv), computed from its
generated records so that every printed figure reconciles 一致 by construction.

A bulletin reads like "5月发生火灾19起，同比去年上升26.67%，同比前年下降13.64%，环比4月下降
9.52%": 本月 values, changes against the same month last year (同比), two years back (比前年)
and the previous month (环比), absolute changes ("同比减少2起"), year-to-date (累计) values
with the prior value in brackets, a quarter (季度) and the full year (全年). Percentages are
printed with the bulletin's rounding: 2 decimals 四舍五入 by default, some 截尾 or
四舍六入五成双, as declared in the decimals/rounding columns.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from analysis.numbers import HALF_EVEN, HALF_UP, TRUNCATE, round_decimal
from analysis.tools.sample_data.city_facts import CITY_DISTRICT
from analysis.tools.sample_data.tools import Row, month_end

# the months a bulletin was issued for (quarter ends also print the quarter, December the year)
BULLETIN_MONTHS = ((2023, 2), (2023, 6), (2023, 12), (2024, 1), (2024, 5), (2024, 9), (2024, 12))
FIRST_YEAR = 2022  # the first year the records cover (比前年 needs two years back)
UNITS = {
    "accidents": "起",
    "accident_deaths": "人",
    "fires": "起",
    "fire_alarms": "起",
    "road_accidents": "起",
    "road_accident_deaths": "人",
    "hazards_found": "项",
    "major_hazards_found": "个",
}
# indicator → (table, what to add up per record)
_INCIDENT_MEASURES = {
    "accidents": ("生产安全事故", None),
    "accident_deaths": ("生产安全事故", "deaths"),
    "fires": ("火灾", None),
    "fire_alarms": ("火警", None),
    "road_accidents": ("道路交通事故", None),
    "road_accident_deaths": ("道路交通事故", "deaths"),
}

Month = tuple[int, int]


def monthly_totals(tables: dict[str, list[Row]]) -> dict[str, Counter]:
    """indicator id → Counter of (year, month) → the month's own value, from the records."""
    out: dict[str, Counter] = {key: Counter() for key in UNITS}
    for r in tables["incidents"]:
        d: date = r["date"]  # type: ignore[assignment]
        for ind, (category, column) in _INCIDENT_MEASURES.items():
            if r["category"] == category:
                out[ind][(d.year, d.month)] += 1 if column is None else int(r[column])  # type: ignore[call-overload]
    for r in tables["hazards"]:
        d = r["found_date"]  # type: ignore[assignment]
        out["hazards_found"][(d.year, d.month)] += 1
        if r["level"] == "重大":
            out["major_hazards_found"][(d.year, d.month)] += 1
    return out


def _previous(ym: Month, months: int = 1) -> Month:
    y, m = ym
    index = y * 12 + (m - 1) - months
    return index // 12, index % 12 + 1


def _pct(current: int, base: int, decimals: int, rule: str) -> Decimal | None:
    """The printed % change, or None when the base is 0 (a bulletin prints no percentage)."""
    if base <= 0:
        return None
    return round_decimal(Decimal(current - base) / Decimal(base) * 100, decimals, rule)


def _up_down(change: Decimal) -> str:
    return "上升" if change > 0 else "下降"


def _more_less(change: int, unit: str) -> str:
    """ "增加2起" / "减少2起" / "持平"."""
    return f"增加{change}{unit}" if change > 0 else f"减少{-change}{unit}" if change < 0 else "持平"


@dataclass
class _Bulletin:
    """The figures of one month's bulletin, added sentence by sentence."""

    year: int
    month: int
    totals: dict[str, Counter]
    rows: list[Row] = field(default_factory=list)
    pending: list[Row] = field(default_factory=list)

    @property
    def ym(self) -> Month:
        return (self.year, self.month)

    def total(self, ind: str, n_months: int = 1, back: int = 0) -> int:
        """The indicator over ``n_months`` months ending ``back`` months before this one."""
        last = _previous(self.ym, back)
        return sum(self.totals[ind][_previous(last, k)] for k in range(n_months))

    def add(self, ind: str, measure: str, value, kind: str, **extra) -> None:
        """A figure of the sentence being written (see ``say``)."""
        self.pending.append(
            {
                "district": CITY_DISTRICT,
                "indicator_id": ind,
                "measure": measure,
                "value": value,
                "unit": "%" if measure == "yoy_pct" else UNITS[ind],
                "as_of": month_end(self.year, self.month),
                "qualifier": None,
                "period_kind": kind,
                **extra,
            }
        )

    def change(self, ind, kind, basis, current, base, decimals=2, rule=HALF_UP, prior=None):
        """Add a % change figure; return its words ("上升26.67%"), or None for a zero base."""
        pct = _pct(current, base, decimals, rule)
        if pct is None:
            return None
        extra = {"basis": basis, "decimals": decimals, "rounding": rule, "prior_value": prior}
        self.add(ind, "yoy_pct", str(pct), kind, **extra)
        return "持平" if pct == 0 else f"{_up_down(pct)}{abs(pct)}%"

    def say(self, *parts: str | None) -> None:
        """The sentence of the pending figures: the parts given, joined with "，"."""
        sentence = "，".join(p for p in parts if p)
        for r in self.pending:
            r["sentence"] = sentence
        self.rows += self.pending
        self.pending = []


def _with(prefix: str, words: str | None) -> str | None:
    return None if words is None else prefix + words


def _month_with_deaths(b: _Bulletin, ind: str, deaths_ind: str, what: str) -> None:
    """ "5月全区发生生产安全事故3起，死亡1人，同比减少2起" (本月 value, deaths, 同比 change)."""
    n, deaths, last = b.total(ind), b.total(deaths_ind), b.total(ind, back=12)
    b.add(ind, "value", n, "本月")
    if n:
        b.add(deaths_ind, "value", deaths, "本月")
    b.add(ind, "change_abs", n - last, "本月", basis="同比")
    lead = f"{b.month}月全区发生{what}{n}起" if n else f"{b.month}月全区未发生{what}"
    b.say(lead, f"死亡{deaths}人" if n else None, f"同比{_more_less(n - last, '起')}")


def _year_to_date(b: _Bulletin, ind: str, what: str, decimals: int, rule: str, bracket: bool):
    """ "截至5月底累计发生火灾80起，同比上升5.3%" (optionally "（上年同期76起）")."""
    m = b.month
    ytd, prior = b.total(ind, m), b.total(ind, m, 12)
    b.add(ind, "value", ytd, "累计")
    printed = prior if bracket else None
    words = b.change(ind, "累计", "同比", ytd, prior, decimals, rule, prior=printed)
    if words and bracket:
        words += f"（上年同期{prior}{UNITS[ind]}）"
    b.say(f"截至{m}月底累计发生{what}{ytd}{UNITS[ind]}", _with("同比", words))


def _accidents(b: _Bulletin) -> None:
    _month_with_deaths(b, "accidents", "accident_deaths", "生产安全事故")
    _year_to_date(b, "accidents", "生产安全事故", 2, HALF_UP, bracket=True)


def _fires(b: _Bulletin) -> None:
    m, y = b.month, b.year
    n = b.total("fires")
    before = _previous(b.ym)[1]
    b.add("fires", "value", n, "本月")
    same = b.change("fires", "本月", "同比", n, b.total("fires", back=12))
    two = None
    if y - 2 >= FIRST_YEAR:
        two = b.change("fires", "本月", "比前年", n, b.total("fires", back=24))
    prev = b.total("fires", back=1)
    mom = b.change("fires", "本月", "环比", n, prev)
    b.add("fires", "change_abs", n - prev, "本月", basis="环比")
    more_less = _more_less(n - prev, "起")
    mom_text = f"环比{before}月{mom}（{more_less}）" if mom else f"环比{before}月{more_less}"
    b.say(f"{m}月发生火灾{n}起", _with("同比去年", same), _with("同比前年", two), mom_text)
    _year_to_date(b, "fires", "火灾", 1, HALF_EVEN, bracket=False)
    if m % 3 == 0:
        _fires_quarter(b)
    if m == 12:
        _fires_year(b)


def _fires_quarter(b: _Bulletin) -> None:
    q = b.total("fires", 3)
    b.add("fires", "value", q, "季度")
    mom = b.change("fires", "季度", "环比", q, b.total("fires", 3, 3))
    same = b.change("fires", "季度", "同比", q, b.total("fires", 3, 12))
    quarter = "一二三四"[b.month // 3 - 1]
    b.say(f"{quarter}季度共发生火灾{q}起", _with("环比", mom), _with("同比", same))


def _fires_year(b: _Bulletin) -> None:
    year, prior = b.total("fires", 12), b.total("fires", 12, 12)
    b.add("fires", "value", year, "全年")
    words = b.change("fires", "全年", "同比", year, prior, prior=prior)
    b.say(f"全年共发生火灾{year}起", f"同比{words}（上年{prior}起）" if words else None)


def _alarms_and_roads(b: _Bulletin) -> None:
    m = b.month
    n = b.total("fire_alarms")
    b.add("fire_alarms", "value", n, "本月")
    words = b.change("fire_alarms", "本月", "同比", n, b.total("fire_alarms", back=12), 2, TRUNCATE)
    b.say(f"{m}月接报火警{n}起", _with("同比", words))
    _month_with_deaths(b, "road_accidents", "road_accident_deaths", "道路交通事故")
    _year_to_date(b, "road_accidents", "道路交通事故", 1, HALF_UP, bracket=False)


def _hazards(b: _Bulletin) -> None:
    m = b.month
    n, ytd, major = (
        b.total("hazards_found"),
        b.total("hazards_found", m),
        b.total("major_hazards_found", m),
    )
    b.add("hazards_found", "value", n, "本月")
    b.add("hazards_found", "value", ytd, "累计")
    b.add("major_hazards_found", "value", major, "累计")
    b.say(f"{m}月排查发现隐患{n}项", f"截至{m}月底累计排查隐患{ytd}项，其中重大隐患{major}个")


def published_figures(tables: dict[str, list[Row]]) -> list[Row]:
    """Every figure of every bulletin (BULLETIN_MONTHS), in print order, with its id."""
    totals = monthly_totals(tables)
    rows: list[Row] = []
    for y, m in BULLETIN_MONTHS:
        b = _Bulletin(y, m, totals)
        for section in (_accidents, _fires, _alarms_and_roads, _hazards):
            section(b)
        for k, r in enumerate(b.rows, 1):
            r["figure_id"] = f"C{y % 100:02d}{m:02d}-{k:02d}"
        rows += b.rows
    return rows
