"""The build cache in .cache/gongkai/ (next to mkdocs.yml): parsed front matter, privacy-scan results (the
build's memo, gongkai/memo.py), and finished files — document pages, poster PDFs (build/posters.py) and
data exports (build/exports.py) — and the search index state (build/search.py).

Everything here is keyed by content, never by time: a cached page is reused only when every input that
shaped it is the same (the document, what its page shows of other documents and columns, its head tags,
the Material shell around it, the bureau's templates) and gongkai is the same (`code_key`: its code,
templates and fonts, the versions of the libraries and of Python). A build with a cold cache and a build
with a warm one write byte-identical files. Delete the folder at any time.

Finished files are stored once in the cache (pages/, by key and suffix) and hard-linked into the new site (copied where the file system
refuses links), so a rebuild writes almost nothing. Nothing may rewrite a file of site/ in place: replace
it with a new file instead (write elsewhere, then os.replace).

A build may be killed at any moment (tests/e2e/test_killed_build.py), so nothing here is trusted because it exists:
every file is written under a temporary name and renamed (write_atomic); the index of finished files
(pages.marshal: size, modification time and SHA-256 of each) is saved only when a build succeeded; and a cached
file is used only when it still has the recorded size, time and SHA-256. A killed build's half-written temporary
file is never in the index, and `finish` deletes it. `lookup` reads and hashes a cached file only when its stat data
cannot vouch for it (gongkai/statcheck.py: same device, inode, size and modification time, older than the moment
it was last verified or, for a file this build stored, than the build's stamp — store dates the new file just
before that stamp before renaming it into place, so the next build does not read back every page this one wrote;
GONGKAI_TRUST_STAT=0: always). The SHA-256 of output files is remembered the same way (outputs.marshal), for
site.manifest.json.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import marshal
import operator
import os
import pickle
import shutil
import sys
import time
import zlib
from collections.abc import Callable, Hashable, Iterable, Iterator
from pathlib import Path
from typing import Any

from gongkai import statcheck
from gongkai.build import staging
from gongkai.fsutil import naming
from gongkai.memo import MISSING, Memo
from gongkai.model import Column, Document

VERSION = 3  # 2: the index of finished files records their SHA-256; 3: and their device, inode, verification time
# in the cache folder from the first file a build stores until its sweep and index are done (see _sweep)
UNSWEPT = "pages.unswept"
OUTPUTS = "outputs.marshal"  # the SHA-256 of output files by their stat (statcheck.HashRecord), for the manifest
INDEX = "pages.marshal"  # the index of finished files (BuildCache._index)
STATES = "states.marshal"  # what steps kept of the last complete build (BuildCache.state)
FORMER = ("pages.pickle", "states.pickle")  # where gongkai before 2026-12-02 kept those two: deleted when met
MEMO_FILES = 64  # the memo (parsed YAML, scans, loaded documents) is kept in this many files
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # all of gongkai: code, templates, theme, fonts
SOURCE_SUFFIXES = (".py", ".html", ".txt", ".json", ".yml", ".yaml", ".css", ".js", ".ttf")
CODE_FILE = "code.marshal"  # code_key's digest of gongkai's files, kept by their stat (see code_key)


def _digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=20)
    for p in parts:
        h.update(len(p).to_bytes(8, "little"))
        h.update(p)
    return h.hexdigest()


def folder_digest(folder: Path, head: bytes = b"", suffixes: tuple[str, ...] | None = SOURCE_SUFFIXES) -> str:
    """A digest of the source files under a folder (names and bytes), in a fixed order; suffixes=None: of every
    file (a bureau's theme folder: templates, icons, CSS …).

    SHA-256: hardware-accelerated on most CPUs, many times faster than BLAKE2b on the megabytes of the fonts.
    """
    h = hashlib.sha256(head)
    found: list[str] = []
    for dirpath, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found += [os.path.join(dirpath, f) for f in files if suffixes is None or f.endswith(suffixes)]
    for path in sorted(found):
        h.update(os.path.relpath(path, folder).replace(os.sep, "/").encode() + b"\0")
        with open(path, "rb") as fh:
            data = fh.read()
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def code_key(folder: Path | None = None, stamp: int | None = None) -> str:
    """What every cached result depends on besides its own inputs: gongkai itself (its code, templates, theme and
    fonts), the versions of the libraries that shape its output, of zlib and of Python. Part of every key.

    folder, stamp: the build cache's folder and the statcheck.clock stamp its build took before this call. The digest
    of gongkai's files (~4.5 MB: ~10 ms of every build's start) is then kept there (CODE_FILE) with the stat of every
    file it read and that stamp, and used again while every file has the same stat, older than the stamp
    (statcheck's racy-git rule: a file changed after the stamp has a time at least as new — on the stamp's own file
    system: files on another device than folder are hashed every build). Without them: hashed."""
    from importlib.metadata import version

    import jinja2
    import reportlab
    import yaml

    # segno by its metadata: importing it (urllib, http, ssl) is more than a rebuild needs
    versions = (f"v{VERSION} jinja2 {jinja2.__version__} cmarkgfm {version('cmarkgfm')} nh3 {version('nh3')} pyyaml {yaml.__version__} "
                f"reportlab {reportlab.Version} segno {version('segno')} zlib {zlib.ZLIB_RUNTIME_VERSION} python {sys.version}").encode()
    if folder is None or stamp is None:
        return folder_digest(PACKAGE_DIR, versions)
    files = code_signature()
    seal = _digest(versions, repr(files).encode())
    path = folder / CODE_FILE
    try:
        with open(path, "rb") as fh:
            kept_seal, kept_stamp, kept_key = marshal.loads(fh.read())
        # the stamp is the cache folder's file system's time: a file on another one (another clock, coarser or
        # behind) can be edited after it and still be dated before it, so such files are hashed every build
        device = os.stat(folder).st_dev
        if kept_seal == seal and all(f[2] == device and f[-2] < kept_stamp and f[-1] < kept_stamp for f in files):
            return str(kept_key)
    except (OSError, ValueError, EOFError, TypeError):
        pass  # none kept (or not readable): hashed
    key = folder_digest(PACKAGE_DIR, versions)
    with contextlib.suppress(OSError):  # (not kept: the next build hashes again)
        write_atomic(path, marshal.dumps((seal, stamp, key)))
    return key


def code_signature(folder: Path | None = None) -> tuple:
    """The stat of every file code_key hashes — its folder, name, device, inode, size, modification and change
    times (statcheck.signature): while they are the same, so is the key (with a stamp older than them all)."""
    out = []
    for dirpath, dirs, files in os.walk(folder or PACKAGE_DIR):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(SOURCE_SUFFIXES):
                out.append((dirpath, name, *statcheck.signature(os.stat(os.path.join(dirpath, name)))))
    return tuple(out)


# --- fingerprints of the values a document page is rendered from ----------------------------------------


_REPR_FIELDS: dict[type, tuple[str, ...]] = {}  # dataclass -> the names of its fields shown in its repr
_PLAIN = frozenset({str, int, float, bool, type(None)})  # exact types: a subclass (Markup, an enum) takes the long way

def _shown(value: Any) -> str:
    """A document or a column as other pages show it (title, link, dates, status …), digested: the picture of a
    column or a document that many pages show is made once per build (fingerprint's memo) and repr'd as a short
    string on each of those pages."""
    if isinstance(value, Document):
        out: Any = ("doc", value.id, value.title, value.href, value.doc_number, value.index_no, value.publisher,
                    value.published, value.written, value.status, value.disclosure, value.normative,
                    value.effective, value.expires, value.topic, value.is_public)
    else:
        out = ("col", value.path, value.name, value.kind.value, value.href,
               tuple((a.name, a.href) for a in value.ancestors))
    return out[0] + ":" + _digest(repr(out).encode("utf-8"))


def fingerprint(value: Any, depth: int = 0, memo: dict[int, Any] | None = None) -> Any:
    """A plain, deterministic picture of a template value (for hashing).

    Documents and columns other than the page's own appear through the fields pages show of them
    (title, link, dates, status); other dataclasses with all their fields; callables not at all.
    `memo` remembers the pictures of documents and columns during one build (they are shared by many pages).
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is Document or kind is Column or isinstance(value, (Document, Column)):
        if memo is None:
            return _shown(value)
        found = memo.get(id(value))
        if found is None:
            found = memo[id(value)] = _shown(value)
        return found
    if kind is list or kind is tuple:
        return tuple([fingerprint(v, depth + 1, memo) for v in value])
    if kind is dict:
        return tuple(sorted([(str(k), fingerprint(v, depth + 1, memo)) for k, v in value.items()]))
    if isinstance(value, (str, int, float, bool)):  # str and int subclasses: Markup, enums …
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return tuple(fingerprint(v, depth + 1, memo) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), fingerprint(v, depth + 1, memo)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(fingerprint(v, depth + 1, memo)) for v in value))
    names = _REPR_FIELDS.get(kind)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _REPR_FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value) if f.repr)
    if names is not None:
        if depth > 6:
            return (kind.__name__,)
        return (kind.__name__,) + tuple((n, fingerprint(getattr(value, n), depth + 1, memo)) for n in names)
    if callable(value):
        return None
    return repr(value)


