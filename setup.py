"""gongkai's build: everything is declared in pyproject.toml; this file only adds gongkai-env.pth to the wheel.

Material for MkDocs prints an English end-of-life banner ("Material for MkDocs reaches end of life ...") when
MkDocs imports the theme. That happens while mkdocs.yml is validated, before any plugin is even imported, so
the gongkai plugin cannot stop it, and a clerk running `mkdocs build` or `mkdocs serve` would read English text
about software they never chose. Material prints nothing when NO_MKDOCS_2_WARNING is set. A .pth file in
site-packages runs its `import` line when Python starts, before MkDocs does anything: gongkai-env.pth sets the
variable (setdefault: a value the user set wins) in the environment gongkai is installed into, for
`mkdocs build`, `mkdocs serve` and `python -m mkdocs` alike. The gongkai command sets it too (gongkai/cli), for
environments without the .pth (a checkout on PYTHONPATH).

An editable install (`pip install -e .`, the README's first command) builds its wheel through setuptools'
editable_wheel, which installs only a path hook, not what build_py made; the same .pth is written into that
wheel's root too, so the README's example build prints no English either.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

try:
    from setuptools.command.editable_wheel import editable_wheel
except ImportError:  # setuptools < 64: no PEP 660 editable installs
    editable_wheel = None

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


commands: dict[str, type] = {"build_py": BuildPyWithPth}
if editable_wheel is not None and hasattr(editable_wheel, "_run_build_commands"):

    class EditableWheelWithPth(editable_wheel):  # type: ignore[misc, valid-type]
        """editable_wheel, plus the .pth file at the root of the editable wheel (installed into site-packages)."""

        def _run_build_commands(self, dist_name, unpacked_wheel, *args, **kwargs):  # type: ignore[no-untyped-def]
            found = super()._run_build_commands(dist_name, unpacked_wheel, *args, **kwargs)
            (Path(unpacked_wheel) / PTH_NAME).write_text(PTH_LINE, encoding="utf-8")
            return found

    commands["editable_wheel"] = EditableWheelWithPth

setup(cmdclass=commands)
