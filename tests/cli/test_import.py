"""gongkai import: the 宣城市民政局 2021 column table (CSV and .xlsx with merged cells) becomes a catalogue that builds."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup

from conftest import REPO, cli, make_site, run_build
from gongkai.errors import Problems
from gongkai.load.columns import load_columns

FIXTURES = REPO / "tests" / "fixtures"

# The table of ../shared/seeds/2021-xuancheng-civil-affairs-columns.txt, row for row (序号 1–58):
# path / 更新频率 / 负责科室. Typed here by hand, independently of the fixtures and of the importer.
EXPECTED_TEXT = """\
政策法规/部门文件|及时更新|各科室
政策法规/上级文件|及时更新|各科室
政策法规/规范性文件立改废/制定公开|及时更新|各科室
政策法规/规范性文件立改废/备案信息|及时更新|各科室
政策法规/规范性文件立改废/清理结果|及时更新|各科室
重大决策预公开/意见征集|及时更新|各科室
重大决策预公开/意见反馈|及时更新|各科室
规划计划|及时更新|办公室
决策部署落实情况|季度更新|各科室
建议提案办理/人大代表建议办理|及时更新|各科室
建议提案办理/政协委员提案办理|及时更新|各科室
机构领导|及时更新|办公室
机构设置/机构简介|及时更新|办公室
机构设置/内设科室及下属机构|及时更新|办公室
人事信息|及时更新|办公室
财政资金/年度部门预决算及“三公”经费情况/本部门预算|及时更新|办公室
财政资金/年度部门预决算及“三公”经费情况/本部门决算|及时更新|办公室
财政资金/年度部门预决算及“三公”经费情况/本部门三公经费|及时更新|办公室
财政资金/财政专项资金/制度文件|及时更新|办公室
财政资金/财政专项资金/财政专项资金管理和使用情况|及时更新|办公室
财政资金/财政专项资金/部门项目|及时更新|办公室
应急管理/应急预案|季度更新|办公室
应急管理/预警信息|季度更新|办公室
应急管理/应对情况|季度更新|办公室
精准脱贫|每月更新|各相关科室
权责清单和动态调整情况|每年更新|各相关科室
公共服务清单和中介服务清单|及时更新|各相关科室
行政权力运行结果|季度更新|办公室
全面推进基层政务公开标准化规划化/政策文件|及时更新|各相关科室
全面推进基层政务公开标准化规划化/工作推进|及时更新|各相关科室
全面推进基层政务公开标准化规划化/“双随机一公开”|及时更新|各相关科室
全面推进基层政务公开标准化规划化/网上政务服务|及时更新|各相关科室
全面推进基层政务公开标准化规划化/招标采购|及时更新|办公室
重点领域信息公开(特色栏目)/社会救助和社会福利|月度更新|各相关科室
重点领域信息公开(特色栏目)/社会组织|季度更新|社管局
重点领域信息公开(特色栏目)/脱贫攻坚——行业扶贫|及时更新|各相关科室
重点领域信息公开(特色栏目)/养老服务|及时更新|养老科
重点领域信息公开(特色栏目)/养老服务/热点回应|及时更新|养老科
重点领域信息公开(特色栏目)/“六稳”“六保”专项工作|及时更新|各相关科室
新闻发布/制度安排|及时更新|办公室
新闻发布/新闻发布及其他发布实录|及时更新|各相关科室
政策解读/上级政策解读|及时更新|各相关科室
政策解读/负责人解读|及时更新|各相关科室
政策解读/部门解读|及时更新|各相关科室
回应关切/主动回应|及时更新|各相关科室
回应关切/互动回应|及时更新|各相关科室
新媒体运用|及时更新|办公室
监督保障/公开制度|及时更新|办公室
监督保障/专项工作|及时更新|办公室
监督保障/工作推进|及时更新|办公室
监督保障/政府网站工作年度报表|年度更新|办公室
制度指南/公开制度|及时更新|办公室
制度指南/公开指南|及时更新|办公室
制度指南/公开年报|年度更新|办公室
依申请公开/依申请公开指南|及时更新|办公室
依申请公开/依申请公开目录|月度更新|办公室
依申请公开/依申请公开受理|及时更新|谁承办谁更新
依申请公开/依申请公开统计|及时更新|办公室
"""
EXPECTED = [tuple(line.split("|")) for line in EXPECTED_TEXT.splitlines()]
# columns with no row of their own: only parents of other rows
PARENTS_ONLY = {"政策法规", "政策法规/规范性文件立改废", "重大决策预公开", "建议提案办理", "机构设置", "财政资金",
                "财政资金/年度部门预决算及“三公”经费情况", "财政资金/财政专项资金", "应急管理",
                "全面推进基层政务公开标准化规划化", "重点领域信息公开(特色栏目)", "新闻发布", "政策解读", "回应关切",
                "监督保障", "制度指南", "依申请公开"}


def _import(tmp_path: Path, table: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    out = tmp_path / "catalog" / "columns.yml"
    r = cli(tmp_path, "import", str(table), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "58 行，75 个栏目；0 行无法放入目录。" in r.stderr
    return tmp_path


def _tree(root: Path) -> list[tuple[str, str, str, str]]:
    problems = Problems()
    roots = load_columns(root, problems)
    assert problems.items == []
    out = []
    for r in roots:
        for col in r.walk():
            trail = "/".join([a.name for a in col.ancestors] + [col.name])
            out.append((trail, col.frequency, col.office, col.kind))
    return out


@pytest.mark.parametrize("table", ["xuancheng-columns.csv", "xuancheng-columns.xlsx"])
def test_import_matches_the_table_row_for_row(tmp_path, table):
    tree = _tree(_import(tmp_path, FIXTURES / table))
    assert len(EXPECTED) == 58
    rows = [(t, f, o) for t, f, o, _ in tree if t not in PARENTS_ONLY]
    assert rows == EXPECTED  # same tree, 更新频率 and 负责科室, in the table's order
    parents = [(t, f, o, k) for t, f, o, k in tree if t in PARENTS_ONLY]
    assert [(t, f, o, k) for t, f, o, k in parents] == [(t, "", "", "section") for t in sorted(PARENTS_ONLY, key=[x[0] for x in tree].index)]
    kinds = dict((t, k) for t, _, _, k in tree)
    assert kinds["重点领域信息公开(特色栏目)/养老服务"] == "section"  # its own row and a child row
    assert kinds["规划计划"] == "documents"


def test_xlsx_fixture_has_merged_cells_and_matches_its_script(tmp_path):
    from fixtures.make_xuancheng_xlsx import build

    committed = openpyxl.load_workbook(FIXTURES / "xuancheng-columns.xlsx").active
    merged = {str(r) for r in committed.merged_cells.ranges}
    assert {"B3:B7", "C5:C7", "C39:C40"} <= merged  # 政策法规 rows 1–5; 规范性文件立改废; 养老服务 rows 37–38
    assert committed["B4"].value is None and committed["B3"].value == "政策法规"
    fresh = openpyxl.load_workbook(build(tmp_path / "x.xlsx")).active
    assert {str(r) for r in fresh.merged_cells.ranges} == merged
    assert [[c.value for c in row] for row in fresh.iter_rows()] == [[c.value for c in row] for row in committed.iter_rows()]


def test_imported_catalogue_builds(tmp_path):
    src = _import(tmp_path / "imp", FIXTURES / "xuancheng-columns.xlsx")
    columns = (src / "catalog" / "columns.yml").read_text(encoding="utf-8")
    root = make_site(tmp_path / "site", columns)
    r = run_build(root)
    assert r.returncode == 0, r.stderr
    site = root / "site"
    soup = BeautifulSoup((site / "bzml" / "index.html").read_text(encoding="utf-8"), "html.parser")
    cells = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in soup.select("table.gk-catalogue tbody tr")]
    assert len(cells) == 75
    by_trail = {"/".join(c for c in row[1:4] if c): (row[4], row[5]) for row in cells}
    for trail, freq, office in EXPECTED:
        assert by_trail[trail] == (freq, office)
    assert (site / "zcfg" / "gfxwjlgf" / "zdgk" / "index.html").is_file()
    assert (site / "zdlyxxgktslm" / "ylfw" / "rdhy" / "index.html").is_file()


def test_rows_that_cannot_be_placed_are_reported(tmp_path):
    table = tmp_path / "表.csv"
    table.write_text(
        "分工表\n"
        "序号,一级栏目,二级栏目,三级栏目,更新频率,负责科室,备注\n"
        ",,孤立的二级栏目,,及时更新,办公室,\n"        # line 3: no 一级 above
        "1,政策法规,部门文件,,及时更新,各科室,条例\n"
        "2,,部门文件,,及时更新,各科室,\n"           # line 5: duplicate of line 4
        "3,,,,及时更新,各科室,\n"                    # line 6: no name at all
        "4,规划计划,,,偶尔更新,办公室,\n"            # line 7: unknown 更新频率
        "5,政务公开,,工作要点,每年,办公室,\n",       # line 8: 三级 with 一级 given but 二级 empty
        encoding="gb18030",  # what Excel saves on a Chinese Windows PC
    )
    r = cli(tmp_path, "import", str(table))
    assert r.returncode == 1
    err = r.stderr
    assert "表.csv:3:" in err and "第 3 行" in err and "孤立的二级栏目" in err
    assert "表.csv:5:" in err and "与第 4 行重复" in err
    assert "表.csv:6:" in err and "没有栏目名称" in err
    assert "表.csv:7: 警告" in err and "偶尔更新" in err  # kept verbatim, said: not a row that failed
    assert "表.csv:8:" in err and "工作要点" in err
    assert "备注" in err  # a column it does not import is named, not silently dropped
    assert "4 行无法放入目录，1 处需要核对" in err
    out = r.stdout
    assert "name: 部门文件" in out and out.count("name: 部门文件") == 1
    assert "name: 规划计划" in out and "frequency: 偶尔更新" in out
    assert "# 备注：条例\n" in out and "description" not in out  # 备注 is for staff: a comment, never 栏目说明


def test_unreadable_table_is_a_clear_error(tmp_path):
    bad = tmp_path / "a.csv"
    bad.write_text("名称,频率\n甲,及时更新\n", encoding="utf-8")
    r = cli(tmp_path, "import", str(bad))
    assert r.returncode == 2 and "找不到表头" in r.stderr
    old = tmp_path / "a.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    r = cli(tmp_path, "import", str(old))
    assert r.returncode == 2 and ".xlsx" in r.stderr
    wps = tmp_path / "栏目表.et"
    wps.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    site = make_site(tmp_path / "site", "columns:\n  - name: 通知公告\n")  # import-docs imports into a site
    for args in (["import", str(wps)], ["import-docs", str(wps), str(tmp_path)]):
        r = cli(site, *args)
        assert r.returncode == 2
        assert "「栏目表.et」是WPS 表格文件（.et），不能直接导入：请在 WPS 中打开它" in r.stderr
        assert "保存为「栏目表.xlsx」" in r.stderr and "不支持的文件类型" not in r.stderr


def test_output_over_an_existing_file_is_backed_up_or_refused(tmp_path):
    out = tmp_path / "catalog" / "columns.yml"
    out.parent.mkdir()
    out.write_text("# 本局现用目录\ncolumns: []\n", encoding="utf-8")
    good = tmp_path / "好.csv"
    good.write_text("一级栏目,更新频率,负责科室\n规划计划,每年更新,办公室\n", encoding="utf-8")
    r = cli(tmp_path, "import", str(good), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "catalog" / "columns.yml.bak").read_text(encoding="utf-8") == "# 本局现用目录\ncolumns: []\n"
    assert "columns.yml.bak" in r.stderr and "name: 规划计划" in out.read_text(encoding="utf-8")
    r = cli(tmp_path, "import", str(good), "-o", str(out))  # a second backup does not overwrite the first
    assert r.returncode == 0 and (tmp_path / "catalog" / "columns.yml.bak2").is_file()
    # a table with a row that cannot be placed never replaces the file
    bad = tmp_path / "坏.csv"
    bad.write_text("一级栏目,二级栏目,更新频率\n,孤立的二级栏目,及时更新\n", encoding="utf-8")
    before = out.read_bytes()
    r = cli(tmp_path, "import", str(bad), "-o", str(out))
    assert r.returncode == 1 and "未写入" in r.stderr and "原文件保持不变" in r.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["columns.yml", "columns.yml.bak", "columns.yml.bak2"]


def test_a_workbook_with_several_sheets_names_them(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "栏目"
    wb.active.append(["一级栏目", "更新频率"])
    wb.active.append(["规划计划", "每年更新"])
    other = wb.create_sheet("说明")
    other.append(["填表说明"])
    path = tmp_path / "表.xlsx"
    wb.save(path)
    r = cli(tmp_path, "import", str(path))
    assert r.returncode == 0
    assert "有 2 个工作表（栏目、说明），只导入了第一个「栏目」" in r.stderr and "--sheet" in r.stderr


@pytest.mark.parametrize("table, rows, columns, ignored", [
    ("lishui-liandu-minzheng.xlsx", 5, 7, "过程、公开格式、咨询及监督举报电话"),
    ("xiaogan-minzheng.xlsx", 4, 5, "政府信息公开平台对应栏目"),
])
def test_real_catalogue_tables_import_with_exit_0(tmp_path, table, rows, columns, ignored):
    out = tmp_path / "catalog" / "columns.yml"
    r = cli(tmp_path, "import", str(FIXTURES / "catalogue-tables" / table), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert f"{rows} 行，{columns} 个栏目；0 行无法放入目录。" in r.stderr
    assert f"不会公开，其内容已作为注释写在对应栏目上方：{ignored}" in r.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count("    items:\n") == rows and "# " in text
