"""YAML loading that remembers the line of every key, for error messages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from gongkai.load.yamlhelp import CUT_BY_COMMENT, DROPPED_BY_ANCHOR, diagnose
from gongkai.memo import MISSING, Memo

_Base: Any  # the C loader when PyYAML has it (much faster on large sites), else the Python one
try:
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader


class Node(dict[str, Any]):
    """A mapping that knows the line where it starts and where each key is."""

    line: int = 0
    key_lines: dict[str, int]
    # keys whose value is an unquoted yes/no/on/off/true/false: the characters written (a text field reports them)
    bool_texts: dict[str, str] = {}  # noqa: RUF012  (never changed: a node that has one gets its own dict)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Seq(list[Any]):
    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


class TextInt(int):
    """An unquoted number as YAML 1.1 reads it, with the characters the author wrote (`0150000012` is octal
    27262986 to YAML; a 网站标识码 or 邮编 must keep its zeros): text fields read `.text`, number fields the value."""

    text: str

    def __str__(self) -> str:
        return self.text


class TextFloat(float):
    """An unquoted value YAML 1.1 reads as a float (`1.10`, `1e3`, `8:30` sexagesimal …), with its characters."""

    text: str

    def __str__(self) -> str:
        return self.text


class TextDate(dt.date):
    """An unquoted date, with its characters (`2024-1-5` stays `2024-1-5` in a text field)."""

    text: str

    def __reduce__(self) -> tuple[Any, ...]:  # date's own reduce drops instance attributes (the build cache pickles)
        return (_text_date, (self.year, self.month, self.day, self.text))


def _text_date(year: int, month: int, day: int, text: str) -> TextDate:
    d = TextDate(year, month, day)
    d.text = text
    return d


def _with_text(value: Any, text: str) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        out: Any = TextInt(value)
    elif isinstance(value, float):
        out = TextFloat(value)
    elif type(value) is dt.date:
        return _text_date(value.year, value.month, value.day, text)
    else:
        return value
    out.text = text
    return out


def as_text(value: Any) -> str:
    """A scalar as the author wrote it: the characters of an unquoted number or date, else str()."""
    return getattr(value, "text", None) or str(value)


_STR_TAG = "tag:yaml.org,2002:str"
_DEFAULT_SCALAR_TAG = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
# the tag each plain scalar resolved to (the resolver's answer depends on the characters alone): keys and values
# many files share (`title`, `published`, `true`, a column id) are resolved once, not by a regex loop per node
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_MAX = 4096  # (titles written unquoted are each new: kept from growing without end)


class _Loader(_Base):  # type: ignore[misc]  # _Base is Any: PyYAML's C or Python loader
    line_offset = 0
    source_lines: list[str] = []

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """BaseResolver.resolve, its answer for a scalar remembered: it runs for every node the C composer makes
        (~20 per front matter). Without path resolvers (SafeLoader has none) a quoted scalar is a string and a
        plain one's tag depends on its characters alone."""
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        if not implicit[0]:
            return _DEFAULT_SCALAR_TAG
        tag = _PLAIN_TAGS.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_PLAIN_TAGS) < _PLAIN_TAGS_MAX:
                _PLAIN_TAGS[value] = tag
        return tag


_COMMENT_CUT = re.compile(r"^(\s+)#(?=\S)(.*)$")


def _check_cut(loader: _Loader, node: yaml.Node) -> None:
    """An unquoted value followed by ` #text` on its line: YAML drops the rest as a comment, the author rarely
    means it (`关于12345热线 #诉求# 办理情况的通报`). Reported, never cut silently; `# 注释` (space after #) is a comment."""
    if not isinstance(node, yaml.ScalarNode) or node.style or not node.value:  # plain: None (Python), "" (libyaml)
        return
    row = node.end_mark.line
    if row >= len(loader.source_lines):
        return
    m = _COMMENT_CUT.match(loader.source_lines[row][node.end_mark.column:])
    if m:
        kept = node.value.split("\n")[-1][-20:]
        raise _Explained(row + 1, node.end_mark.column + len(m.group(1)) + 1,
                         CUT_BY_COMMENT.format(kept=kept, cut="#" + m.group(2).strip()))


def _check_anchor(loader: _Loader, node: yaml.Node) -> None:
    """A value written `&甲 文字`: YAML takes `&甲` as an anchor and drops it without a word. The files of a site
    never need anchors, so a value that starts with one is reported, never shortened silently."""
    if not isinstance(node, yaml.ScalarNode):
        return
    row, col = node.start_mark.line, node.start_mark.column
    line = loader.source_lines[row] if row < len(loader.source_lines) else ""
    if line[col:col + 1] == "&":
        anchor = line[col:].split(None, 1)[0]
        raise _Explained(row + 1, col + 1, DROPPED_BY_ANCHOR.format(anchor=anchor, kept=str(node.value)[:20]))


