"""gongkai.tools.importer, function by function (in process): cells, headers, the tree, ids, the YAML it writes.

The 宣城 table end to end (CSV and .xlsx, `gongkai import`, then a build) is tests/cli/test_import.py.
"""

from __future__ import annotations

import textwrap

import openpyxl
import pytest
import yaml

from gongkai.errors import Problems
from gongkai.load.loader import load_columns
from gongkai.tools import importer
from gongkai.tools.importer import ImportResult, Node, Row, TableError
from gongkai.vocab import normalize_frequency


@pytest.mark.parametrize("value, text", [
    (None, ""), ("  甲 ", "甲"), (3.0, "3"), (2.5, "2.5"), (7, "7"),
    ("政务公开\n标准化", "政务公开标准化"),  # a wrapped line in a cell: no space between Chinese
    ("Open\r\nData", "Open Data"),  # …but between two Latin words
    ("甲\u3000乙", "甲 乙"), ("a \t  b", "a b"), ("第一\n  2 项", "第一2 项"),
])
def test_clean(value, text):
    assert importer.clean(value) == text


@pytest.mark.parametrize("text, freq", [
    ("及时更新", "及时更新"), ("及时", "及时更新"), ("季度更新", "季度更新"), ("每季度", "每季度更新"), ("月度更新", "月度更新"),
    ("每月", "每月更新"), ("年度 更新", "年度更新"), ("每年", "每年更新"), ("偶尔", ""), ("", ""),
])
def test_frequencies_as_tables_write_them(text, freq):
    assert normalize_frequency(text) == freq  # what build_tree reads a 更新频率 cell with


def test_find_header_below_a_title_maps_synonyms_and_names_the_rest():
    table = [(1, ["某局栏目分工表", "", ""]), (2, ["编号", "一级 目录", "二级事项", "三级栏目", "更新周期", "责任处室", "公开依据", "备注", "说明"])]
    i, mapping, ignored = importer.find_header(table)
    assert i == 1
    assert mapping == {0: "seq", 1: "l1", 2: "l2", 3: "l3", 4: "frequency", 5: "office", 7: "description"}
    assert ignored == ["公开依据", "说明"]  # 说明 repeats description: the first one wins


def test_no_header_in_the_first_20_rows_is_a_table_error():
    table = [(n, ["名称", "频率"]) for n in range(1, 21)] + [(21, ["一级栏目"])]
    with pytest.raises(TableError, match="找不到表头"):
        importer.find_header(table)


def rows(*specs: str) -> list[Row]:
    """Rows from 'l1|l2|l3|frequency|office' strings, numbered from 3 (a title and a header above)."""
    keys = ("l1", "l2", "l3", "frequency", "office")
    return [Row(n, dict(zip(keys, (s.split("|") + [""] * 5)[:5], strict=True))) for n, s in enumerate(specs, 3)]


def shape(nodes: list[Node]) -> list:
    return [(n.name, n.row, n.frequency, n.office, n.id, shape(n.children)) for n in nodes]


def test_empty_cells_repeat_the_row_above_like_merged_cells():
    roots, problems = importer.build_tree(rows(
        "政策法规|部门文件||及时更新|各科室",
        "|上级文件",  # 政策法规 again; 更新频率 and 负责科室 carried down too
        "|规范性文件|制定公开||法规科",
        "||清理结果|每年",
        "规划计划|||及时|办公室",
    ), "t.csv")
    assert problems == []
    assert shape(roots) == [
        ("政策法规", None, "", "", "", [
            ("部门文件", 3, "及时更新", "各科室", "", []),
            ("上级文件", 4, "及时更新", "各科室", "", []),
            ("规范性文件", None, "", "", "", [
                ("制定公开", 5, "及时更新", "法规科", "", []),
                ("清理结果", 6, "每年更新", "法规科", "", [])])]),
        ("规划计划", 7, "及时更新", "办公室", "", [])]


def test_a_row_of_its_own_and_a_parent_of_others():
    roots, problems = importer.build_tree(rows("养老服务||||养老科", "|热点回应"), "t.csv")
    assert problems == []
    assert shape(roots) == [("养老服务", 3, "", "养老科", "", [("热点回应", 4, "", "养老科", "", [])])]


