"""gongkai inspect on a small fixture with a fixed --today: exactly the expected findings, and the verdict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import MINIMAL_SITE_YML, cli, make_site, run_build
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue

TODAY = "2026-03-15"

COLUMNS = """\
columns:
  - name: 政府信息公开指南
    kind: guide
    frequency: 及时更新
    office: 办公室
  - name: 法定主动公开内容
    children:
      - name: 部门文件
        kind: documents
        frequency: 及时更新
        office: 办公室
      - name: 通知公告
        kind: documents
        frequency: 及时更新
        office: 综合科
      - name: 统计数据
        kind: documents
        frequency: 每月更新
        office: 综合科
      - name: 应急预案
        kind: documents
        frequency: 每季度更新
        office: 综合科
      - name: 人事信息
        kind: documents
        frequency: 及时更新
        office: 人事科
      - name: 机构简介
        kind: page
        page: pages/jgjj.md
        frequency: 及时更新
        office: 办公室
      - name: 领导信息
        kind: page
        page: pages/ldxx.md
        frequency: 长期公开
        office: 办公室
  - name: 政策文件
    kind: policies
    frequency: 及时更新
    office: 法规科
  - name: 政府信息公开年报
    kind: reports
    frequency: 每年更新
    office: 办公室
"""


def doc(title: str, published: str, columns: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\npublished: {published}\ncolumns: [{columns}]\n{extra}---\n\n{title}正文。\n"


DOCUMENTS = {
    "bm-1.md": doc("关于做好春节期间工作的通知", "2026-03-01", "bmwj"),
    "tz-1.md": doc("关于开展志愿服务活动的通知", "2026-01-10", "tzgg"),
    "tj-1.md": doc("2026年1月统计数据", "2026-02-20", "tjsj"),
    "ya-1.md": doc("自然灾害救助应急预案", "2025-10-01", "yjya"),
    # 政策文件: newest 2025-08-01, i.e. more than 6 months before TODAY
    "zc-1.md": doc("示例市社区服务管理办法", "2025-08-01", "zcwj", "normative: true\ndoc_number: 示民规〔2024〕91号\nexpires: 2026-06-30\n"),
    "zc-2.md": doc("示例市福利彩票公益金管理办法", "2021-02-01", "zcwj",
                   "normative: true\ndoc_number: 示民规〔2024〕92号\neffective: 2021-03-01\nexpires: 2026-01-31\n"),
    "zc-3.md": doc("示例市社会救助家庭经济状况核对办法", "2024-05-01", "zcwj", "normative: true\ndoc_number: 示民规〔2024〕93号\nexpires: 2029-04-30\n"),
    "jd-3.md": doc("《示例市社会救助家庭经济状况核对办法》解读", "2024-05-02", "bmwj", "interprets: zc-3\n"),
    "nb-2024.md": doc("2024年政府信息公开工作年度报告", "2025-01-20", "zfxxgknb", "year: 2024\n"),
}
PAGES = {
    "guide.md": "---\ntitle: 政府信息公开指南\nrevised: 2025-01-10\n---\n\n## 一、主动公开\n\n指南正文。\n",
    # a page address that is not there: left as written by the build (.html), found by inspect in the built site
    "pages/jgjj.md": "---\nupdated: 2025-12-01\n---\n\n本局是市政府工作部门。[旧版机构表](../../old/jgb-2019.html)\n",
    "pages/ldxx.md": "局长：张三。\n",
}


def fixture_site(root: Path, site_extra: str = "") -> Path:
    return make_site(root, COLUMNS, DOCUMENTS, site_yml=MINIMAL_SITE_YML + site_extra, pages=PAGES)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    # one stale 政策文件 column fails the site: 19号 counts 5, this fixture sets 1 to see the exit code
    root = fixture_site(tmp_path_factory.mktemp("inspect"), "inspection:\n  stale_limit: 1\n")
    r = run_build(root, build_date=TODAY)
    assert r.returncode == 0, r.stderr
    return root


def inspect_json(root: Path, *args: str) -> tuple[int, dict]:
    r = cli(root, "inspect", "--format", "json", *args)
    assert r.returncode in (0, 1), r.stderr
    return r.returncode, json.loads(r.stdout)


def findings(data: dict, kind: str) -> dict[str, str]:
    return {f["subject"]: f["office"] for items in data["offices"].values() for f in items if f["kind"] == kind}


def test_exact_findings_and_failing_policy_threshold(built):
    code, data = inspect_json(built, "--today", TODAY)
    assert data["today"] == TODAY
    overdue = {f["subject"]: f["message"] for items in data["offices"].values() for f in items if f["kind"] == "overdue"}
    # 通知公告, 机构简介 and 政策文件 are 及时更新: event-driven, no period of their own
    assert set(overdue) == {"法定主动公开内容 / 应急预案", "政府信息公开年报"}
    assert "已超期 73 天" in overdue["法定主动公开内容 / 应急预案"]  # 2025-10-01 + 3 months = 2026-01-01
    assert findings(data, "empty") == {"法定主动公开内容 / 人事信息": "人事科"}
    assert findings(data, "policy_stale") == {"政策文件": "法规科"}
    assert findings(data, "expiring") == {"示例市社区服务管理办法": "法规科"}
    assert findings(data, "expired") == {"示例市福利彩票公益金管理办法": "法规科"}
    assert findings(data, "no_interpretation") == {"示例市社区服务管理办法": "法规科"}  # zc-3 has one; zc-2 expired
    assert findings(data, "guide_stale") == {"政府信息公开指南": "办公室"}
    assert findings(data, "annual_report") == {"2025年度报告": "办公室"}
    assert findings(data, "broken_link") == {"法定主动公开内容 / 机构简介": "办公室"}
    assert findings(data, "home_stale") == {}
    assert findings(data, "no_date") == {}  # 领导信息 is 长期公开: no period to judge
    assert data["links_checked"] > 10
    # grouped by 负责科室
    assert set(data["offices"]) == {"办公室", "法规科", "人事科", "综合科"}
    assert {f["kind"] for f in data["offices"]["综合科"]} == {"overdue"}
    # thresholds: only the policy column fails; exit code 1 for a scheduled job
    verdicts = {t["key"]: t["failed"] for t in data["thresholds"]}
    assert verdicts == {"home": False, "stale": True, "overdue": False, "empty": False}
    assert data["verdict"] == "不合格" and code == 1
    by_path = {c["path"]: c for c in data["columns"]}
    assert by_path["fdzdgknr/tzgg"]["last_update"] == "2026-01-10"
    assert by_path["fdzdgknr/jgjj"]["last_update"] == "2025-12-01"


def test_home_page_two_week_boundary(built):
    # newest document 2026-03-01: 14 days later passes, 15 days later fails
    _, data = inspect_json(built, "--today", "2026-03-15")
    assert not next(t for t in data["thresholds"] if t["key"] == "home")["failed"]
    _, data = inspect_json(built, "--today", "2026-03-16")
    assert next(t for t in data["thresholds"] if t["key"] == "home")["failed"]
    # before the 31 January deadline the previous year's report is not yet missing
    _, data = inspect_json(built, "--today", "2026-01-31")
    assert findings(data, "annual_report") == {}


def test_thresholds_from_site_yml(tmp_path, built):
    # stricter limits: 2 overdue and 1 empty now fail; one stale policy column is below 19号's count of 5
    root = fixture_site(tmp_path / "strict", "inspection:\n  overdue_limit: 2\n  empty_limit: 1\n  policy_columns: [bmwj]\n")
    code, data = inspect_json(root, "--today", TODAY, "--site", str(built / "site"))
    assert {t["key"]: t["failed"] for t in data["thresholds"]} == {"home": False, "stale": False, "overdue": True, "empty": True}
    assert code == 1
    # lenient limits and no policy failure: the site passes and the exit code is 0
    root = fixture_site(tmp_path / "lenient", "inspection:\n  policy_columns: [bmwj]\n  report_deadline: 03-31\n")
    code, data = inspect_json(root, "--today", TODAY, "--site", str(built / "site"))
    assert data["passed"] and code == 0
    assert findings(data, "annual_report") == {}  # a government's deadline: 31 March


def test_text_and_html_reports(built):
    r = cli(built, "inspect", "--today", TODAY)
    assert r.returncode == 1
    assert "结论：不合格（1 项指标未通过）" in r.stdout
    assert "【综合科】（1 项）" in r.stdout
    # 及时更新 has no period; 通知公告 is within 19号's 6 months; 政策文件 is not
    assert "  法定主动公开内容 / 通知公告｜及时更新｜综合科｜2026-01-10｜正常\n" in r.stdout
    assert "  政策文件｜及时更新｜法规科｜2025-08-01｜政策文件类超期 42 天\n" in r.stdout
    assert "  法定主动公开内容 / 人事信息｜及时更新｜人事科｜—｜空白\n" in r.stdout
    out = built / "report.html"
    r = cli(built, "inspect", "--today", TODAY, "--format", "html", "-o", str(out))
    assert r.returncode == 1
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert soup.find(id="verdict").get_text() == "不合格（1 项指标未通过）"
    tables = {t["data-office"]: t for t in soup.select("table.office")}
    assert set(tables) == {"办公室", "法规科", "人事科", "综合科"}
    assert [tr["data-kind"] for tr in tables["人事科"].select("tbody tr")] == ["empty"]
    assert not soup.find_all(href=True) and not soup.find_all(src=True)  # self-contained


def test_bad_rules_and_page_dates_are_errors(tmp_path):
    root = fixture_site(tmp_path / "bad", "inspection:\n  report_deadline: 02-30\n  overdue_limt: 3\n")
    (root / "content" / "pages" / "jgjj.md").write_text("---\nupdated: 2025-13-01\n---\n\n正文。\n", encoding="utf-8")
    with pytest.raises(GongkaiError) as exc:
        load_catalogue(root)
    text = exc.value.report()
    assert "catalog/site.yml:5: 错误: 字段「report_deadline」" in text
    assert "catalog/site.yml:6: 错误: 字段「overdue_limt」" in text and "overdue_limit" in text
    assert "content/pages/jgjj.md:2" in text and "updated" in text
    r = cli(root, "inspect", "--today", TODAY)
    assert r.returncode == 2 and "report_deadline" in r.stderr
