"""Generate docs/数据字典.md (Chinese) from the data contract (analysis.inputs.schema.TABLES).

Usage: ``python -m analysis.tools.data_dictionary [OUTPUT]``. The committed file must equal a fresh
generation (tests/unit/tools/test_data_dictionary.py), so edit schema.py, never the Markdown.
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.inputs import schema
from analysis.settings import config, reference_data

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
    notes = ["可选列（文件可以没有这一列；没有或整列不填即本区数据不区分）"] if col.optional else []
    if col.allowed:
        notes.append("允许值：" + "、".join(col.allowed))
    if col.vocabulary:
        notes.append(_vocabulary_note(col.vocabulary, schema.allowed_for(col)))
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


def _vocabulary_note(key: str, shared: tuple[str, ...]) -> str:
    """The shared list of a reference-list column, where it is kept, and (for industries
    and incident categories) that a district may add its own."""
    note = f"允许值：{'、'.join(shared)}（名单在 data/config/reference.yaml 的 `{key}`"
    if key in reference_data.DISTRICT_LISTS:
        note += (
            f"；各区可在 data/config/districts/<区>/{reference_data.DISTRICT_REFERENCE_FILE_NAME}"
            " 中新增，只对该区的数据有效"
        )
    return note + "）"


def _intro_lines() -> list[str]:
    """Title and the rules common to every table."""
    return [
        "# 数据字典",
        "",
        "<!-- 本文件由 `python -m analysis.tools.data_dictionary` 根据 "
        "src/analysis/inputs/schema.py 自动生成，请勿手工修改。 -->",
        "",
        "本文件说明简报所用的每张输入表、每一列的含义、类型和取值要求（数据约定）。"
        "数据文件放在数据目录（默认 `data/sample/`）中，文件名为 `<表名>.csv` 或 `<表名>.xlsx`"
        "（表名可用英文名或中文名，见“表一览”）。",
        "",
        "## 通用规则",
        "",
        *_file_rules(),
        *_value_rules(),
    ]


def _file_rules() -> list[str]:
    """Which files and sheets are read, and what is said about the others."""
    return [
        "- **文件名**：英文表名或中文表名均可（`cases.csv` 或 `立案处罚.csv`），"
        "不区分大小写和全角/半角；第二次下载的副本（`cases (1).csv`、`cases - 副本.csv`）"
        "和 Windows 隐藏了扩展名的文件（`incidents.csv.xlsx`）也按该表读取。"
        "同一张表有两个候选文件时报错并列出两者，请只保留一个。",
        "- **文件格式**：按文件内容判断，而不只看扩展名。文本：`.csv`（逗号分隔）、"
        "`.txt`/`.tsv`（制表符分隔的文本导出也可），UTF-8（带或不带 BOM）、GBK/GB18030 编码，"
        "或 Excel“Unicode 文本”的 UTF-16（带 BOM）；"
        "工作簿：`.xlsx`、`.xlsm`（不运行宏）、WPS 保存为 xlsx 格式的 `.et`。"
        "旧版 `.xls`、WPS 二进制 `.et`、设置了打开密码的工作簿、实际是工作簿的 `.csv`"
        "（或实际是文本的 `.xlsx`）、损坏或不完整的工作簿都会报错并说明怎么做。",
        "- **数据目录中的每个文件**都会被读取或在提示中点名："
        "文件名不对应任何表的文件（如说明文档）、Excel 临时文件（`~$` 开头）列为“未读取”，"
        "并说明原因；该表位置上的文件夹、命名管道、失效或循环的符号链接、无读取权限的文件报错并给出路径。",
        "- **工作表**：工作簿中表头与该表相符的每个工作表都会读取并合并"
        "（如每个镇街或每年一个工作表），跨工作表的重复编号照常报错，"
        "提示中写明工作表和 Excel 行号；"
        "说明页、空白页等未读取的工作表逐个列出。各工作表的列须一致。",
        "- **表头**：可用英文列名、中文列名或下表所列别名，前后空格和全角/半角括号不影响识别；"
        "本局业务系统导出的其他表头可在 `data/config/column_map.yaml` 中登记。"
        "表头可在前 51 行内的任意一行（上方可有标题、说明行），两行表头（分组合并单元格 + 子表头）"
        "可自动识别；找不到表头时提示查找过的行数。",
        "- **示例数据**：`data/sample/` 中的 CSV 为合成数据（非真实台账），"
        "使用英文列名作表头、UTF-8 带 BOM 编码，可直接用 Excel 打开。",
    ]


def _value_rules() -> list[str]:
    """How cells are read and checked."""
    return [
        "- **日期**：可写作 `2020-10-31`、`2020/10/31`、`2020.10.31`、`20201031` 或"
        " `2020年10月31日`，可带时刻（`2020-10-25 14:30`，只取日期），Excel 中也可直接使用"
        "日期或日期时间单元格；`10/31/2020` 这类月日次序不明的写法不接受。",
        "- **数字**：可带千位分隔符（`1,200.5`），全角数字（`１２`）按显示的数读取；"
        "单位写在表头，不写在单元格里（`3人` 会提示去掉单位）。",
        "- **合计、小计行**：数据中只放逐条记录；表末的“合计”“小计”行会被指出并要求删除，"
        "简报自己合计。",
        "- **空白的写法**：日期、数字、是/否列中系统导出的 `NULL`、`/`、`-`、`—`、`无`、`N/A`"
        " 按空白读取，并在提示中说明每列有几个（必填列仍报“必填项为空”）；"
        "文字列中的“无”照原样保留。"
        "CSV 中的 Excel 错误值（`#N/A`、`#DIV/0!` 等）报“单元格为错误值”。",
        "- **是/否**：可写作 是/否、true/false、TRUE/FALSE、1/0。",
        "- **Excel 单元格按显示读取**：设为百分比格式、显示 90% 的单元格读作 90，"
        "只允许出现在单位为 % 的指标中（如专项整治进展“单位”为 %），其他位置报错；"
        "错误值（#DIV/0!、#N/A 等）报“单元格为错误值”；没有计算结果的公式"
        "报“公式未计算：请在 Excel 中打开并保存”；数据区里上下合并的单元格按显示的值"
        "逐行读取（并提示），左右跨列合并的单元格报错并给出范围。",
        "- **金额单位**：金额列以万元保存。表头须写明单位（`直接经济损失（万元）`、"
        "`直接经济损失（元）`、`罚款金额（元）`，也可用千元、百万元、亿元），按单位换算；"
        "没有单位的表头（`直接经济损失`、`罚款金额`）须在 `data/config/column_map.yaml`"
        "或数据目录的 `MANIFEST.yaml` 中声明（`units: {直接经济损失: 元}`），否则报错。"
        "仅凭直接经济损失即达到“特别重大”、而死亡和重伤人数都在“一般”范围的事故视为金额不合理"
        "（多为单位错误）而报错；仅凭损失达到“较大”“重大”的事故列入提示，请核对单位。",
        "- **行号**：校验问题中的行号为 Excel 中看到的行号（表头为第 1 行，第一行数据为第 2 行；"
        "有标题行时相应顺延），并写明工作表；CSV 文件为文本编辑器中该条记录起始的行号"
        "（单元格内有换行时二者可能不同）。",
        '- **CSV 结构**：每条记录一行，字段数与表头一致；单元格中的引号须写成两个引号（""），'
        "或把整个单元格用引号括起来。引号未配对导致多行被并成一条记录、某行字段多于或少于表头时，"
        "报告所涉及的行号；单元格超过 131,072 个字符时报告长度上限。"
        "UTF-8 文件中夹有 GBK 编码的行时报告这些行的行号。",
        "- **数值范围**：每个数值列都有合理范围（见下表“取值要求”），超出范围的值视为错误"
        "（宽松模式下剔除该行并计入剔除清单）。",
        "- **不可见字符**：任何单元格和表头都不得含有控制字符（如 NUL、Ctrl-Z）或不可见字符"
        "（零宽空格 U+200B、重复的 BOM U+FEFF、双向控制符 U+202A–U+202E、U+2066–U+2069、"
        "韩文填充符 U+3164、变体选择符 U+FE0F 等）；提示信息中以 `\\x1a（Ctrl-Z 文件结束符）`、"
        "`U+3164（韩文填充符，显示为空白）` 的形式写出这些字符。",
        "- **必需的表**："
        + "、".join(f"{t.zh}（`{t.name}`）" for t in schema.TABLES.values() if t.required)
        + "。必需的表缺少文件或只有表头时报错；其余的表可以缺省："
        "简报不含只依赖这些表的部分，数据质量附件将其列为“未提供”。",
        "- **数据提取日期**：数据目录的 `MANIFEST.yaml` 中写 `extracted: 2021-12-05`"
        "（各表提取日期不同时写成“表名: 日期”的映射，表名可用英文或中文），或运行时给出 "
        "`DATA_AS_OF=2021-12-05`（优先）。声明后各表的数据视为覆盖到该日：当月没有记录就是"
        "“未发生”，简报注明“以上数据截至……”；日期晚于声明日期的记录是错误。",
        "- **严格模式**（默认）发现任何问题即停止并列出全部问题；**宽松模式**剔除有问题的行，"
        "写入剔除清单（文件、行号、列、值、原因）后继续。无法读取的文件、缺列、编码错误、"
        "金额单位不明等文件级问题在两种模式下都会报错。",
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
        f"- 文件：`{t.name}.csv`、`{t.name}.xlsx` 或 `{t.zh}.csv`、`{t.zh}.xlsx`"
        f"（另可 .txt、.tsv、.xlsm、.et）；{'必需' if t.required else '可缺省'}",
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