SKIPPED_CONTEXT = frozenset({"doc", "cat", "site", "today", "validity", "body"})
# Fields of a document that its source file alone determines, when the loader recorded the file's digest
# (front_matter and field_lines are not in the repr either).
FROM_SOURCE = frozenset({"body", "source_digest"})
_DOC_FIELDS: list[Any] = []  # the names of a document's fields and getters of its text fields and of the others
_ONLY_STR = {str}
_SEP = "\x1f"  # between text fields: no YAML value holds it (a control character), and it is checked for anyway


def document_fingerprint(doc: Any) -> str:
    """Everything a document was loaded with, as text: its dataclass fields (those in its repr).

    Where the loader recorded a digest of the source file (source_digest), the body and the parsed front
    matter are represented by that digest (they come from the file alone and are never changed after
    loading); every other field is written out, since some depend on more than the file (the default
    publisher and term from site.yml, the columns …). A field whose repr is not stable only costs cache hits.

    Made for every document page of every build: the text fields are joined as they are (repr of Chinese text
    checks each character for printability, most of the time this took), the other fields repr'd.
    """
    source = getattr(doc, "source_digest", "")
    if not source:
        return repr(doc)
    if not _DOC_FIELDS:
        fields = [f for f in dataclasses.fields(doc) if f.repr and f.name not in FROM_SOURCE]
        texts = tuple(f.name for f in fields if f.type in ("str", str))
        others = tuple(f.name for f in fields if f.name not in texts)
        _DOC_FIELDS[:] = [repr((type(doc).__name__, texts, others)), operator.attrgetter(*texts),
                          operator.attrgetter(*others)]
    head, texts, others = _DOC_FIELDS
    values = texts(doc)
    if {*map(type, values)} == _ONLY_STR:  # (a set of their types: no generator per document)
        joined = _SEP.join(values)
        if joined.count(_SEP) == len(values) - 1:
            return f"{head}{source}{_SEP}{joined}{_SEP}{others(doc)!r}"
    return f"{head}{source}{values!r}{others(doc)!r}"


