"""Load the input tables and validate them against the data contract (analysis.inputs.schema).

Public API
----------
- ``load_table(path, table, ...) -> (DataFrame, list[Problem])``: one file, single-file checks.
- ``load_tables(data_dir, strict=True, today=None, ...) -> LoadResult``: every table of the
  contract found in ``data_dir``, plus cross-table references; strict mode raises
  ``DataValidationError`` listing every problem, lenient mode drops invalid rows and keeps
  them in ``LoadResult.rejects``. ``LoadResult.coverage`` / ``LoadResult.last_date(table)``
  give each dated table's first and last record date.
- ``empty_frame(table)``: an empty DataFrame with the contract's columns and dtypes.

Modules: ``read`` (bytes → text cells, CSV structure), ``headers`` (header matching),
``chars`` (refused characters), ``parse`` (typed values), ``validate`` (single-file phases),
``load`` (file discovery, references, the folder), ``results`` (FileInfo, LoadResult).

Files are ``<table>.csv`` (UTF-8 with or without BOM, or GB18030/GBK) or ``<table>.xlsx``;
name and extension are matched case-insensitively (``Incidents.CSV``). Anything else in a
data file's place (a folder, FIFO, device, broken symlink or symlink loop, an unreadable
file, two candidate files) is refused naming the path, never taken as a missing table.
Headers may be the canonical English name, the Chinese name (``zh``), an alias, or a header
mapped in data/config/column_map.yaml. A title row above the header (often merged across the
columns) and a two-row header (a merged group cell above sub-headers) are detected.

Row numbers in problems are the ones the analyst sees: the Excel row for xlsx, the line in a
text editor for CSV (the line where the record starts; header = 1 when there is no title).

Policy (see docs/assumptions.md):
- Row-level problems (a bad cell, a value outside the contract's range, a control or
  invisible character, a row with too many or too few fields, a duplicate id, a broken
  reference, a cross-column rule): strict mode raises; lenient mode drops the row and lists
  it in ``rejects``.
- File-level problems (unreadable file, unrecognised encoding, quotes that merge records,
  empty file, missing column, a header with invisible characters, missing required file,
  header-only required file) cannot be fixed by dropping rows: they raise in both modes.
  Unknown extra columns raise in strict mode; lenient mode ignores the column and lists it
  in ``rejects`` (行号 empty).
- A header-only file is a valid empty table for optional tables, an error for required ones.
"""

from importlib import import_module

# The public names and the module each lives in; imported on first use (PEP 562), so that
# the light modules of this package (schema, fingerprint) never pull in pandas.
_EXPORTS = {
    "EARLIEST_DATE": "parse",
    "MANIFEST_FILE": "load",
    "REJECT_COLUMNS": "results",
    "SYNTHETIC_MARKER": "load",
    "Coverage": "results",
    "FileInfo": "results",
    "LoadResult": "results",
    "empty_frame": "parse",
    "header_lookup": "headers",
    "load_table": "load",
    "load_tables": "load",
    "path_problem": "load",
    "read_column_map": "headers",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
