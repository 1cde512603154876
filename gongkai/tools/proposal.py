"""The 栏目调整方案: what a proposed change of the standard catalogue does, in the form an approval needs.

A change of the 标准目录 is approved before it goes live (the office drafts a 栏目调整方案, the 政务公开 leader
signs it). `gongkai diff OLD [NEW] --format html` prints this report: every changed column with its old and new
path and URL, how many documents each change affects and what becomes of them, which old addresses will
redirect and where, the reason the editor gave (catalog/changes.yml), and the rules the change would break.
`gongkai preview OLD` builds the proposed site with the same marks (gongkai/mkdocs/plugin.py).

A side (OLD or NEW) is a site folder, a columns.yml file, or a git revision. Beside the catalogue each side
supplies its URL record (catalog/urls.lock.yml) and, for the document counts, the documents of the OLD side
(content/documents/, from the same revision): a proposal is judged against the documents as they stood.
Unlike the text diff, the NEW side may break the catalogue's rules (a fourth level): the report lists them
instead of stopping, so that a leader sees them before anyone approves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import tempfile
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup, escape

from gongkai.errors import GongkaiError, Problem, Problems
from gongkai.load.columns import column_index, load_columns
from gongkai.load.fields import Fields, type_name
from gongkai.load.renames import aliases
from gongkai.load.sources import read_yaml_file
from gongkai.load.urlrecord import LOCK_REL, load_record
from gongkai.load.yamlsrc import Seq
from gongkai.model import Column, ColumnKind, RecordedUrl
from gongkai.tools.diff import COLUMNS_REL, CatalogueDiff, ColumnRef, compare, section_note

CHANGES_REL = "catalog/changes.yml"
DOCUMENTS_REL = "content/documents"
SITE_REL = "catalog/site.yml"

# change kinds of the comparison -> the type column of the table, in this order
TYPE_LABELS: dict[str, str] = {
    "renamed": "改名",
    "moved": "移动",
    "url": "地址变化",
    "frequency": "更新频率",
    "office": "负责科室",
    "kind": "栏目类型",
}
ADDED, REMOVED, MERGED, SPLIT = "新增", "撤销", "合并", "拆分"

# the first-level columns every 政府信息公开专栏 has (国办公开办函〔2019〕61号 and local 标准目录 practice)
REQUIRED_FIRST_LEVEL: list[tuple[str, str]] = [
    ("政府信息公开指南", "guide"),
    ("政府信息公开制度", "制度"),
    ("法定主动公开内容", "法定主动公开"),
    ("政府信息公开年报", "reports"),
]


# --- one side: a folder, a file, or a git revision -------------------------------------------------------


@dataclass
class Side:
    """Where one version of the catalogue comes from; reads the files of that version."""

    spec: str
    label: str
    root: Path | None = None  # a site folder on disk
    rev: str | None = None  # a git revision of `repo`
    repo: Path | None = None
    columns_file: Path | None = None  # a bare columns.yml outside a site folder

    def read(self, rel: str) -> str | None:
        """A file of this version as text (None: it has none)."""
        if self.columns_file is not None and rel == COLUMNS_REL:
            return self.columns_file.read_text(encoding="utf-8")
        if self.rev is not None:
            assert self.repo is not None
            r = subprocess.run(["git", "show", f"{self.rev}:./{rel}"], cwd=self.repo, capture_output=True, timeout=60)
            return r.stdout.decode("utf-8", "replace") if r.returncode == 0 else None
        if self.root is not None and (self.root / rel).is_file():
            return (self.root / rel).read_text(encoding="utf-8", errors="replace")
        return None

    def file_label(self, rel: str) -> str:
        """How messages name a file of this version: HEAD~1:catalog/changes.yml, site-b/catalog/urls.lock.yml …"""
        if self.rev is not None:
            return f"{self.rev}:{rel}"
        if self.columns_file is not None:
            return self.spec if rel == COLUMNS_REL else rel
        if self.spec.endswith(COLUMNS_REL):
            return self.spec[: -len(COLUMNS_REL)] + rel
        return f"{self.spec.rstrip('/')}/{rel}" if self.spec not in ("", ".") else rel

    def documents(self) -> Iterator[tuple[str, str]]:
        """(path, text) of every document of this version (content/documents/**/*.md)."""
        if self.rev is not None:
            assert self.repo is not None
            listing = subprocess.run(["git", "ls-tree", "-r", "-z", "--name-only", self.rev, "--", f"./{DOCUMENTS_REL}"],
                                     cwd=self.repo, capture_output=True, timeout=120)
            names = [n for n in listing.stdout.decode("utf-8", "replace").split("\0") if n.endswith(".md")]
            if not names:
                return
            # one git process for every file: `cat-file --batch` answers "<sha> blob <size>\n<bytes>\n" per line asked
            top = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=self.repo, capture_output=True, text=True)
            prefix = top.stdout.strip()
            asked = "".join(f"{self.rev}:{n}\n" for n in names).encode("utf-8")
            out = subprocess.run(["git", "cat-file", "--batch"], cwd=self.repo, input=asked, capture_output=True,
                                 timeout=600).stdout
            pos = 0
            for name in names:
                end = out.index(b"\n", pos)
                head = out[pos:end].split()
                pos = end + 1
                if len(head) < 3 or head[1] != b"blob":
                    continue
                size = int(head[2])
                yield name.removeprefix(prefix), out[pos:pos + size].decode("utf-8", "replace")
                pos += size + 1
            return
        root = self.root
        if root is None or not (root / DOCUMENTS_REL).is_dir():
            return
        for dirpath, _dirs, files in os.walk(root / DOCUMENTS_REL):
            for name in sorted(files):
                if name.endswith(".md"):
                    full = Path(dirpath) / name
                    yield full.relative_to(root).as_posix(), full.read_text(encoding="utf-8", errors="replace")


def open_side(spec: str, repo: Path) -> Side:
    """A folder holding catalog/columns.yml, a columns.yml file, or a git revision (as `gongkai diff` reads them)."""
    path = Path(spec)
    if not path.is_absolute():
        path = repo / path
    if path.is_dir() and (path / COLUMNS_REL).is_file():
        return Side(spec, spec, root=path)
    if path.is_file():
        site = path.parent.parent
        if path.resolve() == (site / COLUMNS_REL).resolve():  # catalog/columns.yml of a site folder
            return Side(spec, spec, root=site)
        return Side(spec, spec, root=repo, columns_file=path)
    check = subprocess.run(["git", "rev-parse", "--verify", "-q", f"{spec}^{{commit}}"], cwd=repo, capture_output=True)
    if check.returncode != 0:
        raise GongkaiError([Problem(spec, None, None, "既不是已有的文件，也不是 git 版本")])
    return Side(spec, f"{spec}:{COLUMNS_REL}", rev=spec, repo=repo)


@dataclass
class Loaded:
    side: Side
    roots: list[Column]
    record: list[RecordedUrl] | None
    problems: list[Problem]  # of columns.yml and urls.lock.yml, naming the side's label as the file


def load_side(side: Side) -> Loaded:
    """The side's catalogue and URL record through the real loaders; problems are returned, not raised."""
    columns = side.read(COLUMNS_REL)
    lock = side.read(LOCK_REL)
    if columns is None:
        raise GongkaiError([Problem(side.label, None, None, "找不到标准目录 catalog/columns.yml")])
    with tempfile.TemporaryDirectory(prefix="gongkai-proposal-") as tmp:
        (Path(tmp) / "catalog").mkdir()
        (Path(tmp) / COLUMNS_REL).write_text(columns, encoding="utf-8")
        if lock is not None:
            (Path(tmp) / LOCK_REL).write_text(lock, encoding="utf-8")
        problems = Problems()
        roots = load_columns(Path(tmp), problems)
        record = load_record(Path(tmp), problems)
    relabel = {COLUMNS_REL: side.file_label(COLUMNS_REL), LOCK_REL: side.file_label(LOCK_REL)}
    return Loaded(side, roots, record, [dataclasses.replace(p, file=relabel.get(p.file, p.file)) for p in problems.items])


