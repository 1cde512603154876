"""Annual report numbers out of gongkai: JSON and CSV exports, the YAML of a report, and the region-wide roll-up
(`gongkai report merge`: a 区/市 政务公开办 summing its departments' reports of one year).

The sum of reports that pass their own checks passes them too: every identity of the format is linear.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from gongkai.annual_report import (
    ACTIVE_ITEMS,
    APPLICANTS,
    ISSUE_COLUMNS,
    OUTCOMES,
    REVIEW_ROWS,
    ROW_LABELS,
    Report,
    application_rows,
)


def _fees(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def report_dict(rep: Report) -> dict[str, Any]:
    """The numbers under the format's own labels (for JSON: readable without gongkai's keys)."""
    active: dict[str, Any] = {}
    for item, rows, col_label in ACTIVE_ITEMS:
        for key, label in rows:
            value = rep.active.get(key, {} if not col_label else 0)
            if not col_label:
                active[f"{item} {label}"] = {cl: value.get(k, 0) for k, cl in ISSUE_COLUMNS}
            else:
                active[f"{item} {label}"] = {col_label: _fees(value)}
    return {
        "年度": rep.year,
        "二、主动公开政府信息情况": active,
        "三、收到和处理政府信息公开申请情况": {
            ROW_LABELS[p]: dict(zip(APPLICANTS, rep.row(p), strict=True)) for p in application_rows()},
        "四、政府信息公开行政复议、行政诉讼情况": {
            label: dict(zip(OUTCOMES, rep.review.get(key, [0] * 5), strict=True)) for key, label in REVIEW_ROWS},
    }


CSV_HEADER = ["年度", "部分", "行", "列", "数值"]


def report_csv(reports: list[Report]) -> str:
    """One line per cell (long format): opens in a spreadsheet, and sums and filters there without reshaping."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for rep in reports:
        for part, rows in list(report_dict(rep).items())[1:]:
            for row, cols in rows.items():
                for col, value in cols.items():
                    w.writerow([rep.year, part, row, col, value])
    return out.getvalue()


def merge_reports(reports: list[Report], file: str = "") -> Report:
    """The cell-by-cell sum of reports of one year (narrative left empty: the compiler writes it)."""
    years = {r.year for r in reports}
    assert len(years) == 1, years
    total = Report(year=reports[0].year, file=file)
    for rep in reports:
        for key, value in rep.active.items():
            if isinstance(value, dict):
                acc = total.active.setdefault(key, {})
                for k, v in value.items():
                    acc[k] = acc.get(k, 0) + v
            else:
                total.active[key] = total.active.get(key, 0) + value
        for path in application_rows():
            if path in rep.applications:
                total.applications[path] = [a + b for a, b in zip(total.row(path), rep.row(path), strict=True)]
        for key, _label in REVIEW_ROWS:
            if key in rep.review:
                before = total.review.get(key, [0] * len(OUTCOMES))
                total.review[key] = [a + b for a, b in zip(before, rep.review[key], strict=True)]
    if "fees" in total.active:
        total.active["fees"] = _fees(total.active["fees"])
    return total


def report_yaml(rep: Report, comment: str = "") -> str:
    """A report as content/reports/YEAR.yml text (the loader reads it back)."""
    def row(values: list[int]) -> str:
        return "[" + ", ".join(str(v) for v in values) + "]"

    lines = [f"# {line}" for line in comment.splitlines()] + [f"year: {rep.year}", ""]
    for key in ("overview",):
        lines += [f"{key}: |", *("  " + t for t in (getattr(rep, key) or "").splitlines() or [""]), ""]
    lines.append("active:")
    for key in ("rules", "normative"):
        v = rep.active.get(key, {})
        lines.append(f"  {key}: {{" + ", ".join(f"{k}: {v.get(k, 0)}" for k, _ in ISSUE_COLUMNS) + "}")
    for key in ("licensing", "penalty", "coercion", "fees"):
        lines.append(f"  {key}: {rep.active.get(key, 0)}")
    lines += ["", "applications:"]
    current: tuple[str, ...] = ()
    for path in application_rows():
        if path[0] == "results":
            if current[:1] != ("results",):
                lines.append("  results:")
            if len(path) == 3 and current[:2] != path[:2]:
                lines.append(f"    {path[1]}:")
            indent = "      " if len(path) == 3 else "    "
            lines.append(f"{indent}{path[-1]}: {row(rep.row(path))}")
        else:
            lines.append(f"  {path[0]}: {row(rep.row(path))}")
        current = path
    lines += ["", "review:"] + [f"  {key}: {row(rep.review.get(key, [0] * 5))}" for key, _ in REVIEW_ROWS]
    for key in ("problems", "other_matters"):
        lines += ["", f"{key}: |", *("  " + t for t in (getattr(rep, key) or "").splitlines() or [""])]
    return "\n".join(lines) + "\n"
