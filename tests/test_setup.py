"""setup.py: the README's first command (`pip install -e .`) installs gongkai-env.pth as a normal install does, so
Material's English end-of-life banner never reaches a clerk building the example site (see setup.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

PTH_LINE = 'import os; os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")'


def test_editable_install_quiets_material(tmp_path: Path) -> None:
    src = tmp_path / "checkout"  # a copy: an install writes *.egg-info into the folder it installs
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(REPO / name, src / name)
    shutil.copytree(REPO / "gongkai", src / "gongkai", ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = [sys.executable, "-m", "uv", "pip", "install", "--quiet", "--no-deps", "--python", str(python),
               "-e", str(src)]
    result = subprocess.run([*install, "--offline"], capture_output=True, text=True, timeout=600)
    if result.returncode != 0:  # setuptools not yet in uv's cache on this machine
        result = subprocess.run(install, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
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
