"""The model of public participation (公众参与): 重大行政决策 and their stages. Plain dataclasses, no MkDocs.

A decision (catalog/decisions.yml) is one item of a year's 重大行政决策事项目录; documents join it through
their front matter (`decision: ID`, `stage: 征求意见` …), so each document is written once and the decision's
page gathers them by stage (上海民政 2022 #52: 以事项目录超链接方式归集展示决策草案、意见征集和采纳情况、列席、决策结果).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gongkai.model import Document, Source


@dataclass(frozen=True)
class Stage:
    key: str  # stable, in CSS classes and data attributes
    label: str  # as written in front matter (`stage:`) and shown on the timeline
    hint: str  # what the stage publishes, shown while it has no document yet


# In the order a decision goes through them (《重大行政决策程序暂行条例》: 公众参与 → 集体讨论 → 决定 → 公布 → 评估).
STAGES: tuple[Stage, ...] = (
    Stage("draft", "决策草案", "决策草案全文及起草说明（决策背景、依据、主要内容）"),
    Stage("consultation", "征求意见", "向社会公开征求意见的公告：起止日期和提交意见的渠道"),
    Stage("feedback", "意见反馈", "公众意见的收集、采纳情况，以及较为集中的意见不予采纳的原因"),
    Stage("attendance", "列席", "公众代表列席决策会议的情况及其意见的采纳情况"),
    Stage("decision", "决策文件", "决策结果：正式印发的决策文件"),
    Stage("interpretation", "政策解读", "决策文件的政策解读"),
    Stage("evaluation", "执行评估", "决策执行情况的评估（效果评估）"),
)
STAGE_BY_LABEL = {s.label: s for s in STAGES}
DECISION_STATUSES = ("未启动", "推进中", "已完成", "暂缓", "已终止")


@dataclass
class Consultation:
    """征求意见: when and how the public may comment."""

    start: dt.date
    end: dt.date
    address: str = ""  # 信函地址
    email: str = ""
    online: str = ""  # 在线提交意见的网址
    phone: str = ""
    fax: str = ""

    @property
    def channels(self) -> list[tuple[str, str]]:
        """(label, value) of every channel given, in the order a reader looks for them."""
        pairs = [("在线提交", self.online), ("电子邮件", self.email), ("信函", self.address), ("电话", self.phone),
                 ("传真", self.fax)]
        return [(k, v) for k, v in pairs if v]

    def state(self, today: dt.date) -> str:
        """未开始 / 征集中 / 已截止 on `today` (the build date; the page recomputes it with the reader's date)."""
        if today < self.start:
            return "未开始"
        return "征集中" if today <= self.end else "已截止"


@dataclass(eq=False)
class Decision:
    """One 重大行政决策事项 of a year's catalogue (catalog/decisions.yml)."""

    id: str  # stable: the page's URL, decisions/{id}/
    year: int
    name: str  # 事项名称
    office: str  # 承办单位
    basis: str  # 决策依据
    planned: str  # 计划完成时间, as written (2026年11月, 2026年第四季度 …)
    hearing: bool  # 是否听证
    status: str
    source: Source
    summary: str = ""
    consultation: Consultation | None = None
    documents: dict[str, list[Document]] = field(default_factory=dict, repr=False)  # stage key -> documents
    field_lines: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def url_path(self) -> str:
        return f"decisions/{self.id}/"

    @property
    def href(self) -> str:
        return f"decisions/{self.id}/index.html"

    def line_of(self, key: str) -> int | None:
        return self.field_lines.get(key) or self.source.line

    def stage_documents(self, key: str) -> list[Document]:
        """The published documents of a stage, oldest first (政策解读: also those that interpret a 决策文件)."""
        docs = [d for d in self.documents.get(key, []) if d.is_public]
        if key == "interpretation":
            for d in self.stage_documents("decision"):
                docs += [i for i in d.interpretations if i.is_public and i not in docs]
        return sorted(docs, key=lambda d: d.sort_key)

    def stage_of(self, doc: Document) -> Stage | None:
        for s in STAGES:
            if doc in self.stage_documents(s.key):
                return s
        return None

    def texts(self) -> list[str]:
        """Every text of the decision that is published, for the privacy gate."""
        out = [self.name, self.office, self.basis, self.planned, self.status, self.summary]
        if self.consultation:
            c = self.consultation
            out += [c.address, c.email, c.online, c.phone, c.fax]
        return [t for t in out if t]


@dataclass
class DecisionYear:
    """One year's 事项目录: when it was published (due by 31 March, 上海民政 2022 #51) and its decisions."""

    year: int
    published: dt.date | None
    decisions: list[Decision] = field(default_factory=list)
    line: int | None = None


@dataclass
class DecisionRules:
    """The deadlines `gongkai inspect` holds decisions to (decisions.yml `rules:`)."""

    feedback_workdays: int = 20  # 意见采纳情况反馈: working days after the 征求意见 closes
    catalogue_deadline: tuple[int, int] = (3, 31)  # the year's 事项目录 published by 31 March


@dataclass
class Decisions:
    """catalog/decisions.yml as loaded: the yearly catalogues, oldest first, and the rules."""

    years: list[DecisionYear] = field(default_factory=list)
    rules: DecisionRules = field(default_factory=DecisionRules)

    @property
    def all(self) -> list[Decision]:
        return [d for y in self.years for d in y.decisions]

    def get(self, decision_id: str) -> Decision | None:
        return next((d for d in self.all if d.id == decision_id), None)

    def of_document(self, doc: Document) -> tuple[Decision, Stage] | None:
        """The decision a document belongs to and its stage there (a 解读 of a 决策文件 belongs too)."""
        for d in self.all:
            s = d.stage_of(doc)
            if s is not None:
                return d, s
        return None


# --- 互动回应: 留言选登 and the 常见问题库 -----------------------------------------------------------------


@dataclass(eq=False)
class Message:
    """One published letter and its reply (留言选登; 上海民政 2022 #49: 留言时间、答复时间、答复单位和答复内容)."""

    id: str  # stable anchor on the page: messages#id
    received: dt.date  # 来信日期
    title: str
    question: str
    replied: dt.date | None  # 答复日期
    office: str  # 答复单位
    answer: str
    simple: bool = False  # 简单问题: answered within the shorter limit (#48: 1 working day)
    line: int | None = None  # of its entry in messages.yml, or its row in the spreadsheet
    field_lines: dict[str, int] = field(default_factory=dict, repr=False)
    writer: str = ""  # 留言人, masked (张*) — only from a spreadsheet that maps it
    kind: str = ""  # 留言类型 (咨询、建议、投诉 …)
    file: str = "catalog/messages.yml"  # where it was written: messages.yml or the spreadsheet under content/
    places: dict[str, str] = field(default_factory=dict, repr=False)  # field -> 工作表 … 第 n 行 … 列 (spreadsheet)

    def line_of(self, key: str) -> int | None:
        return self.field_lines.get(key) or self.line

    def location(self, key: str) -> str:
        """Where a field was written, for reports: catalog/messages.yml:12 or content/….xlsx 工作表 … 第 5 行 答复时间 列."""
        if key in self.places:
            return f"{self.file} {self.places[key]}"
        return f"{self.file}:{self.line_of(key)}"

    def texts(self) -> list[tuple[str, str]]:
        """(field, text) of everything the page publishes of it, for the privacy gate."""
        pairs = [("title", self.title), ("question", self.question), ("office", self.office), ("answer", self.answer),
                 ("writer", self.writer), ("kind", self.kind)]
        return [(k, v) for k, v in pairs if v]


@dataclass
class FaqEntry:
    """One question of the site-wide 常见问题库 (上海民政 2022 #12: 定期梳理更新常见问题解答库)."""

    id: str  # stable anchor on the FAQ page
    question: str
    answer: str
    category: str = ""
    line: int | None = None


@dataclass
class InteractionRules:
    reply_workdays: int = 5  # #48: 留言答复不超过 5 个工作日
    simple_workdays: int = 1  # … 简单问题 1 个工作日


@dataclass
class Interaction:
    """catalog/messages.yml and catalog/faq.yml as loaded; the 「我要留言」 link of site.yml."""

    messages: list[Message] = field(default_factory=list)  # newest first
    faq: list[FaqEntry] = field(default_factory=list)  # in file order
    rules: InteractionRules = field(default_factory=InteractionRules)
    link_label: str = ""  # 「我要留言」 on policy pages, to the bureau's 12345 / 政民互动 platform
    link_url: str = ""
    sheet_files: list[str] = field(default_factory=list)  # the 留言 exports under content/ (source data, never published)

    @property
    def categories(self) -> list[tuple[str, list[FaqEntry]]]:
        """The FAQ by category, in the order categories first appear ("" last: 其他)."""
        order: dict[str, list[FaqEntry]] = {}
        for q in self.faq:
            order.setdefault(q.category, []).append(q)
        named = [(k, v) for k, v in order.items() if k]
        return named + ([("其他", order[""])] if "" in order else [])
