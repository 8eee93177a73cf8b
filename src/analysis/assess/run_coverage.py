"""Whether a briefing's period is covered by the data, table by table (the pre-flight check
and the batch plan call ``RunCoverage.apply`` for each briefing).

- With a declared extraction date (``assess.vintage``): coverage is what is declared; a
  quiet month is a quiet month unless the table's own history makes it a gap.
- Without one: the last record's month decides for the headline table (as before, and the
  refusal suggests DATA_AS_OF), and every other table is judged by its history, so one
  stray record of a later month no longer lets a period through.

A table whose current window is not covered refuses the period unless ALLOW_PARTIAL=1; the
briefing then states how far the table reaches. A comparison window that is not covered is
not refused: its figures say "数据不完整，无法同比" (``assess.comparability``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from analysis.assess.coverage import Coverage
from analysis.assess.table_coverage import TableHistory, histories_of, judge
from analysis.assess.vintage import Vintage
from analysis.errors import ParameterError
from analysis.inputs import schema
from analysis.settings.params import KIND_MONTHS, RunParams

DATA_AS_OF_ADVICE = (
    "如果该月确实无事发生（数据已提取到该月之后），请声明数据提取日期："
    "make report … DATA_AS_OF=年-月-日，或在数据目录 MANIFEST.yaml 中写 extracted: 年-月-日。"
)


@dataclass(frozen=True)
class RunCoverage:
    """What the loaded data cover: the last-record rule (``legacy``), each table's history
    and the declared vintage; ``tables`` are the tables whose figures the briefing shows."""

    legacy: Coverage
    histories: dict[str, TableHistory]
    vintage: Vintage
    files: dict[str, str]

    @classmethod
    def of(cls, loaded, district: str, vintage: Vintage, tables_used) -> RunCoverage:
        histories = histories_of(loaded.tables, tables_used, district, vintage)
        return cls(Coverage.of(loaded), histories, vintage, {f.table: f.name for f in loaded.files})

    def judgement(self, params: RunParams, shown):
        return judge(self.histories, params.period_end, KIND_MONTHS.get(params.kind, 1), shown)

    def apply(self, params: RunParams, shown=("同比",)) -> RunParams:
        """``params`` when every table covers the period; with ``coverage`` (table, date
        the data reach) when the analyst allowed a partial period; else ParameterError."""
        if not self.vintage.declared:
            try:
                params = self.legacy.apply(params)
            except ParameterError as err:
                raise ParameterError(f"{err}{DATA_AS_OF_ADVICE}") from None
        behind = self.judgement(params, shown).current
        if not behind:
            return params
        if not params.allow_partial:
            raise ParameterError(self._refusal(params, behind))
        pairs = dict(params.coverage)
        for table in behind:
            h = self.histories[table]
            reach = min(h.last_date, h.through).isoformat()
            pairs[table] = min(pairs.get(table, reach), reach)
        return dataclasses.replace(params, coverage=tuple(sorted(pairs.items())))

    def _refusal(self, params: RunParams, behind: dict[str, str]) -> str:
        lines = "；".join(
            f"{schema.TABLES[t].zh}（{self.files.get(t, t)}）{why}" for t, why in behind.items()
        )
        advice = "" if self.vintage.declared else DATA_AS_OF_ADVICE
        return (
            f"期间“{params.period}”的数据不完整：{lines}。按不完整的数据计算的累计数和同比会误导"
            f"读者。请补齐数据或选择数据已覆盖的期间；{advice}如确需出具，请加 ALLOW_PARTIAL=1"
            f"（命令行 --allow-partial），简报会注明各表数据截止日期。"
        )


def vintage_date(vintage: Vintage, tables):
    """The latest declared extraction date of ``tables`` (for the sentence "以上数据截至…，
    可能因事故迟报、核销等原因有所变动"); None when nothing is declared."""
    dates = [d for t in tables if (d := vintage.of(t)) is not None]
    return max(dates) if dates else None
