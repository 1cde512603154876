"""Where a build writes, and how its result replaces site/ in one step.

Every build writes into its own folder beside site/ (`site.gongkai-new.<pid>-<random>`, same file system, so
the switch is a rename). When everything is written, `swap_into_place` exchanges the staging folder and site/
in one system call, then puts the manifest beside it. A build killed at any moment therefore leaves site/ as
it was or as the finished new site, never a mix; what it leaves behind (a staging folder, the old tree it was
deleting) has a name `stale_paths` knows, and the next build removes it while holding the build lock. A large tree
the switch supersedes is renamed to such a name and deleted by a detached process after the build returns
(discard.py): the next build leaves it to that process while it runs, and finishes it if it was killed.

Recycling the previous tree (`Recycled`): writing, linking and later deleting every one of a large site's files
on every rebuild (36,000 at 10,000 documents, most of them search-index files) cost seconds though almost none
changed. So the tree the switch puts aside is kept (`site.gongkai-prev`) and the next build brings it up to
date: a cached file the build would link into the staging folder is *claimed* instead when the kept tree already
holds that very file (the same inode: same bytes, which the cache verified) at the same path; only new and
changed files are written into the staging folder. At the end the staging folder's files are renamed into the
kept tree, everything there that was neither claimed nor written is deleted, and the kept tree is switched with
site/ in one step as before — the old site becomes the next kept tree. Nothing of the kept tree is trusted
because it exists: it is listed afresh (names and inode numbers) when the build starts and again before it is
updated, and a file stays only when this build asked for exactly its inode there. A build killed while updating
it leaves site/ untouched and a kept tree that the next build treats the same way.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Set as AbstractSet
from itertools import compress
from operator import attrgetter, eq, methodcaller, not_
from pathlib import Path

from gongkai import statcheck
from gongkai.build import discard
from gongkai.fsutil import exchange, remove_path

NEW = ".gongkai-new"
OLD = ".gongkai-old"
PREV = ".gongkai-prev"
MANIFEST_SUFFIX = ".manifest.json"


def previous_tree_path(site_dir: str | os.PathLike) -> Path:
    """Where the previous generation of the site is kept for the next build to update: site/ -> site.gongkai-prev."""
    final = Path(os.fspath(site_dir).rstrip("/\\"))
    return final.with_name(final.name + PREV)


def new_staging_dir(site_dir: str | os.PathLike) -> Path:
    """A fresh, unique staging folder name beside site_dir (not created)."""
    final = Path(os.fspath(site_dir).rstrip("/\\"))
    return final.with_name(f"{final.name}{NEW}.{os.getpid()}-{secrets.token_hex(4)}")


def manifest_path(site_dir: str | os.PathLike) -> Path:
    """The output manifest beside the site: site/ -> site.manifest.json (gongkai/build/manifest.py)."""
    final = Path(os.fspath(site_dir).rstrip("/\\"))
    return final.with_name(final.name + MANIFEST_SUFFIX)


def staged_manifest_path(staging: Path) -> Path:
    """Where a build writes its manifest before the switch (a stale name until it is renamed)."""
    return staging.with_name(staging.name + MANIFEST_SUFFIX)


def stale_paths(site_dir: str | os.PathLike) -> list[Path]:
    """What killed or failed builds of this site left beside it: staging folders, their manifests, old trees."""
    final = Path(os.fspath(site_dir).rstrip("/\\"))
    parent = final.parent
    prefixes = (final.name + NEW, final.name + OLD)
    try:
        names = os.listdir(parent)
    except FileNotFoundError:
        return []
    return sorted(parent / n for n in names if n.startswith(prefixes))


def remove_stale(site_dir: str | os.PathLike) -> list[Path]:
    """Remove every stale path of site_dir (call only while holding the build lock); returns those it took on.

    A tree that a detached remover is still deleting (gongkai/build/discard.py) is left to it; what a killed remover
    left is finished here, in the background again when it is large."""
    found = []
    for path in stale_paths(site_dir):
        if discard.supported() and os.path.isdir(path) and not os.path.islink(path):
            held = discard.hold(path)
            if held is None:
                continue  # its remover is at work (or it is gone)
            discard.tidy(path, held=held)
        else:
            remove_path(path)
        found.append(path)
    return found


def aside_path(site_dir: str | os.PathLike) -> Path:
    """A fresh stale name beside site_dir for a tree on its way out (site.gongkai-old.<pid>-<random>, not created):
    a build killed before it is gone leaves a path the next build's remove_stale removes."""
    final = Path(os.fspath(site_dir).rstrip("/\\"))
    return final.with_name(f"{final.name}{OLD}.{os.getpid()}-{secrets.token_hex(4)}")


