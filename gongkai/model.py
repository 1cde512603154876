"""The validated model of a bureau's disclosure site. Plain dataclasses, no MkDocs."""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Iterator, KeysView, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

from gongkai.errors import Problem
from gongkai.frequency import Schedule
from gongkai.links import Target, find_targets
from gongkai.participation import Decisions, Interaction


class ColumnKind(StrEnum):
    """栏目类型 (`kind` in columns.yml): what a column holds and what the site makes of it.

    Everything that depends on the kind is a property here, so a new kind is added in one place.
    """

    SECTION = "section"
    DOCUMENTS = "documents"
    POLICIES = "policies"
    GUIDE = "guide"
    PACKAGES = "packages"
    PAGE = "page"
    REPORTS = "reports"
    LINK = "link"
    LISTS = "lists"  # published tables from spreadsheets (公示名单, 双公示, 名录): catalog/lists.yml
    DECISIONS = "decisions"
    APPLICATION = "application"
    STATISTICS = "statistics"  # 依申请公开 statistics: part 三 of the annual reports (content/reports/)
    MESSAGES = "messages"
    FAQ = "faq"

    @property
    def label(self) -> str:
        """The kind's Chinese name, in messages and on section pages."""
        return _KIND_LABELS[self]

    @property
    def holds_documents(self) -> bool:
        """Documents name it in `columns:` and it lists them."""
        return self in (ColumnKind.DOCUMENTS, ColumnKind.POLICIES, ColumnKind.REPORTS)

    @property
    def has_feed(self) -> bool:
        """A list of documents, newest first, with an Atom feed (annual reports are listed by year instead)."""
        return self in (ColumnKind.DOCUMENTS, ColumnKind.POLICIES)

    @property
    def takes_page(self) -> bool:
        """May name a Markdown page under content/ (`page:`)."""
        return self in (ColumnKind.PAGE, ColumnKind.GUIDE)

    @property
    def has_schedule(self) -> bool:
        """Judged against its 更新频率 by `gongkai inspect` (a group, a link or the guide has its own rules)."""
        return self not in (ColumnKind.SECTION, ColumnKind.LINK, ColumnKind.GUIDE)

    @property
    def searchable(self) -> bool:
        """Has a page of its own on the site, in the search index (a link column points elsewhere)."""
        return self is not ColumnKind.LINK

    @property
    def site_section(self) -> str:
        """The column type of 《政府网站发展指引》 for the ColumnType meta tag (解读回应 is told by the name)."""
        if self in (ColumnKind.DECISIONS, ColumnKind.MESSAGES, ColumnKind.FAQ):
            return "互动交流"
        return "办事服务" if self in (ColumnKind.PACKAGES, ColumnKind.LINK, ColumnKind.APPLICATION) else "信息发布"

    @property
    def template(self) -> str:
        """The template of the column's page (gongkai/build/templates/)."""
        return f"column_{self.value}.html"


_KIND_LABELS = {
    ColumnKind.SECTION: "栏目分组",
    ColumnKind.DOCUMENTS: "文件列表",
    ColumnKind.POLICIES: "政策文件库",
    ColumnKind.GUIDE: "公开指南",
    ColumnKind.PACKAGES: "主题服务包",
    ColumnKind.PAGE: "单页",
    ColumnKind.REPORTS: "年度报告",
    ColumnKind.LINK: "外部链接",
    ColumnKind.LISTS: "公示名单和名录",
    ColumnKind.DECISIONS: "重大行政决策事项目录",
    ColumnKind.APPLICATION: "依申请公开指引（须知、流程图、申请表）",
    ColumnKind.STATISTICS: "依申请公开统计（取自年度报告）",
    ColumnKind.MESSAGES: "留言选登",
    ColumnKind.FAQ: "常见问题库",
}

DISCLOSURE_VALUES = ("主动公开", "依申请公开", "不予公开")
STATUS_VALUES = ("废止", "修改", "失效")
# 政策解读的形式 (`form:`; 上海民政 2022 #37: 文字解读、图示图解、视频动漫、新闻发布会 …)
INTERPRETATION_FORMS = ("文字解读", "图文解读", "图解", "视频", "音频", "问答", "新闻发布会")


@dataclass(frozen=True)
class Source:
    """Where a piece of the model came from, for messages."""

    file: str
    line: int | None = None


