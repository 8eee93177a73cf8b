"""outputs/index.html as a unit × month matrix: status colours from summary.json, links,
latest headline figures per unit, escaping, no script and nothing from the network."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from analysis.run.batch import Job, Outcome, Summary
from analysis.run.index_page import worst_status, write_index
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

    hrefs = [v for k, v in parsed.attrs if k == "href"]
    assert "钟楼区/2020-01/briefing.html" in hrefs
    assert "钟楼区/2020-02/邹区镇/briefing.html" in hrefs
    assert len(hrefs) == len(jobs) - 1  # the failed briefing has no file to link to
    assert all((tmp_path / h).exists() for h in hrefs)

    assert "合成数据" in page
    assert "&lt;b&gt;火灾&lt;/b&gt;起数" in page and "<b>火灾" not in page
    assert "script" not in parsed.tags
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "nothing from the network"


def test_worst_status_orders_the_statuses():
    assert worst_status({"达标": 3, "预警": 1, "未达标": 0}) == "预警"
    assert worst_status({"达标": 3, "预警": 1, "未达标": 2}) == "未达标"
    assert worst_status({"达标": 0, "预警": 0, "未达标": 0}) == "达标"
    assert worst_status({}) == "无"
