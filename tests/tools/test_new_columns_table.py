"""`gongkai new --columns` on a real 标准目录 table (公开时限 per 公开事项, no 更新频率, no 负责科室 column): the
公开时限 stays the 公开事项's, a periodic one gives the column's 更新频率, and `new` says in one message which
columns still need an 更新频率 (with the table's row numbers) and in one line that 负责科室 is to be filled in.
Before, every 公开时限 became the column's 更新频率 and nothing was said. Tables: tests/fixtures/catalogue-tables
(汕头市民政局 养老服务, 天津市宝坻区 社会救助; sources in SOURCES.md)."""

from __future__ import annotations

import datetime as dt

import yaml

from conftest import BUILD_DATE, REPO, cli
from gongkai.load.loader import load_catalogue

DAY = dt.date.fromisoformat(BUILD_DATE)
TABLES = REPO / "tests" / "fixtures" / "catalogue-tables"
BUREAU = ["--name", "汕头市民政局", "--org-code", "11330100002489999F", "--site-url", "https://mzj.example.gov.cn/"]


def new_site(tmp_path, table: str):
    result = cli(tmp_path, "new", "site", *BUREAU, "--columns", str(TABLES / table))
    assert result.returncode == 0, result.stderr
    return result, load_catalogue(tmp_path / "site", DAY)


def notes(stdout: str) -> list[str]:
    """The lines under 栏目表提示 in what `new` printed."""
    block = stdout.split("栏目表提示：\n", 1)[1].split("\n\n", 1)[0]
    return [line.strip() for line in block.splitlines()]


def test_shantou_deadlines_stay_with_the_items_and_only_a_period_gives_a_frequency(tmp_path):
    result, cat = new_site(tmp_path, "shantou-yanglao.csv")
    cols = {c.name: c for c in cat.columns() if c.items}
    # rows 1 and 3: event-driven 公开时限, kept on the 公开事项 (10 working days), the column's 更新频率 left to fill in
    for name in ("养老机构备案", "高龄老年人津贴"):
        col = cols[name]
        [item] = col.items
        assert item.deadline.startswith("制定或获取") and item.schedule.event_within.label == "10个工作日"
        assert (col.frequency, col.office) == ("", "")
    # row 2: 「每20个工作日更新」 is how often the column changes
    col = cols["养老机构备案信息"]
    assert (col.frequency, col.schedule.period.label, col.items[0].deadline) == ("每20个工作日更新", "20个工作日", "每20个工作日更新")
    assert cols["养老机构备案"].items[0].channels == ["政府网站", "政务服务中心"]  # the table writes 政府服务中心
    assert notes(result.stdout) == [
        "栏目表「shantou-yanglao.csv」没有「更新频率」列：各行的公开时限已作为公开事项的公开时限保留（1 个栏目的公开时限是固定周期，"
        "已据此填写更新频率）；以下 2 个栏目的公开时限不是固定周期，请在 catalog/columns.yml 中为它们填写 frequency（更新频率，"
        "如 及时更新、每月更新、每季度更新）：第 3 行「养老服务业务办理 / 养老机构备案」、第 5 行「养老服务业务办理 / 高龄老年人津贴」",
        "栏目表「shantou-yanglao.csv」没有「负责科室」列，各栏目的负责科室暂为空：请在 catalog/columns.yml 中为每个栏目填写 "
        "office（负责科室），gongkai inspect 按负责科室列出需要整改的栏目"]
    # the columns.yml the clerk opens says it above each column too
    text = (tmp_path / "site" / "catalog" / "columns.yml").read_text(encoding="utf-8")
    assert text.count("# 更新频率待填写（frequency）：栏目表没有更新频率列，公开时限「") == 2
    assert cli(tmp_path / "site", "check").returncode == 0


def test_baodi_social_assistance_table(tmp_path):
    result, cat = new_site(tmp_path, "tianjin-baodi-shehuijiuzhu.csv")
    leaves = [c for c in cat.columns() if c.items]
    assert [(c.trail_text(), c.frequency, c.items[0].deadline) for c in leaves] == [
        ("最低生活保障 / 政策法规文件", "", "制定或获取信息之日起10个工作日内"),
        ("最低生活保障 / 办事指南", "", "制定或获取信息之日起10个工作日内")]
    [frequency, office] = notes(result.stdout)
    assert frequency.endswith("：第 3 行「最低生活保障 / 政策法规文件」、第 4 行「最低生活保障 / 办事指南」")
    assert "固定周期，已据此填写" not in frequency
    assert office.startswith("栏目表「tianjin-baodi-shehuijiuzhu.csv」没有「负责科室」列")


def test_a_column_table_with_frequency_and_office_says_nothing(tmp_path):
    result = cli(tmp_path, "new", "site", *BUREAU, "--columns", str(REPO / "tests" / "fixtures" / "xuancheng-columns.csv"))
    assert result.returncode == 0, result.stderr
    assert "栏目表提示" not in result.stdout


def test_import_says_the_same(tmp_path):
    result = cli(tmp_path, "import", str(TABLES / "shantou-yanglao.csv"))
    assert result.returncode == 0, result.stderr
    assert "提示：栏目表「shantou-yanglao.csv」没有「更新频率」列" in result.stderr
    assert "提示：栏目表「shantou-yanglao.csv」没有「负责科室」列" in result.stderr
    columns = yaml.safe_load(result.stdout)["columns"]
    assert [c.get("frequency", "") for c in columns[1]["children"]] == ["每20个工作日更新"]


def test_junan_guide_under_a_first_level_of_the_same_name_is_the_guide(tmp_path):
    """莒南县民政局's table files its guide as 「部门信息公开指南」 under a first-level 「政府信息公开指南」: that column is
    the guide. Before, it stayed a document list and a second first-level 「政府信息公开指南」 was added beside it."""
    result, cat = new_site(tmp_path, "junan-minzheng.csv")
    assert [c.name for c in cat.roots].count("政府信息公开指南") == 1
    [guide] = [c for c in cat.columns() if c.kind == "guide"]
    assert guide.trail_text() == "政府信息公开指南 / 部门信息公开指南"
    assert "已按《政府信息公开条例》补充：政府信息公开年报" in result.stdout and "政府信息公开指南、" not in result.stdout
    assert cat.guide is not None  # content/guide.md, shown on that column's page
    # 更新周期 is the table's 更新频率
    assert {c.name: c.frequency for c in cat.columns() if c.items}["部门文件"] == "每月更新"
    assert cli(tmp_path / "site", "check").returncode == 0
