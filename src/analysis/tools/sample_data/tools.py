"""Random building blocks shared by the sample-data generators (one seeded ``random.Random``
per generator, so every file is byte-identical on every run)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

Row = dict[str, object]


def money(x: float) -> str:
    """A sum of money in 万元 with two decimals, as the CSV carries it."""
    return f"{x:.2f}"


def number_rows(rows: list[Row], column: str, key: Callable[[Row], tuple], width: int) -> None:
    """Number sorted rows per key: ``column`` = "<key parts>-<n>" ("YH-2020-00001")."""
    counters: Counter = Counter()
    for r in rows:
        k = key(r)
        counters[k] += 1
        r[column] = "-".join((*map(str, k), f"{counters[k]:0{width}d}"))


def months(start: date, end: date) -> list[tuple[int, int]]:
    """(year, month) of every month from ``start`` to ``end``."""
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_end(year: int, month: int) -> date:
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return nxt - timedelta(days=1)


class RandomTools:
    """Draws from one seeded generator: splits, working days, any days."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def split(self, total: int, n: int, minimum: int = 1, spread: float = 0.7) -> list[int]:
        """n positive integers >= minimum summing exactly to total, randomly uneven."""
        rest = total - n * minimum
        if n <= 0 or rest < 0:
            raise ValueError(f"cannot split {total} into {n} parts of at least {minimum}")
        weights = [self.rng.uniform(1 - spread, 1 + spread) for _ in range(n)]
        wsum = sum(weights)
        raw = [rest * w / wsum for w in weights]
        parts = [int(r) for r in raw]
        order = sorted(range(n), key=lambda i: (parts[i] - raw[i], i))
        for i in order[: rest - sum(parts)]:
            parts[i] += 1
        return [p + minimum for p in parts]

    def workdays(self, start: date, end: date, k: int, month_weights=None) -> list[date]:
        """k random working days (Mon–Fri) in [start, end], sorted."""
        days = [start + timedelta(i) for i in range((end - start).days + 1)]
        days = [d for d in days if d.weekday() < 5]
        weights = [(month_weights or {}).get(d.month, 1.0) for d in days]
        return sorted(self.rng.choices(days, weights, k=k))

    def adjust_to_sum(self, values: list[int], target: int, hi: int) -> list[int]:
        """Nudge random entries by ±1 (within 0..hi) until they sum to target."""
        values = list(values)
        total = sum(values)
        n = len(values)
        while total != target:
            i = self.rng.randrange(n)
            if total > target and values[i] > 0:
                values[i] -= 1
                total -= 1
            elif total < target and values[i] < hi:
                values[i] += 1
                total += 1
        return values

    def _dates(self, k: int, start: date, end: date, month_weights=None) -> list[date]:
        """k random working days in [start, end], in random order."""
        out = self.workdays(start, end, k, month_weights)
        self.rng.shuffle(out)
        return out

    def _any_days(self, k: int, start: date, end: date, month_weights=None) -> list[date]:
        """k random calendar days in [start, end] (weekends included), unsorted."""
        days = [start + timedelta(i) for i in range((end - start).days + 1)]
        weights = [(month_weights or {}).get(d.month, 1.0) for d in days]
        return self.rng.choices(days, weights, k=k)
