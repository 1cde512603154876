"""The cached whole-site outputs (data/documents.json|csv, data/catalogue.csv|xlsx, the Atom feeds, sitemap.xml and
.gz): a build with a warm cache writes exactly the bytes of a build without one, after every change to the
example bureau that must change some of them; what a change does not touch is linked from the cache (the very
file of the build before), not written again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import copy_example
from gongkai.build import exports, sitemap
from gongkai.build.cache import BuildCache
from gongkai.build.pages import SitePlan
from gongkai.build.render import Renderer
from gongkai.load.loader import load_catalogue
from gongkai.model import Attachment

DAY = dt.date(2026, 11, 24)
BODY_ONLY = "content/documents/2022/szmz-2022-2.md"  # 示例市临时救助实施办法（试行）: its body is in no export
DATA = {"json": exports.JSON_PATH, "csv": exports.CSV_PATH, "site feed": exports.SITE_FEED,
        "sitemap": sitemap.XML, "sitemap.gz": sitemap.GZ, "catalogue csv": "data/catalogue.csv",
        "catalogue xlsx": "data/catalogue.xlsx"}


def write_all(root: Path, site: Path, cache_dir: Path | None, day: dt.date) -> list[str]:
    """Every cached whole-site output of the bureau at root, as the plugin writes them (cache_dir None: no cache)."""
    cat = load_catalogue(root, day)
    plan = SitePlan(cat, Renderer(root, None))
    plan.plans()  # the paged columns' extra pages are in the sitemap
    cache = BuildCache(cache_dir)
    paths = exports.write_exports(cat, site, cache) + sitemap.write(plan, site, cache)
    cache.finish()
    return paths


class Builds:
    """Builds of one bureau, each with the warm cache and, beside it, without any cache."""

    def __init__(self, tmp: Path):
        self.tmp, self.root, self.n = tmp, copy_example(tmp / "bureau"), 0
        self.paths: list[str] = []
        self.day = DAY

    def site(self, n: int) -> Path:
        return self.tmp / f"warm{n}"

    def build(self) -> tuple[set[str], set[str]]:
        """Build again; returns (outputs whose bytes changed since the last build, outputs linked unchanged)."""
        self.n += 1
        warm, cold = self.site(self.n), self.tmp / f"cold{self.n}"
        self.paths = write_all(self.root, warm, self.tmp / "cache", self.day)
        assert write_all(self.root, cold, None, self.day) == self.paths
        for rel in self.paths:  # warm = cold, byte for byte
            assert (warm / rel).read_bytes() == (cold / rel).read_bytes(), rel
        shutil.rmtree(cold)
        if self.n == 1:
            return set(self.paths), set()
        before = self.site(self.n - 1)
        changed = {rel for rel in self.paths
                   if not (before / rel).exists() or (before / rel).read_bytes() != (warm / rel).read_bytes()}
        linked = {rel for rel in self.paths if (before / rel).exists()
                  and (before / rel).stat().st_ino == (warm / rel).stat().st_ino}
        assert not changed & linked
        return changed, linked

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def column_feed(builds: Builds, column_id: str) -> str:
    cat = load_catalogue(builds.root, builds.day)
    return next(exports.column_feed_path(c) for c in exports.feed_columns(cat) if c.slug == column_id)


def test_warm_outputs_are_the_cold_ones_and_only_what_a_change_shows_is_written(tmp_path):
    b = Builds(tmp_path)
    first, _ = b.build()
    assert set(DATA.values()) <= first and len(first) > 20

    changed, linked = b.build()  # nothing changed: every file is the last build's
    assert changed == set() and linked == set(b.paths)

    b.edit(BODY_ONLY, "制定本办法。", "制定本办法。本办法由示例市民政局负责解释。")  # the body is in no export
    changed, linked = b.build()
    assert changed == set() and linked == set(b.paths)

    # the newest document's title: in its record, CSV line and feed entries; not in the sitemap or the catalogue
    cat = load_catalogue(b.root, DAY)
    newest = max(cat.published_documents, key=lambda d: (d.published, d.id))
    rel = newest.source.file
    b.edit(rel, f"title: {newest.title}", f"title: {newest.title}（修订）")
    feeds = {column_feed(b, c.slug) for c in newest.columns if c.kind.has_feed}
    changed, linked = b.build()
    assert {DATA["json"], DATA["csv"], DATA["site feed"], *feeds} <= changed
    assert {DATA["sitemap"], DATA["sitemap.gz"], DATA["catalogue csv"], DATA["catalogue xlsx"]} <= linked
    assert "（修订）" in (b.site(b.n) / DATA["json"]).read_text(encoding="utf-8")

    # a document added: its record, line, sitemap entry, feed entries
    added = b.root / "content/documents/2026/xz-2026-99.md"
    column = newest.columns[0].slug
    added.write_text(f"---\ntitle: 关于公布2026年第四季度临时救助对象名单的通知（新增）\npublisher: 示例市民政局\n"
                     f"index_no: 11330100002489999F/2026-00099\npublished: 2026-11-23\ncolumns: [{column}]\n---\n\n"
                     "名单见附件。\n", encoding="utf-8")
    changed, linked = b.build()
    assert {DATA["json"], DATA["csv"], DATA["site feed"], DATA["sitemap"], DATA["sitemap.gz"]} <= changed
    assert {DATA["catalogue csv"], DATA["catalogue xlsx"]} <= linked
    assert "xz-2026-99" in (b.site(b.n) / DATA["sitemap"]).read_text(encoding="utf-8")

    # withdrawn again (catalog/withdrawals.yml): gone from every export
    (b.root / "catalog/withdrawals.yml").write_text(
        "withdrawals:\n  - {id: xz-2026-99, date: 2026-11-24, reason: 误发布}\n", encoding="utf-8")
    changed, linked = b.build()
    assert {DATA["json"], DATA["csv"], DATA["site feed"], DATA["sitemap"], DATA["sitemap.gz"]} <= changed
    for name in ("json", "csv", "site feed", "sitemap"):
        assert "xz-2026-99" not in (b.site(b.n) / DATA[name]).read_text(encoding="utf-8-sig"), name

    # a column renamed (its id kept: same address): records and lines of its documents, its feed, the catalogue
    b.edit("catalog/columns.yml", "- name: 部门文件\n", "- name: 本部门文件\n            id: bmwj\n")
    changed, linked = b.build()
    assert {DATA["json"], DATA["csv"], column_feed(b, "bmwj"), DATA["catalogue csv"], DATA["catalogue xlsx"]} <= changed
    assert {DATA["sitemap"], DATA["sitemap.gz"], DATA["site feed"]} <= linked

    # the bureau's name in site.yml: the JSON's head, every feed's title and author, the workbook's title; not the
    # CSV lines, the sitemap or the catalogue table
    b.edit("catalog/site.yml", "name: 示例市民政局\n", "name: 示例市民政局（新）\n")
    changed, linked = b.build()
    assert {DATA["json"], DATA["site feed"], column_feed(b, "bmwj"), DATA["catalogue xlsx"]} <= changed
    assert {DATA["csv"], DATA["sitemap"], DATA["sitemap.gz"], DATA["catalogue csv"]} <= linked

    # the next day: the JSON and the workbook are dated, the sitemap's undated pages carry the day; the CSV and the
    # feeds print no build date (and no document's 有效性 changes that day, checked first)
    cat = load_catalogue(b.root, DAY)
    labels = [r[15] for r in exports.document_rows(cat)]
    b.day = DAY + dt.timedelta(days=1)
    assert [r[15] for r in exports.document_rows(load_catalogue(b.root, b.day))] == labels
    changed, linked = b.build()
    assert {DATA["json"], DATA["catalogue xlsx"], DATA["sitemap"], DATA["sitemap.gz"]} <= changed
    assert {DATA["csv"], DATA["site feed"], DATA["catalogue csv"], column_feed(b, "bmwj")} <= linked

    # a 有效性 that changes with the day (a document's expiry passes): its record and CSV line change
    b.day = dt.date(2030, 1, 1)
    changed, _ = b.build()
    assert {DATA["json"], DATA["csv"]} <= changed


def test_rows_digest_is_the_values_not_the_objects():
    """Equal values made of other objects (interned or not, shared or not) give one digest; any change another."""
    a = "示例" + "".join(["市", "民政局"])
    rows = [("x", a, True, ("p", "q")), ("y", a, False, ())]
    other = [("x", "示例市民政局", True, ("p", "q")), ("y", sys.intern("示例市民政局"), False, ())]
    assert exports.rows_digest(rows) == exports.rows_digest(other)
    for changed in ([("x", a, False, ("p", "q")), rows[1]], [rows[0], ("y", a, False, ("",))], rows[:1], rows[::-1]):
        assert exports.rows_digest(changed) != exports.rows_digest(rows)


@pytest.fixture(scope="module")
def cat():
    from conftest import REPO

    return load_catalogue(REPO, DAY)


def test_documents_json_written_from_rows_is_json_dumps_of_the_records(cat):
    """The JSON export, written straight from the rows, is json.dumps of the records, with odd text too."""
    odd = "\u2028<&>\"\\\x00\x1f中文 ' ="
    files = [Attachment(odd, "files/a.pdf"), Attachment("申请表", "files/申请表.docx")]
    docs = [dataclasses.replace(d, title=d.title + odd, summary=odd, publisher=odd, attachments=files) if i % 3 == 0
            else d for i, d in enumerate(cat.documents)]
    for c in (dataclasses.replace(cat, documents=[]), cat, dataclasses.replace(cat, documents=docs)):
        records = exports.document_records(c)
        data = {"site": {"name": c.site.name, "org_code": c.site.org_code, "site_url": c.site.site_url},
                "build_date": c.build_date.isoformat(), "validity_note": exports.VALIDITY_NOTE,
                "count": len(records), "documents": records}
        assert exports.documents_json(c) == (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    assert any(r["attachments"] for r in records) and any(r["interpretations"] for r in records)
    assert any(len(r["columns"]) > 1 for r in records)


# --- the rows' key from the last build's row digests (exports.rows_key) ------------------------------------------


def _rows_history(tmp_path: Path, monkeypatch) -> None:
    """Real builds of the example bureau, each step's site compared with an uncached build's byte for byte (the
    helpers of tests/build/test_keys_delta.py). Each step changes the rows of data/documents.json and .csv in a way
    one of the rules of rows_key must see: a failed build's load between (the token), a column's name and the build
    date (only documents changed)."""
    from test_keys_delta import DOC, build, build_failing_after_the_load, check_same_as_uncached

    from conftest import edit

    root = copy_example(tmp_path / "site")
    out = tmp_path / "uncached"
    build(root)
    build(root)  # the digests kept with this build's load token
    edit(root / DOC, "title: 示例市临时救助实施办法（试行）", "title: 示例市临时救助实施办法（试行，修订）")
    build_failing_after_the_load(root, monkeypatch)  # it saw the edit: the next build's changes do not hold it
    build(root)
    assert "试行，修订" in check_same_as_uncached(root, out)["data/documents.json"].decode("utf-8")
    edit(root / "catalog" / "columns.yml", "- name: 部门文件\n", "- name: 本部门文件\n            id: bmwj\n")
    build(root)
    assert "本部门文件" in check_same_as_uncached(root, out)["data/documents.csv"].decode("utf-8-sig")
    later = "2030-01-01"  # a document's expiry passed: its 有效性 in the CSV (which prints no build date)
    build(root, later)
    check_same_as_uncached(root, out, later)


def test_a_kept_state_is_trusted_only_by_its_load_when_only_documents_changed():
    """exports.trusted (the row digests', the sitemap entries' rule), each condition alone."""
    from gongkai.model import Changes

    edited = Changes(known=True, token="t2", since="t1", documents=frozenset({BODY_ONLY}))
    kept = ("t1", {BODY_ONLY: b"digest"})
    assert exports.trusted(kept, edited)
    assert not exports.trusted(None, edited)
    assert not exports.trusted(("t0", kept[1]), edited)
    assert not exports.trusted(kept, dataclasses.replace(edited, inputs=frozenset({"catalog/columns.yml"})))
    assert not exports.trusted(kept, dataclasses.replace(edited, build_date=True))


def test_rows_key_takes_over_row_digests_only_where_they_hold(tmp_path, monkeypatch):
    _rows_history(tmp_path, monkeypatch)


def test_row_digests_blind_to_the_loads_token_fail(tmp_path, monkeypatch):
    """Digests trusted whatever load they were kept from: after the failed build, the edited title is missed."""
    monkeypatch.setattr(exports, "trusted", lambda kept, changes: kept is not None and changes.only_documents)
    with pytest.raises(AssertionError, match=r"differ from an uncached build: .*data/documents\.csv data/documents\.json"):
        _rows_history(tmp_path, monkeypatch)


def test_row_digests_blind_to_other_inputs_fail(tmp_path, monkeypatch):
    """Digests trusted after a column's rename (and on another build date): the rows show the old name."""
    monkeypatch.setattr(exports, "trusted", lambda kept, changes: kept is not None and changes.follows(kept[0]))
    with pytest.raises(AssertionError, match=r"differ from an uncached build: .*data/documents\.csv data/documents\.json"):
        _rows_history(tmp_path, monkeypatch)


