"""Issue 13: the mistakes clerks really make, each as the clerk wrote it → the exact first line of the message,
or the correct output. In-process (load_catalogue / the click commands), no build unless the output matters."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.old_mulu import SITE_COLUMNS

from conftest import copy_example, make_site, run_build
from gongkai.cli import main as cli_main
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue
from gongkai.load.slugs import MAX_SLUG, initials
from gongkai.tools.inspection import split_offices

DAY = dt.date(2026, 11, 24)


@pytest.fixture()
def site(tmp_path) -> Path:
    return copy_example(tmp_path / "site")


def first_problem(root: Path) -> str:
    """The first line of what the clerk is told (after the count line)."""
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, DAY)
    return info.value.report().split("\n")[1].strip()


def problems(root: Path) -> list[str]:
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, DAY)
    return [p.format() for p in info.value.problems]


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace text in a file; returns the 1-based line of the first replacement."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


# --- silent corruption -------------------------------------------------------------------------------


def test_a_title_with_hash_is_reported_not_cut(site):
    doc = site / "content/documents/2024/szmz-2024-3.md"
    text = doc.read_text(encoding="utf-8")
    title = re.search(r"^title: .*$", text, re.M).group()
    n = edit(doc, title, "title: 关于12345热线 #诉求# 办理情况的通报")
    assert first_problem(site) == (
        f"content/documents/2024/szmz-2024-3.md:{n}: 错误: 「关于12345热线」后面的「#诉求# 办理情况的通报」会被 YAML 当成注释删掉："
        "如果它是内容的一部分，请给整个值加上英文引号（例如 title: \"关于12345热线 #诉求# 办理情况的通报\"）；"
        "如果确实是注释，请在「#」后面加一个空格（第 18 列）")


def test_a_comment_after_a_value_is_still_a_comment(site):
    cols = site / "catalog/columns.yml"
    text = cols.read_text(encoding="utf-8")
    line = re.search(r"^\s+frequency: .*$", text, re.M).group()
    edit(cols, line, line + "  # 按季度检查")
    load_catalogue(site, DAY)  # no problem


def test_codes_with_leading_zeros_keep_their_characters(site):
    cfg = site / "catalog/site.yml"
    text = cfg.read_text(encoding="utf-8")
    text = re.sub(r"^site_id: .*$", "site_id: 0150000012", text, flags=re.M)
    text = re.sub(r"^(\s+)postcode: .*$", r"\1postcode: 010020", text, flags=re.M)
    text = re.sub(r"^(\s+)hours: .*$", r"\1hours: 8:30", text, flags=re.M)
    cfg.write_text(text, encoding="utf-8")
    cat = load_catalogue(site, DAY)
    assert cat.site.site_id == "0150000012"
    assert cat.site.contact.postcode == "010020"
    assert cat.site.contact.hours == "8:30"


@pytest.mark.parametrize("written", ["2024-1-5", "1.10", "0x1F", "1_000", "8:30"])
def test_a_title_yaml_would_read_as_a_number_or_date_keeps_its_characters(site, written):
    doc = site / "content/documents/2024/szmz-2024-3.md"
    title = re.search(r"^title: .*$", doc.read_text(encoding="utf-8"), re.M).group()
    edit(doc, title, f"title: {written}")
    assert load_catalogue(site, DAY).document("szmz-2024-3").title == written


@pytest.mark.parametrize("written", ["yes", "On", "NO", "true"])
def test_yes_or_no_in_a_text_field_says_to_quote_it(site, written):
    cfg = site / "catalog/site.yml"
    n = edit(cfg, "\nname: ", f"\nname: {written}\nold_name: ") + 1
    text = cfg.read_text(encoding="utf-8").replace("\nold_name: ", "\n# ")
    cfg.write_text(text, encoding="utf-8")
    assert first_problem(site) == (f"catalog/site.yml:{n}: 错误: 字段「name」：「{written}」会被 YAML 读成是/否，"
                                   f"而这里要写文字：请给它加上英文引号（name: \"{written}\"）")


def test_an_anchor_at_the_start_of_a_value_is_reported_not_dropped(site):
    doc = site / "content/documents/2024/szmz-2024-3.md"
    title = re.search(r"^title: .*$", doc.read_text(encoding="utf-8"), re.M).group()
    n = edit(doc, title, "title: &A 级养老机构评定结果公示")
    assert first_problem(site) == (
        f"content/documents/2024/szmz-2024-3.md:{n}: 错误: 值以「&」开头，YAML 会把「&A」当作锚点删掉，"
        "只留下「级养老机构评定结果公示」：请给整个值加上英文引号（例如 title: \"&A 级养老机构评定结果公示\"）（第 8 列）")


def test_site_id_is_printed_as_written(site):
    cfg = site / "catalog/site.yml"
    cfg.write_text(re.sub(r"^site_id: .*$", "site_id: 0150000012", cfg.read_text(encoding="utf-8"), flags=re.M),
                   encoding="utf-8")
    assert run_build(site).returncode == 0
    home = (site / "site/index.html").read_text(encoding="utf-8")
    assert 'name="SiteIDCode" content="0150000012"' in home
    assert "网站标识码：0150000012" in home
    assert "27262986" not in home


# --- YAML syntax, in Chinese, at the right line -------------------------------------------------------


@pytest.mark.parametrize("mistake, expected", [
    ("frequency：", "字段名后面是中文冒号「：」：请改成英文冒号加一个空格「: 」"),
    ("\tfrequency:", "这一行用制表符（Tab）缩进：YAML 只能用空格缩进，请把行首的 Tab 换成空格"),
])
def test_yaml_mistakes_in_columns_yml(site, mistake, expected):
    cols = site / "catalog/columns.yml"
    text = cols.read_text(encoding="utf-8")
    m = re.search(r"^( +)frequency:", text, re.M)
    n = text[: m.start()].count("\n") + 1
    fixed = mistake if mistake.startswith("\t") else m.group(1) + mistake
    cols.write_text(text[: m.start()] + fixed + text[m.end():], encoding="utf-8")
    first = first_problem(site)
    assert first.startswith(f"catalog/columns.yml:{n}: 错误: 字段「frequency」：YAML 格式错误：{expected}")
    assert len(problems(site)) == 1  # no cascade over the documents


def test_a_kind_written_by_its_chinese_name_says_the_english_one_and_nothing_else(site):
    """「kind: 文件列表」 (the Chinese name the list of kinds shows): the error says which kind it is and what to write;
    the column's documents are not also told that it cannot hold documents."""
    cols = site / "catalog/columns.yml"
    text = cols.read_text(encoding="utf-8")
    start = text.index("          - name: 政策解读\n")
    n = text[:start].count("\n") + 2
    cols.write_text(text[:start] + text[start:].replace("kind: documents", "kind: 文件列表", 1), encoding="utf-8")
    assert [p for p in problems(site) if ": 错误: " in p] == [
        f"catalog/columns.yml:{n}: 错误: 字段「kind」：栏目类型要写英文的类型名：「文件列表」是 documents（文件列表），请写 kind: documents"]


