"""What went wrong in a YAML file, in words a clerk can act on.

PyYAML (libyaml) reports where the parser gave up, in English, often a line after the real mistake: a
full-width colon is noticed only on the next line. Here the text itself is searched for the mistakes people
really make (Tab indentation, 「：」, `-name:`, a value starting with `*` or `@`, quotes inside a quoted value,
「: 」 inside a value …) up to the line where the parser stopped, and the first one found is reported at its own
line with the fix spelled out, with the field that line belongs to. Only when none is found does the parser's own
complaint count, translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEY = r"[A-Za-z_][\w-]*"
_TAB_INDENT = re.compile(r"^ *(?:- *)?\t")  # (after a list item's dash too: libyaml refuses both)
_FULLWIDTH_COLON = re.compile(rf"^\s*(?:-\s+)?{KEY}\s*：")
_DASH_NO_SPACE = re.compile(r"^\s*-(?![-\s])\S")
_COLON_NO_SPACE = re.compile(rf"^\s*(?:-\s+)?{KEY}:(?!//)[^\s:]")
# `title: [某某市]民政局…`: a flow list (mapping) closed, then more text, which the parser cannot place
_BRACKETS_THEN_TEXT = re.compile(rf"^\s*(?:-\s+)?(?:({KEY}):\s+)?((\[)[^\[\]{{}}]*\]|(\{{)[^\[\]{{}}]*\}})[ \t]*([^\s#,\]}}].*)$")
_VALUE_START = re.compile(rf"^\s*(?:-\s+)?(?:{KEY}:\s+)?([*&@`%!{{])")
_QUOTE_EARLY_END = re.compile(rf"^\s*(?:-\s+)?(?:{KEY}:\s+)?([\"'])(?:(?!\1).)*\1\s*[^\s#,\]}}]")
_COLON_IN_VALUE = re.compile(rf"^\s*(?:-\s+)?{KEY}:\s+[^\"'\s][^#]*?:\s")
# (a dash without its space, a full-width colon; not the scheme of an address: https://…)
_KEY_OF_LINE = re.compile(rf"^[ \t]*(?:-[ \t]*)*({KEY})[ \t]*(?::(?!//)|：)")
_BLOCK_HEADER = re.compile(rf"^[ \t]*(?:-[ \t]*)*{KEY}[ \t]*:[ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?$")  # `body: |`

TAB_INDENTED = "这一行用制表符（Tab）缩进：YAML 只能用空格缩进，请把行首的 Tab 换成空格"

# libyaml's complaints, for the cases the text search does not explain
_TRANSLATIONS = [
    ("could not find expected ':'", "这一行缺少「: 」（英文冒号加空格），或上一行没有写完"),
    ("mapping values are not allowed", "这里不能出现「: 」：字段的缩进不一致，或值中含有冒号加空格（请给值加上引号）"),
    ("did not find expected key", "这一行的缩进或格式与上下文不一致（同一层的字段要用同样多的空格对齐）"),
    ("did not find expected '-' indicator", "列表项的缩进不一致：同一列表的每一项都要以同样缩进的「- 」开头"),
    ("found unexpected end of stream", "文件在引号或括号还没有结束时就结束了：请检查引号、方括号是否配对"),
    ("did not find expected ',' or ']'", "方括号列表没有结束：请检查「[」「]」是否配对、各项是否用英文逗号隔开"),
    ("did not find expected ',' or '}'", "花括号没有结束：请检查「{」「}」是否配对，或给含有花括号的值加上引号"),
    ("found a tab character", "用了制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格"),
    ("cannot start any token", "这里的字符不能作为值的开头：请给整个值加上英文引号"),
    ("found undefined alias", "值以「*」开头，YAML 会把它当作引用：请给整个值加上英文引号"),
    ("did not find expected alphabetic or numeric character", "值以「*」或「&」开头，YAML 会把它当作引用：请给整个值加上英文引号"),
    ("found unknown escape character", "双引号中的反斜杠「\\」是转义符：请改用单引号，或写成两个反斜杠「\\\\」"),
    ("did not find expected node content", "这里缺少值，或值的开头有 YAML 的特殊符号：请给整个值加上英文引号"),
    ("block sequence entries are not allowed", "列表项「- 」的位置不对：列表要另起一行并比字段名多缩进"),
    ("expected <block end>", "缩进不一致：同一层的字段要对齐"),
    ("found character that cannot start any token", "这里的字符不能作为值的开头：请给整个值加上英文引号"),
]

# the complaints libyaml makes at the line that is wrong itself (not a line or more after it)
_AT_THE_LINE = {"mapping values are not allowed", "did not find expected key", "did not find expected '-' indicator",
                "block sequence entries are not allowed", "expected <block end>"}


@dataclass(frozen=True)
class Diagnosis:
    line: int  # 1-based, within the text given
    column: int | None
    message: str  # Chinese, with the fix
    field: str | None = None  # the field the line belongs to, when the mistake is found at its own line


def diagnose(text: str, problem: str, context: str, line: int | None, column: int | None,
             context_line: int | None = None) -> Diagnosis:
    """The most likely real mistake behind a parser error at (line, column), 1-based."""
    lines = text.split("\n")
    last = min(line or len(lines), len(lines))
    for n in range(1, last + 1):
        found = _line_mistake(lines[n - 1], n == last)
        if found and n < last and found[1] != TAB_INDENTED and _in_block_text(lines, n - 1):
            continue  # 「Email：…」, 「-注意」 in a block of text (overview: |) are text, which the parser read well
        if found:
            col, message = found
            return Diagnosis(n, col, message, field_of(lines, n))
    if "quoted scalar" in context and context_line:
        return Diagnosis(context_line, None, "引号没有配对：从这一行开始的引号一直没有结束，请补上另一半引号")
    for closing, opening in (("]", "["), ("}", "{")):
        if f"did not find expected ',' or '{closing}'" in problem and line:
            # libyaml notices a list left open (`columns: [tjxx`) at the next line, or at the end of the front
            # matter: the line that opened it is the one to fix
            for n in range(min(line, len(lines)), 0, -1):
                text = lines[n - 1]
                if text.count(opening) > text.count(closing) and not text.lstrip().startswith("#"):
                    what = "方括号列表" if opening == "[" else "花括号"
                    return Diagnosis(n, text.index(opening) + 1,
                                     f"{what}「{opening}」没有用「{closing}」结束：请在这一行末尾补上「{closing}」，"
                                     "各项之间用英文逗号隔开", field_of(lines, n))
    for needle, message in _TRANSLATIONS:
        if needle in problem:
            # a misplaced line (indented unlike its neighbours) is where these are reported: its field is named
            own = needle in _AT_THE_LINE and line is not None and 1 <= line <= len(lines)
            return Diagnosis(line or 1, column, message, field_of(lines, line) if own and line else None)
    return Diagnosis(line or 1, column, "YAML 格式有误：请检查这一行的缩进、冒号（英文「: 」）和引号")


def field_of(lines: list[str], n: int) -> str | None:
    """The field line n (1-based) belongs to: the key it starts with, else the key of the nearest line above that
    is indented less (a list item or a block of text under `columns:`, `body: |`); None at the top of a list.
    A Tab counts as 8 spaces here: only which line is less indented matters."""
    own = _KEY_OF_LINE.match(lines[n - 1])
    if own:
        return own.group(1)
    below = _indent(lines[n - 1])
    for k, text in enumerate(reversed(lines[: n - 1]), 1):
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        indent = _indent(text)
        if indent < below:
            key = _KEY_OF_LINE.match(text)
            if key and not _in_block_text(lines, n - 1 - k):
                return key.group(1)
            below = indent  # a list item without a key (or a line of text): its own field is further up
    return None


def _in_block_text(lines: list[str], i: int) -> bool:
    """Whether line i (0-based) is text of a block scalar (`overview: |`): a line less indented above it, and one
    less indented above that …, is the block's header. Such a line's 「word:」 is text, not a field."""
    level = _indent(lines[i])
    for text in reversed(lines[:i]):
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        indent = _indent(text)
        if indent < level:
            if _BLOCK_HEADER.match(text):
                return True
            level = indent
    return False


def _indent(text: str) -> int:
    """How far the line is indented; a list item's dash half a step further (`a:` then `- x` at the same column:
    the item is a's)."""
    expanded = text.expandtabs(8)
    content = expanded.lstrip(" ")
    return 2 * (len(expanded) - len(content)) + content.startswith("-")


