"""A clerk's round trip: the 标准目录 the example site publishes for download (data/catalogue.xlsx and .csv, from a
real `mkdocs build`) imported into an empty site gives the same catalogue — columns, ids, 更新频率, 负责科室,
公开事项 with their fields, and `implements:` — compared on the loaded models, through `gongkai new --columns` and
through `gongkai import -o catalog/columns.yml`. Before this, the 公开事项 column was not read, a column's second
公开事项 was refused as a duplicate column and 对应标准事项 came back only as a YAML comment."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from conftest import BUILD_DATE, REPO, cli
from gongkai.load.loader import load_catalogue
from gongkai.model import Catalogue
from gongkai.tools import importer

DAY = dt.date.fromisoformat(BUILD_DATE)
BUREAU = ["--name", "示例市民政局", "--org-code", "11330100002489999F", "--site-url", "https://mzj.example.gov.cn/zfxxgk/"]


def shape(cat: Catalogue) -> list[tuple]:
    """What the download carries of each column, in catalogue order (kinds, descriptions and 第二十条 it does not)."""
    return [(c.trail_text(), c.id, c.frequency, c.office, c.implements,
             [(i.name, i.content, i.basis, i.deadline, i.subject, i.channels, i.audience, i.mode, i.level, i.implements)
              for i in c.items])
            for c in cat.columns()]


@pytest.fixture(scope="module")
def example() -> list[tuple]:
    got = shape(load_catalogue(REPO, DAY))
    # what makes the comparison worth something: several 公开事项 in one column, implements on both levels
    assert sum(len(c[5]) for c in got) >= 3 and any(len(c[5]) > 1 for c in got)
    assert any(c[4] for c in got) and any(i[9] for c in got for i in c[5])
    return got


@pytest.mark.parametrize("download", ["catalogue.xlsx", "catalogue.csv"])
def test_new_with_the_downloaded_catalogue_gives_the_same_catalogue(example_site, example, tmp_path, download):
    result = cli(tmp_path, "new", "site", *BUREAU, "--columns", str(example_site / "data" / download))
    assert result.returncode == 0, result.stderr
    assert "栏目表的对应标准事项属于基层政务公开标准目录：社会救助、养老服务，已在 site.yml 中声明" in result.stdout
    assert "栏目表提示" not in result.stdout  # it has 更新频率 and 负责科室 columns: nothing to fill in
    assert shape(load_catalogue(tmp_path / "site", DAY)) == example


def test_import_into_a_new_site_gives_the_same_catalogue(example_site, example, tmp_path):
    made = cli(tmp_path, "new", "site", *BUREAU)
    assert made.returncode == 0, made.stderr
    root = tmp_path / "site"
    result = cli(root, "import", str(example_site / "data" / "catalogue.csv"), "-o", "catalog/columns.yml")
    assert result.returncode == 0, result.stderr
    assert "0 行无法放入目录" in result.stderr and "对应标准事项" not in (root / "catalog/columns.yml").read_text()
    assert "「社会救助、养老服务」领域，已在 catalog/site.yml 的 standards 中声明" in result.stderr
    assert "standards: [社会救助, 养老服务]" in (root / "catalog/site.yml").read_text(encoding="utf-8")
    assert shape(load_catalogue(root, DAY)) == example
    check = cli(root, "check")
    assert check.returncode == 0, check.stderr


def _rewrite(text: str, column: int, change) -> str:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    for r in rows[1:]:
        r[column] = change(r[column])
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def test_standard_items_are_found_by_their_wording_too(example_site, example, tmp_path):
    """A 上级 or a clerk keeps the wording and drops the ids (「社会救助：最低生活保障 / 政策法规文件」): the same
    items; a wording that names no item is said at its row and kept as a comment, not guessed."""
    src = (example_site / "data" / "catalogue.csv").read_text(encoding="utf-8")
    at = src.splitlines()[0].lstrip("\ufeff").split(",").index("对应标准事项")
    table = tmp_path / "目录.csv"
    table.write_text(_rewrite(src, at, lambda cell: re.sub(r"\b[a-z]+-\d{2} ", "", cell)), encoding="utf-8")
    assert "shjz-" not in table.read_text(encoding="utf-8")
    result = cli(tmp_path, "new", "site", *BUREAU, "--columns", str(table))
    assert result.returncode == 0, result.stderr
    assert shape(load_catalogue(tmp_path / "site", DAY)) == example

    # an id whose wording was changed: the id decides, the row is named; a wording alone that names no item: kept
    # out of implements, named at its row and kept as a comment
    wrong = {"shjz-11 社会救助：临时救助 / 政策法规文件": "shjz-11 社会救助：临时救助 / 救助标准",
             "shjz-01 社会救助：综合业务 / 政策法规文件": "社会救助：综合业务 / 救助标准"}
    table.write_text(_rewrite(src, at, lambda cell: wrong.get(cell, cell)), encoding="utf-8")
    imported = importer.import_table(table)
    lines = {row[at]: n for n, row in enumerate(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))), 1)
             if len(row) > at}
    assert [(p.level, p.line, p.message) for p in imported.problems] == [
        ("warning", lines["社会救助：综合业务 / 救助标准"],
         f"第 {lines['社会救助：综合业务 / 救助标准']} 行：对应标准事项「社会救助：综合业务 / 救助标准」不是 gongkai 随附的"
         "基层政务公开标准目录中的事项（可写事项标识，如 shjz-03），未导入，原文写在该栏目上方的注释中"),
        ("warning", lines["shjz-11 社会救助：临时救助 / 救助标准"],
         f"第 {lines['shjz-11 社会救助：临时救助 / 救助标准']} 行：对应标准事项「shjz-11 社会救助：临时救助 / 救助标准」的标识 "
         "shjz-11 是「社会救助：临时救助 / 政策法规文件」，与所写名称不符；已按标识导入，请核对")]
    yml = importer.to_yaml(imported, table.name)
    assert "# 对应标准事项（原文）：社会救助：综合业务 / 救助标准\n" in yml
    implements = {n.name: n.implements for root in imported.roots for n in _walk(root)}
    assert (implements["上级文件"], implements["临时救助"]) == ([], ["shjz-11"])


def _walk(node: importer.Node):
    yield node
    for child in node.children:
        yield from _walk(child)


def test_a_second_public_item_under_merged_cells_is_the_same_columns(tmp_path):
    """A hand-kept table in gongkai's download shape with the 栏目 cells merged (left empty) on a column's second
    公开事项: one column with two items, not a duplicate and not an error."""
    table = tmp_path / "目录.csv"
    table.write_text("一级栏目,二级栏目,更新频率,负责科室,公开事项,公开时限\n"
                     "社会救助,最低生活保障,每月更新,社会救助科,政策法规文件,制定或获取信息之日起10个工作日内\n"
                     ",,,,办事指南,制定或获取信息之日起10个工作日内\n"
                     ",临时救助,每月更新,社会救助科,,\n", encoding="utf-8")
    result = importer.import_table(table)
    assert result.problems == []
    [top] = result.roots
    assert [(n.name, [i.name for i in n.items]) for n in top.children] == [
        ("最低生活保障", ["政策法规文件", "办事指南"]), ("临时救助", [])]
    # a later row of the same column giving another 负责科室: one column has one, the first row's; said at the row
    table.write_text(table.read_text(encoding="utf-8").replace(",,,,办事指南", "社会救助,最低生活保障,每月更新,救助站,办事指南"),
                     encoding="utf-8")
    [warning] = importer.import_table(table).problems
    assert (warning.level, warning.line, warning.message) == ("warning", 3, (
        "第 3 行：栏目「社会救助 / 最低生活保障」的负责科室写作「救助站」，与第 2 行的「社会救助科」不同；一个栏目只有一个负责科室，"
        "已按第 2 行导入，请核对"))


def _not_in_download(root) -> list[tuple]:
    """What the download does not carry of each column: its address, kind, 说明, page, link, 检查归类, 第二十条."""
    from gongkai.errors import Problems
    from gongkai.load.columns import load_columns

    problems = Problems()
    columns = load_columns(root, problems)
    assert not problems.errors, [p.format() for p in problems.errors]
    return [(c.path, c.kind, c.description, c.page, c.url, c.inspect_as, c.art20) for r in columns for c in r.walk()]


@pytest.mark.parametrize("without_urls", [False, True], ids=["download", "url-column-deleted"])
def test_import_over_the_site_catalogue_keeps_kinds_and_addresses(example_site, tmp_path, without_urls):
    """The clerk's round trip onto the site itself: download, edit in Excel, `gongkai import -o catalog/columns.yml`.
    The download has no kind column: written as it came, the guide became an empty document list (the 公开指南 no
    longer published), the policy library, 申请须知, 年报 … plain lists, every 说明 gone, and `gongkai check`
    passed. With the 网址 column deleted too («群众用不着»), every column with an explicit id moved. Both are now
    taken from the catalogue the import replaces; what the table says still wins (a renamed 负责科室 here)."""
    import shutil

    import openpyxl

    root = tmp_path / "site"
    shutil.copytree(example_site.parent / "catalog", root / "catalog")
    before = _not_in_download(root)
    kinds = {c[1].value for c in before}
    assert {"guide", "policies", "reports", "application"} <= kinds and sum(1 for c in before if c[2]) >= 5
    wb = openpyxl.load_workbook(example_site / "data" / "catalogue.xlsx")
    ws = wb.active
    header = [c.value for c in ws[2]]
    if without_urls:
        ws.delete_cols(header.index("网址") + 1)
    office = header.index("负责科室") + 1
    ws.cell(3, office).value = "政务公开股"  # the clerk's edit
    table = tmp_path / "目录.xlsx"
    wb.save(table)

    result = cli(root, "import", str(table), "-o", "catalog/columns.yml")
    assert result.returncode == 0, result.stderr
    assert _not_in_download(root) == before
    assert "保留了" in result.stderr and "（guide）" in result.stderr
    assert ("表中没有「网址」列：按栏目名称找到原栏目，保留了原来的地址" in result.stderr) == without_urls
    assert "office: 政务公开股" in (root / "catalog" / "columns.yml").read_text(encoding="utf-8")
    assert "已删去" not in result.stderr


def test_a_row_deleted_in_excel_is_named_when_imported_over_the_site(example_site, tmp_path):
    """A row deleted by mistake removes a column (and its address) without a word until `gongkai check` fails on
    the documents that name it: the import names what the table no longer has."""
    import shutil

    import openpyxl

    root = tmp_path / "site"
    shutil.copytree(example_site.parent / "catalog", root / "catalog")
    wb = openpyxl.load_workbook(example_site / "data" / "catalogue.xlsx")
    ws = wb.active
    url = [c.value for c in ws[2]].index("网址") + 1
    [row] = [r for r in range(3, ws.max_row + 1) if str(ws.cell(r, url).value).endswith("/lsjz/index.html")]
    ws.delete_rows(row)
    wb.save(tmp_path / "目录.xlsx")
    result = cli(root, "import", str(tmp_path / "目录.xlsx"), "-o", "catalog/columns.yml")
    assert result.returncode == 0, result.stderr
    [line] = [ln for ln in result.stderr.splitlines() if "已删去" in ln]
    assert line.startswith("原 catalog/columns.yml 中有、表中没有的栏目已删去：") and "临时救助（lsjz）" in line


def test_a_download_of_a_catalogue_with_sections_without_frequency_comes_back_the_same(tmp_path):
    """A site made from 莒南县民政局's table (tests/fixtures/catalogue-tables/junan-minzheng.csv): its sections have
    no 更新频率, their rows in the download an empty cell, which the import read as 「同上」 — 法定主动公开内容 came
    back 每年更新, taken from the guide's row above it. A row carrying its 网址 (the download's) states its own."""
    from gongkai.build.catalogue_export import catalogue_csv, catalogue_rows

    made = cli(tmp_path, "new", "site", *BUREAU, "--columns", str(REPO / "tests/fixtures/catalogue-tables/junan-minzheng.csv"))
    assert made.returncode == 0, made.stderr
    root = tmp_path / "site"
    before = load_catalogue(root, DAY)
    assert any(c.children and not c.frequency for c in before.columns())  # what makes the test worth something
    table = tmp_path / "catalogue.csv"
    table.write_bytes(catalogue_csv(catalogue_rows(before)))
    result = cli(root, "import", str(table), "-o", "catalog/columns.yml")
    assert result.returncode == 0, result.stderr
    after = load_catalogue(root, DAY)
    assert [(c.path, c.frequency, c.office, c.kind) for c in after.columns()] == [
        (c.path, c.frequency, c.office, c.kind) for c in before.columns()]


def test_a_column_moved_in_the_table_keeps_its_kind_by_its_url(example_site, tmp_path):
    """The clerk moves 政策文件 under 法定主动公开内容 in Excel, its 网址 cell left as it was: neither its path nor its
    names from the top are the old ones, its id (the 网址's last part, no other column's) still names it."""
    import shutil

    import openpyxl

    root = tmp_path / "site"
    shutil.copytree(example_site.parent / "catalog", root / "catalog")
    wb = openpyxl.load_workbook(example_site / "data" / "catalogue.xlsx")
    ws = wb.active
    header = [c.value for c in ws[2]]
    url, l1, l2 = header.index("网址") + 1, header.index("一级栏目") + 1, header.index("二级栏目") + 1
    [row] = [r for r in range(3, ws.max_row + 1) if str(ws.cell(r, url).value).endswith("/zfxxgk/zcwj/index.html")]
    ws.cell(row, l1).value, ws.cell(row, l2).value = "法定主动公开内容", "政策文件"
    wb.save(tmp_path / "目录.xlsx")
    result = cli(root, "import", str(tmp_path / "目录.xlsx"), "-o", "catalog/columns.yml")
    assert result.returncode == 0, result.stderr
    moved = next(c for c in _columns(root) if c.trail_text() == "法定主动公开内容 / 政策文件")
    assert (moved.kind, moved.art20, moved.id) == ("policies", [1], "zcwj")


def _columns(root):
    from gongkai.errors import Problems
    from gongkai.load.columns import load_columns

    problems = Problems()
    roots = load_columns(root, problems)
    assert not problems.errors, [p.format() for p in problems.errors]
    return [c for r in roots for c in r.walk()]
