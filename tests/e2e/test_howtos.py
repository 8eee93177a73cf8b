"""Each how-to of docs/分析人员指南.md, followed literally on a copy of the sample data and
configuration: the YAML and .env snippets are taken from the guide itself, the
configuration copy is selected with BRIEFING_CONFIG_DIR, and the briefing is built by the
command line in a subprocess, as an analyst would. The runs are independent, so they are
started together once per module."""

from __future__ import annotations

import email
import email.policy
import os
import re
import shutil
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import folder
from analysis.errors import ConfigError
from analysis.indicators.catalogue import parse_catalogue
from analysis.inputs import schema
from analysis.settings import config

GUIDE = config.PROJ_ROOT / "docs" / "分析人员指南.md"
CONFIG = config.DATA_DIR / "config"
SAMPLE = config.SAMPLE_DATA_DIR
D = "钟楼区"
NEW_TOWN, NEW_DISTRICT, NEW_DISTRICT_TOWN = "示例街道", "示例区", "示例镇"


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def snippet(name: str) -> str:
    """The fenced block right after ``<!-- howto:name -->`` in the guide, de-indented."""
    m = re.search(
        rf"<!-- howto:{name} -->\n(?P<indent> *)```[a-z]*\n(?P<body>.*?)^(?P=indent)```",
        guide(),
        flags=re.S | re.M,
    )
    assert m, f"指南中没有示例 howto:{name}"
    indent = len(m.group("indent"))
    return "".join(line[indent:] + "\n" for line in m.group("body").splitlines())


def append(path: Path, text: str) -> None:
    """Add text at the end of a file, as the guide says (on a line of its own)."""
    current = path.read_text(encoding="utf-8")
    if not current.endswith("\n"):
        current += "\n"
    path.write_text(current + text, encoding="utf-8")


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def write_csv(df: pd.DataFrame, path: Path, encoding: str = "utf-8-sig") -> None:
    df.to_csv(path, index=False, encoding=encoding, lineterminator="\n")


def chinese_headers(df: pd.DataFrame, table: str) -> pd.DataFrame:
    return df.rename(columns={c.name: c.zh for c in schema.TABLES[table].columns})


# --------------------------------------------------------------------------- the runs


@dataclass
class Run:
    args: list[str]
    config_dir: Path
    out: Path
    proc: subprocess.CompletedProcess | None = None

    def folder(self, *parts: str) -> Path:
        return self.out.joinpath(*parts)


def cli(args: list[str], config_dir: Path, **kw) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_SMTP_")}
    env["BRIEFING_CONFIG_DIR"] = str(config_dir)
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        env=env,
        cwd=config.PROJ_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        **kw,
    )


def _without_card_labels(html: str) -> str:
    """The briefing's markup without the column names a phone shows on table cards."""
    return re.sub(r' data-label="[^"]*"', "", html)


def _config_copy(root: Path) -> Path:
    return Path(shutil.copytree(CONFIG, root / "config"))


def _data_copy(root: Path) -> Path:
    return Path(shutil.copytree(SAMPLE, root / "data"))


def _new_unit_rows(data: Path) -> None:
    """Records of the new town and the new district, in the exported files."""
    ent = read_csv(data / "enterprises.csv")
    new = ent.iloc[[0, 1]].copy()
    new["enterprise_id"] = ["E90001", "E90002"]
    new["district"] = [D, NEW_DISTRICT]
    new["town"] = [NEW_TOWN, NEW_DISTRICT_TOWN]
    write_csv(pd.concat([ent, new]), data / "enterprises.csv")
    inc = read_csv(data / "incidents.csv")
    template = inc[inc["category"] == "生产安全事故"].iloc[[0, 0, 0]].copy()
    template["incident_id"] = ["SG-2020-901", "SG-2020-902", "SG-2020-903"]
    template["district"] = [D, D, NEW_DISTRICT]
    template["town"] = [NEW_TOWN, NEW_TOWN, NEW_DISTRICT_TOWN]
    template["date"] = ["2020-03-15", "2020-08-10", "2020-05-06"]
    write_csv(pd.concat([inc, template]), data / "incidents.csv")


