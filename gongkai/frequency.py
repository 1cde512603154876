"""更新频率 and 公开时限 as bureaus write them, read into a schedule that `gongkai inspect` can check.

Real catalogues rarely keep to a vocabulary. Their cells say 「及时更新，最迟1年内必须有更新」,
「每日更新，最大更新间隔不得超过12个日历日」, 「政策文件类一级栏目6个月内须有更新」 or
「信息形成或者变更之日起20个工作日内」. Two different things hide in them:

- a *period*: the longest gap allowed between two updates of a column (每月更新, 「最迟1年内必须有更新」);
- an *event-driven* duty: publish within a time after the information arises (及时更新; 《条例》 Art. 26 gives
  20 working days, a table may say 5 or 10). Such a column is not late because nothing new happened; its
  documents are late when each was published too long after it was 成文.

The text as written is always kept for display; a text neither part can be read from is kept verbatim and
reported as a warning by the caller, never dropped.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Protocol

ART26_WORKDAYS = 20  # 《政府信息公开条例》 Art. 26: within 20 working days of being formed or changed

UNIT_LABELS = {"day": "日", "workday": "个工作日", "week": "周", "month": "个月", "year": "年"}


class Calendar(Protocol):
    def add_workdays(self, start: dt.date, count: int) -> dt.date: ...


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (31 January + 1 month = 28/29 February)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Interval:
    count: int
    unit: str  # day | workday | week | month | year

    def deadline(self, start: dt.date, cal: Calendar) -> dt.date:
        """The last day still within the interval after `start` (`start` itself not counted, 民法典 Art. 201)."""
        if self.unit == "workday":
            return cal.add_workdays(start, self.count)
        if self.unit == "day":
            return start + dt.timedelta(days=self.count)
        if self.unit == "week":
            return start + dt.timedelta(days=7 * self.count)
        if self.unit == "month":
            return add_months(start, self.count)
        return add_months(start, 12 * self.count)

    @property
    def label(self) -> str:
        if self.unit == "day":
            return f"{self.count}个日历日"
        return f"{self.count}{UNIT_LABELS[self.unit]}"


CYCLE_WORDS = {"年": 12, "年度": 12, "半年": 6, "季度": 3, "季": 3, "月": 1}
CYCLE_LABELS = {12: "每年", 6: "每半年", 3: "每季度", 1: "每月"}


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Anchor:
    """A periodic 公开时限 tied to the calendar rather than to the last update: 「每年1月底前」 (a fixed day each year),
    「每月10日前」 (a day each month) or 「每季度结束后15个工作日内」 (a time after each cycle ends). Content is due
    again at each such day; `last_due` is the latest one not after a given day."""

    months: int  # cycle: 12 year, 6 half-year, 3 quarter, 1 month
    month: int = 0  # a fixed day each year: its month (1-12); 0 otherwise
    day: int = 0  # a fixed day: its day of the month, 0 = the month's last day
    after: Interval | None = None  # due this long after the last day of each cycle

    def last_due(self, today: dt.date, cal: Calendar) -> dt.date:
        if self.after is not None:
            for back in range(2 * self.months + 24):  # cycle ends going back from this month
                y, m = divmod(today.year * 12 + today.month - 1 - back, 12)
                if (m + 1) % self.months:
                    continue
                end = month_end(y, m + 1)
                due = self.after.deadline(end, cal)
                if end < today and due <= today:
                    return due
        months = range(1, 13) if self.month == 0 else [self.month]
        candidates = []
        for year in (today.year, today.year - 1):
            for month in months:
                if self.month == 0 and (month % self.months if self.months > 1 else 0):
                    continue
                last = calendar.monthrange(year, month)[1]
                candidates.append(dt.date(year, month, min(self.day, last) if self.day else last))
        return max(d for d in candidates if d <= today)

    def describe(self) -> str:
        if self.after is not None:
            return f"{CYCLE_LABELS[self.months]}结束后{self.after.label}内"
        day = f"{self.day}日" if self.day else "底"
        return f"每年{self.month}月{day}前" if self.month else f"{CYCLE_LABELS[self.months]}{day}前"


@dataclass(frozen=True)
class Schedule:
    """What a 更新频率 or 公开时限 text asks for."""

    text: str  # as written, for display
    label: str = ""  # the vocabulary word (及时更新, 每月更新 …) when one applies
    period: Interval | None = None  # longest gap between updates
    event: bool = False  # event-driven: published within `within` after the information arises
    within: Interval | None = None
    open: bool = False  # 长期/不定期/按需: no deadline of any kind, on purpose
    anchor: Anchor | None = None  # due again on calendar days (每年1月底前, 每季度结束后15个工作日内)

    @property
    def known(self) -> bool:
        return bool(self.label or self.period or self.event or self.open or not self.text)

    @property
    def event_within(self) -> Interval:
        """The event-driven deadline: as stated, else Art. 26's 20 working days."""
        return self.within or Interval(ART26_WORKDAYS, "workday")

    def describe(self) -> str:
        """A short Chinese explanation: 「每次信息产生后20个工作日内；且最长1年更新一次」."""
        parts = []
        if self.event:
            parts.append(f"信息形成或变更后{self.event_within.label}内公开")
        if self.anchor:
            parts.append(f"{self.anchor.describe()}更新")
        elif self.period:
            parts.append(f"最长{self.period.label}更新一次")
        if self.open:
            parts.append("无固定更新期限")
        return "；".join(parts)


