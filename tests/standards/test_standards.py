"""The national 标准目录 shipped in gongkai/standards: each file validates, its row count equals the count recorded
from its source, its rows are the ones transcribed (id, 一级/二级事项, 公开时限), and a broken file is refused with
every problem at its line."""

from __future__ import annotations

from pathlib import Path

from gongkai.errors import Problems
from gongkai.frequency import Interval
from gongkai.standards import FILES, HERE, PREFIXES, available, load_standard, local_subject, read_standard

# row by row as transcribed from the copies cited in each file (source.copies)
SHEHUI_JIUZHU = [
    ("shjz-01", 1, "综合业务", "政策法规文件"),
    ("shjz-02", 2, "综合业务", "监督检查"),
    ("shjz-03", 3, "最低生活保障", "政策法规文件"),
    ("shjz-04", 4, "最低生活保障", "办事指南"),
    ("shjz-05", 5, "最低生活保障", "审核信息"),
    ("shjz-06", 6, "最低生活保障", "审批信息"),
    ("shjz-07", 7, "特困人员救助供养", "政策法规文件"),
    ("shjz-08", 8, "特困人员救助供养", "办事指南"),
    ("shjz-09", 9, "特困人员救助供养", "审核信息"),
    ("shjz-10", 10, "特困人员救助供养", "审批信息"),
    ("shjz-11", 11, "临时救助", "政策法规文件"),
    ("shjz-12", 12, "临时救助", "办事指南"),
    ("shjz-13", 13, "临时救助", "审核审批信息"),
]
YANGLAO_FUWU = [
    ("ylfw-01", 1, "养老服务通用政策", "国家和地方层面养老服务相关法律、法规、政策文件"),
    ("ylfw-02", 2, "养老服务通用政策", "养老服务扶持政策措施清单"),
    ("ylfw-03", 3, "养老服务通用政策", "养老机构投资指南"),
    ("ylfw-04", 4, "养老服务业务办理", "养老机构备案"),
    ("ylfw-05", 5, "养老服务业务办理", "养老服务扶持补贴"),
    ("ylfw-06", 6, "养老服务业务办理", "老年人补贴"),
]
JIUZAI = [
    ("jz-01", 1, "政策文件", "法律法规"),
    ("jz-02", 2, "政策文件", "部门和地方规章"),
    ("jz-03", 3, "政策文件", "其他政策文件"),
    ("jz-04", 4, "政策文件", "标准"),
    ("jz-05", 5, "政策文件", "重大决策草案"),
    ("jz-06", 6, "政策文件", "重大政策解读及回应"),
    ("jz-07", None, "备灾管理", "综合减灾示范社区"),  # seen in two excerpts, its place in the table not
]
# each standard's issuing document, as its copies name it
SOURCES = {
    "社会救助": ("民办函〔2019〕52号", "2019-04-30"),
    "养老服务": ("民办函〔2019〕52号", "2019-04-30"),
    "救灾": ("应急厅函〔2019〕390号", "2019-05-30"),
}


def load(domain: str):
    problems = Problems()
    std = load_standard(domain, problems)
    assert problems.items == [], [p.format() for p in problems.items]
    assert std is not None
    return std


def test_every_shipped_file_is_listed_and_validates():
    assert sorted(p.name for p in HERE.glob("*.yml")) == sorted(FILES.values())
    assert available() == ["社会救助", "养老服务", "救灾"]
    for domain in available():
        std = load(domain)
        assert std.domain == domain
        assert all(i.id.startswith(PREFIXES[domain] + "-") for i in std.items)
        assert (std.number, str(std.date)) == SOURCES[domain]
        assert all(c.url.startswith("http") for c in std.copies)


def test_shehui_jiuzhu_has_the_13_rows_of_its_source_in_order():
    std = load("社会救助")
    assert std.rows == 13 and len(std.items) == std.rows and std.complete
    assert [(i.id, i.row, i.level1, i.level2) for i in std.items] == SHEHUI_JIUZHU
    # every row's 公开时限 is read as event-driven, 10 working days (审核信息 adds a 7-working-day 公示)
    assert {(i.schedule.event, i.schedule.within.count, i.schedule.within.unit) for i in std.items
            if i.schedule.within} == {(True, 10, "workday")}
    assert std.item("shjz-05").deadline == "制定或获取信息之日起10个工作日内，公示7个工作日"
    assert std.item("shjz-13").content == "●支出型临时救助对象名单 ●救助金额 ●救助事由"


def test_yanglao_fuwu_is_a_partial_transcription_and_says_so():
    std = load("养老服务")
    assert std.rows is None and std.rows_seen == 6 == len(std.items) and not std.complete
    assert [(i.id, i.row, i.level1, i.level2) for i in std.items] == YANGLAO_FUWU
    assert "未能核对" in std.rows_note
    # rows 4 and 5 are numbered in 海丰县's copy; row 6 follows them in 富源县's excerpt
    assert {"haifeng"} <= set(std.item("ylfw-04").read_from) and "haifeng" in std.item("ylfw-05").read_from
    assert std.item("ylfw-06").unseen == ["subject"] and "wugang" in std.item("ylfw-06").read_from


