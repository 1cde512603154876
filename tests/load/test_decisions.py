"""重大行政决策: catalog/decisions.yml validation and documents joining decisions by stage (front matter)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from conftest import BUILD_DATE, REPO, load_errors, make_site
from gongkai.load.loader import load_catalogue
from gongkai.participation import STAGES

DAY = dt.date.fromisoformat(BUILD_DATE)


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(REPO, DAY)


# --- the example bureau -----------------------------------------------------------------------


def test_example_decision_has_every_stage_but_the_evaluation(cat):
    d = cat.decisions.get("2026-kjetbz")
    assert d is not None and d.year == 2026 and d.status == "已完成" and d.hearing is False
    stages = {s.key: [doc.id for doc in d.stage_documents(s.key)] for s in STAGES}
    assert stages == {
        "draft": ["szmz-2026-4-qcsm"], "consultation": ["szmz-2026-yjzj-1"], "feedback": ["szmz-2026-yjfk-1"],
        "attendance": ["szmz-2026-lx-1"], "decision": ["szmz-2026-4"],
        "interpretation": ["szmz-2026-4-jd", "szmz-2026-4-jd-sp"],  # no `stage:`: they interpret the 决策文件
        "evaluation": [],  # the 办法 takes effect on 2027-01-01: nothing to evaluate yet
    }
    assert d.consultation is not None
    assert (d.consultation.start, d.consultation.end) == (dt.date(2026, 8, 12), dt.date(2026, 9, 11))
    assert [k for k, _ in d.consultation.channels] == ["在线提交", "电子邮件", "信函"]


def test_a_document_knows_its_decision_and_stage(cat):
    found = cat.decisions.of_document(cat.document("szmz-2026-4-jd"))
    assert found is not None and (found[0].id, found[1].label) == ("2026-kjetbz", "政策解读")
    assert cat.decisions.of_document(cat.document("szmz-2024-3")) is None


def test_consultation_state_on_a_day():
    from gongkai.participation import Consultation

    c = Consultation(dt.date(2026, 11, 16), dt.date(2026, 12, 16), email="a@b.cn")
    assert [c.state(dt.date(2026, 11, d)) for d in (15, 16)] == ["未开始", "征集中"]
    assert [c.state(dt.date(2026, 12, d)) for d in (16, 17)] == ["征集中", "已截止"]  # the closing day is open


# --- mistakes ---------------------------------------------------------------------------------------

COLUMNS = """\
columns:
  - name: 意见征集
    id: yjzj
    kind: documents
  - name: 事项目录
    id: jcsxml
    kind: decisions
"""


def doc(extra: str) -> str:
    return f"---\ntitle: 公告\npublished: 2026-08-12\ncolumns: [yjzj]\n{extra}---\n正文\n"


def small_site(root: Path, decisions_yml: str | None, documents: dict[str, str] | None = None,
               columns: str = COLUMNS) -> Path:
    make_site(root, columns, documents or {})
    if decisions_yml is not None:
        (root / "catalog" / "decisions.yml").write_text(textwrap.dedent(decisions_yml), encoding="utf-8")
    return root


GOOD = """\
years:
  - year: 2026
    published: 2026-03-20
    decisions:
      - id: jia
        name: 甲决策
        office: 甲处
        basis: 某条例
        planned: 2026年12月
        consultation: {start: 2026-08-12, end: 2026-09-11, email: yj@example.gov.cn}