def page_key(salt: str, doc: Any, context: dict[str, Any], memo: dict[int, Any] | None = None) -> str:
    """The cache key of one finished document page.

    The page's own document counts with every field it was loaded with (`document_fingerprint`), the other
    values of its template context through their fingerprints. Its head tags are a function of the document,
    its columns and site.yml (all in the key, site.yml through the salt) and of gongkai's code (in the salt).
    """
    names = tuple(context)  # the same names, in the same order, for every page of a build
    order = _CONTEXT_ORDER.get(names)
    if order is None:
        wanted = tuple(sorted(k for k in names if k not in SKIPPED_CONTEXT))
        order = _CONTEXT_ORDER[names] = (wanted, repr(wanted))
    plain = _PLAIN
    values = []
    for k in order[0]:  # (the common None, [] and {} inline: no call)
        v = context[k]
        kind = type(v)
        values.append(v if kind in plain else () if not v and (kind is list or kind is dict) else fingerprint(v, 1, memo))
    return _digest(salt.encode(), document_fingerprint(doc).encode("utf-8"), f"{order[1]}{values!r}".encode())


# the names of a document context (as document_context makes it) -> those in the key, sorted, and their repr
_CONTEXT_ORDER: dict[tuple[str, ...], tuple[tuple[str, ...], str]] = {}


# --- the cache folder -----------------------------------------------------------------------------------


def place(src: str | os.PathLike, dst: str | os.PathLike) -> None:
    """Put a cached file at dst: a hard link where possible, else a copy. A failure names dst.

    dst's folder is made here when it is missing: the writers that put cached files (exports, feeds, posters,
    cached pages, theme files) make no folder beforehand, so a folder of the staging folder whose files are all
    claimed from the recycled tree is never made — and never removed again when the kept tree is updated
    (gongkai/build/staging.py). Removing a folder costs milliseconds where the file system discards freed
    blocks at once (`discard` mounts); a rebuild after editing one document made and removed 169 of them."""
    with naming(dst):
        try:
            os.link(src, dst)
        except FileExistsError:
            os.unlink(dst)
            os.link(src, dst)
        except FileNotFoundError:
            if not os.path.exists(src):
                raise
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            place(src, dst)
        except OSError:
            shutil.copyfile(src, dst)