@pytest.mark.parametrize("last", [False, True], ids=["middle", "last field"])
def test_a_list_left_open_is_reported_at_its_own_line(site, last):
    """`columns: [bmwj, lsjz, zcwj` (no closing bracket): libyaml notices it a line later, or at the closing ---;
    the error is at the line that opened the list, with its field."""
    doc = site / "content/documents/2022/szmz-2022-2.md"
    text = doc.read_text(encoding="utf-8")
    if last:  # the open list as the front matter's last line
        text = text.replace("columns: [bmwj, lsjz, zcwj]\n", "").replace("\n---\n", "\ncolumns: [bmwj, lsjz, zcwj\n---\n", 1)
    else:
        text = text.replace("columns: [bmwj, lsjz, zcwj]", "columns: [bmwj, lsjz, zcwj")
    doc.write_text(text, encoding="utf-8")
    n = line_of(doc, "columns: [")
    assert first_problem(site) == (f"content/documents/2022/szmz-2022-2.md:{n}: 错误: 字段「columns」：YAML 格式错误："
                                   "方括号列表「[」没有用「]」结束：请在这一行末尾补上「]」，各项之间用英文逗号隔开（第 10 列）")


def test_a_line_indented_unlike_its_neighbours_names_its_field(site):
    """A field indented one space more than the others of its column: libyaml's complaint, in Chinese, at that line,
    with the line's field named (as every other YAML mistake is)."""
    cols = site / "catalog/columns.yml"
    n = edit(cols, "            office: 各科室\n", "             office: 各科室\n")
    assert first_problem(site) == (f"catalog/columns.yml:{n}: 错误: 字段「office」：YAML 格式错误：这里不能出现「: 」："
                                   "字段的缩进不一致，或值中含有冒号加空格（请给值加上引号）（第 20 列）")


@pytest.mark.parametrize("line, tabbed, field", [
    ("publisher: 示例市民政局", "\tpublisher: 示例市民政局", "publisher"),  # a field indented with a Tab
    ("columns: [bmwj, lsjz, zcwj]", "columns:\n\t- bmwj", "columns"),  # an item of its list
    ("columns: [bmwj, lsjz, zcwj]", "columns:\n  - bmwj\n-\tlsjz", "columns"),  # a Tab after the dash
])
def test_a_tab_names_the_field_it_is_in(site, line, tabbed, field):
    """A Tab (an editor's indentation) in a document's front matter: the error names the file, the Tab's line and
    the field that line belongs to — the field's own, or the list's it is an item of."""
    doc = site / "content/documents/2022/szmz-2022-2.md"
    n = edit(doc, line, tabbed) + tabbed.count("\n")
    found = problems(site)
    assert found[0].startswith(f"content/documents/2022/szmz-2022-2.md:{n}: 错误: 字段「{field}」：YAML 格式错误："
                               "这一行用制表符（Tab）缩进"), found
    assert len(found) == 1


@pytest.mark.parametrize("tabbed", [
    "  联系方式：\n  Email: mzj@example.gov.cn\n\t**主动公开。**",  # a line of the text above: 「Email:」 is text
    "  联系方式：\n  Email：mzj@example.gov.cn\n\t**主动公开。**",  # 「Email：」: no field with a full-width colon
    "  注意事项：\n  -注意保存\n\t**主动公开。**",  # 「-注意」: no list item without its space
    "  网址：\n  https://mzj.example.gov.cn/\n\t**主动公开。**",  # a line of the text with an address above
    "  网址：\n\thttps://mzj.example.gov.cn/\n  **主动公开。**",  # the address's own line, Tab-indented
])
def test_a_tab_in_a_block_of_text_names_its_field(site, tabbed):
    """A Tab in a report's paragraphs (`overview: |`): the field is overview — not a word of the text that a colon
    follows (「Email:」, 「https://…」: no field of a report), and the mistake is the Tab, not a line of the text
    above that the parser read well (「Email：」, 「-注意」)."""
    report = site / "content/reports/2024.yml"
    n = edit(report, "  **主动公开。**", tabbed) + next(i for i, x in enumerate(tabbed.split("\n")) if "\t" in x)
    found = problems(site)
    assert found[0].startswith(f"content/reports/2024.yml:{n}: 错误: 字段「overview」：YAML 格式错误：这一行用制表符（Tab）缩进"), found


