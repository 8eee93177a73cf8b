"""The guide's 十三 followed from nothing: a new district with an incidents file only and no
targets or gaps gets its monthly 形势分析 from the documented ``make`` commands, with 本月
figures and their 同比, 比前年 and 环比, and not a word of 钟楼区 in any output."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from test_howtos import snippet

from analysis.settings import config

OTHER_DISTRICT = "钟楼区"


def _incidents(district: str, towns: list[str]) -> pd.DataFrame:
    """Synthetic records (labelled so), 2022-01 .. 2024-05, that differ from month to month
    and year to year, so every comparison has a base."""
    rows = []
    for year in (2022, 2023, 2024):
        for month in range(1, 13 if year < 2024 else 6):
            for k, town in enumerate(towns):
                for n in range((year + month + k) % 3 + (year - 2021)):
                    category = "火灾" if (n + k) % 2 else "生产安全事故"
                    rows.append(
                        {
                            "incident_id": f"{year}{month:02d}-{k}-{n}",
                            "district": district,
                            "town": town,
                            "date": f"{year}-{month:02d}-{10 + n:02d}",
                            "category": category,
                            "industry": "工贸",
                            "accident_type": "其他",
                            "deaths": n % 2,
                            "serious_injuries": 0,
                            "injuries": 1,
                            "direct_loss_wan": 1.5 + n,
                            "description": "示例记录（合成）",
                        }
                    )
    return pd.DataFrame(rows)


def _make(line: str, env: dict, root: Path, out: str = "out") -> subprocess.CompletedProcess:
    """One ``make`` line of the guide, with the data folder and the outputs in ``root``."""
    words = shlex.split(line)
    words = [f"DATA_DIR={root / 'data'}" if w.startswith("DATA_DIR=") else w for w in words]
    return subprocess.run(
        [*words, f"PY={sys.executable}", "STAMP=", f"OUT={root / out}"],
        capture_output=True,
        text=True,
        env=env,
        cwd=config.PROJ_ROOT,
        timeout=300,
    )


@pytest.fixture(scope="module")
def monthly(tmp_path_factory):
    root = tmp_path_factory.mktemp("new_district")
    config_dir = Path(shutil.copytree(config.DATA_DIR / "config", root / "config"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env["BRIEFING_CONFIG_DIR"] = str(config_dir)
    steps = [line for line in snippet("new_district_monthly").splitlines() if line.strip()]
    scaffold, report = (line for line in steps if line.startswith("make "))
    words = dict(w.split("=", 1) for w in shlex.split(scaffold)[2:])
    name, towns = words["NAME"], words["TOWNS"].split(",")
    made = _make(scaffold, env, root)
    assert made.returncode == 0, made.stderr
    (root / "data").mkdir()
    _incidents(name, towns).to_csv(root / "data" / "incidents.csv", index=False)
    run = _make(report, env, root)
    assert run.returncode == 0, run.stderr
    again = _make(report, env, root, out="again")
    assert again.returncode == 0, again.stderr
    return name, config_dir, root / "out", run


def test_scaffold_made_the_district_with_no_targets_or_gaps(monthly):
    name, config_dir, _, run = monthly
    folder = config_dir / "districts" / name
    assert (folder / "district.yaml").is_file()
    assert not list(folder.glob("*/*.yaml"))  # no targets, no gaps
    assert f"{name}未配置2024年的目标完成情况" in run.stdout


def test_the_monthly_briefing_has_this_months_figures_and_all_three_comparisons(monthly):
    name, _, out, _ = monthly
    html = (out / name / "2024-05-month" / "briefing.html").read_text(encoding="utf-8")
    assert f"<title>{name}2024年5月安全生产形势分析</title>" in html
    accidents = html[html.index('id="period_accidents"') :]
    accidents = accidents[: accidents.index("</section>")]
    assert "2024年5月" in accidents and "累计发生生产安全事故" in accidents
    for kind, word in (("yoy", "同比"), ("yoy2", "比前年"), ("mom", "环比")):
        assert f'data-kind="{kind}">' in accidents, kind
        shown = accidents.split(f'data-kind="{kind}">')[1].split("<")[0]
        assert word in shown or "为0" in shown, shown
    for heading in ("一、生产安全事故总体情况", "二、其他灾害事故"):
        assert heading in html
    assert "三、对策措施建议" not in html  # no gaps configured: no chapter, no heading
    assert "差距与不足" not in html and "<h2></h2>" not in html


def test_two_runs_give_byte_identical_outputs(monthly):
    name, _, out, _ = monthly
    again = out.parent / "again" / name / "2024-05-month"
    for path in (out / name / "2024-05-month").iterdir():
        if path.suffix in (".html", ".csv", ".xlsx", ".json"):
            assert path.read_bytes() == (again / path.name).read_bytes(), path.name


def test_no_other_districts_text_in_any_output(monthly):
    name, _, out, _ = monthly
    files = [p for p in (out / name).rglob("*") if p.is_file()]
    assert {p.suffix for p in files} >= {".html", ".csv", ".xlsx"}
    for path in files:
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                text = "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
        else:
            text = path.read_text(encoding="utf-8-sig")
        assert OTHER_DISTRICT not in text, path.name
