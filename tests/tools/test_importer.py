"""gongkai.tools.importer, function by function (in process): cells, headers, the tree, ids, the YAML it writes.

The 宣城 table end to end (CSV and .xlsx, `gongkai import`, then a build) is tests/cli/test_import.py.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

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
    table = [(1, ["某局栏目分工表", "", ""]),
             (2, ["编号", "一级 目录", "二级事项", "三级栏目", "更新周期", "责任处室", "公开依据", "备注", "说明", "栏目说明"])]
    h = importer.find_header(table)
    assert h.row == 1
    assert h.fields == {1: "l1", 2: "l2", 3: "l3", 4: "frequency", 5: "office", 6: "basis", 8: "description"}
    assert h.ignored == {7: "备注", 9: "栏目说明"}  # 备注 is never published; a second 说明 column: the first one wins


@pytest.mark.parametrize("cells, fields", [
    # as real tables write them: a trailing 名称, a bracketed note, 更新时限, 事项类别/事项名称
    (["一级栏目名称", "二级栏目名称", "三级栏目名称", "更新时限", "责任科室（单位）"], ["l1", "l2", "l3", "frequency", "office"]),
    (["事项\n类别", "事项 名称", "内容要求", "公开时限", "公开渠道"], ["l1", "l2", "content", "deadline", "channels"]),
    (["一级事项", "二级事项", "公开内容(要素)", "公开主体", "公开渠道和载体", "公开层级"],
     ["l1", "l2", "content", "subject", "channels", "level"]),
    (["序号", "栏目名称", "子栏目", "更新周期", "责任科室"], ["l1", "l2", "frequency", "office"]),
])
def test_header_synonyms_of_real_tables(cells, fields):
    h = importer.find_header([(1, [importer.clean(c) for c in cells])])
    assert list(h.fields.values()) == fields and h.ignored == {}


def test_a_second_header_row_takes_the_upper_cells_and_reads_tick_columns():
    table = [(1, ["序号", "公开事项", "", "公开内容（要素）", "公开对象", "", "公开方式", ""]),
             (2, ["", "一级事项", "二级事项", "", "全社会", "特定群众", "主动", "依申请公开"])]
    h = importer.find_header(table)
    assert h.row == 1 and h.fields == {1: "l1", 2: "l2", 3: "content"}
    assert h.ticks == {4: ("audience", "全社会"), 5: ("audience", "特定群体"), 6: ("mode", "主动"), 7: ("mode", "依申请")}


@pytest.mark.parametrize("text, channels, unknown", [
    ("■政府网站 □两微一端 ■公开查阅点", ["政府网站", "公开查阅点"], []),
    ("■政府网站 ■政府信息公开平台 □政务新媒体", ["政府网站", "其他"], ["政府信息公开平台"]),
    ("□政府网站 ☑政务新媒体 ■报刊 ■电视", ["两微一端", "纸质媒体", "广播电视"], []),
    ("政府网站，公开查阅点、政务服务中心", ["政府网站", "公开查阅点", "政务服务中心"], []),
    ("口社区/企事业单位/村公示栏(电子屏) ■入户/现场", ["入户/现场"], []),  # 口 for □, as scanned tables print it
])
def test_channels_from_boxes_or_lists(text, channels, unknown):
    assert importer.split_channels(text) == (channels, unknown)


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
    assert shape(roots)[2] == ("丁", 9, "偶尔", "科", "", [])  # kept verbatim; the problem is a warning
    assert [p.level for p in problems] == ["error"] * 4 + ["warning"]


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
    ("a.xls", b"\xd0\xcf\x11\xe0", r"「a.xls」是Excel 97-2003 工作簿（.xls），不能直接导入：请在 Excel 或 WPS 中打开它"),
    ("a.txt", b"x", "不支持的文件类型「.txt」"),
    ("noext", b"x", "不支持的文件类型「无扩展名」"),
    ("a.xlsx", b"PK not really a zip", "无法读取 Excel 文件"),
])
def test_unreadable_files_are_table_errors(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(TableError, match=message):
        importer.read_table(path)


def test_a_wps_spreadsheet_is_named_with_how_to_save_it_as_xlsx(tmp_path):
    """WPS 表格's own format (.et, an OLE2 binary like .xls) cannot be read: the message says so in the clerk's terms,
    names the file and the .xlsx to save it as; the same when such a file was only renamed to .xlsx."""
    et = tmp_path / "公开目录2024.et"
    et.write_bytes(importer.OLE2_MAGIC + bytes(504))
    with pytest.raises(TableError) as info:
        importer.read_table(et)
    assert str(info.value) == ("「公开目录2024.et」是WPS 表格文件（.et），不能直接导入：请在 WPS 中打开它，选择「文件 → 另存为」，"
                               "文件类型选「Excel 工作簿（*.xlsx）」，保存为「公开目录2024.xlsx」后导入该文件（也可以另存为 .csv）")
    renamed = tmp_path / "目录.xlsx"
    renamed.write_bytes(et.read_bytes())
    with pytest.raises(TableError, match="「目录.xlsx」是旧版 Excel（.xls）或 WPS 表格（.et）文件，只是扩展名改成了 .xlsx"):
        importer.read_table(renamed)


def test_import_table_end_to_end_in_process(tmp_path):
    path = tmp_path / "表.csv"
    path.write_text(textwrap.dedent("""\
        分工表
        序号,一级栏目,二级栏目,三级栏目,更新频率,负责科室,备注
        1,政策法规,部门文件,,及时更新,各科室,张三负责，内部勿公开
        2,,上级文件,,,,
        ,,,,,,
        3,规划计划,,,偶尔,办公室,
        """), encoding="utf-8")
    result = importer.import_table(path)
    assert (result.rows, result.columns, result.ignored_headers) == (3, 4, ["备注"])
    assert [(p.file, p.line, p.field, p.level) for p in result.problems] == [("表.csv", 6, "更新频率", "warning")]
    assert result.errors == []
    assert shape(result.roots) == [("政策法规", None, "", "", "", [("部门文件", 3, "及时更新", "各科室", "", []),
                                                               ("上级文件", 4, "及时更新", "各科室", "", [])]),
                                   ("规划计划", 6, "偶尔", "办公室", "", [])]
    assert result.roots[0].children[0].notes == ["备注：张三负责，内部勿公开"]
    assert result.roots[0].children[0].description == ""
    empty = tmp_path / "空.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(TableError, match="表格是空的"):
        importer.import_table(empty)


def test_a_problem_is_a_gongkai_problem():
    _, problems = importer.build_tree(rows("|孤儿"), "t.csv")
    assert problems[0].format() == "t.csv:3: 错误: 字段「一级栏目」：" + problems[0].message


# --- real 标准目录 tables ------------------------------------------------------------------------------

REAL = Path(__file__).resolve().parents[1] / "fixtures"


def load_imported(tmp_path, result: ImportResult, name: str):
    """The imported YAML loaded as gongkai loads columns.yml: (roots, problems)."""
    (tmp_path / "catalog").mkdir(parents=True, exist_ok=True)
    (tmp_path / "catalog" / "columns.yml").write_text(importer.to_yaml(result, name), encoding="utf-8")
    problems = Problems()
    return load_columns(tmp_path, problems), problems


def items_of(roots) -> dict[str, tuple]:
    return {c.trail_text("/"): c.items for r in roots for c in r.walk() if c.items}


def test_liandu_table_boxes_merged_cells_and_columns_kept_out(tmp_path):
    # 丽水市莲都区民政局 区级部门主动公开基本目录 (see tests/fixtures/catalogue-tables/make_tables.py)
    result = importer.import_table(REAL / "catalogue-tables" / "lishui-liandu-minzheng.xlsx")
    assert (result.rows, result.columns, result.problems) == (5, 7, [])
    assert result.ignored_headers == ["过程", "公开格式", "咨询及监督举报电话"]
    roots, problems = load_imported(tmp_path, result, "lishui-liandu-minzheng.xlsx")
    assert problems.items == []
    items = items_of(roots)
    assert list(items) == ["组织机构/基本信息", "组织机构/机构职能", "组织机构/领导成员", "组织机构/直属单位",
                           "政府信息公开工作专题/政府信息公开制度"]
    [first] = items["组织机构/基本信息"]
    assert (first.name, first.subject, first.basis, first.channels) == (
        "基本信息", "区民政局", "《中华人民共和国政府信息公开条例》", ["政府网站"])
    assert first.content == "办公地址、办公时间、门户网站网址、办公电话、电子邮箱、通讯地址、邮政编码"
    # the 公开渠道 cell merged over four rows reaches every one of them
    assert [i.channels for v in items.values() for i in v] == [["政府网站"]] * 5
    # 公开时限 is how fast each piece is published: event-driven, 20 working days — the 公开事项's, not the column's
    # 更新频率 (the table has none): the five columns are named for the clerk to fill in
    col = roots[0].children[0]
    assert (first.deadline, first.schedule.event, first.schedule.event_within.label) == (
        "信息产生或变更之日起20个工作日内公开", True, "20个工作日")
    assert col.frequency == "" and not col.schedule.event
    assert result.without_frequency == [(2, "组织机构 / 基本信息"), (3, "组织机构 / 机构职能"), (4, "组织机构 / 领导成员"),
                                        (5, "组织机构 / 直属单位"), (6, "政府信息公开工作专题 / 政府信息公开制度")]
    assert result.derived_frequency == [] and not result.has_office
    # the phone and the 过程 boxes are comments only: nowhere in the model
    assert "0578" not in repr([c.__dict__ for r in roots for c in r.walk()])


def test_xiaogan_table_two_header_rows_ticks_and_unknown_channels(tmp_path):
    # 孝感市民政局 主动公开基本目录: 公开对象/公开方式 √ columns, one 公开依据 merged over four rows
    result = importer.import_table(REAL / "catalogue-tables" / "xiaogan-minzheng.xlsx")
    assert (result.rows, result.columns, result.problems) == (4, 5, [])
    assert result.ignored_headers == ["政府信息公开平台对应栏目"]
    assert result.notes == ["公开渠道「政府信息公开平台」（第 4、5、6、7 行）不是规定的 13 种公开渠道和载体之一，"
                            "已记为「其他」，原文写在该栏目上方的注释中"]
    roots, problems = load_imported(tmp_path, result, "xiaogan-minzheng.xlsx")
    assert problems.items == []
    items = items_of(roots)
    assert list(items) == ["机构简介/机构概况", "机构简介/领导信息", "机构简介/机构职能", "机构简介/内设机构"]
    for [item] in items.values():
        assert (item.audience, item.mode, item.channels, item.subject) == ("全社会", "主动", ["政府网站", "其他"], "局办公室、人事规财科")
        assert item.basis.endswith("第二十条(二)、三定方案")
        assert item.schedule.event_within.label == "5个工作日"
    assert items["机构简介/领导信息"][0].content == "领导姓名、工作职务、工作分工"


@pytest.mark.parametrize("cell, period, event", [
    ("政策文件类一级栏目6个月内须有更新", "6个月", False),
    ("及时更新，最迟1年内必须有更新", "1年", True),
    ("及时更新，最大更新间隔不得超过6个月", "6个月", True),
    ("每日更新，最大更新间隔不得超过12个日历日", "12个日历日", False),
    ("根据相关文件要求及时发布", None, True),
])
def test_free_text_frequencies_of_real_tables_import_with_their_deadline(tmp_path, cell, period, event):
    path = tmp_path / "表.csv"
    path.write_text("一级栏目名称,二级栏目名称,三级栏目名称,更新时限,责任科室（单位）\n"
                    f"政务公开,政策文件,部门文件,{cell},办公室\n", encoding="utf-8")
    result = importer.import_table(path)
    assert result.problems == [] and result.columns == 3
    roots, problems = load_imported(tmp_path, result, "表.csv")
    assert problems.items == []
    leaf = roots[0].children[0].children[0]
    assert (leaf.trail_text("/"), leaf.frequency, leaf.office) == ("政务公开/政策文件/部门文件", cell, "办公室")
    assert (leaf.schedule.period.label if leaf.schedule.period else None, leaf.schedule.event) == (period, event)


def test_baodi_standard_table_in_csv_with_level_ticks(tmp_path):
    # 天津市宝坻区 社会救助领域基层政务公开标准目录 (tests/fixtures/catalogue-tables/SOURCES.md): a CSV, so the
    # second header row's empty cells take the row above, and 乡、村级 is a √ column of 公开层级
    result = importer.import_table(REAL / "catalogue-tables" / "tianjin-baodi-shehuijiuzhu.csv")
    assert (result.rows, result.columns, result.problems, result.ignored_headers, result.notes) == (2, 3, [], [], [])
    roots, problems = load_imported(tmp_path, result, "tianjin-baodi-shehuijiuzhu.csv")
    assert problems.items == []
    items = items_of(roots)
    assert list(items) == ["最低生活保障/政策法规文件", "最低生活保障/办事指南"]
    for [item] in items.values():
        assert (item.audience, item.mode, item.level, item.channels) == ("全社会", "主动", ["县级", "乡、村级"], ["政府网站"])
        assert item.subject == "县级政府民政部门、乡镇政府(街道办事处)"
        assert item.schedule.event_within == importer.parse_schedule("10个工作日内").within
    assert items["最低生活保障/办事指南"][0].content.startswith("办理事项、办理条件、最低生活保障标准")
    assert items["最低生活保障/政策法规文件"][0].basis == "《信息公开条例》及相关规定"


def test_a_public_item_column_without_a_second_level_is_the_second_level(tmp_path):
    """一级事项 | 公开事项 | 公开时限: the 公开事项 column names the columns under the 一级事项 (each row one column with
    its one 公开事项), as such tables mean it; only beside a 二级 column is 公开事项 the name of a row's 公开事项."""
    table = tmp_path / "t.csv"
    table.write_text("序号,一级事项,公开事项,公开时限\n1,最低生活保障,政策法规文件,制定或获取信息之日起10个工作日内\n"
                     "2,,办事指南,制定或获取信息之日起10个工作日内\n", encoding="utf-8")
    result = importer.import_table(table)
    assert result.problems == []
    [top] = result.roots
    assert [(n.name, [i.name for i in n.items]) for n in top.children] == [("政策法规文件", ["政策法规文件"]),
                                                                          ("办事指南", ["办事指南"])]