def _exported_formats(data: Path) -> None:
    """outreach.csv as GBK with Chinese headers (one of them registered in column_map.yaml);
    cases.csv replaced by cases.xlsx with Chinese headers, date cells and 是/否."""
    outreach = chinese_headers(read_csv(data / "outreach.csv"), "outreach")
    outreach = outreach.rename(columns={"活动类型": "活动形式"})
    write_csv(outreach, data / "outreach.csv", encoding="gbk")
    cases = read_csv(data / "cases.csv")
    cases["filing_date"] = pd.to_datetime(cases["filing_date"])
    cases["fine_wan"] = pd.to_numeric(cases["fine_wan"])
    cases["suspension"] = cases["suspension"].map({"true": "是", "false": "否"})
    chinese_headers(cases, "cases").to_excel(
        data / "cases.xlsx", sheet_name="立案处罚", index=False
    )
    (data / "cases.csv").unlink()


BAD_ROW = 5  # Excel row number (header = row 1)


def _invalid_value(data: Path) -> None:
    inc = chinese_headers(read_csv(data / "incidents.csv"), "incidents")
    inc.loc[BAD_ROW - 2, "死亡人数"] = "两"
    write_csv(inc, data / "incidents.csv")


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    root = tmp_path_factory.mktemp("howtos")
    runs: dict[str, Run] = {}

    base = root / "baseline"
    cfg, data = _config_copy(base), _data_copy(base)
    runs["baseline"] = Run(["report", "--data-dir", str(data)], cfg, base / "out")

    # 二、新增一个指标 and 三、设定年度目标 (one configuration copy, both edits)
    ind = root / "indicator_target"
    cfg = _config_copy(ind)
    append(cfg / "catalogue.yaml", snippet("catalogue"))
    append(cfg / "districts" / "钟楼区" / "targets" / "2020.yaml", snippet("target"))
    runs["indicator_target"] = Run(["report"], cfg, ind / "out")

    # 四、新增区或镇（街道）, with the defaults of project.yaml in the relocated config (八)
    units = root / "units"
    cfg, data = _config_copy(units), _data_copy(units)
    append(cfg / "units.yaml", snippet("town"))
    append(cfg / "units.yaml", snippet("district"))
    project = cfg / "project.yaml"
    project.write_text(
        project.read_text(encoding="utf-8").replace('period: "2020-10"', 'period: "2020-09"'),
        encoding="utf-8",
    )
    _new_unit_rows(data)
    runs["town"] = Run(
        ["report", "--data-dir", str(data), "--unit", NEW_TOWN], cfg, units / "out-town"
    )
    runs["district"] = Run(
        ["report", "--data-dir", str(data), "--district", NEW_DISTRICT],
        cfg,
        units / "out-district",
    )

    # 一、用本局导出的数据：GBK CSV, .xlsx, Chinese headers, column_map.yaml
    fmt = root / "formats"
    cfg, data = _config_copy(fmt), _data_copy(fmt)
    append(cfg / "column_map.yaml", snippet("column_map"))
    _exported_formats(data)
    runs["formats"] = Run(["report", "--data-dir", str(data)], cfg, fmt / "out")

    # 五、看懂校验错误: strict stops, --lenient writes rejects.csv
    bad = root / "invalid"
    cfg, data = _config_copy(bad), _data_copy(bad)
    _invalid_value(data)
    runs["strict"] = Run(["report", "--data-dir", str(data)], cfg, bad / "out-strict")
    runs["lenient"] = Run(
        ["report", "--data-dir", str(data), "--lenient"], cfg, bad / "out-lenient"
    )

    # 六、发送简报: the .eml (the briefing is built first when missing)
    mail = root / "email"
    runs["email"] = Run(["email"], _config_copy(mail), mail / "out")

    # 十、改一句话: the guide's sentence edit in wording.yaml
    wording = root / "wording"
    cfg = _config_copy(wording)
    path = cfg / "wording.yaml"
    before, after = snippet("wording_before"), snippet("wording_after")
    assert path.read_text(encoding="utf-8").count(before) == 1
    path.write_text(path.read_text(encoding="utf-8").replace(before, after), encoding="utf-8")
    runs["wording"] = Run(["report"], cfg, wording / "out")

    def go(run: Run) -> None:
        run.proc = cli([*run.args, "--out", str(run.out)], run.config_dir)

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        list(pool.map(go, runs.values()))
    return runs


def ok(run: Run) -> Run:
    assert run.proc is not None
    assert run.proc.returncode == 0, run.proc.stderr
    return run


# --------------------------------------------------------------------------- 一


