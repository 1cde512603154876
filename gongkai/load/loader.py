"""Load catalog/ and content/ into the validated model: every load step and check, in order, in one place.

Nothing registers itself here: what runs is exactly the sequence in `_load`, whatever else has been
imported. Each step is a function that gets the state it needs as arguments and reports to `problems`;
every problem is collected, and the catalogue is returned only when there is no error.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Hashable
from pathlib import Path
from typing import Any

from gongkai.application import check_form_fonts
from gongkai.checks import privacy
from gongkai.checks.art20 import check_art20
from gongkai.checks.consistency import check_consistency
from gongkai.checks.guide import check_guide, require_guide
from gongkai.checks.indexno import check_index_numbers
from gongkai.checks.posterfonts import check_poster_fonts
from gongkai.checks.publication import check_publication
from gongkai.checks.reports import check_reports
from gongkai.checks.urlrecord import check_document_ids, check_gone_addresses, check_url_record
from gongkai.checks.validity import apply_default_terms, warn_outdated_policies
from gongkai.errors import GongkaiError, Problems
from gongkai.load import renames, snapshot, stepkeep, treedelta
from gongkai.load.builddate import build_date_from_env
from gongkai.load.columns import column_index, load_columns
from gongkai.load.decisions import load_decisions, names_decision
from gongkai.load.doccache import DocumentCache
from gongkai.load.docids import gone_addresses
from gongkai.load.documents import load_documents
from gongkai.load.guide import load_guide
from gongkai.load.interaction import load_interaction
from gongkai.load.kept import Kept
from gongkai.load.lists import load_lists
from gongkai.load.packages import load_packages
from gongkai.load.pages import load_pages
from gongkai.load.portal import resolve_portal
from gongkai.load.reports import load_reports
from gongkai.load.site import load_site
from gongkai.load.standards import load_declared_standards
from gongkai.load.urlrecord import read_record
from gongkai.load.withdrawals import apply_withdrawals, load_withdrawals
from gongkai.memo import Memo
from gongkai.model import Catalogue, Document, release_source


class Laps:
    """Where a load's time goes (GONGKAI_TIMING=1 prints it, gongkai/mkdocs/plugin.py): (step, wall, CPU seconds)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, float, float]] = []
        self._last = (time.perf_counter(), time.process_time())

    def __call__(self, step: str) -> None:
        """The time since the last lap went to `step`."""
        now = (time.perf_counter(), time.process_time())
        self.items.append((step, now[0] - self._last[0], now[1] - self._last[1]))
        self._last = now

    def text(self) -> str:
        return "; ".join(f"{step} {wall:.2f} s" for step, wall, _ in self.items)


class _Held:
    """A memo whose puts wait for `commit` (gets go through): what the snapshot puts, kept back until the load is
    known to have no error."""

    def __init__(self, memo: Memo):
        self.memo = memo
        self.clock = getattr(memo, "clock", None)
        self.puts: list[tuple[Hashable, Any]] = []

    def get(self, key: Hashable) -> Any:
        return self.memo.get(key)

    def put(self, key: Hashable, value: Any) -> None:
        self.puts.append((key, value))

    def commit(self) -> None:
        for key, value in self.puts:
            self.memo.put(key, value)
        self.puts.clear()


def load_catalogue(root: str | Path, build_date: dt.date | None = None, memo: Memo | None = None,
                   moved: dict[str, str] | None = None, laps: Laps | None = None, kept: Kept | None = None) -> Catalogue:
    """Load and validate everything; raise GongkaiError listing every problem.

    memo: what earlier builds parsed and scanned (BuildCache.memo), to do less of it again; never changes the result.
    moved: only for a preview of a 栏目调整方案 (gongkai preview): a removed column's old reference -> the path of the
    column its documents go to; documents that still name the old column are placed there, each with a warning.
    laps: where the time went is added to it.
    kept: what this process kept of its last load (`mkdocs serve`, load/kept.py); updated when this one succeeds.
    """
    # Loading makes millions of objects that all live on: the cyclic garbage collector would walk the growing
    # heap again and again for nothing (a large share of the time at 10,000 documents). Pause it meanwhile.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load(Path(root).resolve(), build_date or build_date_from_env(), memo, moved or {}, laps or Laps(), kept)
    finally:
        if paused:
            gc.enable()


