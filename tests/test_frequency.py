"""更新频率 and 公开时限 texts read into a schedule (gongkai/frequency.py): the vocabulary, free text from real
tables, event-driven limits in working days, and texts that cannot be read."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.frequency import Anchor, Interval, add_months, parse_schedule
from gongkai.workdays import WorkCalendar

D = dt.date


@pytest.mark.parametrize("text, label, period, event, within", [
    # the vocabulary, as tables shorten it
    ("及时更新", "及时更新", None, True, None),
    ("及时", "及时更新", None, True, None),
    ("每季度", "每季度更新", Interval(3, "month"), False, None),
    ("季度 更新", "季度更新", Interval(3, "month"), False, None),
    ("每年", "每年更新", Interval(1, "year"), False, None),
    ("长期公开", "长期公开", None, False, None),
    # cells of real tables (issue 14)
    ("政策文件类一级栏目6个月内须有更新", "", Interval(6, "month"), False, None),
    ("及时更新，最迟1年内必须有更新", "及时更新", Interval(1, "year"), True, None),
    ("及时更新，最大更新间隔不得超过6个月", "及时更新", Interval(6, "month"), True, None),
    ("每日更新，最大更新间隔不得超过12个日历日", "每日更新", Interval(12, "day"), False, None),
    ("根据相关文件要求及时发布", "及时更新", None, True, None),
    # 公开时限 of 标准目录 rows
    ("信息形成或者变更之日起20个工作日内", "及时更新", None, True, Interval(20, "workday")),
    ("自信息形成或者变更之日起5个工作日内予以公开", "及时更新", None, True, Interval(5, "workday")),
    ("制定或获取信息之日起10个工作日内", "及时更新", None, True, Interval(10, "workday")),
    ("部门预算经本级财政部门批复后20日内公开", "及时更新", None, True, Interval(20, "day")),
    ("按年公开", "每年更新", Interval(1, "year"), False, None),
    ("每两周更新一次", "", Interval(2, "week"), False, None),
    ("最迟半年内更新", "", Interval(6, "month"), False, None),
    ("最长十二个月更新", "", Interval(12, "month"), False, None),
])
def test_real_texts(text, label, period, event, within):
    s = parse_schedule(text)
    assert (s.label, s.period, s.event, s.within, s.known) == (label, period, event, within, True)
    # kept as written for display; a short vocabulary word reads as the vocabulary writes it (每季度: 每季度更新)
    assert s.text == (label if label and label.startswith("".join(text.split())) else " ".join(text.split()))


@pytest.mark.parametrize("text", ["偶尔", "视情况", "按领导要求"])
def test_texts_without_a_period_or_an_event_are_unknown(text):
    s = parse_schedule(text)
    assert not s.known and s.text == text and s.period is None and not s.event


def test_empty_is_known_and_has_no_deadline():
    s = parse_schedule("  ")
    assert s.known and s.text == "" and s.period is None and not s.event


def test_event_driven_defaults_to_article_26():
    assert parse_schedule("及时更新").event_within == Interval(20, "workday")
    assert parse_schedule("及时更新").describe() == "信息形成或变更后20个工作日内公开"
    assert parse_schedule("及时更新，最迟1年内必须有更新").describe() == "信息形成或变更后20个工作日内公开；最长1年更新一次"


def test_deadlines_by_unit():
    cal = WorkCalendar()
    # Thursday 2026-09-24: Friday 09-25 is 中秋节, so the 3 working days after it are 09-28, 09-29, 09-30
    assert Interval(3, "workday").deadline(D(2026, 9, 24), cal) == D(2026, 9, 30)
    # across 2026's National Day: 09-30 is the 1st, 10-01..10-07 off, 10-08 the 2nd, Saturday 10-10 (调休) the 4th
    assert Interval(4, "workday").deadline(D(2026, 9, 29), cal) == D(2026, 10, 10)
    assert Interval(12, "day").deadline(D(2026, 1, 25), cal) == D(2026, 2, 6)
    assert Interval(2, "week").deadline(D(2026, 1, 25), cal) == D(2026, 2, 8)
    assert Interval(1, "month").deadline(D(2026, 1, 31), cal) == D(2026, 2, 28)
    assert Interval(1, "year").deadline(D(2024, 2, 29), cal) == D(2025, 2, 28)
    assert add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)


@pytest.mark.parametrize("text, anchor, period, describe", [
    # periodic 公开时限 tied to calendar days: not counted from each document's 成文日期 (event is False)
    ("每年1月31日前", Anchor(12, 1, 31), Interval(1, "year"), "每年1月31日前更新"),
    ("每年1月底前公开上一年度报告", Anchor(12, 1, 0), Interval(1, "year"), "每年1月底前更新"),
    ("每月10日前", Anchor(1, 0, 10), Interval(1, "month"), "每月10日前更新"),
    ("每季度结束后15个工作日内", Anchor(3, after=Interval(15, "workday")), Interval(3, "month"),
     "每季度结束后15个工作日内更新"),
    ("季度结束后10日内", Anchor(3, after=Interval(10, "day")), Interval(3, "month"), "每季度结束后10个日历日内更新"),
    ("每半年结束后20个工作日内公开", Anchor(6, after=Interval(20, "workday")), Interval(6, "month"),
     "每半年结束后20个工作日内更新"),
])
def test_calendar_anchored_limits(text, anchor, period, describe):
    s = parse_schedule(text)
    assert (s.anchor, s.period, s.event, s.within, s.describe()) == (anchor, period, False, None, describe)


def test_the_last_due_day_of_an_anchored_limit():
    cal = WorkCalendar()
    assert Anchor(12, 1, 31).last_due(D(2026, 11, 1), cal) == D(2026, 1, 31)
    assert Anchor(12, 1, 31).last_due(D(2026, 1, 30), cal) == D(2025, 1, 31)
    assert Anchor(12, 2, 0).last_due(D(2024, 3, 1), cal) == D(2024, 2, 29)  # 「2月底」 in a leap year
    assert Anchor(1, 0, 10).last_due(D(2026, 3, 9), cal) == D(2026, 2, 10)
    assert Anchor(1, 0, 31).last_due(D(2026, 3, 1), cal) == D(2026, 2, 28)
    # the 3rd quarter's due day, 15 working days after 09-30 across 国庆 (10-10 worked), is 10-27; before it the 2nd's
    quarterly = Anchor(3, after=Interval(15, "workday"))
    assert quarterly.last_due(D(2026, 10, 27), cal) == D(2026, 10, 27)
    assert quarterly.last_due(D(2026, 10, 26), cal) == D(2026, 7, 21)