# --- catalog/changes.yml: the reasons --------------------------------------------------------------------


@dataclass
class Reason:
    column: str  # as written: id or path, of the old or the new catalogue
    text: str
    into: list[str]
    line: int | None
    old: Column | None = None  # what `column` names
    new: Column | None = None
    targets: list[Column] = field(default_factory=list)  # what `into` names (new catalogue)


@dataclass
class Reasons:
    title: str = ""
    items: list[Reason] = field(default_factory=list)
    file: str = CHANGES_REL


CHANGES_FIELDS = {"title": "方案名称", "changes": "调整事项"}
CHANGE_FIELDS = {"column": "栏目（标识或路径）", "reason": "调整理由", "into": "文件移入的栏目（拆分、合并）"}


def load_reasons(text: str | None, label: str, old_roots: list[Column], new_roots: list[Column],
                 diff: CatalogueDiff, problems: Problems) -> Reasons:
    """Read catalog/changes.yml (optional) and check every entry names a changed column; problems name file and line."""
    out = Reasons(file=label)
    if text is None:
        return out
    with tempfile.TemporaryDirectory(prefix="gongkai-changes-") as tmp:
        path = Path(tmp) / CHANGES_REL
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        local = Problems()
        data = read_yaml_file(Path(tmp), path, local)
    for p in local.items:
        problems.items.append(dataclasses.replace(p, file=label))
    if data is None:
        return out
    top = Fields(problems, label, data, CHANGES_FIELDS, "栏目调整方案")
    if not top.ok:
        return out
    out.title = top.str("title")
    items = top.records("changes", CHANGE_FIELDS, "调整事项", "每项写 column 和 reason", numbered=True)
    old_index, new_index = column_index(old_roots), column_index(new_roots)
    changed_old = {r.path for r in diff.removed} | {c.old.path for c in diff.changed}
    changed_new = {r.path for r in diff.added} | {c.new.path for c in diff.changed}
    removed = {r.path for r in diff.removed}
    seen: dict[str, int | None] = {}
    for f in items:
        ref = f.str("column", required=True).strip("/")
        reason = Reason(ref, f.str("reason", required=True), [], f.start_line)
        into_raw = f.raw("into")
        if isinstance(into_raw, str):
            into_raw = [into_raw]
        if into_raw is not None and not isinstance(into_raw, list):
            f.err("into", f"应为栏目标识的列表，实际是{type_name(into_raw)}")
            into_raw = None
        for k, t in enumerate(into_raw or []):
            line = into_raw.line_of(k) if isinstance(into_raw, Seq) else f.line("into")
            name = str(t).strip("/")
            found = new_index.get(name, [])
            if len(found) != 1:
                problems.error(label, line, "into", f"「{name}」在调整后的标准目录中" + ("不唯一，请写完整路径" if found else "不存在"))
            elif found[0].kind.holds_documents:
                reason.targets.append(found[0])
                reason.into.append(name)
            else:
                problems.error(label, line, "into", f"栏目「{found[0].name}」的类型是 {found[0].kind.value}（{found[0].kind.label}），不能放文件")
        if not ref:
            continue
        olds = [c for c in old_index.get(ref, []) if c.path in changed_old]
        news = [c for c in new_index.get(ref, []) if c.path in changed_new]
        if len(olds) > 1 or len(news) > 1:
            f.err("column", f"栏目标识「{ref}」不唯一，请写完整路径")
            continue
        if not olds and not news:
            known = old_index.get(ref) or new_index.get(ref)
            f.err("column", f"栏目「{known[0].name}」在这次调整中没有变化，不需要填写理由" if known
                  else f"栏目「{ref}」在调整前后的标准目录中都不存在")
            continue
        reason.old = olds[0] if olds else None
        reason.new = news[0] if news else None
        # a column split in place (文件列表 → 栏目分组 with new children) loses its documents just as a removed one
        emptied = (reason.old is not None and reason.new is not None and reason.old.kind.holds_documents
                   and not reason.new.kind.holds_documents)
        if reason.into and (reason.old is None or (reason.old.path not in removed and not emptied)):
            f.err("into", "只有撤销的栏目、或改为不能放文件的类型（如栏目分组）的栏目需要写 into（它的文件移入哪些栏目）")
            reason.into, reason.targets = [], []
        key = reason.old.path if reason.old else f"+{reason.new.path if reason.new else ref}"
        if key in seen:
            f.err("column", f"栏目「{ref}」已在第 {seen[key]} 行写过调整理由")
            continue
        seen[key] = f.start_line
        out.items.append(reason)
    return out


