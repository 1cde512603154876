"""Published lists (catalog/lists.yml): tables from spreadsheets, masked by rule, with their 公示期. No MkDocs.

A list is one table of one spreadsheet (.xlsx or .csv under content/) with a declared schema: which fields are
published, how each is masked, which can be searched and filtered. The values kept here are the masked ones:
the unmasked source never leaves the loader (gongkai/load/lists.py), so nothing downstream can publish it.

Categories and their publication terms (`terms:` in catalog/lists.yml changes the months):

- 公示名单 (低保、特困、临时救助 …): published for a 公示期 only, which must be written. Provincial 低保 rules
  require the 公示 to last at least 7 days (e.g. 「公示时间不得少于7日」, a provincial 最低生活保障审核审批办法,
  https://m.78911.com.cn/DangAnGuanLiZhiDu/598373-5.html); publishing such a list for ever is a privacy breach.
- 行政处罚 (双公示): each record is published from its decision date for a term, then removed. 国家发展改革委办公厅
  《关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知》（发改办财金〔2019〕527号）:
  「涉及严重失信行为的行政处罚信息自行政处罚决定之日起，在信用网站最短公示期限为六个月，最长公示期限为三年。
  最长公示期限届满的，信用网站将撤下相关信息，不再对外公示」 (https://www.0797cx.cn/page37?article_id=15265);
  local 双公示 practice states 「最短公示期为三个月，最长公示期为三年……最长公示期届满后，相关信息自动停止公示」
  and 「行政处罚信息的公示期限起点以行政处罚作出时间为准」 (http://www.senqisrq.com/xxgk/ztzl/sgs/index.html).
  Default term: 36 months from the record's decision date (`record_date`).
- 行政许可 (双公示): published within 7 working days of the decision (「自作出行政决定之日起7个工作日内上网公开」,
  国发〔2016〕33号 as summarised by http://credit.shiyan.gov.cn/660/2459.html); no end term by default.
- 名录 (养老机构名录、社会组织名录 …) and 其他: no term.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Category:
    name: str
    needs_period: bool = False  # a list of this category must say its 公示期 (inspect reports one that does not)
    record_months: int | None = None  # each record is published this many months from its record_date


CATEGORIES: dict[str, Category] = {
    "公示名单": Category("公示名单", needs_period=True),
    "行政许可": Category("行政许可"),
    "行政处罚": Category("行政处罚", record_months=36),
    "名录": Category("名录"),
    "其他": Category("其他"),
}

# field type -> (label, default mask). Masks: none (as written), name (张*、张*明), id (first 6 + last 4),
# mobile (138****5678), bank (first 4 + last 4), hide (the whole value replaced).
FIELD_TYPES: dict[str, tuple[str, str]] = {
    "text": ("文本", "none"),
    "name": ("姓名", "name"),
    "id_number": ("身份证号", "id"),
    "mobile": ("手机号码", "mobile"),
    "bank": ("银行卡号", "bank"),
    "phone": ("固定电话", "none"),
    "uscc": ("统一社会信用代码", "none"),
    "date": ("日期", "none"),
    "amount": ("金额", "none"),
    "number": ("数字", "none"),
    "org": ("单位名称", "none"),
}
# A field declared without `type` whose heading names personal data gets that type, so its default mask applies:
# forgetting `type: name` under 户主姓名 masks the names rather than publishing them. `type: text` opts out.
HEADING_TYPES: tuple[tuple[str, str], ...] = (
    ("身份证", "id_number"), ("证件号", "id_number"), ("手机", "mobile"), ("银行卡", "bank"), ("银行账号", "bank"),
    ("统一社会信用代码", "uscc"), ("姓名", "name"),
)


def type_of_heading(heading: str) -> str:
    """The field type a heading implies (HEADING_TYPES), else text."""
    return next((t for word, t in HEADING_TYPES if word in heading), "text")


MASKS = ("none", "name", "id", "mobile", "bank", "hide")
# personal numbers: never published as written (the privacy gate would stop the build anyway)
MUST_MASK = {"id_number", "mobile", "bank"}
FILTER_TYPES = ("text", "org", "date", "amount", "number")  # a facet of distinct values (date: by year and month)


@dataclass(frozen=True)
class ListField:
    name: str  # the column heading in the spreadsheet, shown as the heading on the site
    type: str = "text"
    mask: str = "none"
    show: bool = True  # published (a hidden field is read and checked, never written anywhere)
    search: bool = False  # its values are in the site search and the list's own search box
    filter: bool = False  # a facet of the list's filter form
    line: int | None = None


@dataclass
class Row:
    number: int  # row number in the sheet (1-based, as the spreadsheet shows it)
    values: list[str]  # masked, one per shown field
    record_date: dt.date | None = None
    until: dt.date | None = None  # last day the record is published (行政处罚 terms)


@dataclass(eq=False)
class DataList:
    id: str
    title: str
    column_ref: str
    file: str  # path under content/, e.g. lists/dibao-2026-11.xlsx
    sheet: str
    category: str
    published: dt.date
    period_start: dt.date | None = None
    period_end: dt.date | None = None  # last day of the 公示期
    document: str = ""  # id of the document it belongs to (公示通知、决定)
    description: str = ""
    record_date: str = ""  # field whose date starts each record's term
    record_months: int | None = None
    fields: list[ListField] = field(default_factory=list)  # every declared field
    rows: list[Row] = field(default_factory=list)  # all rows read (masked); `live_rows` are the published ones
    line: int | None = None
    column: object = None  # model.Column, resolved
    ended: bool = False  # its 公示期 is over on the build date: not published
    live_rows: list[Row] = field(default_factory=list)

    @property
    def shown(self) -> list[ListField]:
        return [f for f in self.fields if f.show]

    @property
    def source_file(self) -> str:
        return f"content/{self.file}"

    @property
    def is_published(self) -> bool:
        return not self.ended

    @property
    def folder(self) -> str:
        path = getattr(self.column, "path", "lists")
        return f"{path}/{self.id}"

    @property
    def href(self) -> str:
        return f"{self.folder}/index.html"

    def page_href(self, n: int) -> str:
        return self.href if n == 1 else f"{self.folder}/page-{n}.html"

    @property
    def export_base(self) -> str:
        return f"data/lists/{self.id}"


def until_of(start: dt.date, months: int) -> dt.date:
    """The last day of a term of `months` from `start` (a decision of 2024-03-15 for 36 months: until 2027-03-14)."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) - dt.timedelta(days=1)
