"""Compare two versions of the standard catalogue (catalog/columns.yml): what an editor's change does to the site.

Each side is a path to a columns.yml (or a site folder), or a git revision whose catalog/columns.yml is read
with `git show`. Columns are matched first by unchanged path, then by id (when the id is unique on both sides).
"""

from __future__ import annotations

import dataclasses
import difflib
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.errors import GongkaiError, Problem, Problems
from gongkai.load.columns import load_columns
from gongkai.load.sources import not_utf8
from gongkai.model import Column, ColumnKind

COLUMNS_REL = "catalog/columns.yml"


# --- reading one side -----------------------------------------------------------------------------


def read_side(spec: str, repo: Path) -> tuple[str, list[Column]]:
    """Load the catalogue tree named by spec; returns (label, roots). Raises GongkaiError with Chinese messages."""
    path = Path(spec)
    if not path.is_absolute():
        path = repo / path
    if path.is_dir() and (path / COLUMNS_REL).is_file():
        path = path / COLUMNS_REL
    if path.is_file():
        return spec, _load_text(path.read_text(encoding="utf-8"), spec)
    text = _git_show(spec, repo)
    return f"{spec}:{COLUMNS_REL}", _load_text(text, f"{spec}:{COLUMNS_REL}")


def _git_show(rev: str, repo: Path) -> str:
    try:
        # "./" makes the path relative to the site folder, which may sit below the repository's top
        result = subprocess.run(["git", "show", f"{rev}:./{COLUMNS_REL}"], cwd=repo, capture_output=True, timeout=60)
    except FileNotFoundError:
        raise GongkaiError([Problem(rev, None, None, "既不是文件，也无法作为 git 版本读取：找不到 git 命令")]) from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GongkaiError([Problem(rev, None, None, f"既不是已有的文件，也不是 git 版本（{detail[-1] if detail else ''}）")])
    try:
        return result.stdout.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GongkaiError([Problem(f"{rev}:{COLUMNS_REL}", None, None, not_utf8(exc))]) from None


def _load_text(text: str, label: str) -> list[Column]:
    """Validate a columns.yml text with the real loader; problems name `label` as the file."""
    with tempfile.TemporaryDirectory(prefix="gongkai-diff-") as tmp:
        (Path(tmp) / "catalog").mkdir()
        (Path(tmp) / COLUMNS_REL).write_text(text, encoding="utf-8")
        problems = Problems()
        roots = load_columns(Path(tmp), problems)
    if problems.errors:
        raise GongkaiError([dataclasses.replace(p, file=label) for p in problems.items])
    return roots


# --- the comparison -------------------------------------------------------------------------------


@dataclass
class ColumnRef:
    id: str
    name: str
    path: str
    url: str
    trail: str  # 一级 / 二级 / 三级 names
    frequency: str
    office: str
    kind: str

    @classmethod
    def of(cls, col: Column) -> ColumnRef:
        return cls(col.id, col.name, col.path, col.href, col.trail_text(), col.frequency, col.office, col.kind.value)


@dataclass
class Change:
    old: ColumnRef
    new: ColumnRef
    what: list[str] = field(default_factory=list)  # renamed, moved, url, frequency, office, kind


@dataclass
class CatalogueDiff:
    old_label: str
    new_label: str
    added: list[ColumnRef] = field(default_factory=list)
    removed: list[ColumnRef] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    rename_hints: list[tuple[ColumnRef, ColumnRef]] = field(default_factory=list)

    def of_kind(self, what: str) -> list[Change]:
        return [c for c in self.changed if what in c.what]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def to_json(self) -> dict:
        def ref(r: ColumnRef) -> dict:
            return dataclasses.asdict(r)

        def change(c: Change) -> dict:
            return {"id": c.new.id, "old": ref(c.old), "new": ref(c.new), "changes": c.what}

        return {
            "old": self.old_label,
            "new": self.new_label,
            "added": [ref(r) for r in self.added],
            "removed": [ref(r) for r in self.removed],
            **{key: [change(c) for c in self.of_kind(key)] for key in CHANGE_KINDS},
            "possible_renames": [{"old": ref(a), "new": ref(b)} for a, b in self.rename_hints],
        }


# change kind -> heading in the text report
CHANGE_KINDS: dict[str, str] = {
    "renamed": "改名（同一标识，新名称）",
    "moved": "移动（同一标识，新的上级栏目）",
    "url": "地址变化",
    "frequency": "更新频率变化",
    "office": "负责科室变化",
    "kind": "栏目类型变化",
}