# A claimed file: what the output manifest needs of it — (size, SHA-256) when the cache knows them, else the
# stat of the very file (an inode shared with the cache), for the manifest's stat-trusted hash record.
Claim = tuple[int, str] | os.stat_result

_ACTIVE: dict[str, Recycled] = {}  # staging folder (as given and resolved) -> its recycled tree, while it is built


def claim(target: str, st: os.stat_result, known: tuple[int, str] | None = None) -> bool:
    """Instead of linking the file with stat `st` at target: True when target is in a staging folder whose
    recycled tree already holds that very file (device and inode) at the same path and the staging folder has
    nothing there yet; the caller then writes nothing. known: (size, SHA-256) of the file when the caller has them.

    Keyed by path, not passed as an argument: the writers that link cached files (document pages in forked
    workers, exports, posters, the search index) reach it through the cache without knowing of the recycled tree."""
    found = _tree_of(target)
    return found is not None and found[0].claim(found[1], target, st, known)


def claim_stats(folder: str, names: list[str], stats: list[os.stat_result]) -> list[int]:
    """claim() of files the caller has already stat'ed (names[i] with stats[i], to be put at folder/names[i], a
    folder of a staging folder that the caller has just made and that holds nothing yet, so no target is looked
    up): the positions of those not claimed, for the caller to link. One lookup of the recycled tree for them all,
    and no stat here: the search index (gongkai/build/searchindex.py) stats each cached file once, to check it
    against what it recorded when it wrote it, and hands those stats on."""
    found = _tree_of(os.path.join(folder, ""))
    if found is None:
        return list(range(len(names)))
    tree, prefix = found
    rels = list(map(prefix.__add__, names))
    # the kept tree's inode at each path against the file's, list against list (map, compress: no Python-level
    # loop per file, 14,000 of them on every rebuild)
    same = list(map(eq, map(tree.files.get, rels), map(attrgetter("st_ino"), stats)))
    if not all(map(tree.dev.__eq__, map(attrgetter("st_dev"), stats))):
        same = [ok and st.st_dev == tree.dev for ok, st in zip(same, stats, strict=True)]
    tree.claimed.update(compress(zip(rels, stats, strict=True), same))
    return list(compress(range(len(rels)), map(not_, same)))


class Claims:
    """claim() of many files to be put under one folder of a staging folder (`root`, with its "/"; targets by their
    path under it), in this process: the recycled tree looked up once and the files already under root listed once,
    instead of a lookup and an lexists per target (the document pages: ten thousand at 10,000 documents, on every
    rebuild; BuildCache.link_many). The targets must be distinct, and nothing may be written under root until the
    last one is claimed (the caller links the unclaimed ones after)."""

    __slots__ = ("prefix", "files", "dev", "claimed", "present")

    def __init__(self, root: str):
        found = _tree_of(root) if _ACTIVE else None
        self.files: dict[str, int] = {}
        self.dev = -1
        self.claimed: dict[str, Claim] = {}
        self.prefix = ""
        self.present: frozenset[str] = frozenset()  # what is under root now, files and folders, by path under it
        if found is not None:
            tree, self.prefix = found
            self.files, self.dev, self.claimed = tree.files, tree.dev, tree.claimed
            files, dirs = _listing(root) if os.path.isdir(root) else ([], [])
            self.present = frozenset([*files, *dirs])

    def claim(self, rel: str, st: os.stat_result, known: tuple[int, str] | None = None) -> bool:
        """claim() of the file with stat st at root + rel."""
        if self.files.get(self.prefix + rel if self.prefix else rel) != st.st_ino or st.st_dev != self.dev \
                or rel in self.present:
            return False
        self.claimed[self.prefix + rel if self.prefix else rel] = known if known is not None else st
        return True


