"""Annual reports (content/reports/*.yml, 国办公开办函〔2021〕30号): loading, the format's arithmetic, the carry-over,
part 二 against the site's documents, copied text — each mistake with its exact message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import REPO, copy_example
from gongkai.checks.reports import normative_counts, similarity
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue

DAY = dt.date(2026, 11, 30)


@pytest.fixture()
def site(tmp_path) -> Path:
    return copy_example(tmp_path / "site")


def edit(site: Path, year: int, old: str, new: str) -> None:
    path = site / "content" / "reports" / f"{year}.yml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(site: Path, year: int, text: str) -> int:
    lines = (site / "content" / "reports" / f"{year}.yml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def errors(site: Path) -> list[str]:
    with pytest.raises(GongkaiError) as exc:
        load_catalogue(site, DAY)
    return [p.format() for p in exc.value.problems if p.level == "error"]


def report_warnings(site: Path) -> list[str]:
    return [w.format() for w in load_catalogue(site, DAY).warnings if w.file.startswith("content/reports/")]


def test_example_reports_load_and_agree():
    cat = load_catalogue(REPO, DAY)
    assert [r.year for r in cat.reports] == [2023, 2024, 2025]
    assert [w for w in cat.warnings if w.file.startswith("content/reports/")] == []
    r = cat.reports[-1]
    assert r.applications[("new",)] == [23, 4, 0, 0, 1, 0, 28]
    assert r.applications[("results", "refused", "process")] == [1, 0, 0, 0, 0, 0, 1]
    assert r.review["litigation_direct"] == [0, 0, 0, 1, 1]
    assert r.active["normative"] == {"issued": 2, "repealed": 0, "in_force": 4}


def test_normative_counts_from_the_documents():
    """第（一）项 from the example's documents: published in the year, repealed in the year, in force on 31 December
    (a status dated later does not apply yet; 已修改 and 已失效 are not 现行有效)."""
    cat = load_catalogue(REPO, DAY)
    got = {y: normative_counts(cat.documents, y) for y in (2023, 2024, 2025)}
    assert {y: (len(c.issued), len(c.repealed), len(c.in_force)) for y, c in got.items()} == {
        2023: (1, 0, 4), 2024: (1, 1, 3), 2025: (2, 0, 4)}
    assert [d.doc_number for d in got[2024].repealed] == ["示民规〔2019〕4号"]
    assert [d.doc_number for d in got[2025].in_force] == ["示民规〔2023〕5号", "示民规〔2024〕3号", "示民规〔2025〕1号",
                                                          "示民规〔2025〕3号"]


def test_row_total_off(site):
    edit(site, 2025, "new:          [23, 4, 0, 0, 1, 0, 28]", "new:          [23, 4, 0, 0, 1, 0, 29]")
    line = line_of(site, 2025, "new:  ")
    assert f"content/reports/2025.yml:{line}: 错误: 字段「applications.new」：「一、本年新收政府信息公开申请数量」的总计是 29，" \
           "但自然人至其他六列之和是 23+4+0+0+1+0 = 28" in errors(site)


def test_results_total_and_balance_off(site):
    """One number too many in （一）予以公开: the row still adds up, （七）总计 does not, and neither does the column."""
    edit(site, 2025, "granted:    [10, 2, 0, 0, 0, 0, 12]", "granted:    [11, 2, 0, 0, 0, 0, 13]")
    edit(site, 2025, "total:      [22, 3, 0, 0, 1, 0, 26]", "total:      [23, 3, 0, 0, 1, 0, 27]")
    got = errors(site)
    total_line, forward_line = line_of(site, 2025, "total:  "), line_of(site, 2025, "carry_forward:")
    assert sorted(got) == sorted([
        f"content/reports/2025.yml:{forward_line}: 错误: 字段「applications」：「自然人」列不符合勾稽关系（第一项加第二项之和，"
        "等于第三项加第四项之和）：本年新收 23 + 上年结转 1 = 24，办理结果总计 23 + 结转下年度 2 = 25",
        f"content/reports/2025.yml:{forward_line}: 错误: 字段「applications」：「总计」列不符合勾稽关系（第一项加第二项之和，"
        "等于第三项加第四项之和）：本年新收 28 + 上年结转 1 = 29，办理结果总计 27 + 结转下年度 3 = 30",
    ])
    # and （七）总计 left as it was: the sum of the results is named
    edit(site, 2025, "total:      [23, 3, 0, 0, 1, 0, 27]", "total:      [22, 3, 0, 0, 1, 0, 26]")
    got = errors(site)
    assert f"content/reports/2025.yml:{total_line}: 错误: 字段「applications.results.total」：「（七）总计」的「自然人」列是 22，" \
           "但（一）至（六）各项之和是 23" in got
    assert len(got) == 2  # and the same for the 总计 column


def test_review_total_and_negative_and_shape(site):
    edit(site, 2025, "reconsideration:   [1, 0, 0, 1, 2]", "reconsideration:   [1, 0, 0, 1, 3]")
    edit(site, 2025, "litigation_after:  [0, 0, 0, 0, 0]", "litigation_after:  [0, 0, -1, 0]")
    edit(site, 2025, "inquiry:      [0, 0, 0, 0, 0, 0, 0]", "inquiry:      [0, 0, 0, 0, 0, -1, -1]")
    got = errors(site)
    r, a, q = (line_of(site, 2025, k) for k in ("reconsideration:", "litigation_after:", "inquiry:"))
    assert f"content/reports/2025.yml:{r}: 错误: 字段「review.reconsideration」：「行政复议」的总计是 3，" \
           "但结果维持、结果纠正、其他结果、尚未审结之和是 1+0+0+1 = 2" in got
    assert f"content/reports/2025.yml:{a}: 错误: 字段「review.litigation_after」：「复议后起诉」应为 5 个数的列表 " \
           "[结果维持, 结果纠正, 其他结果, 尚未审结, 总计]，写了 4 个" in got
    assert f"content/reports/2025.yml:{q}: 错误: 字段「applications.results.refused.inquiry」：" \
           "「（三）不予公开8.属于行政查询事项」的「其他」列是 -1：件数不能为负数" in got


def test_carry_over_differs(site):
    edit(site, 2025, "carried_over: [1, 0, 0, 0, 0, 0, 1]", "carried_over: [0, 0, 0, 0, 0, 0, 0]")
    edit(site, 2025, "new:          [23, 4, 0, 0, 1, 0, 28]", "new:          [24, 4, 0, 0, 1, 0, 29]")
    line, last = line_of(site, 2025, "carried_over:"), line_of(site, 2024, "carry_forward:")
    assert errors(site) == [
        f"content/reports/2025.yml:{line}: 错误: 字段「applications.carried_over」：「二、上年结转政府信息公开申请数量」"
        f"与 2024 年报告（content/reports/2024.yml:{last}）的「四、结转下年度继续办理」不一致："
        "自然人 本年写 0、上年结转下年度 1；总计 本年写 0、上年结转下年度 1"]


def test_part_two_contradicts_the_documents(site):
    """The example's 2025 report as it was before: 3 issued, 1 repealed, 12 in force."""
    edit(site, 2025, "normative: {issued: 2, repealed: 0, in_force: 4}", "normative: {issued: 3, repealed: 1, in_force: 12}")
    line = line_of(site, 2025, "normative:")
    assert sorted(report_warnings(site)) == sorted([
        f"content/reports/2025.yml:{line}: 警告: 字段「active.normative.issued」：第二十条第（一）项「行政规范性文件」"
        "本年制发件数写的是 3，本站文件中是 2（2025 年发布的行政规范性文件：示民规〔2025〕1号、示民规〔2025〕3号）",
        f"content/reports/2025.yml:{line}: 警告: 字段「active.normative.in_force」：第二十条第（一）项「行政规范性文件」"
        "现行有效件数写的是 12，本站文件中是 4（2025 年 12 月 31 日现行有效的行政规范性文件：示民规〔2023〕5号、"
        "示民规〔2024〕3号、示民规〔2025〕1号、示民规〔2025〕3号）",
        f"content/reports/2025.yml:{line}: 警告: 字段「active.normative.repealed」：第二十条第（一）项「行政规范性文件」"
        "本年废止件数写的是 1，本站文件中是 0（2025 年废止的行政规范性文件：无）",
    ])