def test_dash_without_space(site):
    cols = site / "catalog/columns.yml"
    text = cols.read_text(encoding="utf-8")
    m = re.search(r"^( *)- name:", text, re.M)
    n = text[: m.start()].count("\n") + 1
    cols.write_text(text[: m.start()] + m.group(1) + "-name:" + text[m.end():], encoding="utf-8")
    assert first_problem(site).startswith(f"catalog/columns.yml:{n}: 错误: 字段「name」：YAML 格式错误：列表项的「-」后面缺少空格")


@pytest.mark.parametrize("value, expected", [
    ("*重要* 通知", "值以「*」开头，YAML 会把它当作特殊符号：请给整个值加上英文引号"),
    ("@所有人 通知", "值以「@」开头"),
    ('"关于"某某"的通知"', "值开头的引号在值中间就结束了"),
    ("通知: 关于某事", "值中含有「: 」（冒号加空格）"),
    ("%号 通知", "值以「%」开头，YAML 会把它当作特殊符号：请给整个值加上英文引号"),
    ("`代码` 通知", "值以「`」开头"),
    ("!重要 通知", "值以「!」开头"),
    # brackets then more text: YAML reads 「[某某市]」 as a list (「{…}」 as a mapping) and cannot go on
    ("[某某市]民政局关于调整最低生活保障标准的通知", "值以「[」开头，YAML 会把「[某某市]」当作列表，后面的文字无法读取：请给整个值加上英文引号"
                                   "（例如 title: \"[某某市]民政局关于调整最低生活保障标准的通知\"）"),
    ("[某某市] 民政局关于调整最低生活保障标准的通知", "值以「[」开头，YAML 会把「[某某市]」当作列表"),
    ("{某某市}民政局关于调整最低生活保障标准的通知", "值以「{」开头，YAML 会把「{某某市}」当作字段表，后面的文字无法读取"),
])
def test_values_that_need_quotes(site, value, expected):
    doc = site / "content/documents/2024/szmz-2024-3.md"
    title = re.search(r"^title: .*$", doc.read_text(encoding="utf-8"), re.M).group()
    n = edit(doc, title, f"title: {value}")
    first = first_problem(site)
    assert first.startswith(f"content/documents/2024/szmz-2024-3.md:{n}: 错误: 字段「title」：YAML 格式错误：{expected}")


def test_normative_document_without_doc_number(site):
    """行政规范性文件 are numbered by law (国办发〔2018〕37号): without 文号 the policy list showed a blank one."""
    doc = site / "content/documents/2024/szmz-2024-3.md"
    number = re.search(r"^doc_number: .*\n", doc.read_text(encoding="utf-8"), re.M).group()
    edit(doc, number, "")
    n = line_of(doc, "normative: true")
    assert [p for p in problems(site) if ": 错误: " in p] == [
        f"content/documents/2024/szmz-2024-3.md:{n}: 错误: 字段「doc_number」：行政规范性文件（normative: true）必须写文号："
        "行政规范性文件统一登记、统一编号、统一印发（国办发〔2018〕37号），请照印发的文件写上，如 doc_number: 某民规〔2024〕1号；"
        "不是行政规范性文件的，请删去 normative: true"]
    edit(doc, "normative: true\n", "")  # an ordinary document needs none
    load_catalogue(site, DAY)


def test_unknown_column_names_the_nearest_ids(site):
    doc = site / "content/documents/2024/szmz-2024-3.md"
    n = edit(doc, "columns: [bmwj, zdshbz, zcwj]", "columns: [bmwjj, zdshbz, zcwj]")
    assert first_problem(site) == (f"content/documents/2024/szmz-2024-3.md:{n}: 错误: 字段「columns」："
                                   "栏目「bmwjj」在标准目录 catalog/columns.yml 中不存在；是不是：bmwj（部门文件）、bmjs（部门决算）")


def test_unknown_column_lists_the_sites_ids(tmp_path):
    """The README's example `columns: [bmwj, zdshbz]` in a site without those columns: its own ids are listed
    (those that hold documents: not a 栏目分组)."""
    root = make_site(tmp_path, SITE_COLUMNS, {"2024/a.md": "---\ntitle: 关于某事的通知\npublished: 2024-03-01\ncolumns: [bmwj]\n---\n\n正文\n"})
    assert first_problem(root) == ("content/documents/2024/a.md:4: 错误: 字段「columns」：栏目「bmwj」在标准目录 "
                                   "catalog/columns.yml 中不存在。可写的栏目标识：tzgg（通知公告）、zcwj（政策文件）")