def taken(target: str | os.PathLike) -> bool:
    """Whether this build already has a file at target (a path in its staging folder): written there, or claimed
    from the recycled tree (which the staging folder does not show). A writer that must not replace another's file
    (redirect pages at old addresses, theme files) asks this, not whether the path exists: a claimed file is
    absent from the staging folder, so that test would see a warm build's page as missing where a cold build,
    which wrote it, sees it there."""
    path = os.fspath(target)
    if os.path.lexists(path):
        return True
    found = _tree_of(path)
    return found is not None and found[1] in found[0].claimed


def paths_in(stage: str | os.PathLike, folder: str, leaving_out: AbstractSet[str] = frozenset()) -> list[str]:
    """The site paths (folder/name) of the files this build has directly in `folder` of its staging folder `stage`,
    written there or claimed from the recycled tree (the listing `taken` answers for one path), but for those in
    leaving_out, in no order. A check of what a finished build holds (outputcheck) lists this, not the staging
    folder alone, where a warm build's claimed files are absent; it allows most of them by their path (the document
    pages, 100,000 of them at 100,000 documents): the claims are set against leaving_out and their folder in C (one
    pass over the claims, no Python step per allowed file)."""
    prefix = folder + "/"
    try:
        out = [p for p in map(prefix.__add__, os.listdir(os.path.join(stage, folder))) if p not in leaving_out]
    except OSError:
        out = []
    found = _tree_of(os.path.join(os.fspath(stage), prefix))
    if found is not None:
        under = filter(methodcaller("startswith", prefix), found[0].claimed.keys() - leaving_out)
        out += [rel for rel in under if "/" not in rel[len(prefix):]]
    return out


def report_claim(target: str, value: Claim) -> None:
    """A claim a forked worker made at target (its own copy of the recycled tree is gone with it)."""
    found = _tree_of(target)
    if found is not None:
        found[0].add(found[1], value)


def _tree_of(target: str) -> tuple[Recycled, str] | None:
    """The recycled tree whose staging folder holds target, and target's path in the site."""
    for root, tree in _ACTIVE.items():
        if target.startswith(root) and target[len(root):len(root) + 1] == "/":
            return tree, target[len(root) + 1:]
    return None


def _scan(top: str) -> tuple[int, dict[str, int], list[str]] | None:
    """(device, files: site path -> inode, folders) of the tree at top; None when there is none.

    Names and inode numbers come from reading the folders (no stat per file). Where a folder's entry numbers do not
    agree with stat (some layered file systems) or a folder is another file system, every file is stat'ed."""
    try:
        st = os.lstat(top)
    except OSError:
        return None
    if not os.path.isdir(top) or os.path.islink(top):
        return None
    dev = st.st_dev
    files: dict[str, int] = {}
    dirs: list[str] = []
    stack = [("", top)]
    exact = False  # stat every file
    while stack:
        rel, where = stack.pop()
        try:
            with os.scandir(where) as it:
                entries = list(it)
        except OSError:
            continue
        sampled = exact
        for e in entries:
            name = rel + e.name
            try:
                if e.is_dir(follow_symlinks=False):
                    dirs.append(name)
                    stack.append((name + "/", e.path))
                    continue
                if exact:
                    est = e.stat(follow_symlinks=False)
                    if est.st_dev == dev:
                        files[name] = est.st_ino
                    continue
                if not sampled:
                    sampled = True
                    est = e.stat(follow_symlinks=False)
                    if est.st_ino != e.inode() or est.st_dev != dev:
                        return _scan_exact(top, dev)
                files[name] = e.inode()
            except OSError:
                continue
    return dev, files, dirs


def _folder_stats(top: str, dirs: list[str]) -> dict[str, statcheck.Signature]:
    """The stat signature of the top folder ("") and of each folder under it (site paths, as _scan lists them)."""
    out: dict[str, statcheck.Signature] = {}
    for rel in ["", *dirs]:
        try:
            out[rel] = statcheck.signature(os.lstat(f"{top}/{rel}" if rel else top))
        except OSError:
            return {}  # (gone while listed: never trusted, listed again by update)
    return out


