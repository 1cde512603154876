"""互动回应: catalog/messages.yml (留言选登), catalog/faq.yml (常见问题库) and the 「我要留言」 link of site.yml."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from conftest import BUILD_DATE, REPO, copy_example, load_errors, make_site
from gongkai.load.loader import load_catalogue

DAY = dt.date.fromisoformat(BUILD_DATE)


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(REPO, DAY)


def test_example_messages_newest_first_and_faq_by_category(cat):
    i = cat.interaction
    assert [m.id for m in i.messages] == ["2026-003", "gd2026110300562", "2026-002", "gd2026101500088",
                                          "gd2026100800417", "2026-001"]  # YAML and the 12345 export, newest first
    m = i.messages[2]
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
    return load_errors(root, DAY)


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


# --- 留言选登 from a 12345 export (catalog/messages.yml `spreadsheets:`) ------------------------------------


def test_example_export_publishes_the_agreed_rows_masked(cat):
    """The example's export (tests/fixtures/messages/make_12345_xlsx.py): 是否公开 否 is left out, 来电人 is
    masked, 联系电话 is never read, the mobile number a writer typed into 诉求内容 is masked (mask_numbers)."""
    by_id = {m.id: m for m in cat.interaction.messages}
    assert "gd2026102200231" not in by_id  # 是否公开: 否
    m = by_id["gd2026101500088"]
    assert (m.writer, m.kind, m.office) == ("李*英", "咨询", "示例市民政局社会救助处")
    assert (m.received, m.replied) == (dt.date(2026, 10, 15), dt.date(2026, 10, 21))  # cell datetimes: the day
    assert "我的电话138****8102，请回电" in m.question and "13800138102" not in m.question
    assert m.file == "content/messages/12345-2026.xlsx" and m.line == 4
    assert m.location("replied") == "content/messages/12345-2026.xlsx 工作表 工单明细 第 4 行 办结时间 列"
    assert cat.interaction.sheet_files == ["messages/12345-2026.xlsx"]
    assert not [w for w in cat.warnings if "messages" in w.file]  # the export is source data, no orphan


def export_site(tmp_path, rows: list | None = None, settings: str = "", header: list | None = None):
    import sys

    sys.path.insert(0, str(REPO / "tests" / "fixtures" / "messages"))
    import make_12345_xlsx as fx

    root = site_with(tmp_path, "spreadsheets:\n  - file: messages/export.xlsx\n    header_row: 2\n" + settings)
    if header is not None:
        fx_header, fx.HEADER = fx.HEADER, header
    try:
        fx.write(root / "content" / "messages" / "export.xlsx", fx.ROWS if rows is None else rows)
    finally:
        if header is not None:
            fx.HEADER = fx_header
    return root, fx


def test_every_mistake_of_an_export_is_reported_at_its_cell(tmp_path):
    _, fx = export_site(tmp_path / "probe")
    good = fx.ROWS[0]
    rows = [
        good,
        ["GD2", "2026年13月1日", "周一", "13800138105", "咨询", "题", "问", "处", good[8], "答", "是"],  # bad 来电时间
        ["GD3", good[1], "吴二", "13800138106", "咨询", "题", "问", "处", good[1] - dt.timedelta(days=2), "答", "是"],
        ["GD4", good[1], "郑三", "13800138107", "咨询", "题", "问", "处", good[8], "", "是"],  # no answer
        ["GD2026100800417", good[1], "冯四", "13800138108", "咨询", "题", "问", "处", good[8], "答", "是"],  # same id
        ["GD6", good[1], "陈五", "13800138109", "咨询", "题", "问", "处", good[8], "答", "待定"],  # 是否公开 unclear
        ["GD7", good[1], "褚六", "13800138110", "咨询", "题", "问", "处", None, "答", "否"],  # not published: unchecked
    ]
    root, _ = export_site(tmp_path / "site", rows, "    publish: 是否公开\n")
    found = errors(root)
    x = "content/messages/export.xlsx"
    expected = {
        (x, 4, "工作表 工单明细 第 4 行 来电时间 列"): "日期「2026年13月1日」无效",
        (x, 5, "工作表 工单明细 第 5 行 办结时间 列"): "早于来信日期",
        (x, 6, "工作表 工单明细 第 6 行 答复内容 列"): "答复内容为空",
        (x, 7, "工作表 工单明细 第 7 行 工单编号 列"): "重复：content/messages/export.xlsx 工作表 工单明细 第 3 行 工单编号 列",
        (x, 8, "工作表 工单明细 第 8 行 是否公开 列"): "「待定」无法判断是否公开",
    }
    for (f, ln, fl), words in expected.items():
        assert any((f, ln, fl) == (a, b, c) and words in m for a, b, c, m in found), (f, ln, fl, found)
    assert not any(ln == 9 for f, ln, _, _ in found if f == x)  # 否: not published, not checked


def test_an_unmasked_mobile_in_an_export_stops_the_build_at_its_cell(tmp_path):
    root, _ = export_site(tmp_path)  # no mask_numbers: row 2 quotes the writer's mobile in 诉求内容
    found = errors(root)
    hit = [(ln, fl, m) for f, ln, fl, m in found if f == "content/messages/export.xlsx"]
    assert hit == [(4, "工作表 工单明细 第 4 行 诉求内容 列", "发现疑似手机号码「138****8102」，个人信息不得公开：请在表格中删除，"
                    "或在 catalog/messages.yml 该表格的设置中写 mask_numbers: true（发布时自动遮蔽），或在“是否公开”列中不选登这条留言")]


def test_columns_name_the_headings_of_another_system_and_a_gbk_csv_reads(tmp_path):
    root = site_with(tmp_path, """\
        spreadsheets:
          - file: messages/hdjl.csv
            columns:
              id: 信件编号
              received: 写信日期
              question: 信件内容
              replied: 回复日期
              office: 回复部门
              answer: 回复意见
        """)
    csv_text = ("信件编号,写信日期,信件标题,信件内容,回复日期,回复部门,回复意见\n"
                "XJ-0001,2026/11/2 9:30,殡葬补贴,请问惠民殡葬补贴怎么申领？,2026/11/4,示例市民政局社会事务处,由殡仪馆直接减免，无需另行申请。\n")
    (root / "content" / "messages").mkdir(parents=True)
    (root / "content" / "messages" / "hdjl.csv").write_bytes(csv_text.encode("gb18030"))
    (m,) = load_catalogue(root, DAY).interaction.messages
    assert (m.id, m.received, m.replied, m.title, m.office) == ("xj-0001", dt.date(2026, 11, 2), dt.date(2026, 11, 4),
                                                                "殡葬补贴", "示例市民政局社会事务处")
    assert m.places["answer"] == "工作表 CSV 第 2 行 回复意见 列"


def test_an_export_missing_a_column_says_which_and_what_the_headings_are(tmp_path):
    root = site_with(tmp_path, "spreadsheets:\n  - file: messages/x.csv\n    columns: {answer: 答复}\n")
    (root / "content" / "messages").mkdir(parents=True)
    (root / "content" / "messages" / "x.csv").write_text("工单编号,来信时间,诉求内容,办结时间\n1,2026-11-02,问,2026-11-03\n",
                                                         encoding="utf-8")
    found = errors(root)
    y = [(ln, fl, m) for f, ln, fl, m in found if f == "catalog/messages.yml"]
    assert (3, "columns", "答复内容列「答复」在 content/messages/x.csv 的工作表「CSV」第 1 行表头中没有找到；"
            "表头是：工单编号、来信时间、诉求内容、办结时间") in y
    assert any(ln == 3 and "找不到「答复单位」列" in m and "office: 表头" in m for ln, _, m in y), y


def test_an_export_put_beside_catalog_says_to_move_it_into_content(tmp_path):
    """The clerk saves the export as messages/export.xlsx next to catalog/, as the path reads: told where it belongs."""
    root, _ = export_site(tmp_path)
    (root / "content/messages").rename(root / "messages")
    found = [(f, fl, m) for f, _, fl, m in errors(root) if f == "catalog/messages.yml"]
    assert found == [("catalog/messages.yml", "file", "表格文件 content/messages/export.xlsx 不存在；网站文件夹下的 "
                      "messages/export.xlsx 不会被读取：file 写的是 content/ 下的路径，请把它移到 content/messages/export.xlsx")]