"""


def test_a_good_small_file_loads(tmp_path):
    cat = load_catalogue(small_site(tmp_path, GOOD, {"a.md": doc("decision: jia\nstage: 征求意见\n")}), DAY)
    (d,) = cat.decisions.all
    assert (d.id, d.status, d.planned, [x.id for x in d.stage_documents("consultation")]) == ("jia", "推进中", "2026年12月", ["a"])
    assert cat.decisions.rules.feedback_workdays == 20 and cat.decisions.rules.catalogue_deadline == (3, 31)
    assert [w for w in cat.warnings if w.file == "catalog/decisions.yml"] == []


def problems_of(root: Path) -> list[tuple[str, int | None, str | None, str]]:
    return load_errors(root, DAY)


def test_every_mistake_is_reported_at_once_with_file_line_and_field(tmp_path):
    found = problems_of(small_site(tmp_path, """\
        rules:
          feedback_workdays: 0
          catalogue_deadline: 02-30
        years:
          - year: 2026
            published: 2025-12-30
            decisions:
              - id: Bad_ID
                name: 甲
                office: 处
                basis: 依据
                planned: 2026年
              - id: yi
                name: 乙
                basis: 依据
                planned: 2026年
                status: 进行中
                hearing: 也许
                consultation:
                  start: 2026-09-11
                  end: 2026-08-12
              - id: yi
                name: 乙二
                office: 处
                basis: 依据
                planned: 2026年
              - id: bing
                name: 丙
                office: 处
                basis: 依据
                planned: 2026年
                consultaton: {}
          - year: 2026
        """, {
        "a.md": doc("decision: nosuch\nstage: 征求意见\n"),
        "b.md": doc("decision: yi\nstage: 征集\n"),
        "c.md": doc("stage: 决策文件\n"),
        "d.md": doc("decision: yi\n"),
        "e.md": doc("decision: bing\nstage: 征求意见\n"),
    }))

    def has(file, line, field, *words):
        return any(f == file and ln == line and fl == field and all(w in msg for w in words) for f, ln, fl, msg in found)

    y = "catalog/decisions.yml"
    assert has(y, 2, "feedback_workdays", "不小于 1")
    assert has(y, 3, "catalogue_deadline", "02-30", "MM-DD")
    assert has(y, 6, "published", "不在 2026 年")
    assert has(y, 8, "id", "Bad_ID", "小写字母")
    assert has(y, 13, "office", "缺少必填字段「office」")
    assert has(y, 17, "status", "进行中", "推进中")
    assert has(y, 18, "hearing", "也许")
    assert has(y, 21, "end", "早于开始日期")
    assert has(y, 20, None, "渠道")  # where the consultation mapping starts
    assert has(y, 22, "id", "「yi」重复", "第 13 行")
    assert has(y, 32, "consultaton", "未知字段", "consultation")
    assert has(y, 33, "year", "2026 年度的事项目录重复")
    assert has("content/documents/a.md", 5, "decision", "「nosuch」不存在", "yi")
    assert has("content/documents/b.md", 6, "stage", "「征集」无效", "征求意见")
    assert has("content/documents/c.md", 5, "stage", "没有写所属的重大行政决策")
    assert has("content/documents/d.md", 5, "stage", "没有写决策阶段")
    assert has(y, 27, "consultation", "丙", "e.md", "start")


def test_an_item_that_is_not_a_mapping_is_reported_at_its_own_line(tmp_path):
    found = problems_of(small_site(tmp_path, """\
        years:
          - year: 2026
            decisions:
              - 甲决策
              - id: yi
                name: 乙
                office: 处
                basis: 依据
                planned: 2026年
          - year: 2025
            decisions: 丙决策
        """))
    y = "catalog/decisions.yml"
    assert (y, 4, "decisions", "第 1 项决策事项应为键值对象，每项包含 id、name（事项名称）、office、basis、planned、status 等，"
            "实际是文本") in found
    assert (y, 11, "decisions", "应为列表，每项包含 id、name（事项名称）、office、basis、planned、status 等，实际是文本") in found
    assert len(found) == 2  # 乙 loads


def test_no_file_means_no_decisions_and_no_warning(tmp_path):
    cat = load_catalogue(small_site(tmp_path, None), DAY)
    assert cat.decisions.all == [] and not [w for w in cat.warnings if w.file == "catalog/decisions.yml"]


def test_decisions_without_a_decisions_column_warn(tmp_path):
    root = small_site(tmp_path, GOOD, columns="columns:\n  - name: 意见征集\n    id: yjzj\n    kind: documents\n")
    cat = load_catalogue(root, DAY)
    assert any(w.file == "catalog/decisions.yml" and "kind: decisions" in w.message for w in cat.warnings)


def test_a_withheld_document_is_no_stage_of_a_decision(tmp_path):
    cat = load_catalogue(small_site(tmp_path, GOOD, {"a.md": doc("decision: jia\nstage: 征求意见\ndisclosure: 不予公开\n")}), DAY)
    assert cat.decisions.all[0].stage_documents("consultation") == []
