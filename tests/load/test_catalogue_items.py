"""columns.yml's 公开事项 (`items`), free-text 更新频率, the 19号 class (`inspect_as`), and site.yml's `calendar`:
read into the model, every mistake named by file, line and field, all at once."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import MINIMAL_SITE_YML, make_site
from gongkai.errors import GongkaiError, Problems
from gongkai.load.loader import load_catalogue, load_columns
from gongkai.vocab import CHANNELS

COLUMNS = """\
columns:
  - name: 最低生活保障
    kind: documents
    frequency: 及时更新，最迟6个月内必须有更新
    inspect_as: 政策文件
    items:
      - name: 办事指南
        content: 办理事项、办理条件、申请材料
        basis: 《社会救助暂行办法》
        deadline: 制定或获取信息之日起10个工作日内
        subject: 县级政府民政部门
        channels: [政府网站, 政务新媒体, 社区/企事业单位/村公示栏（电子屏）]
        audience: 全社会
        mode: 主动
        level: [县级, 乡级]
"""


def load(tmp_path, text: str):
    (tmp_path / "catalog").mkdir(parents=True, exist_ok=True)
    (tmp_path / "catalog" / "columns.yml").write_text(text, encoding="utf-8")
    problems = Problems()
    return load_columns(tmp_path, problems), problems


def test_items_and_a_free_text_frequency_load(tmp_path):
    [col], problems = load(tmp_path, COLUMNS)
    assert problems.items == []
    assert (col.frequency, col.schedule.period.label, col.schedule.event, col.inspect_as) == (
        "及时更新，最迟6个月内必须有更新", "6个月", True, "政策文件")
    [item] = col.items
    assert (item.name, item.subject, item.audience, item.mode, item.level) == ("办事指南", "县级政府民政部门", "全社会", "主动", ["县级", "乡级"])
    assert item.channels == ["政府网站", "两微一端", "社区/企事业单位/村公示栏（电子屏）"]  # 政务新媒体 is 两微一端
    assert item.schedule.event_within.label == "10个工作日"
    assert item.line_of("channels") == 12
    assert len(CHANNELS) == 13


def test_every_mistake_in_items_at_once(tmp_path):
    text = (COLUMNS.replace("政务新媒体", "抖音").replace("audience: 全社会", "audience: 群众")
            .replace("mode: 主动", "mode: 主动公开").replace("        level:", "        levle:")
            .replace("inspect_as: 政策文件", "inspect_as: 政策类"))
    text += "      - content: 没有名称\n"
    _, problems = load(tmp_path, text)
    got = [(p.line, p.field, p.level) for p in problems.items]
    assert got == [(5, "inspect_as", "error"), (15, "levle", "error"), (12, "channels", "error"), (13, "audience", "error"),
                   (14, "mode", "error"), (16, "name", "error")]
    messages = {p.field: p.message for p in problems.items}
    assert "「抖音」不是规定的渠道" in messages["channels"] and "两微一端" in messages["channels"]
    assert "可选：全社会、特定群体" in messages["audience"]
    assert "「level」" in messages["levle"]


def test_an_unreadable_frequency_is_kept_with_a_warning(tmp_path):
    [col], problems = load(tmp_path, COLUMNS.replace("及时更新，最迟6个月内必须有更新", "视工作情况"))
    [p] = problems.items
    assert (p.level, p.line, p.field) == ("warning", 4, "frequency")
    assert "「视工作情况」无法识别" in p.message
    assert col.frequency == "视工作情况" and col.schedule.period is None


def site(tmp_path, calendar: str):
    root = make_site(tmp_path, "columns:\n  - name: 部门文件\n    kind: documents\n", {},
                     site_yml=MINIMAL_SITE_YML + calendar)
    return load_catalogue(root, dt.date(2026, 11, 24))


def test_calendar_days_and_ranges(tmp_path):
    cat = site(tmp_path, "calendar:\n  holidays: [2099-01-01, 2099-01-26~2099-01-28]\n  workdays:\n    - 2099-01-24\n")
    assert cat.site.calendar == {dt.date(2099, 1, 1): False, dt.date(2099, 1, 26): False, dt.date(2099, 1, 27): False,
                                 dt.date(2099, 1, 28): False, dt.date(2099, 1, 24): True}


def test_calendar_mistakes_are_all_named(tmp_path):
    with pytest.raises(GongkaiError) as exc:
        site(tmp_path, "calendar:\n  holidays: [2099-02-30, 2099-03-05~2099-03-01, 2099-01-01]\n"
                       "  workdays: [2099-01-01, 明天]\n  holiday: []\n")
    text = exc.value.report()
    assert "catalog/site.yml:5: 错误: 字段「holidays」：第 1 项「2099-02-30」无效" in text
    assert "第 2 项「2099-03-05~2099-03-01」无效" in text
    assert "catalog/site.yml:6: 错误: 字段「workdays」：2099-01-01 同时写在 holidays 和 workdays 中" in text
    assert "第 2 项「明天」无效" in text
    assert "catalog/site.yml:7: 错误: 字段「holiday」" in text
