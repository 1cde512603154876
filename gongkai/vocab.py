"""Fixed vocabularies of the domain."""

from __future__ import annotations

# gov.cn's 22 top-level 主题分类; second levels are written 父类\子类.
GOV_CN_TOPICS: list[str] = [
    "国务院组织机构",
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
]

# 更新频率 -> the longest gap, in days, before a column counts as overdue
# (None: no fixed period, judged by other rules).
FREQUENCIES: dict[str, int | None] = {
    "实时更新": 20,
    "及时更新": 30,
    "每日更新": 2,
    "每周更新": 10,
    "每月更新": 31,
    "月度更新": 31,
    "每季度更新": 92,
    "季度更新": 92,
    "每半年更新": 183,
    "半年更新": 183,
    "每年更新": 366,
    "年度更新": 366,
    "长期": None,
    "长期公开": None,
    "不定期更新": None,
    "按需更新": None,
}


def normalize_frequency(text: str) -> str:
    """The vocabulary's word for an 更新频率 as people write it (每季度, 季度, 每月 …), or "" when it is none:
    one reading for the importer and the catalogue alike."""
    t = "".join(text.split())
    for candidate in (t, t + "更新", "每" + t, "每" + t + "更新"):
        if candidate in FREQUENCIES:
            return candidate
    return ""
