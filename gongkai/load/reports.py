"""content/reports/*.yml -> annual reports (政府信息公开工作年度报告), their shape checked here, their arithmetic in
checks/reports.py.

Why YAML and not Markdown with front matter: a report is mostly numbers (26 rows of 7 in part 三 alone) that the
checks must point at by line; YAML gives every number a line and keeps the narrative parts as `|` blocks of
Markdown in the same file. One file per year, named after it (2025.yml).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gongkai.annual_report import (
    ACTIVE_ITEMS,
    APPLICANTS,
    CARRIED,
    FORWARD,
    ISSUE_COLUMNS,
    NARRATIVE_KEYS,
    NEW,
    OUTCOMES,
    RESULT_GROUPS,
    REVIEW_ROWS,
    ROW_LABELS,
    TOTAL,
    Report,
)
from gongkai.errors import Problems
from gongkai.fsutil import rel_posix
from gongkai.load.fields import type_name
from gongkai.load.sources import read_yaml_file


def is_report_source(src_uri: str) -> bool:
    """content/reports/*.yml (path relative to content/): source data, never copied into the site as it is — the
    report is published on its document's page and its numbers in data/reports.json."""
    return src_uri.startswith("reports/") and src_uri.count("/") == 1 and src_uri.endswith(".yml")


TOP_FIELDS = {"year": "报告年度", "overview": "一、总体情况", "active": "二、主动公开政府信息情况",
              "applications": "三、收到和处理政府信息公开申请情况", "review": "四、政府信息公开行政复议、行政诉讼情况",
              "problems": "五、存在的主要问题及改进情况", "other_matters": "六、其他需要报告的事项"}


class _Reader:
    """Reads one report file, recording the line of every value and a problem for every mistake."""

    def __init__(self, file: str, problems: Problems):
        self.file = file
        self.problems = problems
        self.lines: dict[tuple[str, ...], int] = {}

    def err(self, path: tuple[str, ...], line: int | None, message: str) -> None:
        self.problems.error(self.file, line, ".".join(path) or None, message)

    def mapping(self, node: Any, path: tuple[str, ...], allowed: dict[str, str], what: str, line: int) -> dict[str, Any]:
        """A mapping with exactly the keys of the format: unknown ones and missing ones are errors."""
        if not isinstance(node, dict):
            self.err(path, line, f"「{what}」应为键值对象，实际是{type_name(node)}")
            return {}
        for key in node:
            k_line = node.line_of(key) if hasattr(node, "line_of") else line
            if key not in allowed:
                self.err(path, k_line, f"「{what}」下没有「{key}」这一项，可写：" + "、".join(f"{k}（{v}）" for k, v in allowed.items()))
            else:
                self.lines[(*path, str(key))] = k_line
        missing = [k for k in allowed if k not in node]
        if missing:
            self.err(path, line, f"「{what}」缺少：" + "、".join(f"{k}（{allowed[k]}）" for k in missing))
        return node

    def count(self, value: Any, path: tuple[str, ...], line: int, what: str) -> int:
        """A number of cases: an integer not below 0."""
        if isinstance(value, bool) or not isinstance(value, int):
            self.err(path, line, f"{what}应为整数，实际是{type_name(value)}「{value}」")
            return 0
        if value < 0:
            self.err(path, line, f"{what}是 {value}：件数不能为负数")
            return 0
        return int(value)

    def numbers(self, node: Any, path: tuple[str, ...], line: int, what: str, names: tuple[str, ...]) -> list[int]:
        """One table row: exactly len(names) counts, in the order of the format's columns."""
        if not isinstance(node, list) or len(node) != len(names):
            got = f"写了 {len(node)} 个" if isinstance(node, list) else f"实际是{type_name(node)}"
            self.err(path, line, f"「{what}」应为 {len(names)} 个数的列表 [{', '.join(names)}]，{got}")
            return [0] * len(names)
        return [self.count(v, path, node.line_of(i) if hasattr(node, "line_of") else line, f"「{what}」的「{names[i]}」列")
                for i, v in enumerate(node)]


def load_report(root: Path, path: Path, problems: Problems) -> Report | None:
    file = rel_posix(root, path)
    data = read_yaml_file(root, path, problems)
    if data is None:
        return None
    r = _Reader(file, problems)
    top = r.mapping(data, (), TOP_FIELDS, "年度报告", 1)
    if not top:
        return None
    year_raw = top.get("year")
    if isinstance(year_raw, bool) or not isinstance(year_raw, int) or not 2000 <= year_raw <= 2999:
        r.err(("year",), r.lines.get(("year",), 1), f"报告年度应为四位年份，实际是「{year_raw}」")
        return None
    report = Report(year=int(year_raw), file=file, line=r.lines[("year",)])
    for key, title in NARRATIVE_KEYS:
        text = top.get(key)
        if text is not None and not isinstance(text, str):
            r.err((key,), r.lines.get((key,)), f"「{title}」应为文字（Markdown，建议用 | 换行书写），实际是{type_name(text)}")
        elif text is not None:
            setattr(report, key, str(text).strip())
            line = r.lines.get((key,), 1)
            # a block scalar (overview: |) keeps its final newline and starts on the line below its key
            report.texts.append((key, line + 1 if str(text).endswith("\n") else line, str(text)))
    _read_active(r, top.get("active"), report)
    _read_applications(r, top.get("applications"), report)
    _read_review(r, top.get("review"), report)
    report.lines = r.lines
    return report


def _read_active(r: _Reader, node: Any, report: Report) -> None:
    if node is None:
        return
    rows = {key: label for _item, pairs, _col in ACTIVE_ITEMS for key, label in pairs}
    active = r.mapping(node, ("active",), rows, TOP_FIELDS["active"], r.lines.get(("active",), 1))
    for key, label in rows.items():
        if key not in active:
            continue
        path = ("active", key)
        line = r.lines.get(path, 1)
        value = active[key]
        if key in ("rules", "normative"):
            cols = dict(ISSUE_COLUMNS)
            sub = r.mapping(value, path, cols, label, line)
            report.active[key] = {c: r.count(sub[c], (*path, c), r.lines.get((*path, c), line), f"「{label}」{cols[c]}")
                                  for c in cols if c in sub}
        elif key == "fees":  # 万元, may have decimals
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                r.err(path, line, f"「{label}」本年收费金额（万元）应为不小于 0 的数，实际是「{value}」")
            else:
                report.active[key] = float(value) if not isinstance(value, int) else int(value)
        else:
            report.active[key] = r.count(value, path, line, f"「{label}」本年处理决定数量")


def _read_applications(r: _Reader, node: Any, report: Report) -> None:
    if node is None:
        return
    base = ("applications",)
    top_keys = {"new": ROW_LABELS[NEW], "carried_over": ROW_LABELS[CARRIED], "results": "三、本年度办理结果",
                "carry_forward": ROW_LABELS[FORWARD]}
    apps = r.mapping(node, base, top_keys, TOP_FIELDS["applications"], r.lines.get(base, 1))
    for path in (NEW, CARRIED, FORWARD):
        if path[0] in apps:
            report.applications[path] = r.numbers(apps[path[0]], (*base, *path), r.lines[(*base, *path)],
                                                  ROW_LABELS[path], APPLICANTS)
    if "results" not in apps:
        return
    groups = {key: label for key, label, _subs in RESULT_GROUPS} | {"total": ROW_LABELS[TOTAL]}
    res = r.mapping(apps["results"], (*base, "results"), groups, "三、本年度办理结果", r.lines[(*base, "results")])
    for key, label, subs in RESULT_GROUPS:
        if key not in res:
            continue
        gpath = (*base, "results", key)
        if not subs:
            report.applications[("results", key)] = r.numbers(res[key], gpath, r.lines[gpath], label, APPLICANTS)
            continue
        items = r.mapping(res[key], gpath, dict(subs), label, r.lines[gpath])
        for sub, sub_label in subs:
            if sub in items:
                spath = (*gpath, sub)
                report.applications[("results", key, sub)] = r.numbers(items[sub], spath, r.lines[spath],
                                                                       label + sub_label, APPLICANTS)
    if "total" in res:
        tpath = (*base, *TOTAL)
        report.applications[TOTAL] = r.numbers(res["total"], tpath, r.lines[tpath], ROW_LABELS[TOTAL], APPLICANTS)


def _read_review(r: _Reader, node: Any, report: Report) -> None:
    if node is None:
        return
    base = ("review",)
    rows = dict(REVIEW_ROWS)
    rev = r.mapping(node, base, rows, TOP_FIELDS["review"], r.lines.get(base, 1))
    for key, label in REVIEW_ROWS:
        if key in rev:
            report.review[key] = r.numbers(rev[key], (*base, key), r.lines[(*base, key)], label, OUTCOMES)


def load_reports(root: Path, problems: Problems) -> list[Report]:
    """Every report under content/reports/, oldest year first."""
    folder = root / "content" / "reports"
    if not folder.is_dir():
        return []
    reports = [rep for path in sorted(folder.glob("*.yml")) if (rep := load_report(root, path, problems)) is not None]
    return sorted(reports, key=lambda rep: (rep.year, rep.file))