def test_gbk_csv_and_xlsx_with_chinese_headers_give_the_same_indicators(runs):
    base = ok(runs["baseline"]).folder(D, "2020-10")
    got = ok(runs["formats"]).folder(D, "2020-10")
    assert (got / "indicators.csv").read_text(encoding="utf-8-sig") == (
        base / "indicators.csv"
    ).read_text(encoding="utf-8-sig")
    html = (got / folder.ANALYST_HTML).read_text(encoding="utf-8")
    assert "cases.xlsx" in html and "gb18030" in html  # what was read, in the analyst edition


def test_make_report_passes_the_data_folder_and_email_send(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("没有 make")

    # The Makefile hands its variables to the program as BRIEFING_* environment variables
    # (never through the shell); a stand-in interpreter shows what the program receives.
    stub = tmp_path / "python"
    stub.write_text('#!/bin/sh\nenv | grep "^BRIEFING_"\n', encoding="utf-8")
    stub.chmod(0o755)

    def received(*args: str) -> dict[str, str]:
        out = subprocess.run(
            ["make", "-s", *args, f"PY={stub}", "STAMP="],
            cwd=config.PROJ_ROOT,
            capture_output=True,
            text=True,
        )
        assert out.returncode == 0, out.stderr
        return dict(line.split("=", 1) for line in out.stdout.splitlines())

    report = received("report", "DATA_DIR=/data/2020年10月导出", "PERIOD=2020-09", "UNIT=邹区镇")
    assert report["BRIEFING_PERIOD"] == "2020-09" and report["BRIEFING_UNIT"] == "邹区镇"
    assert report["BRIEFING_DATA_DIR"] == "/data/2020年10月导出"
    assert received("email", "SEND=1")["BRIEFING_SEND"] == "1"


# --------------------------------------------------------------------------- 二


def test_new_indicator_appears_in_indicators_csv_and_the_briefing(runs):
    out = ok(runs["indicator_target"]).folder(D, "2020-10")
    ind = read_csv(out / "indicators.csv").set_index("指标编号")
    row = ind.loc["trade_major_hazards_found"]
    hazards = read_csv(SAMPLE / "hazards.csv")
    expected = (
        (hazards["industry"] == "工贸")
        & (hazards["level"] == "重大")
        & hazards["found_date"].between("2020-01-01", "2020-10-31")
    ).sum()
    assert expected > 0
    assert row["指标"] == "工贸领域排查发现重大隐患数"
    assert row["栏目"] == "专项整治"
    assert float(row["本期累计"]) == expected
    assert row["同比"].startswith("同比")
    # the section's full table is in the analyst edition (the editions setting's default)
    html = _without_card_labels((out / folder.ANALYST_HTML).read_text(encoding="utf-8"))
    assert f'<td>工贸领域排查发现重大隐患数</td><td class="num">{expected}个</td>' in html


def test_a_mistake_in_the_catalogue_is_reported_as_the_guide_shows():
    message = (
        "指标“trade_major_hazards_found”的筛选条件“level”：取值“特大”不在允许范围内（一般、重大）"
    )
    assert message in guide()
    text = (CONFIG / "catalogue.yaml").read_text(encoding="utf-8") + snippet("catalogue")
    with pytest.raises(ConfigError) as info:
        parse_catalogue(yaml.safe_load(text.replace("level: 重大}", "level: 特大}")))
    assert message in str(info.value)


# --------------------------------------------------------------------------- 三


def test_new_target_appears_in_gaps_csv_and_the_briefing_with_its_status(runs):
    out = ok(runs["indicator_target"]).folder(D, "2020-10")
    targets = read_csv(out / "gaps.csv").set_index("目标编号")
    row = targets.loc["hazard_rectification_95"]
    rate = read_csv(out / "indicators.csv").set_index("指标编号").loc["hazard_rectification_rate"]
    assert float(rate["本期累计"]) < 95  # so the target is not met
    assert row["目标"] == "隐患整改率不低于95%"
    assert row["状态"] == "未达标"
    assert re.fullmatch(r"尚有\d+项隐患须整改方能达到95%", row["差距说明"])
    html = _without_card_labels((out / "briefing.html").read_text(encoding="utf-8"))
    line = next(x for x in html.splitlines() if "<td>隐患整改率不低于95%</td>" in x)
    assert '<td class="status-未达标">未达标</td>' in line
    assert row["差距说明"] in line


# --------------------------------------------------------------------------- 四 and 八


def test_new_town_works_with_unit(runs):
    # the period comes from project.yaml of the relocated configuration (2020-09)
    out = ok(runs["town"]).folder(D, "2020-09", NEW_TOWN)
    html = (out / "briefing.html").read_text(encoding="utf-8")
    assert f"<title>{NEW_TOWN}安全生产工作简报（截至2020年9月底）</title>" in html
    ind = read_csv(out / "indicators.csv").set_index("指标编号")
    assert ind.loc["accidents", "区/镇（街道）"] == NEW_TOWN
    assert float(ind.loc["accidents", "本期累计"]) == 2


def test_new_district_works_with_district(runs):
    out = ok(runs["district"]).folder(NEW_DISTRICT, "2020-09")
    html = (out / "briefing.html").read_text(encoding="utf-8")
    assert f"<title>{NEW_DISTRICT}安全生产工作简报（截至2020年9月底）</title>" in html
    ind = read_csv(out / "indicators.csv").set_index("指标编号")
    assert float(ind.loc["accidents", "本期累计"]) == 1
    assert float(ind.loc["towns", "本期累计"]) == 1


def test_guide_snippets_edit_units_yaml_as_intended(runs):
    units = yaml.safe_load((runs["town"].config_dir / "units.yaml").read_text(encoding="utf-8"))
    assert units["districts"][D]["towns"][-1] == NEW_TOWN
    assert units["districts"][NEW_DISTRICT]["towns"] == [NEW_DISTRICT_TOWN]


# --------------------------------------------------------------------------- 五


def test_validation_error_names_file_row_column_value_and_reason(runs):
    run = runs["strict"]
    assert run.proc.returncode != 0
    documented = next(
        line.strip()[3:] for line in guide().splitlines() if line.strip().startswith("1. 文件 ")
    )
    assert (
        documented == f"文件 incidents.csv，第 {BAD_ROW} 行，列“死亡人数”，值“两”：不是有效的整数"
    )
    assert documented in run.proc.stderr
    assert run.proc.stderr.startswith("错误：输入数据未通过校验，共 1 处问题：")
    assert not run.folder(D, "2020-10", "briefing.html").exists()


def test_lenient_mode_drops_the_row_and_writes_rejects_csv(runs):
    out = ok(runs["lenient"]).folder(D, "2020-10")
    rejects = read_csv(out / "rejects.csv")
    assert list(rejects.columns) == ["文件", "行号", "列", "值", "原因"]
    assert rejects.to_dict("records") == [
        {
            "文件": "incidents.csv",
            "行号": str(BAD_ROW),
            "列": "死亡人数",
            "值": "两",
            "原因": "不是有效的整数",
        }
    ]
    html = (out / "briefing.html").read_text(encoding="utf-8")
    assert "宽松模式下有 1 行数据未通过校验" in html


# --------------------------------------------------------------------------- 六 and 七


def test_email_writes_an_eml_beside_the_briefing(runs):
    out = ok(runs["email"]).folder(D, "2020-10")
    msg = email.message_from_bytes((out / "briefing.eml").read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == "钟楼区安全生产工作简报（截至2020年10月底）"
    assert msg.get_body(("html",)) is not None
    assert (out / "briefing.html").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_email_send_with_the_documented_env_file(runs, tmp_path):
    """`make email SEND=1` with the guide's .env, pointed at a local test server."""
    from aiosmtpd.controller import Controller

    received = []

    class Sink:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
            received.append(envelope)
            return "250 OK"

    settings = dict(line.split("=", 1) for line in snippet("env").splitlines() if "=" in line)
    assert set(settings) >= {
        "BRIEFING_SMTP_HOST",
        "BRIEFING_SMTP_SENDER",
        "BRIEFING_SMTP_RECIPIENTS",
    }
    port = _free_port()
    # the test server: loopback, no TLS, no login
    settings.update(
        BRIEFING_SMTP_HOST="127.0.0.1", BRIEFING_SMTP_PORT=str(port), BRIEFING_SMTP_SECURITY="none"
    )
    settings.pop("BRIEFING_SMTP_USER")
    settings.pop("BRIEFING_SMTP_PASSWORD")
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in settings.items()), encoding="utf-8")

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        run = ok(runs["email"])
        proc = cli(
            ["email", "--send", "--env-file", str(env_file), "--out", str(run.out)],
            run.config_dir,
        )
    finally:
        controller.stop()
    assert proc.returncode == 0, proc.stderr
    assert "并已发送" in proc.stdout
    assert len(received) == 1
    assert received[0].rcpt_tos == ["leader1@example.gov.cn", "leader2@example.gov.cn"]


