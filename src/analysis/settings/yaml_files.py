"""The project's YAML reader: every configuration file is read by ``read_yaml``, so every
fault ends in one Chinese message naming the file and the line (``config_fault``), and the
data read remember the line of each key for the checks that follow (``line_at``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from analysis.errors import ConfigError
from analysis.settings import config


class LineDict(dict):
    """A YAML mapping that remembers the line (as an editor shows it) of each key."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: dict[Any, int] = {}


class LineList(list):
    """A YAML sequence that remembers the line of each item."""

    def __init__(self, *args):
        super().__init__(*args)
        self.lines: list[int] = []


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records lines and refuses duplicate keys (a later key would
    silently replace an earlier one)."""


class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """_LineLoader on libyaml when PyYAML has it (~10x faster). Its messages differ in
    wording, so a file it refuses is parsed again by _LineLoader for the message."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            duplicate = key in out
        except TypeError:
            raise _YamlFault(line, "键不能是列表或映射") from None
        if duplicate:
            raise _YamlFault(line, f"键“{key}”重复（第 {out.lines[key]} 行已出现）")
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = line
    return out


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.lines = [child.start_mark.line + 1 for child in node.value]
    return out


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class _YamlFault(Exception):
    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line = line
        self.reason = reason


# PyYAML's most common complaints, in the words an analyst can act on.
_YAML_PROBLEMS = {
    "found character '\\t'": "含有制表符（TAB），YAML 只能用空格缩进",
    "mapping values are not allowed": "此处不应出现“名称: 值”，多半是缩进不对或冒号后少了空格",
    "could not find expected ':'": "缺少冒号“:”，或上一行的缩进不对",
    "expected <block end>": "缩进不对齐",
    "did not find expected key": "缩进不对齐",
    "did not find expected '-' indicator": "列表项（“- ”）的缩进不对齐",
    "found unexpected end of stream": "引号或括号没有闭合",
    "found undefined alias": "引用了未定义的锚点（*…）",
    "expected ',' or ']'": "方括号 [ … ] 没有闭合，或其中的项之间缺少逗号",
    "expected ',' or '}'": "花括号 { … } 没有闭合，或其中的项之间缺少逗号",
}


def _yaml_reason(err: yaml.YAMLError) -> str:
    problem = str(getattr(err, "problem", "") or err)
    for marker, zh in _YAML_PROBLEMS.items():
        if marker in problem:
            return zh
    return f"YAML 格式错误（{problem}）"


def shown_path(path: str | Path) -> str:
    """A file's path as the analyst finds it: relative to the project folder when inside it
    (data/config/…), else in full; a plain label (no folder) is shown as given."""
    path = Path(path)
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(config.PROJ_ROOT).as_posix()
    except ValueError:
        return str(path)


def config_fault(path: str | Path, reason: str, line: int | None = None) -> ConfigError:
    """A ConfigError whose message names the file (and line) the analyst must fix."""
    where = f"配置文件 {shown_path(path)}" + (f" 第 {line} 行" if line else "")
    return ConfigError(f"{where}：{reason}")


def line_at(data: Any, *at: Any) -> int | None:
    """The line of the key or item at data path ``at`` (keys and list positions from the
    top) in data read by ``read_yaml``, else of its nearest ancestor that has one; None for
    data not read from a file.

    >>> doc = parse_yaml("a:\\n  - x\\n  - y: 1\\n", "example.yaml")
    >>> line_at(doc, "a", 1, "y"), line_at(doc, "a", 1, "no_such_key"), line_at({"a": 1}, "a")
    (3, 3, None)
    """
    found = None
    for key in at:
        lines = getattr(data, "lines", None)
        if isinstance(lines, dict) and key in lines:
            found = lines[key]
        elif isinstance(lines, list) and isinstance(key, int) and 0 <= key < len(lines):
            found = lines[key]
        else:
            break
        data = data[key]
    return found


class ConfigProblems:
    """The problems found in one configuration file, each with the line of the offending key
    or item; ``raise_any`` reports them all at once as one ConfigError."""

    def __init__(self, path: str | Path, data: Any = None):
        self.path = path
        self.data = data
        self.found: list[tuple[int | None, str]] = []

    def add(self, reason: str, at: tuple = ()) -> None:
        """Record ``reason`` at data path ``at`` (see ``line_at``)."""
        self.found.append((line_at(self.data, *at), reason))

    def raise_any(self) -> None:
        if len(self.found) == 1:
            raise config_fault(self.path, self.found[0][1], self.found[0][0])
        if self.found:
            in_file_order = sorted(self.found, key=lambda found: found[0] or 1 << 30)
            items = (f"第 {line} 行：{why}" if line else why for line, why in in_file_order)
            numbered = "\n".join(f"  {k}. {item}" for k, item in enumerate(items, 1))
            head = f"配置文件 {shown_path(self.path)} 有 {len(self.found)} 处问题"
            raise ConfigError(f"{head}：\n{numbered}")


def _read_text(path: Path) -> str:
    if not config.CONFIG_DIR.is_dir() and path.is_relative_to(config.CONFIG_DIR):
        config.check_config_dir()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise config_fault(path, "文件不存在") from None
    except IsADirectoryError:
        raise config_fault(path, "应为文件，实际是文件夹") from None
    except PermissionError:
        raise config_fault(path, "没有读取权限") from None
    except OSError as err:
        raise config_fault(path, f"无法读取（{err.strerror}）") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise config_fault(
            path, "不是 UTF-8 编码（可能以 GBK 保存），请用“UTF-8”编码另存", line
        ) from None


def read_yaml(path: str | Path) -> Any:
    """Parse a YAML file (UTF-8, with or without BOM). Mappings and lists come back as
    LineDict/LineList, which remember their lines for validation messages. Any fault
    raises ConfigError naming the file and, for a syntax error, the line."""
    return parse_yaml(_read_text(Path(path)), path)


def parse_yaml(text: str, path: str | Path) -> Any:
    """``read_yaml`` of text already read from ``path`` (named in the messages)."""
    try:
        return yaml.load(text, Loader=_FastLineLoader)  # noqa: S506 - a SafeLoader subclass
    except (_YamlFault, yaml.YAMLError):
        pass
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except _YamlFault as err:
        raise config_fault(path, err.reason, err.line) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise config_fault(path, _yaml_reason(err), line) from None
