"""`mkdocs serve` rebuilds the whole site on every save with the same plugin instance (MkDocs keeps a plugin that
defines on_startup): the build cache's index and memo stay in memory, and the previous tree kept beside serve's
temporary folder is updated instead of every file being written anew (gongkai/build/staging.py: Recycled). Each
rebuild must still write exactly what a first build of the same input writes — after editing a document, renaming
a column, changing site.yml and a template of the bureau's overrides/ —, `--dirty` included, and the kept tree goes
when serve stops.

What serve keeps is an explicit object (gongkai/mkdocs/session.py): the cache's files are written in the background
once a rebuild is served, under the build lock, and all of them by the time serve stops; the last build's model is
collected, not kept.

MkDocs' serve loop (mkdocs/commands/serve.py) is run here in this process: load_config for every build, on_startup
once, the serve address as site_url, build(serve_url=…); its file watcher and HTTP server are tested for real in
tests/e2e/test_serve.py."""

from __future__ import annotations

import pickle
import shutil
import weakref
from pathlib import Path

import pytest

from conftest import BUILD_DATE, cold_copy, copy_example, edit, tree_digest
from gongkai.build.cache import INDEX, VERSION, decode_kept
from gongkai.build.lock import BuildLock, LockBusy
from gongkai.mkdocs import session as serve_session

SERVE_URL = "http://127.0.0.1:8000/"
DOC = "content/documents/2022/szmz-2022-2.md"  # 示例市临时救助实施办法（试行）
FOOTER = Path(__file__).resolve().parents[2] / "gongkai" / "mkdocs" / "theme" / "partials" / "footer.html"


class ServeSession:
    """One `mkdocs serve` of a site: its own plugin instances (MkDocs keeps them in a process-wide cache; each
    session swaps in its own, so neither the suite's other in-process builds nor another session share them)."""

    def __init__(self, root: Path, site_dir: Path, monkeypatch: pytest.MonkeyPatch, dirty: bool = False):
        from mkdocs.config.defaults import MkDocsConfig

        self.root, self.site_dir, self.mp, self.dirty = root, site_dir, monkeypatch, dirty
        self.option = dict(MkDocsConfig._schema)["plugins"]
        self.instances: dict = {}
        self.config = None
        site_dir.mkdir(parents=True)  # serve builds into a folder it made (tempfile.mkdtemp)

    def build(self) -> None:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        with self.mp.context() as mp:
            mp.setattr(self.option, "plugin_cache", self.instances)
            mp.chdir(self.root)
            mp.setenv("GONGKAI_BUILD_DATE", BUILD_DATE)
            mp.delenv("SOURCE_DATE_EPOCH", raising=False)
            config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir))
            if self.config is None:
                config.plugins.on_startup(command="serve", dirty=self.dirty)
            config.site_url = SERVE_URL
            self.config = config
            build(config, serve_url=SERVE_URL, dirty=self.dirty)

    @property
    def plugin(self):
        return self.instances["gongkai"]

    def stop(self) -> None:
        assert self.config is not None
        self.config.plugins.on_shutdown()
        shutil.rmtree(self.site_dir)  # what serve does last


def first_build(root: Path, dest: Path, monkeypatch) -> dict[str, bytes]:
    """What serve's first build writes for the input in root (a copy without cache, in a session of its own)."""
    cold = ServeSession(cold_copy(root, dest), dest / "served", monkeypatch)
    cold.build()
    out = tree_digest(cold.site_dir)
    cold.stop()
    return out


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))


def saved(cache_dir: Path) -> tuple[dict, dict]:
    """The index of finished files and the memo as .cache/gongkai/ holds them (what the next build reads)."""
    def items(path: Path) -> dict:
        with open(path, "rb") as fh:
            data = decode_kept(fh.read()) if path.suffix == ".marshal" else pickle.load(fh)
        assert data["version"] == VERSION
        return data["items"]

    memo: dict = {}
    for shard in sorted((cache_dir / "memo").glob("*.pickle")):
        memo.update(items(shard))
    return items(cache_dir / INDEX), memo