def _line_mistake(text: str, is_error_line: bool) -> tuple[int, str] | None:
    """A mistake in one line, with its column: the sure ones on any line, the likely ones on the error line."""
    if text.lstrip().startswith("#"):
        return None
    if _TAB_INDENT.match(text):
        return text.index("\t") + 1, TAB_INDENTED
    m = _FULLWIDTH_COLON.match(text)
    if m:
        return text.index("：") + 1, "字段名后面是中文冒号「：」：请改成英文冒号加一个空格「: 」"
    if _DASH_NO_SPACE.match(text):
        return text.index("-") + 1, "列表项的「-」后面缺少空格：请写成「- name: …」"
    if _COLON_NO_SPACE.match(text):
        return text.index(":") + 1, "字段名的冒号后面缺少空格：请写成「字段: 值」（英文冒号后加一个空格）"
    if not is_error_line:
        return None
    m = _BRACKETS_THEN_TEXT.match(text)
    if m:
        opening, what = ("[", "列表") if m.group(3) else ("{", "字段表")
        value = text[m.start(2):].rstrip()
        return m.start(2) + 1, (f"值以「{opening}」开头，YAML 会把「{m.group(2)}」当作{what}，后面的文字无法读取："
                                f"请给整个值加上英文引号（例如 {m.group(1) or 'title'}: \"{value}\"）")
    m = _VALUE_START.match(text)
    if m:
        ch = m.group(1)
        return m.start(1) + 1, (f"值以「{ch}」开头，YAML 会把它当作特殊符号：请给整个值加上英文引号，"
                                f"例如 title: \"{ch}…\"")
    m = _QUOTE_EARLY_END.match(text)
    if m:
        return m.start(1) + 1, ("值开头的引号在值中间就结束了：值里含有同样的引号时，外面改用另一种引号"
                                "（单引号「'」或双引号「\"」），或把内容里的引号写成中文引号「“”」")
    m = _COLON_IN_VALUE.match(text)
    if m:
        at = text.index(": ", text.index(":") + 1)
        return at + 1, "值中含有「: 」（冒号加空格），YAML 会误认为又一个字段：请给整个值加上英文引号"
    return None


DROPPED_BY_ANCHOR = ("值以「&」开头，YAML 会把「{anchor}」当作锚点删掉，只留下「{kept}」：请给整个值加上英文引号"
                     "（例如 title: \"{anchor} {kept}\"）")
# an unquoted yes/no/on/off/true/false in a field that holds text: YAML 1.1 reads it as 是/否
UNQUOTED_BOOL = "「{text}」会被 YAML 读成是/否，而这里要写文字：请给它加上英文引号（{key}: \"{text}\"）"
CUT_BY_COMMENT = ("「{kept}」后面的「{cut}」会被 YAML 当成注释删掉：如果它是内容的一部分，请给整个值加上英文引号"
                  "（例如 title: \"{kept} {cut}\"）；如果确实是注释，请在「#」后面加一个空格")