def test_topic_in_chinese_quotes(site):
    """`topic: “民政”`: a new site's site.yml has no topics (the built-in gov.cn classes apply): say so, name the
    quotation marks to remove, the classes meant and the whole list."""
    doc = site / "content/documents/2024/szmz-2024-3.md"
    n = edit(doc, "topic: 民政、扶贫、救灾\\社会福利", "topic: “民政”")
    first = first_problem(site)
    assert first.startswith(f"content/documents/2024/szmz-2024-3.md:{n}: 错误: 字段「topic」：主题分类「“民政”」不在主题分类表"
                            "（site.yml 没有写 topics，用内置的政务公开工作主题分类）中：值中的引号「“”」不是分类名称的一部分，"
                            "请去掉；是不是：「民政、扶贫、救灾」。可选：「国务院组织机构」「综合政务」"), first
    assert "site.yml 的主题分类表" not in first and first.endswith("「国防」「其他」")
    edit(doc, "topic: “民政”", "topic: “民政、扶贫、救灾\\社会福利”")
    assert first_problem(site).endswith("请去掉，写作 topic: 民政、扶贫、救灾\\社会福利")


def test_topic_not_in_the_sites_own_list(site):
    edit(site / "catalog/site.yml", "name: ", "topics: [救助, 养老]\nname: ", 1)
    first = first_problem(site)
    assert "主题分类「民政、扶贫、救灾\\社会福利」不在 site.yml 的主题分类（topics）中。可选：「救助」「养老」" in first, first


def test_gbk_file_is_named_with_its_encoding(site):
    doc = site / "content/documents/2024/szmz-2024-3.md"
    doc.write_bytes(doc.read_text(encoding="utf-8").encode("gb18030"))
    first = first_problem(site)
    assert first.startswith("content/documents/2024/szmz-2024-3.md:2: 错误: 文件是 GBK/GB18030 编码")
    assert "另存为" in first and "UTF-8" in first
    assert len(problems(site)) == 1


@pytest.mark.parametrize("break_it, expected", [
    (lambda f: edit(f, "name:", "name："), "catalog/site.yml:{n}: 错误: 字段「name」：YAML 格式错误：字段名后面是中文冒号「："),
    (lambda f: f.write_bytes(f.read_text(encoding="utf-8").encode("gb18030")),
     "catalog/site.yml:1: 错误: 文件是 GBK/GB18030 编码"),  # its first non-UTF-8 byte: the Chinese comment
])
def test_an_unreadable_site_yml_is_not_also_missing_its_fields(site, break_it, expected):
    """The cause first and alone: not three 「缺少必填字段」 lines (without line numbers) before it, nor an error
    for every column implementing a standard that site.yml (unreadable) declares."""
    cfg = site / "catalog/site.yml"
    n = line_of(cfg, "name:")
    break_it(cfg)
    found = problems(site)
    assert found[0].startswith(expected.format(n=n)), found
    assert not [p for p in found if "缺少必填字段" in p], found
    assert not [p for p in found if "standards" in p], found


def test_broken_front_matter_does_not_blame_other_files(site):
    """A typo in one document: no false 「不存在」 in the files that cite it (packages.yml, 解读)."""
    doc = site / "content/documents/2022/szmz-2022-2.md"  # cited by a service package
    assert "szmz-2022-2" in (site / "catalog/packages.yml").read_text(encoding="utf-8")
    edit(doc, "title:", "title：")
    found = problems(site)
    assert found[0].startswith("content/documents/2022/szmz-2022-2.md:2: 错误: 字段「title」：YAML 格式错误")
    assert len(found) == 1


# --- commands from a subfolder, slugs, offices -------------------------------------------------------


@pytest.mark.parametrize("folder", ["catalog", "content/documents/2024"])
def test_check_runs_from_a_subfolder(site, monkeypatch, folder):
    monkeypatch.chdir(site / folder)
    result = CliRunner().invoke(cli_main, ["check"])
    assert result.exit_code == 0, result.output
    assert "校验通过" in result.output


def test_check_outside_a_site_says_where_to_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli_main, ["check"])
    assert result.exit_code == 2
    assert "没有找到站点（含 catalog/ 的目录）" in result.output
    assert "Usage" not in result.output


@pytest.mark.parametrize("name, slug", [
    ("朝阳街道", "cyjd"), ("朝阳社区", "cysq"), ("长治市民政局", "czsmzj"), ("洪洞县", "htx"),
    ("法定主动公开内容", "fdzdgknr"), ("重庆市", "cqs"), ("长者食堂", "zzst"),
])
def test_polyphone_place_names(name, slug):
    assert initials(name) == slug


def test_generated_slugs_are_capped():
    assert len(initials("关于" * 50)) == MAX_SLUG


def test_offices_are_split():
    assert split_offices("办公室、计划财务科") == ["办公室", "计划财务科"]
    assert split_offices("办公室/法规科，办公室") == ["办公室", "法规科"]
    assert split_offices("社会救助处") == ["社会救助处"]


def test_inspect_shows_a_shared_item_to_each_office(site):
    cols = site / "catalog/columns.yml"
    text = cols.read_text(encoding="utf-8")
    # 应急预案 is overdue on the example's build date: its finding goes to both offices
    m = re.compile(r"^(\s+)office: (.*)$", re.M).search(text, text.index("name: 应急预案"))
    cols.write_text(text[: m.start()] + f"{m.group(1)}office: 计划财务科、{m.group(2)}" + text[m.end():], encoding="utf-8")
    result = CliRunner().invoke(cli_main, ["inspect", "--root", str(site), "--today", "2026-11-24", "--format", "json"])
    import json

    offices = json.loads(result.output[result.output.index("{"):])["offices"]
    assert "计划财务科" in offices and m.group(2) in offices
    assert "计划财务科、" + m.group(2) not in offices




