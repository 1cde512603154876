"""The 政府信息公开工作年度报告 in the statutory format of 国办公开办函〔2021〕30号: its rows, columns and the model.

Row and column names were checked against published 2023/2024 reports in that format, e.g.
长春市 (js.changchun.gov.cn/zcbm/styjrswj/ndbg/202401/t20240115_3271106.html), 西安市雁塔区民政局
(www.yanta.gov.cn/xxgk/qzfxxgkml/zfxxgknb/bmxxgknb/1744536686408826882.html), 嘉兴市民政局 2024
(www.jiaxing.gov.cn/art/2025/1/13/art_1229849768_5443023.html) and 龙岗区 2024
(www.lg.gov.cn/xxgk/xxgknb/qzfgzbm/content/post_11956962.html): parts 二 and 三 as below, word for word.
Part 四's five result columns follow /work/shared/DESIGN.md §8 (the excerpts read did not reach that table).
Older reports (2019 format: 本年新制作数量/本年新公开数量/对外公开总数量) are a different format and not read.

Shared by the loader, the checks and the page: one place names every cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# --- part 三: the seven applicant columns ---------------------------------------------------------------

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
LEGAL_PERSONS = APPLICANTS[1:6]  # under 法人或其他组织
NCOLS = len(APPLICANTS)

# Part 三's rows: (key path, label). Key paths are the YAML keys under `applications`.
NEW = ("new",)
CARRIED = ("carried_over",)
TOTAL = ("results", "total")
FORWARD = ("carry_forward",)

RESULT_GROUPS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("granted", "（一）予以公开", ()),
    ("partly", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    ("refused", "（三）不予公开", (
        ("state_secret", "1.属于国家秘密"),
        ("prohibited", "2.其他法律行政法规禁止公开"),
        ("security", "3.危及“三安全一稳定”"),
        ("third_party", "4.保护第三方合法权益"),
        ("internal", "5.属于三类内部事务信息"),
        ("process", "6.属于四类过程性信息"),
        ("case_file", "7.属于行政执法案卷"),
        ("inquiry", "8.属于行政查询事项"),
    )),
    ("unavailable", "（四）无法提供", (
        ("not_held", "1.本机关不掌握相关政府信息"),
        ("needs_making", "2.没有现成信息需要另行制作"),
        ("unclear", "3.补正后申请内容仍不明确"),
    )),
    ("not_handled", "（五）不予处理", (
        ("petition", "1.信访举报投诉类申请"),
        ("repeated", "2.重复申请"),
        ("publication", "3.要求提供公开出版物"),
        ("mass", "4.无正当理由大量反复申请"),
        ("confirm", "5.要求行政机关确认或重新出具已获取信息"),
    )),
    ("other", "（六）其他处理", (
        ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other", "3.其他"),
    )),
)
ROW_LABELS: dict[tuple[str, ...], str] = {
    NEW: "一、本年新收政府信息公开申请数量",
    CARRIED: "二、上年结转政府信息公开申请数量",
    TOTAL: "（七）总计",
    FORWARD: "四、结转下年度继续办理",
}
RESULTS_LABEL = "三、本年度办理结果"


def result_rows() -> list[tuple[str, ...]]:
    """The key paths of 三's result rows that hold numbers, in the order of the format, without （七）总计."""
    out: list[tuple[str, ...]] = []
    for key, _label, subs in RESULT_GROUPS:
        if subs:
            out += [("results", key, sub) for sub, _ in subs]
        else:
            out.append(("results", key))
    return out


def application_rows() -> list[tuple[str, ...]]:
    """Every row of part 三 with numbers, in the order of the format."""
    return [NEW, CARRIED, *result_rows(), TOTAL, FORWARD]


def row_label(path: tuple[str, ...]) -> str:
    if path in ROW_LABELS:
        return ROW_LABELS[path]
    for key, label, subs in RESULT_GROUPS:
        if path[1] == key:
            if len(path) == 2:
                return label
            return label + next(s for k, s in subs if k == path[2])
    raise KeyError(path)


