"""Rules over the annual reports: the format's arithmetic, the carry-over from last year, one report a year,
part 二 against the site's own documents, and text copied from last year (30号 names 内容雷同).

Arithmetic and carry-over are errors (an inspector fails a report on them); part 二 and similarity are warnings:
the site's documents may be incomplete (a 规范性文件 published elsewhere), and similarity is a measure, not proof.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass

from gongkai.annual_report import (
    APPLICANTS,
    CARRIED,
    FORWARD,
    NEW,
    OUTCOMES,
    REVIEW_ROWS,
    ROW_LABELS,
    TOTAL,
    Report,
    application_rows,
    result_rows,
)
from gongkai.checks.validity import Validity, validity
from gongkai.errors import Problems
from gongkai.model import Document

# Character-bigram Jaccard similarity of parts 一, 五 and 六 with last year's, at or above which the text counts as
# copied. Measured on the example's reports (content/reports/): years written afresh on the same subjects score
# 0.15-0.17 with each other; last year's text with only the year and figures changed scores 0.96; with the first of
# its four paragraphs rewritten, 0.85. 0.8 flags a report carried over with light edits and leaves a wide margin
# above honest reports, whose shared boilerplate (条例, 信息处理费 …) keeps them far below. Bigrams rather than
# difflib's ratio: they ignore the order of paragraphs and run in linear time.
SIMILARITY_THRESHOLD = 0.8


def bigrams(text: str) -> set[str]:
    chars = "".join(ch for ch in text if not ch.isspace())
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


def similarity(a: str, b: str) -> float:
    """Jaccard index of the character bigrams of two texts (0: nothing shared, 1: the same bigrams)."""
    x, y = bigrams(a), bigrams(b)
    if not x and not y:
        return 0.0
    return len(x & y) / len(x | y)


def _cols(values: list[int]) -> str:
    return "+".join(str(v) for v in values)


def check_arithmetic(rep: Report, problems: Problems) -> None:
    """Row totals, 三（七）, the 勾稽关系 per column, and part 四's totals."""
    f = rep.file
    for path in application_rows():
        if path not in rep.applications:
            continue
        row = rep.applications[path]
        if row[6] != sum(row[:6]):
            problems.error(f, rep.line_of("applications", *path), "applications." + ".".join(path),
                           f"「{ROW_LABELS[path]}」的总计是 {row[6]}，但自然人至其他六列之和是 "
                           f"{_cols(row[:6])} = {sum(row[:6])}")
    if TOTAL in rep.applications:
        total = rep.applications[TOTAL]
        parts = [rep.row(p) for p in result_rows()]
        for c, name in enumerate(APPLICANTS):
            s = sum(p[c] for p in parts)
            if total[c] != s:
                problems.error(f, rep.line_of("applications", *TOTAL), "applications.results.total",
                               f"「（七）总计」的「{name}」列是 {total[c]}，但（一）至（六）各项之和是 {s}")
    if all(p in rep.applications for p in (NEW, CARRIED, TOTAL, FORWARD)):
        new, carried, total, forward = (rep.row(p) for p in (NEW, CARRIED, TOTAL, FORWARD))
        for c, name in enumerate(APPLICANTS):
            if new[c] + carried[c] != total[c] + forward[c]:
                problems.error(f, rep.line_of("applications", *FORWARD), "applications",
                               f"「{name}」列不符合勾稽关系（第一项加第二项之和，等于第三项加第四项之和）："
                               f"本年新收 {new[c]} + 上年结转 {carried[c]} = {new[c] + carried[c]}，"
                               f"办理结果总计 {total[c]} + 结转下年度 {forward[c]} = {total[c] + forward[c]}")
    for key, label in REVIEW_ROWS:
        review = rep.review.get(key)
        if review is not None and review[4] != sum(review[:4]):
            problems.error(f, rep.line_of("review", key), f"review.{key}",
                           f"「{label}」的总计是 {review[4]}，但{'、'.join(OUTCOMES[:4])}之和是 {_cols(review[:4])} = {sum(review[:4])}")


def check_carry_over(rep: Report, last: Report, problems: Problems) -> None:
    """This year's 上年结转 is last year's 结转下年度继续办理, column by column."""
    if CARRIED not in rep.applications or FORWARD not in last.applications:
        return
    now, before = rep.row(CARRIED), last.row(FORWARD)
    diffs = [f"{name} 本年写 {a}、上年结转下年度 {b}" for name, a, b in zip(APPLICANTS, now, before, strict=True) if a != b]
    if diffs:
        problems.error(rep.file, rep.line_of("applications", *CARRIED), "applications.carried_over",
                       f"「{ROW_LABELS[CARRIED]}」与 {last.year} 年报告（{last.file}:{last.line_of('applications', *FORWARD)}）"
                       f"的「{ROW_LABELS[FORWARD]}」不一致：" + "；".join(diffs))