class FieldLines:
    """Where each field of an input record is written (`field_lines`: field -> line), for messages."""

    field_lines: dict[str, int]
    source: Source

    def line_of(self, key: str) -> int | None:
        """The line of a field, else the line where the record starts."""
        return self.field_lines.get(key) or self.source.line


@dataclass(frozen=True)
class PrivacyAllowance:
    """One privacy_ok entry as written: personal data that may be published here (`match`), and why."""

    match: str
    reason: str
    line: int | None = None


@dataclass
class Contact:
    office: str = ""  # name of the 政府信息公开工作机构
    address: str = ""
    postcode: str = ""
    hours: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""


@dataclass
class InspectionRules:
    """The rules of `gongkai inspect` (DESIGN §4), with their defaults; set in site.yml under `inspection:`."""

    report_deadline: tuple[int, int] = (1, 31)  # 条例 Art. 50: departments by 31 January
    policy_columns: list[str] = field(default_factory=list)  # empty: kind policies + names with 政策/文件/通知/公告
    home_stale_days: int = 14  # 国办秘函〔2019〕19号: home page not updated in 2 weeks
    policy_stale_months: int = 6
    overdue_limit: int = 10  # 19号: 应更新但长期未更新的栏目 10 or more
    empty_limit: int = 5  # 19号: 空白栏目 5 or more
    expiring_months: int = 6
    news_stale_days: int = 14  # 19号: 动态、要闻类栏目 not updated in 2 weeks
    stale_limit: int = 5  # 19号: 动态要闻 (2 weeks) and 通知公告/政策文件 (6 months) columns not updated, 5 or more
    interpretation_workdays: int = 0  # 政策解读 三同步: published with its policy (0) or within N working days


@dataclass
class PublicItem(FieldLines):
    """One 公开事项 of the 标准目录 (a row of the tables bureaus receive from above): what is published, on what
    legal basis, how fast, by whom, where and to whom."""

    name: str  # 事项名称 (二级/三级事项)
    content: str = ""  # 公开内容（要素）
    basis: str = ""  # 公开依据
    deadline: str = ""  # 公开时限, as written
    schedule: Schedule = field(default_factory=lambda: Schedule(""))  # 公开时限, read
    subject: str = ""  # 公开主体
    channels: list[str] = field(default_factory=list)  # 公开渠道和载体 (vocab.CHANNELS)
    audience: str = ""  # 公开对象: 全社会 / 特定群体
    mode: str = ""  # 公开方式: 主动 / 依申请
    level: list[str] = field(default_factory=list)  # 公开层级: 县级, 乡级 …
    implements: list[str] = field(default_factory=list)  # ids of national standard items (gongkai/standards) it carries out
    source: Source = Source("catalog/columns.yml")
    field_lines: dict[str, int] = field(default_factory=dict, repr=False)


@dataclass
class Site(FieldLines):
    name: str
    org_code: str
    site_url: str
    site_id: str = ""
    description: str = ""
    contact: Contact = field(default_factory=Contact)
    host: str = ""  # 主办单位
    icp: str = ""  # ICP备案号
    psb: str = ""  # 公安机关备案号
    topics: list[str] = field(default_factory=list)
    default_term_years: int = 5
    provisional_term_years: int = 2
    guide_stale_months: int = 12
    inspection: InspectionRules = field(default_factory=InspectionRules)
    portal: Portal = field(default_factory=lambda: Portal())  # 常用服务, marks, statements, search synonyms
    # 放假安排 the bureau adds (a year gongkai does not know yet, a local holiday): date -> is a working day;
    # passed to workdays.WorkCalendar(overrides=...) for every working-day deadline
    calendar: dict[dt.date, bool] = field(default_factory=dict)
    art20_not_applicable: dict[int, str] = field(default_factory=dict)  # 第二十条 item -> why 本机关不涉及
    standards: list[str] = field(default_factory=list)  # 领域 whose national 标准目录 the bureau declares (社会救助 …)
    standards_not_applicable: dict[str, str] = field(default_factory=dict)  # standard item id -> why the bureau does not
    # files of content/ the site needs that no document or page links (logo, 党政机关网站标识 …): (path, line)
    assets: list[tuple[str, int | None]] = field(default_factory=list)
    privacy_ok: list[PrivacyAllowance] = field(default_factory=list)  # 全站 allowances (an official mobile hotline …)
    application: Any = None  # application.ApplicationRules: 依申请公开 channels (site.yml `application:`)
    source: Source = Source("catalog/site.yml")
    field_lines: dict[str, int] = field(default_factory=dict, repr=False)  # field -> line in site.yml