def _scan_exact(top: str, dev: int) -> tuple[int, dict[str, int], list[str]]:
    files: dict[str, int] = {}
    names, dirs = _listing(top)
    for name in names:
        try:
            st = os.lstat(f"{top}/{name}")
        except OSError:
            continue
        if st.st_dev == dev:
            files[name] = st.st_ino
    return dev, files, dirs


def _listing(top: str) -> tuple[list[str], list[str]]:
    """(files, folders) under top as site paths; a symbolic link to a folder is listed as a file, never followed."""
    files: list[str] = []
    dirs: list[str] = []
    for dirpath, dnames, fnames in os.walk(top):
        rel = os.path.relpath(dirpath, top).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        for d in list(dnames):
            if os.path.islink(os.path.join(dirpath, d)):
                dnames.remove(d)
                fnames.append(d)
            else:
                dirs.append(prefix + d)
        files += [prefix + n for n in fnames]
    return files, dirs


class Listing:
    """The kept tree at `path` as `register` would list it, made ahead of the build that uses it (mkdocs serve:
    once a rebuild's site is switched, while serve waits for the next save): the device, each file's inode, the
    folders, the stat of each folder and the statcheck.clock stamp taken before it was listed."""

    __slots__ = ("path", "dev", "files", "dirs", "folders", "clock")

    def __init__(self, path: str, dev: int, files: dict[str, int], dirs: list[str],
                 folders: dict[str, statcheck.Signature], clock: int):
        self.path, self.dev, self.files, self.dirs, self.folders, self.clock = path, dev, files, dirs, folders, clock


def _listed(top: str, with_folders: bool) -> tuple[int, dict[str, int], list[str], dict[str, statcheck.Signature]] | None:
    """_scan of the tree at top, and the stat of its folders (_folder_stats; {} when not asked for, or when a folder
    went while it was listed): what list_ahead keeps and Recycled.register lists when it has no usable Listing."""
    found = _scan(top)
    if found is None:
        return None
    dev, files, dirs = found
    return dev, files, dirs, _folder_stats(top, dirs) if with_folders else {}


def list_ahead(final: Path, clock: int) -> Listing | None:
    """A Listing of the tree kept beside final (site/) now; clock: a statcheck.clock stamp taken just before.
    None when there is no tree, or a folder went while it was listed."""
    top = os.fspath(previous_tree_path(final))
    found = _listed(top, True)
    if found is None or not found[3]:
        return None
    return Listing(top, *found, clock)


def _folders_unchanged(top: str, folders: dict[str, statcheck.Signature], clock: int) -> bool:
    """Whether every folder of a listed tree (its site path -> its stat when listed, "" the top) is as it was:
    adding, removing or renaming an entry changes its folder's modification and change time. Trusted as statcheck
    trusts a file: the same device, inode and times, both strictly older than the clock stamp taken before the
    listing (else a change in the listing's own clock tick could go unseen)."""
    for rel, recorded in folders.items():
        try:
            st = os.lstat(f"{top}/{rel}" if rel else top)
        except OSError:
            return False
        if not statcheck.unchanged(recorded, clock, st):
            return False
    return True