def test_office_and_frequency_headers_staff_write_otherwise(tmp_path):
    """A clerk's own headings for 负责科室 and 更新频率 (承办科室, 牵头股室, 更新频次, in a GBK CSV saved by Excel):
    before, they were kept out as comments and the import said the table had no 负责科室 column."""
    table = tmp_path / "栏目表.csv"
    table.write_bytes("一级栏目,二级栏目,更新频次,承办科室\r\n社会救助,最低生活保障,每月,社会救助股\r\n"
                      ",临时救助,每月,社会救助股\r\n".encode("gbk"))
    result = importer.import_table(table)
    assert result.ignored_headers == [] and result.has_office and result.problems == []
    [top] = result.roots
    assert [(n.name, n.frequency, n.office) for n in top.children] == [
        ("最低生活保障", "每月更新", "社会救助股"), ("临时救助", "每月更新", "社会救助股")]
    for header in ("牵头股室", "主管科室", "承办处室（单位）"):
        assert importer.HEADERS[importer.header_key(header)] == "office"


def test_a_public_mode_cell_that_is_no_mode_is_kept_as_a_comment():
    """莒南县民政局's 公开方式 column says 「全文发布」 (how, not 主动/依申请): it was dropped without a word."""
    table = REAL / "catalogue-tables" / "junan-minzheng.csv"
    result = importer.import_table(table)
    leaves = [n for root in result.roots for n in _leaves(root)]
    assert leaves and all("公开方式（原文）：全文发布" in n.notes for n in leaves)
    assert all(not i.mode for n in leaves for i in n.items)
    assert "# 公开方式（原文）：全文发布\n" in importer.to_yaml(result, table.name)


