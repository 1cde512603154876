"""互动回应: catalog/messages.yml (留言选登), catalog/faq.yml (常见问题库) and the 「我要留言」 link of site.yml."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from conftest import BUILD_DATE, REPO, copy_example, make_site
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue

DAY = dt.date.fromisoformat(BUILD_DATE)


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(REPO, DAY)


def test_example_messages_newest_first_and_faq_by_category(cat):
    i = cat.interaction
    assert [m.id for m in i.messages] == ["2026-003", "2026-002", "2026-001"]
    m = i.messages[1]
    assert (m.received, m.replied, m.office, m.simple) == (dt.date(2026, 10, 19), dt.date(2026, 10, 20), "示例市民政局养老服务处", True)
    assert [name for name, _ in i.categories] == ["政府信息公开", "社会救助", "养老服务", "婚姻登记"]
    assert (i.rules.reply_workdays, i.rules.simple_workdays) == (5, 1)
    assert (i.link_label, i.link_url) == ("我要留言", "https://zwfw.example.gov.cn/hdjl/")


COLUMNS = """\
columns:
  - name: 留言选登
    id: lyxd
    kind: messages
  - name: 常见问题
    id: cjwt
    kind: faq
"""


def site_with(tmp_path, messages: str | None = None, faq: str | None = None, columns: str = COLUMNS):
    root = make_site(tmp_path, columns)
    for name, text in (("messages.yml", messages), ("faq.yml", faq)):
        if text is not None:
            (root / "catalog" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def errors(root):
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, DAY)
    return [(p.file, p.line, p.field, p.message) for p in info.value.problems if p.level == "error"]


def test_every_mistake_is_reported_with_file_line_and_field(tmp_path):
    found = errors(site_with(tmp_path, """\
        rules:
          reply_workdays: 0
        messages:
          - id: a1
            received: 2026-10-10
            title: 标题
            question: 问题
            replied: 2026-10-09
            office: 处
            answer: 答复
          - id: a1
            received: 2026-10-10
            title: 标题
            question: 问题
            replied: 2026-10-12
            office: 处
            answr: 答复
        """, """\
        faq:
          - id: Q 1
            question: 问
            answer: 答
          - id: q2
            question: 问
        """))

    def has(file, line, field, *words):
        return any(f == file and ln == line and fl == field and all(w in m for w in words) for f, ln, fl, m in found)

    assert has("catalog/messages.yml", 2, "reply_workdays", "不小于 1")
    assert has("catalog/messages.yml", 8, "replied", "早于来信日期")
    assert has("catalog/messages.yml", 11, "id", "「a1」重复", "第 4 行")
    assert has("catalog/messages.yml", 17, "answr", "未知字段", "answer")
    assert has("catalog/faq.yml", 2, "id", "「Q 1」无效")
    assert has("catalog/faq.yml", 5, "answer", "缺少必填字段「answer」")


def test_a_letter_naming_its_writer_stops_the_build(tmp_path):
    """catalog/messages.yml goes through the privacy gate like every published file."""
    found = errors(site_with(tmp_path, """\
        messages:
          - id: a1
            received: 2026-10-10
            title: 标题
            question: 我的身份证号是 11010519491231002X，请帮忙查询。
            replied: 2026-10-12
            office: 处
            answer: 答复
        """))
    assert any(f == "catalog/messages.yml" and ln == 5 and "身份证" in m for f, ln, _, m in found), found


def test_messages_without_a_column_warn(tmp_path):
    root = site_with(tmp_path, faq="faq:\n  - {id: q1, question: 问, answer: 答}\n",
                     columns="columns:\n  - name: 部门文件\n    id: bmwj\n    kind: documents\n")
    cat = load_catalogue(root, DAY)
    assert any(w.file == "catalog/faq.yml" and "kind: faq" in w.message for w in cat.warnings)


def test_the_link_must_be_an_address(tmp_path):
    root = copy_example(tmp_path / "site")
    p = root / "catalog" / "site.yml"
    p.write_text(p.read_text(encoding="utf-8").replace("https://zwfw.example.gov.cn/hdjl/", "12345"), encoding="utf-8")
    found = errors(root)
    assert any(f == "catalog/site.yml" and fl == "url" and "http://" in m for f, _, fl, m in found)
