"""Where a build writes, and how its result replaces site/ in one step.

Every build writes into its own folder beside site/ (`site.gongkai-new.<pid>-<random>`, same file system, so
the switch is a rename). When everything is written, `swap_into_place` exchanges the staging folder and site/
in one system call, then puts the manifest beside it. A build killed at any moment therefore leaves site/ as
it was or as the finished new site, never a mix; what it leaves behind (a staging folder, the old tree it was
deleting) has a name `stale_paths` knows, and the next build removes it while holding the build lock.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from gongkai.fsutil import exchange, remove_path

NEW = ".gongkai-new"
OLD = ".gongkai-old"
MANIFEST_SUFFIX = ".manifest.json"


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
    """Remove every stale path of site_dir (call only while holding the build lock); returns them."""
    found = stale_paths(site_dir)
    for path in found:
        remove_path(path)
    return found


def swap_into_place(staging: Path, final: Path, companion: tuple[Path, Path] | None = None) -> None:
    """Replace final (site/) by the finished staging tree.

    Where the file system can exchange two paths, this is one atomic step: final is the old tree, then the new
    one. Elsewhere two renames (final aside, staging into place; if the second fails, final is put back) leave
    a moment without final. companion: (written, destination) of a file renamed into place right after the
    switch (the manifest). The old tree is deleted last; a build killed while deleting it leaves a stale path.
    """
    if os.path.lexists(final):
        if exchange(staging, final):
            old = staging  # now holds the previous site
        else:
            old = final.with_name(f"{final.name}{OLD}.{os.getpid()}-{secrets.token_hex(4)}")
            os.replace(final, old)
            try:
                os.replace(staging, final)
            except BaseException:
                os.replace(old, final)
                raise
    else:
        os.replace(staging, final)
        old = None
    if companion is not None:
        os.replace(*companion)
    if old is not None:
        remove_path(old)
