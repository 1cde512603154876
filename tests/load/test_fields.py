"""gongkai.load.fields: typed reading of one YAML mapping, every problem with file, line and field (in process)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.errors import Problems
from gongkai.load.fields import Fields, records, type_name
from gongkai.load.yamlsrc import load_yaml

FILE = "catalog/test.yml"
ALLOWED = {"name": "名称", "count": "数量", "flag": "开关", "day": "日期", "tags": "标签", "kind": "类型", "items": "条目"}


def read(text: str, allowed: dict[str, str] = ALLOWED, what: str = "测试项") -> tuple[Fields, Problems]:
    """Fields over a YAML text parsed the way gongkai parses it (with the line of each key)."""
    problems = Problems()
    return Fields(problems, FILE, load_yaml(text), allowed, what), problems


def found(problems: Problems) -> list[tuple[str, int | None, str | None, str]]:
    return [(p.level, p.line, p.field, p.message) for p in problems.items]


@pytest.mark.parametrize("value, name", [
    (True, "是/否"), (False, "是/否"), (dt.date(2024, 1, 1), "日期"), (dt.datetime(2024, 1, 1, 8), "日期"), (3, "数字"),
    (1.5, "数字"), ("x", "文本"), ([1], "列表"), ({"a": 1}, "键值对象"), (None, "空值"), (b"x", "bytes"),
])
def test_type_name(value, name):
    assert type_name(value) == name


def test_unknown_field_names_its_line_and_the_closest_allowed_field():
    f, problems = read("name: 甲\ncout: 3\nzzz: 1\n")
    assert f.ok
    (typo, other) = problems.items
    assert (typo.file, typo.line, typo.field, typo.level) == (FILE, 2, "cout", "error")
    assert "未知字段「cout」" in typo.message and "是否应为「count」（数量）" in typo.message
    assert "可用字段：name、count、flag、day、tags、kind、items" in typo.message
    assert (other.line, other.field) == (3, "zzz") and "是否应为" not in other.message


@pytest.mark.parametrize("text, kind", [("- a\n- b\n", "列表"), ("just text\n", "文本"), ("42\n", "数字")])
def test_a_non_mapping_is_one_error_and_reads_as_empty(text, kind):
    f, problems = read(text, what="栏目")
    assert not f.ok
    assert [p.message for p in problems.items] == [f"栏目应为键值对象，实际是{kind}"]
    assert f.str("name") == "" and f.int("count", 7) == 7 and not f.has("name")
    assert len(problems.items) == 1  # reading fields of a non-mapping adds nothing


def test_a_plain_dict_without_lines_works_too():
    problems = Problems()
    f = Fields(problems, FILE, {"name": " 甲 ", "bad": 1}, ALLOWED, "测试项")
    assert f.ok and f.str("name") == "甲" and f.start_line is None and f.line("name") is None
    assert found(problems) == [("error", None, "bad", problems.items[0].message)]


def test_str():
    f, problems = read("name: '  甲乙  '\ncount: 12\nday: 2024-03-05\nflag: true\ntags: [a]\nkind: ''\n")
    assert f.str("name") == "甲乙"
    assert f.str("count") == "12"  # a number written where text is expected is read as its text
    assert f.str("day") == "2024-03-05"
    assert f.str("missing", default="默认") == "默认"
    assert problems.items == []
    assert f.str("flag", default="d") == "d" and f.str("tags") == ""
    assert f.str("kind", required=True) == ""
    assert found(problems) == [("error", 4, "flag", "「true」会被 YAML 读成是/否，而这里要写文字：请给它加上英文引号（flag: \"true\"）"),
                               ("error", 5, "tags", "应为文本，实际是列表"),
                               ("error", 6, "kind", "不能为空")]


def test_required_but_missing_is_reported_at_the_start_of_the_mapping():
    problems = Problems()
    data = load_yaml("items:\n  - name: 甲\n  - kind: x\n")
    second = Fields(problems, FILE, data["items"][1], ALLOWED, "栏目")
    assert second.str("name", required=True) == ""
    assert second.date("day", required=True) is None
    assert second.str_list("tags", required=True) == []
    assert found(problems) == [("error", 3, "name", "栏目缺少必填字段「name」"), ("error", 3, "day", "栏目缺少必填字段「day」"),
                               ("error", 3, "tags", "栏目缺少必填字段「tags」")]


def test_null_counts_as_missing():
    f, problems = read("name:\ncount: ~\n")
    assert not f.has("name") and f.raw("name") is None
    assert f.int("count", 5) == 5 and f.str("name", default="x") == "x"
    assert problems.items == []


def test_int():
    f, problems = read("count: 3\nflag: true\nname: 三\nkind: 0\n")
    assert f.int("count", 1) == 3
    assert f.int("missing", 9) == 9
    assert f.int("flag", 1) == 1  # true is not 1
    assert f.int("name", 2) == 2
    assert f.int("kind", 4, minimum=1) == 4
    assert found(problems) == [("error", 2, "flag", "应为整数，实际是是/否「True」"), ("error", 3, "name", "应为整数，实际是文本「三」"),
                               ("error", 4, "kind", "应不小于 1")]


def test_bool():
    f, problems = read("flag: false\nname: 是\nkind: 否\ncount: 1\n")
    assert f.bool("flag", default=True) is False
    assert f.bool("name") is True and f.bool("kind", default=True) is False
    assert f.bool("missing", default=True) is True
    assert f.bool("count", default=True) is True
    assert found(problems) == [("error", 4, "count", "应为 true 或 false（是/否），实际是「1」")]


def test_date():
    f, problems = read("day: 2024-03-05\nname: '2024-3-5'\nkind: 2024-02-30\ncount: 2024-13-01\nflag: 2024-01-02 08:30:00\n"
                       "tags: 明天\n")
    assert f.date("day") == dt.date(2024, 3, 5)
    assert f.date("name") == dt.date(2024, 3, 5)  # one-digit month and day in a string
    assert f.date("flag") == dt.date(2024, 1, 2)  # a YAML timestamp: its day
    assert f.date("missing") is None
    assert problems.items == []
    assert f.date("kind") is None and f.date("count") is None and f.date("tags") is None
    assert found(problems) == [
        ("error", 3, "kind", "日期「2024-02-30」无效，应写作 YYYY-MM-DD，例如 2024-03-15"),
        ("error", 4, "count", "日期「2024-13-01」无效，应写作 YYYY-MM-DD，例如 2024-03-15"),
        ("error", 6, "tags", "日期「明天」无效，应写作 YYYY-MM-DD，例如 2024-03-15"),
    ]


def test_str_list():
    f, problems = read("tags:\n  - 甲\n  - 2024\n  - {a: 1}\n  -\n  - true\nname: ' 单个 '\nkind: '  '\ncount: 3\nitems: []\n")
    assert f.str_list("tags") == ["甲", "2024"]
    assert found(problems) == [("error", 4, "tags", "第 3 项应为文本，实际是键值对象"), ("error", 5, "tags", "第 4 项应为文本，实际是空值"),
                               ("error", 6, "tags", "第 5 项应为文本，实际是是/否")]  # each at its own line
    problems.items.clear()
    assert f.str_list("name") == ["单个"]  # one text is a list of one
    assert f.str_list("kind") == []
    assert f.str_list("count") == []
    assert f.str_list("items", required=True) == []
    assert f.str_list("missing") == []
    assert found(problems) == [("error", 9, "count", "应为列表，实际是数字"), ("error", 10, "items", "不能为空列表")]


def test_choice():
    f, problems = read("kind: documents\nname: 文件夹\n")
    assert f.choice("kind", ("documents", "page")) == "documents"
    assert f.choice("name", ["documents", "page"], default="page") == "page"
    assert f.choice("missing", ("documents",)) == ""
    assert found(problems) == [("error", 2, "name", "取值「文件夹」无效，可选：documents、page")]


def test_records_reads_a_list_of_mappings():
    f, problems = read("items:\n  - name: 甲\n    count: 1\n  - 乙\n  - name: 丙\n    cont: 2\n")
    items = f.records("items", {"name": "名称", "count": "数量"}, "条目", "每项写 name 和 count")
    assert [(i.str("name"), i.start_line) for i in items] == [("甲", 2), ("丙", 5)]  # the text item is dropped
    assert items[0].int("count", 0) == 1
    assert [(p.line, p.field) for p in problems.items] == [(4, "items"), (6, "cont")]  # a text item: at its own line
    assert problems.items[0].message == "第 2 项条目应为键值对象，每项写 name 和 count，实际是文本"


def test_records_numbered_names_each_item_in_its_messages():
    f, problems = read("items:\n  - name: 甲\n  - count: 2\n")
    items = f.records("items", {"name": "名称", "count": "数量"}, "条目", "每项写 name", numbered=True)
    assert [i.str("name", required=True) for i in items] == ["甲", ""]
    assert found(problems) == [("error", 3, "name", "第 2 项条目缺少必填字段「name」")]


def test_records_of_a_non_list_says_what_each_item_holds():
    f, problems = read("items: 甲\n")
    assert f.records("items", {"name": "名称"}, "条目", "每项写 name") == []
    assert found(problems) == [("error", 1, "items", "应为列表，每项写 name，实际是文本")]
    problems = Problems()
    assert records(problems, FILE, None, 3, "items", {}, "条目", "x") == [] and problems.items == []


def test_err_and_warn_default_to_the_field_line_or_the_mapping_start():
    problems = Problems()
    data = load_yaml("first: 1\nsecond:\n  name: 甲\n  count: 2\n")
    f = Fields(problems, FILE, data["second"], ALLOWED, "测试项")
    f.err("count", "数量不对")
    f.err(None, "整体不对")
    f.err("count", "指定行", line=9)
    f.warn("name", "名称可疑")
    f.warn(None, "整体可疑")
    assert found(problems) == [("error", 4, "count", "数量不对"), ("error", 3, None, "整体不对"), ("error", 9, "count", "指定行"),
                               ("warning", 3, "name", "名称可疑"), ("warning", 3, None, "整体可疑")]