# the vocabulary: word -> (period, event)
VOCABULARY: dict[str, tuple[Interval | None, bool]] = {
    "实时更新": (None, True),
    "及时更新": (None, True),
    "每日更新": (Interval(1, "workday"), False),
    "每周更新": (Interval(1, "week"), False),
    "每月更新": (Interval(1, "month"), False),
    "月度更新": (Interval(1, "month"), False),
    "每季度更新": (Interval(3, "month"), False),
    "季度更新": (Interval(3, "month"), False),
    "每半年更新": (Interval(6, "month"), False),
    "半年更新": (Interval(6, "month"), False),
    "每年更新": (Interval(1, "year"), False),
    "年度更新": (Interval(1, "year"), False),
    "长期": (None, False),
    "长期公开": (None, False),
    "不定期更新": (None, False),
    "按需更新": (None, False),
}
OPEN_WORDS = ("长期", "长期公开", "不定期更新", "按需更新")
# leading words of free text -> vocabulary word
_PREFIXES = (
    ("实时", "实时更新"), ("及时", "及时更新"), ("随时", "及时更新"),
    ("每日", "每日更新"), ("每天", "每日更新"), ("每周", "每周更新"), ("每月", "每月更新"), ("按月", "每月更新"),
    ("每季度", "每季度更新"), ("每季", "每季度更新"), ("按季度", "每季度更新"), ("按季", "每季度更新"),
    ("每半年", "每半年更新"), ("每年", "每年更新"), ("按年", "每年更新"), ("年度", "每年更新"),
    ("不定期", "不定期更新"), ("长期", "长期"),
)
_EVENT_WORDS = ("及时", "实时", "随时", "之日起", "形成", "变更", "产生后", "发生后")

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(\d+|[一二两三四五六七八九十]+|半)"
_UNIT = r"(个工作日|工作日|个日历日|日历日|个自然日|自然日|个月|月|周|星期|日|天|年)"
_AMOUNT = re.compile(_NUM + r"个?" + _UNIT)
# an amount is a period when written like this around it
_PERIOD_BEFORE = re.compile(r"(最迟|最长|间隔|不得超过|不超过|至少|每)$")
_PERIOD_AFTER = re.compile(r"^(内|以内)?(须|必须|应|要|至少)?有?(更新|一更)")


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "半":
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    value = 0
    for ch in text:
        if ch not in _CN_DIGITS:
            return None
        value = value * 10 + _CN_DIGITS[ch]
    return value


