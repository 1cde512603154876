"""mkdocs.yml read as MkDocs will read it, so that its syntax mistakes are told in Chinese.

MkDocs parses mkdocs.yml before it loads any plugin, and reports a mistake there in English ("MkDocs encountered
an error parsing the configuration file: while scanning a simple key … could not find expected ':'"), a line
after the real one. A full-width colon (「site_name：…」, typed with a Chinese input method) is the usual cause.
The gongkai plugin never gets to run, so the places gongkai controls read the file first: `gongkai check` (a
load step) and the gongkai commands that start a build (`gongkai preview`, `gongkai withdraw`), which then do
not start MkDocs at all. The text is only composed, not constructed: MkDocs' own tags (!ENV, !relative,
!!python/name:…) need no constructor to be syntactically fine.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from gongkai.errors import Problem, Problems
from gongkai.load.yamlsrc import explain

NAMES = ("mkdocs.yml", "mkdocs.yaml")  # the files MkDocs looks for, in its order
AFTER = "MkDocs 读取 mkdocs.yml 时会停止（网站不会生成）"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def config_file(root: Path) -> Path | None:
    return next((root / n for n in NAMES if (root / n).is_file()), None)


def check_mkdocs_yml(root: Path, problems: Problems) -> None:
    """An error at the line of a syntax mistake in the site's mkdocs.yml (none when it has none or no file)."""
    path = config_file(root)
    if path is None:
        return
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(path.name, None, None, f"无法读取（{type(exc).__name__}）：请用 UTF-8 编码保存；{AFTER}")
        return
    try:
        yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        found = explain(exc, text.replace("\r\n", "\n"))
        problems.error(path.name, found.line, None, f"{found.message}；{AFTER}")
    except yaml.YAMLError:
        problems.error(path.name, None, None, f"YAML 格式错误：请检查缩进、冒号（英文「: 」）和引号；{AFTER}")


def mkdocs_yml_problems(root: Path) -> list[Problem]:
    """For the commands that start `mkdocs build`/`serve`: the problems that would stop MkDocs before gongkai runs."""
    problems = Problems()
    check_mkdocs_yml(root, problems)
    return problems.items
