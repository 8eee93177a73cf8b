"""Fixed facts of the 钟楼区 2020 sample (seed report to 2020-10-31): seed, dates, names."""

from __future__ import annotations

from datetime import date

SEED = 20201031
DISTRICT = "钟楼区"
START = date(2019, 1, 1)
END = date(2020, 10, 31)
OUTREACH_AS_OF = date(2020, 10, 23)
EMERGENCY = "区应急管理局"
NO_FEB = {2: 0.2}  # 2020-02: few activities (COVID-19)

TOWN_WEIGHTS = {  # 邹区镇: the big industrial town with the logistics park
    "邹区镇": 34,
    "北港街道": 10,
    "西林街道": 10,
    "南大街街道": 6,
    "荷花池街道": 9,
    "新闸街道": 11,
    "五星街道": 10,
    "永红街道": 10,
}