def check_saved_in_background(served: ServeSession, cache_dir: Path) -> None:
    """Right after a rebuild the cache's files are not written yet and the build lock is still held; once the
    session's save is done, the folder holds exactly what serve keeps in memory, and the lock is free."""
    session = served.plugin.session
    kept = session.cache
    assert kept is not None and kept.deferred  # left to the background save
    with pytest.raises(LockBusy):
        BuildLock(cache_dir).acquire(wait=False)
    session.wait()
    assert not kept.deferred
    index, memo = saved(cache_dir)
    assert index == kept._index and memo.keys() == kept._memo.keys()
    files = {f.stem for sub in (cache_dir / "pages").iterdir() for f in sub.iterdir()}
    assert files == set(index)  # the files of entries this build did not use are gone, the others all there
    lock = BuildLock(cache_dir)
    lock.acquire(wait=False)
    lock.release()


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve-dirty"])
def test_serve_rebuilds_write_what_a_first_build_writes(tmp_path, monkeypatch, dirty):
    root = copy_example(tmp_path / "site")
    (root / "overrides" / "partials").mkdir(parents=True)
    footer = root / "overrides" / "partials" / "footer.html"
    footer.write_text(FOOTER.read_text(encoding="utf-8").replace("主办单位：", "主办单位（页脚甲）：", 1), encoding="utf-8")
    served = ServeSession(root, tmp_path / "mkdocs_serve", monkeypatch, dirty)
    cache_dir = root / ".cache" / "gongkai"
    # the save waits for the browser's reload (SETTLE_S) or the next rebuild: here only for the next rebuild
    monkeypatch.setattr(serve_session, "SETTLE_S", 600)
    served.build()
    # the files changed from now on, as serve's watcher notes them (gongkai/mkdocs/servewatch.py: a real watcher in
    # tests/mkdocs/test_servewatch.py): the rebuilds' loads start from the last load's walk of content/ with them
    changes = served.plugin.session.changes
    changes.start([str(root / "content"), str(root / "catalog"), str(root / "overrides")], lambda: True)

    def noted(*paths: Path) -> None:
        changes.note(*map(str, paths))

    first_model = weakref.ref(served.plugin.cat)
    served.plugin.cat.__dict__["_cycle"] = served.plugin.cat  # as the model's columns and documents refer to each other
    served.build()  # a save that changed nothing: the site it made is now the kept tree
    served.plugin.session.wait()
    assert first_model() is None  # the first build's model was collected by the session, not kept
    kept = Path(f"{served.site_dir}.gongkai-prev")
    assert kept.is_dir()
    page = served.site_dir / "documents" / "szmz-2022-2.html"
    assert "主办单位（页脚甲）" in page.read_text(encoding="utf-8")

    # a document's title and body
    edit(root / DOC, "title: ", "title: 修订：")
    (root / DOC).write_text((root / DOC).read_text(encoding="utf-8") + "\n本办法由示例市民政局负责解释。\n", encoding="utf-8")
    noted(root / DOC)
    loads = served.plugin.session.kept  # what each load keeps for the next (gongkai/load/kept.py)
    assert loads.rescanned == 0  # (the first rebuild after the watcher started walked content/ again)
    served.build()
    assert loads.rescanned == 1  # this one did not
    check_saved_in_background(served, cache_dir)
    assert len(served.plugin.recycled.claimed) > 100  # the unchanged files were kept, not written again
    text = page.read_text(encoding="utf-8")
    assert "修订：" in text and "本办法由示例市民政局负责解释。" in text
    if not dirty:  # (--dirty: compared once, at the end)
        assert differences(tree_digest(served.site_dir), first_build(root, tmp_path / "cold1", monkeypatch)) == []

    # a column's name (it has an id: same address), the bureau's name in site.yml, a template of overrides/
    edit(root / "catalog" / "columns.yml", "- name: 部门文件\n", "- name: 本部门文件\n            id: bmwj\n")
    noted(root / "catalog" / "columns.yml")
    served.build()
    edit(root / "catalog" / "site.yml", "name: 示例市民政局\n", "name: 示例市民政局（新）\n")
    noted(root / "catalog" / "site.yml")
    served.build()
    edit(footer, "主办单位（页脚甲）", "主办单位（页脚乙）")
    noted(footer)
    served.build()
    assert loads.rescanned == 4
    site = tree_digest(served.site_dir)
    text = site["documents/szmz-2022-2.html"].decode("utf-8")
    assert "主办单位（页脚乙）" in text and "页脚甲" not in text and "示例市民政局（新）" in text
    assert any(n.endswith("/bmwj/index.html") and "本部门文件" in v.decode() for n, v in site.items())
    assert differences(site, first_build(root, tmp_path / "cold2", monkeypatch)) == []

    kept_cache = served.plugin.session.cache
    served.stop()
    assert not kept.exists()  # serve removes its folder; the kept tree beside it goes with it
    index, memo = saved(cache_dir)  # stopping serve does not lose the last rebuild's cache
    assert index == kept_cache._index and memo.keys() == kept_cache._memo.keys()


