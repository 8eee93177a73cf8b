"""YAML configuration read with the line of every key, so that a validation problem found
after parsing can still name the line an analyst has to fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from analysis.errors import ConfigError

DUPLICATE = "__duplicate__"  # first element of the path of a repeated mapping key


def node_lines(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict:
    """Line (1-based) of every mapping key and sequence item, by its path in the data; a
    repeated key is also recorded under (DUPLICATE, *path).

    >>> node_lines(yaml.compose("a:\\n  - x\\n  - y: 1\\n"))[("a", 1, "y")]
    3
    """
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (*path, str(key_node.value))
            if key in out:
                out[(DUPLICATE, *key)] = key_node.start_mark.line + 1
            out[key] = key_node.start_mark.line + 1
            node_lines(value_node, key, out)
    elif isinstance(node, yaml.SequenceNode):
        for k, item in enumerate(node.value):
            node_lines(item, (*path, k), out)
    return out


def line_of(lines: dict[tuple, int], path: tuple) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one.

    >>> line_of({("a",): 1, ("a", 0): 2}, ("a", 0, "missing_key"))
    2
    """
    return next((lines[path[:k]] for k in range(len(path), 0, -1) if path[:k] in lines), None)


def read_yaml_with_lines(path: Path, what: str) -> tuple[Any, dict[tuple, int]]:
    """The parsed file and the line of each data path. A file that is not UTF-8 YAML raises
    ConfigError naming ``what`` (e.g. "指标目录"), the file and the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{what} {path.name} 不是 UTF-8 编码，请用 UTF-8 保存") from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"第{mark.line + 1}行" if mark is not None else ""
        raise ConfigError(
            f"{what} {path.name} {where}不是有效的 YAML：{exc.problem or exc}"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{what} {path.name} 不是有效的 YAML：{exc}") from None
    finally:
        loader.dispose()
    return data, (node_lines(node) if node is not None else {})