def write_atomic(path: Path, data: bytes, older_than: int | None = None) -> os.stat_result:
    """Write data to path through a temporary file and a rename, so that path is never half-written (a process
    killed meanwhile leaves only the temporary file, which no reader trusts). A failure names path.

    older_than: a statcheck.clock stamp taken before this write; the file gets the modification time 1 ns before
    it while it is still the temporary file, before the rename makes it visible. Until then no one else knows the
    file, and any later write gives it a time at least as new as the stamp: so the file's stat data can vouch for
    its contents from the next build on (BuildCache.store/record) instead of only after the next build hashed it.
    Only for files gongkai writes into its own cache, never for a file the user writes."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with naming(path):
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
            if older_than is not None:  # (after the close: a buffered write flushed by it would set the time anew)
                date_before(tmp, older_than)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    return path.stat()


def date_before(path: str | os.PathLike | int, stamp: int) -> None:
    """Give a file gongkai has just written, and that nobody else knows yet, the modification time 1 ns before
    stamp (a statcheck.clock stamp taken before the writing): any later write dates it at or after the stamp, so its
    recorded stat can vouch for its contents (write_atomic; the search index's cached tree). The access time is now
    (relatime leaves it alone). Where the time cannot be set, the file keeps the time of writing: not older than the
    stamp, so it is simply not trusted by its stat. path may be the file's open descriptor (written, not closed)."""
    with contextlib.suppress(OSError):
        os.utime(path, ns=(time.time_ns(), stamp - 1))


class BuildCache:
    """One build's view of .cache/gongkai/. `folder=None` disables caching (every file is made afresh)."""

    def __init__(self, folder: Path | None, previous: BuildCache | None = None, trust_stat: bool = True,
                 code: str | None = None, defer_saves: bool = False):
        """previous: the cache of the last build in this process (mkdocs serve), reused when it is of the same
        folder and the same gongkai: its index and memo are what this build would read back from the folder.
        trust_stat: whether a file's stat data may vouch for its contents (gongkai/statcheck.py).
        code: code_key(), when the caller knows it (mkdocs serve: gongkai/mkdocs/session.py).
        defer_saves: the index, memo and output hashes are written (and unused cached files deleted) only by
        save_deferred(), which mkdocs serve calls once the rebuild is served."""
        self.folder = folder
        self.pages_dir = folder / "pages" if folder else None
        self._pages_str = os.fspath(self.pages_dir) if self.pages_dir else ""
        # key -> size, mtime_ns, sha256 of the finished file, its device and inode, and the statcheck.clock stamp
        # taken before it was last written or hashed (0: never to be trusted without hashing it)
        self._index: dict[str, tuple[int, int, str, int, int, int]] = {}
        # (key, device, inode) of the files lookup verified by hashing in this process (see verified)
        # and, from a forked worker, (key, device, inode, staging path, False) of the files it claimed (see link)
        self.rehashed: list[tuple[Any, ...]] = []
        self.clock: int | None = None  # statcheck.clock when this build began; None: stat data is not trusted
        self._outputs: dict[tuple[int, int], tuple[statcheck.Signature, str, int]] = {}
        self._outputs_loaded = False
        self.output_hashes: statcheck.HashRecord | None = None
        self._used: set[str] = set()
        self._pid = os.getpid()  # link() in a forked worker reports its claims to this process
        self._memo: dict[Hashable, Any] = {}
        self._memo_shard: dict[Hashable, int] = {}  # key -> the memo file it is kept in
        self._memo_used: set[Hashable] = set()
        self._memo_dirty: set[int] = set()  # memo files with a new entry
        self._memo_loaded = False
        self.code = ""  # code_key(), read once per build: part of every key
        # what steps kept of the last complete build (see `state`): as read, and as this build leaves it
        self._states: dict[str, Any] | None = None
        self._states_next: dict[str, Any] = {}
        # name -> what to write there, or None: written at once (see save_deferred)
        self.deferred: dict[str, Callable[[], None]] | None = {} if defer_saves else None
        # whether finish lists every folder of pages/ for files the index does not hold (see _sweep), and whether
        # this process has put the UNSWEPT mark there yet
        self._sweep_all = False
        self._marked = False
        if folder is not None:
            if trust_stat:
                self.clock = statcheck.clock(folder)
            # (after the stamp: code_key keeps its digest of gongkai's files by their stat, with this stamp)
            self.code = code or code_key(folder, self.clock)
            if previous is not None and previous.folder == folder and previous.code == self.code:
                # mkdocs serve: what the last build of this process knew, instead of reading it all again
                self._index = previous._index
                self._memo, self._memo_shard, self._memo_loaded = previous._memo, previous._memo_shard, previous._memo_loaded
                if previous.output_hashes is not None:
                    self._outputs, self._outputs_loaded = previous.output_hashes.new, True
                self._states = previous._states  # (that build finished: what it kept is committed)
            else:
                loaded = self._load(INDEX)
                for name in FORMER:
                    (folder / name).unlink(missing_ok=True)
                self._index = loaded or {}
                self._sweep_all = loaded is None  # files of another index (other code, a damaged file) are unknown
            self._sweep_all = self._sweep_all or os.path.lexists(folder / UNSWEPT)

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def _load(self, name: str) -> Any:
        """What _save stored under name, if this version of gongkai stored it (other code: start afresh)."""
        assert self.folder is not None
        try:
            with open(self.folder / name, "rb") as fh, no_gc():
                # marshal.load of a file reads it in small pieces: outputs.marshal of a 10,000-document site (3.3 MB)
                # took 0.2 s that way, 0.025 s read whole and decoded from bytes (pickle buffers its reads itself)
                data = decode_kept(fh.read()) if name.endswith(".marshal") else pickle.load(fh)
            if isinstance(data, dict) and data.get("version") == VERSION and data.get("code") == self.code:
                return data["items"]
        except Exception:  # a damaged or foreign cache file is simply ignored
            pass
        return None

    def _save(self, name: str, items: Any) -> None:
        if self.deferred is not None:
            self.deferred[name] = lambda: self._write(name, items)
            return
        self._write(name, items)

    def _write(self, name: str, items: Any) -> None:
        assert self.folder is not None
        (self.folder / name).parent.mkdir(parents=True, exist_ok=True)
        data = {"version": VERSION, "code": self.code, "items": items}
        if name.endswith(".marshal"):  # plain values (tuples, numbers, strings): written and read back faster
            # the output hashes in version 2: no table of shared objects (versions 3 and 4 note every tuple, string
            # and number in one: 27,000 entries at 10,000 documents took 11 ms to write instead of 5); the index and
            # the states, whose entries share their strings, in the current version (2 ms instead of 2.8 at 10,000)
            write_atomic(self.folder / name, encode_kept(data, 2 if name == OUTPUTS else marshal.version))
        else:
            write_atomic(self.folder / name, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))

    # what loading remembers: parsed YAML, privacy scans

    @contextlib.contextmanager
    def memo(self) -> Iterator[Memo | None]:
        """While loading: the memo to pass to load_catalogue (None without a cache folder); entries this build did
        not use are dropped when it ends.

        The memo is kept in MEMO_FILES files (memo/NN.pickle, by a hash of the key), and only the files with a new
        or an unused entry are written again: after editing one document, a few small files, not all of it.
        """
        if self.folder is None:
            yield None
            return
        if not self._memo_loaded:
            self._memo, self._memo_shard = {}, {}
            for shard in range(MEMO_FILES):
                items = self._load(f"memo/{shard:02x}.pickle") or {}
                self._memo.update(items)
                self._memo_shard.update(dict.fromkeys(items, shard))
            (self.folder / "yaml.pickle").unlink(missing_ok=True)  # the former single memo file
            self._memo_loaded = True
        self._memo_used, self._memo_dirty = set(), set()
        yield _Memo(self)
        if self.deferred is not None:  # (a pass over the whole memo: done with the saving, after the build)
            self.deferred["memo/"] = self._save_memo
        else:
            self._save_memo()

    def _save_memo(self) -> None:
        """Drop the memo entries this build did not use and write the memo files that changed."""
        changed = set(self._memo_dirty)
        for key in [k for k in self._memo if k not in self._memo_used]:
            changed.add(self._memo_shard.pop(key))
            del self._memo[key]
        if changed:  # each memo file's entries, gathered in one pass (not one pass over the memo per file)
            by_file: dict[int, dict[Hashable, Any]] = {shard: {} for shard in changed}
            shard_of = self._memo_shard
            for k, v in self._memo.items():
                part = by_file.get(shard_of[k])
                if part is not None:
                    part[k] = v
            for shard in sorted(changed):
                self._write(f"memo/{shard:02x}.pickle", by_file[shard])

    # finished files

    def key(self, *inputs: Any) -> str:
        """The key of a file made from `inputs` (plain values with a stable repr) by this gongkai."""
        return _digest(self.code.encode(), repr(inputs).encode("utf-8"))

    def put(self, target: Path, make: Callable[[], bytes], *inputs: Any) -> bool:
        """Put the file made by make() at target: from the cache when an earlier build made it from the same inputs,
        else made, kept in the cache and linked. Without a cache folder, simply made. True if it came from the cache."""
        return self.put_keyed(target, make, self.key(*inputs) if self.folder is not None else "")

    def put_keyed(self, target: Path, make: Callable[[], bytes], key: str) -> bool:
        """put() of a file whose key the caller has already (a key kept from the last build: bodykeys.PagedKeys)."""
        if self.folder is None:
            with naming(target):
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(make())
            return False
        hit = self.link(key, target)
        if not hit:
            data = make()
            self.record(key, self.keep(key, data, target), hashlib.sha256(data).hexdigest())
        self.use(key)
        return hit

    def link(self, key: str, target: str | os.PathLike) -> bool:
        """Link the file cached for key at target, if there is one (safe to call from worker processes).

        Where target is in a staging folder whose recycled previous tree already holds that very file there,
        nothing is written: the file is claimed (gongkai/build/staging.py). A worker process reports its claims
        to the main process with its `rehashed` list (publish.write_documents passes them to `verified`)."""
        found = self._lookup(key, _suffix(target))
        if found is None:
            return False
        path, st, _hashed = found
        dst = os.fspath(target)
        known = self._index[key][0], self._index[key][2]
        if staging.claim(dst, st, known):
            if os.getpid() != self._pid:
                self.rehashed.append((key, st.st_dev, st.st_ino, dst, False))
        else:
            place(path, dst)
        return True

    def link_many(self, root: str, pairs: list[tuple[str, str]], suffix: str = ".html") -> list[tuple[int, str] | None]:
        """link(key, root + rel) of each (key, rel) pair, in this process (not a worker's: its claims would not be
        reported), for targets with this suffix under one folder (root, with its "/"): the claims of the recycled
        tree made in the same pass (staging.Claims: the tree looked up once, what is under root listed once).
        Returns the (size, SHA-256) of each that came from the cache (`digest`, for the output manifest), else None.

        One stat per cached file, as `_lookup` makes it, and `_lookup`'s rule for trusting it written out in the
        loop: every page of the site passes here on every rebuild (100,000 of them at 100,000 documents), and the
        call, the path object and the tuples `_lookup` makes cost as much as the stat. A file that rule does not
        vouch for goes through `_lookup` itself (hashed, or refused). The unclaimed files are placed after the loop."""
        out: list[tuple[int, str] | None] = [None] * len(pairs)
        if self.pages_dir is None:
            return out
        index, pages, clock, stat = self._index, self._pages_str, self.clock, os.stat
        claim = staging.Claims(root).claim
        placed: list[tuple[str, str]] = []
        for n, (key, rel) in enumerate(pairs):
            entry = index.get(key)
            if entry is None:
                continue
            if clock is not None and entry[5]:
                path = f"{pages}/{key[:2]}/{key}{suffix}"
                try:
                    st = stat(path)
                except OSError:
                    continue
                mtime = st.st_mtime_ns  # (_lookup: same size and time, same file, older than its stamp)
                if not (mtime == entry[1] and mtime < entry[5] and st.st_ino == entry[4] and st.st_size == entry[0]
                        and st.st_dev == entry[3]):
                    hit = self._lookup(key, suffix)
                    if hit is None:
                        continue
                    path, st = hit[0], hit[1]
            else:
                hit = self._lookup(key, suffix)
                if hit is None:
                    continue
                path, st = hit[0], hit[1]
            known = out[n] = (entry[0], entry[2])
            if not claim(rel, st, known):
                placed.append((path, root + rel))
        for path, target in placed:
            place(path, target)
        return out

    def needs_hashing(self, key: str) -> bool:
        """Whether `lookup` of key would read and hash its file (unless its stat data no longer matches at all):
        stat data is not trusted in this build, or its entry has no stamp (stored while stat data was not trusted)."""
        entry = self._index.get(key)
        return entry is not None and (self.clock is None or entry[5] == 0)

    def put_copy(self, src: str | os.PathLike, target: str | os.PathLike) -> tuple[int, str]:
        """Put a copy of the file src at target, as MkDocs would copy it (an attachment, a theme asset); returns its
        (size, SHA-256), for the output manifest.

        The copy is kept in the cache by the source's content (SHA-256, and target's suffix) and linked at target —
        or claimed where the recycled previous tree already holds that very file there (staging.claim), so a
        rebuild writes, renames and deletes none of the site's unchanged attachments. The source's SHA-256 comes
        from the output hash record when its stat data, change time included, vouches for it (statcheck); else
        the source is read. Never a link to the source itself: editing content/ must not change a built site."""
        src = os.fspath(src)
        if self.folder is None:
            with naming(src), open(src, "rb") as fh:
                whole = fh.read()
            with naming(target):
                Path(target).parent.mkdir(parents=True, exist_ok=True)
                Path(target).write_bytes(whole)
            return len(whole), hashlib.sha256(whole).hexdigest()
        hashes = self.outputs()
        with naming(src):
            st = os.stat(src)
            sha = hashes.get(st, ctime=True) if hashes is not None else None
            data: bytes | None = None
            if sha is None:
                with open(src, "rb") as fh:
                    data = fh.read()
                sha = hashlib.sha256(data).hexdigest()
                if hashes is not None:
                    hashes.put(st, sha, ctime=True)  # st taken before reading: a change meanwhile is seen next time
        key = self.key("copy", sha, _suffix(target))
        if not self.link(key, target):
            if data is None:
                with naming(src), open(src, "rb") as fh:
                    data = fh.read()
                now = hashlib.sha256(data).hexdigest()
                if now != sha:  # changed since its stat vouched for it: by what it is now
                    sha = now
                    key = self.key("copy", sha, _suffix(target))
            self.record(key, self.keep(key, data, target), sha)
        self.use(key)
        return self.digest(key)

    def keep(self, key: str, data: bytes, target: str | os.PathLike) -> Path:
        """Store a new file for key and link it at target (safe to call from worker processes; record() it after)."""
        stored = self.store(key, data, _suffix(target))
        place(stored, target)
        return stored

    # what a step keeps from one complete build to the next

    def state(self, name: str) -> Any:
        """What a step kept with `keep_state` in the last build that finished (None: nothing, or no cache).

        For a step that skips work by what changed since (model.Changes): the value holds the load's token it was
        made from, and the step trusts it only when that token is `changes.since`. Kept in states.marshal, written
        by `finish` only (a failed or killed build leaves the last finished build's states); a state this build does
        not keep again is dropped."""
        if self.folder is None:
            return None
        if self._states is None:
            self._states = self._load(STATES) or {}
        return self._states.get(name)

    def keep_state(self, name: str, value: Any) -> None:
        """Keep value under name for the next build (see `state`), once this build has finished."""
        if self.folder is not None:
            self._states_next[name] = value

    # finished pages

    def page_path(self, key: str, suffix: str = ".html") -> Path:
        assert self.pages_dir is not None
        return self.pages_dir / key[:2] / f"{key}{suffix}"

    def lookup(self, key: str, suffix: str = ".html") -> str | None:
        """The cached file for key (a page, or a poster with suffix .pdf), if it is there and unchanged since it
        was recorded: same size and modification time, and the same SHA-256 — hashed, unless its stat data vouches
        for it (statcheck.unchanged; not its ctime: linking the file into each new site changes that). A file
        verified by hashing is listed in `rehashed`, for `verified` (in the main process)."""
        found = self._lookup(key, suffix)
        return found[0] if found is not None else None

    def _lookup(self, key: str, suffix: str) -> tuple[str, os.stat_result, bool] | None:
        """lookup(), with the file's stat and whether it was hashed to be trusted."""
        if self.pages_dir is None:
            return None
        expected = self._index.get(key)
        if expected is None:
            return None
        path = self._cached_str(key, suffix)
        try:
            st = os.stat(path)
            if (st.st_size, st.st_mtime_ns) != expected[:2]:
                return None
            if (self.clock is not None and (st.st_dev, st.st_ino) == expected[3:5]
                    and st.st_mtime_ns < expected[5]):
                return path, st, False
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        if not _intact(data, expected):
            return None
        if self.clock is not None:
            self.rehashed.append((key, st.st_dev, st.st_ino))
        return path, st, True

    def read(self, key: str, suffix: str = ".html") -> bytes | None:
        """The bytes of the cached file for key, always checked against its recorded SHA-256: for a file that is
        only read, never linked into a site (a column's body). Nothing holds such a file's inode once it is
        replaced, so a new file may get the same inode number and time: its stat data cannot vouch for it."""
        if self.pages_dir is None:
            return None
        expected = self._index.get(key)
        if expected is None:
            return None
        try:
            with open(self._cached_str(key, suffix), "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        return data if _intact(data, expected) else None

    def _cached_str(self, key: str, suffix: str) -> str:
        """The cached file's path for key as a plain string (lookup runs for every page: no Path objects)."""
        return f"{self._pages_str}/{key[:2]}/{key}{suffix}"

    def verified(self, key: str, dev: int, ino: int, claimed: str = "", hashed: bool = True) -> None:
        """The cached file for key (device, inode) was found unchanged by hashing it in this build, after
        self.clock was taken: from now on its stat data vouches for it while its time is older than that stamp.

        claimed: a worker process claimed the file at this staging path instead of linking it (see link): the main
        process's recycled tree learns of it; hashed: whether it was hashed (else only the claim is reported)."""
        entry = self._index.get(key)
        if claimed and entry is not None:
            staging.report_claim(claimed, (entry[0], entry[2]))
        if hashed and entry is not None and self.clock is not None:
            self._index[key] = (*entry[:3], dev, ino, self.clock)

    def digest(self, key: str) -> tuple[int, str]:
        """(size, SHA-256) recorded for key: after a successful lookup, those of the file it returned."""
        size, _mtime, sha = self._index[key][:3]
        return size, sha

    def store(self, key: str, data: bytes, suffix: str = ".html") -> Path:
        """Write a finished page into the cache (safe to call from worker processes)."""
        path = self.page_path(key, suffix)
        path.parent.mkdir(parents=True, exist_ok=True)  # (first: without a stamp, nothing made the cache folder yet)
        if not self._marked:  # before the first file: a build that stops from here on leaves the mark (see _sweep)
            assert self.folder is not None
            (self.folder / UNSWEPT).touch()
            self._marked = True
        write_atomic(path, data, self.clock)  # dated just before the build's stamp: see record
        return path

    def record(self, key: str, path: Path, sha256: str | None = None) -> None:
        """Enter a stored file in the index (sha256: its hash when the caller has it, else the file is hashed)."""
        st = path.stat()
        if sha256 is None:
            sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        # stored in this build (store: the file was dated just before self.clock before it became visible, so any
        # later write dates it at or after the stamp): trusted by its stat from the next build on while its time is
        # older than the stamp; a file with a newer time (changed meanwhile, or not dated) is hashed (racy-git)
        self._index[key] = (st.st_size, st.st_mtime_ns, sha256, st.st_dev, st.st_ino, self.clock or 0)

    def use(self, key: str) -> None:
        self._used.add(key)

    def use_all(self, keys: Iterable[str]) -> None:
        """use() of each key (every document page's, on every build: one call)."""
        self._used.update(keys)

    def hashing(self, keys: list[str]) -> list[int]:
        """The positions of the keys whose `lookup` would read and hash the file (needs_hashing of each)."""
        index, clock = self._index, self.clock
        return [n for n, entry in enumerate(map(index.get, keys))
                if entry is not None and (clock is None or entry[5] == 0)]

    def digests(self, keys: Iterable[str]) -> Iterator[tuple[int, str]]:
        """digest() of each key, in order."""
        return ((entry[0], entry[2]) for entry in map(self._index.__getitem__, keys))

    def finish(self) -> None:
        """After a successful build: forget and delete the pages this build did not use."""
        if self.pages_dir is None:
            return
        for item in self.rehashed:  # those hashed in this process (worker processes' are reported to verified())
            self.verified(*item)
        self.rehashed = []
        stale = [k for k in self._index if k not in self._used]
        for key in stale:
            del self._index[key]  # its file goes below (whatever its suffix)
        sweep = functools.partial(self._sweep, None if self._sweep_all else {k[:2] for k in stale})
        if self.deferred is not None:
            self.deferred["pages/"] = sweep
        else:
            sweep()
        self._save(INDEX, self._index)
        if self.deferred is not None:  # the mark goes once the sweep is done and the index that it left is written
            self.deferred[UNSWEPT] = self._unmark
        else:
            self._unmark()
        self._states, self._states_next = self._states_next, {}
        self._save(STATES, self._states)
        if self.output_hashes is not None:
            # marshal: the 37,000 output files of a 10,000-document site written in 4 ms and read back in 16, where
            # pickle took 22 and 25 (and the file is written again by every build)
            self._save(OUTPUTS, self.output_hashes.new)

    def _sweep(self, only: set[str] | None = None) -> None:
        """Delete the cached files the index does not hold (and killed builds' temporary files).

        only: the folders (pages/XX, by the first two characters of a key) of the entries this build dropped from
        the index, the only files a build leaves unindexed when it and the one before it finished (every file
        stored is recorded, every file dropped is in one of them) — a rebuild lists a few folders, not all 256
        (100,000 files at 100,000 documents). Whatever stored a file leaves the UNSWEPT mark in the cache folder
        until a sweep after it is done: a build that was killed, or failed, after storing a file has the next
        one list every folder (None), as does an index that was not read (another version of gongkai)."""
        if self.pages_dir is None or not self.pages_dir.is_dir():
            return
        known = self._index  # (names as strings: ten thousand files and more on every build)
        if only is None:
            with os.scandir(self.pages_dir) as subs:
                folders = [sub.path for sub in subs if sub.is_dir(follow_symlinks=False)]
        else:
            folders = [f"{self._pages_str}/{sub}" for sub in sorted(only)]
        for folder in folders:
            try:
                names = os.listdir(folder)
            except FileNotFoundError:  # a dropped entry's folder removed by hand (or a cache cleaner): nothing to sweep
                continue
            for name in names:
                if name.endswith(".tmp") or name.split(".", 1)[0] not in known:  # a key holds no dot
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(f"{folder}/{name}")

    def _unmark(self) -> None:
        assert self.folder is not None
        (self.folder / UNSWEPT).unlink(missing_ok=True)
        self._sweep_all = self._marked = False

    def save_deferred(self) -> None:
        """Write what this build left to write (defer_saves): the memo files, the index and the output hashes as
        they are now, after deleting the cached files the index no longer holds. Only when no build is using the
        cache (mkdocs serve: between rebuilds, the build lock held)."""
        if self.deferred is None:
            return  # written as the build went
        pending, self.deferred = self.deferred, {}
        for write in pending.values():  # in the order a build writes them: memo files, sweep, index, hashes
            write()

    def outputs(self) -> statcheck.HashRecord | None:
        """The SHA-256 of output files recorded by the last build, by stat (for site.manifest.json); what this
        build hashes or confirms is saved by finish(). None without a cache folder."""
        if self.folder is None:
            return None
        if self.output_hashes is not None:  # one record per build (put_copy and the manifest share it)
            return self.output_hashes
        if not self._outputs_loaded:
            self._outputs = (self._load(OUTPUTS) or {}) if self.clock is not None else {}
            (self.folder / "outputs.pickle").unlink(missing_ok=True)  # what gongkai before 2026-12 kept there
            self._outputs_loaded = True
        self.output_hashes = statcheck.HashRecord(self._outputs, self.clock)
        return self.output_hashes


    # whole folders (the search index): one per key, the last one kept

    def tree(self, name: str, key: str) -> Path | None:
        """A folder stored under `name` by an earlier build for exactly this key."""
        if self.folder is None:
            return None
        path = self.folder / name / key
        return path if (path / ".complete").is_file() else None

    def store_tree(self, name: str, key: str, src: Path) -> None:
        """Keep a copy of src (hard links) as `name` for key; older copies of `name` are dropped."""
        if self.folder is None:
            return
        base = self.folder / name
        base.mkdir(parents=True, exist_ok=True)
        tmp = base / f".{key}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        link_tree(src, tmp)
        (tmp / ".complete").write_text(key, encoding="utf-8")
        for old in base.iterdir():
            if old != tmp:
                shutil.rmtree(old, ignore_errors=True)
        os.replace(tmp, base / key)


def encode_kept(data: Any, version: int) -> bytes:
    """The bytes of a `.marshal` file: marshal's (the index of finished files and the steps' states, rewritten by
    every build: at 10,000 documents 2.7 MB, marshalled in 2 ms where pickle took 6.5; read back as fast), or
    pickle's where a value is not one marshal writes (a step's state holding another type). `decode_kept` tells them
    apart by the first byte: pickle's protocol mark, 0x80, starts no marshal data (a type code, at most with its
    reference flag, 0x80, added)."""
    try:
        return marshal.dumps(data, version)
    except ValueError:
        return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)


