"""gongkai import-docs: an old site's 公开目录 (.xlsx) and its folder of .docx/.pdf/.xlsx/.doc files become
documents that pass `gongkai check` and build into pages with the converted text, a table with merged cells, an
extracted image that loads in Chromium, and the attachments; rows that cannot be placed are reported by row number;
re-importing changes nothing. The material is transcribed from real published documents (tests/fixtures/old_mulu.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fixtures.old_mulu import ANXIN_NUMBER, GUIZE_BLOCKS, GUIZE_TITLE, HUINING_TITLE, SITE_COLUMNS, UNPLACED, make_export

from conftest import cli, make_site, run_build, tree_digest
from gongkai.load.loader import load_catalogue
from gongkai.tools.docimport import html_to_markdown, parse_date

DAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, Path, object]:
    base = tmp_path_factory.mktemp("import")
    root = make_site(base / "site", SITE_COLUMNS)
    table = make_export(base / "export")
    result = cli(root, "import-docs", str(table), str(table.parent / "files"))
    return root, table, result


def test_rows_are_imported_and_unplaced_rows_reported(imported):
    root, _, result = imported
    assert result.returncode == 1  # two rows could not be placed
    for row, what in UNPLACED.items():
        assert f"目录.xlsx:{row}: 错误: " in result.stderr and f"第 {row} 行：{what}" in result.stderr, result.stderr
    assert "6 行，已新建 4 份" in result.stderr and "2 行未导入" in result.stderr
    docs = sorted(p.relative_to(root / "content/documents").as_posix() for p in (root / "content/documents").rglob("*.md"))
    assert docs == ["2016/2016-hnxmzjzfxxgkml2016ngx.md", "2020/2020-00012.md", "2023/2023-00005.md",
                    "2023/2023-sxsshjzbf.md"]
    # notes: what could not be extracted
    assert "陕西省社会救助办法.doc 是旧版 .doc 格式，正文未提取" in result.stderr
    assert f"{HUINING_TITLE}.pdf 没有文字层（扫描件）" in result.stderr


def test_imported_documents_pass_check(imported):
    root = imported[0]
    cat = load_catalogue(root, DAY)
    by_id = {d.id: d for d in cat.documents}
    guize = by_id["2020-00012"]
    assert (guize.title, guize.publisher, guize.published) == (GUIZE_TITLE, "怒江州民政局", dt.date(2020, 10, 10))
    assert guize.index_no == "11330100002489999F/2020-00012" and [c.id for c in guize.columns] == ["tzgg"]
    anxin = by_id["2023-00005"]
    assert anxin.doc_number == ANXIN_NUMBER and [c.id for c in anxin.columns] == ["zcwj"]  # by path of names
    assert by_id["2023-sxsshjzbf"].published == dt.date(2023, 2, 26) and by_id["2023-sxsshjzbf"].columns[0].id == "zcwj"
    assert [a.title for a in guize.attachments] == [f"原文：{GUIZE_TITLE}", "目录分类表"]
    out = cli(root, "check", "--root", str(root))
    assert out.returncode == 0, out.stderr


def test_body_converted_from_docx(imported):
    root = imported[0]
    text = (root / "content/documents/2020/2020-00012.md").read_text(encoding="utf-8")
    assert "\n## 一、索引号应用范围\n" in text
    assert "\n1. 地区代码。索引号第1-6位为地区代码" in text and "\n2. 部门代码。" in text
    assert '<td colspan="6">' in text  # merged cells: kept as an HTML table
    assert "![图1](2020-00012/image1.png)" in text
    assert (root / "content/documents/2020/2020-00012/image1.png").read_bytes()[:4] == b"\x89PNG"
    pdf_body = (root / "content/documents/2023/2023-00005.md").read_text(encoding="utf-8")
    assert "\n统筹发展和安全，紧盯居民和餐饮用户燃气安全风险隐患整治，加快建立城镇燃气安全长效机制。\n" in pdf_body


def test_reimport_changes_nothing_and_dry_run_writes_nothing(imported, tmp_path):
    root, table, _ = imported
    before = tree_digest(root / "content")
    again = cli(root, "import-docs", str(table), str(table.parent / "files"))
    assert "已新建 0 份、已覆盖 0 份，4 份未变" in again.stderr, again.stderr
    assert tree_digest(root / "content") == before
    # an edited original: skipped without --force, also in a dry run; nothing written either way
    docx = table.parent / "files" / f"{GUIZE_TITLE}.docx"
    original = docx.read_bytes()
    from officefiles import make_docx

    try:
        make_docx(docx, [*GUIZE_BLOCKS, ("p", "抄送：各州（市）民政局。")])
        dry = cli(root, "import-docs", str(table), str(table.parent / "files"), "--dry-run", "--force")
        assert "第 3 行 → content/documents/2020/2020-00012.md：覆盖" in dry.stdout and "试运行，未写入任何文件" in dry.stderr
        plain = cli(root, "import-docs", str(table), str(table.parent / "files"))
        assert "第 3 行 → content/documents/2020/2020-00012.md：跳过" in plain.stdout
        assert tree_digest(root / "content") == before
    finally:
        docx.write_bytes(original)


def test_built_pages_show_text_table_image_and_attachments(imported, browser):
    from browser import serve

    root = imported[0]
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    soup = BeautifulSoup((site / "documents/2020-00012.html").read_text(encoding="utf-8"), "lxml")
    body = soup.select_one(".gk-doc-body")
    assert body.find("h2", string="一、索引号应用范围") is not None
    assert body.find("td", colspan="6").get_text(strip=True) == "索引号编码构成"
    assert [li.get_text() for li in body.find("ol").find_all("li")][1] == "部门代码。"
    assert body.find("img")["src"] == "2020/2020-00012/image1.png"
    links = {a.get_text(strip=True): a["href"] for a in soup.find_all("a") if "2020-00012/" in a.get("href", "")}
    assert any(h.endswith("目录分类表.xlsx") for h in links.values()), links
    for href in links.values():
        from urllib.parse import unquote

        assert (site / "documents" / unquote(href)).is_file(), href
    pdf_page = (site / "documents/2023-00005.html").read_text(encoding="utf-8")
    assert "坚持人民至上、生命至上" in pdf_page and ".pdf" in pdf_page
    for base in (site.as_uri() + "/", None):
        def check(url: str) -> None:
            page = browser.new_page()
            page.goto(url + "documents/2020-00012.html", wait_until="load")
            assert page.eval_on_selector(".gk-doc-body img", "img => img.complete && img.naturalWidth") == 120
            page.close()

        if base:
            check(base)
        else:
            with serve(site) as url:
                check(url)


@pytest.mark.parametrize("text, day", [
    ("2024年3月5日", dt.date(2024, 3, 5)), ("2024/3/5", dt.date(2024, 3, 5)), ("2024.03.05", dt.date(2024, 3, 5)),
    ("2024-03-05 10:20:00", dt.date(2024, 3, 5)), ("20240305", dt.date(2024, 3, 5)), ("2024 年 3 月 5 日", dt.date(2024, 3, 5)),
    ("2024-02-30", None), ("三月五日", None), ("2024年3月", None),
    # a date cell whose format was lost shows Excel's day number (with a time, a fraction)
    ("45370", dt.date(2024, 3, 19)), ("45370.4375", dt.date(2024, 3, 19)), ("12345", None), ("99999", None),
])
def test_dates_in_every_common_writing(text, day):
    assert parse_date(text) == day


def test_html_to_markdown_keeps_simple_tables_as_markdown():
    md = html_to_markdown("<p>a*b</p><table><tr><td><p>序号</p></td><td><p>名称</p></td></tr>"
                          "<tr><td><p>1</p></td><td><p>机构|职能</p></td></tr></table><ul><li>一<ul><li>二</li></ul></li></ul>")
    assert md == "a\\*b\n\n| 序号 | 名称 |\n| --- | --- |\n| 1 | 机构\\|职能 |\n\n- 一\n    - 二\n"


def test_header_synonyms_and_unreadable_table(tmp_path):
    root = make_site(tmp_path / "site", SITE_COLUMNS)
    table = tmp_path / "mulu.csv"
    table.write_text("名称,发文字号,公开日期,栏目名称\n关于做好2024年冬季救助工作的通知,,2024年11月20日,通知公告\n",
                     encoding="gb18030")
    (tmp_path / "files").mkdir()
    result = cli(root, "import-docs", str(table), str(tmp_path / "files"))
    assert result.returncode == 0, result.stderr
    text = (root / "content/documents/2024/2024-gyzh2024ndjjzgzdtz.md").read_text(encoding="utf-8")
    assert "published: 2024-11-20\ncolumns: [tzgg]\n" in text
    bad = tmp_path / "bad.csv"
    bad.write_text("甲,乙\n1,2\n", encoding="utf-8")
    result = cli(root, "import-docs", str(bad), str(tmp_path / "files"))
    assert result.returncode == 2 and "找不到表头" in result.stderr


def test_imported_files_renamed_to_their_titles_keep_their_addresses(imported, tmp_path):
    """Staff rename the imported files as they name files (by title): the loader's automatic id is the id the
    import gave them (load/docids.py), and a re-import finds them instead of writing duplicates."""
    import shutil

    src, table, _ = imported
    root = tmp_path / "site"
    shutil.copytree(src, root)
    before = {d.id: d.title for d in load_catalogue(root, DAY).documents}
    docs = root / "content/documents"
    (docs / "2023/2023-sxsshjzbf.md").rename(docs / "2023/陕西省社会救助办法.md")
    (docs / "2020/2020-00012.md").rename(docs / "2020/索引号编制规则.md")
    cat = load_catalogue(root, DAY)
    assert {d.id: d.title for d in cat.documents} == before
    assert {d.id: d.source.file for d in cat.documents if d.id in ("2023-sxsshjzbf", "2020-00012")} == {
        "2023-sxsshjzbf": "content/documents/2023/陕西省社会救助办法.md",
        "2020-00012": "content/documents/2020/索引号编制规则.md"}
    again = cli(root, "import-docs", str(table), str(table.parent / "files"))
    assert "已新建 0 份、已覆盖 0 份，4 份未变" in again.stderr, again.stderr
    assert sorted(p.name for p in docs.rglob("*.md")) == sorted(
        ["2016-hnxmzjzfxxgkml2016ngx.md", "索引号编制规则.md", "2023-00005.md", "陕西省社会救助办法.md"])


# A catalogue of 社会救助 as `gongkai new --standard 社会救助` writes it: the 领域 above the 一级事项 (names from the
# 社会救助领域基层政务公开标准目录, 民办函〔2019〕52号, as transcribed in gongkai/standards/).
STANDARD_COLUMNS = """\
columns:
  - name: 社会救助
    id: shjz
    kind: section
    children:
      - name: 最低生活保障
        id: shjz-zdshbz
        kind: section
        children:
          - name: 政策法规文件
            id: shjz-03
            kind: documents
          - name: 办事指南
            id: shjz-04
            kind: documents
      - name: 特困人员救助供养
        id: shjz-tkryjzgy
        kind: section
        children:
          - name: 办事指南
            id: shjz-08
            kind: documents
