"""setup.py: the README's first command (`pip install -e .`) installs gongkai-env.pth as a normal install does, so
Material's English end-of-life banner never reaches a clerk building the example site (see setup.py)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import install_checkout

PTH_LINE = 'import os; os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")'


def test_editable_install_quiets_material(tmp_path: Path) -> None:
    venv, src = install_checkout(tmp_path, "--no-deps", "-e")
    python = venv / "bin" / "python"
    pths = list(venv.glob("lib/python*/site-packages/gongkai-env.pth"))
    assert len(pths) == 1 and pths[0].read_text(encoding="utf-8").strip() == PTH_LINE, pths
    env = {k: v for k, v in os.environ.items() if k not in ("NO_MKDOCS_2_WARNING", "PYTHONPATH")}
    seen = subprocess.run([str(python), "-c", "import os; print(os.environ.get('NO_MKDOCS_2_WARNING'))"],
                          env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert seen == "1"
    # still an editable install: the package is the checkout itself, not a copy
    where = subprocess.run([str(python), "-c", "import gongkai; print(gongkai.__file__)"], env=env, cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).resolve() == (src / "gongkai" / "__init__.py").resolve(), where
