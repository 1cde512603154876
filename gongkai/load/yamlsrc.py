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


class _Loader(_Base):  # type: ignore[misc]  # _Base is Any: PyYAML's C or Python loader
    line_offset = 0
    source_lines: list[str] = []


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
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result.key_lines:
            raise yaml.constructor.ConstructorError(
                None, None, f"重复的键「{key}」", key_node.start_mark
            )
        _check_cut(loader, value_node)
        _check_anchor(loader, value_node)
        value = result[key] = loader.construct_object(value_node, deep=True)
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
    result = Seq(loader.construct_object(child, deep=True) for child in node.value)
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
    lines = text.splitlines(keepends=True)
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    return "", text, 1  # unterminated: caller reports it
