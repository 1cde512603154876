"""A build that cannot write (disk full, quota, file size limit, read-only folder …) stops with one Chinese
line naming the file, instead of a Python traceback.

Our own writers name the file they write (fsutil.naming sets OSError.filename, also across worker processes).
Writes inside MkDocs, Material or reportlab raise an OSError without a file name (a failed write() knows only
its descriptor); for those the file is found in the traceback: the innermost frame that holds a path, or an
open file, inside the folders the build writes to.
"""

from __future__ import annotations

import errno
import io
import os
from collections.abc import Iterable

# errno -> what happened, what to do
WRITE_ERRORS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("磁盘空间不足", "请腾出磁盘空间后重新生成"),
    errno.EDQUOT: ("超出磁盘配额", "请清理文件或申请更大的配额后重新生成"),
    errno.EFBIG: ("文件超过了系统允许的大小（文件大小限制，ulimit -f）", "请放宽文件大小限制后重新生成"),
    errno.EROFS: ("所在的文件系统是只读的", "请换一个可写的文件夹，或请管理员改为可写"),
    errno.EACCES: ("没有写入权限", "请检查文件夹的权限"),
    errno.EPERM: ("操作不被允许", "请检查文件夹的权限"),
    errno.EIO: ("磁盘读写错误", "请检查磁盘后重新生成"),
    errno.EMFILE: ("打开的文件过多", "请放宽打开文件数限制（ulimit -n）后重新生成"),
    errno.ENFILE: ("系统打开的文件过多", "请稍后重新生成"),
}


def is_write_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in WRITE_ERRORS


def failed_path(exc: BaseException, folders: Iterable[str]) -> str | None:
    """The file a failed write was for: the exception's own file name (the destination, for a copy or a
    rename), else the innermost path (or open file) inside one of `folders` held by a frame of its traceback."""
    if isinstance(exc, OSError):
        # a failed copy names its source as filename and what it was writing as filename2 (shutil.copyfile)
        for name in (exc.filename2, exc.filename):
            if name is not None:
                return os.fsdecode(name)
    roots = tuple(os.path.join(os.path.abspath(f), "") for f in folders)
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames):
        for value in frame.f_locals.values():
            if isinstance(value, io.IOBase):
                value = getattr(value, "name", None)
            if isinstance(value, (str, os.PathLike)):
                try:
                    path = os.path.abspath(os.fsdecode(value))
                except (TypeError, ValueError):
                    continue
                if path.startswith(roots):
                    return path
    return None


def write_error_message(exc: BaseException, folders: Iterable[str], root: str, site_name: str = "site/") -> str:
    """「写入失败：<file>：<reason>。…」 for a write error; the file relative to root when it is inside it."""
    assert isinstance(exc, OSError)
    what, hint = WRITE_ERRORS.get(exc.errno or 0, (exc.strerror or str(exc), "请排除后重新生成"))
    path = failed_path(exc, folders)
    if path is None:
        where = "（未能确定是哪个文件）"
    else:
        rel = os.path.relpath(path, root)
        where = path if rel.startswith("..") else rel
    return (f"写入失败：{where}：{what}（{exc.strerror or exc}）。已停止生成，{site_name} 保持原样，"
            f"未完成的临时文件夹已删除。{hint}。")
