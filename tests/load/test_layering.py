"""Data flows one way (files -> model -> checks -> pages): the model and the loader import nothing downstream.

Checked in a fresh interpreter, so what another test imported first cannot hide an import.
"""

from __future__ import annotations

import ast
import subprocess
import sys

from conftest import REPO


def imported_after(statement: str, prefixes: tuple[str, ...]) -> list[str]:
    code = f"import sys\n{statement}\nprint(sorted(m for m in sys.modules if m.startswith({prefixes!r})))\n"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return ast.literal_eval(out.stdout)


def test_the_model_imports_no_loader_or_checker():
    # gongkai.frequency is a leaf (the model's Schedule type): it imports nothing of gongkai; gongkai.participation
    # is the model of 重大行政决策 (plain dataclasses, imports nothing of gongkai at run time); gongkai.links finds a
    # body's link targets (Document.link_targets) and is a leaf too; gongkai.fncache and gongkai.recache are what the
    # package's __init__ installs before any module defines a dataclass or a pattern (every import of gongkai has them)
    assert imported_after("import gongkai.model", ("gongkai.",)) == ["gongkai.errors", "gongkai.fncache", "gongkai.frequency",
                                                                    "gongkai.links", "gongkai.model", "gongkai.participation",
                                                                    "gongkai.recache"]
    assert imported_after("import gongkai.frequency", ("gongkai.",)) == ["gongkai.fncache", "gongkai.frequency",
                                                                        "gongkai.recache"]
    assert imported_after("import gongkai.links", ("gongkai.",)) == ["gongkai.fncache", "gongkai.links", "gongkai.recache"]


def test_the_loader_imports_nothing_that_writes_output():
    """load_catalogue (files -> validated model, every check) needs neither the build nor a renderer nor reportlab."""
    downstream = ("gongkai.build", "gongkai.tools", "gongkai.cli", "gongkai.mkdocs", "jinja2", "markdown", "reportlab")
    assert imported_after("import gongkai.load.loader", downstream) == []


def test_the_check_finds_such_an_import():
    # the renderer needs Jinja at import (reportlab is imported only when a PDF is made, so it would not show)
    assert imported_after("import gongkai.build.render", ("jinja2",)) != []