def test_narrative_copied_from_last_year(site):
    reports = site / "content" / "reports"
    last = (reports / "2024.yml").read_text(encoding="utf-8")
    this = (reports / "2025.yml").read_text(encoding="utf-8")

    def narrative(text: str) -> str:
        return text[text.index("overview:"):text.index("active:")], text[text.index("problems:"):]
    (o24, p24), (o25, p25) = narrative(last), narrative(this)
    copied = this.replace(o25, o24.replace("2024", "2025")).replace(p25, p24)
    (reports / "2025.yml").write_text(copied, encoding="utf-8")
    line = line_of(site, 2025, "overview:")
    got = report_warnings(site)
    assert len(got) == 1
    assert got[0].startswith(f"content/reports/2025.yml:{line}: 警告: 字段「overview」：一、五、六部分的文字与 2024 年报告"
                             "（content/reports/2024.yml）高度雷同：相似度 0.9")
    assert got[0].endswith("（字符二元组 Jaccard，0.8 及以上视为雷同），请按本年情况重写")


def test_similarity_measure():
    assert similarity("本年度未收取信息处理费", "本年度未收取信息处理费") == 1.0
    assert similarity("", "") == 0.0
    assert similarity("依申请公开", "养老服务") == 0.0


def test_one_report_a_year(site):
    src = site / "content" / "reports" / "2025.yml"
    (site / "content" / "reports" / "2025-copy.yml").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    got = errors(site)
    assert got == ["content/reports/2025.yml:3: 错误: 字段「year」：2025 年的年度报告已有一份：content/reports/2025-copy.yml，每年只能有一份"]


