"""Material ships files a gongkai site never uses: its search (lunr and its language files, the search worker;
gongkai has its own index), source maps, and its favicon (the bureau's own, or gongkai's, is linked instead).
About 2.2 MB per site that a bureau would otherwise copy to its server."""

from __future__ import annotations

import os

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
