"""split_front_matter finds the closing delimiter line by line without splitting the whole body into lines
(yamlsrc._split_fast). Its answer must be exactly what splitting every line with str.splitlines gave - the front
matter, the body and the body's first line - including where splitlines breaks lines at characters other than
"\n" (a U+2028 or form feed typed in the front matter, an undecoded CR), which the fast path leaves to the
splitting it replaces."""

from __future__ import annotations

import itertools

import pytest
import yaml

from gongkai.load import yamlsrc
from gongkai.load.sources import decode_source
from gongkai.load.yamlsrc import load_yaml, split_front_matter


def _by_splitlines(text: str) -> tuple[str | None, str, int]:
    """split_front_matter as it was written before the fast path (the reference)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    first, _, _ = text.partition("\n")
    if first.rstrip() != "---":
        return None, text, 1
    lines = text.splitlines(keepends=True)
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1:]), i + 2
    return "", text, 1


CASES = [
    "---\ntitle: 甲\n---\n正文\n",
    "\ufeff---\r\ntitle: 甲\r\n---\r\n正文\r\n",  # a BOM and CRLF as Notepad saves (undecoded: CR is a break)
    "---\ntitle: 甲\u2028乙\npublished: 2024-01-05\n---\n正文\n",  # U+2028 in a value: splitlines breaks there
    "---\ntitle: 甲\x0c\n---\n正文\n",  # a form feed
    "---\ntitle: 甲\n---\u3000\n正文\n",  # an ideographic space after the delimiter (str.rstrip strips it)
    "---\ntitle: 甲\n--- x\n---\n正文",
    "---\ntitle: 甲\n...\n正文\u2028\n第二行\n",  # U+2028 only in the body: the fast path still answers
    "---\ntitle: 甲\n---",  # the delimiter on the last line, no newline
    "---\ntitle: 甲\n",  # unterminated
    "---\n---\n",
    "--- \n\n---\n\n",
    "no front matter\n---\n",
]


@pytest.mark.parametrize("text", CASES)
def test_as_splitlines_splits(text):
    assert split_front_matter(text) == _by_splitlines(text)


def test_every_short_arrangement():
    """Every text of up to four pieces, each a delimiter, a field, whitespace or a line break of any kind."""
    pieces = ["---", "...", "a: 1", " ", "\u3000", "\n", "\r", "\r\n", "\u2028", "\x0c", "\x85", "----", "\ufeff"]
    for k in range(5):
        for parts in itertools.product(pieces, repeat=k):
            text = "---\n" + "".join(parts)
            assert split_front_matter(text) == _by_splitlines(text), repr(text)


def test_line_numbers_after_a_line_separator():
    """The field after a U+2028 in a title is on line 4 of the file for the error messages, as splitlines counted
    it before (the body starts on line 6)."""
    text = "---\ntitle: 甲\u2028乙\npublished: 2024-01-05\n---\n正文\n"
    fm, body, line = split_front_matter(text)
    assert (fm, body, line) == ("title: 甲\u2028乙\npublished: 2024-01-05\n", "正文\n", 6)


def test_crlf_bom_front_matter_lines():
    """A Notepad file (BOM, CRLF) decoded as the loader decodes it: the fields keep their lines."""
    raw = "\ufeff---\r\n# 注释\r\ntitle: 甲\r\n\r\npublished: 2024-01-05  # 发布\r\n---\r\n正文\r\n".encode()
    fm, body, line = split_front_matter(decode_source(raw))
    assert body == "正文\n" and line == 7
    data = load_yaml(fm, line_offset=1)
    assert data.key_lines == {"title": 3, "published": 5}


def _composed(text: str) -> object:
    """The text read by PyYAML's C composer through the loader's resolver (not the flat-line fast path)."""
    loader = yamlsrc._Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def test_resolved_tags_remembered_per_value():
    """The resolver's answers are remembered by a plain scalar's characters: a quoted `true` stays text after an
    unquoted `true` was read as a boolean, and the reverse; keys and values alike."""
    for text in ("a: true\nb: 'true'\n", "b: 'true'\na: true\n"):
        assert _composed(text) == {"a": True, "b": "true"}
    assert _composed("yes: no\n") == {"True": False}  # (a key YAML 1.1 reads as a boolean)
    plain = "on: 2024-01-05\nx: [2024-01-05, '2024-01-05', 12, '12', null, ~, '']\n"
    expected = yaml.load(plain, Loader=yaml.SafeLoader)  # noqa: S506  (the SafeLoader)
    got = _composed(plain)
    assert {str(k): v for k, v in expected.items()} == got


def test_resolve_memo_is_bounded():
    for i in range(yamlsrc._PLAIN_TAGS_MAX + 10):
        _composed(f"k: v{i}\n")
    assert len(yamlsrc._PLAIN_TAGS) <= yamlsrc._PLAIN_TAGS_MAX