class _Explained(Exception):
    """A problem found while constructing, already in Chinese, at (line, column) of the text."""

    def __init__(self, line: int, column: int | None, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def _construct_scalar_with_text(loader: _Loader, node: yaml.ScalarNode, base: Any) -> Any:
    value = base(loader, node)
    return value if node.style else _with_text(value, node.value)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    result = Node()
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.key_lines = {}
    loader.flatten_mapping(node)
    construct = loader.construct_object
    for key_node, value_node in node.value:
        # a string scalar is its value (construct_object's bookkeeping, for anchors and recursion, is for the rest)
        key = key_node.value if key_node.tag == _STR_TAG and type(key_node) is yaml.ScalarNode else \
            construct(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result.key_lines:
            raise yaml.constructor.ConstructorError(
                None, None, f"重复的键「{key}」", key_node.start_mark
            )
        _check_cut(loader, value_node)
        _check_anchor(loader, value_node)
        value = result[key] = value_node.value if value_node.tag == _STR_TAG and type(value_node) is yaml.ScalarNode \
            else construct(value_node, deep=True)
        if isinstance(value, bool) and not value_node.style:
            if not result.bool_texts:
                result.bool_texts = {}
            result.bool_texts[key] = value_node.value
        result.key_lines[key] = key_node.start_mark.line + 1 + loader.line_offset
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Seq:
    for child in node.value:
        _check_cut(loader, child)
        _check_anchor(loader, child)
    construct = loader.construct_object
    result = Seq(child.value if child.tag == _STR_TAG and type(child) is yaml.ScalarNode else construct(child, deep=True)
                 for child in node.value)
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.item_lines = [child.start_mark.line + 1 + loader.line_offset for child in node.value]
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    # An impossible date such as 2024-02-30 stays a string, so the validator
    # can report it with its file, line and field.
    try:
        value = yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError, AttributeError, TypeError):  # AttributeError: `!!timestamp 文字`
        return loader.construct_scalar(node)
    return value if node.style else _with_text(value, node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> Any:
    return _construct_scalar_with_text(loader, node, yaml.SafeLoader.construct_yaml_int)


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> Any:
    return _construct_scalar_with_text(loader, node, yaml.SafeLoader.construct_yaml_float)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(message)


def load_yaml(text: str, line_offset: int = 0, memo: Memo | None = None) -> Any:
    """Parse YAML text; raise YamlSyntaxError with a Chinese message and line.

    memo: texts parsed by an earlier build (keyed by line offset and text); only texts that parsed without error
    are remembered.
    """
    if memo is not None:
        value = memo.get((line_offset, text))
        if value is MISSING:
            value = _parse(text, line_offset)
            memo.put((line_offset, text), value)
        return value
    return _parse(text, line_offset)


def _parse(text: str, line_offset: int) -> Any:
    fast = _parse_flat(text, line_offset)
    if fast is not None:
        return fast
    loader = _Loader(text)
    loader.line_offset = line_offset
    loader.source_lines = text.split("\n")
    try:
        return loader.get_single_data()
    except _Explained as exc:
        raise YamlSyntaxError(exc.line + line_offset, _with_column(exc.message, exc.column)) from None
    except yaml.MarkedYAMLError as exc:
        raise explain(exc, text, line_offset) from None
    except yaml.YAMLError:
        raise YamlSyntaxError(None, "YAML 格式错误：文件无法解析，请检查缩进、冒号和引号") from None
    except (ValueError, TypeError, OverflowError):
        # e.g. a timestamp like 2024-02-30 that PyYAML resolves but cannot construct
        raise YamlSyntaxError(None, "YAML 取值错误：有一个值无法识别（例如不存在的日期），请给它加上引号或改正") from None
    except RecursionError:
        raise YamlSyntaxError(None, "YAML 格式错误：列表或键值对象嵌套过深") from None
    finally:
        loader.dispose()


# The fast path: a document's front matter is nearly always flat `key: value` lines (quoted or plain text, dates,
# true/false, `[a, b]` lists). PyYAML builds a Python node object per scalar and walks them with Python
# constructors (about half the CPU a cold load spends per document); these lines are read here directly, with the
# same resolution of plain values (PyYAML's own implicit resolvers), giving the same Node/Seq/TextDate values and
# lines. Anything else - an indented line, a comment after a value, an anchor, an escape other than \\ and \",
# a number, a date PyYAML would not take as YYYY-MM-DD, a duplicate key, a character YAML treats specially - is
# left to PyYAML, which reads it (or explains it) as before: the fast path only answers where the answers are
# the same (tests/load/test_yamlflat.py compares both on every shape it takes).
_FLAT_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*?))? *")
_FLAT_SKIP = re.compile(r" *(?:#.*)?")  # a blank line or a whole-line comment
_FLAT_DQ = re.compile(r'"((?:[^"\\]|\\[\\"])*)"')
_FLAT_SQ = re.compile(r"'((?:[^']|'')*)'")
_FLAT_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# characters after which PyYAML may read a line differently: controls, YAML's other line breaks, a BOM, tabs
_FLAT_REFUSE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
# a plain value: no indicator first (nor a space), nothing inside that could end or mark it (`: `, ` #`, flow
# characters in a list), checked conservatively: none of these characters anywhere
_FLAT_PLAIN = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@`\s][^:#\[\]{}\"'\\]*")
_FLAT_ITEM = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@`\s][^:#,\[\]{}\"'\\]*")
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _NotFlat(Exception):
    """The text is not one the fast path reads: PyYAML reads it."""


def _resolve(value: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar (yaml.resolver.BaseResolver.resolve, implicit part)."""
    tag = _PLAIN_TAGS.get(value)  # (the answers _Loader.resolve remembers: the same question, the same answer)
    if tag is not None:
        return tag
    tag = _STR_TAG
    table: dict[str | None, list[tuple[str, re.Pattern[str]]]] = _Loader.yaml_implicit_resolvers
    for candidate, regexp in table.get(value[0] if value else "", []) + table.get(None, []):
        if regexp.match(value):
            tag = candidate
            break
    if len(_PLAIN_TAGS) < _PLAIN_TAGS_MAX:
        _PLAIN_TAGS[value] = tag
    return tag


def _plain(value: str) -> Any:
    """A plain scalar as _Loader constructs it, or _NotFlat."""
    tag = _resolve(value)
    if tag == _STR_TAG:
        return value
    if tag == _NULL_TAG:
        return None
    if tag == _BOOL_TAG:
        return yaml.constructor.SafeConstructor.bool_values[value.lower()]
    if tag == _TIMESTAMP_TAG:
        m = _FLAT_DATE.fullmatch(value)
        if m:
            try:
                return _text_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), value)
            except ValueError:
                pass
    raise _NotFlat


def _scalar(raw: str, plain: re.Pattern[str]) -> tuple[Any, bool]:
    """A value as written on its line: (value, whether it was plain)."""
    first = raw[:1]
    if first == '"':
        m = _FLAT_DQ.fullmatch(raw)
        if m is None:
            raise _NotFlat
        inner = m.group(1)
        return (inner.replace('\\\\', "\\").replace('\\"', '"') if "\\" in inner else inner), False
    if first == "'":
        m = _FLAT_SQ.fullmatch(raw)
        if m is None:
            raise _NotFlat
        return m.group(1).replace("''", "'"), False
    if not plain.fullmatch(raw):
        raise _NotFlat
    return _plain(raw), True


def _inline(raw: str | None, at: int) -> tuple[Any, bool]:
    """A value written after `key:` on its line at `at`: (value, whether it was a plain scalar)."""
    if not raw:
        return None, False
    if raw[0] != "[":
        return _scalar(raw, _FLAT_PLAIN)
    if raw[-1] != "]":
        raise _NotFlat
    inside = raw[1:-1].strip(" ")
    items = []
    if inside:
        for part in inside.split(","):
            part = part.strip(" ")
            if not part:
                raise _NotFlat
            items.append(_scalar(part, _FLAT_ITEM)[0])
    seq = Seq(items)
    seq.line = at
    seq.item_lines = [at] * len(items)
    return seq, False


def _put(node: Node, key: str, raw: str | None, at: int) -> None:
    """`key: raw` at line `at` into node, as _construct_mapping puts it."""
    if key in node.key_lines or _resolve(key) != _STR_TAG:
        raise _NotFlat
    value, plain = _inline(raw, at)
    if plain and isinstance(value, bool) and raw:
        if not node.bool_texts:
            node.bool_texts = {}
        node.bool_texts[key] = raw
    if not node.key_lines:
        node.line = at
    node[key] = value
    node.key_lines[key] = at


def _block_list(lines: list[str], row: int, line_offset: int) -> tuple[Seq, int]:
    """The block list whose first item is at lines[row] (`  - …`): items that are one-line scalars or flat
    mappings (`  - title: …` / `    file: …`); returns it and the row after it."""
    first = lines[row]
    indent = len(first) - len(first.lstrip(" "))
    dash, inner = " " * indent + "- ", " " * (indent + 2)
    items: list[Any] = []
    item_lines: list[int] = []
    while row < len(lines):
        line = lines[row]
        if not line.startswith(dash):
            if _FLAT_SKIP.fullmatch(line):
                row += 1
                continue
            break
        at = row + 1 + line_offset
        rest = line[len(dash):].rstrip(" ")  # (spaces after an item are not part of it: `- yes ` is true)
        m = _FLAT_LINE.fullmatch(rest)
        row += 1
        if m is None:
            items.append(_scalar(rest, _FLAT_PLAIN)[0])
        else:
            item = Node()
            item.key_lines = {}
            _put(item, m.group(1), m.group(2), at)
            while row < len(lines):
                line = lines[row]
                m = _FLAT_LINE.fullmatch(line[len(inner):]) if line.startswith(inner) else None
                if m is None:
                    if _FLAT_SKIP.fullmatch(line) and not line.startswith(dash):
                        row += 1
                        continue
                    break
                _put(item, m.group(1), m.group(2), row + 1 + line_offset)
                row += 1
            items.append(item)
        item_lines.append(at)
    seq = Seq(items)
    seq.line = item_lines[0]
    seq.item_lines = item_lines
    return seq, row


def _parse_flat(text: str, line_offset: int) -> Node | None:
    """The text read the way _Loader reads it, when it is lines the fast path knows; else None."""
    if not text or _FLAT_REFUSE.search(text):
        return None
    node = Node()
    node.key_lines = {}
    lines = text.split("\n")
    row = 0
    try:
        while row < len(lines):
            line = lines[row]
            m = _FLAT_LINE.fullmatch(line)
            row += 1
            if m is None:
                if _FLAT_SKIP.fullmatch(line):
                    continue
                return None
            key, raw = m.group(1), m.group(2)
            at = row + line_offset
            if raw:
                _put(node, key, raw, at)
                continue
            below = row
            while below < len(lines) and _FLAT_SKIP.fullmatch(lines[below]):
                below += 1
            if below < len(lines) and lines[below].lstrip(" ").startswith("- ") and lines[below][:1] == " ":
                _put(node, key, None, at)
                node[key], row = _block_list(lines, below, line_offset)
            else:
                _put(node, key, None, at)
    except _NotFlat:
        return None
    return node if node.key_lines else None


def explain(exc: yaml.MarkedYAMLError, text: str, line_offset: int = 0) -> YamlSyntaxError:
    """A parser error in `text` as the clerk's mistake, in Chinese, at its own line (gongkai/load/yamlhelp.py)."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or ""
    if re.search(r"[\u4e00-\u9fff]", problem):  # our own (a duplicate key): already Chinese
        return YamlSyntaxError(mark.line + 1 + line_offset if mark else None, f"YAML 格式错误：{problem}")
    cmark = exc.context_mark
    d = diagnose(text, problem, exc.context or "", mark.line + 1 if mark else None, mark.column + 1 if mark else None,
                 cmark.line + 1 if cmark else None)
    named = f"字段「{d.field}」：" if d.field else ""  # as errors.Problem names a field
    return YamlSyntaxError(d.line + line_offset, _with_column(f"{named}YAML 格式错误：{d.message}", d.column))


def _with_column(message: str, column: int | None) -> str:
    return f"{message}（第 {column} 列）" if column else message


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split '---' front matter from a Markdown text.

    Returns (front matter or None, body, line number where the body starts).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    # trailing spaces or tabs after a delimiter (Windows editors leave them) are accepted, as MkDocs accepts them
    first, _, _ = text.partition("\n")
    if first.rstrip() != "---":
        return None, text, 1
    found = _split_fast(text, len(first) + 1)
    if found is not None:
        return found
    lines = text.splitlines(keepends=True)
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    return "", text, 1  # unterminated: caller reports it


# the characters other than "\n" that str.splitlines breaks lines at
_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _split_fast(text: str, pos: int) -> tuple[str, str, int] | None:
    """split_front_matter's answer for a terminated front matter, found line by line from `pos` (the start of line
    2) without splitting the whole text into lines (a body is ~10 KB, its front matter a few hundred bytes); None
    when the front matter holds a line break other than "\n" (then splitlines' lines are not "\n"'s: the caller
    splits as before) or has no end."""
    find, startswith = text.find, text.startswith
    start, row = pos, 1
    while True:
        end = find("\n", pos)
        stop = len(text) if end < 0 else end + 1
        # a closing line is "---" or "..." and whitespace (what .rstrip() leaves as "---" or "...")
        if startswith(("---", "..."), pos) and text[pos:stop].rstrip() in ("---", "..."):
            if _OTHER_BREAKS.search(text, 0, stop):
                return None
            return text[start:pos], text[stop:], row + 2
        if end < 0:
            return None
        pos, row = stop, row + 1