# --- the report --------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table: one column and everything that changes about it."""

    types: list[str]
    old: ColumnRef | None
    new: ColumnRef | None
    into: list[ColumnRef] = field(default_factory=list)  # 拆分/合并: where its documents go
    details: list[str] = field(default_factory=list)  # 每月更新 → 每季度更新 …
    documents: int = 0  # documents in the column before the change
    orphaned: int = 0  # of those, left in no column at all afterwards
    effect: str = ""  # what becomes of its documents, in words
    reason: str = ""
    reason_at: str = ""  # changes.yml:LINE

    @property
    def type(self) -> str:
        return "、".join(self.types)

    @property
    def key(self) -> str:
        return self.new.path if self.new is not None else self.old.path if self.old is not None else ""


@dataclass
class Address:
    """An address of the old catalogue that is no column's address in the new one."""

    url: str
    name: str
    action: str  # 跳转 / 显示“本栏目已撤销” / 失效
    target: ColumnRef | None = None


@dataclass
class RuleBreak:
    rule: str  # 文件无去处 / 超过三级 / 缺少一级栏目 / 地址失效 / 目录有误
    message: str
    where: str = ""


@dataclass
class Proposal:
    site_name: str
    date: dt.date
    title: str
    old_label: str
    new_label: str
    diff: CatalogueDiff
    rows: list[Row]
    addresses: list[Address]
    breaks: list[RuleBreak]
    old_roots: list[Column]
    new_roots: list[Column]
    documents_from: str  # where the documents were counted
    documents_total: int
    reasons_file: str

    @property
    def empty(self) -> bool:
        return not self.rows

    def marks(self) -> dict[str, list[str]]:
        """New column path -> the types to mark it with (preview build, 标准目录 page, the tree)."""
        return {r.new.path: r.types for r in self.rows if r.new is not None}

    def moved_refs(self) -> dict[str, str]:
        """A removed column's id and path -> the path of the first column its documents go to (`into`): how a
        preview places documents that still name it (gongkai.load.loader.load_catalogue `moved`)."""
        out: dict[str, str] = {}
        for r in self.rows:
            if r.old is not None and r.into:
                out[r.old.path] = r.into[0].path
                out.setdefault(r.old.id, r.into[0].path)
        return out

    def old_marks(self) -> dict[str, list[str]]:
        return {r.old.path: r.types for r in self.rows if r.old is not None}

    def gone_paths(self) -> set[str]:
        """Old columns with no counterpart in the new catalogue (撤销, 合并, 拆分 into other columns)."""
        return {r.old.path for r in self.rows if r.old is not None and r.new is None}


