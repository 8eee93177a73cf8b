"""The two editions of the sample briefing: what each carries (the runs)."""

from __future__ import annotations

import re

import pytest

from analysis.folder import ANALYST_HTML, BRIEFING_HTML

HEX_DIGEST = re.compile(r"\b[0-9a-f]{16,64}\b")


ENCODINGS = re.compile(r"UTF-8|GB18030|GBK|GB2312|utf-8-sig|编码", re.IGNORECASE)


@pytest.fixture(scope="module")
def editions(built_briefing):
    folder = built_briefing.parent
    assert built_briefing.name == BRIEFING_HTML
    leader = (folder / BRIEFING_HTML).read_text(encoding="utf-8")
    analyst = (folder / ANALYST_HTML).read_text(encoding="utf-8")
    return _body_text(leader), _body_text(analyst), analyst


def _body_text(page: str) -> str:
    """What a reader sees: the page without its <head> (title, stylesheet) and tags."""
    return re.sub(r"<[^>]+>", " ", page[page.index("<body") :])


def test_analyst_edition_carries_all_of_it(editions, built_briefing):
    _, analyst, page = editions
    import pandas as pd

    recon = pd.read_csv(built_briefing.parent / "reconciliation.csv", encoding="utf-8-sig")
    assert page.count('class="verdict-一致"') == len(recon)  # every reconciliation row
    assert "重算值" in analyst
    assert HEX_DIGEST.search(analyst)  # the input files' SHA-256
    assert ENCODINGS.search(analyst)
    assert "程序版本" in analyst
    assert f'href="{BRIEFING_HTML}"' in page  # back to the briefing


def test_leader_edition_carries_no_checking_work(editions):
    leader, _, _ = editions
    body = leader
    assert "重算值" not in body and "在可接受范围" not in body  # no reconciliation rows
    assert not HEX_DIGEST.search(body), HEX_DIGEST.search(body)
    assert not ENCODINGS.search(body), ENCODINGS.search(body)
    assert "程序版本" not in body and "SHA-256" not in body