@dataclass
class Service:
    """One entry of the home page's 常用服务 (site.yml home.services): a column, a 主题服务包, a document or an
    outside address."""

    kind: str  # column, package, document or url
    target: str  # as written: column id or path, package id, document id, URL
    name: str = ""
    description: str = ""
    href: str = ""  # site-relative page (or the URL), set once everything is loaded (load/portal.py)
    line: int | None = None


@dataclass
class Mark:
    """A mark in the footer (党政机关网站标识, 我为政府网站找错): an image the bureau supplies, with a link; or only
    text (an intranet without internet)."""

    image: str = ""  # path under content/
    url: str = ""
    text: str = ""


@dataclass
class Portal:
    """What site.yml says about the citizen's side of the site (gongkai/load/portal.py reads it)."""

    services: list[Service] = field(default_factory=list)
    latest: int = 10  # documents under 最新公开 on the home page
    logo: str = ""  # path under content/
    favicon: str = ""
    dzjg: Mark | None = None  # 党政机关网站标识
    zhaocuo: Mark | None = None  # 我为政府网站找错
    privacy_page: str = ""  # Markdown under content/ replacing the built-in 隐私声明
    terms_page: str = ""  # … the built-in 网站声明
    privacy_md: str = ""  # their text
    terms_md: str = ""
    synonyms: list[list[str]] = field(default_factory=list)  # the bureau's own groups
    related: dict[str, list[str]] = field(default_factory=dict)  # the bureau's own one-way entries
    builtin_synonyms: bool = True


@dataclass(eq=False)
class Column(FieldLines):
    name: str
    slug: str
    kind: ColumnKind
    frequency: str = ""  # 更新频率 as written (the vocabulary's word when it is one)
    office: str = ""
    description: str = ""
    schedule: Schedule = field(default_factory=lambda: Schedule(""))  # the 更新频率, read
    items: list[PublicItem] = field(default_factory=list)  # 公开事项
    inspect_as: str = ""  # 19号 class declared in columns.yml (vocab.INSPECTION_CLASSES), "" = inferred
    art20: list[int] = field(default_factory=list)  # 《条例》第二十条 items (1–15) the column serves
    implements: list[str] = field(default_factory=list)  # ids of national standard items (gongkai/standards) it carries out
    page: str = ""  # kind page: Markdown file under content/
    url: str = ""  # kind link: the external address
    updated: dt.date | None = None  # kind page: `updated` in the page's front matter
    id_explicit: bool = False
    children: list[Column] = field(default_factory=list)
    parent: Column | None = field(default=None, repr=False)
    source: Source = Source("catalog/columns.yml")
    field_lines: dict[str, int] = field(default_factory=dict, repr=False)  # line of each field in columns.yml

    @property
    def id(self) -> str:
        return self.slug

    @property
    def level(self) -> int:
        return 1 if self.parent is None else self.parent.level + 1

    @property
    def path(self) -> str:
        """The column's path of slugs, e.g. 'fdzdgknr/jgzn'."""
        return self.slug if self.parent is None else f"{self.parent.path}/{self.slug}"

    @property
    def src_uri(self) -> str:
        return f"{self.path}/index.md"

    @property
    def href(self) -> str:
        """Site-relative URL of the column page."""
        return f"{self.path}/index.html"

    @property
    def ancestors(self) -> list[Column]:
        out: list[Column] = []
        node = self.parent
        while node is not None:
            out.insert(0, node)
            node = node.parent
        return out

    @property
    def trail(self) -> list[Column]:
        """From the top-level column down to this one: breadcrumbs, the catalogue table's levels."""
        return [*self.ancestors, self]

    def trail_text(self, sep: str = " / ") -> str:
        """The trail's names, e.g. 法定主动公开内容 / 政策文件 / 规范性文件."""
        return sep.join(c.name for c in self.trail)

    def walk(self) -> Iterator[Column]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Attachment:
    title: str
    path: str  # site-relative path of the file


# a document's order by date (column lists show the newest first: sorted by it, reversed); Document.sort_key, and
# the key function that sorts lists of thousands without a property call per document
SORT_KEY = attrgetter("published", "id")