def test_unknown_and_missing_rows(site):
    edit(site, 2025, "      inquiry:      [0, 0, 0, 0, 0, 0, 0]\n", "      query:      [0, 0, 0, 0, 0, 0, 0]\n")
    got = errors(site)
    assert any("「（三）不予公开」下没有「query」这一项" in g for g in got)
    assert any("「（三）不予公开」缺少：inquiry（8.属于行政查询事项）" in g for g in got)


def test_report_without_its_document(site):
    (site / "content" / "documents" / "2026" / "szmz-2025-nb.md").unlink()
    assert report_warnings(site) == [
        "content/reports/2025.yml:3: 警告: 字段「year」：2025 年的报告还没有发布它的文件：请在 content/documents/ 中建一份"
        "文件，columns 写年报栏目（kind: reports），并写 year: 2025（索引号、发布日期写在那里）"]


def test_report_new_prefills_what_the_site_knows(site):
    """`gongkai report new 2026`: part 二 第（一）项 from the documents, 上年结转 from 2025's 结转下年度; refuses to
    overwrite; the skeleton loads, and once its numbers are filled in consistently, checks clean."""
    from click.testing import CliRunner

    from gongkai.cli import main

    runner = CliRunner()
    env = {"GONGKAI_BUILD_DATE": "2026-11-30"}
    result = runner.invoke(main, ["report", "new", "2026", "--root", str(site)], env=env)
    assert result.exit_code == 0, result.output
    assert "已写入 content/reports/2026.yml" in result.output
    text = (site / "content" / "reports" / "2026.yml").read_text(encoding="utf-8")
    assert "  normative: {issued: 2, repealed: 0, in_force: 5}\n" in text
    assert "示民规〔2026〕2号、示民规〔2026〕4号" in text  # how 本年制发 was counted
    assert "  carried_over: [2, 1, 0, 0, 0, 0, 3]   # 自动填入：2025 年报告" in text
    again = runner.invoke(main, ["report", "new", "2026", "--root", str(site)], env=env)
    assert again.exit_code == 1 and "已存在，不覆盖" in again.output
    # as written, the carried-over cases are not yet accounted for: one 勾稽 error per column that carried some
    got = errors(site)
    assert len(got) == 3 and all("不符合勾稽关系" in g for g in got)  # 自然人, 商业企业, 总计
    # filled in: the 3 carried-over cases answered
    text = text.replace("    granted: [0, 0, 0, 0, 0, 0, 0]", "    granted: [2, 1, 0, 0, 0, 0, 3]")
    text = text.replace("    total: [0, 0, 0, 0, 0, 0, 0]", "    total: [2, 1, 0, 0, 0, 0, 3]")
    text = text.replace("overview: |\n  \n", "overview: |\n  2026年，我局办结上年结转的全部申请。\n")
    (site / "content" / "reports" / "2026.yml").write_text(text, encoding="utf-8")
    cat = load_catalogue(site, DAY)
    assert [r.year for r in cat.reports] == [2023, 2024, 2025, 2026]
    assert [w.format() for w in cat.warnings if w.file == "content/reports/2026.yml"] == [
        "content/reports/2026.yml:4: 警告: 字段「year」：2026 年的报告还没有发布它的文件：请在 content/documents/ 中建一份"
        "文件，columns 写年报栏目（kind: reports），并写 year: 2026（索引号、发布日期写在那里）"]


