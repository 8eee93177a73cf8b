"""The version: one number in pyproject.toml, the top entry of CHANGELOG.md, the installed
package, and the provenance footer of every briefing."""

from __future__ import annotations

import re
import tomllib

from analysis import __version__
from analysis.settings import config

CHANGELOG = config.PROJ_ROOT / "CHANGELOG.md"
PYPROJECT = config.PROJ_ROOT / "pyproject.toml"
ENTRY = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?", re.M)


def project_version() -> str:
    with open(PYPROJECT, "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def released_entries() -> list[re.Match]:
    text = CHANGELOG.read_text(encoding="utf-8")
    return [m for m in ENTRY.finditer(text) if m.group("version") != "Unreleased"]


def test_changelog_follows_keep_a_changelog():
    text = CHANGELOG.read_text(encoding="utf-8")
    headings = [m.group("version") for m in ENTRY.finditer(text)]
    assert headings[0] == "Unreleased", "最上面应是 ## [Unreleased]"
    entries = released_entries()
    assert entries, "CHANGELOG.md 中没有已发布的版本"
    for m in entries:
        assert re.fullmatch(r"\d+\.\d+\.\d+", m.group("version")), m.group(0)
        assert m.group("date"), f"{m.group(0)}：缺少发布日期（YYYY-MM-DD）"
    dates = [m.group("date") for m in entries]
    assert dates == sorted(dates, reverse=True), "版本应按时间倒序排列"
    assert "### Added" in text


def test_pyproject_version_is_the_top_changelog_entry():
    top = released_entries()[0].group("version")
    assert project_version() == top, (
        f"pyproject.toml 的版本 {project_version()} 与 CHANGELOG.md 最新条目 {top} 不一致"
    )


def test_installed_package_reports_that_version():
    # an editable install keeps the metadata of its last `pip install -e .` (make does it
    # again whenever pyproject.toml changes)
    assert __version__ == project_version(), "请重新运行 make 以更新已安装的版本信息"


def test_briefing_footer_shows_the_version(built_briefing):
    html = built_briefing.read_text(encoding="utf-8")
    assert re.search(rf"analysis {re.escape(project_version())}[+<\s]", html)
