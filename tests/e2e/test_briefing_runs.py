"""The briefing's content, checked on real runs of the notebook."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

import pandas as pd
import pytest
from scipy import stats

from analysis.folder import ANALYST_HTML
from analysis.present.wording import load_wording
from analysis.run.report import run_briefing
from analysis.settings import config
from analysis.settings.params import resolve_params


class _Spans(HTMLParser):
    """Collects the indicator spans of the sentences (narrative paragraphs and 本期要点) and
    the plain text of the narrative paragraphs."""

    def __init__(self):
        super().__init__()
        self.spans, self.paragraphs = [], []
        self._sections = []  # classes of the open sections
        self._span = None
        self._para = None

    @property
    def _in_narrative(self) -> bool:
        return "narrative" in self._sections

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self._sections.append(a.get("class") or "")
        if self._in_narrative and tag == "p":
            self._para = []
        in_words = self._in_narrative or "highlights" in self._sections
        if in_words and tag == "span" and a.get("class") == "fig":
            self._span = [a["data-indicator"], a["data-kind"], ""]

    def handle_endtag(self, tag):
        if tag == "span" and self._span:
            self.spans.append(tuple(self._span))
            self._span = None
            if self._para is not None:
                self._para.append("⟦⟧")
        elif tag == "p" and self._para is not None:
            self.paragraphs.append("".join(self._para))
            self._para = None
        elif tag == "section" and self._sections:
            self._sections.pop()

    def handle_data(self, data):
        if self._span is not None:
            self._span[2] += data
        elif self._para is not None:
            self._para.append(data)


@pytest.fixture(scope="module")
def html(built_briefing):
    return built_briefing.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def indicators_csv(built_briefing):
    return pd.read_csv(built_briefing.parent / "indicators.csv", encoding="utf-8-sig")


def _csv(name):
    return pd.read_csv(config.SAMPLE_DATA_DIR / name, encoding="utf-8-sig")


@pytest.fixture()
def data_copy(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    return data


def test_each_chart_shows_what_its_title_says(html, built_briefing):
    """Every chart is an embedded PNG whose alt text is the title drawn on it, and the
    charts are the ones the sections call for, in order: the key chart in the leader
    edition, the others in the analyst edition (the default editions setting)."""
    words = load_wording()
    context = {"单位": "钟楼区"}
    leader = [words.label("cumulative_chart", context)]  # the readings of the others stay
    keys = ("control_chart", "funnel_chart", "hazards_chart", "inspections_chart")
    keys += ("fines_chart", "town_chart")
    analyst = [words.label(key, context) for key in keys]
    analyst_html = (built_briefing.parent / ANALYST_HTML).read_text(encoding="utf-8")
    for page, expected in ((html, leader), (analyst_html, analyst)):
        images = re.findall(r"<img\b[^>]*>", page)
        alts = [re.search(r'alt="([^"]*)"', img).group(1) for img in images]
        assert alts == expected
        assert all('src="data:image/png;base64,' in img for img in images)


def test_strict_run_stops_with_the_problem_list(data_copy, tmp_path):
    from analysis.errors import RunFailedError

    path = data_copy / "incidents.csv"
    text = path.read_text(encoding="utf-8-sig").replace("邹区镇", "不存在镇", 1)
    path.write_text(text, encoding="utf-8-sig")
    with pytest.raises(RunFailedError) as info:
        run_briefing(resolve_params(data_dir=data_copy), out_root=tmp_path / "out")
    message = str(info.value)
    assert "DataValidationError" in message and "incidents.csv" in message
    assert "不存在镇" in message


def test_the_title_needs_no_pandas():
    import subprocess
    import sys

    code = (
        "import sys; from analysis.present.titles import briefing_title; "
        "from analysis.settings.params import resolve_params; "
        "print(briefing_title(resolve_params())); assert 'pandas' not in sys.modules"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "钟楼区安全生产工作简报（截至2020年10月底）"


def test_highlights_come_first_with_three_to_six_short_points(html):
    text = re.sub(r"<[^>]+>", "", html)
    assert text.index("本期要点") < text.index("一、总体情况")
    box = html[html.index('<section class="highlights"') :]
    box = box[: box.index("</section>")]
    points = [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<li>(.*?)</li>", box, re.S)]
    assert 3 <= len(points) <= 6
    assert all(len(p) <= 80 for p in points), points
    assert points[0].startswith("事故9起")
    assert any(p.startswith("差距最大：") for p in points)


def test_text_from_data_is_escaped(data_copy, tmp_path):
    path = data_copy / "published_figures.csv"
    df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    df.loc[0, "sentence"] = "<script>alert(1)</script>共发生各类生产安全事故9起"
    df.to_csv(path, index=False, encoding="utf-8-sig")
    out = run_briefing(resolve_params(data_dir=data_copy), out_root=tmp_path / "out")
    for page in (out, out.parent / ANALYST_HTML):  # the reconciliation is the analyst's
        assert "<script" not in page.read_text(encoding="utf-8")
    analyst = (out.parent / ANALYST_HTML).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in analyst


def test_the_text_has_no_number_that_does_not_come_from_an_indicator(html):
    parser = _Spans()
    parser.feed(html)
    for para in parser.paragraphs:
        stray = re.sub(r"\d{4}年\d{1,2}月底|\d{4}-\d{2}-\d{2}", "", para)
        assert not re.search(r"\d", stray), para


def test_headline_equals_counts_taken_straight_from_the_data_files(html):
    inc = _csv("incidents.csv")
    inc["date"] = pd.to_datetime(inc["date"])

    def ytd(year):
        return inc[(inc["date"] >= f"{year}-01-01") & (inc["date"] <= f"{year}-10-31")]

    now, before = ytd(2020), ytd(2019)
    acc, acc0 = now[now["category"] == "生产安全事故"], before[before["category"] == "生产安全事故"]
    fires, fires0 = now[now["category"] == "火灾"], before[before["category"] == "火灾"]

    def change(now: int, before: int, unit: str) -> str:
        # the exact conditional test straight from scipy: a real change keeps its
        # percentage, noise is worded as the absolute difference
        if stats.binomtest(now, now + before).pvalue < 0.05:
            return f"同比下降{abs(round((now - before) / before * 100, 1))}%（变化显著）"
        return f"同比减少{before - now}{unit}（属正常波动）"

    deaths, deaths0 = int(acc["deaths"].sum()), int(acc0["deaths"].sum())
    # deaths of the last 30 days may still change: the figure is marked 初步
    recent = acc[acc["date"] > pd.Timestamp("2020-10-31") - pd.Timedelta(days=30)]
    provisional = "（含初步数）" if recent["deaths"].sum() > 0 else ""
    expected = (
        f"共发生各类生产安全事故{len(acc)}起，{change(len(acc), len(acc0), '起')}；"
        f"死亡{deaths}人{provisional}，{change(deaths, deaths0, '人')}；"
        f"共发生火灾{len(fires)}起，无人员伤亡"
    )
    text = re.sub(r"<[^>]+>", "", html)
    assert expected in text
    assert (fires["deaths"].sum(), fires["injuries"].sum()) == (0, 0)
    assert "全区未发生较大以上事故" in text
    assert len(fires0) > len(fires)


def test_every_published_figure_is_consistent_on_the_shipped_data(built_briefing):
    recon = pd.read_csv(built_briefing.parent / "reconciliation.csv", encoding="utf-8-sig")
    assert len(recon) >= 60
    assert set(recon["核对结论"]) == {"一致"}


def test_synthetic_data_banner(html):
    assert "本简报由合成数据（非真实台账）生成" in html


def test_every_number_in_the_text_equals_the_indicator_table(html, indicators_csv, built_briefing):
    parser = _Spans()
    parser.feed(html)
    assert len(parser.spans) > 40
    table = indicators_csv.set_index("指标编号")
    gaps = pd.read_csv(built_briefing.parent / "gaps.csv", encoding="utf-8-sig")
    columns = {"value": "本期累计（文字）", "yoy": "同比"}
    for ind, kind, text in parser.spans:
        if kind == "gap":  # a target's gap, in 本期要点
            assert text in set(gaps.loc[gaps["指标编号"] == ind, "差距说明"]), (ind, text)
            continue
        shown = str(table.loc[ind, columns[kind]])
        assert text == shown, (ind, kind, text, shown)
    assert {kind for _, kind, _ in parser.spans} == {"value", "yoy", "gap"}


def test_csv_outputs_open_in_excel(built_briefing):
    for name in ("indicators.csv", "gaps.csv", "reconciliation.csv"):
        raw = (built_briefing.parent / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        raw.decode("utf-8")


def test_html_is_under_the_e_mail_budget(built_briefing):
    assert built_briefing.stat().st_size < 300 * 1024


def test_lenient_run_reports_rejected_rows(data_copy, tmp_path):
    path = data_copy / "incidents.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(",")
    cells[7] = "-1"  # deaths
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    params = resolve_params(data_dir=data_copy, strict=False)
    out = run_briefing(params, out_root=tmp_path / "out")
    html = out.read_text(encoding="utf-8")
    assert "宽松模式下有 1 行数据未通过校验" in html
    rejects = pd.read_csv(out.parent / "rejects.csv", encoding="utf-8-sig")
    assert rejects.loc[0, "行号"] == 2 and rejects.loc[0, "列"] == "deaths"


def test_briefing_has_the_bulletin_sections(html, built_briefing):
    text = re.sub(r"<[^>]+>", "", html)
    for heading in ("一、总体情况", "二、重点工作", "三、差距与不足", "四、下一步建议"):
        assert heading in text
    analyst = (built_briefing.parent / ANALYST_HTML).read_text(encoding="utf-8")
    analyst_text = re.sub(r"<[^>]+>", "", analyst)
    # leaders see the targets not met; the full table (a met target's gap too) is the analysts'
    assert "已到整改期限的隐患尚有58项未整改" in text
    assert "规下企业尚有471家未覆盖" in analyst_text and "规下企业尚有471家未覆盖" not in text
    for part in ("附件", "与已发布数字核对", "数据质量", "数据来源与版本"):
        assert part in analyst_text
        assert part not in text
    assert "统计方法说明" in analyst_text


def test_the_charts_of_change_are_read_in_one_sentence_each(html):
    text = re.sub(r"<[^>]+>", "", html)
    for section in ("control_chart", "funnel"):
        block = re.search(rf'<section class="reading" id="{section}">(.*?)</section>', html, re.S)
        sentence = re.sub(r"<[^>]+>", "", block.group(1)).strip()
        assert sentence.count("。") == 1 and sentence.endswith("。"), sentence
    assert "特殊原因变化" in text or "属正常波动" in text


def test_the_forecast_gives_the_year_end_interval_from_the_data(html):
    inc = _csv("incidents.csv")
    inc["date"] = pd.to_datetime(inc["date"])
    so_far = int(
        (
            (inc["category"] == "生产安全事故") & inc["date"].between("2020-01-01", "2020-10-31")
        ).sum()
    )
    elapsed = pd.Timestamp("2020-10-31").dayofyear
    rest = stats.nbinom(so_far + 0.5, elapsed / 366)  # 2020 is a leap year
    low, high = (so_far + int(q) for q in rest.ppf([0.025, 0.975]))
    text = re.sub(r"<[^>]+>", "", html)
    assert f"按目前水平，全年预计生产安全事故起数{low}—{high}起" in text
