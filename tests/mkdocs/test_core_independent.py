"""Only gongkai/mkdocs/ may import MkDocs or Material (DESIGN §2): checked over every module, not a hand-kept list."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys

import gongkai
from conftest import REPO

PACKAGE = REPO / "gongkai"
ADAPTER = "gongkai.mkdocs"


def all_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(gongkai.__path__, "gongkai."))


def core_modules() -> list[str]:
    return [m for m in all_modules() if m != ADAPTER and not m.startswith(ADAPTER + ".") and not m.endswith("__main__")]


def test_every_module_is_found():
    mods = all_modules()
    assert "gongkai.load.loader" in mods and "gongkai.mkdocs.plugin" in mods and "gongkai.cli" in mods
    files = [p for p in PACKAGE.rglob("*.py")]
    assert len(mods) >= len(files) - 1  # every file but cli/__main__ … is a module walk_packages lists


def mkdocs_imports(source: str) -> list[str]:
    """Every import statement of a module's source that names mkdocs or material, even inside a function."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
        found += [f"{node.lineno} {n}" for n in names if n.split(".")[0] in ("mkdocs", "material")]
    return found


def test_no_core_file_imports_mkdocs():
    bad = [f"{path.relative_to(REPO)}:{hit}" for path in sorted(PACKAGE.rglob("*.py"))
           if (PACKAGE / "mkdocs") not in path.parents for hit in mkdocs_imports(path.read_text(encoding="utf-8"))]
    assert bad == []


def test_core_does_not_import_mkdocs_at_run_time():
    """Dynamic: importing every core module loads neither MkDocs nor Material (nor does a dependency of ours)."""
    code = "import sys\n" + "".join(f"import {m}\n" for m in core_modules()) + \
        "bad = sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith(('mkdocs.', 'material')))\nprint(bad)\n"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_scan_finds_such_an_import():
    """The static scan is not vacuous: it finds a lazy import, and the plugin's own."""
    assert mkdocs_imports("def f():\n    from mkdocs.structure.files import File\n") == ["2 mkdocs.structure.files"]
    assert mkdocs_imports("import material.plugins\n") == ["1 material.plugins"]
    assert mkdocs_imports((PACKAGE / "mkdocs" / "plugin.py").read_text(encoding="utf-8"))


def test_plugin_is_registered_as_entry_point():
    from importlib.metadata import entry_points

    eps = {ep.name: ep.value for ep in entry_points(group="mkdocs.plugins")}
    assert eps.get("gongkai") == "gongkai.mkdocs.plugin:GongkaiPlugin"