# --- consistency across documents --------------------------------------------------------------------


def new_doc(site: Path, name: str, front: str, body: str = "正文。\n") -> Path:
    path = site / "content" / "documents" / "2024" / f"{name}.md"
    path.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    return path


def test_same_doc_number_same_publisher_and_year_is_an_error(site):
    new_doc(site, "szmz-2024-copy", "title: 示例市某某办法（复制）\ndoc_number: 示民规[2024] 3号\npublished: 2024-05-01\n"
            "columns: [zcwj]\n")
    assert first_problem(site) == (
        "content/documents/2024/szmz-2024-copy.md:3: 错误: 字段「doc_number」：文号「示民规[2024] 3号」与 "
        "content/documents/2024/szmz-2024-3.md（示例市最低生活保障审核确认办法）相同，发布机构和年份也相同："
        "同一文号只能发一次，请核对是否复制了别的文件的 front matter")


def test_same_doc_number_other_year_is_a_warning(site):
    new_doc(site, "szmz-2024-copy", "title: 示例市某某办法（复制）\ndoc_number: 示民规〔2024〕3号\npublished: 2025-01-05\n"
            "columns: [zcwj]\n")
    cat = load_catalogue(site, DAY)
    warned = [w.format() for w in cat.warnings if w.field == "doc_number"]
    assert warned == ["content/documents/2024/szmz-2024-copy.md:3: 警告: 字段「doc_number」：文号「示民规〔2024〕3号」与 "
                      "content/documents/2024/szmz-2024-3.md（示例市最低生活保障审核确认办法）相同："
                      "请核对是否复制了别的文件的 front matter"]


def test_replaced_by_itself(site):
    doc = site / "content/documents/2024/szmz-2024-3.md"
    n = edit(doc, "published: 2024-03-15\n", "published: 2024-03-15\nstatus: 废止\nreplaced_by: szmz-2024-3\n") + 2
    assert first_problem(site) == (f"content/documents/2024/szmz-2024-3.md:{n}: 错误: 字段「replaced_by」："
                                   "替代文件不能是这份文件自己（szmz-2024-3）")


def test_replaced_by_in_a_circle(site):
    a = new_doc(site, "a-2024", "title: 甲办法\npublished: 2024-05-01\ncolumns: [zcwj]\nstatus: 废止\nreplaced_by: b-2024\n")
    new_doc(site, "b-2024", "title: 乙办法\npublished: 2024-06-01\ncolumns: [zcwj]\nstatus: 废止\nreplaced_by: a-2024\n")
    assert a.exists()
    assert first_problem(site) == ("content/documents/2024/a-2024.md:6: 错误: 字段「replaced_by」：替代文件形成了循环："
                                   "a-2024 → b-2024 → a-2024：请只在较早的文件上写 replaced_by")
    assert len([p for p in problems(site) if ": 错误: " in p]) == 1  # the circle once, not once per member


def test_interprets_in_a_circle(site):
    new_doc(site, "a-2024", "title: 甲解读\npublished: 2024-05-01\ncolumns: [zcjd]\ninterprets: b-2024\n")
    new_doc(site, "b-2024", "title: 乙解读\npublished: 2024-06-01\ncolumns: [zcjd]\ninterprets: a-2024\n")
    assert first_problem(site) == ("content/documents/2024/a-2024.md:5: 错误: 字段「interprets」：被解读的文件形成了循环："
                                   "a-2024 → b-2024 → a-2024：请只在较早的文件上写 interprets")
    assert len([p for p in problems(site) if ": 错误: " in p]) == 1


def test_interprets_itself(site):
    doc = site / "content/documents/2024/szmz-2024-3-jd.md"
    n = edit(doc, "interprets: szmz-2024-3", "interprets: szmz-2024-3-jd")
    assert first_problem(site) == (f"content/documents/2024/szmz-2024-3-jd.md:{n}: 错误: 字段「interprets」："
                                   "被解读的文件不能是这份文件自己（szmz-2024-3-jd）")


def test_a_publish_date_in_the_future_is_an_error(site):
    doc = site / "content/documents/2024/szmz-2024-3.md"
    n = edit(doc, "published: 2024-03-15", "published: 2030-03-15")
    assert first_problem(site) == (f"content/documents/2024/szmz-2024-3.md:{n}: 错误: 字段「published」：发布日期 2030-03-15 "
                                   "晚于今天（2026-11-24）：如果是笔误请改正；如果要到那天才发布，请加上 scheduled: true，"
                                   "文件会在那天及以后的生成中出现")


