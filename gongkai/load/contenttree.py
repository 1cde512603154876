"""Every file under content/, as MkDocs will see it, and the ones that must never be read or copied.

MkDocs walks docs_dir following symbolic links (os.walk(followlinks=True)) and copies whatever it finds; a
link committed by mistake would publish files of the build machine. This walk runs before anything under
content/ is read (the loader calls it first) and refuses, each with an error naming the file:

- a symbolic link whose target resolves outside content/ (the root of the site's sources; catalog/, .git/,
  .cache/ and site/ are not site material either), or that points nowhere, or that loops;
- a hard-linked file (st_nlink > 1): the same bytes live somewhere else too, and nothing says where;
- a special file (device, FIFO, socket): reading a FIFO blocks the build for ever.

A link whose target stays inside content/ is the file it points to, under the link's own path (as MkDocs
copies it); the publication rules (gongkai/checks/publication.py) then apply to that path like to any other.
The walk itself never follows a link before checking its target, so nothing outside content/ is listed.

Listing a folder (scandir, sorting its names) is a third of the walk's time: at 100,000 documents 110,000 entries,
when the one stat per file (lstat: a file edited in place changes nothing of its folder) cannot be done without.
So the walk returns each folder's listing (`ContentTree.listing`, kept in the build's memo by load/treedelta.py),
and the next walk takes a folder's names from it instead of listing it again when the folder's own stat vouches
for them: adding, removing or renaming an entry changes its folder's modification and change time, so the same
stat signature (device, inode, size, both times) as before it was listed, both times older than the statcheck.clock
stamp taken before that (gongkai/statcheck.py: git's racy-git guard), means the same names. Each file is still
lstat'ed: one that is no longer a plain file with one link (a hard link made elsewhere changes only the file)
makes the folder listed again. Only folders reached without a link, whose entries are all plain files and folders,
are kept: a link, a refused or an unreadable entry is the walk's to look at again every time.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from stat import S_ISREG

from gongkai import statcheck
from gongkai.errors import Problems

CONTENT = "content"
# a folder's listing: its stat signature taken before it was listed, the statcheck.clock stamp taken before that,
# the names of its files (plain, one link) and those of its folders, each sorted
Listed = tuple[statcheck.Signature, int, tuple[str, ...], tuple[str, ...]]


@dataclass
class ContentTree:
    """The files under content/ by path relative to it (forward slashes), as MkDocs' walk will list them."""

    root: Path  # content/ itself (resolved)
    files: dict[str, str] = field(default_factory=dict)  # path -> absolute path to read (safe)
    refused: set[str] = field(default_factory=set)  # paths with an error: never read, never copied
    links: dict[str, str] = field(default_factory=dict)  # path of a link (file or folder) -> resolved target
    # the walk's own stat (lstat) of each regular file it lists: the build cache compares it with the
    # one recorded when the file was last hashed, without a second stat (load/doccache.py, statcheck.py)
    stats: dict[str, os.stat_result] = field(default_factory=dict)
    # folder (relative to content/, "" for content/ itself) -> its Listed, for the next walk; None: not kept (no stamp)
    listing: dict[str, Listed] | None = None

    def is_hidden(self, path: str) -> bool:
        """MkDocs leaves out names starting with a dot (its default exclude_docs)."""
        return any(part.startswith(".") for part in path.split("/"))


_NAME = attrgetter("name")  # a folder's entries are listed by name


def _inside(real: str, folder: str) -> bool:
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


def _take(known: Listed, where: str, prefix: str, files: dict[str, str],
          stats: dict[str, os.stat_result]) -> bool:
    """A folder's files from its listing, each lstat'ed, into files and stats (as the walk puts them); False, with
    nothing put, when one of them is no longer a plain file with one link (or gone): then the folder is listed."""
    base = where if where.endswith(os.sep) else where + os.sep  # (as scandir joins a folder and a name)
    names = known[2]
    paths = [base + name for name in names]
    try:
        found = list(map(os.lstat, paths))
    except OSError:
        return False
    for st in found:
        if not (S_ISREG(st.st_mode) and st.st_nlink == 1):
            return False
    rels = [prefix + name for name in names]
    files.update(zip(rels, paths, strict=True))
    stats.update(zip(rels, found, strict=True))
    return True


