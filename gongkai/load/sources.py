"""Reading the author's files: UTF-8 text, YAML files and front matter, each problem reported with its file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gongkai.errors import Problems
from gongkai.fsutil import rel_posix
from gongkai.load.yamlsrc import YamlSyntaxError, load_yaml

NO_FRONT_MATTER = object()  # front_matter_yaml's answer when the YAML could not be read (problem reported)


def not_utf8(exc: UnicodeDecodeError) -> str:
    return f"文件不是 UTF-8 编码（第 {exc.start} 字节）"


def read_utf8(path: Path, name: str, problems: Problems) -> str | None:
    """The text of a file, or None with a problem when it is not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.error(name, None, None, not_utf8(exc))
        return None


def read_yaml_file(root: Path, path: Path, problems: Problems, required: bool = True) -> Any:
    """A YAML file's data; None when it is missing (a problem if required) or unreadable (a problem)."""
    name = rel_posix(root, path)
    if not path.exists():
        if required:
            problems.error(name, None, None, "文件不存在")
        return None
    text = read_utf8(path, name, problems)
    if text is None:
        return None
    try:
        return load_yaml(text)
    except YamlSyntaxError as exc:
        problems.error(name, exc.line, None, exc.message)
        return None


def front_matter_yaml(name: str, fm: str, problems: Problems) -> Any:
    """The data of a front matter block (its YAML starts on line 2), or NO_FRONT_MATTER with a problem."""
    try:
        return load_yaml(fm, line_offset=1)
    except YamlSyntaxError as exc:
        problems.error(name, exc.line, None, exc.message)
        return NO_FRONT_MATTER
