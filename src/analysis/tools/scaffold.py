"""``python -m analysis district NAME --towns a,b,c`` (``make district``): a new district's
configuration folder with commented templates, and its towns/streets in units.yaml (the
one index of districts and their towns). An existing district is refused."""

from __future__ import annotations

from pathlib import Path

from analysis.atomic import atomic_path
from analysis.errors import ConfigError, ParameterError
from analysis.settings import config, places
from analysis.settings.district import district_dir
from analysis.settings.names import name_problem
from analysis.settings.yaml_files import read_yaml

DISTRICT_TEMPLATE = """\
# {name}的简报设置。去掉行首的 # 即生效；未写的设置沿用 data/config/defaults.yaml。
# 镇/街道名单在 data/config/units.yaml。
#
# 修约规则：四舍五入、截尾 或 四舍六入五成双
# rounding: 四舍五入
# 变化幅度的小数位数
# decimals:
#   同比: 1
#   环比: 1
# 显示哪些比较：同比、比前年、环比
# comparisons: [同比, 比前年, 环比]
# 发文单位（简报抬头）
office: "{name}安全生产委员会办公室"
# 本年第一期（1月）的期号
# first_issue: 1
# 版记（报/送/发）和落款
# distribution:
#   报: 市安委办
#   送: [区委办, 区政府办]
#   发: 各镇（街道）安委办
# signature: 区安委办（代章）
# 本区运行时的默认值（make 变量 DATA_DIR=、PERIOD=、KIND= 优先；都不写时用 project.yaml 的）
# data_dir: data/{name}
# period: "2024-12"
# kind: month
"""

YEAR_NOTE = """\
# {what}：每年一个文件，命名为 <年份>.yaml（例如 {year}.yaml），放在本文件夹。
# 没有该年的文件时，简报不含{section}。写法见 docs/分析人员指南.md 与
# data/config/districts/钟楼区/{kind}/ 中的示例。
"""


def _checked_towns(name: str, towns: list[str]) -> list[str]:
    problems = []
    for town in [name, *towns]:
        problem = name_problem(town.strip()) or ("含有“#”" if "#" in town else None)
        if problem:
            problems.append(f"名称“{town}”无效：{problem}")
    if not towns:
        problems.append("至少要有一个镇/街道（TOWNS=甲镇,乙街道）")
    if len(set(towns)) != len(towns):
        problems.append("镇/街道名称有重复")
    known = {t: d for d, spec in places.units()["districts"].items() for t in spec["towns"]}
    problems += [f"镇/街道“{t}”已属于{known[t]}" for t in towns if t in known]
    if problems:
        raise ParameterError("无法新建区：" + "；".join(problems))
    return [t.strip() for t in towns]


def scaffold_district(name: str, towns: list[str], year: int) -> list[Path]:
    """Create data/config/districts/<name>/ (district.yaml, targets/, gaps/ with a note on
    each) and add the district to units.yaml. Returns the files written."""
    name = name.strip()
    towns = _checked_towns(name, towns)  # before the name is used as a path
    if name in places.units()["districts"] or district_dir(name).exists():
        raise ParameterError(
            f"区“{name}”已存在（data/config/units.yaml 或 data/config/districts/{name}/），"
            "未做任何修改"
        )
    units_text = config.UNITS_FILE.read_text(encoding="utf-8-sig")
    entry = f"  {name}:\n    towns:\n" + "".join(f"      - {t}\n" for t in towns)
    folder = district_dir(name)
    files = {
        folder / config.DISTRICT_FILE_NAME: DISTRICT_TEMPLATE.format(name=name),
        folder / "targets" / "说明.txt": YEAR_NOTE.format(
            what="年度目标", year=year, section="目标与差距部分", kind="targets"
        ),
        folder / "gaps" / "说明.txt": YEAR_NOTE.format(
            what="差距不足与下一步工作", year=year, section="差距与下一步部分", kind="gaps"
        ),
    }
    # units.yaml is replaced only when the new text reads back with the district in it
    with atomic_path(config.UNITS_FILE) as tmp:
        tmp.write_text(units_text.rstrip("\n") + "\n" + entry, encoding="utf-8")
        _check_added(tmp, name, towns)
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    places.units.cache_clear()
    return [*files, config.UNITS_FILE]


def _check_added(path: Path, name: str, towns: list[str]) -> None:
    try:
        data = read_yaml(path)
        places.validate_units(data, config.UNITS_FILE)
        added = data["districts"].get(name, {}).get("towns") == towns
    except ConfigError as err:
        raise ConfigError(
            f"添加区“{name}”后 {config.UNITS_FILE} 无法读取（{err}），未做修改"
        ) from None
    if not added:
        raise ConfigError(
            f"{config.UNITS_FILE} 的末尾不是 districts 列表，无法自动添加区“{name}”，请手工添加"
        )