@dataclass(frozen=True)
class NormativeCounts:
    """Part 二 第（一）项 行政规范性文件 as the site's documents give it, with the documents counted."""

    issued: list[Document]
    repealed: list[Document]
    in_force: list[Document]

    def number(self, key: str) -> int:
        return len(getattr(self, key))


def validity_on(doc: Document, day: dt.date) -> Validity | None:
    """The validity a document had on `day`: a status (废止/修改/失效) changed after that day did not apply yet."""
    if doc.status and doc.status_date and doc.status_date > day:
        doc = copy.copy(doc)  # not dataclasses.replace: it would read a reused document's body (load/doccache.py)
        doc.status, doc.status_date = "", None
    return validity(doc, day)


def normative_counts(documents: list[Document], year: int) -> NormativeCounts:
    """本年制发: normative documents published in the year; 本年废止: status 废止 dated in the year; 现行有效:
    published by 31 December and 现行有效 on that day by the site's own validity rules (已修改 is not counted)."""
    end = dt.date(year, 12, 31)
    docs = sorted((d for d in documents if d.normative and d.disclosure == "主动公开"), key=lambda d: d.sort_key)
    return NormativeCounts(
        issued=[d for d in docs if d.published.year == year],
        repealed=[d for d in docs if d.status == "废止" and d.status_date and d.status_date.year == year],
        in_force=[d for d in docs if d.published <= end and (v := validity_on(d, end)) and v.label == "现行有效"],
    )


def _names(docs: list[Document]) -> str:
    return "、".join(d.doc_number or d.title for d in docs) or "无"


def check_active(rep: Report, documents: list[Document], problems: Problems) -> None:
    """Part 二 第（一）项 行政规范性文件 against the site's documents: a warning naming both numbers."""
    written = rep.active.get("normative")
    if not isinstance(written, dict):
        return
    site = normative_counts(documents, rep.year)
    how = {"issued": f"{rep.year} 年发布的", "repealed": f"{rep.year} 年废止的",
           "in_force": f"{rep.year} 年 12 月 31 日现行有效的"}
    labels = {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数"}
    for key, label in labels.items():
        if key in written and written[key] != site.number(key):
            docs = getattr(site, key)
            problems.warn(rep.file, rep.line_of("active", "normative", key), f"active.normative.{key}",
                          f"第二十条第（一）项「行政规范性文件」{label}写的是 {written[key]}，本站文件中是 "
                          f"{site.number(key)}（{how[key]}行政规范性文件：{_names(docs)}）")


def check_copied(rep: Report, last: Report, problems: Problems) -> None:
    if not rep.narrative or not last.narrative:
        return
    score = similarity(rep.narrative, last.narrative)
    if score >= SIMILARITY_THRESHOLD:
        problems.warn(rep.file, rep.line_of("overview"), "overview",
                      f"一、五、六部分的文字与 {last.year} 年报告（{last.file}）高度雷同：相似度 {score:.2f}"
                      f"（字符二元组 Jaccard，{SIMILARITY_THRESHOLD} 及以上视为雷同），请按本年情况重写")


def check_reports(reports: list[Report], documents: list[Document], problems: Problems) -> None:
    """Every rule over the reports, in the order of the years."""
    by_year: dict[int, Report] = {}
    for rep in reports:
        if rep.year in by_year:
            other = by_year[rep.year]
            problems.error(rep.file, rep.line, "year",
                           f"{rep.year} 年的年度报告已有一份：{other.file}，每年只能有一份")
            continue
        by_year[rep.year] = rep
        stem = rep.file.rsplit("/", 1)[-1].removesuffix(".yml")
        if stem != str(rep.year):
            problems.warn(rep.file, rep.line, "year", f"报告年度是 {rep.year}，文件名宜为 {rep.year}.yml")
    published = {d.year for d in documents if d.year and any(c.kind == "reports" for c in d.columns)}
    for year, rep in sorted(by_year.items()):
        if year not in published:
            problems.warn(rep.file, rep.line, "year",
                          f"{year} 年的报告还没有发布它的文件：请在 content/documents/ 中建一份文件，columns 写年报栏目"
                          f"（kind: reports），并写 year: {year}（索引号、发布日期写在那里）")
        check_arithmetic(rep, problems)
        check_active(rep, documents, problems)
        last = by_year.get(year - 1)
        if last is not None:
            check_carry_over(rep, last, problems)
            check_copied(rep, last, problems)
