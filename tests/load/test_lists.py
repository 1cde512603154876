"""catalog/lists.yml: spreadsheets read, checked by type and masked before anything is written; the privacy gate
stops an unmasked personal number naming file, sheet, row and column; 公示期 and record terms."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from fixtures.lists.shapes import DIBAO_HEADER, PENALTY_HEADER, dibao_rows, id_number, mobile, person, write_xlsx

from conftest import make_site
from gongkai import masking
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue

COLUMNS = """\
columns:
  - name: 救助对象公示
    id: jzdxgs
    kind: lists
  - name: 双公示
    id: sgs
    kind: lists
  - name: 部门文件
    id: bmwj
    kind: documents
"""

DIBAO = """\
lists:
  - id: dibao
    title: 2026年11月低保新增对象公示
    column: jzdxgs
    file: lists/dibao.xlsx
    sheet: 公示名单
    header_row: 2
    category: 公示名单
    published: 2026-11-20
    period_start: 2026-11-20
    period_end: 2026-11-27
    fields:
      - {name: 户主姓名, type: name}
      - {name: 身份证号, type: id_number}
      - {name: 家庭住址, filter: true}
      - {name: 保障人口, type: number}
      - {name: 月保障金额（元）, type: amount}
      - {name: 联系电话, type: mobile%s}
"""


def site(tmp_path: Path, lists_yml: str, rows: list | None = None, documents: dict | None = None) -> Path:
    root = make_site(tmp_path, COLUMNS, documents or {})
    (root / "catalog" / "lists.yml").write_text(textwrap.dedent(lists_yml), encoding="utf-8")
    write_xlsx(root / "content" / "lists" / "dibao.xlsx", DIBAO_HEADER, dibao_rows(5) if rows is None else rows,
               sheet="公示名单", title="2026年11月城乡最低生活保障新增对象公示名单")
    return root


def load(root: Path, day: str = "2026-11-24"):
    return load_catalogue(root, dt.date.fromisoformat(day))


def errors(root: Path, day: str = "2026-11-24") -> list:
    with pytest.raises(GongkaiError) as exc:
        load(root, day)
    return [p for p in exc.value.problems if p.level == "error"]


def test_masks_follow_the_published_forms():
    assert masking.mask_name("张三") == "张*"
    assert masking.mask_name("张三明") == "张*明"
    assert masking.mask_name("欧阳小明") == "欧**明"
    assert masking.mask_name("张三、李四明") == "张*、李*明"
    assert masking.mask_id("330102195001010015") == "330102********0015"
    assert masking.mask_mobile("13912345678") == "139****5678"
    assert masking.mask_bank("6222021234567890123") == "6222***********0123"
    assert masking.apply("hide", "13912345678") == masking.HIDDEN


def test_cells_are_masked_by_their_field_rule(tmp_path):
    cat = load(site(tmp_path, DIBAO % ""))
    (lst,) = cat.lists
    assert [f.name for f in lst.shown] == DIBAO_HEADER
    first = lst.rows[0]
    assert first.number == 3  # title row, header row, then the first record
    name, idno, address, people, amount, phone = first.values
    assert name == person(0)[0] + "*" + person(0)[-1] and idno == id_number(0)[:6] + "*" * 8 + id_number(0)[-4:]
    assert phone == mobile(0)[:3] + "****" + mobile(0)[-4:]
    assert (address, people, amount) == ("东城街道朝晖社区", "1", "1160")
    # nothing unmasked is kept anywhere on the model
    every = repr(cat.lists)
    for n in range(5):
        assert id_number(n) not in every and person(n) not in every and mobile(n) not in every


def test_a_hidden_field_is_read_but_never_kept(tmp_path):
    cat = load(site(tmp_path, DIBAO % ", show: false"))
    (lst,) = cat.lists
    assert "联系电话" not in [f.name for f in lst.shown]
    assert all(len(r.values) == 5 for r in lst.rows)


def test_an_unmasked_id_number_stops_the_build_naming_file_sheet_row_and_column(tmp_path):
    # 身份证号 declared as plain text: published as written, so the privacy gate must stop it
    yml = (DIBAO % "").replace("{name: 身份证号, type: id_number}", "{name: 身份证号, type: text}")
    found = errors(site(tmp_path, yml))
    hits = [p for p in found if p.file == "content/lists/dibao.xlsx"]
    assert len(hits) == 5, [p.format() for p in found]
    first = hits[0]
    assert first.line == 3
    assert "公示名单" in first.field and "第 3 行" in first.field and "身份证号" in first.field
    assert "居民身份证号" in first.message and id_number(0) not in first.format()
    assert "catalog/lists.yml" in first.message


def test_a_personal_number_in_a_free_text_column_is_found_too(tmp_path):
    rows = dibao_rows(3)
    rows[1][2] = f"东城街道朝晖社区（代办人电话 {mobile(77)}）"
    found = errors(site(tmp_path, DIBAO % "", rows))
    assert [(p.line, "家庭住址" in (p.field or ""), "手机号码" in p.message) for p in found] == [(4, True, True)]


def test_personal_numbers_cannot_be_declared_unmasked(tmp_path):
    found = errors(site(tmp_path, DIBAO % ", mask: none"))
    assert any(p.file == "catalog/lists.yml" and p.field == "mask" and "不得原样公开" in p.message for p in found)


def test_a_missing_heading_names_the_sheet_and_the_headings_found(tmp_path):
    yml = (DIBAO % "").replace("{name: 家庭住址, filter: true}", "{name: 家庭地址, filter: true}")
    found = errors(site(tmp_path, yml))
    (p,) = [p for p in found if "家庭地址" in p.message]
    assert p.file == "catalog/lists.yml" and "工作表「公示名单」" in p.message and "家庭住址" in p.message


def test_bad_cells_are_all_reported_with_their_rows(tmp_path):
    rows = dibao_rows(4)
    rows[0][3] = "三口"
    rows[2][4] = "一千元"
    found = errors(site(tmp_path, DIBAO % "", rows))
    assert sorted((p.line, p.field.split()[-2]) for p in found) == [(3, "保障人口"), (5, "月保障金额（元）")]


def test_the_source_spreadsheet_is_never_published(tmp_path):
    doc = {"a.md": "---\ntitle: 公示通知\npublished: 2026-11-20\ncolumns: [bmwj]\n---\n\n见[名单](../lists/dibao.xlsx)。\n"}
    found = errors(site(tmp_path, DIBAO % "", documents=doc))
    assert any(p.file == "content/lists/dibao.xlsx" and "原始表格" in p.message for p in found)


def test_the_spreadsheet_is_no_orphan(tmp_path):
    cat = load(site(tmp_path, DIBAO % ""))
    assert "lists/dibao.xlsx" not in cat.publication.orphans
    assert not cat.publication.is_published("lists/dibao.xlsx")
    assert not [w for w in cat.warnings if "dibao" in w.file]


def test_a_list_past_its_period_is_not_published_and_not_scanned(tmp_path):
    root = site(tmp_path, DIBAO % "")
    assert load(root, "2026-11-27").lists[0].is_published
    ended = load(root, "2026-11-28").lists[0]
    assert ended.ended and not ended.is_published


PENALTY = """\
terms:
  行政处罚: 12
