"""HTML fragments of the briefing, rendered with Jinja2 (autoescaped: data never becomes markup)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from analysis.settings import config


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader([config.TEMPLATES_DIR / "fragments", config.TEMPLATES_DIR]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