for _path in result_rows():  # the labels of the result rows, for messages
    ROW_LABELS.setdefault(_path, row_label(_path))

# The 依申请公开 statistics column: part 三 in brief, one number per row (the 总计 column), taken from the report.
SUMMARY_ROWS: tuple[tuple[str, str, int], ...] = (  # (key, label, indent)
    ("new", "本年新收申请", 0), ("natural", "其中：自然人", 1), ("legal", "其中：法人或其他组织", 1),
    ("carried_over", "上年结转申请", 0), ("total", "本年办结", 0),
    *((key, label.split("）", 1)[1].split("（", 1)[0], 1) for key, label, _ in RESULT_GROUPS),
    ("carry_forward", "结转下年度继续办理", 0),
)


def application_summary(rep: Report) -> dict[str, int]:
    """The numbers of SUMMARY_ROWS for one report: totals of part 三, each result group summed over its rows."""
    new = rep.row(NEW)
    out = {"new": new[-1], "natural": new[0], "legal": sum(new[1:6]), "carried_over": rep.row(CARRIED)[-1],
           "total": rep.row(TOTAL)[-1], "carry_forward": rep.row(FORWARD)[-1]}
    for key, _label, subs in RESULT_GROUPS:
        out[key] = sum(rep.row(("results", key, s))[-1] for s, _ in subs) if subs else rep.row(("results", key))[-1]
    return out


JOIN_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# --- part 二 -------------------------------------------------------------------------------------------

ISSUE_COLUMNS = (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))
ACTIVE_ITEMS = (  # (第二十条 item, rows (key, label), column label); rows of 第（一）项 take ISSUE_COLUMNS
    ("第二十条第（一）项", (("rules", "规章"), ("normative", "行政规范性文件")), ""),
    ("第二十条第（五）项", (("licensing", "行政许可"),), "本年处理决定数量"),
    ("第二十条第（六）项", (("penalty", "行政处罚"), ("coercion", "行政强制")), "本年处理决定数量"),
    ("第二十条第（八）项", (("fees", "行政事业性收费"),), "本年收费金额（单位：万元）"),
)

# --- part 四 -------------------------------------------------------------------------------------------

OUTCOMES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
REVIEW_ROWS = (("reconsideration", "行政复议"), ("litigation_direct", "未经复议直接起诉"),
               ("litigation_after", "复议后起诉"))

PART_TITLES = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
NARRATIVE_KEYS = (("overview", PART_TITLES[0]), ("problems", PART_TITLES[4]), ("other_matters", PART_TITLES[5]))


@dataclass
class Report:
    """One year's report: numbers under fixed keys, narrative as Markdown, and where each value was written."""

    year: int
    file: str  # content/reports/2025.yml
    line: int = 1
    overview: str = ""  # 一 (Markdown)
    problems: str = ""  # 五
    other_matters: str = ""  # 六
    # 二: {"rules": {"issued": n, …}, "normative": {…}, "licensing": n, "penalty": n, "coercion": n, "fees": x}
    active: dict[str, Any] = field(default_factory=dict)
    # 三: key path -> 7 numbers (自然人 … 其他, 总计)
    applications: dict[tuple[str, ...], list[int]] = field(default_factory=dict)
    # 四: row key -> 5 numbers (结果维持 … 总计)
    review: dict[str, list[int]] = field(default_factory=dict)
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)  # key path (("applications","new"), …) -> line
    # the narrative as written: (key, line of its first line, text), for the privacy gate
    texts: list[tuple[str, int, str]] = field(default_factory=list)

    def line_of(self, *path: str) -> int:
        """The line of a value, else of the nearest enclosing key that was written."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.line

    def row(self, path: tuple[str, ...]) -> list[int]:
        return self.applications.get(path, [0] * NCOLS)

    @property
    def narrative(self) -> str:
        return "\n\n".join(t for t in (self.overview, self.problems, self.other_matters) if t)
