"""The three statutory tables of an annual report as rows of cells, laid out as 国办公开办函〔2021〕30号 prints them
(merged header cells, row labels), with every data cell tied to its headers by id (WCAG 1.3.1: complex tables need
`headers`, scope alone cannot express two levels of column headers and two of row headers).

Pure data: the template (_report.html) only prints cells, so a test can compare the layout cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gongkai.annual_report import (
    ACTIVE_ITEMS,
    APPLICANTS,
    CARRIED,
    FORWARD,
    ISSUE_COLUMNS,
    JOIN_NOTE,
    LEGAL_PERSONS,
    NEW,
    OUTCOMES,
    PART_TITLES,
    RESULT_GROUPS,
    RESULTS_LABEL,
    REVIEW_ROWS,
    ROW_LABELS,
    TOTAL,
    Report,
    result_rows,
)


@dataclass
class Cell:
    text: str
    header: bool = False
    colspan: int = 1
    rowspan: int = 1
    id: str = ""
    headers: list[str] = field(default_factory=list)  # ids of the header cells that describe this one
    scope: str = ""  # for header cells: row, col, rowgroup, colgroup
    numeric: bool = False


@dataclass
class Table:
    id: str
    caption: str
    head: list[list[Cell]]
    body: list[list[Cell]]
    wide: bool = False  # more columns than a phone shows: scrolls in its own region


def _num(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def active_table(rep: Report) -> Table:
    """Part 二: four small tables (第二十条第（一）（五）（六）（八）项) stacked in one, four columns wide."""
    body: list[list[Cell]] = []
    for n, (item, rows, col_label) in enumerate(ACTIVE_ITEMS, 1):
        item_id = f"gk-nb2-{n}"
        body.append([Cell(item, True, colspan=4, id=item_id, scope="colgroup")])
        head_ids = [f"{item_id}-h{i}" for i in range(4)]
        if not col_label:
            body.append([Cell("信息内容", True, id=head_ids[0], scope="col")]
                        + [Cell(label, True, id=head_ids[i], scope="col") for i, (_k, label) in enumerate(ISSUE_COLUMNS, 1)])
        else:
            body.append([Cell("信息内容", True, id=head_ids[0], scope="col"),
                         Cell(col_label, True, colspan=3, id=head_ids[1], scope="col")])
        for key, label in rows:
            row_id = f"{item_id}-{key}"
            cells = [Cell(label, True, id=row_id, headers=[item_id, head_ids[0]], scope="row")]
            value = rep.active.get(key)
            if not col_label:
                value = value if isinstance(value, dict) else {}
                cells += [Cell(_num(value.get(k, 0)), numeric=True, headers=[item_id, head_ids[i], row_id])
                          for i, (k, _l) in enumerate(ISSUE_COLUMNS, 1)]
            else:
                cells.append(Cell(_num(value if value is not None else 0), colspan=3, numeric=True,
                                  headers=[item_id, head_ids[1], row_id]))
            body.append(cells)
    return Table("gk-nb2", PART_TITLES[1], [], body)


def applications_table(rep: Report) -> Table:
    """Part 三: 3 label columns (part, group, item) and the 7 applicant columns."""
    p = "gk-nb3"
    col_ids = [f"{p}-c{i}" for i in range(len(APPLICANTS))]
    head = [
        [Cell(JOIN_NOTE, False, colspan=3, rowspan=3),  # the corner: a note, not a header of any cell
         Cell("申请人情况", True, colspan=7, id=f"{p}-app", scope="colgroup")],
        [Cell(APPLICANTS[0], True, rowspan=2, id=col_ids[0], headers=[f"{p}-app"], scope="col"),
         Cell("法人或其他组织", True, colspan=5, id=f"{p}-lp", headers=[f"{p}-app"], scope="colgroup"),
         Cell(APPLICANTS[6], True, rowspan=2, id=col_ids[6], headers=[f"{p}-app"], scope="col")],
        [Cell(name, True, id=col_ids[i], headers=[f"{p}-app", f"{p}-lp"], scope="col")
         for i, name in enumerate(LEGAL_PERSONS, 1)],
    ]

    def col_headers(c: int) -> list[str]:
        return [f"{p}-app", f"{p}-lp", col_ids[c]] if 1 <= c <= 5 else [f"{p}-app", col_ids[c]]

    def values(path: tuple[str, ...], row_headers: list[str]) -> list[Cell]:
        return [Cell(str(v), numeric=True, headers=col_headers(c) + row_headers) for c, v in enumerate(rep.row(path))]

    body: list[list[Cell]] = []
    for path, rid in ((NEW, "new"), (CARRIED, "carried")):
        body.append([Cell(ROW_LABELS[path], True, colspan=3, id=f"{p}-{rid}", scope="row"),
                     *values(path, [f"{p}-{rid}"])])
    results_id = f"{p}-results"
    n_rows = len(result_rows()) + 1  # and （七）总计
    first: list[Cell] = [Cell(RESULTS_LABEL, True, rowspan=n_rows, id=results_id, scope="rowgroup")]
    for key, label, subs in RESULT_GROUPS:
        gid = f"{p}-{key}"
        if not subs:
            body.append([*first, Cell(label, True, colspan=2, id=gid, headers=[results_id], scope="row"),
                         *values(("results", key), [results_id, gid])])
            first = []
            continue
        for i, (sub, sub_label) in enumerate(subs):
            sid = f"{gid}-{sub}"
            group = [Cell(label, True, rowspan=len(subs), id=gid, headers=[results_id], scope="rowgroup")] if i == 0 else []
            body.append([*first, *group, Cell(sub_label, True, id=sid, headers=[results_id, gid], scope="row"),
                         *values(("results", key, sub), [results_id, gid, sid])])
            first = []
    body.append([Cell(ROW_LABELS[TOTAL], True, colspan=2, id=f"{p}-total", headers=[results_id], scope="row"),
                 *values(TOTAL, [results_id, f"{p}-total"])])
    body.append([Cell(ROW_LABELS[FORWARD], True, colspan=3, id=f"{p}-forward", scope="row"),
                 *values(FORWARD, [f"{p}-forward"])])
    return Table(p, PART_TITLES[2], head, body, wide=True)


def review_table(rep: Report) -> Table:
    """Part 四: 行政复议 (5 columns) and 行政诉讼 in two groups of 5, one row of 15 numbers."""
    p = "gk-nb4"
    rc, lit = f"{p}-rc", f"{p}-lit"
    head = [
        [Cell("行政复议", True, colspan=5, id=rc, scope="colgroup"),
         Cell("行政诉讼", True, colspan=10, id=lit, scope="colgroup")],
        [*(Cell(o, True, rowspan=2, id=f"{rc}-{i}", headers=[rc], scope="col") for i, o in enumerate(OUTCOMES)),
         *(Cell(label, True, colspan=5, id=f"{p}-{key}", headers=[lit], scope="colgroup") for key, label in REVIEW_ROWS[1:])],
        [Cell(o, True, id=f"{p}-{key}-{i}", headers=[lit, f"{p}-{key}"], scope="col")
         for key, _label in REVIEW_ROWS[1:] for i, o in enumerate(OUTCOMES)],
    ]
    row: list[Cell] = []
    for key, _label in REVIEW_ROWS:
        values = rep.review.get(key, [0] * len(OUTCOMES))
        for i, v in enumerate(values):
            hdr = [rc, f"{rc}-{i}"] if key == "reconsideration" else [lit, f"{p}-{key}", f"{p}-{key}-{i}"]
            row.append(Cell(str(v), numeric=True, headers=hdr))
    return Table(p, PART_TITLES[3], head, [row], wide=True)


def report_tables(rep: Report) -> dict[str, Table]:
    return {"active": active_table(rep), "applications": applications_table(rep), "review": review_table(rep)}
