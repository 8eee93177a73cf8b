"""Generate docs/数据字典.md (Chinese) from the data contract (analysis.inputs.schema.TABLES).

Usage: ``python -m analysis.tools.data_dictionary [OUTPUT]``. The committed file must equal a fresh
generation (tests/unit/tools/test_data_dictionary.py), so edit schema.py, never the Markdown.
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.inputs import schema
from analysis.settings import config

OUTPUT = config.PROJ_ROOT / "docs" / "数据字典.md"

DTYPE_ZH = {
    "str": "文本",
    "int": "整数",
    "float": "数值",
    "date": "日期",
    "bool": "是/否",
}
RULE_KIND_ZH = {
    "not_before": "日期先后",
    "not_less": "数量大小",
    "iff_present": "状态与日期一致",
}


def _cell(text: str) -> str:
    """Escape a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _fmt_number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _column_notes(table: schema.Table, col: schema.Column) -> str:
    notes = []
    if col.allowed:
        notes.append("允许值：" + "、".join(col.allowed))
    if col.dtype in ("int", "float"):
        low, high = _fmt_number(col.minimum), _fmt_number(col.maximum)
        notes.append(f"取值范围 {low} 至 {high}（含）")
    if col.unique:
        notes.append("唯一")
    if col.ref:
        ref_table, ref_col = col.ref.split(".")
        zh = schema.TABLES[ref_table].zh
        notes.append(f"须在{zh}（`{ref_table}.{ref_col}`）中存在")
    if col.dtype == "date":
        notes.append("不早于 2000-01-01" + ("" if col.future_ok else "，不晚于今天"))
    if col.name == "district":
        notes.append("须为 data/config/units.yaml 中配置的区")
    if col.name == "town":
        notes.append("须为该区在 data/config/units.yaml 中的镇/街道")
    if col.doc:
        notes.append(col.doc)
    return "；".join(notes)


def _intro_lines() -> list[str]:
    """Title and the rules common to every table."""
    return [
        "# 数据字典",
        "",
        "<!-- 本文件由 `python -m analysis.tools.data_dictionary` 根据 "
        "src/analysis/inputs/schema.py 自动生成，请勿手工修改。 -->",
        "",
        "本文件说明简报所用的每张输入表、每一列的含义、类型和取值要求（数据约定）。"
        "数据文件放在数据目录（默认 `data/sample/`）中，文件名为 `<表名>.csv` 或 `<表名>.xlsx`。",
        "",
        "## 通用规则",
        "",
        "- **文件格式**：CSV（UTF-8，带或不带 BOM；或 GBK/GB18030 编码）或 Excel `.xlsx`"
        "（读取第一个工作表，或名为表名/中文表名的工作表）。不支持 `.xls`，请另存为 `.xlsx`。",
        "- **表头**：可用英文列名、中文列名或下表所列别名，前后空格和全角/半角括号不影响识别；"
        "本局业务系统导出的其他表头可在 `data/config/column_map.yaml` 中登记。"
        "表头上方的标题行（合并单元格）和两行表头（分组合并单元格 + 子表头）可自动识别。",
        "- **示例数据**：`data/sample/` 中的 CSV 为合成数据（非真实台账），"
        "使用英文列名作表头、UTF-8 带 BOM 编码，可直接用 Excel 打开。",
        "- **日期**：可写作 `2020-10-31`、`2020/10/31` 或 `2020年10月31日`，"
        "Excel 中也可直接使用日期单元格。",
        "- **是/否**：可写作 是/否、true/false、TRUE/FALSE、1/0。",
        "- **行号**：校验问题中的行号为 Excel 中看到的行号（表头为第 1 行，第一行数据为第 2 行；"
        "有标题行时相应顺延）；CSV 文件为文本编辑器中该条记录起始的行号"
        "（单元格内有换行时二者可能不同）。",
        '- **CSV 结构**：每条记录一行，字段数与表头一致；单元格中的引号须写成两个引号（""），'
        "或把整个单元格用引号括起来。引号未配对导致多行被并成一条记录、某行字段多于或少于表头时，"
        "报告所涉及的行号。",
        "- **数值范围**：每个数值列都有合理范围（见下表“取值要求”），超出范围的值视为错误"
        "（宽松模式下剔除该行并计入剔除清单）。",
        "- **不可见字符**：任何单元格和表头都不得含有控制字符（如 NUL）或不可见字符"
        "（零宽空格 U+200B、重复的 BOM U+FEFF、双向控制符 U+202A–U+202E、U+2066–U+2069 等）；"
        "提示信息中以 `\\x00`、`U+200B` 的形式显示这些字符。",
        "- **文件名**：表名和扩展名不区分大小写（如 `Incidents.CSV`）；同一张表有两个候选文件、"
        "或该位置是文件夹、命名管道、失效或循环的符号链接、无读取权限的文件时报错并给出路径。",
        "- **必需的表**："
        + "、".join(f"{t.zh}（`{t.name}`）" for t in schema.TABLES.values() if t.required)
        + "。必需的表缺少文件或只有表头时报错；其余的表可以缺省："
        "简报不含只依赖这些表的部分，数据质量附件将其列为“未提供”。",
        "- **严格模式**（默认）发现任何问题即停止并列出全部问题；**宽松模式**剔除有问题的行，"
        "写入剔除清单（文件、行号、列、值、原因）后继续。无法读取的文件、缺列、编码错误等"
        "文件级问题在两种模式下都会报错。",
    ]