class Recycled:
    """The previous generation of the site (beside site/, `previous_tree_path`), updated into the next one.

    `register` lists it and makes `claim` answer for the staging folder; `update` (under the build lock, after
    everything is written) moves the staging folder's files into it and deletes what nobody claimed; then it is
    switched with site/. Only claimed files survive from the old tree, and only at the path and with the inode the
    build asked for, so the result is exactly the staging folder plus the claimed files: what a build into an
    empty folder would have written.
    """

    def __init__(self, final: Path, staging: Path, clock: int | None = None):
        """clock: a statcheck.clock stamp taken before `register` (the build cache's), when stat data may be trusted:
        then `update` lists again only the folders of the kept tree whose stat says they changed (see there)."""
        self.final = final
        self.staging = staging
        self.path = previous_tree_path(final)
        self.clock = clock
        self.dev = -1
        self.files: dict[str, int] = {}
        self.dirs: list[str] = []
        self.folders: dict[str, statcheck.Signature] = {}  # folder's site path ("" the top) -> its stat when listed
        self.claimed: dict[str, Claim] = {}
        self._roots: list[str] = []
        self.aside: Path | None = None  # what `update` took out of the kept tree, until `retire` (aside_path)
        self._asides = 0  # how many things are there (their names there: 0, 1, 2 …)
        self.listed_at = clock  # the clock stamp taken before the kept tree was listed (see _unchanged)
        self.listed_ahead = False  # register took a Listing made before the build (tests)

    def register(self, ahead: Listing | None = None) -> None:
        """List the kept tree (if any) and answer `claim` for the staging folder until `unregister`.

        ahead: the tree listed before this build (list_ahead), used instead of listing it again when stat data is
        trusted and none of its folders changed since (_folders_unchanged): then no entry was added, removed or
        renamed in it."""
        top = os.fspath(self.path)
        if (ahead is not None and self.clock is not None and ahead.path == top
                and _folders_unchanged(top, ahead.folders, ahead.clock)):
            self.dev, self.files, self.dirs, self.folders = ahead.dev, ahead.files, ahead.dirs, ahead.folders
            self.listed_at, self.listed_ahead = ahead.clock, True
        else:
            found = _listed(top, self.clock is not None)
            if found is not None:
                self.dev, self.files, self.dirs, self.folders = found
        for root in {os.fspath(self.staging), os.path.realpath(self.staging)}:
            _ACTIVE[root] = self
            self._roots.append(root)

    def unregister(self) -> None:
        for root in self._roots:
            if _ACTIVE.get(root) is self:
                del _ACTIVE[root]
        self._roots = []

    def claim(self, rel: str, target: str, st: os.stat_result, known: tuple[int, str] | None = None) -> bool:
        if self.files.get(rel) != st.st_ino or st.st_dev != self.dev or os.path.lexists(target):
            return False
        self.claimed[rel] = known if known is not None else st
        return True

    def add(self, rel: str, value: Claim) -> None:
        """A claim made in a forked worker, reported to the main process (gongkai/build/cache.py)."""
        self.claimed[rel] = value

    def update(self) -> None:
        """Make the kept tree exactly the staging folder's files plus the claimed ones; the staging folder is removed.

        The kept tree is listed again first: a claimed file no longer there as claimed (changed while building)
        stops the build with site/ untouched; anything else there that nobody claimed is deleted — a folder without
        a claimed file, and the unclaimed files when they are many, by being set aside (`retire` removes them after
        the switch)."""
        top, stage = os.fspath(self.path), os.fspath(self.staging)
        found = (self.dev, self.files, self.dirs) if self._unchanged(top) else _scan(top)
        if found is None:
            raise OSError(f"{top}: 上一版网站在生成期间消失，本次生成已停止，site/ 保持原样；请重新生成")
        _dev, files, dirs = found
        moved, new_dirs = _listing(stage)  # a symbolic link to a folder is moved like a file, never followed
        moved_set = set(moved)
        # (tens of thousands of claimed files: compared as whole dicts and sets where nothing changed, the usual case)
        if files != self.files:
            changed = [rel for rel in self.claimed if rel not in moved_set and files.get(rel) != self.files.get(rel)]
            if changed:
                raise OSError(f"{top}: 上一版网站在生成期间被改动（{'、'.join(sorted(changed)[:5])}），本次生成已停止，"
                              "site/ 保持原样；请重新生成")
        kept_dirs: set[str] = set()  # the folders holding a claimed file, and theirs (a few hundred)
        for parent in {rel.rpartition("/")[0] for rel in self.claimed}:
            while parent and parent not in kept_dirs:
                kept_dirs.add(parent)
                parent = parent.rpartition("/")[0]
        # Every other folder goes, whole, with whatever is in it (put there meanwhile too): renamed aside, one system
        # call for thousands of files (a search index written anew), deleted after the switch (discard.py); the
        # new site's folder of that name is then moved in whole from the staging folder, below.
        stays = kept_dirs | {""}
        for d in sorted(d for d in dirs if d not in kept_dirs and d.rpartition("/")[0] in stays):
            self._set_aside(f"{top}/{d}")
        # what nobody claimed and nothing replaces, in the folders that stay: deleted, or set aside when many
        doomed = sorted(rel for rel in files.keys() - moved_set - self.claimed.keys()
                        if rel.rpartition("/")[0] in kept_dirs or "/" not in rel)
        for rel in doomed:
            try:
                if len(doomed) < discard.DETACH_MIN:
                    os.unlink(f"{top}/{rel}")
                else:
                    self._set_aside(f"{top}/{rel}")
            except (FileNotFoundError, NotADirectoryError):
                pass
        carried: set[str] = set()  # folders new to the kept tree: moved whole, with everything in them
        for d in sorted(new_dirs):  # parents first
            if d in kept_dirs:
                continue
            if d.rpartition("/")[0] in carried:
                carried.add(d)
                continue
            if d in files:
                remove_path(f"{top}/{d}")  # a file (or link) where the new site has a folder
            os.rename(f"{stage}/{d}", f"{top}/{d}")
            carried.add(d)
        for rel in moved:
            if rel.rpartition("/")[0] not in carried:
                os.replace(f"{stage}/{rel}", f"{top}/{rel}")
        remove_path(stage)

    def _set_aside(self, path: str) -> None:
        """Move a file or folder of the kept tree into this build's folder of things on their way out (made on first
        use, beside site/ under a stale name: `retire` removes it after the switch, the next build if this one is
        killed first)."""
        if self.aside is None:
            self.aside = aside_path(self.final)
            os.mkdir(self.aside)
        os.rename(path, self.aside / str(self._asides))
        self._asides += 1

    def retire(self) -> None:
        """Remove what `update` set aside (in the background when it is much: discard.py)."""
        if self.aside is not None:
            aside, self.aside = self.aside, None
            self._asides = 0
            discard.tidy(aside)

    def _unchanged(self, top: str) -> bool:
        """Whether the kept tree still holds exactly the names and inode numbers `register` listed, by the stat of
        each of its folders instead of listing its 37,000 files again (_folders_unchanged); no stamp
        (GONGKAI_TRUST_STAT=0): listed again."""
        if self.clock is None or self.listed_at is None or not self.folders:
            return False
        return _folders_unchanged(top, self.folders, self.listed_at)

    def forget(self, rels: list[str]) -> None:
        """Delete these files from the kept tree now (a withdrawn document's page and attachments)."""
        for rel in rels:
            try:
                os.unlink(self.path / rel)
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                pass


