"""Shared fixtures: build real sites with `mkdocs build` and read the output."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

REPO = Path(__file__).resolve().parent.parent
BUILD_DATE = "2026-11-24"
CODE_AT_START = pytest.StashKey[str]()


def pytest_sessionstart(session):
    """gongkai's code key (code, templates, fonts) when this process's tests start: see pytest_runtest_makereport."""
    from gongkai.build.cache import code_key

    session.config.stash[CODE_AT_START] = code_key()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test says so when gongkai's files changed since the run started (a checkout edited, a branch
    merged or checked out while the suite runs): every cached result is then made again, and the tests of what a
    rebuild reuses fail (all pages re-rendered, a load's changes unknown) though nothing is wrong with the code."""
    outcome = yield
    report = outcome.get_result()
    started = item.config.stash.get(CODE_AT_START, None)
    if report.failed and started is not None:
        from gongkai.build.cache import code_key

        if code_key() != started:
            report.sections.append(("gongkai changed during this run", f"gongkai's files under {REPO / 'gongkai'} "
                                    "changed after the tests started: a test of a rebuild sees a new code key (every "
                                    "cached page and the load's memo dropped). Run the suite on a tree nobody edits."))


def run_build(root: Path, build_date: str = BUILD_DATE, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real build path, `mkdocs build`, in a site folder."""
    env = dict(os.environ, GONGKAI_BUILD_DATE=build_date, NO_MKDOCS_2_WARNING="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


def build_in_process(root: Path, build_date: str = BUILD_DATE, extra_env: dict | None = None,
                     site_dir: Path | None = None):
    """`mkdocs build` of root in this process: the plugin's real build path, without a new interpreter.
    site_dir: where to write instead of root/site (`mkdocs build -d`). Returns the loaded config (its plugins
    hold what the build did)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        mp.setenv("GONGKAI_BUILD_DATE", build_date)
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        for key, value in (extra_env or {}).items():
            mp.setenv(key, value)
        config = load_config(str(root / "mkdocs.yml"), **({"site_dir": str(site_dir)} if site_dir else {}))
        build(config)
    return config


def run_cli(root: Path, *args: str, build_date: str = BUILD_DATE, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """`gongkai …` as a new process (for what a process boundary is about; most tests use `cli`)."""
    env = dict(os.environ, GONGKAI_BUILD_DATE=build_date)
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


@dataclasses.dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def cli(root: Path, *args: str, build_date: str = BUILD_DATE, extra_env: dict | None = None) -> CliResult:
    """`gongkai …` in this process (click's CliRunner), run in `root` like `run_cli`: the same exit code, stdout and
    stderr without a new Python process. An exception other than the command's own exit is raised, not hidden."""
    from click.testing import CliRunner

    from gongkai.cli import main

    try:
        runner = CliRunner(mix_stderr=False)  # click 8.1
    except TypeError:
        runner = CliRunner()  # click 8.2: stderr is always kept apart
    env = {"GONGKAI_BUILD_DATE": build_date, **(extra_env or {})}
    with contextlib.chdir(root):
        result = runner.invoke(main, list(args), env=env, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return CliResult(result.exit_code, result.stdout, result.stderr)


def install_checkout(base: Path, *options: str) -> tuple[Path, Path]:
    """This checkout (pyproject.toml, setup.py, README.md, gongkai/) copied into base/checkout and installed into a
    fresh venv base/venv (the standard library's, no system site-packages) by `uv pip install [options] checkout`:
    a copy, since building in the checkout would write build/ and *.egg-info into it. uv resolves the declared
    dependencies like pip and links them from its cache (the first run on a machine downloads the wheels; later
    runs work offline). (venv folder, copied checkout)."""
    src = base / "checkout"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(REPO / name, src / name)
    shutil.copytree(REPO / "gongkai", src / "gongkai", ignore=shutil.ignore_patterns("__pycache__"))
    venv = base / "venv"
    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    install = [sys.executable, "-m", "uv", "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"),
               *options, str(src)]
    result = subprocess.run([*install, "--offline"], capture_output=True, text=True, timeout=600)
    if result.returncode != 0:  # wheels not yet in uv's cache on this machine
        result = subprocess.run(install, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    return venv, src


def copy_example(dest: Path) -> Path:
    """A copy of the example bureau (mkdocs.yml, catalog/, content/, overrides/) to change freely."""
    dest.mkdir(parents=True, exist_ok=True)
    return cold_copy(REPO, dest)


MINIMAL_SITE_YML = """\
name: 测试市民政局
org_code: 11330100002489999F
site_url: https://test.example.gov.cn/
"""

MKDOCS_YML = (REPO / "mkdocs.yml").read_text(encoding="utf-8")


def cold_copy(root: Path, dest: Path) -> Path:
    """The same inputs in another folder, without the cache or an earlier output (a cold build to compare with)."""
    for name in ("catalog", "content", "overrides"):
        if (root / name).exists():
            shutil.copytree(root / name, dest / name)
    shutil.copy(root / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a UTF-8 file by `new`; `old` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def opened_documents(monkeypatch) -> list[str]:
    """The files under content/documents/ that this process opens from now on (open, io.open, Path.open), as
    content/documents/… paths."""
    import builtins
    import io

    seen: list[str] = []
    real = io.open

    def recording(file, *args, **kwargs):
        name = os.fspath(file) if isinstance(file, (str, os.PathLike)) else ""
        if "/content/documents/" in name:
            seen.append("content/" + name.split("/content/", 1)[1])
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording)
    monkeypatch.setattr(io, "open", recording)
    return seen


def make_site(dest: Path, columns: str, documents: dict[str, str] | None = None, site_yml: str = MINIMAL_SITE_YML,
              pages: dict[str, str] | None = None) -> Path:
    """A small site from YAML and Markdown strings: columns.yml text, {relative path: text} documents."""
    (dest / "catalog").mkdir(parents=True, exist_ok=True)
    (dest / "content" / "documents").mkdir(parents=True, exist_ok=True)
    (dest / "overrides").mkdir(exist_ok=True)
    if (REPO / "overrides").exists():
        shutil.copytree(REPO / "overrides", dest / "overrides", dirs_exist_ok=True)
    (dest / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (dest / "catalog" / "site.yml").write_text(textwrap.dedent(site_yml), encoding="utf-8")
    (dest / "catalog" / "columns.yml").write_text(textwrap.dedent(columns), encoding="utf-8")
    for rel, text in (documents or {}).items():
        p = dest / "content" / "documents" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text), encoding="utf-8")
    for rel, text in (pages or {}).items():
        p = dest / "content" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text), encoding="utf-8")
    return dest


