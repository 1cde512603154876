"""What the clerk is told to run is what the README documents: `gongkai build` / `gongkai serve` (they check
mkdocs.yml first and name a mistake in Chinese), never `mkdocs build` / `mkdocs serve` directly.

Every string constant of the package that a clerk can read (it has Chinese in it) is scanned, f-strings included;
only the help of `gongkai build` / `gongkai serve` themselves says which MkDocs command they run.
"""

from __future__ import annotations

import ast
import re

from conftest import REPO

CJK = re.compile(r"[\u4e00-\u9fff]")
BARE = re.compile(r"\bmkdocs (build|serve)\b")
EXPLAINS = {"gongkai/cli/build.py"}  # `gongkai build` … 再运行 mkdocs build: the relationship itself


def _texts(tree: ast.AST) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{}" for v in node.values)
            out.append((node.lineno, text))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append((node.lineno, node.value))
    return out


def _docstrings(tree: ast.AST) -> set[int]:
    """Lines of docstrings (for developers, in English)."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = node.body[0] if node.body else None
            if isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant) and isinstance(doc.value.value, str):
                lines.add(doc.lineno)
    return lines


def test_messages_name_the_gongkai_commands():
    found = []
    for path in sorted((REPO / "gongkai").rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        if rel in EXPLAINS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        found += [f"{rel}:{line}: {text[:80]}" for line, text in _texts(tree)
                  if line not in skip and CJK.search(text) and BARE.search(text)]
    assert found == []


def _section(readme: str, title: str) -> str:
    start = readme.index(f"\n## {title}\n")
    return readme[start: readme.index("\n## ", start + 1)]


def test_the_readme_documents_the_gongkai_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    # the two set-up commands at the top stay as they are
    assert "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/mkdocs build\n" in readme
    assert "\nbash scripts/test.sh\n" in readme
    # a new bureau makes .venv, then works in mzj-site: the venv is ../.venv there, activated in each new terminal
    new = _section(readme, "新建一个机关的网站")
    assert "python3 -m venv .venv && . .venv/bin/activate" in new and "cd mzj-site" in new
    daily = _section(readme, "日常使用")
    assert "`gongkai build`" in daily and "`gongkai serve`" in daily and "`gongkai check`" in daily
    assert "cd mzj-site && . ../.venv/bin/activate" in daily and "新的终端" in daily
    assert re.findall(r"(?<![./])\.venv/bin/gongkai", daily) == []  # wrong inside the new site


def test_the_readme_says_the_example_columns_are_the_demos():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.index("columns: [bmwj, zdshbz]")
    note = readme[example: readme.index("\n\n", readme.index("```\n", example) + 4)]
    assert "是示例站点的栏目标识" in note and "catalog/columns.yml" in note


def test_the_scan_finds_a_bare_command():
    tree = ast.parse('x = f"请运行 mkdocs build 重新生成{1}"\ny = "Run mkdocs build"\n')
    found = {t for _, t in _texts(tree) if CJK.search(t) and BARE.search(t)}
    assert "请运行 mkdocs build 重新生成{}" in found and not any(t.startswith("Run") for t in found)


def test_python_m_gongkai_is_the_gongkai_command():
    """`python -m gongkai` works where the `gongkai` script is not on PATH (a venv not activated, Windows): the
    same command, its help in Chinese."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=str(REPO))
    run = subprocess.run([sys.executable, "-m", "gongkai", "-h"], cwd=REPO, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("用法: python -m gongkai [选项] 命令 [参数]...") and "new " in run.stdout
