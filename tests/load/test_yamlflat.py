"""The fast path of front matter parsing (yamlsrc._parse_flat) gives exactly what PyYAML gives through _Loader -
values, their types (TextDate, bool, Seq, Node), the lines of keys and list items, bool_texts - or leaves the text
to PyYAML. Each case is parsed both ways and compared; the cases marked FAST must take the fast path (else the
speed is silently lost), the others must not (else a text PyYAML reads differently could be misread)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import load_errors, make_site
from gongkai.load import yamlsrc
from gongkai.load.sources import decode_source
from gongkai.load.yamlsrc import Node, Seq, TextDate, YamlSyntaxError, load_yaml, split_front_matter

FAST = [
    'title: "示例市民政局关于开展专项行动的通知（5960）"\npublished: 2019-11-20\ncolumns: [fd8-1]\n',
    'title: 关于做好2024年冬季救助工作的通知\npublished: 2024-11-20\ncolumns: [tzgg, zd10-3]\nnormative: true\n',
    "# 注释\ntitle: '他''的 文件'\n\n  # 缩进的注释\nscheduled: no\nrevoked: Off\nsummary:\ntopic: ~\n",
    'topic: "民政、扶贫、救灾\\\\行政区划与地名"\nquote: "说\\"好\\""\nempty: ""\nlist: []\nsp: [ a ,  "b c" ]\n',
    "title:   多个空格  \t\n".replace("\t", ""),  # spaces after the colon and at the end
    'attachments:\n  - title: "附件：申请表"\n    file: ../../files/fj-2.txt\n  - files/b.pdf\nyear: 2024\n'.replace(
        "year: 2024\n", "published: 2024-01-05\n"),
    "attachments:\n\n  # 附件\n  - title: 甲\n\n    file: a.pdf\n    ok: yes\n  - b.pdf\ntitle: 乙\n",
    "columns:\n    - tzgg\n    - 'zd'\nprivacy_ok: [姓名]\n",
    "a: 2024-02-29\nb: 50%\nc: a-b\nd: 邮件@示例\ne: 2024-1-5\n",  # (2024-1-5: text to YAML 1.1 too)
    "k:\n  - yes \n  - 甲  \n  - 2024-01-05 \n  - 'a' \n",  # spaces after a list item are not part of it
]

SLOW = [
    "",
    "# 只有注释\n",
    "title: 关于 #诉求# 的通报\n",  # a cut by comment: explained by _check_cut
    "title: 甲 # 注释\n",  # a comment after a plain value: PyYAML drops it
    "year: 2023  # 六个部分\n",
    "title: &甲 文字\n",  # an anchor: explained by _check_anchor
    'title: "未闭合\n',
    'title: "换\n  行"\n',  # a double-quoted string over two lines
    "title: >\n  折叠\n  文本\n",
    "title: |\n  字面\n",
    "title: 第一行\n  第二行\n",  # a plain string over two lines
    "title: 甲\ntitle: 乙\n",  # a duplicate key: PyYAML's error
    "published: 2024-02-30\n",  # an impossible date stays a string (constructed by _construct_timestamp)
    "year: 2024\n",
    "size: 1.10\n",
    "code: 0150000012\n",
    "on: 是\n",  # a key YAML 1.1 reads as true
    "null: 1\n",
    "title: \u3000全角空格开头\n",
    "title: 甲\x85乙\n",
    "title: \"\\u00e9\"\n",
    "title: \"\\t\"\n",
    "columns: [a, [b]]\n",
    "columns: [\"a, b\"]\n",
    "columns: [a,]\n",
    "columns:\n- a\n- b\n",  # a list at the key's own indentation
    "attachments:\n  - title: 甲\n      file: a.pdf\n",
    "attachments:\n  - title:\n      sub: 1\n",
    "attachments:\n  -  title: 甲\n",
    "attachments:\n  - a\n    - b\n",
    "attachments:\n  - 甲\n    乙\n",
    "k: v\n  x: y\n",
    "k:v\n",
    "- a\n- b\n",
    "%YAML 1.1\n---\nk: v\n",
    "k: !!str 1\n",
    "k: *a\n",
    "k: {a: 1}\n",
    "k: a: b\n",
    "k: =\n",
    "k: .inf\n",
    "k: -1\n",
    "k: ? x\n",
    "<<: {a: 1}\n",
    "k:\n  - 0 \n",  # a number, spaces after it: PyYAML's int
]


def _full(text: str, line_offset: int) -> Any:
    """What _Loader gives (or the problem it explains), the fast path turned off."""
    saved = yamlsrc._parse_flat
    yamlsrc._parse_flat = lambda text, line_offset: None
    try:
        return yamlsrc._parse(text, line_offset)
    except YamlSyntaxError as exc:
        return ("error", exc.line, exc.message)
    finally:
        yamlsrc._parse_flat = saved


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return (list(a) == list(b) and a.line == b.line and a.key_lines == b.key_lines
                and a.bool_texts == b.bool_texts and all(_same(a[k], b[k]) for k in a))
    if isinstance(a, list):
        return (len(a) == len(b) and a.line == b.line and a.item_lines == b.item_lines
                and all(_same(x, y) for x, y in zip(a, b, strict=True)))
    return bool(a == b) and getattr(a, "text", None) == getattr(b, "text", None)


@pytest.mark.parametrize("text", FAST)
@pytest.mark.parametrize("line_offset", [0, 1, 7])
def test_fast_path_is_pyyamls_answer(text, line_offset):
    fast = yamlsrc._parse_flat(text, line_offset)
    assert fast is not None, "this front matter should take the fast path"
    assert _same(fast, _full(text, line_offset))


@pytest.mark.parametrize("text", SLOW)
def test_other_texts_are_left_to_pyyaml(text):
    assert yamlsrc._parse_flat(text, 1) is None


def test_lines_and_types_of_a_front_matter():
    """The answers spelled out (not only compared with PyYAML's): a broken fast path that matched a broken
    comparison would still fail here."""
    text = ("# 文件信息\ntitle: 甲\n\npublished: 2024-11-20\ncolumns: [a, b]\nnormative: yes\n"
            "attachments:\n  # 附件\n  - title: 表\n    file: a.pdf\n  - b.pdf\n")
    data = load_yaml(text, line_offset=1)
    assert isinstance(data, Node) and data.line == 3
    assert data.key_lines == {"title": 3, "published": 5, "columns": 6, "normative": 7, "attachments": 8}
    assert type(data["published"]) is TextDate and data["published"] == dt.date(2024, 11, 20)
    assert data["published"].text == "2024-11-20"
    assert data["normative"] is True and data.bool_texts == {"normative": "yes"}
    cols = data["columns"]
    assert isinstance(cols, Seq) and cols == ["a", "b"] and cols.line == 6 and cols.item_lines == [6, 6]
    att = data["attachments"]
    assert isinstance(att, Seq) and att.line == 10 and att.item_lines == [10, 12]
    assert isinstance(att[0], Node) and att[0].key_lines == {"title": 10, "file": 11} and att[1] == "b.pdf"


@pytest.mark.parametrize("raw", [
    "\ufeff---\r\ntitle: 甲\r\n# 注释\r\npublished: 2024-11-20\r\ncolumns: [tzgg]\r\n---\r\n正文\r\n",  # BOM, CRLF
    "---\rtitle: 甲\r\rpublished: 2024-11-20\rcolumns: [tzgg]\r---\r正文\r",  # old Mac line ends
])
def test_windows_files_keep_their_lines(raw):
    fm, _, body_line = split_front_matter(decode_source(raw.encode("utf-8")))
    assert fm is not None
    data = load_yaml(fm, line_offset=1)
    assert _same(yamlsrc._parse_flat(fm, 1), data)
    assert data.key_lines == {"title": 2, "published": 4, "columns": 5} and body_line == 7


COLUMNS = "columns:\n  - name: 通知公告\n    id: tzgg\n    kind: documents\n"


def test_errors_name_the_same_file_line_and_field(tmp_path):
    """Errors found after parsing point at the lines the fast path gave (comments and blank lines counted)."""
    root = make_site(tmp_path, COLUMNS, {
        "a.md": "---\n# 说明\ntitle: 甲\n\nwritten: 2024-12-01\npublished: 2024-11-20\ncolumns: [tzgg, nosuch]\n"
                "attachments:\n  - title: 表\n    file: missing.pdf\n---\n正文\n",
    })
    errors = load_errors(root, dt.date(2026, 11, 24))
    found = {(file, line, fld) for file, line, fld, _ in errors}
    assert ("content/documents/a.md", 5, "written") in found
    assert ("content/documents/a.md", 7, "columns") in found
    assert ("content/documents/a.md", 9, "attachments") in found
    assert any("成文日期 2024-12-01 晚于发布日期 2024-11-20" in message for *_, message in errors)