@dataclass(eq=False)
class Document(FieldLines):
    id: str  # "" while loading a file whose name cannot be an address: load/docids.py gives it one
    title: str
    published: dt.date
    source: Source
    doc_number: str = ""
    index_no: str = ""
    publisher: str = ""
    written: dt.date | None = None
    topic: str = ""
    column_refs: list[str] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list, repr=False)
    disclosure: str = "主动公开"
    normative: bool = False
    effective: dt.date | None = None
    expires: dt.date | None = None
    expires_default: bool = False  # expires came from the default term
    status: str = ""
    status_date: dt.date | None = None
    replaced_by: str = ""
    interprets: str = ""
    interpretations: list[Document] = field(default_factory=list, repr=False)
    replaces: list[Document] = field(default_factory=list, repr=False)  # documents whose replaced_by is this one
    attachments: list[Attachment] = field(default_factory=list)
    privacy_ok: list[PrivacyAllowance] = field(default_factory=list)
    year: int | None = None  # for annual reports
    summary: str = ""  # 内容概述, in the exports and feeds
    body: str = ""  # Markdown text
    body_line: int = 1  # line in the source where the body starts
    scheduled: bool = False  # `scheduled: true`: a 发布日期 in the future is meant (预定发布), not a typo
    embargoed: bool = False  # scheduled and its day has not come: in no output yet (checks/consistency.py)
    # As read from the source file: its parsed front matter (a yamlsrc.Node, every value with its line, for the
    # privacy gate), the line of each field, and a digest of the file (the build cache's stand-in for both and
    # for the body, which come from the file alone).
    front_matter: Any = field(default=None, repr=False)
    field_lines: dict[str, int] = field(default_factory=dict, repr=False)
    source_digest: str = ""
    withdrawn: Withdrawal | None = None  # named by catalog/withdrawals.yml: no longer published
    form: str = ""  # a 解读's form (INTERPRETATION_FORMS)
    decision: str = ""  # the 重大行政决策 (catalog/decisions.yml id) it belongs to, and its stage there
    stage: str = ""
    id_from: str = ""  # "" when the id is written (id: or the file name), else how it was made (load/docids.py)

    @property
    def is_public(self) -> bool:
        """Published: 主动公开, its day come (not embargoed), and not withdrawn (撤回) since."""
        return self.disclosure == "主动公开" and not self.embargoed and self.withdrawn is None

    @property
    def href(self) -> str:
        return f"documents/{self.id}.html"

    @property
    def sort_key(self) -> tuple[dt.date, str]:
        return SORT_KEY(self)

    def link_targets(self) -> list[Target]:
        """The body's link and image targets (links.find_targets), found once; the build cache keeps them, so an
        unchanged document's page and publication check need not read its body (load/doccache.py)."""
        found = self.__dict__.get("_link_targets")
        if found is None:
            found = self.__dict__["_link_targets"] = tuple(find_targets(self.body))
        return list(found)

    def link_target_tuple(self) -> tuple[Target, ...]:
        """link_targets() as the tuple it keeps, not a copy: for a pass over every published document (most link
        nothing), which only reads them."""
        found: tuple[Target, ...] | None = self.__dict__.get("_link_targets")
        if found is None:
            return tuple(self.link_targets())  # (found once, and kept: the next call takes the kept tuple)
        return found


def _from_source(name: str) -> property:
    """A Document field that comes from its source file alone (body, front matter), read from the file when asked
    for by the reader the build cache left in `_reader` (load/doccache.py), and not kept.

    A document the build cache vouches for is made without reading the file; one read afresh drops its body once
    it is loaded, and its front matter once the privacy gate has scanned it (`release_source`). So a build holds
    no document's text for longer than one step needs it: at 100,000 documents the bodies alone are over a GB,
    and the few steps that need a body (the privacy gate, the document page, the search record) each ask once."""
    slot = "_" + name

    def get(doc: Document) -> Any:
        values = doc.__dict__
        if slot in values:
            return values[slot]
        return getattr(values["_reader"], name)()

    def put(doc: Document, value: Any) -> None:
        doc.__dict__[slot] = value
        if name == "body":
            doc.__dict__.pop("_link_targets", None)

    return property(get, put)


def release_source(doc: Document, front_matter: bool = False) -> None:
    """Forget the body (and with front_matter, the parsed front matter too) of a document whose `_reader` gives
    them again: later steps read them from the file when they ask (bounded memory, see _from_source)."""
    values = doc.__dict__
    if "_reader" in values:
        values.pop("_body", None)
        if front_matter:
            values.pop("_front_matter", None)


