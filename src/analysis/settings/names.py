"""Names that become folder names: district and town names are checked where they are read.

A district or town name is a folder of every briefing (``OUT/<区>/<期间>/<镇>``), so it may
not move a path (``..``, ``/``, an absolute path), hide it (a leading ``.``), look like one of
the files a briefing folder holds (``briefing.html``), or fail on disk or on the Windows
share the briefings are copied to (``:``, ``?``, a device name such as ``CON``, a name too
long for the file system). ``name_problem`` says why in Chinese; the configuration reader
adds the file and the line. ``briefing_folder`` builds a briefing's folder only under the
output root, and checks it there after resolving symbolic links.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from analysis.errors import OutputError

# Bytes of UTF-8 on disk (a file system allows 255 per name): 32 hanzi, room to spare for
# the suffixes of temporary names and for the whole path on a Windows share.
MAX_NAME_BYTES = 96
FORBIDDEN_CHARACTERS = '/\\:*?"<>|'
# Control, format (U+200B, bidi controls), surrogate, private-use, unassigned characters,
# and the line and paragraph separators U+2028/U+2029.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)}
)
_FILE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def name_problem(name: object) -> str | None:
    """Why ``name`` cannot be a folder name, in Chinese; None when it can.

    >>> name_problem("邹区镇") is None
    True
    >>> name_problem("../逃逸")
    '含有“/”，名称会成为文件夹名，不能含 / \\\\ : * ? " < > | 这些字符'
    >>> name_problem("..")
    '不能以“.”开头（“.”“..”表示文件夹本身和上一级，“.”开头的文件夹是隐藏的）'
    """
    if not isinstance(name, str) or not name.strip():
        return "应为非空文字（缩进不对也会造成此问题）"
    hidden = [c for c in name if unicodedata.category(c) in HIDDEN_CATEGORIES]
    if hidden:
        shown = "、".join(f"U+{ord(c):04X}" for c in dict.fromkeys(hidden))
        return f"含有控制字符、看不见的字符或文字方向控制符（{shown}）"
    bad = [c for c in FORBIDDEN_CHARACTERS if c in name]
    if bad:
        listed = " ".join(FORBIDDEN_CHARACTERS)
        return f"含有“{bad[0]}”，名称会成为文件夹名，不能含 {listed} 这些字符"
    if name != name.strip():
        return "首尾不能有空格"
    if name.startswith("."):
        return "不能以“.”开头（“.”“..”表示文件夹本身和上一级，“.”开头的文件夹是隐藏的）"
    if name.endswith(".") or _FILE_SUFFIX.search(name):
        return "不能以“.”或“.html”这样的扩展名结尾（会与简报文件夹中的文件混淆）"
    if name.split(".")[0].upper() in _DEVICE_NAMES:
        return f"“{name}”是 Windows 保留的设备名，不能作文件夹名"
    size = len(name.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        return f"过长（{size} 字节，最多 {MAX_NAME_BYTES} 字节，约 {MAX_NAME_BYTES // 3} 个汉字）"
    return None


def briefing_folder(out_root: str | Path, parts: Sequence[str]) -> Path:
    """``out_root/<parts…>``, the folder of one briefing: every part a valid folder name,
    and the folder, after resolving symbolic links, inside the resolved ``out_root``.
    Raises OutputError (Chinese) otherwise; nothing is created."""
    root = Path(out_root)
    for part in parts:
        problem = name_problem(part)
        if problem:
            raise OutputError(f"输出文件夹名“{part}”无效：{problem}")
    folder = root.joinpath(*parts)
    resolved_root = root.resolve()
    resolved = folder.resolve()
    if not resolved.is_relative_to(resolved_root):
        raise OutputError(
            f"输出位置 {folder} 实际指向 {resolved}，不在输出根目录 {resolved_root} 之内"
            "（多半是其中某个文件夹是指向别处的符号链接），未写入任何文件"
        )
    return folder


def relative_url(parts: Sequence[str]) -> str:
    """A link relative to the output root, from checked folder names (``name_problem``)
    and a file name: every part percent-encoded (``:`` too), so that no scheme such as
    ``javascript:`` can ever begin the link, and ``#``, ``%`` or ``?`` stay in the path.

    >>> relative_url(["钟楼区", "2020-10", "甲#镇", "briefing.html"])
    '%E9%92%9F%E6%A5%BC%E5%8C%BA/2020-10/%E7%94%B2%23%E9%95%87/briefing.html'
    """
    for part in parts[:-1]:
        problem = name_problem(part)
        if problem:
            raise OutputError(f"链接中的文件夹名“{part}”无效：{problem}")
    return "/".join(quote(part, safe="") for part in parts)