def _interval(num: str, unit: str) -> Interval | None:
    if num == "半":
        return Interval(6, "month") if unit == "年" else Interval(15, "day") if unit in ("个月", "月") else None
    n = _number(num)
    if not n:
        return None
    if "工作日" in unit:
        return Interval(n, "workday")
    if unit in ("个月", "月"):
        return Interval(n, "month")
    if unit in ("周", "星期"):
        return Interval(n, "week")
    if unit == "年":
        return Interval(n, "year")
    return Interval(n, "day")  # 日, 天, 日历日, 自然日


def vocabulary_word(text: str) -> str:
    """The vocabulary's word for a 更新频率 written short (每季度, 季度, 每月 …), or ""."""
    t = "".join(text.split())
    for candidate in (t, t + "更新", "每" + t, "每" + t + "更新"):
        if candidate in VOCABULARY:
            return candidate
    return ""


_ANNUAL_DAY = re.compile(r"每年(?:的)?(\d{1,2})月(底|末|(\d{1,2})日)(?:前|之前|以前)")
_MONTHLY_DAY = re.compile(r"每月(\d{1,2})日(?:前|之前|以前)")
_AFTER_CYCLE = re.compile(r"(?:每|按)?(半年|年度|季度|季|年|月)(?:度)?(?:结束|末|终了)后" + _NUM + r"个?" + _UNIT + r"(?:内|以内)")


def _anchor(t: str) -> Anchor | None:
    """The calendar day a periodic 公开时限 falls due on, when the text names one."""
    if m := _AFTER_CYCLE.search(t):
        after = _interval(m[2], m[3])
        return Anchor(CYCLE_WORDS[m[1]], after=after) if after else None
    if (m := _ANNUAL_DAY.search(t)) and 1 <= int(m[1]) <= 12:
        return Anchor(12, int(m[1]), int(m[3]) if m[3] else 0)
    if (m := _MONTHLY_DAY.search(t)) and 1 <= int(m[1]) <= 31:
        return Anchor(1, 0, int(m[1]))
    return None


def parse_schedule(text: str) -> Schedule:
    """Read a 更新频率 / 公开时限 cell. `Schedule.known` is False when nothing could be read from it."""
    raw = " ".join(text.split())
    t = raw.replace(" ", "")
    if not t:
        return Schedule("")
    word = vocabulary_word(t)
    if word:
        vocab_period, vocab_event = VOCABULARY[word]
        return Schedule(word, word, vocab_period, vocab_event, open=word in OPEN_WORDS)
    label = next((w for prefix, w in _PREFIXES if t.startswith(prefix)), "")
    period: Interval | None = None
    within: Interval | None = None
    event = any(w in t for w in _EVENT_WORDS)
    for m in _AMOUNT.finditer(t):
        amount = _interval(m[1], m[2])
        if amount is None:
            continue
        before, after = t[:m.start()], t[m.end():]
        if _PERIOD_BEFORE.search(before) or _PERIOD_AFTER.match(after):
            period = period or amount
        elif re.match(r"^(内|以内)", after) and (event or amount.unit == "workday" or before.endswith(("后", "起"))):
            within = within or amount
            event = True
        elif before.endswith("每"):
            period = period or amount
    if label:
        vocab_period, vocab_event = VOCABULARY[label]
        event = event or vocab_event
        period = period or vocab_period
    elif event and not label:
        label = "及时更新"
    anchor = _anchor(t)
    if anchor is not None:  # periodic, due on calendar days: not counted from each document's 成文日期
        cycle = vocabulary_word(CYCLE_LABELS[anchor.months])
        period, event, within = VOCABULARY[cycle][0], False, None
        label = label if label and label != "及时更新" else cycle
    return Schedule(raw, label, period, event, within, open=label in OPEN_WORDS and not period and not event,
                    anchor=anchor)