def body_size(doc: Document) -> int:
    """The length of a document's body, without reading it from its file."""
    values = doc.__dict__
    return len(values["_body"]) if "_body" in values else int(values["_reader"].body_size)


def _field_lines() -> property:
    """Document.field_lines: the line of each field, needed only for messages. A document made from the build
    cache's record (load/doccache.py) gets them marshalled, and they are decoded when first asked for: most
    documents of a rebuild have no message, and decoding every one's took half of reading the records."""

    def get(doc: Document) -> dict[str, int]:
        values = doc.__dict__
        found = values.get("_field_lines")
        if found is None:
            found = values["_field_lines"] = marshal.loads(values.pop("_field_lines_data"))
        return found  # type: ignore[no-any-return]

    def put(doc: Document, value: dict[str, int]) -> None:
        doc.__dict__["_field_lines"] = value
        doc.__dict__.pop("_field_lines_data", None)

    return property(get, put)


# after @dataclass, which has taken the fields' defaults for __init__ (it assigns through the property)
setattr(Document, "body", _from_source("body"))  # noqa: B010  (mypy: a field, not a property, to the rest of the code)
setattr(Document, "front_matter", _from_source("front_matter"))  # noqa: B010
setattr(Document, "field_lines", _field_lines())  # noqa: B010


@dataclass
class Revision:
    date: dt.date
    note: str


@dataclass
class Guide:
    title: str
    revised: dt.date | None
    revisions: list[Revision]
    body: str
    source: Source
    text: str = ""  # the whole file as written (front matter included), for the privacy gate


@dataclass
class Page:
    """The Markdown page of a `page` column (content/pages/…)."""

    file: str  # e.g. content/pages/jgjj.md
    body: str  # Markdown, front matter removed
    text: str  # the whole file as written, for the privacy gate


@dataclass
class FaqItem:
    question: str
    answer: str


@dataclass(eq=False)
class Package(FieldLines):
    """A themed service package (主题服务包, 一件事) from catalog/packages.yml."""

    id: str  # stable: the URL and the printed QR code depend on it, never on the name
    name: str
    summary: str
    source: Source
    items: list[str] = field(default_factory=list)  # 事项清单
    steps: list[str] = field(default_factory=list)  # 办理流程
    materials: list[str] = field(default_factory=list)  # 申请材料
    where: list[str] = field(default_factory=list)  # 地点和时间
    phone: list[str] = field(default_factory=list)  # 咨询电话
    online: str = ""  # 在线办理 address
    policy_refs: list[str] = field(default_factory=list)  # document ids as written
    policies: list[Document] = field(default_factory=list, repr=False)  # 政策依据, resolved
    faq: list[FaqItem] = field(default_factory=list)
    field_lines: dict[str, int] = field(default_factory=dict, repr=False)  # field -> line in packages.yml
    policy_lines: dict[str, int] = field(default_factory=dict, repr=False)  # cited document id -> its line
    # why its poster cannot be printed (a character the poster font lacks, a name too long for the title):
    # the poster is left out, the package page and the rest of the site are published (checks/posterfonts.py)
    poster_blocked: list[str] = field(default_factory=list, repr=False)

    @property
    def printable(self) -> bool:
        return not self.poster_blocked

    @property
    def url_path(self) -> str:
        """Site-relative directory URL, the short form printed in QR codes."""
        return f"packages/{self.id}/"

    @property
    def href(self) -> str:
        return f"packages/{self.id}/index.html"

    def texts(self) -> list[str]:
        """Every text of the package that is published, for checks such as the privacy gate."""
        out = [self.name, self.summary, *self.items, *self.steps, *self.materials, *self.where, *self.phone, self.online]
        for q in self.faq:
            out += [q.question, q.answer]
        return [t for t in out if t]


@dataclass(frozen=True)
class RecordedUrl:
    """One entry of catalog/urls.lock.yml: a column URL once published, and the column it belonged to."""

    url: str  # site-relative, e.g. fdzdgknr/zcfg/bmwj/index.html
    column: str  # column id, or its full path when the id is not unique
    name: str  # the column's name when the URL was last live
    line: int | None = None


