"""`gongkai report merge`: three bureaus' 2025 reports (tests/fixtures/report-merge/) summed cell by cell; an input
that fails its own checks is refused; JSON and CSV of the numbers."""

from __future__ import annotations

import csv
import io
import json
import shutil

from click.testing import CliRunner

from conftest import REPO
from gongkai.checks.reports import check_reports
from gongkai.cli import main
from gongkai.errors import Problems
from gongkai.load.reports import load_report

FIXTURES = REPO / "tests" / "fixtures" / "report-merge"
BUREAUS = [str(FIXTURES / b) for b in ("mzj", "rsj", "zjj")]
ENV = {"GONGKAI_BUILD_DATE": "2026-11-30"}


def run(*args: str):
    return CliRunner().invoke(main, ["report", "merge", *args], env=ENV)


def test_merge_three_bureaus_yaml_reloads_and_checks(tmp_path):
    out = tmp_path / "2025.yml"
    result = run(*BUREAUS, "--year", "2025", "--out", str(out))
    assert result.exit_code == 0, result.output
    problems = Problems()
    total = load_report(tmp_path, out, problems)
    check_reports([total], [], problems)
    assert problems.errors == []  # the sum satisfies every identity of the format
    # totals computed by hand from the three fixtures
    assert total.applications[("new",)] == [10 + 20 + 7, 2 + 5 + 3, 1, 1, 0, 0, 12 + 26 + 11]
    assert total.applications[("carried_over",)] == [3, 0, 0, 0, 0, 0, 3]
    assert total.applications[("results", "granted")] == [26, 7, 1, 1, 0, 0, 35]
    assert total.applications[("results", "unavailable", "not_held")] == [5, 2, 0, 0, 0, 0, 7]
    assert total.applications[("results", "total")] == [26 + 6 + 5, 10, 1, 1, 0, 0, 49]  # granted + partly + not_held
    assert total.applications[("carry_forward",)] == [3, 0, 0, 0, 0, 0, 3]
    assert total.review["reconsideration"] == [1, 1, 0, 1, 3]
    assert total.active["normative"] == {"issued": 3, "repealed": 0, "in_force": 9}
    assert total.active["licensing"] == 38 + 120 + 57
    assert total.active["fees"] == 1.75
    assert "3 个单位" in out.read_text(encoding="utf-8").splitlines()[0]


def test_merge_json_and_csv():
    data = json.loads(run(*BUREAUS, "--year", "2025", "--format", "json").output)
    assert data["年度"] == 2025
    assert data["三、收到和处理政府信息公开申请情况"]["一、本年新收政府信息公开申请数量"]["总计"] == 49
    assert data["四、政府信息公开行政复议、行政诉讼情况"]["行政复议"] == {
        "结果维持": 1, "结果纠正": 1, "其他结果": 0, "尚未审结": 1, "总计": 3}
    assert data["二、主动公开政府信息情况"]["第二十条第（八）项 行政事业性收费"] == {"本年收费金额（单位：万元）": 1.75}
    rows = list(csv.reader(io.StringIO(run(*BUREAUS, "--year", "2025", "--format", "csv").output)))
    assert rows[0] == ["年度", "部分", "行", "列", "数值"]
    assert ["2025", "三、收到和处理政府信息公开申请情况", "（七）总计", "商业企业", "10"] in rows
    assert len(rows) == 1 + 2 * 3 + 4 + 25 * 7 + 3 * 5  # one line per cell: 二 10, 三 25 rows of 7, 四 15


def test_merge_refuses_a_report_that_fails_its_checks(tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(FIXTURES / "zjj", bad)
    path = bad / "2025.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("new: [7, 3, 0, 1, 0, 0, 11]", "new: [7, 3, 0, 1, 0, 0, 12]"),
                    encoding="utf-8")
    result = run(BUREAUS[0], BUREAUS[1], str(bad), "--year", "2025")
    assert result.exit_code == 1
    assert "错误: 以下 1 份报告未通过校验或缺失，不能汇总：" in result.output
    assert f"{bad}：" in result.output
    assert "「一、本年新收政府信息公开申请数量」的总计是 12，但自然人至其他六列之和是 7+3+0+1+0+0 = 11" in result.output
    missing = run(BUREAUS[0], "--year", "2024")
    assert missing.exit_code == 1 and "没有 2024 年的年度报告" in missing.output


def test_merge_a_whole_site():
    """A site folder (with catalog/) is loaded and checked whole: the example bureau's 2025 report."""
    root = str(REPO)
    data = json.loads(run(root, BUREAUS[0], "--year", "2025", "--format", "json").output)
    assert data["三、收到和处理政府信息公开申请情况"]["一、本年新收政府信息公开申请数量"]["总计"] == 28 + 12
