"""Byte-identical Office files: the same inputs give the same .xlsx/.docx bytes.

openpyxl and python-docx stamp the save time into ``docProps/core.xml`` and into every
zip entry's header. Both are replaced by a fixed moment derived from the data (the end of
the reporting period), so a rerun changes nothing unless the data did.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from analysis import folder

_CORE = "docProps/core.xml"
_CORE_DATES = re.compile(
    r"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)"
)
DEFAULT_STAMP = datetime(2000, 1, 1)


def run_stamp(out_dir: Path) -> datetime:
    """Midnight of the run's period end (统计截至 in indicators.csv); a fixed date when the
    run wrote no indicators."""
    try:
        with open(Path(out_dir) / folder.INDICATORS_CSV, encoding="utf-8-sig", newline="") as fh:
            first = next(csv.DictReader(fh), None) or {}
        return datetime.strptime(first.get("统计截至", "")[:10], "%Y-%m-%d")
    except (OSError, ValueError):
        return DEFAULT_STAMP


def stable_zip(
    data: bytes,
    stamp: datetime,
    patches: Mapping[str, Callable[[bytes], bytes]] | None = None,
) -> bytes:
    """``data`` (an OOXML zip) rewritten with ``stamp`` as every entry's time and as the
    document's created/modified dates; ``patches`` maps an entry name to a function that
    rewrites its content. Entries keep their order."""
    patches = patches or {}
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename in patches:
                content = patches[entry.filename](content)
            if entry.filename == _CORE:
                text = _CORE_DATES.sub(rf"\g<1>{when}\g<2>", content.decode("utf-8"))
                content = text.encode("utf-8")
            info = zipfile.ZipInfo(entry.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, content)
    return out.getvalue()
