"""District production-safety (安全生产) indicators, gap analysis and HTML briefings."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("analysis")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
