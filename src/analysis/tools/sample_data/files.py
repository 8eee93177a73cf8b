"""Writing a sample: UTF-8-with-BOM CSVs with canonical headers, MANIFEST.yaml, SYNTHETIC."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from analysis.inputs import schema
from analysis.tools.sample_data.tools import Row


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_csv_bytes(table: schema.Table, rows: Sequence[Row]) -> bytes:
    """UTF-8 with BOM (Excel opens it correctly), LF line ends, canonical English headers;
    an optional column (e.g. 统计口径) only when a row fills it."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    columns = [
        c.name
        for c in table.columns
        if not c.optional or any(r.get(c.name) is not None for r in rows)
    ]
    writer.writerow(columns)
    for r in rows:
        writer.writerow([_cell(r.get(c)) for c in columns])
    return buf.getvalue().encode("utf-8-sig")


def csv_files(tables: dict[str, list[Row]]) -> dict[str, bytes]:
    """File name → CSV bytes for every table, in the order given."""
    return {f"{name}.csv": to_csv_bytes(schema.TABLES[name], rows) for name, rows in tables.items()}


def manifest_file_lines(files: dict[str, bytes], rows: dict[str, int]) -> list[str]:
    """The ``files:`` section of a MANIFEST.yaml: table name, row count and sha256 per file."""
    lines = ["files:"]
    for name, data in files.items():
        table = name.removesuffix(".csv")
        lines += [
            f"  {name}:",
            f"    table_zh: {schema.TABLES[table].zh}",
            f"    rows: {rows[table]}",
            f"    sha256: {hashlib.sha256(data).hexdigest()}",
        ]
    return lines


def write_folder(out_dir: Path, files: dict[str, bytes], texts: dict[str, str]) -> list[Path]:
    """Write the data files, then the text files (manifest, marker); return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        path = out_dir / name
        path.write_bytes(data)
        written.append(path)
    for name, text in texts.items():
        path = out_dir / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written
