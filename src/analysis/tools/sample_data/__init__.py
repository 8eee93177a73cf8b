"""Deterministic generators of the SYNTHETIC sample data (合成数据，非真实台账).

Two samples, each byte-identical on every run (fixed seeds):

- ``data/sample/`` — 钟楼区 to 2020-10-31, generated backwards from the seed report so that
  its section 一 is reproduced exactly (``generate``, ``write_sample_data``; module
  ``zhonglou``). Its published_figures.csv is maintained by hand.
- ``data/sample_city/`` — 示例城区, a fictional city-centre district with 6 街道, monthly
  2022-01..2024-12, incidents (生产安全事故, 火灾, 火警, 道路交通事故) and hazards only, with
  published monthly bulletins computed from its records (``generate_city``,
  ``write_city_sample``; modules ``city``, ``city_bulletins``).

Usage::

    python -m analysis.tools.sample_data                    # 钟楼区 → data/sample/
    python -m analysis.tools.sample_data --district city    # 示例城区 → data/sample_city/
    python -m analysis.tools.sample_data [--district …] OUT_DIR

Output: one UTF-8-with-BOM CSV per table with the canonical English column names as headers
(docs/数据字典.md gives the Chinese names; the loader also accepts Chinese headers), plus
``MANIFEST.yaml`` and a ``SYNTHETIC`` marker file.
"""

from analysis.tools.sample_data.city import (
    CITY_DIR,
    generate_city,
    generate_city_with_figures,
    write_city_sample,
)
from analysis.tools.sample_data.city_facts import CITY_DISTRICT, CITY_SEED
from analysis.tools.sample_data.cli import main
from analysis.tools.sample_data.files import to_csv_bytes
from analysis.tools.sample_data.zhonglou import generate, write_sample_data
from analysis.tools.sample_data.zhonglou_facts import SEED

__all__ = [
    "CITY_DIR",
    "CITY_DISTRICT",
    "CITY_SEED",
    "SEED",
    "generate",
    "generate_city",
    "generate_city_with_figures",
    "main",
    "to_csv_bytes",
    "write_city_sample",
    "write_sample_data",
]
