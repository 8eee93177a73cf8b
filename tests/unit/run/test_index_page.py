"""outputs/<区>/index.html as a unit × month matrix: status colours from summary.json, links,
latest headline figures per unit, escaping, no script and nothing from the network;
outputs/index.html lists the districts; a district without targets shows 未设目标."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import OutputError
from analysis.run.batch import Summary
from analysis.run.index_page import worst_status, write_index
from analysis.run.planning import Job
from analysis.run.workers import Outcome
from analysis.settings.names import name_problem, relative_url
from analysis.settings.params import RunParams

DISTRICT = "钟楼区"
UNITS = ["", "邹区镇", "北港街道"]
MONTHS = ["2020-01", "2020-02", "2020-03"]


def _params(unit: str, month: str) -> RunParams:
    return RunParams(DISTRICT, month, unit, Path("data/sample"), True)


def _write_run(out_root: Path, params: RunParams, targets: dict, headline_value: str) -> None:
    out = out_root / params.output_subdir
    out.mkdir(parents=True)
    (out / "briefing.html").write_text("<html></html>", encoding="utf-8")
    summary = {
        "headline": [
            {"name": "生产安全事故起数", "value": headline_value, "unit": "起", "change": ""},
            {"name": "<b>火灾</b>起数", "value": "3", "unit": "起", "change": "同比下降10.0%"},
        ],
        "synthetic": True,
        "targets": targets,
        "title": "t",
    }
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")


class _Cells(HTMLParser):
    """td class and text per body row; every tag name and attribute seen."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, str]]] = []
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str]] = []
        self.cell: list[str] | None = None
        self.cls = ""
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs += [(k, v or "") for k, v in attrs]
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append([])
        elif tag == "td" and self.in_body:
            self.cell, self.cls = [], dict(attrs).get("class", "")

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.rows[-1].append((self.cls, "".join(self.cell).strip()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def test_index_is_a_status_matrix(tmp_path):
    jobs, outcomes = [], []
    for unit in UNITS:
        for i, month in enumerate(MONTHS):
            params = _params(unit, month)
            jobs.append(Job(params, "fp"))
            if unit == "北港街道" and month == "2020-03":
                outcomes.append(Outcome(params, "failed", reason="boom"))
                continue
            targets = {"达标": 5, "预警": i % 2, "未达标": 1 if unit == "邹区镇" else 0}
            _write_run(tmp_path, params, targets, headline_value=str(10 + i))
            outcomes.append(Outcome(params, "built"))

    page = write_index(jobs, Summary(outcomes), out_root=tmp_path).read_text(encoding="utf-8")
    parsed = _Cells()
    parsed.feed(page)

    assert [r[0][1] for r in parsed.rows] == ["钟楼区", "邹区镇", "北港街道"]
    assert all(len(r) == 1 + len(MONTHS) + 1 for r in parsed.rows)
    district, town, failing = parsed.rows
    assert [c[0] for c in district[1:4]] == ["cell-达标", "cell-预警", "cell-达标"]
    assert {c[0] for c in town[1:4]} == {"cell-未达标"}
    assert failing[3] == ("cell-失败", "3月 生成失败")
    assert district[2][1] == "2月 5·1·0"
    # the latest headline of each unit: March for the district, February where March failed
    assert district[-1][1].startswith("2020-03：生产安全事故起数 12起")
    assert failing[-1][1].startswith("2020-02：生产安全事故起数 11起")

    hrefs = [unquote(v) for k, v in parsed.attrs if k == "href"]  # links are percent-encoded
    assert "2020-01/briefing.html" in hrefs
    assert "2020-02/邹区镇/briefing.html" in hrefs
    assert "../index.html" in hrefs  # back to the list of districts
    briefings = [h for h in hrefs if h != "../index.html"]
    assert len(briefings) == len(jobs) - 1  # the failed briefing has no file to link to
    assert all((tmp_path / DISTRICT / h).exists() for h in briefings)

    assert "合成数据" in page
    assert "&lt;b&gt;火灾&lt;/b&gt;起数" in page and "<b>火灾" not in page
    assert "script" not in parsed.tags
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "nothing from the network"


def test_worst_status_orders_the_statuses():
    assert worst_status({"达标": 3, "预警": 1, "未达标": 0}) == "预警"
    assert worst_status({"达标": 3, "预警": 1, "未达标": 2}) == "未达标"
    assert worst_status({"达标": 0, "预警": 0, "未达标": 0}) == "未设目标"
    assert worst_status({}) == "无"


def _links_of(tmp_path: Path, district: str, town: str) -> list[str]:
    jobs = []
    for unit in ("", town):
        params = RunParams(district, "2020-01", unit, Path("data/sample"), True)
        _write_run(tmp_path, params, {"达标": 1}, "1")
        jobs.append(Job(params, "fp"))
    parsed = _Cells()
    parsed.feed(write_index(jobs, Summary(), out_root=tmp_path).read_text(encoding="utf-8"))
    # the name reads back exactly as text and in the title attribute: escaped, not cut
    assert parsed.rows[1][0][1] == town
    assert f"{town} 2020-01 达标1 预警0 未达标0" in [v for k, v in parsed.attrs if k == "title"]
    return [v for k, v in parsed.attrs if k == "href" and v != "../index.html"]


def test_links_are_percent_encoded_path_components(tmp_path):
    """Issue class 2: a link is made of the folder names, each percent-encoded, so that "#",
    "%", "&" or "'" in a (valid) name neither cut the link nor become markup."""
    town = "甲#镇 100%&'乙"
    hrefs = _links_of(tmp_path, "钟楼区", town)
    assert hrefs[1] == "/".join(quote(p, safe="") for p in ("2020-01", town)) + "/briefing.html"
    for href in hrefs:
        assert urlsplit(href).scheme == "" and urlsplit(href).fragment == ""
        assert (tmp_path / "钟楼区" / unquote(href)).is_file()


@pytest.mark.parametrize(
    "district", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text", "../x", "/abs"]
)
def test_a_name_that_would_be_a_scheme_or_a_path_never_becomes_a_link(tmp_path, district):
    """A name that escaped the configuration check (a hand-made plan) stops the index page
    instead of becoming a clickable javascript: link or a link out of OUT."""
    params = RunParams(district, "2020-01", "", Path("data/sample"), True)
    if "/" not in district:  # a briefing where such a name would have put it
        (tmp_path / district / "2020-01").mkdir(parents=True)
        (tmp_path / district / "2020-01" / "briefing.html").write_text("<p>", encoding="utf-8")
    with pytest.raises(OutputError):
        write_index([Job(params, "fp")], Summary(), out_root=tmp_path)
    assert not (tmp_path / "index.html").exists()


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_every_link_of_a_valid_name_is_a_relative_path(name):
    if name_problem(name) is not None:
        with pytest.raises(OutputError):
            relative_url([name, "briefing.html"])
        return
    href = relative_url([name, "briefing.html"])
    parts = urlsplit(href)
    assert parts.scheme == "" and parts.netloc == "" and not href.startswith("/")
    assert unquote(parts.path) == f"{name}/briefing.html"
    assert set(href) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%/")


def _batch(tmp_path: Path, district: str, towns: list[str], targets: dict) -> Path:
    jobs, outcomes = [], []
    for unit in towns:
        for month in MONTHS:
            params = RunParams(district, month, unit, Path("data"), True)
            jobs.append(Job(params, "fp"))
            _write_run(tmp_path, params, targets, headline_value="1")
            outcomes.append(Outcome(params, "built"))
    return write_index(jobs, Summary(outcomes), out_root=tmp_path)


def test_each_district_keeps_its_own_index_and_the_top_page_lists_them(tmp_path):
    first = _batch(tmp_path, DISTRICT, ["", "邹区镇"], {"达标": 5, "预警": 0, "未达标": 0})
    second = _batch(tmp_path, "示例城区", ["", "青桐街道"], {"达标": 0, "预警": 0, "未达标": 0})
    assert first == tmp_path / DISTRICT / "index.html" and first.is_file()
    assert second == tmp_path / "示例城区" / "index.html"
    # the first district's briefings are still linked after the second district's batch
    page = first.read_text(encoding="utf-8")
    assert page.count("/briefing.html") == 2 * len(MONTHS)
    top = (tmp_path / "index.html").read_text(encoding="utf-8")
    parsed = _Cells()
    parsed.feed(top)
    hrefs = [v for k, v in parsed.attrs if k == "href"]
    assert hrefs == [
        "%E7%A4%BA%E4%BE%8B%E5%9F%8E%E5%8C%BA/index.html",
        "%E9%92%9F%E6%A5%BC%E5%8C%BA/index.html",
    ]
    assert "钟楼区" in top and "示例城区" in top and "2020-01 至 2020-03" in top


def test_a_district_without_targets_is_not_all_green(tmp_path):
    page = _batch(tmp_path, "示例城区", [""], {"达标": 0, "预警": 0, "未达标": 0})
    parsed = _Cells()
    parsed.feed(page.read_text(encoding="utf-8"))
    cells = parsed.rows[0][1:-1]
    assert {c[0] for c in cells} == {"cell-未设目标"}
    assert all("未设目标" in c[1] for c in cells)
    assert "cell-达标" not in {c[0] for c in cells}


def test_the_list_of_districts_links_only_checked_names(tmp_path):
    """districts.json is a file in OUT: a name in it that is not a valid folder name (planted,
    or from an older version) is not listed, so no link leaves OUT or carries a scheme."""
    from analysis.run.districts_index import LIST_STATE, write_districts_index

    out = tmp_path / "out"
    names = ["钟楼区", "..", ".hidden", "javascript:alert(1)", "a/../.."]
    for name in names:
        (out / name).mkdir(parents=True, exist_ok=True)
        (out / name / "index.html").write_text("<p>", encoding="utf-8")
    state = {name: {"periods": "2020-01", "briefings": 1} for name in names}
    (out / LIST_STATE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    parsed = _Cells()
    parsed.feed(write_districts_index(out).read_text(encoding="utf-8"))
    hrefs = [v for k, v in parsed.attrs if k == "href"]
    assert hrefs == [quote("钟楼区", safe="") + "/index.html"]


def test_the_analyst_edition_is_linked_beside_each_briefing(tmp_path):
    from urllib.parse import unquote

    from analysis.folder import ANALYST_HTML

    jobs, outcomes = [], []
    for unit in UNITS:
        params = _params(unit, MONTHS[0])
        jobs.append(Job(params, "fp"))
        _write_run(tmp_path, params, {"达标": 1}, headline_value="1")
        if unit:  # the district's own folder lacks one: no dead link
            (tmp_path / params.output_subdir / ANALYST_HTML).write_text("<html></html>", "utf-8")
        outcomes.append(Outcome(params, "built"))
    page = write_index(jobs, Summary(outcomes), out_root=tmp_path).read_text(encoding="utf-8")
    parsed = _Cells()
    parsed.feed(page)
    hrefs = [v for k, v in parsed.attrs if k == "href"]
    analyst = [h for h in hrefs if unquote(h).endswith(ANALYST_HTML)]
    assert len(analyst) == len(UNITS) - 1
    assert all(re.fullmatch(r"[A-Za-z0-9%/._-]+", h) for h in analyst), "percent-encoded"
    district_page = tmp_path / "钟楼区"  # links are relative to the district's own index
    assert all((district_page / unquote(h)).exists() for h in analyst)
    assert unquote(analyst[0]).endswith(f"邹区镇/{ANALYST_HTML}")