def _overview_lines() -> list[str]:
    lines = [
        "",
        "## 表一览",
        "",
        "| 表名 | 中文名 | 必需 | 列数 | 统计日期列 | 说明 |",
        "|---|---|---|---|---|---|",
    ]
    for t in schema.TABLES.values():
        lines.append(
            f"| `{t.name}` | {t.zh} | {'是' if t.required else '否'} | {len(t.columns)} | "
            f"{f'`{t.date_column}`' if t.date_column else '—'} | {_cell(t.doc)} |"
        )
    return lines


def _table_lines(t: schema.Table) -> list[str]:
    lines = [
        "",
        f"## {t.zh}（`{t.name}`）",
        "",
        t.doc,
        "",
        f"- 文件：`{t.name}.csv` 或 `{t.name}.xlsx`；{'必需' if t.required else '可缺省'}",
    ]
    if t.date_column:
        lines.append(
            f"- 按期间统计时使用的日期列：`{t.date_column}`；该列最晚的日期即本表数据的覆盖截止日期"
        )
    for combo in t.unique_together:
        names = "、".join(t.column(n).zh for n in combo)
        lines.append(f"- 组合唯一：{names}（{', '.join(f'`{n}`' for n in combo)}）")
    for rule in t.rules:
        lines.append(f"- 跨列规则（{RULE_KIND_ZH[rule.kind]}）：{rule.zh}")
    lines += [
        "",
        "| 列名 | 中文名 | 类型 | 可为空 | 别名 | 取值要求与说明 |",
        "|---|---|---|---|---|---|",
    ]
    for c in t.columns:
        aliases = "、".join(c.aliases) if c.aliases else "—"
        notes = _column_notes(t, c) or "—"
        lines.append(
            f"| `{c.name}` | {_cell(c.zh)} | {DTYPE_ZH[c.dtype]} | "
            f"{'是' if c.nullable else '否'} | {_cell(aliases)} | {_cell(notes)} |"
        )
    return lines


def render() -> str:
    """The whole data dictionary as Markdown."""
    lines = _intro_lines() + _overview_lines()
    for t in schema.TABLES.values():
        lines += _table_lines(t)
    return "\n".join(lines) + "\n"


def write(path: str | Path | None = None) -> Path:
    path = OUTPUT if path is None else Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render().encode("utf-8"))
    return path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = write(argv[0] if argv else None)
    print(f"已生成数据字典：{path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
