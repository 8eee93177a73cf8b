"""Fixed facts of the second, fictional sample: 示例城区, a city-centre district (2022–2024).

Everything here is made up (合成数据): the district, its six 街道 and every record. The
district exists only in data/config/units.yaml so that the sample loads and reconciles."""

from __future__ import annotations

from datetime import date

CITY_SEED = 20241231
CITY_DISTRICT = "示例城区"
CITY_START = date(2022, 1, 1)
CITY_END = date(2024, 12, 31)
CITY_COMMAND = "python -m analysis.tools.sample_data --district city"

# share of the district's records per 街道 (the old town centre has the most)
STREET_WEIGHTS = {
    "青桐街道": 22,
    "云锦街道": 19,
    "望溪街道": 17,
    "松岚街道": 15,
    "明澜街道": 14,
    "栖梧街道": 13,
}

# expected records per month before the seasonal factor
MONTHLY_MEAN = {"生产安全事故": 3.0, "火灾": 18.0, "火警": 32.0, "道路交通事故": 9.0}
# fires and fire alarms: most in winter and around the Spring Festival, fewest in summer
FIRE_SEASON = {
    1: 1.45, 2: 1.6, 3: 1.2, 4: 1.0, 5: 0.9, 6: 0.75,
    7: 0.7, 8: 0.72, 9: 0.85, 10: 0.95, 11: 1.1, 12: 1.3,
}  # fmt: skip
# work accidents: building sites slow down over the Spring Festival, busiest in summer
WORK_SEASON = {1: 0.8, 2: 0.5, 6: 1.15, 7: 1.25, 8: 1.2}
ROAD_SEASON = {2: 0.9, 12: 1.1}  # road accidents: fairly flat over the year
YEAR_TREND = {2022: 1.05, 2023: 1.0, 2024: 0.95}
SEASON = {
    "生产安全事故": WORK_SEASON,
    "火灾": FIRE_SEASON,
    "火警": FIRE_SEASON,
    "道路交通事故": ROAD_SEASON,
}

ID_PREFIX = {"生产安全事故": "SG", "火灾": "HZ", "火警": "HJ", "道路交通事故": "JT"}
INDUSTRY_WEIGHTS = {
    "生产安全事故": {"建筑施工": 40, "社会服务": 20, "工贸": 15, "物流仓储": 10, "特种设备": 10,
                "城镇燃气": 5},
    "火灾": {"消防": 50, "社会服务": 30, "工贸": 10, "物流仓储": 5, "教育": 5},
    "火警": {"消防": 70, "社会服务": 25, "教育": 5},
    "道路交通事故": {"道路运输": 1},
}  # fmt: skip
KINDS = {
    "建筑施工": ("高处坠落", "物体打击", "坍塌", "起重伤害"),
    "社会服务": ("高处坠落", "触电", "其他伤害"),
    "工贸": ("机械伤害", "物体打击", "触电"),
    "物流仓储": ("车辆伤害", "物体打击"),
    "特种设备": ("起重伤害", "车辆伤害"),
    "城镇燃气": ("其他爆炸", "中毒和窒息"),
    "火灾": ("电气火灾", "用火不慎", "遗留火种", "自燃", "其他"),
    "火警": ("电气线路故障", "烹饪油烟", "垃圾杂物起火", "误报", "其他"),
    "道路交通事故": ("机动车碰撞", "机动车与非机动车碰撞", "机动车与行人碰撞", "单车事故"),
}

N_ENTERPRISES = 240  # units the hazards were found at (no roster is shipped with the sample)
HAZARD_INDUSTRIES = {"社会服务": 30, "消防": 20, "建筑施工": 15, "工贸": 12, "城镇燃气": 8,
                     "教育": 8, "物流仓储": 7}  # fmt: skip
HAZARDS_PER_MONTH = 22.0
HAZARD_SEASON = {3: 1.3, 4: 1.2, 9: 1.2, 11: 1.3, 12: 1.2, 2: 0.6}  # spring and pre-festival checks
GENERAL_HAZARDS = (
    "消防通道堵塞",
    "电动自行车室内充电",
    "电气线路私拉乱接",
    "灭火器失效或配置不足",
    "疏散指示标志缺失",
    "燃气报警装置未安装",
    "脚手架搭设不规范",
    "应急预案未演练",
)
MAJOR_HAZARDS = (
    "人员密集场所安全出口被封堵",
    "“三合一”场所人员住宿与经营场所未分隔",
    "餐饮场所燃气管道泄漏未整改",
    "高层建筑自动消防设施停用",
)
