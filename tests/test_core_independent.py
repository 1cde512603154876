"""The core (load, validate, model, pages) imports nothing from MkDocs (DESIGN §2)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

CORE = ["gongkai.loader", "gongkai.model", "gongkai.pages", "gongkai.render", "gongkai.publish", "gongkai.validity", "gongkai.cli"]


def test_core_does_not_import_mkdocs():
    code = "import sys\n" + "".join(f"import {m}\n" for m in CORE) + \
        "bad = sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith(('mkdocs.', 'material')))\nprint(bad)\n"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_plugin_is_registered_as_entry_point():
    from importlib.metadata import entry_points

    eps = {ep.name: ep.value for ep in entry_points(group="mkdocs.plugins")}
    assert eps.get("gongkai") == "gongkai.plugin:GongkaiPlugin"
