"""Typed reading of one YAML mapping, collecting problems instead of stopping."""

from __future__ import annotations

import builtins
import datetime as dt
import difflib
import re
from typing import Any

from gongkai.errors import Problems
from gongkai.load.yamlhelp import UNQUOTED_BOOL
from gongkai.load.yamlsrc import Node, Seq, as_text

_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# the other ways a date is written in China (the dotted, slashed and 年月日 forms; full-width digits as typed)
_LOOSE_DATE_RE = re.compile(r"^(\d{4})\s*[.．/／年－—-]\s*(\d{1,2})\s*[.．/／月－—-]\s*(\d{1,2})\s*日?$")
_TYPE_NAMES = {str: "文本", int: "整数", bool: "是/否（true/false）", list: "列表", dict: "键值对象"}


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "是/否"
    if isinstance(value, dt.date):
        return "日期"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, str):
        return "文本"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "键值对象"
    if value is None:
        return "空值"
    return type(value).__name__


def records(problems: Problems, file: str, raw: Any, line: int | None, key: str, allowed: dict[str, str],
            what: str, hint: str, numbered: bool = False) -> list[Fields]:
    """Read a YAML list of mappings; a non-list is one error saying what each item should hold (`hint`).

    An item that is not a mapping is reported at its own line, as the n-th item under `key`. numbered: every
    message about an item names it (第 2 项调整事项缺少…) — for lists whose items have no name of their own."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.error(file, line, key, f"应为列表，{hint}，实际是{type_name(raw)}")
        return []
    out: list[Fields] = []
    for i, item in enumerate(raw):
        label = f"第 {i + 1} 项{what}" if numbered else what
        if not isinstance(item, dict):
            at = raw.line_of(i) if isinstance(raw, Seq) else line
            problems.error(file, at or line, key, f"第 {i + 1} 项{what}应为键值对象，{hint}，实际是{type_name(item)}")
            continue
        out.append(Fields(problems, file, item, allowed, label))
    return out


class Fields:
    """Reads fields of one mapping; every problem names the file, line and field."""

    def __init__(self, problems: Problems, file: str, node: Any, allowed: dict[str, str], what: str):
        self.problems = problems
        self.file = file
        if what[-1:].isascii() and what[-1:].isalpha():
            what += " "  # "文件 front matter 缺少…": a space between Latin and the Chinese that follows
        self.what = what
        self.ok = isinstance(node, dict)
        self.node: Node = node if self.ok else Node()
        if not isinstance(node, Node):
            n = Node(node if self.ok else {})
            n.line = getattr(node, "line", 0)
            n.key_lines = {}
            self.node = n
        if not self.ok:
            problems.error(file, getattr(node, "line", None) or None, None, f"{what}应为键值对象，实际是{type_name(node)}")
            return
        for key in self.node:
            if key not in allowed:
                hint = difflib.get_close_matches(key, list(allowed), n=1)
                tip = f"，是否应为「{hint[0]}」（{allowed[hint[0]]}）？" if hint else ""
                problems.error(file, self.line(key), key, f"{what}中有未知字段「{key}」{tip}可用字段：{'、'.join(allowed)}")

    @property
    def start_line(self) -> int | None:
        return self.node.line or None

    def line(self, key: str) -> int | None:
        return self.node.line_of(key) or None

    def has(self, key: str) -> bool:
        return key in self.node and self.node[key] is not None

    def raw(self, key: str) -> Any:
        return self.node.get(key)

    def err(self, key: str | None, message: str, line: int | None = None, after: str | tuple[str, ...] | None = None) -> None:
        self.problems.error(self.file, line or (self.line(key) if key else self.start_line), key, message, after)

    def warn(self, key: str | None, message: str) -> None:
        self.problems.warn(self.file, self.line(key) if key else self.start_line, key, message)

    def str(self, key: str, required: bool = False, default: str = "") -> str:
        if not self.has(key):
            if required:
                self.err(key, f"{self.what}缺少必填字段「{key}」", self.start_line)
            return default
        value = self.node[key]
        written = self.node.bool_texts.get(key) if isinstance(value, bool) and isinstance(self.node, Node) else None
        if written:  # `title: yes`: YAML 1.1 made it True
            self.err(key, UNQUOTED_BOOL.format(text=written, key=key))
            return default
        if isinstance(value, bool) or isinstance(value, (list, dict)):
            self.err(key, f"应为文本，实际是{type_name(value)}")
            return default
        text = as_text(value).strip()  # an unquoted 0150000012 or 8:30 keeps the characters written
        if required and not text:
            self.err(key, "不能为空")
        return text

    def int(self, key: builtins.str, default: builtins.int, minimum: builtins.int = 0) -> builtins.int:
        if not self.has(key):
            return default
        value = self.node[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.err(key, f"应为整数，实际是{type_name(value)}「{value}」")
            return default
        if value < minimum:
            self.err(key, f"应不小于 {minimum}")
            return default
        return value

    def bool(self, key: builtins.str, default: builtins.bool = False) -> builtins.bool:
        if not self.has(key):
            return default
        value = self.node[key]
        if isinstance(value, bool):
            return value
        if value in ("是", "否"):
            return builtins.bool(value == "是")
        self.err(key, f"应为 true 或 false（是/否），实际是「{value}」")
        return default

    def date(self, key: builtins.str, required: builtins.bool = False) -> dt.date | None:
        if not self.has(key):
            if required:
                self.err(key, f"{self.what}缺少必填字段「{key}」", self.start_line)
            return None
        value = self.node[key]
        if isinstance(value, dt.date):  # a datetime, a date, or a date that remembers its text: a plain date
            return dt.date(value.year, value.month, value.day)
        text = str(value).strip()
        m = _DATE_RE.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
        loose = _LOOSE_DATE_RE.match(text)
        if loose:  # 2026.3.5, 2026/3/5, 2026年3月5日: say the very date to write, not only the pattern
            try:
                meant = dt.date(int(loose[1]), int(loose[2]), int(loose[3])).isoformat()
                self.err(key, f"日期「{text}」应写作 {meant}（年-月-日，用半角短横线，月和日各两位）")
                return None
            except ValueError:
                pass
        self.err(key, f"日期「{text}」无效，应写作 YYYY-MM-DD，例如 2024-03-15")
        return None

    def str_list(self, key: builtins.str, required: builtins.bool = False) -> list[builtins.str]:
        if not self.has(key):
            if required:
                self.err(key, f"{self.what}缺少必填字段「{key}」", self.start_line)
            return []
        value = self.node[key]
        if isinstance(value, str):
            return [value.strip()] if value.strip() else []
        if not isinstance(value, list):
            self.err(key, f"应为列表，实际是{type_name(value)}")
            return []
        out: list[str] = []
        for i, item in enumerate(value):
            line = value.line_of(i) if isinstance(value, Seq) else self.line(key)
            if isinstance(item, (dict, list)) or item is None or isinstance(item, bool):
                self.err(key, f"第 {i + 1} 项应为文本，实际是{type_name(item)}", line)
                continue
            out.append(as_text(item).strip())
        if required and not out:
            self.err(key, "不能为空列表")
        return out

    def records(self, key: builtins.str, allowed: dict[builtins.str, builtins.str], what: builtins.str, hint: builtins.str,
                numbered: builtins.bool = False) -> list[Fields]:
        """A list of mappings under `key` (revisions, FAQ, allowances …): one Fields per valid item."""
        return records(self.problems, self.file, self.raw(key), self.line(key), key, allowed, what, hint, numbered)

    def choice(self, key: builtins.str, choices: tuple[builtins.str, ...] | list[builtins.str], default: builtins.str = "") -> builtins.str:
        value = self.str(key, default=default)
        if value and value not in choices:
            self.err(key, f"取值「{value}」无效，可选：{'、'.join(choices)}")
            return default
        return value
