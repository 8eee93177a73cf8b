"""The briefing's Chinese sentences, read from one wording file (data/config/wording.yaml).

A sentence names its figures by indicator id (``{accidents}``, ``{accidents.同比}``) and
other values by Chinese name (``{单位}``). Each number a sentence shows is wrapped in
``<span class="fig" data-indicator="…" data-kind="…">`` so a test can check it against
indicators.csv. A part in ``[…]`` is left out when a figure in it is missing; the whole
sentence is left out when a figure outside brackets is missing or its ``when`` fails.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from analysis.errors import ConfigError
from analysis.settings import config
from analysis.settings.district import district_dir
from analysis.settings.yaml_files import config_fault, line_at, parse_yaml

WORDING_FILE_NAME = "wording.yaml"
# {id.同比} etc.; {id.累计} is a period briefing's year-to-date value beside the period's
CHANGE_KINDS = {
    "同比": "yoy",
    "比前年": "yoy2",
    "环比": "mom",
    "累计": "ytd",
    "累计同比": "ytd_yoy",
}
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_CONDITION = re.compile(r"^\s*([a-z0-9_]+)\s*(==|!=|>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$")
_OPERATORS = {
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}


def wording_file() -> Path:
    return config.CONFIG_DIR / WORDING_FILE_NAME


class Figures:
    """One unit's indicator values, by id, as sentences and tables show them. A change
    whose comparison the district does not show (``comparisons``) is missing, so the
    sentence part that holds it is left out."""

    def __init__(
        self,
        rows: Iterable[Mapping],
        comparisons: Iterable[str] = ("同比", "环比"),
        notes: Mapping[str, str] | None = None,
    ):
        self._rows = {row["id"]: row for row in rows}
        self._kinds = {CHANGE_KINDS[c] for c in comparisons}
        self._notes = dict(notes or {})  # id → e.g. "数据截至2020年10月25日" (partial data)

    def known(self, ind: str) -> bool:
        return ind in self._rows

    def has(self, ind: str) -> bool:
        row = self._rows.get(ind)
        return row is not None and bool(row["applicable"]) and not _missing(row["value"])

    def value(self, ind: str) -> float:
        return float(self._rows[ind]["value"]) if self.has(ind) else math.nan

    def row(self, ind: str) -> Mapping:
        return self._rows[ind]

    def text(self, ind: str) -> str:
        """The value as the tables show it, e.g. '9起', '88.5%'; '—' when missing."""
        return str(self._rows[ind]["value_text"]) if self.has(ind) else "—"

    def change(self, ind: str, kind: str = "yoy") -> str:
        row = self._rows.get(ind)
        if row is None or not self.has(ind) or kind not in self._kinds:
            return ""
        text = row.get(f"{kind}_text")
        return "" if _missing(text) else str(text)

    def span(self, ind: str, kind: str = "value") -> Markup | None:
        """The value (or its change) for a sentence, marked with its indicator id."""
        text = self.text(ind) if kind == "value" and self.has(ind) else ""
        if kind != "value":
            text = self.change(ind, kind)
        if not text:
            return None
        span = Markup('<span class="fig" data-indicator="{}" data-kind="{}">{}</span>').format(
            ind, kind, text
        )
        if kind == "value" and ind in self._notes:
            # the note (数据截至…, 含初步数) follows the figure, outside its span, so the span
            # still equals the indicator table's text
            span += Markup("（{}）").format(self._notes[ind])
        return span


def _missing(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class Sentence:
    text: str
    when: tuple[str, ...]
    line: int  # line of the wording file, for error messages


@dataclass(frozen=True)
class Wording:
    """The parsed wording file: sentence lists by section and labels by key."""

    path: Path
    paragraphs: Mapping[str, tuple[Sentence, ...]]
    highlights: Mapping[str, tuple[Sentence, ...]]
    appendix: Mapping[str, tuple[Sentence, ...]]
    labels: Mapping[str, str]

    def label(self, key: str, context: Mapping[str, object] | None = None) -> str:
        if key not in self.labels:
            raise ConfigError(f"{self.path.name}：labels 中没有“{key}”")
        return str(_fill(self.labels[key], None, context or {}, self, 0) or "")

    def render(
        self,
        sentences: Iterable[Sentence],
        figures: Figures | None,
        context: Mapping[str, object],
    ) -> Markup:
        """The sentences whose figures are all there, joined into one paragraph's text."""
        out = Markup("")
        for s in sentences:
            text = render_sentence(s, figures, context, self)
            if text is not None:
                out += text
        return out


