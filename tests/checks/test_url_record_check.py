"""gongkai.checks.urlrecord: the URL record against the current catalogue, warnings only (in process)."""

from __future__ import annotations

import datetime as dt

from conftest import columns_of, make_site
from gongkai.checks.urlrecord import check_url_record
from gongkai.errors import Problems
from gongkai.load.loader import load_catalogue
from gongkai.load.urlrecord import LOCK_REL
from gongkai.model import RecordedUrl

COLUMNS = """\
columns:
  - name: 法定主动公开内容
    children:
      - name: 部门文件
      - name: 规划计划
  - name: 监督保障
    children:
      - name: 工作推进
      - name: 部门文件
"""


def test_no_record_no_warning(tmp_path):
    problems = Problems()
    check_url_record(None, columns_of(tmp_path, COLUMNS), problems)
    assert problems.items == []


def test_unrecorded_and_ambiguous_urls_are_warnings(tmp_path):
    roots = columns_of(tmp_path, COLUMNS)
    entries = [RecordedUrl("fdzdgknr/index.html", "fdzdgknr", "法定主动公开内容", 3),
               RecordedUrl("old/index.html", "bmwj", "部门文件", 4)]
    problems = Problems()
    check_url_record(entries, roots, problems)
    assert problems.errors == []
    missing, ambiguous = sorted(problems.warnings, key=lambda p: p.line or 0)
    assert (missing.file, missing.line, missing.field) == (LOCK_REL, None, "urls")
    assert "地址记录缺少 5 个当前栏目地址" in missing.message and "gongkai lock" in missing.message
    assert "部门文件（fdzdgknr/bmwj/index.html）" in missing.message and " 等" not in missing.message
    assert (ambiguous.line, ambiguous.field) == (4, "column") and "「bmwj」对应多个栏目" in ambiguous.message


def test_a_complete_record_is_quiet(tmp_path):
    roots = columns_of(tmp_path, COLUMNS)
    entries = [RecordedUrl(c.href, c.path, c.name) for r in roots for c in r.walk()]
    problems = Problems()
    check_url_record(entries, roots, problems)
    assert problems.items == []


def test_the_loader_runs_the_check(tmp_path):
    """load_catalogue reads the record and warns, whatever was imported before (a fresh site, the real loader)."""
    root = make_site(tmp_path, COLUMNS)
    (root / LOCK_REL).write_text('urls:\n  "old/index.html": {column: "bmwj", name: "部门文件"}\n', encoding="utf-8")
    cat = load_catalogue(root, dt.date(2026, 11, 24))
    warnings = [w for w in cat.warnings if w.file == LOCK_REL]
    assert [(w.line, w.field) for w in warnings] == [(None, "urls"), (2, "column")]