def test_every_output_file_the_guide_lists_is_written(runs):
    table = guide().split("<!-- howto:outputs -->", 1)[1].split("\n\n", 1)[0]
    names = re.findall(r"`([^`/]+\.[a-z]+)`", table)
    assert len(names) >= 10
    where = {"rejects.csv": runs["lenient"], "briefing.eml": runs["email"]}
    for name in names:
        if name == "briefing.docx":  # only with FORMATS=…,docx: tests/e2e/test_docx_render.py
            continue
        if name == "data_notices.csv":  # only with notices: tests/unit/test_briefing_notices.py
            assert not runs["baseline"].folder(D, "2020-10", name).exists()
            continue
        if name == "briefing.failed.ipynb":
            # only a notebook that fails while running leaves one (tests/e2e/test_report.py);
            # invalid data are refused before the notebook starts
            assert not runs["strict"].folder(D, "2020-10", name).exists()
            continue
        run = where.get(name, runs["baseline"])
        assert run.folder(D, "2020-10", name).exists(), name


# --------------------------------------------------------------------------- 十


def test_an_edited_sentence_appears_in_the_briefing(runs):
    html = (ok(runs["wording"]).folder(D, "2020-10") / "briefing.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)
    # the edited sentence, its change marked (4 against 9 deaths is within normal variation)
    # and October's deaths still provisional
    assert (
        "生产安全事故9起，同比下降85.0%（变化显著）；造成死亡4人（含初步数），同比减少5人（属正常波动）；"
        in text
    )
    assert "生产安全事故9起，同比下降85.0%；死亡4人" not in text


@pytest.fixture(scope="module")
def edited_notebook(tmp_path_factory) -> Path:
    """briefing.ipynb with the guide's new table and chart cells after the by-town table and
    its overview table cell replaced, run by papermill as `make report` runs it."""
    import nbformat

    from analysis.run.report import BRIEFING_NOTEBOOK, run_briefing
    from analysis.settings.params import resolve_params

    root = tmp_path_factory.mktemp("notebook")
    nb = nbformat.read(BRIEFING_NOTEBOOK, as_version=4)
    cells = nb.cells
    overview = next(c for c in cells if c.source.startswith("overview = brief.frames.overview"))
    overview.source = snippet("overview_columns").strip()
    after = next(i for i, c in enumerate(cells) if "house.table(brief.frames.by_town" in c.source)
    new = [nbformat.v4.new_code_cell(snippet(n).strip()) for n in ("cell_table", "cell_chart")]
    cells[after + 1 : after + 1] = new
    path = root / "briefing.ipynb"
    nbformat.write(nb, path)
    return run_briefing(resolve_params(), out_root=root / "out", notebook=path)


def test_added_table_and_chart_cells_appear_in_the_house_style(edited_notebook):
    # added after the by-town table, they follow its section into the analyst edition
    html = (edited_notebook.parent / folder.ANALYST_HTML).read_text(encoding="utf-8")
    header = (
        '<thead><tr><th>镇（街道）</th><th class="num">生产安全事故起数</th>'
        '<th class="num">排查发现隐患数</th></tr>'
    )
    assert header in html
    table = html[html.index(header) :]
    assert table.index(
        '<tr><td>邹区镇</td><td class="num" data-label="生产安全事故起数">5起</td>'
    ) < table.index("</table>")
    chart = re.search(r'<figure class="chart"><img [^>]*alt="邹区镇与北港街道事故起数"', html)
    assert chart and 'src="data:image/png;base64,' in chart.group(0)


def test_added_cells_print_no_missing_glyph_warnings(edited_notebook):
    import nbformat

    nb = nbformat.read(edited_notebook.parent / "briefing.ipynb", as_version=4)
    streams = [
        o.get("text", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "stream"
    ]
    assert not [s for s in streams if "Glyph" in s or "missing from" in s or "findfont" in s]


def test_changed_overview_columns_appear_in_the_briefing(edited_notebook):
    html = edited_notebook.read_text(encoding="utf-8")
    table = html[html.index("<caption>事故与火灾主要指标</caption>") :]
    table = table[: table.index("</table>")]
    assert (
        '<thead><tr><th>指标</th><th class="num">本期（累计）</th><th>同比</th></tr></thead>'
        in table
    )
    assert "上年同期" not in table