def scan_content(site_root: Path, problems: Problems, known: dict[str, Listed] | None = None,
                 stamp: int | None = None) -> ContentTree:
    """Walk content/ without leaving it; refused entries become errors in `problems`.

    known: the last walk's listing (ContentTree.listing), its folders' names taken where their stat vouches for them;
    stamp: this build's statcheck.clock stamp, taken before the walk (None: stat data is not trusted, and no listing
    is kept)."""
    content = site_root / CONTENT
    try:
        real_content = os.path.realpath(content)
    except (OSError, ValueError):  # pragma: no cover (realpath does not raise for plain paths)
        real_content = os.fspath(content)
    tree = ContentTree(Path(real_content))
    if not os.path.isdir(content):
        return tree
    if os.path.islink(content):
        target = os.path.realpath(content)
        problems.error(CONTENT, None, None, f"content/ 本身是指向「{target}」的符号链接：请把文件放在站点目录中，"
                       "不要用链接（为防止发布本机其他目录中的文件，已停止构建）")
        tree.refused.add("")
        return tree
    # (path relative to content/, folder to list, real paths of the folders above it: a link back to one loops,
    # whether it is reached without a link: only those are kept in the listing)
    stack: list[tuple[str, str, tuple[str, ...], bool]] = [("", os.fspath(content), (real_content,), True)]
    files, stats = tree.files, tree.stats
    listing = tree.listing = {} if stamp else None
    known = known if stamp else None
    while stack:
        rel_dir, where, above, plain = stack.pop()
        prefix = f"{rel_dir}/" if rel_dir else ""
        folders: list[tuple[str, str, tuple[str, ...], bool]] = []
        signature = None  # the folder's, taken before it is listed (kept with its listing)
        if listing is not None and plain:
            try:
                folder_stat = os.lstat(where)
            except OSError:
                folder_stat = None
            if folder_stat is not None:
                was = known.get(rel_dir) if known else None
                if (was is not None and statcheck.unchanged(was[0], was[1], folder_stat)
                        and _take(was, where, prefix, files, stats)):
                    listing[rel_dir] = was
                    for name in reversed(was[3]):  # (the first folder is listed next, as below)
                        path = os.path.join(where, name)
                        stack.append((prefix + name, path, (*above, os.path.realpath(path)), True))
                    continue
                signature = statcheck.signature(folder_stat)
        try:
            with os.scandir(where) as it:
                entries = sorted(it, key=_NAME)
        except OSError:
            continue  # an unreadable folder: MkDocs' walk skips it too
        kept: tuple[list[str], list[str]] | None = ([], []) if signature is not None else None
        for entry in entries:
            rel = prefix + entry.name
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                kept = None
                continue
            mode = st.st_mode
            if S_ISREG(mode) and st.st_nlink == 1:  # (nearly every entry: a plain file, listed with its stat)
                files[rel] = entry.path
                stats[rel] = st
                if kept is not None:
                    kept[0].append(entry.name)
                continue
            if kept is not None:
                if stat.S_ISDIR(mode):
                    kept[1].append(entry.name)
                else:
                    kept = None  # (a link, a special or a hard-linked file: looked at again every time)
            name = f"{CONTENT}/{rel}"  # (for the messages below)
            if stat.S_ISLNK(mode):
                real = os.path.realpath(entry.path)
                shown = os.readlink(entry.path)
                if not _inside(real, real_content):
                    problems.error(name, None, None, f"符号链接指向 content/ 之外的「{real}」（链接内容：{shown}）。"
                                   "为防止把本机其他文件发布到网站，已停止构建；请删除这个链接，把需要发布的文件本身放进 content/")
                    tree.refused.add(rel)
                    continue
                try:
                    target_stat = os.stat(real)
                except OSError:
                    problems.error(name, None, None, f"符号链接指向的「{shown}」不存在，请删除或修正这个链接")
                    tree.refused.add(rel)
                    continue
                tree.links[rel] = real
                if stat.S_ISDIR(target_stat.st_mode):
                    if any(_inside(a, real) for a in above):
                        problems.error(name, None, None, f"符号链接指向它自己所在的目录「{shown}」，形成循环，请删除这个链接")
                        tree.refused.add(rel)
                        continue
                    folders.append((rel, entry.path, (*above, real), False))
                elif stat.S_ISREG(target_stat.st_mode) and target_stat.st_nlink > 1:
                    problems.error(name, None, None, f"符号链接指向的「{shown}」是硬链接文件，不能发布（见该文件的错误）")
                    tree.refused.add(rel)
                elif stat.S_ISREG(target_stat.st_mode):
                    tree.files[rel] = real
                else:
                    problems.error(name, None, None, f"符号链接指向特殊文件「{shown}」（设备、管道或套接字），不能发布，请删除这个链接")
                    tree.refused.add(rel)
                continue
            if stat.S_ISDIR(st.st_mode):
                folders.append((rel, entry.path, (*above, os.path.realpath(entry.path)), plain))
            elif stat.S_ISREG(st.st_mode):  # (a plain file with one link was listed above: this one has more)
                problems.error(name, None, None, f"这是一个硬链接文件（同一内容还有 {st.st_nlink - 1} 个其他路径，"
                               "可能在 content/ 之外），不能发布。请改为存放一份普通文件（复制一份后删除这个硬链接）")
                tree.refused.add(rel)
            else:
                problems.error(name, None, None, "这是一个特殊文件（设备、管道或套接字），不是普通文件，不能发布，请删除")
                tree.refused.add(rel)
        if kept is not None and listing is not None and signature is not None:
            listing[rel_dir] = (signature, stamp or 0, tuple(kept[0]), tuple(kept[1]))
        stack.extend(reversed(folders))  # the first folder is listed next: files come out in sorted order
    return tree
