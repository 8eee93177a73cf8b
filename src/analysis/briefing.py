"""The briefing's table of contents: load → validate → compute → write, then one method per
section that the notebook displays. Notebooks call this module and hold no logic."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from IPython.display import HTML

from analysis import narrative
from analysis.params import RunParams, resolve_params
from analysis.render import render

run_params = resolve_params


@dataclass
class Briefing:
    params: RunParams
    title: str
    extras: dict = field(default_factory=dict)

    def header(self) -> HTML:
        return HTML(render("header.html.j2", b=self))


def prepare(params: RunParams, output_dir: str | Path | None = None) -> Briefing:
    """Everything the briefing shows, computed once."""
    return Briefing(params=params, title=narrative.briefing_title(params))
