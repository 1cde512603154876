"""Reading the author's files: UTF-8 text, YAML files and front matter, each problem reported with its file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gongkai.errors import Problems
from gongkai.fsutil import rel_posix
from gongkai.load.yamlsrc import YamlSyntaxError, load_yaml
from gongkai.memo import Memo

NO_FRONT_MATTER = object()  # front_matter_yaml's answer when the YAML could not be read (problem reported)


def not_utf8(exc: UnicodeDecodeError) -> str:
    """Why a file could not be read, and how to save it as UTF-8.

    gongkai reads UTF-8 only, on purpose: a GBK file read "with a warning" would stay GBK in git, where every
    other tool (diff, the editor's schema hook-up, a colleague's machine) shows it garbled. The message names the
    likely encoding and the two editors clerks use."""
    raw = exc.object if isinstance(exc.object, bytes) else b""
    how = "请用记事本“另存为”，编码选“UTF-8”；或在 VS Code 右下角点编码名称，选“通过编码保存”→“UTF-8”"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"文件是 UTF-16 编码（“Unicode”）：{how}"
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return f"文件不是 UTF-8 编码（第 {exc.start + 1} 个字节无法识别）：{how}"
    return f"文件是 GBK/GB18030 编码（Windows 下常见的“ANSI”编码），gongkai 只读 UTF-8：{how}"


def bad_byte_line(exc: UnicodeDecodeError) -> int | None:
    """The line of the first byte that is not UTF-8."""
    return exc.object.count(b"\n", 0, exc.start) + 1 if isinstance(exc.object, bytes) else None


def read_utf8(path: Path, name: str, problems: Problems) -> str | None:
    """The text of a file, or None with a problem when it is not UTF-8."""
    try:  # the bytes decoded at once (not read_text's chunks), so the error knows the whole file
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.unreadable_file(name, bad_byte_line(exc), not_utf8(exc))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text  # as read_text gives it


def read_yaml_file(root: Path, path: Path, problems: Problems, required: bool = True, memo: Memo | None = None,
                   keep: dict[str, Any] | None = None) -> Any:
    """A YAML file's data; None when it is missing (a problem if required) or unreadable (a problem).

    keep: where to leave the data of a file that exists, by its name (the catalogue keeps them for the checks).
    """
    name = rel_posix(root, path)
    if not path.exists():
        if required:
            problems.error(name, None, None, "文件不存在")
        return None
    text = read_utf8(path, name, problems)
    data = None
    if text is not None:
        try:
            data = load_yaml(text, memo=memo)
        except YamlSyntaxError as exc:
            problems.unreadable_file(name, exc.line, exc.message)
    if keep is not None:
        keep[name] = data
    return data


def front_matter_yaml(name: str, fm: str, problems: Problems, *also: str, memo: Memo | None = None) -> Any:
    """The data of a front matter block (its YAML starts on line 2), or NO_FRONT_MATTER with a problem.
    `also`: what else becomes unreadable with it (`document:ID`, for the references to the document)."""
    try:
        return load_yaml(fm, line_offset=1, memo=memo)
    except YamlSyntaxError as exc:
        problems.unreadable_file(name, exc.line, exc.message, *also)
        return NO_FRONT_MATTER


def safe_content_path(base: Path, ref: str, root: Path, content: Path | None = None) -> Path | None:
    """Resolve a path written by the author, refusing anything outside content/.
    content: (root / "content").resolve() when the caller has it (the documents' loader resolves it once, not
    once for each attachment of 10,000 documents)."""
    if not ref or ref.startswith("/") or re.match(r"^[A-Za-z]:", ref) or "\\" in ref or "\0" in ref or len(ref) > 1024:
        return None
    try:
        target = (base / ref).resolve()
    except (OSError, ValueError, RuntimeError):  # a symlink loop, a name the system refuses …
        return None
    if content is None:
        content = (root / "content").resolve()
    if content != target and content not in target.parents:
        return None
    return target


def is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the system …
        return False



def decode_source(raw: bytes) -> str:
    """A UTF-8 file's bytes as Path.read_text gives its text (universal newlines)."""
    text = raw.decode("utf-8")  # UnicodeDecodeError: its .object is the whole file, for the message
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
