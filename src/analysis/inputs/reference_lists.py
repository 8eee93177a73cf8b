"""The reference lists one validation checks values against: the shared lists of
data/config/reference.yaml and what each configured district adds in its own
districts/<区>/reference.yaml (``analysis.settings.reference_data``), read once per load.

A row's industry or incident category is checked against the list of the row's own
district, so a name one district added is refused for another district's rows, with a
message that says which list applies and whose addition the name is. ``digest`` is part of
the validated-table cache's key: editing any list makes earlier results stale.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.settings import config, reference_data
from analysis.settings.yaml_files import shown_path

# joins a district and a value into one key, as validate.check_units does for towns
SEPARATOR = "\x1f"


@dataclass(frozen=True)
class ReferenceLists:
    """Each reference list's shared names, and each configured district's additions."""

    shared: dict[str, tuple[str, ...]]  # list (industries, …) → shared names
    added: dict[str, dict[str, tuple[str, ...]]]  # district → list → names it adds
    districts: frozenset[str] = frozenset()  # the configured districts (units.yaml)

    def allowed(self, key: str, district: str | None) -> tuple[str, ...]:
        """The names of list ``key`` a row of ``district`` may use (unconfigured or None:
        the shared list)."""
        return self.shared[key] + self.added.get(district or "", {}).get(key, ())

    def district_pairs(self, key: str) -> list[str]:
        """“district␟name” for every name a district added to ``key``."""
        return [
            f"{district}{SEPARATOR}{name}"
            for district, lists in self.added.items()
            for name in lists.get(key, ())
        ]

    def owners(self, key: str, name: str) -> list[str]:
        """The districts that added ``name`` to list ``key``."""
        return [d for d, lists in self.added.items() if name in lists.get(key, ())]

    def reason(self, key: str, district: str | None, value: str) -> str:
        """Why ``value`` is refused for a row of ``district`` (Chinese): which list applies,
        its names, and whose addition the value is when another district added it."""
        zh = reference_data.LIST_ZH[key]
        which = f"{shown_path(config.REFERENCE_FILE)} 的 {key}"
        own = self.added.get(district or "", {}).get(key, ())
        if own:
            own_file = shown_path(reference_data.district_reference_file(district))
            which += f"，加 {own_file} 新增的 {'、'.join(own)}"
        whose = f"{district}适用的" if district in self.districts else "共用的"
        allowed = "、".join(self.allowed(key, district))
        why = f"取值不在允许范围内（{whose}{zh}：{which}；允许：{allowed}）"
        owners = self.owners(key, value)
        if owners:
            files = "、".join(shown_path(reference_data.district_reference_file(d)) for d in owners)
            who = "、".join(owners)
            why += f"；“{value}”是{who}新增的{zh}（{files}），只适用于{who}的数据"
        return why

    def digest(self) -> str:
        """A digest of every list and addition (part of the table cache's key)."""
        lists = [self.shared, self.added, sorted(self.districts)]
        text = json.dumps(lists, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def reference_lists(districts: Iterable[str]) -> ReferenceLists:
    """The shared lists and the additions of each of ``districts`` (the configured ones,
    units.yaml), read now (cached until ``forget_settings``)."""
    shared = {key: reference_data.names(key) for key in reference_data.NAME_LISTS}
    districts = frozenset(districts)
    added = {}
    for district in sorted(districts):
        own = reference_data.district_additions(district)
        if own:
            added[district] = dict(own)
    return ReferenceLists(shared, added, districts)