# --- the relation rule of rows_key: a row shows other documents' ids while they are published ------------------------

OLD_RULES = "content/documents/2021/szmz-2021-6.md"  # replaced_by: szmz-2025-1 …
NEW_RULES = "content/documents/2025/szmz-2025-1.md"  # … this one, which its row names only while it is published


def _relation_history(tmp_path: Path) -> None:
    """A row changed by another document's change alone, then changed back by its own: the digest kept for it in
    between must not be the old one, or the last step's digests are those of the step before (the same key) and
    data/documents.json keeps the id of a replacement the document no longer names.

    1. The replacement is scheduled (not published yet): the old rules' row has replaced_by "".
    2. It is published (only its own file changes): the old rules' row now has replaced_by szmz-2025-1 — a
       document the change reaches without changing it (`Changes.reached`: it names a changed id).
    3. The old rules drop `replaced_by` (their own edit): their row is again that of step 1, every other row is that
       of step 2 (the replacement's row has no field for what it replaces)."""
    from test_keys_delta import build, check_same_as_uncached

    from conftest import edit

    root = copy_example(tmp_path / "site")
    out = tmp_path / "uncached"
    edit(root / NEW_RULES, "published: 2025-02-20\n", "published: 2026-12-30\nscheduled: true\n")
    build(root)
    build(root)  # the digests kept with this build's load token
    record = '"replaced_by": "szmz-2025-1"'
    assert record not in check_same_as_uncached(root, out)["data/documents.json"].decode("utf-8")
    edit(root / NEW_RULES, "published: 2026-12-30\nscheduled: true\n", "published: 2025-02-20\n")
    build(root)
    assert record in check_same_as_uncached(root, out)["data/documents.json"].decode("utf-8")
    edit(root / OLD_RULES, "replaced_by: szmz-2025-1\n", "")
    build(root)
    assert record not in check_same_as_uncached(root, out)["data/documents.json"].decode("utf-8")


def test_rows_key_makes_again_the_rows_a_change_reaches(tmp_path):
    _relation_history(tmp_path)


def test_row_digests_blind_to_relations_fail(tmp_path, monkeypatch):
    """rows_key taking over the digest of every document not itself changed (its relations not followed): step 2 keeps
    the old rules' step-1 digest, step 3's key is step 2's, and the JSON of step 2 is linked."""
    from gongkai.build import publish

    reached = publish.reached

    def blind_in_exports(changes, docs, affected):  # (document pages keep the rule: only the exports' use is broken)
        if sys._getframe(1).f_globals["__name__"] == exports.__name__:
            return set(changes.documents)
        return reached(changes, docs, affected)

    monkeypatch.setattr(publish, "reached", blind_in_exports)
    with pytest.raises(AssertionError, match=r"differ from an uncached build: data/documents\.json\n"):
        _relation_history(tmp_path)
