"""The briefing folder's contract: the name of every file a run writes into
``outputs/<区>/<期间>[/<镇街>]/``, in one place. Every stage that writes or reads one of
these files takes its name from here."""

from __future__ import annotations

BRIEFING_HTML = "briefing.html"  # the leader edition: mailed, printed to PDF, made into Word
ANALYST_HTML = "核对与附表.html"  # the analyst edition beside it (analysis.deliver.editions)
EXECUTED_NOTEBOOK = "briefing.ipynb"  # the notebook as it ran, outputs included
FAILED_NOTEBOOK = "briefing.failed.ipynb"  # kept beside the last good briefing on failure
EMAIL = "briefing.eml"
PDF = "briefing.pdf"
DOCX = "briefing.docx"
XLSX = "briefing.xlsx"
SUMMARY = "summary.json"  # headline figures and target counts, for the index page
FINGERPRINT = ".fingerprint.json"  # what the briefing was made from (batch freshness)
INDEX = "index.html"  # a batch's index page, at the output root

# The tables, as UTF-8 CSV with BOM (Excel opens them directly).
INDICATORS_CSV = "indicators.csv"
GAPS_CSV = "gaps.csv"
GAP_REGISTER_CSV = "gap_register.csv"
RECONCILIATION_CSV = "reconciliation.csv"
BY_TOWN_CSV = "by_town.csv"
BY_INDUSTRY_CSV = "by_industry.csv"
DATA_QUALITY_CSV = "data_quality.csv"  # per input file: rows read and rejected, encoding
DATA_NOTICES_CSV = "data_notices.csv"  # files and sheets not read (only when there are some)
REJECTS_CSV = "rejects.csv"  # lenient runs only

# Files a run produces; anything else in a briefing folder (a district's town folders, an
# analyst's notes) is carried over when the folder is replaced.
PRODUCED_NAMES = frozenset(
    {
        BRIEFING_HTML,
        ANALYST_HTML,
        EXECUTED_NOTEBOOK,
        EMAIL,
        FAILED_NOTEBOOK,
        SUMMARY,
        PDF,
        DOCX,
        XLSX,
    }
)
PRODUCED_SUFFIXES = frozenset({".csv", ".xlsx"})
