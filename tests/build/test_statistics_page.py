"""依申请公开统计 (kind statistics): part 三 of the published annual reports, numbers taken from content/reports/."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup

from conftest import BUILD_DATE, REPO, copy_example
from gongkai.annual_report import application_summary
from gongkai.build.application_page import statistics_context
from gongkai.errors import Problems
from gongkai.load.loader import load_catalogue
from gongkai.load.reports import load_reports

DAY = dt.date.fromisoformat(BUILD_DATE)
PAGE = "ysqgk/ysqtj/index.html"


def test_the_built_page_shows_each_year_from_its_report(example_site):
    doc = BeautifulSoup((example_site / PAGE).read_text(encoding="utf-8"), "html.parser")
    table = doc.select_one("table.gk-stat-table")
    heads = [th.get_text(strip=True) for th in table.select("thead th")]
    assert heads == ["项目", "2025年年度报告", "2024年年度报告", "2023年年度报告"]
    links = [a["href"] for a in table.select("thead a")]
    assert links == ["../../documents/szmz-2025-nb.html", "../../documents/szmz-2024-nb.html",
                     "../../documents/szmz-2023-nb.html"]
    rows = {tr["data-stat"]: [int(td.get_text()) for td in tr.select("td")] for tr in table.select("tbody tr")}
    # the numbers as the reports hold them (content/reports/YEAR.yml, read on their own here)
    reports = {r.year: r for r in load_reports(REPO, Problems())}
    for i, year in enumerate((2025, 2024, 2023)):
        summary = application_summary(reports[year])
        assert {k: v[i] for k, v in rows.items()} == summary
        assert summary["new"] + summary["carried_over"] == summary["total"] + summary["carry_forward"]
    assert rows["new"][0] == 28 and rows["legal"][0] == 5 and rows["carry_forward"][0] == 3  # 2025.yml, by hand
    assert sum(rows[k][0] for k in ("granted", "partly", "refused", "unavailable", "not_handled", "other")) == rows["total"][0]


def test_a_report_whose_document_is_not_published_is_not_shown(tmp_path):
    root = copy_example(tmp_path / "site")
    doc = root / "content" / "documents" / "2026" / "szmz-2025-nb.md"
    doc.unlink()  # content/reports/2025.yml stays: its numbers wait for the report's publication
    ctx = statistics_context(load_catalogue(root, DAY))
    assert [y for y, _ in ctx["years"]] == [2024, 2023]