def test_a_scheduled_document_waits_for_its_day(site):
    new_doc(site, "szmz-2026-99", "title: 预定发布的通知ZZQ\npublished: 2026-12-01\ncolumns: [zcwj]\nscheduled: true\n",
            "正文标记ZZQBODY。\n")
    before = load_catalogue(site, DAY)
    assert before.document("szmz-2026-99") is not None
    assert "szmz-2026-99" not in {d.id for d in before.published_documents}
    after = load_catalogue(site, dt.date(2026, 12, 1))
    assert "szmz-2026-99" in {d.id for d in after.published_documents}
    assert run_build(site).returncode == 0
    for path in (site / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml", ".js"):
            assert "ZZQ" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_inspect_never_counts_a_scheduled_document_as_a_home_page_update(site):
    """A document scheduled for next week is not on the home page yet: inspect's 首页更新 is the last real one."""
    import json

    newest = max(d.published for d in load_catalogue(site, DAY).published_documents)
    new_doc(site, "szmz-2026-99", "title: 预定发布的通知\npublished: 2026-12-01\ncolumns: [zcwj]\nscheduled: true\n")
    result = CliRunner().invoke(cli_main, ["inspect", "--root", str(site), "--today", DAY.isoformat(), "--format", "json"])
    [home] = [t for t in json.loads(result.output[result.output.index("{"):])["thresholds"] if t["key"] == "home"]
    assert home["value"] == f"最近发布 {newest}（{(DAY - newest).days} 天前）"
    assert newest < dt.date(2026, 12, 1) and (DAY - newest).days >= 0


def test_column_names_instead_of_ids(site):
    doc = site / "content/documents/2024/szmz-2024-3.md"
    n = edit(doc, "columns: [bmwj, zdshbz, zcwj]", "columns: [部门文件, 最低生活保障, zcwj]")
    found = {p for p in problems(site) if ": 错误: " in p}
    assert found == {
        f"content/documents/2024/szmz-2024-3.md:{n}: 错误: 字段「columns」：「部门文件」是栏目名称，这里要写栏目标识：请写「bmwj」",
        f"content/documents/2024/szmz-2024-3.md:{n}: 错误: 字段「columns」：「最低生活保障」是栏目名称，这里要写栏目标识：请写「zdshbz」",
    }


def test_a_trail_of_column_names_instead_of_the_id(site):
    doc = site / "content/documents/2024/szmz-2024-3.md"
    n = edit(doc, "columns: [bmwj, zdshbz, zcwj]", "columns: [法定主动公开内容/政策法规/部门文件, zdshbz, zcwj]")
    assert first_problem(site) == (f"content/documents/2024/szmz-2024-3.md:{n}: 错误: 字段「columns」："
                                   "「法定主动公开内容/政策法规/部门文件」是栏目名称，这里要写栏目标识：请写「bmwj」")


@pytest.mark.parametrize("written", ["columns: bmwj, zdshbz, zcwj", "columns: [bmwj，zdshbz，zcwj]", "columns: bmwj、zdshbz、zcwj"])
def test_several_columns_run_together(site, written):
    """No brackets, or a full-width comma: YAML reads one column called 「bmwj, zdshbz, zcwj」."""
    doc = site / "content/documents/2024/szmz-2024-3.md"
    n = edit(doc, "columns: [bmwj, zdshbz, zcwj]", written)
    assert first_problem(site) == (f"content/documents/2024/szmz-2024-3.md:{n}: 错误: 字段「columns」："
                                   f"「{written.removeprefix('columns: ').strip('[]')}」是连在一起的 3 个栏目："
                                   "多个栏目请写成列表，用方括号和英文逗号，如 columns: [bmwj, zdshbz, zcwj]")


def test_a_missing_reference_points_at_its_field(site):
    doc = site / "content/documents/2024/szmz-2024-3-jd.md"
    n = edit(doc, "interprets: szmz-2024-3", "interprets: szmz-2024-33")
    assert first_problem(site) == (f"content/documents/2024/szmz-2024-3-jd.md:{n}: 错误: 字段「interprets」："
                                   "被解读的文件「szmz-2024-33」不存在：是不是 szmz-2024-3、szmz-2025-3、szmz-2024-nb？")


@pytest.mark.parametrize("written", ["示民规〔2024〕3号", "示民规[2024]3号"])
def test_interprets_given_the_doc_number_names_the_documents_id(site, written):
    """The office knows a policy by its 文号; `interprets` wants its 文件标识 (the file name): the message says
    which document has that 文号, by its identifier and file."""
    doc = site / "content/documents/2024/szmz-2024-3-jd.md"
    n = edit(doc, "interprets: szmz-2024-3", f"interprets: {written}")
    assert first_problem(site) == (f"content/documents/2024/szmz-2024-3-jd.md:{n}: 错误: 字段「interprets」："
                                   f"「{written}」是文号，这里要写被解读的文件的文件标识（文件页面网址 documents/标识.html 中的标识）："
                                   "请写 szmz-2024-3（content/documents/2024/szmz-2024-3.md）")


@pytest.mark.parametrize("written, said", [
    ("szmz-2024-3.md", "「szmz-2024-3.md」是文件名，"),
    ("content/documents/2024/szmz-2024-3.md", "「content/documents/2024/szmz-2024-3.md」是文件名，"),
    ("《示例市最低生活保障审核确认办法》", "「《示例市最低生活保障审核确认办法》」是标题，"),
])
def test_interprets_given_the_file_name_or_the_title_names_the_documents_id(site, written, said):
    doc = site / "content/documents/2024/szmz-2024-3-jd.md"
    n = edit(doc, "interprets: szmz-2024-3", f"interprets: {written}")
    assert first_problem(site) == (f"content/documents/2024/szmz-2024-3-jd.md:{n}: 错误: 字段「interprets」：{said}"
                                   "这里要写被解读的文件的文件标识（文件页面网址 documents/标识.html 中的标识）："
                                   "请写 szmz-2024-3（content/documents/2024/szmz-2024-3.md）")


def test_interprets_given_a_chinese_file_name_names_the_id_made_for_it(site):
    """A document under a Chinese file name has an identifier made for it (not its file's name): an interpretation
    that names the file is told that identifier."""
    new_doc(site, "关于调整城乡低保标准的通知", "title: 关于调整城乡低保标准的通知\npublished: 2024-11-02\ncolumns: [zcwj]\n")
    new_doc(site, "低保标准调整解读", "title: 低保标准调整解读\npublished: 2024-11-02\ncolumns: [zcjd]\n"
            "interprets: 关于调整城乡低保标准的通知.md\n")
    assert first_problem(site) == ("content/documents/2024/低保标准调整解读.md:5: 错误: 字段「interprets」："
                                   "「关于调整城乡低保标准的通知.md」是文件名，这里要写被解读的文件的文件标识（文件页面网址 documents/标识.html 中的标识）："
                                   "请写 2024-gytzcxdbbzdtz（content/documents/2024/关于调整城乡低保标准的通知.md）")


def test_interprets_naming_an_id_made_before_gongkai_assign_names_the_new_one(site):
    """A Chinese-named document's id is made from its title until `gongkai assign` gives it a 索引号, then from the
    索引号: an interpretation that named the first id (as check told) is told the new one, and why."""
    new_doc(site, "关于调整城乡低保标准的通知", "title: 关于调整城乡低保标准的通知\nindex_no: 11330100002489999F/2024-00099\n"
            "published: 2024-11-02\ncolumns: [zcwj]\n")
    new_doc(site, "低保标准调整解读", "title: 低保标准调整解读\npublished: 2024-11-02\ncolumns: [zcjd]\n"
            "interprets: 2024-gytzcxdbbzdtz\n")
    assert first_problem(site) == ("content/documents/2024/低保标准调整解读.md:5: 错误: 字段「interprets」："
                                   "被解读的文件「2024-gytzcxdbbzdtz」是 content/documents/2024/关于调整城乡低保标准的通知.md "
                                   "有索引号以前按标题生成的标识；它有了索引号（11330100002489999F/2024-00099），标识也随之变为 "
                                   "2024-00099：请写 2024-00099")


def test_replaced_by_given_the_doc_number_names_the_documents_id(site):
    new_doc(site, "a-2023", "title: 甲办法\npublished: 2023-05-01\ncolumns: [zcwj]\nstatus: 废止\n"
            "replaced_by: 示民规〔2024〕3号\n")
    assert first_problem(site) == ("content/documents/2024/a-2023.md:6: 错误: 字段「replaced_by」："
                                   "「示民规〔2024〕3号」是文号，这里要写替代文件的文件标识（文件页面网址 documents/标识.html 中的标识）："
                                   "请写 szmz-2024-3（content/documents/2024/szmz-2024-3.md）")


def test_check_accepts_the_frequencies_import_accepts(site):
    cols = site / "catalog/columns.yml"
    text = cols.read_text(encoding="utf-8")
    m = re.search(r"^(\s+)frequency: .*$", text, re.M)
    cols.write_text(text[: m.start()] + f"{m.group(1)}frequency: 每季度" + text[m.end():], encoding="utf-8")
    cat = load_catalogue(site, DAY)
    assert "每季度更新" in {c.frequency for c in cat.columns()}


# --- a renamed column ----------------------------------------------------------------------------------


def test_renaming_a_column_tells_which_id_to_add(site):
    cols = site / "catalog/columns.yml"
    n = edit(cols, "      - name: 区划地名\n", "      - name: 区划地名管理\n")
    found = problems(site)
    assert found[0] == (f"catalog/columns.yml:{n}: 错误: 字段「id」：栏目「区划地名管理」的地址由「qhdm」变成了「qhdmgl」"
                        "（原名「区划地名」，名称改了，又没有写 id），有 1 处文件引用仍写着「qhdm」：请给这个栏目加上 id: qhdm，"
                        "地址和文件就都不用改")
    assert len([p for p in found if ": 错误: " in p]) == 1  # not once more per document


def test_a_recorded_rename_places_the_documents(site):
    cols = site / "catalog/columns.yml"
    edit(cols, "      - name: 区划地名\n", "      - name: 区划地名管理\n")
    result = CliRunner().invoke(cli_main, ["lock", "--root", str(site), "--rename", "qhdm=qhdmgl"])
    assert result.exit_code == 0, result.output
    cat = load_catalogue(site, DAY)
    doc = cat.document("szmz-2026-dm-1")
    assert [c.path for c in doc.columns] == ["zdlyxxgk/qhdmgl"]
    line = line_of(site / "content/documents/2026/szmz-2026-dm-1.md", "columns:")
    assert [w.format() for w in cat.warnings if w.field == "columns"] == [
        f"content/documents/2026/szmz-2026-dm-1.md:{line}: 警告: 字段「columns」：栏目「qhdm」已改名为「区划地名管理」"
        "（地址记录 catalog/urls.lock.yml 中有改名记录），本文件已放入该栏目：请把这里的「qhdm」改为「qhdmgl」"]


# PyYAML's own words (its problems and contexts), none of which may reach the clerk
PARSER_ENGLISH = re.compile(r"expected|found|while (?:scanning|parsing)|mapping values|could not|not allowed|block end|"
                            r"flow (?:mapping|sequence)|undefined alias|character|[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}")
EDITED_FILES = ["catalog/columns.yml", "catalog/site.yml", "catalog/packages.yml", "catalog/urls.lock.yml",
                "content/reports/2025.yml", "content/guide.md", "content/documents/2024/szmz-2024-3.md",
                "content/documents/2026/szmz-2026-dm-1.md"]


def test_no_english_parser_text_for_single_character_edits(site):
    """Property: any single-character edit (a character typed, replaced or deleted) of the example's YAML files and
    front matter that breaks loading names the edited file in the first reported problem (and the first line
    the clerk reads), and no message contains the parser's English."""
    rng = random.Random(13)
    originals = {f: (site / f).read_text(encoding="utf-8") for f in EDITED_FILES}
    failures: dict[str, int] = {}
    for i in range(160):
        rel = EDITED_FILES[i % len(EDITED_FILES)]
        text = originals[rel]
        if rel.endswith(".md"):  # the front matter, where the YAML is
            text_end = text.index("\n---", 3)
        else:
            text_end = len(text)
        pos = rng.randrange(text_end)
        ch = rng.choice([":", "：", "-", "\t", " ", "#", '"', "'", "*", "[", "{", "&", "@", "%", "x", "\n", ""])
        how = rng.random()
        if ch == "" or how < 0.4:
            mutated = text[:pos] + ch + text[pos + 1:]  # replaced (or deleted)
        else:
            mutated = text[:pos] + ch + text[pos:]  # typed
        (site / rel).write_text(mutated, encoding="utf-8")
        try:
            load_catalogue(site, DAY)
        except GongkaiError as exc:
            failures[rel] = failures.get(rel, 0) + 1
            found = exc.problems
            where = (rel, pos, ch, [p.format() for p in found[:3]])
            # the first problem is in the edited file, or it is a reference to the edited file that no longer
            # holds (an id changed by the edit: 常用服务 → packages.yml), and then it names that file
            assert found[0].file == rel or rel in found[0].message, where
            first = exc.report().split("\n")[1].strip()
            assert first.startswith(rel) or rel in first, where
            for p in found:
                assert not PARSER_ENGLISH.search(p.message), p.format()
        finally:
            (site / rel).write_text(text, encoding="utf-8")
    # the edits broke every file often enough to test something
    assert sum(failures.values()) >= 50 and len(failures) == len(EDITED_FILES), failures


@pytest.mark.parametrize("written", ["2026.3.5", "2026年3月5日", "2026/3/5"])
def test_a_date_written_the_chinese_way_is_answered_with_the_date_to_write(site, written):
    doc = site / "content/documents/2024/szmz-2024-3.md"
    published = re.search(r"^published: .*$", doc.read_text(encoding="utf-8"), re.M).group()
    n = edit(doc, published, f"published: {written}")
    assert first_problem(site) == (f"content/documents/2024/szmz-2024-3.md:{n}: 错误: 字段「published」："
                                   f"日期「{written}」应写作 2026-03-05（年-月-日，用半角短横线，月和日各两位）")


def test_a_missing_publish_date_reads_as_a_sentence(site):
    doc = site / "content/documents/2024/szmz-2024-3.md"
    published = re.search(r"^published: .*\n", doc.read_text(encoding="utf-8"), re.M).group()
    edit(doc, published, "")
    assert first_problem(site) == ("content/documents/2024/szmz-2024-3.md:2: 错误: 字段「published」："
                                   "文件 front matter 缺少必填字段「published」")


def test_a_package_policy_given_a_doc_number_names_the_id(site):
    """policies: takes 文件标识; a clerk writes the 文号 (or title) the office knows the document by: the message
    names the id, as interprets: does (documents.missing_target)."""
    packages = site / "catalog" / "packages.yml"
    text = packages.read_text(encoding="utf-8")
    packages.write_text(text.replace("      - szmz-2024-3\n", "      - 示民规〔2024〕3号\n", 1), encoding="utf-8")
    line = text[:text.index("      - szmz-2024-3\n")].count("\n") + 1
    assert first_problem(site) == (f"catalog/packages.yml:{line}: 错误: 字段「policies」：「示民规〔2024〕3号」是文号，"
                                   "这里要写政策依据的文件标识（文件页面网址 documents/标识.html 中的标识）："
                                   "请写 szmz-2024-3（content/documents/2024/szmz-2024-3.md）")


def test_a_home_service_given_a_title_names_the_id(site):
    site_yml = site / "catalog" / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    site_yml.write_text(text.replace("  services:\n", "  services:\n    - document: 示例市最低生活保障审核确认办法\n", 1),
                        encoding="utf-8")
    line = text[:text.index("  services:\n")].count("\n") + 2
    assert first_problem(site) == (f"catalog/site.yml:{line}: 错误: 字段「document」：常用服务：「示例市最低生活保障审核确认办法」"
                                   "是标题，这里要写文件的文件标识（文件页面网址 documents/标识.html 中的标识）："
                                   "请写 szmz-2024-3（content/documents/2024/szmz-2024-3.md）")


def test_a_home_service_naming_a_document_not_published_says_so(site):
    new_doc(site, "szmz-2024-dfh", "title: 某某申请的答复\npublished: 2024-05-01\ncolumns: [zcwj]\ndisclosure: 依申请公开\n")
    site_yml = site / "catalog" / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    site_yml.write_text(text.replace("  services:\n", "  services:\n    - document: szmz-2024-dfh\n", 1), encoding="utf-8")
    line = text[:text.index("  services:\n")].count("\n") + 2
    assert first_problem(site) == (f"catalog/site.yml:{line}: 错误: 字段「document」：常用服务：文件「szmz-2024-dfh」（某某申请的答复）"
                                   "的公开属性是「依申请公开」，不会在网站上公开，不能列为常用服务")