def test_rows_that_cannot_be_placed_are_problems_with_their_row_number():
    roots, problems = importer.build_tree(rows(
        "|孤儿二级",  # row 3: nothing above to repeat
        "甲|子",
        "甲|子",  # row 5: duplicate
        "|||及时更新|办公室",  # row 6: no name at all
        "乙||||",
        "丙||孙",  # row 8: 三级 under an empty 二级 with a different 一级 above
        "丁|||偶尔|科",  # row 9: frequency not understood, the column is still imported
    ), "表.csv")
    got = [(p.file, p.line, p.field) for p in problems]
    assert got == [("表.csv", 3, "一级栏目"), ("表.csv", 5, "二级栏目"), ("表.csv", 6, None), ("表.csv", 8, "二级栏目"),
                   ("表.csv", 9, "更新频率")]
    msgs = [p.message for p in problems]
    assert msgs[0].startswith("第 3 行：") and "「孤儿二级」" in msgs[0]
    assert "与第 4 行重复" in msgs[1]
    assert "没有栏目名称" in msgs[2] and "更新频率「及时更新」" in msgs[2] and "负责科室「办公室」" in msgs[2]
    assert "「孙」" in msgs[3] and "二级栏目为空" in msgs[3]
    assert "「偶尔」无法识别" in msgs[4]
    assert [n.name for n in roots] == ["甲", "乙", "丁"]
    assert shape(roots)[2] == ("丁", 9, "", "科", "", [])


def test_blank_rows_are_skipped():
    roots, problems = importer.build_tree([Row(3, {"l1": "", "l2": "", "frequency": ""}), *rows("甲")], "t.csv")
    assert problems == [] and [n.name for n in roots] == ["甲"]


def test_ids_only_where_initials_collide_or_cannot_serve():
    roots = [Node("补贴文件", children=[Node("部门文件"), Node("补贴文件"), Node("补贴外径")]),  # btwj twice below
             Node("补贴外径"),  # btwj again at the top: btwj-2 is taken below, so btwj-3
             Node("数据"), Node("ABC"), Node("——")]  # sj and abc are fine; no initials at all
    importer.assign_ids(roots)
    assert [(n.name, n.id) for n in roots[0].children] == [("部门文件", ""), ("补贴文件", ""), ("补贴外径", "btwj-2")]
    assert [n.id for n in roots] == ["", "btwj-3", "", "", "lm-2"]


def test_a_reserved_top_level_folder_gets_an_id_only_at_the_top():
    roots = [Node("search", children=[Node("data")]), Node("数据")]
    importer.assign_ids(roots)
    assert [n.id for n in roots] == ["search-2", ""]
    assert roots[0].children[0].id == ""  # data/ is reserved only as a top-level folder


@pytest.mark.parametrize("text, out", [
    ("部门文件", "部门文件"), ("“六稳”“六保”专项工作", "“六稳”“六保”专项工作"), ("yes", '"yes"'), ("No", '"No"'),
    ("2021年报", '"2021年报"'), ("- 列表", '"- 列表"'), ("a: b", '"a: b"'), ("#注释", '"#注释"'), ("甲 #乙", '"甲 #乙"'),
    ("结尾:", '"结尾:"'), ("[x]", '"[x]"'), ('引"号', '引"号'), ("'单'", '"\'单\'"'), ("", '""'),
])
def test_scalar_is_plain_only_when_yaml_reads_it_back_the_same(text, out):
    assert importer.scalar(text) == out
    assert yaml.safe_load(f"k: {importer.scalar(text)}")["k"] == text


def test_to_yaml_loads_as_the_same_catalogue(tmp_path):
    result = ImportResult(
        roots=[Node("政策法规", children=[Node("部门文件", 3, "及时更新", "各科室", "本局文件"), Node("yes", 4)]),
               Node("补贴外径", 5, id="btwj-2")],
        problems=[], rows=3, ignored_headers=[])
    text = importer.to_yaml(result, "表.xlsx")
    assert text.startswith("# 政府信息公开标准目录：由 gongkai import 从「表.xlsx」导入（3 行，4 个栏目）。\n")
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "columns.yml").write_text(text, encoding="utf-8")
    problems = Problems()
    roots = load_columns(tmp_path, problems)
    assert problems.items == []
    got = [(c.path, c.name, c.kind, c.frequency, c.office, c.description) for r in roots for c in r.walk()]
    assert got == [("zcfg", "政策法规", "section", "", "", ""), ("zcfg/bmwj", "部门文件", "documents", "及时更新", "各科室", "本局文件"),
                   ("zcfg/yes", "yes", "documents", "", "", ""), ("btwj-2", "补贴外径", "documents", "", "", "")]