def compare(old_roots: list[Column], new_roots: list[Column], old_label: str = "旧", new_label: str = "新") -> CatalogueDiff:
    old_cols = [c for r in old_roots for c in r.walk()]
    new_cols = [c for r in new_roots for c in r.walk()]
    pairs: dict[int, Column] = {}  # id(old column) -> new column
    # 1. unchanged path: the same column
    new_by_path = {c.path: c for c in new_cols}
    for c in old_cols:
        if c.path in new_by_path:
            pairs[id(c)] = new_by_path[c.path]
    # 2. the same id, when it names exactly one unmatched column on each side
    taken = {id(c) for c in pairs.values()}
    old_left = [c for c in old_cols if id(c) not in pairs]
    new_left = [c for c in new_cols if id(c) not in taken]
    for c in old_left:
        olds = [o for o in old_left if o.id == c.id]
        news = [n for n in new_left if n.id == c.id]
        if len(olds) == 1 and len(news) == 1:
            pairs[id(c)] = news[0]
    taken = {id(c) for c in pairs.values()}
    diff = CatalogueDiff(old_label, new_label)
    diff.removed = [ColumnRef.of(c) for c in old_cols if id(c) not in pairs]
    diff.added = [ColumnRef.of(c) for c in new_cols if id(c) not in taken]
    for c in old_cols:
        n = pairs.get(id(c))
        if n is None:
            continue
        what: list[str] = []
        if c.name != n.name:
            what.append("renamed")
        old_parent = pairs.get(id(c.parent)) if c.parent is not None else None
        if (c.parent is None) != (n.parent is None) or (c.parent is not None and old_parent is not n.parent):
            what.append("moved")
        if c.href != n.href:
            what.append("url")
        for attr in ("frequency", "office", "kind"):
            if getattr(c, attr) != getattr(n, attr) and not _section_side(c, n, attr):
                what.append(attr)
        if what:
            diff.changed.append(Change(ColumnRef.of(c), ColumnRef.of(n), what))
    # an auto-id column whose name changed looks like removed + added under the same parent, with a similar name
    removed_cols = [c for c in old_cols if id(c) not in pairs]
    added_cols = [c for c in new_cols if id(c) not in taken]
    for r in removed_cols:
        r_parent = pairs.get(id(r.parent)) if r.parent is not None else None
        for a in added_cols:
            same_parent = (r.parent is None and a.parent is None) or (r_parent is not None and r_parent is a.parent)
            similar = difflib.SequenceMatcher(None, r.name, a.name).ratio() >= 0.5
            if same_parent and similar and r.kind == a.kind and not r.id_explicit:
                diff.rename_hints.append((ColumnRef.of(r), ColumnRef.of(a)))
    return diff


def _section_side(old: Column, new: Column, attr: str) -> bool:
    """A 栏目分组 has no 更新频率 or 负责科室 of its own: a column made a section (or a section made a column) that
    loses (or gains) them has no frequency/office change to report; its kind change says it (`section_note`)."""
    if attr not in ("frequency", "office") or old.kind is new.kind:
        return False
    return (new.kind is ColumnKind.SECTION and not getattr(new, attr)) or (
        old.kind is ColumnKind.SECTION and not getattr(old, attr))


def section_note(old: ColumnRef, new: ColumnRef) -> str:
    """Words for what a change to or from a 栏目分组 does to 更新频率 and 负责科室 ("" when nothing)."""
    section = ColumnKind.SECTION.value
    if new.kind == section and old.kind != section:
        had = "，".join(p for p in (old.frequency and f"更新频率“{old.frequency}”", old.office and f"负责科室“{old.office}”") if p)
        return f"栏目分组本身不设更新频率和负责科室，由下级栏目各自填写（原{had}）" if had else ""
    if old.kind == section and new.kind != section:
        got = "，".join(p for p in (new.frequency and f"更新频率“{new.frequency}”", new.office and f"负责科室“{new.office}”") if p)
        return f"不再是栏目分组，本栏目自己设{got}" if got else "不再是栏目分组：请为本栏目填写更新频率和负责科室"
    return ""


def diff_specs(old: str, new: str, repo: Path) -> CatalogueDiff:
    old_label, old_roots = read_side(old, repo)
    new_label, new_roots = read_side(new, repo)
    return compare(old_roots, new_roots, old_label, new_label)


# --- the text report --------------------------------------------------------------------------------


def _attrs(r: ColumnRef) -> str:
    parts = []
    if r.frequency:
        parts.append(f"更新频率：{r.frequency}")
    if r.office:
        parts.append(f"负责科室：{r.office}")
    return "，".join(parts)


def format_text(diff: CatalogueDiff) -> str:
    lines = [f"标准目录变化：{diff.old_label} → {diff.new_label}"]
    if diff.empty:
        lines.append("没有变化。")
        return "\n".join(lines) + "\n"
    if diff.added:
        lines.append(f"\n新增栏目（{len(diff.added)}）：")
        for r in diff.added:
            extra = _attrs(r)
            lines.append(f"  + {r.trail}（{r.id}）  地址：{r.url}" + (f"  {extra}" if extra else ""))
    if diff.removed:
        lines.append(f"\n撤销栏目（{len(diff.removed)}）：")
        for r in diff.removed:
            lines.append(f"  - {r.trail}（{r.id}）  原地址：{r.url}")
    for key, heading in CHANGE_KINDS.items():
        items = diff.of_kind(key)
        if not items:
            continue
        lines.append(f"\n{heading}（{len(items)}）：")
        for c in items:
            if key == "renamed":
                lines.append(f"  ~ {c.old.trail} → {c.new.name}（{c.new.id}）")
            elif key == "moved":
                lines.append(f"  > {c.new.name}（{c.new.id}）：{c.old.trail} → {c.new.trail}")
            elif key == "url":
                lines.append(f"  @ {c.new.name}（{c.new.id}）：{c.old.url} → {c.new.url}")
            elif key == "kind":
                note = section_note(c.old, c.new)
                lines.append(f"  * {c.new.trail}（{c.new.id}）：{ColumnKind(c.old.kind).label} → {ColumnKind(c.new.kind).label}"
                             + (f"；{note}" if note else ""))
            else:
                lines.append(f"  * {c.new.trail}（{c.new.id}）：{getattr(c.old, key) or '（空）'} → {getattr(c.new, key) or '（空）'}")
    if diff.of_kind("url"):
        lines.append("\n地址变化的栏目：运行 gongkai lock 记录新地址后，旧地址会自动跳转到新地址。")
    if diff.rename_hints:
        lines.append("\n可能是改名（栏目没有设置 id，改名后地址随拼音变化）：")
        for a, b in diff.rename_hints:
            lines.append(f"  ? {a.trail}（{a.id}）→ {b.name}（{b.id}）：若是同一栏目，运行 gongkai lock --rename {a.id}={b.id}"
                         "，旧地址即跳转到新栏目；以后改名请保留 id 不变")
    return "\n".join(lines) + "\n"
