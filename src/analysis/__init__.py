"""District production-safety (安全生产) indicators, gap analysis and HTML briefings."""

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "zhonglou-safety-briefing"  # the import package is `analysis`

try:
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
