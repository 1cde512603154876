"""Listing many files quickly: what `sorted(p for p in folder.rglob("*") if p.is_file())` gives, in a fraction of the time.

pathlib builds and compares a Path per entry; a bureau has tens of thousands of documents and every build lists them.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path


def suffix_of(name: str) -> str:
    """PurePath(name).suffix, for a bare file name."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def sorted_files(folder: Path, suffix: str = "", keep: Callable[[str], bool] | None = None) -> list[Path]:
    """Regular files (or links to them) under folder whose name ends with suffix, in pathlib's sorted order.

    Like Path.rglob: symbolic links to folders are not followed, hidden names are included and unreadable
    folders are skipped. keep: a further test of the file name.
    """
    found: list[tuple[tuple[str, ...], str]] = []
    stack: list[tuple[tuple[str, ...], str]] = [((), os.fspath(folder))]
    while stack:
        parts, where = stack.pop()
        try:
            with os.scandir(where) as it:
                entries = list(it)
        except (PermissionError, FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(((*parts, entry.name), entry.path))
                    continue
                if entry.name.endswith(suffix) and (keep is None or keep(entry.name)) and entry.is_file():
                    found.append(((*parts, entry.name), entry.path))
            except OSError:
                continue
    found.sort(key=lambda item: item[0])  # pathlib orders paths by their parts
    return [Path(path) for _, path in found]


def rel_posix(root: Path, path: Path) -> str:
    """path relative to root, with forward slashes (path as written when it is not under root)."""
    r, p = str(root), str(path)
    if os.sep == "/" and p.startswith(r) and p[len(r):len(r) + 1] == "/" and r != "/":
        return p[len(r) + 1:]
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_renameat2: object = None  # the C function, looked up once; False where the C library lacks it


def exchange(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Swap two existing paths in one step (Linux renameat2 with RENAME_EXCHANGE); False where it cannot be done.

    Two renames (b aside, a into its place) leave a moment with nothing at b: a process killed there leaves no
    site at all, and a web server answers 404. The exchange has no such moment. It needs Linux 3.15+ and a file
    system that supports it (ext4, xfs, btrfs, tmpfs do; NFS and SMB shares do not): callers fall back to two renames.
    """
    global _renameat2
    if _renameat2 is None:
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            func = libc.renameat2
            func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
            func.restype = ctypes.c_int
            _renameat2 = func
        except (OSError, AttributeError, ImportError):
            _renameat2 = False
    if _renameat2 is False:
        return False
    import ctypes
    import errno

    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:  # type: ignore[operator]
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), os.fspath(a), None, os.fspath(b))


def remove_path(path: str | os.PathLike[str]) -> None:
    """Remove a file, a symbolic link or a whole folder; nothing if it is gone already."""
    p = os.fspath(path)
    if os.path.islink(p) or (os.path.lexists(p) and not os.path.isdir(p)):
        os.unlink(p)
    elif os.path.isdir(p):
        import shutil

        shutil.rmtree(p)


@contextlib.contextmanager
def naming(path: str | os.PathLike[str]) -> Iterator[None]:
    """An OSError raised inside names path when it names no file itself (a failed write() does not), so that
    the build's message says which file could not be written (disk full, file size limit …)."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            exc.filename = os.fspath(path)
        raise