def test_the_kept_tree_is_listed_ahead_and_trusted_only_while_its_folders_say_so(tmp_path, monkeypatch):
    """Serve lists the tree kept beside its site folder once a rebuild is served (staging.list_ahead, in the
    session's background step); the next rebuild claims files from that listing instead of listing 37,000 files
    again — only while none of the tree's folders changed since. Something else put into the kept tree after the
    listing (a page replaced by another file, a file added, one deleted) is seen, and every rebuild writes what a
    first build writes; trusting the listing blindly claims files that are no longer there as listed, and the
    rebuild fails (the kept tree's update finds them changed)."""
    root = copy_example(tmp_path / "site")
    served = ServeSession(root, tmp_path / "mkdocs_serve", monkeypatch)
    monkeypatch.setattr(serve_session, "SETTLE_S", 0)
    served.build()
    served.build()  # now there is a kept tree, listed after this rebuild
    kept = Path(f"{served.site_dir}.gongkai-prev")
    session = served.plugin.session

    def rebuild() -> bool:
        session.wait()
        assert session.listing is not None
        served.build()
        return served.plugin.recycled.listed_ahead

    def same_as_first_build(name: str) -> None:
        assert differences(tree_digest(served.site_dir), first_build(root, tmp_path / name, monkeypatch)) == []

    assert rebuild()  # nothing changed in the kept tree: the listing is used
    same_as_first_build("cold1")
    edit(root / DOC, "title: ", "title: 修订：")
    assert rebuild()  # a document changed: the kept tree did not
    same_as_first_build("cold2")

    session.wait()
    # an unchanged document's page replaced by another file (another inode) at the same name
    page = sorted(p for p in (kept / "documents").iterdir() if p.suffix == ".html" and p.name != "szmz-2022-2.html")[-1]
    other = page.with_name("other.tmp")
    other.write_bytes(page.read_bytes())
    other.replace(page)
    assert not rebuild()
    same_as_first_build("cold3")

    session.wait()
    (kept / "documents" / "stray.html").write_text("stray", encoding="utf-8")  # a file added
    assert not rebuild()
    same_as_first_build("cold4")

    session.wait()
    next(p for p in (kept / "documents").iterdir() if p.suffix == ".html").unlink()  # a file deleted
    assert not rebuild()
    same_as_first_build("cold5")

    monkeypatch.setenv("GONGKAI_TRUST_STAT", "0")  # stat data not trusted: no listing made, none used
    session.wait()
    served.build()
    assert not served.plugin.recycled.listed_ahead
    session.wait()
    assert session.listing is None
    served.stop()