def write_document(root: Path, rel: str, text: str) -> None:
    """Write (or rewrite) content/documents/<rel> of a site, its folders made as needed (history tests)."""
    path = root / "content" / "documents" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def load_errors(root: Path, day) -> list[tuple[str, int | None, str | None, str]]:
    """The errors load_catalogue stops with, as (file, line, field, message), in the order reported."""
    from gongkai.errors import GongkaiError
    from gongkai.load.loader import load_catalogue

    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, day)
    return [(p.file, p.line, p.field, p.message) for p in info.value.problems if p.level == "error"]


def columns_of(root: Path, columns: str) -> list:
    """The column tree the loader reads from a columns.yml text (written to root/catalog/), with no problem."""
    from gongkai.errors import Problems
    from gongkai.load.columns import load_columns

    (root / "catalog").mkdir(parents=True, exist_ok=True)
    (root / "catalog" / "columns.yml").write_text(textwrap.dedent(columns), encoding="utf-8")
    problems = Problems()
    roots = load_columns(root, problems)
    assert problems.items == [], [p.format() for p in problems.items]
    return roots


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example bureau, built once per test session; returns the site/ folder."""
    root = copy_example(tmp_path_factory.mktemp("example"))
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="session")
def large_policy_site(tmp_path_factory) -> Path:
    """A site whose 政策文件 column has 1,300 documents (tests/fixtures/policies_large.py), built once per session
    with `mkdocs build` (without the search index); returns the project folder (its site/ is the output)."""
    from fixtures.policies_large import COLUMNS, documents

    root = make_site(tmp_path_factory.mktemp("policies-large"), COLUMNS, documents(1300))
    result = run_build(root, extra_env={"GONGKAI_SEARCH": "0"})
    assert result.returncode == 0, result.stderr
    return root


def tree_digest(path: Path) -> dict[str, bytes]:
    """Every file under path with its bytes, to compare trees exactly."""
    if not path.exists():
        return {}
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def same_site(warm: Path, cold: Path) -> dict[str, bytes]:
    """A warm build of warm and a cold build of its inputs in cold made the same site, byte for byte, and the same
    output manifest. Returns the warm site's files."""
    warm_files, cold_files = tree_digest(warm / "site"), tree_digest(cold / "site")
    assert sorted(n for n in set(warm_files) | set(cold_files) if warm_files.get(n) != cold_files.get(n)) == []
    assert (warm / "site.manifest.json").read_bytes() == (cold / "site.manifest.json").read_bytes()
    return warm_files


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (Playwright driving Debian's chromium). Not per session: Playwright
    runs a thread (asyncio's child watcher) while it is open, and a build refuses to fork beside other threads
    (publish.py), so a browser left open would change what later tests in the same xdist worker see."""
    from browser import launch

    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def example_url(example_site):
    """The built example site served on localhost (per module, like `browser`: the server's thread stops with it)."""
    from browser import serve

    with serve(example_site) as url:
        yield url