def swap_into_place(staging: Path, final: Path, companion: tuple[Path, Path] | None = None,
                    recycled: Recycled | None = None) -> None:
    """Replace final (site/) by the finished staging tree.

    Where the file system can exchange two paths, this is one atomic step: final is the old tree, then the new
    one. Elsewhere two renames (final aside, staging into place; if the second fails, final is put back) leave
    a moment without final. companion: (written, destination) of a file renamed into place right after the
    switch (the manifest).

    recycled: the kept previous tree. When the build claimed files of it, it is brought up to date and switched
    in instead of the staging folder; either way the old site is then kept as the next build's previous tree
    (nothing to delete but an older kept tree the staging folder replaced, and what the update set aside). Without
    it (no cache) the old tree is deleted last. What is deleted goes once the new site is in place, a large tree
    in the background (discard.tidy); a build killed before leaves a stale path.
    """
    source = staging
    if recycled is not None:
        recycled.unregister()
        if recycled.claimed:
            recycled.update()
            source = recycled.path
    if os.path.lexists(final):
        if exchange(source, final):
            old = source  # now holds the previous site
        else:
            old = aside_path(final)
            os.replace(final, old)
            try:
                os.replace(source, final)
            except BaseException:
                os.replace(old, final)
                raise
    else:
        os.replace(source, final)
        old = None
    if companion is not None:
        os.replace(*companion)
    prev = previous_tree_path(final)
    # The new site is in place: what it supersedes is removed without making the build wait (discard.py)
    if recycled is None:
        if old is not None:
            discard.tidy(old, aside_path(final))
        discard.tidy(prev, aside_path(final))  # a tree kept by an earlier build: nothing will update it
    else:
        if old is not None and old != prev:
            # the staging folder became site/: the older kept tree is superseded by the old site
            discard.tidy(prev, aside_path(final))
            os.replace(old, prev)
        recycled.retire()
