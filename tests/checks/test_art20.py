"""《条例》第二十条 coverage (gongkai/checks/art20.py): each of the 15 items served by a column or declared
本机关不涉及 with a reason; a todo for each item with neither, once a catalogue declares `art20` at all."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from conftest import MINIMAL_SITE_YML, REPO, make_site
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue

DAY = dt.date(2026, 11, 24)


def todos(cat) -> list[str]:
    return [p.message.split("：")[0] for p in cat.todos if p.field == "art20"]


def test_the_example_serves_every_item_or_says_why_not():
    cat = load_catalogue(REPO, DAY)
    assert todos(cat) == []
    assert cat.site.art20_not_applicable == {8: "本机关无行政事业性收费项目", 10: "本机关不承担重大建设项目的审批和实施"}
    served = {n for c in cat.columns() for n in c.art20}
    assert served | {8, 10} == set(range(1, 16)) and not served & {8, 10}


def test_an_item_left_without_a_column_is_a_todo(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(REPO / "catalog", root / "catalog")
    shutil.copytree(REPO / "content", root / "content")
    cols = root / "catalog" / "columns.yml"
    text = cols.read_text(encoding="utf-8")
    cols.write_text(re.sub(r"\n +art20: \[12\]\n", "\n", text, count=1), encoding="utf-8")  # 应急管理
    site = root / "catalog" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("  8: 本机关无行政事业性收费项目\n", ""), encoding="utf-8")
    cat = load_catalogue(root, DAY)
    assert todos(cat) == ["没有栏目对应《政府信息公开条例》第二十条第（八）项（行政事业性收费项目及其依据、标准）",
                          "没有栏目对应《政府信息公开条例》第二十条第（十二）项（突发公共事件的应急预案、预警信息及应对情况）"]
    assert cat.warnings == load_catalogue(REPO, DAY).warnings  # todos, not warnings: the build stays clean


COLUMNS = "columns:\n  - name: 部门文件\n    kind: documents\n    art20: [1, 11]\n"


def test_a_catalogue_without_art20_is_not_checked(tmp_path):
    cat = load_catalogue(make_site(tmp_path, "columns:\n  - name: 部门文件\n    kind: documents\n"), DAY)
    assert todos(cat) == []
    cat = load_catalogue(make_site(tmp_path / "b", COLUMNS), DAY)
    assert len(todos(cat)) == 13


def test_served_and_not_applicable_at_once_is_a_warning(tmp_path):
    root = make_site(tmp_path, COLUMNS, site_yml=MINIMAL_SITE_YML + "art20_not_applicable:\n  11: 不涉及\n")
    cat = load_catalogue(root, DAY)
    [w] = [p for p in cat.warnings if p.field == "art20_not_applicable"]
    assert w.line == 4 and "第二十条第（十一）项写了本机关不涉及，但栏目「部门文件」标注了对应这一项" in w.message


def test_mistakes_are_errors(tmp_path):
    root = make_site(tmp_path, COLUMNS.replace("[1, 11]", "[0, 16, 一]"),
                     site_yml=MINIMAL_SITE_YML + "art20_not_applicable:\n  20: 无\n  9: ''\n")
    with pytest.raises(GongkaiError) as exc:
        load_catalogue(root, DAY)
    text = exc.value.report()
    for bad in ("「0」无效", "「16」无效", "「一」无效"):
        assert "catalog/columns.yml:4: 错误: 字段「art20」：" + bad in text
    assert "catalog/site.yml:5: 错误: 字段「art20_not_applicable」：「20」不是第二十条的项号（1—15）" in text
    assert "catalog/site.yml:6: 错误: 字段「art20_not_applicable」：第 9 项没有写不涉及的理由" in text
