"""Text printed to the analyst's terminal: escape sequences and control characters from data
or configuration are shown visibly (never executed by the terminal), long values shortened."""

from __future__ import annotations

import re
import unicodedata

# ANSI/VT escape sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), other ESC x;
# also their 8-bit forms (U+009B CSI, U+009D OSC).
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[@-Z\\-_]?"
)
MAX_VALUE = 80  # characters of a quoted value (“…”) shown in full
MAX_LINE = 1000  # characters of one message line shown in the terminal
_QUOTED = re.compile(r"“([^”\n]{" + str(MAX_VALUE + 1) + r",})”")


def _visible(char: str) -> str:
    """A control or invisible format character written as an escape the analyst can read."""
    if char == "\t":
        return " "
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"U+{code:04X}"


def has_hidden_characters(text: str) -> bool:
    """Control characters, or invisible format characters such as U+200B and the bidi
    controls U+202A–U+202E/U+2066–U+2069 that can visually reorder digits."""
    return any(unicodedata.category(c) in ("Cc", "Cf") for c in text)


def _shorten(match: re.Match) -> str:
    value = match.group(1)
    return f"“{value[: MAX_VALUE - 20]}……（共 {len(value)} 字）”"


def for_terminal(message: str, max_line: int = MAX_LINE) -> str:
    """``message`` safe to print: escape sequences removed, other control and format
    characters shown as ``\\x00``/``U+202E``, quoted values (“…”) longer than MAX_VALUE
    and lines longer than ``max_line`` shortened."""
    text = _QUOTED.sub(_shorten, _ESCAPES.sub("", str(message)))
    lines = []
    for line in text.split("\n"):
        shown = "".join(_visible(c) if unicodedata.category(c) in ("Cc", "Cf") else c for c in line)
        if len(shown) > max_line:
            shown = f"{shown[: max_line - 20]}……（此行共 {len(shown)} 字，已截断）"
        lines.append(shown)
    return "\n".join(lines)