def _leaves(node):
    if not node.children:
        yield node
    for child in node.children:
        yield from _leaves(child)


def test_a_category_column_before_the_column_names_is_the_first_level(tmp_path):
    """「栏目分类 | 栏目名称」 under two title rows: both headings read as a first level, and the first level was
    imported as a comment, the table flattened; now the later one is the second level."""
    table = tmp_path / "栏目表.csv"
    table.write_text("莒南县民政局栏目表\n（2024年修订）\n栏目分类,栏目名称,更新频率,负责科室\n"
                     "社会救助,最低生活保障,每月,社会救助股\n,临时救助,每月,社会救助股\n", encoding="utf-8")
    result = importer.import_table(table)
    assert result.ignored_headers == [] and result.problems == []
    [top] = result.roots
    assert top.name == "社会救助" and [n.name for n in top.children] == ["最低生活保障", "临时救助"]
    # a third heading of the same level, with both levels below taken, stays out (kept as a comment)
    table.write_text("一级栏目,二级栏目,三级栏目,栏目名称\n社会救助,最低生活保障,政策文件,x\n", encoding="utf-8")
    assert importer.import_table(table).ignored_headers == ["栏目名称"]


def test_a_workbook_opening_on_an_instructions_sheet_reads_the_table_sheet(tmp_path):
    """A workbook whose first sheet is 填表说明: the header was looked for there only, and the error did not say a
    second sheet existed. Now the first sheet with a header is read, and said; none at all names every sheet."""
    wb = openpyxl.Workbook()
    wb.active.title = "填表说明"
    wb.active.append(["1. 各股室按实际填写"])
    ws = wb.create_sheet("主动公开目录")
    ws.append(["一级栏目", "二级栏目", "更新周期", "责任股室"])
    ws.append(["社会救助", "最低生活保障", "每月", "社会救助股"])
    path = tmp_path / "目录.xlsx"
    wb.save(path)
    result = importer.import_table(path)
    assert result.sheet == "主动公开目录" and [n.name for n in result.roots[0].children] == ["最低生活保障"]
    assert result.notes[0].startswith("第一个工作表「填表说明」中没有栏目表的表头，已读取工作表「主动公开目录」")
    with pytest.raises(TableError, match="找不到表头"):
        importer.import_table(path, "填表说明")  # a sheet named is the sheet read
    del wb["主动公开目录"]
    wb.create_sheet("附表").append(["无关"])
    wb.save(path)
    with pytest.raises(TableError, match="（查看了全部 2 个工作表：填表说明、附表）"):
        importer.import_table(path)