def test_inspect_late_duplicate_and_copied_reports(site):
    """`gongkai inspect`: the 2025 report published after 31 January, a second 2024 report, 2025's text copied."""
    from gongkai.tools.inspection import inspect

    doc = site / "content" / "documents" / "2026" / "szmz-2025-nb.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("published: 2026-01-22", "published: 2026-02-10"),
                   encoding="utf-8")
    dup = site / "content" / "documents" / "2025" / "szmz-2024-nb.md"
    (dup.parent / "szmz-2024-nb-2.md").write_text(dup.read_text(encoding="utf-8").replace(
        "index_no: 11330100002489999F/2025-00001", "index_no: 11330100002489999F/2025-00099").replace(
        "2024年政府信息公开工作年度报告", "2024年政府信息公开工作年度报告（更正）"), encoding="utf-8")
    reports = site / "content" / "reports"
    r24, r25 = (reports / "2024.yml").read_text(encoding="utf-8"), (reports / "2025.yml").read_text(encoding="utf-8")
    (reports / "2025.yml").write_text(r25[:r25.index("overview:")] + r24[r24.index("overview:"):r24.index("active:")]
                                      + r25[r25.index("active:"):r25.index("problems:")] + r24[r24.index("problems:"):],
                                      encoding="utf-8")
    cat = load_catalogue(site, DAY)
    got = {(f.kind, f.subject): f.message for f in inspect(cat, DAY).findings if f.kind.startswith("annual_report")}
    assert got == {
        ("annual_report_late", "2025年度报告"): "2025 年度报告 2026-02-10 公布，晚于期限 2026-01-31（10 天）",
        ("annual_report_duplicate", "2024年度报告"):
            "2024 年度报告有 2 份：示例市民政局2024年政府信息公开工作年度报告、示例市民政局2024年政府信息公开工作年度报告（更正）",
        ("annual_report_copied", "2025年度报告"): "一、五、六部分与 2024 年度报告相似度 1.00（0.8 及以上视为雷同）",
    }
    # a people's government (site.yml inspection.report_deadline: 03-31) is not late on 10 February
    site_yml = site / "catalog" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + "inspection:\n  report_deadline: \"03-31\"\n",
                        encoding="utf-8")
    cat = load_catalogue(site, DAY)
    assert "annual_report_late" not in {f.kind for f in inspect(cat, DAY).findings}


def test_personal_data_in_the_narrative_is_stopped(site):
    """The privacy gate reads the reports too: their text is published on the report page."""
    edit(site, 2025, "  本年度未收取信息处理费。收到", "  本年度未收取信息处理费，申请人李某（身份证号 11010519491231002X）来电咨询。收到")
    line = line_of(site, 2025, "身份证号")
    got = errors(site)
    assert len(got) == 1 and got[0].startswith(f"content/reports/2025.yml:{line}: 错误: 字段「other_matters」：发现疑似")
