"""The national 基层政务公开标准目录 of a 领域, shipped with gongkai as data (gongkai/standards/*.yml).

Each file is one 领域's table as the issuing ministry published it: its source (document, 文号, date, the copies
it was transcribed from and the row count of the original table) and one record per row (公开事项), each with a
stable id that a bureau's columns.yml refers to (`implements:`) to say which standard item a column or a 公开事项
carries out. Cells no stored copy showed are filled by analogy and listed in the row's `unseen`, so nobody takes
them for the original text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.errors import Problems
from gongkai.frequency import Schedule, parse_schedule
from gongkai.load.fields import Fields, type_name
from gongkai.load.yamlsrc import YamlSyntaxError, load_yaml
from gongkai.vocab import AUDIENCES, CHANNEL_SYNONYMS, CHANNELS, MODES

HERE = Path(__file__).parent
# 领域 name -> file in this folder (ASCII file names: wheels and zip files keep them on every system)
FILES = {"社会救助": "shehui-jiuzhu.yml", "养老服务": "yanglao-fuwu.yml", "救灾": "jiuzai.yml"}
PREFIXES = {"社会救助": "shjz", "养老服务": "ylfw", "救灾": "jz"}  # the start of each 领域's item ids (shjz-01 …)
TOP_FIELDS = {"domain": "领域", "title": "标准目录名称", "source": "来源", "items": "公开事项"}
SOURCE_FIELDS = {
    "document": "文件名称", "number": "文号", "date": "印发日期", "rows": "原表行数（未能核对时写 null）",
    "rows_seen": "已转录的行数（原表行数未能核对时）", "rows_note": "行数说明", "searched": "为补全检索过的范围",
    "copies": "转录所据的副本",
}
COPY_FIELDS = {"key": "副本代号", "title": "副本名称", "url": "副本地址", "rows_seen": "该副本显示的行"}
ITEM_FIELDS = {
    "id": "事项标识", "row": "原表序号", "level1": "一级事项", "level2": "二级事项", "content": "公开内容（要素）",
    "basis": "公开依据", "deadline": "公开时限", "subject": "公开主体", "channels": "公开渠道和载体",
    "audience": "公开对象", "mode": "公开方式", "level": "公开层级", "read_from": "转录所据的副本",
    "unseen": "副本未显示、按类推填写的字段", "note": "转录说明",
}
CELL_FIELDS = ("content", "basis", "deadline", "subject", "channels", "audience", "mode", "level")
ID_RE = re.compile(r"^[a-z]+-\d{2}$")
# what a standard writes as 公开主体 for the bureau at the level it names, replaced by the bureau's own name
LOCAL_SUBJECTS = ("县级人民政府民政部门", "县级政府民政部门", "县级民政部门")


@dataclass(frozen=True)
class Copy:
    key: str
    title: str
    url: str
    rows_seen: str


@dataclass
class StandardItem:
    """One row of a national 标准目录."""

    id: str
    row: int | None  # 原表序号; None: a row of a partial transcription whose place in the table was not seen
    level1: str  # 一级事项
    level2: str  # 二级事项
    content: str
    basis: str
    deadline: str  # 公开时限 as written
    schedule: Schedule
    subject: str
    channels: list[str]
    audience: str
    mode: str
    level: list[str]
    read_from: list[str] = field(default_factory=list)
    unseen: list[str] = field(default_factory=list)
    note: str = ""
    line: int | None = None

    @property
    def title(self) -> str:
        return f"{self.level1} / {self.level2}"


@dataclass
class Standard:
    domain: str  # 领域, e.g. 社会救助
    title: str
    document: str
    number: str  # 文号
    date: dt.date | None
    rows: int | None  # rows of the original table; None: could not be confirmed (a partial transcription)
    rows_seen: int | None
    rows_note: str
    copies: list[Copy]
    items: list[StandardItem]
    file: str

    @property
    def complete(self) -> bool:
        return self.rows is not None and self.rows == len(self.items)

    def item(self, item_id: str) -> StandardItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    @property
    def reference(self) -> str:
        return f"{self.title}（{self.number}）"


def partial_advice(std: Standard) -> str:
    """What a bureau's clerk reads about a standard gongkai ships only in part: what is missing, what the coverage
    figure therefore means, and what to do. (`rows_note` says how the rows were transcribed, for maintainers.)"""
    n = len(std.items)
    return (f"gongkai 随附的这份标准目录不完整：只收录了原表的 {n} 项，原表共有多少项未能核对，覆盖率只按这 {n} 项计算，"
            f"原表其余的事项没有检查。请对照原件《{std.document}》（{std.number}）所附的标准目录，把未收录的事项也建成栏目"
            "（写进 catalog/columns.yml，不写 implements），并自行核对是否落实")


def partial_domains(domains: list[str]) -> list[str]:
    """The 领域 among `domains` whose standard gongkai ships only in part (rows of the original table missing)."""
    out = []
    for domain in domains:
        std = load_standard(domain, Problems())
        if std is not None and not std.complete:
            out.append(domain)
    return out


PARTIAL_HINT = "的标准目录 gongkai 只收录了一部分，原表其余的事项请对照原件补充栏目，见 columns.yml 中该领域上方的注释"


def available() -> list[str]:
    """The 领域 gongkai ships a standard for."""
    return list(FILES)


def load_standard(domain: str, problems: Problems) -> Standard | None:
    """The shipped standard of a 领域 (None, with a problem, when gongkai has none or its file is broken)."""
    name = FILES.get(domain)
    if name is None:
        problems.error("", None, None, f"没有「{domain}」领域的标准目录，可选：{'、'.join(FILES)}")
        return None
    return read_standard(HERE / name, problems, f"gongkai/standards/{name}")


def read_standard(path: Path, problems: Problems, name: str | None = None) -> Standard | None:
    """Read and validate one standard file; every problem names the file, line and field."""
    name = name or path.name
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as exc:
        problems.error(name, exc.line, None, exc.message)
        return None
    except OSError as exc:  # an installation without the package's data files
        problems.error(name, None, None, f"无法读取标准目录文件：{exc.strerror or exc}")
        return None
    before = len(problems.errors)
    top = Fields(problems, name, data, TOP_FIELDS, "标准目录")
    if not top.ok:
        return None
    domain = top.str("domain", required=True)
    title = top.str("title", required=True)
    src = Fields(problems, name, top.raw("source") if top.has("source") else {}, SOURCE_FIELDS, "来源（source）")
    if not top.has("source"):
        top.err("source", "缺少必填字段「source」：写明文件名称、文号、印发日期和原表行数")
    rows = _optional_int(src, "rows")
    rows_seen = _optional_int(src, "rows_seen")
    if src.ok and top.has("source") and not src.has("rows") and "rows" not in src.node:
        src.err("rows", "缺少「rows」：写原表行数；未能核对时写 rows: null 并写 rows_seen 和 rows_note")
    if rows is None and rows_seen is None and top.has("source"):
        src.err("rows", "原表行数未能核对（rows: null）时须写 rows_seen（已转录的行数）和 rows_note（原因）")
    copies = []
    for c in src.records("copies", COPY_FIELDS, "副本", "每项写 key、title、url、rows_seen") if src.ok else []:
        copies.append(Copy(c.str("key", required=True), c.str("title", required=True), c.str("url", required=True),
                           c.str("rows_seen")))
    keys = {c.key for c in copies}
    items: list[StandardItem] = []
    for f in top.records("items", ITEM_FIELDS, "公开事项", "每项写 id、row、level1、level2、content 等"):
        item = _read_item(f, keys, partial=rows is None)
        if item is None:
            continue
        clash = next((i for i in items if i.id == item.id), None)
        if clash is not None:
            f.err("id", f"事项标识「{item.id}」重复：第 {clash.line} 行已使用")
        elif item.row is not None and (numbered := [i.row for i in items if i.row is not None]) \
                and item.row != numbered[-1] + 1:
            f.err("row", f"原表序号应接着上一行（{numbered[-1]}）写 {numbered[-1] + 1}，实际是 {item.row}")
        items.append(item)
    if rows is not None and len(items) != rows:
        src.err("rows", f"原表有 {rows} 行，文件中有 {len(items)} 项公开事项：请补全或核对行数")
    if rows is None and rows_seen is not None and len(items) != rows_seen:
        src.err("rows_seen", f"已转录 {rows_seen} 行，文件中有 {len(items)} 项公开事项")
    if len(problems.errors) > before:
        return None
    return Standard(domain, title, src.str("document", required=True), src.str("number", required=True),
                    src.date("date", required=True), rows, rows_seen, src.str("rows_note"), copies, items, name)


def _optional_int(f: Fields, key: str) -> int | None:
    if not f.ok or not f.has(key):
        return None
    value = f.raw(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        f.err(key, f"应为正整数，实际是{type_name(value)}「{value}」")
        return None
    return value


def _read_item(f: Fields, copies: set[str], partial: bool) -> StandardItem | None:
    """partial: the standard's row count could not be confirmed, so a row may leave its 原表序号 out."""
    item_id = f.str("id", required=True)
    if item_id and not ID_RE.match(item_id):
        f.err("id", f"事项标识「{item_id}」无效：写领域缩写加两位序号，如 shjz-01")
    row = f.raw("row")
    if row is None and partial:
        pass  # a row seen in a copy that did not show its place in the original table
    elif isinstance(row, bool) or not isinstance(row, int) or row < 1:
        f.err("row", f"原表序号应为正整数，实际是{type_name(row)}" + ("" if partial else "（原表行数已核对的标准每行都要写）"))
        row = None
    deadline = f.str("deadline", required=True)
    schedule = parse_schedule(deadline)
    if deadline and not schedule.known:
        f.err("deadline", f"公开时限「{deadline}」无法识别出期限")
    channels: list[str] = []
    for written in f.str_list("channels", required=True):
        channel = CHANNEL_SYNONYMS.get(written, written)
        if channel not in CHANNELS:
            f.err("channels", f"公开渠道和载体「{written}」不是规定的渠道，可选：{'、'.join(CHANNELS)}")
        elif channel not in channels:
            channels.append(channel)
    read_from = f.str_list("read_from")
    for key in read_from:
        if key not in copies:
            f.err("read_from", f"副本「{key}」不在 source.copies 中")
    unseen = f.str_list("unseen")
    for key in unseen:
        if key not in CELL_FIELDS:
            f.err("unseen", f"「{key}」不是表格的单元格字段，可写：{'、'.join(CELL_FIELDS)}")
    if unseen and not f.str("note"):
        f.err("note", "列出了 unseen（副本未显示的字段）时须写 note，说明按哪一行类推")
    if not read_from and set(unseen) != set(CELL_FIELDS):
        f.err("read_from", "没有写取自哪份副本（read_from）：没有副本显示的行，须在 unseen 中列出全部单元格字段")
    audience = f.choice("audience", AUDIENCES)
    mode = f.choice("mode", MODES)
    for key, value in (("audience", audience), ("mode", mode)):
        if not value and not f.has(key):  # a value outside the choices was reported by choice()
            f.err(key, f"公开事项缺少必填字段「{key}」", f.start_line)
    return StandardItem(
        id=item_id, row=row, level1=f.str("level1", required=True), level2=f.str("level2", required=True),
        content=f.str("content", required=True), basis=f.str("basis", required=True), deadline=deadline,
        schedule=schedule, subject=f.str("subject", required=True), channels=channels, audience=audience, mode=mode,
        level=f.str_list("level", required=True), read_from=read_from, unseen=unseen, note=f.str("note"),
        line=f.start_line,
    )


def item_labels(standards: list[Standard]) -> dict[str, str]:
    """Item id -> 「社会救助：最低生活保障 / 政策法规文件」: how the 标准目录 page and its downloads name an item."""
    return {item.id: f"{std.domain}：{item.title}" for std in standards for item in std.items}


def local_subject(item: StandardItem, bureau: str) -> str:
    """The item's 公开主体 for a bureau: the standard's 「县级人民政府民政部门」 becomes the bureau's name."""
    out = item.subject
    for generic in LOCAL_SUBJECTS:
        out = out.replace(generic, bureau)
    return out
