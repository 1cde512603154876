"""Start-up cost of every build: a rebuild with nothing new to draw loads none of the heavy libraries that only
making a file needs (pinyin dictionaries for addresses from names, QR codes, PDFs, spreadsheets, Word files,
numpy for a cold search index, PDF text) — each is imported inside the function that needs it, and what they made
comes from the build cache and memo."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import BUILD_DATE, copy_example

HEAVY = ("pypinyin", "segno", "openpyxl", "docx", "numpy", "pypdfium2", "PIL", "reportlab.pdfgen", "reportlab.pdfbase")
# one `mkdocs build`, then the heavy modules it imported (a subprocess: this test process has them all loaded)
SCRIPT = """
import json, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
build(load_config(config_file="mkdocs.yml"))
heavy = json.loads(sys.argv[1])
print(json.dumps(sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))))
"""


def heavy_modules_of_a_build(root) -> list[str]:
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(HEAVY)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_rebuild_imports_no_heavy_library(tmp_path):
    root = copy_example(tmp_path / "bureau")
    first = heavy_modules_of_a_build(root)
    # the first build makes everything (the example's columns have no id: their addresses come from pypinyin)
    assert {"pypinyin", "segno", "openpyxl", "reportlab.pdfgen"} <= set(first)
    assert heavy_modules_of_a_build(root) == []