def render_sentence(
    s: Sentence, figures: Figures | None, context: Mapping[str, object], wording: Wording
) -> Markup | None:
    if not all(_holds(c, figures, s.line, wording) for c in s.when):
        return None
    out, pos = Markup(""), 0
    for m in _OPTIONAL.finditer(s.text):
        before = _fill(s.text[pos : m.start()], figures, context, wording, s.line)
        if before is None:
            return None
        out += before
        out += _fill(m.group(1), figures, context, wording, s.line) or ""
        pos = m.end()
    rest = _fill(s.text[pos:], figures, context, wording, s.line)
    return None if rest is None else out + rest


def _fill(
    text: str,
    figures: Figures | None,
    context: Mapping[str, object],
    wording: Wording,
    line: int,
) -> Markup | None:
    """``text`` with its placeholders filled; None when one of them is missing."""
    out, pos = Markup(""), 0
    for m in _PLACEHOLDER.finditer(text):
        value = _resolve(m.group(1).strip(), figures, context, wording, line)
        if value is None:
            return None
        out += escape(text[pos : m.start()]) + value
        pos = m.end()
    return out + escape(text[pos:])


def _resolve(name: str, figures, context, wording: Wording, line: int) -> Markup | None:
    if name in context:
        value = context[name]
        return None if _missing(value) else escape(value)
    ind, _, kind = name.partition(".")
    if figures is None or not figures.known(ind) or (kind and kind not in CHANGE_KINDS):
        raise ConfigError(f"{wording.path.name} 第 {line} 行：未知的名称“{{{name}}}”")
    return figures.span(ind, CHANGE_KINDS.get(kind, "value"))


def _holds(condition: str, figures: Figures | None, line: int, wording: Wording) -> bool:
    m = _CONDITION.match(condition)
    if not m or figures is None or not figures.known(m.group(1)):
        raise ConfigError(
            f"{wording.path.name} 第 {line} 行：条件“{condition}”无效，"
            "应写成“指标编号 比较符 数字”，例如 major_hazards_open > 0"
        )
    ind, op, number = m.groups()
    return figures.has(ind) and _OPERATORS[op](figures.value(ind), float(number))


# ---------------------------------------------------------------- reading the file


def _sentences(data, key: str, name: str, path: Path) -> tuple[Sentence, ...]:
    items = data[key][name]
    where = f"{key}.{name}"
    if not isinstance(items, list):
        raise config_fault(path, f"“{where}”应是句子列表", line_at(data, key, name))
    out = []
    for pos, item in enumerate(items):
        line = line_at(data, key, name, pos) or 0
        if isinstance(item, str):
            text, when = item, ()
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            text = item["text"]
            raw_when = item.get("when") or ()
            when = (raw_when,) if isinstance(raw_when, str) else tuple(str(c) for c in raw_when)
        else:
            reason = f"“{where}”中的句子应是文字，或含 text 和 when 的项"
            raise config_fault(path, reason, line)
        out.append(Sentence(text, when, line))
    return tuple(out)


def parse_wording(raw: str, path: Path) -> Wording:
    """The wording file's text, read with the project's one YAML reader (lines kept)."""
    data = parse_yaml(raw, path) or {}
    if not isinstance(data, dict):
        raise config_fault(path, "应是 paragraphs / highlights / appendix / labels 的映射")
    groups = {}
    for key in ("paragraphs", "highlights", "appendix"):
        section = data.get(key) or {}
        if not isinstance(section, dict):
            reason = f"“{key}”应是“名称: 句子列表”的映射"
            raise config_fault(path, reason, line_at(data, key))
        groups[key] = {name: _sentences(data, key, name, path) for name in section}
    labels = {str(k): str(v) for k, v in (data.get("labels") or {}).items()}
    return Wording(path, groups["paragraphs"], groups["highlights"], groups["appendix"], labels)


@config.read_on_first_use
def load_wording(path: Path | None = None, district: str | None = None) -> Wording:
    """The wording file (read once per process); with ``district``, that district's own
    wording (districts/<区>/wording.yaml, same form) over it: a paragraph, point, appendix
    sentence list or label given there replaces the shared one for that district only."""
    path = Path(path or wording_file())
    if not path.is_file():
        raise ConfigError(
            f"找不到简报措辞文件 {path}（应在配置目录中，见 data/config/wording.yaml）"
        )
    shared = parse_wording(path.read_text(encoding="utf-8"), path)
    own = district_dir(district) / WORDING_FILE_NAME if district else None
    if own is None or not own.is_file():
        return shared
    mine = parse_wording(own.read_text(encoding="utf-8"), own)
    return Wording(
        own,
        {**shared.paragraphs, **mine.paragraphs},
        {**shared.highlights, **mine.highlights},
        {**shared.appendix, **mine.appendix},
        {**shared.labels, **mine.labels},
    )
