"""Working days as the State Council's 放假安排 defines them (gongkai/workdays.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.workdays import WorkCalendar

D = dt.date


def test_holidays_and_make_up_days_of_2026():
    cal = WorkCalendar()
    # 2026 国庆: 10-01..10-07 off; Sunday 09-20 and Saturday 10-10 are 调休 working days (国办发明电〔2025〕7号)
    assert not cal.is_workday(D(2026, 10, 1))
    assert not cal.is_workday(D(2026, 10, 7))
    assert cal.is_workday(D(2026, 10, 10))
    assert cal.is_workday(D(2026, 9, 28))
    assert cal.is_workday(D(2026, 9, 20))  # a Sunday
    assert not cal.is_workday(D(2026, 9, 27))
    assert cal.assumed_years == set()


def test_counting_starts_the_next_day():
    cal = WorkCalendar()
    # Friday 2026-11-20: the 1st working day after it is Monday 11-23, the 20th is Friday 12-18
    assert cal.add_workdays(D(2026, 11, 20), 1) == D(2026, 11, 23)
    assert cal.add_workdays(D(2026, 11, 20), 20) == D(2026, 12, 18)
    assert cal.add_workdays(D(2026, 11, 20), 0) == D(2026, 11, 20)
    assert cal.workdays_between(D(2026, 11, 20), D(2026, 12, 18)) == 20
    assert not cal.is_late(D(2026, 11, 20), D(2026, 12, 18), 20)
    assert cal.is_late(D(2026, 11, 20), D(2026, 12, 21), 20)


def test_a_deadline_across_national_day_skips_the_holiday_and_counts_the_make_up_saturday():
    cal = WorkCalendar()
    # from Friday 09-25: 09-28, 09-29, 09-30 are working days, 10-01..07 are not, 10-08 and 10-09 are,
    # Saturday 10-10 is a 调休 working day
    assert cal.add_workdays(D(2026, 9, 25), 3) == D(2026, 9, 30)
    assert cal.add_workdays(D(2026, 9, 25), 4) == D(2026, 10, 8)
    assert cal.add_workdays(D(2026, 9, 25), 6) == D(2026, 10, 10)
    # plain Monday-to-Friday counting would say 10-05 for the 6th: the calendar matters
    assert cal.add_workdays(D(2026, 9, 25), 6) != D(2026, 10, 5)


def test_a_year_past_the_data_is_counted_monday_to_friday_and_said():
    cal = WorkCalendar()
    assert cal.add_workdays(D(2026, 12, 25), 5) == D(2027, 1, 1)  # Mon 28 .. Thu 31 in 2026, Fri 01-01 assumed
    assert cal.assumed_years == {2027}
    note = cal.assumed_note()
    assert note is not None and "2027年" in note and "周一至周五" in note


def test_overrides_fill_in_a_year_and_win_over_the_data():
    overrides = {D(2027, 1, 1): False}
    cal = WorkCalendar(overrides=overrides)
    assert not cal.is_workday(D(2027, 1, 1))
    assert cal.is_workday(D(2027, 1, 4))
    assert cal.assumed_years == set()  # the bureau supplied 2027 itself
    assert cal.assumed_note() is None


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        WorkCalendar().add_workdays(D(2026, 1, 5), -1)