def decode_kept(raw: bytes) -> Any:
    """What `encode_kept` wrote."""
    return pickle.loads(raw) if raw[:1] == b"\x80" else marshal.loads(raw)


def _intact(data: bytes, expected: tuple) -> bool:
    """Whether data has the size and SHA-256 recorded in a cache index entry (size, mtime, sha, …)."""
    return len(data) == expected[0] and hashlib.sha256(data).hexdigest() == expected[2]


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """The garbage collector paused while many small objects that make no garbage are made: unpickling the memo
    (megabytes of them at 10,000 documents) made it walk the growing heap again and again — about two thirds of
    the time the loads took, for nothing; the document pages' keys and links, a few per page, 15 % of that step."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def link_tree(src: Path, dst: Path) -> None:
    """Copy a folder as hard links (copies where links are refused), leaving out the cache's marker.

    Tens of thousands of files for a large site's search index, on every build: plain strings and os.link, and
    place() (which names the file in an error) only where a link fails."""
    top, out = os.fspath(src), os.fspath(dst)
    for dirpath, _dirs, files in os.walk(top):
        rel = dirpath[len(top):]
        target = out + rel
        os.makedirs(target, exist_ok=True)
        for name in files:
            if name == ".complete":
                continue
            a, b = f"{dirpath}/{name}", f"{target}/{name}"
            try:
                os.link(a, b)
            except OSError:
                place(a, b)


def link_entry(entry: os.DirEntry[str], dst: str) -> None:
    """Hard-link a listed file at dst (a copy where links are refused), or nothing when dst is in a staging folder
    whose recycled previous tree already holds that very file there (gongkai/build/staging.py: claim)."""
    if staging.claim(dst, entry.stat(follow_symlinks=False)):
        return
    try:
        os.link(entry.path, dst)
    except OSError:
        place(entry.path, dst)


def memo_file_of(key: Hashable) -> int:
    """Which of the MEMO_FILES a memo key is kept in (keys are plain values with a stable repr)."""
    return zlib.crc32(repr(key).encode("utf-8")) % MEMO_FILES


def memo_files(folder: Path) -> list[Path]:
    """The files the memo of the cache folder is kept in (gongkai withdraw removes a document from them)."""
    return [folder / "memo" / f"{shard:02x}.pickle" for shard in range(MEMO_FILES)]


def _suffix(path: str | os.PathLike) -> str:
    """The suffix a file is cached with: its own (.html, .pdf, .json …)."""
    return os.path.splitext(os.fspath(path))[1]


class _Memo:
    """The build's memo (gongkai/memo.py), kept in memo/*.pickle; remembers which entries this build used."""

    def __init__(self, cache: BuildCache):
        self.cache = cache
        self.clock = cache.clock  # for stat checks of the files remembered by their digest (load/doccache.py)

    def get(self, key: Hashable) -> Any:
        self.cache._memo_used.add(key)
        return self.cache._memo.get(key, MISSING)

    def put(self, key: Hashable, value: Any) -> None:
        cache = self.cache
        cache._memo[key] = value
        cache._memo_used.add(key)
        shard = cache._memo_shard.get(key)
        if shard is None:
            shard = cache._memo_shard[key] = memo_file_of(key)
        cache._memo_dirty.add(shard)