def _load(root: Path, build_date: dt.date, memo: Memo | None, moved: dict[str, str], lap: Laps,
          kept: Kept | None = None) -> Catalogue:
    problems = Problems()
    parsed: dict[str, Any] = {}  # catalog/*.yml as read: kept on the catalogue for the privacy gate
    # first, before any file under content/ is read: links out of it, hard links and special files
    tree = treedelta.scan(root, problems, kept, memo)  # (serve: from the last load's and the files changed since)
    lap("content tree")
    # the files, each into its part of the model
    site = load_site(root, problems, memo, parsed)
    roots = load_columns(root, problems, memo, parsed)
    full_record = read_record(root, problems, memo, parsed)  # catalog/urls.lock.yml: old addresses, renames, ids
    record = None if full_record is None else full_record.urls
    withdrawals = load_withdrawals(root, problems)  # catalog/withdrawals.yml: 撤回 documents are not public
    lap("catalog")
    index = column_index(roots) if moved else {}
    moved_to = {ref: index[path][0] for ref, path in moved.items() if len(index.get(path, [])) == 1}
    aliases = renames.aliases(record, roots)
    # the previous load's documents (load/snapshot.py); a preview's moved columns change what a reference means:
    # never from it there
    previous = snapshot.previous(memo)
    cache = None if memo is None or moved else DocumentCache(memo, root, site, column_index(roots), tree, aliases, previous,
                                                             None if kept is None else kept.documents)
    documents = load_documents(root, site, roots, problems, memo, aliases, tree.refused,
                               {w.id for w in withdrawals}, moved_to,
                               None if full_record is None else full_record.documents, tree, cache)
    lap("documents")
    apply_withdrawals(documents, withdrawals, problems)
    # whether the documents are the previous load's but for their bodies: then the steps below that read every
    # document's fields (and no body) give what they gave, kept with that load's token (load/stepkeep.py)
    steps = stepkeep.early(memo, documents, cache, previous, root, build_date)
    gone = gone_addresses(None if full_record is None else full_record.documents, documents,
                          {w.id for w in withdrawals})  # recorded addresses left without a document
    renames.explain_renamed(record, roots, problems)  # one error at a renamed column, not one per document
    guide = load_guide(root, problems, memo, tree.refused)
    if "guide.md" not in tree.refused:
        require_guide(roots, guide, problems)
    pages = load_pages(root, roots, problems, memo, tree.refused)
    cat = Catalogue(site=site, roots=roots, documents=documents, root_dir=root, build_date=build_date, guide=guide,
                    pages=pages, catalog_files=parsed, withdrawals=withdrawals, content_tree=tree, gone=gone)
    # first: it holds back scheduled documents, which later steps then never see
    steps.run("consistency", problems, lambda: check_consistency(cat, problems), _true, _embargo)
    steps.take_index(cat)  # the lookups by column and id, as the last load made them (only bodies changed since)
    check_guide(cat, problems)
    check_art20(cat, problems)  # 第二十条: every item served by a column, or 本机关不涉及 with a reason
    cat.standards = load_declared_standards(cat, problems)  # site.yml standards: and every `implements:` id
    cat.packages = load_packages(cat, problems, memo, parsed)  # cites documents by id
    resolve_portal(cat, problems)  # site.yml: the home page's 常用服务 point at columns, packages, documents
    check_poster_fonts(site, cat.packages, problems)  # every character a poster prints is in the poster font
    check_form_fonts(site, problems)  # every character the 申请表 PDF prints is in its font
    # 重大行政决策: documents join them by stage
    cat.decisions = load_decisions(cat, problems, memo, parsed, steps.select("decisions", names_decision))
    cat.interaction = load_interaction(cat, problems, memo, parsed)  # 留言选登, 常见问题库 (before the privacy gate)
    # 有效期: the default term of normative documents
    steps.run("terms", problems, lambda: apply_default_terms(cat.documents, site, problems), _expiry, _expire)
    steps.run("index numbers", problems, lambda: check_index_numbers(site, cat.documents, problems))  # and org code
    cat.url_record = record  # for the old-URL pages
    check_url_record(cat.url_record, roots, problems)
    # automatic ids not yet recorded by gongkai lock (files with an error left out: only a load without one so far)
    if problems.errors:
        check_document_ids(full_record, documents, problems)
    else:
        steps.run("document ids", problems, lambda: check_document_ids(full_record, documents, problems))
    check_gone_addresses(gone, problems)  # a recorded address whose file was deleted: record why, or keep its id
    warn_outdated_policies(cat.packages, build_date, problems)  # needs the default terms applied above
    cat.reports = load_reports(root, problems)  # content/reports/*.yml: the annual reports' numbers and narrative
    # part 二 needs the default terms applied above (it reads the documents with a report year, and normative ones)
    check_reports(cat.reports, steps.select("reports", _counted), problems)
    # catalog/lists.yml: spreadsheets read and masked, before the publication decision and the privacy gate
    cat.lists = load_lists(root, roots, build_date, problems, memo, parsed, cat.document_ids)
    lap("other steps")
    # what the next build reuses, and what changed since the previous one: after every step that sets documents
    # (snapshot.after_load), before the two that skip what did not change. The snapshot goes into the memo only
    # when the load has no error: in mkdocs serve the memo of a failed rebuild is the one the next rebuild gets,
    # and every step's kept results follow the last load that succeeded (model.Changes.follows; what the gate
    # keeps with this load's token is then never followed)
    held = None if memo is None else _Held(memo)
    cat.changes = snapshot.record(cat.documents, cache, previous, held, root, tree, build_date)
    lap("snapshot")
    check_publication(cat, problems, memo)  # which files of content/ are published: before the gate scans them
    lap("publication")
    # last: it scans everything loaded above
    report = privacy.gate(cat, problems, memo, privacy.Selected(
        steps.select("allowing", privacy.allowing), steps.select("attaching", privacy.attaching),
        steps.candidates(cat.changes.documents)))
    steps.hits(report.documents_hit)
    # no later step reads a front matter: read again from the file if one ever does (only a document read afresh
    # holds one: one taken from its record holds neither, and one read without the cache no reader to read it again)
    for doc in documents if cache is None else cache.fresh:
        if "_front_matter" in doc.__dict__ or "_body" in doc.__dict__:
            release_source(doc, front_matter=True)
    steps.save(held, cat.changes.token, cat)  # (held: put only when the load has no error, like the snapshot)
    lap("privacy")
    problems.raise_if_errors()
    if held is not None:
        held.commit()
    if kept is not None:
        kept.loaded(tree, None if cache is None else cache.templates_now)
    cat.warnings = problems.warnings
    cat.todos = problems.todos
    return cat


def _true(doc: Document) -> bool:
    return True


def _counted(doc: Document) -> bool:
    """A document check_reports reads: an annual report's (year), or a normative one (counted in part 二)."""
    return bool(doc.year or doc.normative)


def _embargo(doc: Document, value: bool) -> None:
    """What check_consistency sets on a scheduled document whose day has not come (stepkeep.Early.run)."""
    doc.embargoed = value


def _expiry(doc: Document) -> int:
    assert doc.expires is not None
    return doc.expires.toordinal()


def _expire(doc: Document, value: int) -> None:
    """What apply_default_terms sets on a normative document without `expires` (stepkeep.Early.run)."""
    doc.expires = dt.date.fromordinal(value)
    doc.expires_default = True


__all__ = ["load_catalogue", "GongkaiError", "build_date_from_env", "Laps"]
