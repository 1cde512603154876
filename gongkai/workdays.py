"""Chinese working days: statutory holidays and 调休 make-up workdays, for every deadline the law counts in
工作日 (《条例》 Art. 26: 主动公开 within 20 working days; Art. 33: 依申请 replies within 20 + 20; 解读 and
互动回应 deadlines a bureau configures).

The calendar data comes from the `chinese-calendar` package (the State Council's yearly 放假安排, 2004 to its
last known year). A year past that is not guessed silently: it is counted Monday to Friday, the year is
recorded in `WorkCalendar.assumed_years`, and the caller reports it once (a bureau can add the new year's
arrangement itself, see `WorkCalendar.__init__`), because a deadline that is a few days off is better than an
inspection that cannot run in December, when next year's arrangement is often not yet published.

Counting follows 《民法典》 Art. 201: the day an event happens is not counted; the period starts the next day.
So `add_workdays(d, 20)` is the 20th working day after `d`, and something done on that day is in time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import chinese_calendar

_FIRST_YEAR = min(d.year for d in chinese_calendar.holidays)
_LAST_YEAR = max(d.year for d in chinese_calendar.holidays)


@dataclass
class WorkCalendar:
    """Which days are working days.

    `overrides` maps a date to True (a working day, e.g. a 调休 Saturday) or False (a holiday) and wins over
    the packaged data: a bureau fills in a year the package does not know yet, or a local holiday.
    """

    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    assumed_years: set[int] = field(default_factory=set)

    @property
    def known_years(self) -> tuple[int, int]:
        """First and last year of the packaged 放假安排."""
        return _FIRST_YEAR, _LAST_YEAR

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if _FIRST_YEAR <= day.year <= _LAST_YEAR:
            return bool(chinese_calendar.is_workday(day))
        if not self._year_overridden(day.year):
            self.assumed_years.add(day.year)
        return day.weekday() < 5

    def _year_overridden(self, year: int) -> bool:
        return any(d.year == year for d in self.overrides)

    def add_workdays(self, start: dt.date, count: int) -> dt.date:
        """The `count`-th working day after `start` (`start` itself not counted); `start` when count is 0."""
        if count < 0:
            raise ValueError("count must not be negative")
        day, left = start, count
        while left:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` is not after `start`).

        `workdays_between(a, b) <= n` exactly when b is on or before `add_workdays(a, n)` or b is not a
        working day before it: the test for "done within n working days".
        """
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def is_late(self, start: dt.date, done: dt.date, limit: int) -> bool:
        """Was something done on `done` later than `limit` working days after `start`?"""
        return done > self.add_workdays(start, limit)

    def assumed_note(self) -> str | None:
        """One Chinese sentence naming the years counted Monday to Friday, or None."""
        if not self.assumed_years:
            return None
        years = "、".join(f"{y}年" for y in sorted(self.assumed_years))
        return (f"{years}的法定节假日和调休安排尚未收录（已收录 {_FIRST_YEAR}—{_LAST_YEAR} 年），"
                "这些年份按周一至周五为工作日计算；公布后请升级 gongkai，或在站点设置中补充当年安排")
