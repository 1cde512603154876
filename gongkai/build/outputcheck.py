"""What may leave content/ for the site, and a last look at the finished site before it replaces site/ (no MkDocs).

The decisions are made while loading (load/contenttree.py: links and special files; checks/publication.py:
which files are published). This module applies them where the build copies files and checks the result:

- content_files_to_copy: of the files MkDocs found under content/, those a decision names. Each must still
  resolve inside content/ (a link made after the walk, or a walk that followed one, stops the build);
- unpublished_outputs: files of the finished build that no decision allows — a copy of an orphan or of a
  withheld attachment, the page of a document that is not 主动公开 or no longer exists. The staging folder
  starts empty in every build mode (also `--dirty` and `mkdocs serve`), so this finds nothing unless another
  plugin or a future MkDocs puts such a file there; then the build stops instead of publishing it. A warm
  build's files claimed from the kept tree are not in the staging folder: they are asked of staging (taken,
  paths_in), so a claimed file is checked as a written one is;
- withdrawn_leftovers: what of a withdrawn document a finished site (or a server's copy) still holds, for a
  publishing step that must refuse it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.build import staging
from gongkai.errors import GongkaiError, Problem
from gongkai.model import Catalogue

DOCUMENTS_DIR = "documents"


def mkdocs_named_files(config: Any) -> dict[str, list[str]]:
    """The paths mkdocs.yml names that MkDocs looks up among the files of docs_dir (and the theme)."""
    theme = config.theme
    return {
        "theme.logo": [str(theme.get("logo"))] if theme.get("logo") else [],
        "theme.favicon": [str(theme.get("favicon"))] if theme.get("favicon") else [],
        "extra_css": [str(x) for x in config.extra_css],
        "extra_javascript": [str(x) for x in config.extra_javascript],
    }


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class RealPaths:
    """os.path.realpath of many files in a few folders, each folder resolved once.

    os.path.realpath looks at every part of a path in turn (an lstat each: ~8 for an attachment of content/, ~18 µs
    of a rebuild per published file); a bureau's thousand attachments sit in a handful of folders. The real path of
    a file is its folder's real path joined with its name, unless the file itself is a symbolic link — then it is
    resolved whole, as os.path.realpath would from that (link-free) folder. The same answer from the same file
    system, with one lstat per file."""

    def __init__(self) -> None:
        self.folders: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        head, name = os.path.split(path)
        real = self.folders.get(head)
        if real is None:
            real = self.folders[head] = os.path.realpath(head)
        if name in ("", ".", ".."):  # (not a file's name: resolved as written)
            return os.path.realpath(path)
        joined = os.path.join(real, name)
        return os.path.realpath(joined) if os.path.islink(joined) else joined


def content_files_to_copy(found: Iterable[tuple[str, str | None]], cat: Catalogue) -> set[str]:
    """Of (path under content/, absolute source path) that MkDocs found, the paths to copy into the site.

    Raises GongkaiError when a file to copy resolves outside content/ or was refused by the content walk.
    """
    pub = cat.publication
    tree = cat.content_tree
    real_content = os.fspath(getattr(tree, "root", cat.root_dir / "content"))
    refused: set[str] = getattr(tree, "refused", set())
    keep: set[str] = set()
    problems: list[Problem] = []
    realpath = RealPaths()
    for rel, abs_path in found:
        if pub is None or not pub.is_published(rel):
            continue
        real = realpath(abs_path) if abs_path else ""
        if rel in refused or not real or not _inside(real, real_content):
            problems.append(Problem(f"content/{rel}", None, None, f"指向 content/ 之外的「{real}」，不能发布（构建期间出现的链接？）"))
            continue
        keep.add(rel)
    if problems:
        raise GongkaiError(problems)
    return keep


def unpublished_outputs(site: Path, cat: Catalogue, allowed_pages: Iterable[str] = ()) -> list[str]:
    """Files of a finished site that no decision allows (site-relative paths, sorted).

    allowed_pages: further documents/*.html the build writes on purpose (withdrawal notices).
    """
    out: list[str] = []
    pub = cat.publication
    tree = cat.content_tree
    undecided: set[str] = set()
    if pub is not None:
        undecided |= set(pub.orphans) | set(pub.withheld)
    if tree is not None:
        undecided |= set(getattr(tree, "refused", ())) - {""}
    for rel in undecided:
        if staging.taken(site / rel):
            out.append(rel)
    pages = {d.href for d in cat.published_documents}
    pages.update(allowed_pages)
    # (the pages allowed left out in C: every document's page is there, claimed or written, on every build)
    for rel in staging.paths_in(site, DOCUMENTS_DIR, pages):
        # an attachment may be an .html file kept beside the documents
        if rel.endswith((".html", ".htm")) and (pub is None or not pub.is_published(rel)):
            out.append(rel)
    return sorted(set(out))



def stray_message(stray: list[str]) -> str:
    shown = "、".join(stray[:10]) + (f" 等 {len(stray)} 个" if len(stray) > 10 else "")
    return (f"构建输出中有不应发布的文件：{shown}（未被引用的文件、不公开或已撤回文件的页面和附件）。"
            "已停止，site/ 保持原样；请检查 mkdocs.yml 中的其他插件")


NOTICE_MARK = "<h1>该信息已撤回</h1>".encode()  # what every withdrawal notice page holds (build/withdrawn.py)


@dataclass(frozen=True)
class WithdrawnPaths:
    """Where a site could still carry withdrawn (撤回) documents: their addresses (which may only hold the notice)
    and their attachments that nothing published any more. Kept beside a published site (tools/deploy.py), so
    that older versions there can be checked without the repository."""

    pages: tuple[str, ...] = ()
    files: tuple[str, ...] = ()

    def to_json(self) -> dict[str, list[str]]:
        return {"pages": list(self.pages), "files": list(self.files)}

    @classmethod
    def from_json(cls, data: object) -> WithdrawnPaths:
        if not isinstance(data, dict):
            return cls()
        return cls(tuple(str(p) for p in data.get("pages") or ()), tuple(str(p) for p in data.get("files") or ()))


def withdrawn_paths(cat: Catalogue) -> WithdrawnPaths:
    from gongkai.build.lists import ended_paths  # lists past their 公示期 must not stay on the server either

    pub = cat.publication
    files = {a.path for d in cat.documents if d.withdrawn is not None for a in d.attachments}
    list_pages, list_files = ended_paths(cat)
    return WithdrawnPaths(tuple(sorted({w.href for w in cat.withdrawals} | set(list_pages))),
                          tuple(sorted({p for p in files if pub is None or not pub.is_published(p)} | set(list_files))))


def leftovers(site: Path, withdrawn: WithdrawnPaths) -> list[str]:
    """Files of a site (a build, or a version on the server) that still carry a withdrawn document: its address
    holding anything but the notice, its attachments."""
    out = []
    for href in withdrawn.pages:
        try:
            if NOTICE_MARK not in (site / href).read_bytes():
                out.append(href)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            continue
    out += [rel for rel in withdrawn.files if os.path.lexists(site / rel)]
    return sorted(out)


def withdrawn_leftovers(site: Path, cat: Catalogue) -> list[str]:
    """leftovers() of a site for the withdrawals of this catalogue."""
    return leftovers(site, withdrawn_paths(cat))
