"""How a district's bulletins word changes, beyond rounding and decimals (district.yaml):

- ``small_counts_below``: a count whose base is below this is worded as a difference,
  "同比增加1起", not "同比上升100%" (national bulletins do so for small counts); 0 = never.
- ``bracketed_bases``: print the base after a change, "同比上升55.56%（上年同期18起）".
- ``trailing_zeros``: false prints "44%" and "1.5个百分点" where the decimals would give
  "44.00%" and "1.50个百分点".
"""

from __future__ import annotations

from dataclasses import dataclass

OPTION_KEYS = ("small_counts_below", "bracketed_bases", "trailing_zeros")


@dataclass(frozen=True)
class TextOptions:
    small_counts_below: int = 10
    bracketed_bases: bool = False
    trailing_zeros: bool = True


def text_options(value: dict, fault) -> TextOptions:
    """The options from merged settings (``value``); ``fault(key, reason)`` makes the
    ConfigError naming the file and line the key came from."""
    below = value["small_counts_below"]
    if not (isinstance(below, int) and not isinstance(below, bool) and 0 <= below <= 1000):
        raise fault("small_counts_below", f"应为 0 到 1000 的整数（0 = 不用），实际为“{below}”")
    for key in ("bracketed_bases", "trailing_zeros"):
        if not isinstance(value[key], bool):
            raise fault(key, f"应为 true 或 false，实际为“{value[key]}”")
    return TextOptions(below, value["bracketed_bases"], value["trailing_zeros"])
