"""gongkai's build: everything is declared in pyproject.toml; this file only adds gongkai-env.pth to the wheel.

Material for MkDocs prints an English end-of-life banner ("Material for MkDocs reaches end of life ...") when
MkDocs imports the theme. That happens while mkdocs.yml is validated, before any plugin is even imported, so
the gongkai plugin cannot stop it, and a clerk running `mkdocs build` or `mkdocs serve` would read English text
about software they never chose. Material prints nothing when NO_MKDOCS_2_WARNING is set. A .pth file in
site-packages runs its `import` line when Python starts, before MkDocs does anything: gongkai-env.pth sets the
variable (setdefault: a value the user set wins) in the environment gongkai is installed into, for
`mkdocs build`, `mkdocs serve` and `python -m mkdocs` alike. The gongkai command sets it too (gongkai/cli), for
environments without the .pth (a checkout on PYTHONPATH).
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PTH_NAME = "gongkai-env.pth"
PTH_LINE = 'import os; os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")\n'


class BuildPyWithPth(build_py):
    """build_py, plus the .pth file at the top of the wheel (site-packages), next to the gongkai package."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / PTH_NAME
        target.write_text(PTH_LINE, encoding="utf-8")

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return [*super().get_outputs(include_bytecode), str(Path(self.build_lib) / PTH_NAME)]


setup(cmdclass={"build_py": BuildPyWithPth})