"""


def test_clerk_table_against_a_standard_catalogue(tmp_path):
    """The trial of a new bureau: its old table names columns by their last two levels, the Word file repeats the
    title as 标题 1, and later staff number the file (gongkai assign), rename it by title and retitle it."""
    from officefiles import make_docx

    root = make_site(tmp_path / "site", STANDARD_COLUMNS)
    files = tmp_path / "files"
    files.mkdir()
    make_docx(files / f"{GUIZE_TITLE}.docx", [("h1", GUIZE_TITLE), *GUIZE_BLOCKS])
    table = tmp_path / "公开目录.csv"
    table.write_text("标题,发布日期,所属栏目\n"
                     f"{GUIZE_TITLE},2020年10月10日,最低生活保障/政策法规文件\n"
                     "陕西省社会救助办法,2023.02.26,办事指南\n", encoding="utf-8")
    result = cli(root, "import-docs", str(table), str(files))
    # the two-level name is placed; the bare 办事指南 is two columns, named by their paths of names
    assert result.returncode == 1 and "1 行未导入" in result.stderr, result.stderr
    assert ("所属栏目「办事指南」对应多个栏目：社会救助/最低生活保障/办事指南（shjz-04）、"
            "社会救助/特困人员救助供养/办事指南（shjz-08），请在表中写完整路径或栏目标识") in result.stderr
    [md] = (root / "content/documents").rglob("*.md")
    text = md.read_text(encoding="utf-8")
    ident = md.stem
    assert f'\nid: "{ident}"\n' in text and "columns: [shjz-03]" in text
    body = text.split("\n---\n", 1)[1]
    assert GUIZE_TITLE not in body and body.lstrip().startswith("厅机关各处（室、局），各直属事业单位：")
    # numbered, renamed by title, retitled: the address stays
    assert cli(root, "assign", "--root", str(root)).returncode == 0
    renamed = md.with_name("索引号编制规则.md")
    md.rename(renamed)
    renamed.write_text(renamed.read_text(encoding="utf-8").replace(f"title: {GUIZE_TITLE}", "title: 索引号编制规则（修订）"),
                       encoding="utf-8")
    [doc] = load_catalogue(root, DAY).documents
    assert doc.index_no and doc.title == "索引号编制规则（修订）" and doc.id == ident


# 宁阳县人民政府办公室关于印发《宁阳县粮食应急预案》的通知（宁政办发〔2017〕8号）, 2017-03-13,
# http://info.taian.gov.cn/qx/nyx/zfxxgk/zfwj/nzbf/201703/t20170313_673180.html (title, 文号, 主送机关, text, 落款 as
# published; the 发文机关标志 「宁阳县人民政府办公室文件」 above the 文号 is the printed 公文's 版头 per GB/T 9704).
NINGYANG_TITLE = "宁阳县人民政府办公室关于印发《宁阳县粮食应急预案》的通知"
NINGYANG_NUMBER = "宁政办发〔2017〕8号"
NINGYANG_TEXT = ["各乡镇人民政府(街道办事处),宁阳经济开发区管委会,县政府有关部门,有关企事业单位,市以上驻宁有关单位:",
                 "《宁阳县粮食应急预案》已经县政府同意,现印发给你们,请认真遵照执行。", "宁阳县人民政府办公室", "2017年2月10日"]


@pytest.mark.parametrize("shape", ["word-heading", "word-plain-title", "pdf-web-order", "no-title"])
def test_a_notice_loses_its_masthead_and_title_not_its_text(tmp_path, shape):
    """A 公文 opens with the 发文机关标志 and the 文号 above its title (or, as web pages print it, the title and the
    文号 under it). The page shows the title, 文号 and 发布机构 already: before, the three stood again at the top of
    the body because only a first heading equal to the title was dropped. A body that does not open with the title
    keeps its first lines."""
    from officefiles import make_docx, make_pdf

    root = make_site(tmp_path / "site", SITE_COLUMNS)
    files = tmp_path / "files"
    masthead = [("p", "宁阳县人民政府办公室文件"), ("p", NINGYANG_NUMBER)]
    text = [("p", t) for t in NINGYANG_TEXT]
    if shape == "pdf-web-order":
        make_pdf(files / "粮食应急预案.pdf", [[NINGYANG_TITLE, NINGYANG_NUMBER, *NINGYANG_TEXT]])
    else:
        title = {"word-heading": [("h1", NINGYANG_TITLE)], "word-plain-title": [("p", NINGYANG_TITLE)],
                 "no-title": []}[shape]
        make_docx(files / "粮食应急预案.docx", [*masthead, *title, *text])
    suffix = "pdf" if shape.startswith("pdf") else "docx"
    table = tmp_path / "公开目录.csv"
    table.write_text("标题,文号,发布机构,发布日期,所属栏目,文件\n"
                     f"{NINGYANG_TITLE},{NINGYANG_NUMBER},宁阳县人民政府办公室,2017-03-13,通知公告,粮食应急预案.{suffix}\n",
                     encoding="utf-8")
    result = cli(root, "import-docs", str(table), str(files))
    assert result.returncode == 0, result.stderr
    [md] = (root / "content/documents").rglob("*.md")
    body = md.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    if shape == "no-title":  # not the opening this rule knows: nothing dropped
        assert body.lstrip().startswith("宁阳县人民政府办公室文件\n\n宁政办发〔2017〕8号\n\n各乡镇人民政府")
        return
    if shape == "pdf-web-order":
        assert body.lstrip().startswith("> 以下正文由 PDF 原件提取")
        body = body.lstrip().split("\n\n", 1)[1]
    assert NINGYANG_TITLE not in body and NINGYANG_NUMBER not in body and "宁阳县人民政府办公室文件" not in body
    assert body.lstrip().startswith("各乡镇人民政府(街道办事处)") and "2017年2月10日" in body


def test_a_second_export_without_the_index_number_does_not_import_a_document_twice(tmp_path):
    """The old CMS's second export lacks the 索引号 column: the row got another automatic id, a second copy of the
    document was written and `gongkai check` then stopped on the repeated 文号. The same title with the same 文号 is
    the document already imported; a different 文号 under the same title is a new one."""
    from officefiles import make_docx

    root = make_site(tmp_path / "site", SITE_COLUMNS)
    files = tmp_path / "files"
    make_docx(files / "粮食应急预案.docx", [("h1", NINGYANG_TITLE), *[("p", t) for t in NINGYANG_TEXT]])
    first = tmp_path / "目录1.csv"
    first.write_text("索引号,标题,文号,发布日期,所属栏目,文件\n"
                     f"11330100002489999F/2017-00008,{NINGYANG_TITLE},{NINGYANG_NUMBER},2017-03-13,通知公告,粮食应急预案.docx\n",
                     encoding="utf-8")
    assert cli(root, "import-docs", str(first), str(files)).returncode == 0
    second = tmp_path / "目录2.csv"
    second.write_text("标题,文号,发布日期,所属栏目,文件\n"
                      f"{NINGYANG_TITLE},{NINGYANG_NUMBER},2017-03-13,通知公告,粮食应急预案.docx\n"
                      f"{NINGYANG_TITLE},宁政办发〔2017〕9号,2017-03-20,通知公告,粮食应急预案.docx\n", encoding="utf-8")
    result = cli(root, "import-docs", str(second), str(files))
    assert "第 2 行 → content/documents/2017/2017-00008.md：跳过" in result.stdout, result.stdout
    assert "与已导入的 content/documents/2017/2017-00008.md 标题和文号相同，按同一份文件处理（不另建）" in result.stderr
    mds = sorted(p.relative_to(root).as_posix() for p in (root / "content/documents").rglob("*.md"))
    assert len(mds) == 2 and "content/documents/2017/2017-00008.md" in mds  # the 9号 row is a document of its own
    assert cli(root, "check").returncode == 0


def test_the_same_rows_from_another_export_opening_on_a_notes_sheet_are_unchanged(tmp_path):
    """The second export opens on a 导出说明 sheet (the header was looked for there only) and is another file: the
    documents it repeats were 「已存在且内容不同」 because only the line naming the table and row differed."""
    import openpyxl
    from officefiles import make_docx

    root = make_site(tmp_path / "site", SITE_COLUMNS)
    files = tmp_path / "files"
    make_docx(files / "粮食应急预案.docx", [("h1", NINGYANG_TITLE), *[("p", t) for t in NINGYANG_TEXT]])
    header = ["标题", "文号", "发布日期", "所属栏目", "文件"]
    row = [NINGYANG_TITLE, NINGYANG_NUMBER, "2017-03-13", "通知公告", "粮食应急预案.docx"]
    first = tmp_path / "目录1.csv"
    first.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    assert cli(root, "import-docs", str(first), str(files)).returncode == 0
    wb = openpyxl.Workbook()
    wb.active.title = "导出说明"
    wb.active.append(["本表由政府信息公开平台导出"])
    ws = wb.create_sheet("信息公开目录")
    ws.append(["序号", *header])
    ws.append([1, *row])
    second = tmp_path / "目录2.xlsx"
    wb.save(second)
    result = cli(root, "import-docs", str(second), str(files))
    assert result.returncode == 0, result.stderr
    assert "提示：第一个工作表「导出说明」中没有公开目录的表头，已读取工作表「信息公开目录」" in result.stderr
    assert "：未变" in result.stdout and "1 份未变" in result.stderr


def test_an_unknown_topic_names_its_row_its_value_and_what_it_could_be(tmp_path):
    """An old system's 主题 that is not a class of the site's list: the note says which row, which value, the
    classes it is part of and the whole list; the row is imported without it. A class in quotation marks is the
    class."""
    root = make_site(tmp_path / "site", SITE_COLUMNS)
    table = tmp_path / "mulu.csv"
    table.write_text("名称,公开日期,栏目名称,主题分类\n"
                     "关于做好2024年冬季救助工作的通知,2024年11月20日,通知公告,民政\n"
                     "关于做好2024年春节慰问工作的通知,2024年1月20日,通知公告,“民政、扶贫、救灾”\n", encoding="utf-8")
    (tmp_path / "files").mkdir()
    result = cli(root, "import-docs", str(table), str(tmp_path / "files"))
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "主题分类" in line]
    assert len(notes) == 1, result.stderr
    assert notes[0].startswith(
        "mulu.csv:2: 提示: 第 2 行的主题分类没有写入（这一行的其余内容照常导入，导入后可在文件中补写 topic）："
        "主题分类「民政」不在主题分类表（site.yml 没有写 topics，用内置的政务公开工作主题分类）中；是不是：「民政、扶贫、救灾」。"
        "可选：「国务院组织机构」「综合政务」"), notes[0]
    first = (root / "content/documents/2024/2024-gyzh2024ndjjzgzdtz.md").read_text(encoding="utf-8")
    assert "topic:" not in first
    second = next(p for p in (root / "content/documents/2024").iterdir() if "cjww" in p.name).read_text(encoding="utf-8")
    assert "topic: 民政、扶贫、救灾\n" in second
