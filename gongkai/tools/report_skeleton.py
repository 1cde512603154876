"""`gongkai report new YEAR`: the YAML skeleton of a year's annual report, filled in where the site knows the answer.

- part 二 第（一）项 行政规范性文件: counted from the documents (checks/reports.normative_counts), with the documents
  counted written beside each number, so the clerk can see how it was computed;
- part 三 二、上年结转: last year's 四、结转下年度继续办理.
Everything else starts at 0 and the narrative parts empty. Written as text (not dumped YAML) to keep the comments.
"""

from __future__ import annotations

from gongkai.annual_report import APPLICANTS, OUTCOMES, RESULT_GROUPS, REVIEW_ROWS, Report
from gongkai.checks.reports import normative_counts
from gongkai.model import Catalogue

ZERO7 = [0] * len(APPLICANTS)


def _row(values: list[int]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


def _docs(docs) -> str:
    return "、".join(d.doc_number or d.title for d in docs) or "无"


def skeleton(cat: Catalogue, year: int) -> str:
    last: Report | None = next((r for r in cat.reports if r.year == year - 1), None)
    counts = normative_counts(cat.documents, year)
    carried = last.row(("carry_forward",)) if last else ZERO7
    carried_note = (f"# 自动填入：{year - 1} 年报告（{last.file}）的“结转下年度继续办理”" if last
                    else f"# 没有 {year - 1} 年的报告：请按上年实际结转的申请填写")
    out = [
        f"# {cat.site.name} {year} 年政府信息公开工作年度报告（国办公开办函〔2021〕30号格式），由 gongkai report new 生成。",
        f"# 发布：在 content/documents/ 建一份文件，columns 写年报栏目，year: {year}（索引号、发布日期在那里）。",
        "# 数字由 gongkai check 核对：各行总计、（七）总计、勾稽关系、与上年报告的结转、与本站规范性文件的对比。",
        f"year: {year}",
        "",
        "# 一、总体情况（Markdown）：主动公开、依申请公开、政府信息管理、平台建设、监督保障等",
        "overview: |",
        "  ",
        "",
        "active:",
        "  rules: {issued: 0, repealed: 0, in_force: 0}   # 规章",
        f"  # 行政规范性文件，按本站文件自动计算：本年制发 = {year} 年发布的（{_docs(counts.issued)}）；",
        f"  # 本年废止 = {year} 年废止的（{_docs(counts.repealed)}）；",
        f"  # 现行有效 = {year} 年 12 月 31 日现行有效的（{_docs(counts.in_force)}）",
        f"  normative: {{issued: {len(counts.issued)}, repealed: {len(counts.repealed)}, in_force: {len(counts.in_force)}}}",
        "  licensing: 0   # 第（五）项 行政许可 本年处理决定数量",
        "  penalty: 0     # 第（六）项 行政处罚",
        "  coercion: 0    # 第（六）项 行政强制",
        "  fees: 0        # 第（八）项 行政事业性收费 本年收费金额（万元）",
        "",
        "# 三：每行 7 个数 [" + ", ".join(APPLICANTS) + "]",
        "applications:",
        f"  new:          {_row(ZERO7)}   # 一、本年新收",
        f"  carried_over: {_row(carried)}   {carried_note}",
        "  results:",
    ]
    for key, label, subs in RESULT_GROUPS:
        if not subs:
            out.append(f"    {key}: {_row(ZERO7)}   # {label}")
            continue
        out.append(f"    {key}:   # {label}")
        out += [f"      {sub}: {_row(ZERO7)}   # {sub_label}" for sub, sub_label in subs]
    out += [
        f"    total: {_row(ZERO7)}   # （七）总计 = （一）至（六）之和",
        f"  carry_forward: {_row(ZERO7)}   # 四、结转下年度继续办理",
        "",
        "# 四：每行 5 个数 [" + ", ".join(OUTCOMES) + "]",
        "review:",
        *(f"  {key}: [0, 0, 0, 0, 0]   # {label}" for key, label in REVIEW_ROWS),
        "",
        "# 五、存在的主要问题及改进情况（Markdown）：上年问题的改进情况、本年存在的问题和改进措施",
        "problems: |",
        "  ",
        "",
        "# 六、其他需要报告的事项：信息处理费（发出收费通知的件数、金额、实际收取的金额）、人大建议政协提案等",
        "other_matters: |",
        "  ",
        "",
    ]
    return "\n".join(out)