def test_jiuzai_is_a_partial_transcription_of_the_emergency_ministry_table():
    std = load("救灾")
    assert std.document == "应急管理部办公厅关于印发安全生产和救灾领域基层政务公开标准目录指引的通知"
    assert std.rows is None and std.rows_seen == 7 == len(std.items) and not std.complete
    assert [(i.id, i.row, i.level1, i.level2) for i in std.items] == JIUZAI
    # 20 working days for the documents; the two decision rows are published "in time", read as event-driven
    assert {i.id for i in std.items if i.schedule.within == Interval(20, "workday")} == \
        {"jz-01", "jz-02", "jz-03", "jz-04", "jz-07"}
    assert all(std.item(i).schedule.event for i in ("jz-05", "jz-06"))
    assert std.item("jz-04").level == ["县级"]  # 南海区's copy names only the district bureau for 标准
    assert all(i.unseen and i.note for i in std.items)  # every row has a cell no copy showed


def test_cells_no_copy_showed_are_listed_with_the_row_they_follow():
    std = load("社会救助")
    guessed = {i.id: i.unseen for i in std.items if i.unseen}
    assert guessed == {
        "shjz-04": ["channels"], "shjz-05": ["basis"], "shjz-06": ["basis"], "shjz-08": ["channels"],
        "shjz-09": ["deadline", "subject", "channels"],
        "shjz-10": ["content", "basis", "deadline", "subject", "channels", "audience", "mode", "level"],
        "shjz-13": ["channels", "audience", "mode", "level"],
    }
    assert all(std.item(i).note for i in guessed)
    assert std.item("shjz-10").read_from == []  # no stored copy showed row 10
    keys = {c.key for c in std.copies}
    assert all(set(i.read_from) <= keys for i in std.items)


def test_the_bureau_takes_the_place_of_the_county_civil_affairs_department():
    item = load("社会救助").item("shjz-01")
    assert local_subject(item, "示例市民政局") == "示例市民政局、乡镇人民政府（街道办事处）"


def test_an_unknown_domain():
    problems = Problems()
    assert load_standard("安全生产", problems) is None
    assert "没有「安全生产」领域的标准目录" in problems.errors[0].message


BROKEN = """\
domain: 测试
title: 测试领域基层政务公开标准目录
source:
  document: 测试通知
  number: 测试〔2019〕1号
  date: 2019-04-30
  rows: 3
  copies:
    - {key: a, title: 副本甲, url: "https://example.gov.cn/a.html", rows_seen: 1—2}
items:
  - id: cs-01
    row: 1
    level1: 综合
    level2: 政策
    content: 政策文件
    basis: 信息公开规定
    deadline: 制定或获取信息之日起10个工作日内
    subject: 县级人民政府民政部门
    channels: [政府网站, 微信公众号]
    audience: 全社会
    mode: 主动
    level: [县级]
    read_from: [a]
  - id: cs-01
    row: 3
    level1: 综合
    level2: 监督
    content: 投诉电话
    basis: 信息公开规定
    deadline: 尽快
    subject: 县级人民政府民政部门
    channels: [政府网站]
    audience: 全体
    mode: 主动
    level: [县级]
    read_from: [b]
    unseen: [content, colour]
"""


def test_a_broken_file_is_refused_with_every_problem_at_its_line(tmp_path: Path):
    path = tmp_path / "cs.yml"
    path.write_text(BROKEN, encoding="utf-8")
    problems = Problems()
    assert read_standard(path, problems) is None
    found = {(p.line, p.field) for p in problems.errors}
    assert (19, "channels") in found  # 微信公众号 is not one of the 13 channels
    assert (24, "id") in found  # cs-01 twice
    assert (36, "read_from") in found  # copy b is not cited
    assert (37, "unseen") in found and (24, "note") in found  # colour is no cell; unseen without a note
    assert (30, "deadline") in found  # 尽快 has no limit
    assert (33, "audience") in found  # 全体 is neither 全社会 nor 特定群体
    assert (7, "rows") in found  # 3 rows stated, 2 transcribed
    assert len(problems.errors) == 8, [p.format() for p in problems.errors]  # each once, no echo
    messages = " ".join(p.message for p in problems.errors)
    assert "微信公众号" in messages and "cs-01" in messages and "原表有 3 行，文件中有 2 项" in messages


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path):
    problems = Problems()
    assert read_standard(tmp_path / "absent.yml", problems, "gongkai/standards/absent.yml") is None
    assert problems.errors[0].file == "gongkai/standards/absent.yml" and "无法读取标准目录文件" in problems.errors[0].message
