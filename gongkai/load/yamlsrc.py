"""YAML loading that remembers the line of every key, for error messages."""

from __future__ import annotations

from typing import Any

import yaml

try:  # the C loader is much faster on large sites
    _Base = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader


class Node(dict):
    """A mapping that knows the line where it starts and where each key is."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Seq(list):
    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


class _Loader(_Base):  # type: ignore[misc, valid-type]
    line_offset = 0


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
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1 + loader.line_offset
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Seq:
    result = Seq(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.item_lines = [child.start_mark.line + 1 + loader.line_offset for child in node.value]
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    # An impossible date such as 2024-02-30 stays a string, so the validator
    # can report it with its file, line and field.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError, AttributeError, TypeError):  # AttributeError: `!!timestamp 文字`
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(message)


# Set by gongkai.cache while a build loads its files: YAML texts parsed by an earlier build (get/put by
# (line_offset, text)). Only texts that parsed without error are remembered.
memo: Any = None
MISSING = object()


def load_yaml(text: str, line_offset: int = 0) -> Any:
    """Parse YAML text; raise YamlSyntaxError with a Chinese message and line."""
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
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = exc.problem or str(exc)
        raise YamlSyntaxError(line, f"YAML 格式错误：{problem}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, f"YAML 格式错误：{exc}") from None
    except (ValueError, TypeError, OverflowError) as exc:
        # e.g. a timestamp like 2024-02-30 that PyYAML resolves but cannot construct
        raise YamlSyntaxError(None, f"YAML 取值错误：{exc}") from None
    except RecursionError:
        raise YamlSyntaxError(None, "YAML 格式错误：列表或键值对象嵌套过深") from None
    finally:
        loader.dispose()


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split '---' front matter from a Markdown text.

    Returns (front matter or None, body, line number where the body starts).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if not (text.startswith("---\n") or text.startswith("---\r\n")):
        return None, text, 1
    lines = text.splitlines(keepends=True)
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n") in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    return "", text, 1  # unterminated: caller reports it