def test_a_failed_rebuild_leaves_no_unindexed_cache_file(tmp_path, monkeypatch):
    """A rebuild that ran the cache's finish() and then failed (here: switching the site) had dropped from the index,
    in memory, the entries it did not use; their files are deleted only by its save, which never runs. The next
    rebuild reads the cache back from the folder instead of taking the failed one's memory (ServeSession.failed),
    so those files are swept; taking it, they would stay in the folder unindexed until a full sweep."""
    from gongkai.build import staging

    root = copy_example(tmp_path / "site")
    served = ServeSession(root, tmp_path / "mkdocs_serve", monkeypatch)
    monkeypatch.setattr(serve_session, "SETTLE_S", 0)
    cache_dir = root / ".cache" / "gongkai"
    served.build()
    served.build()
    session = served.plugin.session
    session.wait()
    # a finished file an earlier rebuild stored and used, saved with the index (as that rebuild's save leaves it)
    cache = session.cache
    key = "ff" + "0" * 62
    cache.record(key, cache.store(key, b"<p>an earlier page</p>"))
    cache._write(INDEX, cache._index)
    cache._unmark()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    with monkeypatch.context() as mp:  # the next rebuild does not use it, runs finish(), and fails
        mp.setattr(staging, "swap_into_place", broken)
        with pytest.raises(OSError):
            served.build()
    served.build()
    session.wait()
    index, _memo = saved(cache_dir)
    files = {f.stem for sub in (cache_dir / "pages").iterdir() for f in sub.iterdir()}
    assert key not in index and files == set(index)
    assert differences(tree_digest(served.site_dir), first_build(root, tmp_path / "cold", monkeypatch)) == []
    served.stop()


def test_the_last_rebuilds_model_is_freed_once_this_one_is_served(tmp_path, monkeypatch):
    """What the plugin held of the last rebuild is not freed object by object while on_config replaces it, in the
    middle of the rebuild the clerk waits for, but in the session's background step after the site is switched
    (session.retire). A stand-in referred to only by an attribute on_config replaces (no cycle: freed the moment it
    is replaced, without the rule)."""
    root = copy_example(tmp_path / "bureau")
    served = ServeSession(root, tmp_path / "served", monkeypatch)
    served.build()
    session = served.plugin.session
    session.wait()

    class Held:
        pass

    served.plugin.page_cache = Held()
    old = weakref.ref(served.plugin.page_cache)
    alive: list[bool] = []
    real = serve_session.ServeSession.built

    def built(self, *args, **kwargs):
        alive.append(old() is not None)  # the rebuild is switched: the last one's model still held
        return real(self, *args, **kwargs)

    monkeypatch.setattr(serve_session.ServeSession, "built", built)
    served.build()
    assert alive == [True]
    session.wait()
    assert old() is None and session.retired == []  # dropped by the background step
    served.stop()


@pytest.mark.parametrize("mistake", ["input", "switch"])
def test_a_failed_rebuild_frees_the_model_of_the_rebuild_before(tmp_path, monkeypatch, mistake):
    """A rebuild that stops — on a mistake in the input (serve shows the error list) or while switching the site
    (serve shows the last site) — leaves nothing that a build will use of the rebuild before it: its model is
    dropped in the session's background step (session.stopped), not kept while serve waits for the fix until the
    next rebuild begins. The rebuild after the fix writes what a first build writes."""
    from gongkai.build import staging

    root = copy_example(tmp_path / "site")
    served = ServeSession(root, tmp_path / "mkdocs_serve", monkeypatch)
    monkeypatch.setattr(serve_session, "SETTLE_S", 0)
    served.build()
    session = served.plugin.session
    session.wait()
    old = weakref.ref(served.plugin.plan)
    columns = root / "catalog" / "columns.yml"
    good = columns.read_text(encoding="utf-8")
    if mistake == "input":
        edit(columns, "    frequency:", "\tfrequency:")
        served.build()
        assert served.plugin.serve_error is not None
        # the error it shows is kept without the frames of the load it stopped, which hold what was loaded so far
        assert served.plugin.serve_error[0].__traceback__ is None
    else:
        def broken(*args, **kwargs):
            raise OSError("disk full")

        with monkeypatch.context() as mp:
            mp.setattr(staging, "swap_into_place", broken)
            with pytest.raises(OSError):
                served.build()
    session.wait()
    assert session.retired == [] and old() is None
    columns.write_text(good, encoding="utf-8")
    served.build()
    session.wait()
    assert differences(tree_digest(served.site_dir), first_build(root, tmp_path / "cold", monkeypatch)) == []
    served.stop()