# --- reading files ----------------------------------------------------------------------------------


def test_csv_in_utf8_with_bom_and_in_gb18030(tmp_path):
    text = "标题行\n一级栏目,二级栏目,更新频率\n\"政策\n法规\",部门文件,及时\n,上级文件,\n"
    for enc in ("utf-8-sig", "gb18030"):
        path = tmp_path / f"{enc}.csv"
        path.write_bytes(text.encode(enc))
        # record numbers are the line each record starts on (a quoted cell may span lines)
        assert importer.read_csv(path) == [(1, ["标题行"]), (2, ["一级栏目", "二级栏目", "更新频率"]),
                                           (3, ["政策法规", "部门文件", "及时"]), (5, ["", "上级文件", ""])]


def test_xlsx_merged_cells_carry_the_top_left_value(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "一级栏目", "二级栏目", "更新频率"])
    ws.append([1, "政策法规", "部门文件", "及时更新"])
    ws.append([2, None, "上级文件", None])
    ws.append([3.0, "规划计划", None, "每年"])
    ws.merge_cells("B2:B3")
    ws.merge_cells("D2:D3")
    other = wb.create_sheet("第二页")
    other.append(["一级栏目"])
    other.append(["甲"])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    assert importer.read_table(path) == [
        (1, ["序号", "一级栏目", "二级栏目", "更新频率"]), (2, ["1", "政策法规", "部门文件", "及时更新"]),
        (3, ["2", "政策法规", "上级文件", "及时更新"]), (4, ["3", "规划计划", "", "每年"])]
    assert importer.read_table(path, "第二页") == [(1, ["一级栏目"]), (2, ["甲"])]
    with pytest.raises(TableError, match="没有名为「第三页」的工作表，可选：Sheet、第二页"):
        importer.read_table(path, "第三页")


@pytest.mark.parametrize("name, data, message", [
    ("a.xls", b"\xd0\xcf\x11\xe0", "不支持旧版 .xls"),
    ("a.txt", b"x", "不支持的文件类型「.txt」"),
    ("noext", b"x", "不支持的文件类型「无扩展名」"),
    ("a.xlsx", b"PK not really a zip", "无法读取 Excel 文件"),
])
def test_unreadable_files_are_table_errors(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(TableError, match=message):
        importer.read_table(path)


def test_import_table_end_to_end_in_process(tmp_path):
    path = tmp_path / "表.csv"
    path.write_text(textwrap.dedent("""\
        分工表
        序号,一级栏目,二级栏目,三级栏目,更新频率,负责科室,公开依据
        1,政策法规,部门文件,,及时更新,各科室,条例
        2,,上级文件,,,,
        ,,,,,,
        3,规划计划,,,偶尔,办公室,
        """), encoding="utf-8")
    result = importer.import_table(path)
    assert (result.rows, result.columns, result.ignored_headers) == (3, 4, ["公开依据"])
    assert [(p.file, p.line, p.field) for p in result.problems] == [("表.csv", 6, "更新频率")]
    assert shape(result.roots) == [("政策法规", None, "", "", "", [("部门文件", 3, "及时更新", "各科室", "", []),
                                                               ("上级文件", 4, "及时更新", "各科室", "", [])]),
                                   ("规划计划", 6, "", "办公室", "", [])]
    empty = tmp_path / "空.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(TableError, match="表格是空的"):
        importer.import_table(empty)


def test_a_problem_is_a_gongkai_problem():
    _, problems = importer.build_tree(rows("|孤儿"), "t.csv")
    assert problems[0].format() == "t.csv:3: 错误: 字段「一级栏目」：" + problems[0].message
