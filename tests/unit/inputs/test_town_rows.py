"""A town's rows: its own where the table has a town column, all rows of shared tables."""

import pandas as pd

from analysis.inputs.town_rows import rows_of_town, tables_of_town


def test_a_town_keeps_its_own_rows_and_every_row_of_shared_tables():
    incidents = pd.DataFrame({"town": ["甲镇", "乙街道", None, "甲镇"], "n": [1, 2, 3, 4]})
    meetings = pd.DataFrame({"body": ["区委常委会", "区政府常务会议"]})
    own = tables_of_town({"incidents": incidents, "meetings": meetings}, "甲镇")
    assert own["incidents"]["n"].tolist() == [1, 4]
    assert own["meetings"].equals(meetings)


def test_the_district_keeps_every_row():
    incidents = pd.DataFrame({"town": ["甲镇", None], "n": [1, 2]})
    for whole in (None, ""):
        assert rows_of_town(incidents, whole)["n"].tolist() == [1, 2]


def test_a_town_with_no_rows_gets_an_empty_table_with_the_columns():
    incidents = pd.DataFrame({"town": ["甲镇"], "n": [1]})
    none = rows_of_town(incidents, "丙镇")
    assert none.empty and list(none.columns) == ["town", "n"]
