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


# 公开渠道和载体: the 13 fixed values of the 基层政务公开标准目录 tables.
CHANNELS: list[str] = [
    "政府网站", "政府公报", "两微一端", "发布会/听证会", "广播电视", "纸质媒体", "公开查阅点", "政务服务中心",
    "便民服务站", "入户/现场", "社区/企事业单位/村公示栏（电子屏）", "精准推送", "其他",
]
# how tables also write them -> the fixed value
CHANNEL_SYNONYMS: dict[str, str] = {
    "政务新媒体": "两微一端", "微博": "两微一端", "微信": "两微一端", "政务微博": "两微一端", "政务微信": "两微一端",
    "新闻发布会": "发布会/听证会", "政策吹风会": "发布会/听证会", "发布会": "发布会/听证会", "听证会": "发布会/听证会",
    "广播": "广播电视", "电视": "广播电视", "报纸": "纸质媒体", "报刊": "纸质媒体", "公开查阅场所": "公开查阅点",
    "便民服务点": "便民服务站", "便民服务中心": "便民服务站", "入户": "入户/现场", "现场": "入户/现场",
    "信息公告栏": "社区/企事业单位/村公示栏（电子屏）", "公示栏": "社区/企事业单位/村公示栏（电子屏）",
    "社区/企事业单位/村公示栏(电子屏)": "社区/企事业单位/村公示栏（电子屏）",
    "门户网站": "政府网站", "政府门户网站": "政府网站", "政府服务中心": "政务服务中心",
}
AUDIENCES = ("全社会", "特定群体")
MODES = ("主动", "依申请")
# the column classes of 国办秘函〔2019〕19号 (`inspect_as` in columns.yml)
INSPECTION_CLASSES = ("动态要闻", "通知公告", "政策文件", "人事", "规划计划", "其他")

# 《政府信息公开条例》第二十条: the fifteen items of 主动公开, short names for lists (item number = index + 1)
ART20_ITEMS: list[str] = [
    "行政法规、规章和规范性文件", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    "国民经济和社会发展规划、专项规划、区域规划及相关政策", "国民经济和社会发展统计信息",
    "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    "实施行政处罚、行政强制的依据、条件、程序以及具有一定社会影响的行政处罚决定", "财政预算、决算信息",
    "行政事业性收费项目及其依据、标准", "政府集中采购项目的目录、标准及实施情况", "重大建设项目的批准和实施情况",
    "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况", "突发公共事件的应急预案、预警信息及应对情况",
    "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况", "公务员招考的职位、名额、报考条件等事项以及录用结果",
    "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
]
_CN_NUMBERS = "一二三四五六七八九十"


def art20_label(n: int) -> str:
    """第二十条第（十一）项."""
    cn = _CN_NUMBERS[n - 1] if n <= 10 else "十" + _CN_NUMBERS[n - 11]
    return f"第二十条第（{cn}）项"
