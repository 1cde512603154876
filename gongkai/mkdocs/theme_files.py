"""Material ships files a gongkai site never uses: its search (lunr and its language files, the search worker;
gongkai has its own index), source maps, and its favicon (the bureau's own, or gongkai's, is linked instead).
About 2.2 MB per site that a bureau would otherwise copy to its server. And the listing MkDocs makes of the theme
folders, without walking the hidden ones whose files MkDocs drops anyway (VisibleFilesLoader)."""

from __future__ import annotations

import os

import jinja2
from mkdocs.structure.files import Files

UNUSED_PREFIXES = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
UNUSED_FILES = ("assets/images/favicon.png",)


def unused(src_uri: str) -> bool:
    return (src_uri.startswith(UNUSED_PREFIXES) or src_uri in UNUSED_FILES
            or (src_uri.startswith("assets/") and src_uri.endswith(".map")))


def drop_unused_theme_files(files: Files, docs_dir: str) -> None:
    """Remove them from the files MkDocs copies; only theme files, never a file of the bureau's content/."""
    docs = os.path.realpath(docs_dir)
    for f in [f for f in files if unused(f.src_uri) and os.path.realpath(f.src_dir or "") != docs]:
        files.remove(f)


class VisibleFilesLoader(jinja2.FileSystemLoader):
    """MkDocs' loader of theme templates, whose listing leaves out hidden folders and files.

    MkDocs copies every file of the theme folders that `env.list_templates` names, except those its filter drops
    (Files.add_files_from_theme), and its filter drops every name with a component starting with a dot ('.*' and
    '*/.*'). Material keeps its 14,000 icons in templates/.icons/: Jinja's FileSystemLoader walks them all and
    MkDocs matches each against its patterns, 0.4 s of every build at 10,000 documents, to drop them. Not walking
    hidden folders gives MkDocs the same files to copy; templates are found by name exactly as before."""

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for searchpath in self.searchpath:
            for dirpath, dirnames, filenames in os.walk(searchpath, followlinks=self.followlinks):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for filename in filenames:
                    if filename.startswith("."):
                        continue
                    # as jinja2.FileSystemLoader.list_templates names them
                    template = os.path.join(dirpath, filename)[len(searchpath):].strip(os.path.sep).replace(os.path.sep, "/")
                    if template[:2] == "./":
                        template = template[2:]
                    found.add(template)
        return sorted(found)


def list_visible_theme_files(theme) -> None:
    """Make the theme's Jinja environments (MkDocs' `theme.get_env()`) list only visible files (VisibleFilesLoader).
    Left as it is where MkDocs made a loader of another kind."""
    if getattr(theme.get_env, "gongkai_visible", False):
        return
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        loader = env.loader
        if type(loader) is jinja2.FileSystemLoader:
            env.loader = VisibleFilesLoader(loader.searchpath, loader.encoding, loader.followlinks)
        return env

    get_env.gongkai_visible = True  # type: ignore[attr-defined]
    theme.get_env = get_env
