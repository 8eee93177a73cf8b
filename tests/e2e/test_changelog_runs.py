"""The version in the footer of a real briefing."""

from __future__ import annotations

import re
import tomllib

from analysis.settings import config

PYPROJECT = config.PROJ_ROOT / "pyproject.toml"


def project_version() -> str:
    with open(PYPROJECT, "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def test_briefing_footer_shows_the_version(built_briefing):
    """In the analyst edition's provenance: leaders' edition carries no program version."""
    from analysis.folder import ANALYST_HTML

    html = (built_briefing.parent / ANALYST_HTML).read_text(encoding="utf-8")
    assert re.search(rf"analysis {re.escape(project_version())}[+<\s]", html)