def _front_matter_columns(text: str) -> list[str]:
    """The `columns:` of a document's front matter (a document that cannot be read counts in no column: the build
    reports it, this report only counts)."""
    if not text.startswith("---"):
        return []
    end = text.find("\n---", 3)
    if end < 0:
        return []
    try:
        data = yaml.load(text[3:end], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return []
    refs = data.get("columns") if isinstance(data, dict) else None
    if isinstance(refs, str):
        refs = [refs]
    return [str(r).strip("/") for r in refs] if isinstance(refs, list) else []


def _resolve(ref: str, index: dict[str, list[Column]], alias: dict[str, Column]) -> Column | None:
    found = index.get(ref, [])
    if len(found) == 1:
        return found[0]
    return alias.get(ref) if not found else None


def _site_name(side: Side) -> str:
    text = side.read(SITE_REL)
    if text:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            return data["name"]
    return ""


def _where(col: Column | None, label: str) -> str:
    if col is None:
        return label
    return f"{label}:{col.source.line}" if col.source.line else label


def build_proposal(old_spec: str, new_spec: str, repo: Path, today: dt.date) -> Proposal:
    """Everything the 栏目调整方案 shows. Raises GongkaiError when OLD cannot be read or changes.yml is wrong;
    problems of the NEW catalogue are reported as rule breaks instead."""
    old = load_side(open_side(old_spec, repo))
    new = load_side(open_side(new_spec, repo))
    old_errors = [p for p in old.problems if p.level == "error"]
    if old_errors:
        raise GongkaiError(old_errors)
    diff = compare(old.roots, new.roots, old.side.label, new.side.label)
    problems = Problems()
    reasons_label = new.side.file_label(CHANGES_REL)
    reasons = load_reasons(new.side.read(CHANGES_REL), reasons_label, old.roots, new.roots, diff, problems)
    if problems.errors:
        raise GongkaiError(problems.items)

    # documents, as they stood in the old version
    docs_side = old.side if old.side.columns_file is None else Side(".", ".", root=repo)
    old_index, new_index = column_index(old.roots), column_index(new.roots)
    new_alias = aliases(new.record, new.roots)
    by_old: dict[str, list[list[str]]] = {}  # old column path -> each document's references
    total = 0
    for _path, text in docs_side.documents():
        refs = _front_matter_columns(text)
        if not refs:
            continue
        total += 1
        for ref in refs:
            col = _resolve(ref, old_index, {})
            if col is not None:
                by_old.setdefault(col.path, []).append(refs)
    into_of = {r.old.path: r for r in reasons.items if r.old is not None and r.into}

    def still_placed(refs: list[str]) -> bool:
        return any(_resolve(ref, new_index, new_alias) is not None for ref in refs)

    rows: list[Row] = []
    for r in diff.removed:
        docs = by_old.get(r.path, [])
        plan = into_of.get(r.path)
        row = Row([REMOVED], r, None, documents=len(docs))
        for a, b in diff.rename_hints:  # a column without an id renamed: its address followed the name
            if a.path == r.path:
                row.details.append(f"可能是改名为「{b.name}」（没有写 id，地址随名称改变）：若是，请给它写 id: {a.id}，"
                                   f"或运行 gongkai lock --rename {a.id}={b.id}")
        if plan is not None:
            row.types = [SPLIT if len(plan.targets) > 1 else MERGED]
            row.into = [ColumnRef.of(t) for t in plan.targets]
            names = "、".join(t.name for t in plan.targets)
            row.effect = f"{len(docs)} 件文件移入「{names}」（需改写文件的所属栏目）" if docs else f"文件移入「{names}」"
        else:
            row.orphaned = sum(1 for refs in docs if not still_placed(refs))
            row.effect = (f"{row.orphaned} 件文件不再属于任何栏目" if row.orphaned else
                          "文件仍在其他栏目中" if docs else "没有文件")
        rows.append(row)
    receives: dict[str, list[str]] = {}  # new column path -> names of the removed columns whose documents it takes
    for plan in into_of.values():
        for t in plan.targets:
            receives.setdefault(t.path, []).append(plan.old.name if plan.old else plan.column)
    for a in diff.added:
        takes = receives.get(a.path)
        rows.append(Row([ADDED], None, a, effect=f"接收「{'、'.join(takes)}」的文件" if takes else "新栏目"))
    for c in diff.changed:
        # a moved column's address changes with it: 地址变化 alone means its parent moved
        types = [TYPE_LABELS[w] for w in c.what if not (w == "url" and ("moved" in c.what or "renamed" in c.what))]
        details = []
        if "renamed" in c.what:
            details.append(f"名称：{c.old.name} → {c.new.name}")
        if "moved" in c.what:
            details.append(f"上级：{c.old.trail.rsplit(' / ', 1)[0] if ' / ' in c.old.trail else '（一级）'} → "
                           f"{c.new.trail.rsplit(' / ', 1)[0] if ' / ' in c.new.trail else '（一级）'}")
        if "url" in c.what and "moved" not in c.what and "renamed" not in c.what:
            details.append("随上级栏目移动")
        if "frequency" in c.what:
            details.append(f"更新频率：{c.old.frequency or '（空）'} → {c.new.frequency or '（空）'}")
        if "office" in c.what:
            details.append(f"负责科室：{c.old.office or '（空）'} → {c.new.office or '（空）'}")
        if "kind" in c.what:
            note = section_note(c.old, c.new)
            details.append(f"栏目类型：{ColumnKind(c.old.kind).label} → {ColumnKind(c.new.kind).label}" + (f"；{note}" if note else ""))
        docs = by_old.get(c.old.path, [])
        row = Row(types, c.old, c.new, details=details, documents=len(docs))
        plan = into_of.get(c.old.path)
        if "kind" in c.what and not ColumnKind(c.new.kind).holds_documents and plan is not None:
            row.types = [SPLIT if len(plan.targets) > 1 else MERGED, *row.types]
            row.into = [ColumnRef.of(t) for t in plan.targets]
            names = "、".join(t.name for t in plan.targets)
            row.effect = f"{len(docs)} 件文件移入「{names}」（需改写文件的所属栏目）" if docs else f"文件移入「{names}」"
        elif "kind" in c.what and not ColumnKind(c.new.kind).holds_documents and docs:
            row.orphaned = len(docs)
            row.effect = f"新类型不能放文件：{len(docs)} 件文件没有去处"
        elif not docs:
            row.effect = "没有文件"
        elif "url" in c.what:
            row.effect = f"{len(docs)} 件文件随栏目迁移"
        else:
            row.effect = f"{len(docs)} 件文件不受影响"
        rows.append(row)
    # order: as the new tree reads, removed columns where they stood in the old one
    order_new = {col.path: i for i, col in enumerate(c for root in new.roots for c in root.walk())}
    order_old = {col.path: i for i, col in enumerate(c for root in old.roots for c in root.walk())}
    rows.sort(key=lambda r: (order_new.get(r.new.path, 0) if r.new else order_old.get(r.old.path, 0) if r.old else 0,
                             0 if r.new else 1))
    # reasons
    for reason in reasons.items:
        for row in rows:
            if (reason.old is not None and row.old is not None and row.old.path == reason.old.path) or \
                    (reason.old is None and reason.new is not None and row.new is not None and row.new.path == reason.new.path):
                row.reason = reason.text
                row.reason_at = f"{reasons_label}:{reason.line}" if reason.line else reasons_label
                break

    # old addresses
    new_live = {c.href for root in new.roots for c in root.walk()}
    recorded = {e.url: e for e in (new.record or [])}
    addresses: list[Address] = []
    breaks: list[RuleBreak] = []
    for col in (c for root in old.roots for c in root.walk()):
        if col.href in new_live:
            continue
        entry = recorded.get(col.href)
        if entry is None:
            addresses.append(Address(col.href, col.name, "失效"))
            breaks.append(RuleBreak("地址失效", f"「{col.trail_text()}」的地址 {col.href} 没有记录在地址记录 {LOCK_REL} 中，"
                                    "调整后将无法访问：请在调整前运行 gongkai lock 并提交", _where(col, old.side.file_label(COLUMNS_REL))))
            continue
        targets = new_index.get(entry.column, [])
        if len(targets) == 1:
            addresses.append(Address(col.href, col.name, "跳转", ColumnRef.of(targets[0])))
        else:
            plan = into_of.get(col.path)
            hint = ""
            if plan is not None and len(plan.targets) == 1:
                hint = f"；如需跳转到「{plan.targets[0].name}」，运行 gongkai lock --rename {entry.column}={plan.targets[0].id}"
            addresses.append(Address(col.href, col.name, "显示“本栏目已撤销”" + hint))

    # rules
    for row in rows:
        if row.orphaned and row.old is not None:
            breaks.append(RuleBreak("文件无去处", f"栏目「{row.old.trail}」{'撤销' if row.new is None else '改为' + ColumnKind(row.new.kind).label}"
                                    f"后，{row.orphaned} 件文件不再属于任何栏目：请在 {CHANGES_REL} 中用 into 写明移入的栏目，"
                                    "并改写这些文件的 columns", _where(_find(old.roots, row.old.path), old.side.file_label(COLUMNS_REL))))
    for p in new.problems:
        if p.level != "error":
            continue
        rule = "超过三级" if "最多三级" in p.message else "目录有误"
        breaks.append(RuleBreak(rule, p.message, f"{p.file}:{p.line}" if p.line else p.file))
    for name, test in REQUIRED_FIRST_LEVEL:
        if not _has_first_level(new.roots, test):
            before = "" if _has_first_level(old.roots, test) else "（调整前也没有）"
            breaks.append(RuleBreak("缺少一级栏目", f"调整后的标准目录没有一级栏目「{name}」{before}", new.side.file_label(COLUMNS_REL)))
    return Proposal(
        site_name=_site_name(new.side) or _site_name(old.side), date=today, title=reasons.title or "栏目调整方案",
        old_label=old.side.label, new_label=new.side.label, diff=diff, rows=rows, addresses=addresses,
        breaks=breaks, old_roots=old.roots, new_roots=new.roots,
        documents_from=(f"{docs_side.spec} 版本的 {DOCUMENTS_REL}/" if docs_side.rev else f"{DOCUMENTS_REL}/"),
        documents_total=total, reasons_file=reasons_label if reasons.items or reasons.title else "",
    )


def _find(roots: list[Column], path: str) -> Column | None:
    return next((c for root in roots for c in root.walk() if c.path == path), None)


def _has_first_level(roots: list[Column], test: str) -> bool:
    """A required first-level column: by kind (guide, reports) or by a word of its name (制度, 法定主动公开)."""
    for col in roots:
        if test == "guide" and (col.kind is ColumnKind.GUIDE or "公开指南" in col.name):
            return True
        if test == "reports" and (col.kind is ColumnKind.REPORTS or "年报" in col.name or "年度报告" in col.name):
            return True
        if test not in ("guide", "reports") and test in col.name:
            return True
    return False


# --- HTML ---------------------------------------------------------------------------------------------------


def _tree_html(roots: list[Column], marks: dict[str, list[str]], gone: Container[str]) -> Markup:
    """A nested list of the catalogue; changed columns carry text markers (and a colour), the `gone` paths (old
    tree: removed columns) are struck through. Not every 拆分 is gone: a column split in place stays as a group."""
    def item(col: Column) -> str:
        types = marks.get(col.path, [])
        tags = "".join(f'<span class="tag t-{escape(t)}">【{escape(t)}】</span>' for t in types)
        name = f'<span class="gone">{escape(col.name)}</span>' if col.path in gone else escape(col.name)
        kids = f"<ul>{''.join(item(c) for c in col.children)}</ul>" if col.children else ""
        return f'<li data-path="{escape(col.path)}">{tags}{name}{kids}</li>'

    return Markup(f"<ul>{''.join(item(c) for c in roots)}</ul>")


def format_html(p: Proposal) -> str:
    """The 栏目调整方案 as one self-contained HTML page (prints on A4 landscape)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    counts: dict[str, int] = {}
    for r in p.rows:
        for t in r.types:
            counts[t] = counts.get(t, 0) + 1
    return env.get_template("proposal.html").render(
        p=p, counts=list(counts.items()), tree=_tree_html, old_marks=p.old_marks(), new_marks=p.marks())


def format_text(p: Proposal) -> str:
    """The rule breaks, for the terminal (the text diff lists the changes)."""
    if not p.breaks:
        return "规则检查：未发现不符合规则的调整。\n"
    lines = [f"规则检查：发现 {len(p.breaks)} 个问题："]
    lines += [f"  {b.where}: {b.rule}：{b.message}" for b in p.breaks]
    return "\n".join(lines) + "\n"


__all__ = ["Proposal", "Row", "Address", "RuleBreak", "build_proposal", "load_reasons", "format_html", "format_text", "CHANGES_REL"]