@dataclass(frozen=True)
class GoneAddress:
    """A document address recorded in catalog/urls.lock.yml (`documents:`) that no document has any more: its file
    was deleted, or the document now has an id of its own (written in its front matter, or an ASCII file name).

    The address was published, printed and shared, so it must not fall silent: the build writes a page there —
    a redirect to `target` when the document is still published under its new address, else 「该信息已移除」
    (build/withdrawn.py). A document taken down with `gongkai withdraw` is in the withdrawal record instead."""

    id: str
    file: str  # the file the record names
    title: str  # as recorded (not shown on the notice: why the file went is unknown)
    index_no: str = ""  # as recorded
    line: int | None = None  # of the entry in catalog/urls.lock.yml
    target: Document | None = None  # the same document under another address (same file, 索引号, 文号 or title)

    @property
    def href(self) -> str:
        return f"documents/{self.id}.html"


@dataclass(frozen=True)
class Withdrawal:
    """One entry of catalog/withdrawals.yml: a published document taken down (撤回), when, why and by whom."""

    id: str
    date: dt.date
    reason: str
    personal_data: bool = False  # withdrawn for personal data: the notice at its address omits the title
    by: str = ""
    title: str = ""  # as it was published (the office's record; shown on the notice unless personal_data)
    index_no: str = ""
    published: dt.date | None = None
    line: int | None = None

    @property
    def href(self) -> str:
        return f"documents/{self.id}.html"


@dataclass(frozen=True)
class Changes:
    """Which documents changed since the previous build's load, as this build's load found them
    (gongkai/load/snapshot.py), for later steps that can skip work for the ones that did not.

    A document is *changed* when it is new, or when anything the model holds of it differs from what the previous
    load made of it: its file's bytes (so its body and front matter), any field, the paths of its columns, its id,
    the ids of the documents that interpret or replace it (interpretations, replaces), withdrawal, embargo and the
    default term applied to it. A document not in `documents` is, in all of these, what the previous load made.

    What it does *not* cover, so a step must look at it itself: what a page shows of *other* documents (the title
    of the document a 解读 interprets, a column's list) — `affected` adds a document's direct relations; columns
    and everything else outside content/documents/ (`inputs` names those files); the build date (`build_date`).

    `since` is the token of the load these changes are relative to and `token` this load's own. The previous load
    may have been of a build killed before it wrote anything: a step that skips work for unchanged documents records
    `token` with its own output once that output is complete, and trusts these changes only when its recorded token
    is `since` (else it does all of its work once). `known` is False when there is nothing to compare with (first
    build, no build cache, a preview, another version of gongkai): every document then counts as changed.
    """

    known: bool = False
    token: str = ""  # this load's (a later build's `since` when this one's snapshot is the one it reads)
    since: str = ""  # the token of the load these changes are relative to ("" when not known)
    documents: frozenset[str] = frozenset()  # source files (content/documents/…) of new or changed documents
    removed: frozenset[str] = frozenset()  # source files the previous load had a document for and this one has not
    ids: frozenset[str] = frozenset()  # the ids of the documents in `documents`
    removed_ids: frozenset[str] = frozenset()  # ids the previous load had and no document has now
    inputs: frozenset[str] = frozenset()  # other input files (catalog/, content/, mkdocs.yml, overrides/) added,
    # removed or changed (by their stat data: a file saved again unchanged is named too)
    build_date: bool = False  # the build date differs from the previous load's
    # how the load got its documents (what it cost; GONGKAI_TIMING, tests): read and parsed afresh, in load order;
    # read and hashed, their entry reused; neither read nor parsed (the stat vouched for the entry)
    parsed: tuple[str, ...] = ()
    hashed: tuple[str, ...] = ()
    reused: int = 0

    def changed(self, doc: Document) -> bool:
        """Whether a document may differ from the previous load's (always True when nothing is known)."""
        return not self.known or doc.source.file in self.documents

    def affected(self, doc: Document) -> bool:
        """changed(doc), or a document it names or that names it (interprets, replaced_by, interpretations,
        replaces) changed or is gone: what a document page shows of its relations may differ."""
        # (asked of every published document of a rebuild: written out, no generator per document)
        if self.changed(doc):
            return True
        documents = self.documents
        for d in doc.interpretations:
            if d.source.file in documents:
                return True
        for d in doc.replaces:
            if d.source.file in documents:
                return True
        ids, removed_ids = self.ids, self.removed_ids
        for ref in (doc.interprets, doc.replaced_by):
            if ref and (ref in ids or ref in removed_ids):
                return True
        return False

    def reached(self, docs: Sequence[Document]) -> set[str]:
        """The source files of those of docs that `affected` says may differ (and every changed document's): one
        pass of four attribute reads per document, `affected` asked only of those with a relation — a step that
        redoes what the changes reach asks it of every published document on every rebuild."""
        out = set(self.documents) if self.known else {d.source.file for d in docs}
        affected = self.affected
        for d in docs:
            if (d.interpretations or d.replaces or d.interprets or d.replaced_by) and affected(d):
                out.add(d.source.file)
        return out

    def follows(self, token: str) -> bool:
        """Whether a result a step kept with this token (an earlier load's `token`) was made from the very load these
        changes are relative to: the one rule on which a step may skip work for documents not in the changes."""
        return self.known and bool(self.since) and token == self.since

    @property
    def only_documents(self) -> bool:
        """Known, and nothing but documents changed (no other input, the same build date)."""
        return self.known and not self.inputs and not self.build_date

    def keeps(self, token: str) -> bool:
        """Whether a result a step kept with this token still holds for every document not in the changes, whatever
        else of the site it read: made from the very load these changes are relative to (`follows`), and nothing
        but documents changed since (`only_documents`: no column, site.yml, template or other input, the same build
        date). The rule of every kept state that reads more than its own documents (export rows, page and listing
        keys, sitemap entries, the publication decision, a 政策文件 column's shape); a step whose result reads
        documents only asks `follows` alone, and one that tells other inputs apart itself adds its own test."""
        return self.only_documents and self.follows(token)

    def summary(self) -> str:
        """One line for GONGKAI_TIMING."""
        if not self.known:
            return f"no previous load: every document counts as changed ({len(self.parsed)} parsed)"
        return (f"{len(self.documents)} changed, {len(self.removed)} removed, {len(self.inputs)} other inputs changed; "
                f"{self.reused} reused unread, {len(self.hashed)} hashed, {len(self.parsed)} parsed")