lists:
  - id: xzcf
    title: 行政处罚信息公示
    column: sgs
    file: lists/xzcf.xlsx
    category: 行政处罚
    published: 2024-01-10
    record_date: 处罚决定日期
    fields:
      - {name: 行政处罚决定书文号}
      - {name: 处罚名称}
      - {name: 处罚类别, filter: true}
      - {name: 处罚事由}
      - {name: 行政相对人名称, type: org}
      - {name: 统一社会信用代码, type: uscc}
      - {name: 处罚决定日期, type: date}
      - {name: 处罚机关}
"""


def penalty_site(tmp_path: Path, yml: str = PENALTY, code: str = "51330100MJ0000001H") -> Path:
    from gongkai.checks.indexno import credit_check_char

    good = "51330100MJ000000" + "1"
    good += credit_check_char(good) or ""
    root = site(tmp_path, yml)
    rows = [["示民罚〔2024〕1号", "社会组织违法行为处罚", "警告", "未按规定参加年度检查", "示例市某某协会", good,
             dt.datetime(2024, 1, 5), "示例市民政局"],
            ["示民罚〔2026〕3号", "社会组织违法行为处罚", "罚款", "未按规定办理变更登记", "示例市某某服务中心",
             code if code != "51330100MJ0000001H" else good, "2026年3月2日", "示例市民政局"]]
    write_xlsx(root / "content" / "lists" / "xzcf.xlsx", PENALTY_HEADER, rows)
    return root


def test_penalty_records_leave_after_their_term(tmp_path):
    cat = load(penalty_site(tmp_path))
    lst = next(x for x in cat.lists if x.id == "xzcf")
    assert lst.record_months == 12
    assert [r.until for r in lst.rows] == [dt.date(2025, 1, 4), dt.date(2027, 3, 1)]
    assert [r.values[0] for r in lst.live_rows] == ["示民罚〔2026〕3号"]  # the 2024 decision's term is over
    assert lst.rows[1].values[6] == "2026-03-02"


def test_a_penalty_list_needs_the_date_its_terms_run_from(tmp_path):
    found = errors(penalty_site(tmp_path, PENALTY.replace("    record_date: 处罚决定日期\n", "")))
    assert any(p.field == "record_date" and "行政处罚" in p.message for p in found)


def test_an_invalid_credit_code_is_an_error_at_its_cell(tmp_path):
    found = errors(penalty_site(tmp_path, code="51330100MJ00000019"))
    (p,) = found
    assert p.file == "content/lists/xzcf.xlsx" and p.line == 3 and "统一社会信用代码" in p.field


def test_gbk_csv_as_excel_saves_it(tmp_path):
    yml = (DIBAO % "").replace("file: lists/dibao.xlsx\n    sheet: 公示名单\n    header_row: 2", "file: lists/dibao.csv")
    root = site(tmp_path, yml)
    lines = [",".join(DIBAO_HEADER)] + [",".join(str(v) for v in r) for r in dibao_rows(3)]
    (root / "content" / "lists" / "dibao.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    (lst,) = load(root).lists
    assert len(lst.rows) == 3 and lst.rows[0].values[2] == "东城街道朝晖社区" and lst.sheet == "CSV"


def test_a_list_must_be_in_a_lists_column(tmp_path):
    found = errors(site(tmp_path, (DIBAO % "").replace("column: jzdxgs", "column: bmwj")))
    assert any(p.field == "column" and "kind: lists" in p.message for p in found)


def test_a_heading_that_names_personal_data_is_masked_without_a_type(tmp_path):
    yml = (DIBAO % "").replace("{name: 户主姓名, type: name}", "{name: 户主姓名}")
    yml = yml.replace("{name: 身份证号, type: id_number}", "{name: 身份证号}")  # 联系电话 may be a landline: not implied
    (lst,) = load(site(tmp_path, yml)).lists
    assert [f.type for f in lst.fields] == ["name", "id_number", "text", "number", "amount", "mobile"]
    name, idno, *_rest, phone = lst.rows[0].values
    assert "*" in name and idno.count("*") == 8 and phone.count("*") == 4


def test_the_related_document_must_exist(tmp_path):
    yml = (DIBAO % "").replace("    category: 公示名单\n", "    category: 公示名单\n    document: no-such-doc\n")
    found = errors(site(tmp_path, yml))
    assert [(p.file, p.field) for p in found] == [("catalog/lists.yml", "document")]


def test_a_rebuild_reuses_the_cells_read_and_still_masks_and_checks(tmp_path):
    from gongkai.build.cache import BuildCache

    root = site(tmp_path, DIBAO % "")
    cache = BuildCache(root / ".cache" / "gongkai")
    with cache.memo() as memo:
        first = load_catalogue(root, dt.date(2026, 11, 24), memo).lists[0]
    cache.finish()
    again = BuildCache(root / ".cache" / "gongkai")
    with again.memo() as memo:
        second = load_catalogue(root, dt.date(2026, 11, 24), memo).lists[0]
        assert memo is not None
    assert [r.values for r in second.rows] == [r.values for r in first.rows] and second.sheet == "公示名单"
    # a changed spreadsheet is read again: the unmasked number it now has stops the build
    rows = dibao_rows(5)
    rows[2][2] = f"代办人 {mobile(99)}"
    write_xlsx(root / "content" / "lists" / "dibao.xlsx", DIBAO_HEADER, rows, sheet="公示名单", title="标题")
    with BuildCache(root / ".cache" / "gongkai").memo() as memo, pytest.raises(GongkaiError) as exc:
        load_catalogue(root, dt.date(2026, 11, 24), memo)
    assert [p.line for p in exc.value.problems if p.level == "error"] == [5]