# Catalogue.index_positions: published documents, each column's (by its path) and every document's id, by position
IndexPositions = tuple[list[int], dict[str, list[int]], list[str]]


@dataclass
class Catalogue:
    site: Site
    roots: list[Column]
    documents: list[Document]
    root_dir: Path
    build_date: dt.date
    guide: Guide | None = None
    packages: list[Package] = field(default_factory=list)
    pages: dict[str, Page] = field(default_factory=dict)  # content path (a column's `page`) -> page
    catalog_files: dict[str, Any] = field(default_factory=dict, repr=False)  # catalog/*.yml the loader read, as
    # parsed (every value with its line): for checks that quote them (privacy gate)
    url_record: list[RecordedUrl] | None = None  # catalog/urls.lock.yml; None: the site has none
    warnings: list[Problem] = field(default_factory=list)
    todos: list[Problem] = field(default_factory=list)  # required information not written yet (level "todo")
    privacy: object = None  # the privacy gate's report (checks.privacy.Report): allowances in use, for `gongkai check`
    reports: list[Any] = field(default_factory=list)  # annual_report.Report, oldest year first (content/reports/)
    withdrawals: list[Withdrawal] = field(default_factory=list)  # catalog/withdrawals.yml
    gone: list[GoneAddress] = field(default_factory=list)  # recorded document addresses no document has any more
    content_tree: Any = None  # load.contenttree.ContentTree: the files under content/, links and special files checked
    publication: Any = None  # checks.publication.Publication: which of those files are published, and why
    lists: list[Any] = field(default_factory=list)  # gongkai.listmodel.DataList: catalog/lists.yml, read and masked
    decisions: Decisions = field(default_factory=Decisions)  # catalog/decisions.yml, documents joined by stage
    interaction: Interaction = field(default_factory=Interaction)  # 留言选登, 常见问题库, 「我要留言」
    standards: list[Any] = field(default_factory=list)  # gongkai.standards.Standard: the 领域 site.yml declares
    changes: Changes = field(default_factory=Changes)  # what changed since the previous build's load (load/snapshot.py)

    def columns(self) -> Iterator[Column]:
        return iter(self._column_index()[0])

    def implementers(self, item_id: str) -> list[Column]:
        """The columns that carry out a national standard item: by their own `implements`, or a 公开事项's."""
        return [c for c in self.columns() if item_id in c.implements or any(item_id in i.implements for i in c.items)]

    def columns_of(self, kind: ColumnKind) -> list[Column]:
        """The columns of one kind, in catalogue order."""
        return list(self._column_index()[1].get(kind, ()))

    def first_column(self, kind: ColumnKind) -> Column | None:
        """The first column of a kind in catalogue order (the one a link to 'the' policies column goes to …)."""
        found = self._column_index()[1].get(kind)
        return found[0] if found else None

    def _column_index(self) -> tuple[list[Column], dict[ColumnKind, list[Column]]]:
        """Every column in catalogue order, and by kind, walked once: pages ask for 'the' FAQ or policies column
        for each document (walking 400 columns each time was a second of a 10,000-document rebuild). Rebuilt when
        the list of roots is replaced or grows; the tree below is complete when the catalogue is made."""
        key = (id(self.roots), len(self.roots))
        cached: tuple[tuple[int, int], tuple[list[Column], dict[ColumnKind, list[Column]]]] | None = \
            self.__dict__.get("_column_cache")
        if cached is not None and cached[0] == key:
            return cached[1]
        flat = [c for root in self.roots for c in root.walk()]
        by_kind: dict[ColumnKind, list[Column]] = {}
        for c in flat:
            by_kind.setdefault(c.kind, []).append(c)
        self.__dict__["_column_cache"] = (key, (flat, by_kind))
        return flat, by_kind

    @property
    def published_documents(self) -> list[Document]:
        """Documents that may appear anywhere in the output: 主动公开 only."""
        return list(self._index()[0])

    def documents_in(self, column: Column) -> list[Document]:
        """Published documents of a column, newest first."""
        return list(self._index()[1].get(column, ()))

    def document(self, doc_id: str) -> Document | None:
        return self._index()[2].get(doc_id)

    @property
    def document_ids(self) -> KeysView[str]:
        """The id of every document (a view of the index: no set of 10,000 made for a few `in` tests)."""
        return self._index()[2].keys()

    def _index(self) -> tuple[list[Document], dict[Column, list[Document]], dict[str, Document]]:
        """Lookups by column and id, built once: O(N) scans per column made large sites quadratic.
        Rebuilt when the list of documents is replaced or grows; edit documents before the first lookup."""
        key = (id(self.documents), len(self.documents))
        cached: tuple[tuple[int, int], tuple[list[Document], dict[Column, list[Document]], dict[str, Document]]] | None = \
            self.__dict__.get("_index_cache")
        if cached is not None and cached[0] == key:
            return cached[1]
        public = [d for d in self.documents if d.is_public]
        by_column: dict[Column, list[Document]] = {}
        get = by_column.get  # (a few hundred columns, tens of thousands of appends: no new list per setdefault)
        for d in public:
            for col in d.columns:
                docs = get(col)
                if docs is None:
                    by_column[col] = [d]
                else:
                    docs.append(d)
        for docs in by_column.values():
            docs.sort(key=SORT_KEY, reverse=True)
        by_id = {d.id: d for d in reversed(self.documents)}  # (the first document of an id wins: set last)
        index = (public, by_column, by_id)
        self.__dict__["_index_cache"] = (key, index)
        return index

    def index_positions(self) -> IndexPositions | None:
        """The lookups by column and id, when made, as positions in `documents` (a column by its path), and every
        document's id: what `take_index` makes them again from for a later load whose documents are, in all the
        index reads of them, these (load/stepkeep.py)."""
        cached = self.__dict__.get("_index_cache")
        docs = self.documents
        if cached is None or cached[0] != (id(docs), len(docs)):
            return None
        public, by_column, _by_id = cached[1]
        where = {id(d): i for i, d in enumerate(docs)}
        return ([where[id(d)] for d in public],
                {col.path: [where[id(d)] for d in col_docs] for col, col_docs in by_column.items()},
                [d.id for d in docs])

    def take_index(self, positions: IndexPositions) -> bool:
        """The lookups by column and id made from index_positions of an earlier load (see there), without reading
        any document: False (nothing taken) when a column it names is not in this catalogue."""
        public_at, by_path, ids = positions
        docs = self.documents
        if len(ids) != len(docs):
            return False
        columns = {c.path: c for c in self.columns()}
        if not by_path.keys() <= columns.keys():
            return False

        def pick(at: list[int]) -> list[Document]:
            return [docs[at[0]]] if len(at) == 1 else list(itemgetter(*at)(docs)) if at else []
        by_column = {columns[path]: pick(at) for path, at in by_path.items()}
        by_id = dict(zip(reversed(ids), reversed(docs), strict=True))  # (the first document of an id wins: set last)
        self.__dict__["_index_cache"] = ((id(docs), len(docs)), (pick(public_at), by_column, by_id))
        return True
