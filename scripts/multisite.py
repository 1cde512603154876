#!/usr/bin/env python3
"""Many bureau sites in one job: N copies of the example bureau built in one process versus N `mkdocs build` runs.

    python scripts/multisite.py --sites 50

A province's platform builds hundreds of small sites. One Python process that builds them one after another
pays Python's start-up, the imports (MkDocs, Material, gongkai, Jinja2, reportlab …) and the compilation of
the theme's templates once; separate runs pay them every time. Each copy gets its own site name, so the sites
differ. Printed: wall and CPU time (user + sys) of both ways, and their ratio.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import remove_outputs  # (scripts/, this script's folder, is on sys.path)

REPO = Path(__file__).resolve().parent.parent
BUILD_DATE = "2026-11-24"
COPY = ("mkdocs.yml", "catalog", "content", "overrides")


def make_sites(dest: Path, n: int) -> list[Path]:
    sites = []
    for i in range(n):
        root = dest / f"site{i:03d}"
        root.mkdir(parents=True)
        for name in COPY:
            src = REPO / name
            if src.is_dir():
                shutil.copytree(src, root / name)
            elif src.exists():
                shutil.copy(src, root / name)
        yml = root / "catalog" / "site.yml"
        text = yml.read_text(encoding="utf-8")
        yml.write_text(text.replace("\nname: 示例市民政局", f"\nname: 示例市第{i + 1}区民政局", 1), encoding="utf-8")
        sites.append(root)
    return sites


def cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cpu_self() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def separate(sites: list[Path], env: dict) -> tuple[float, float]:
    c0, t0 = cpu_children(), time.perf_counter()
    for root in sites:
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0, cpu_children() - c0


def one_process(sites: list[Path], env: dict) -> tuple[float, float]:
    """All builds in a child process of its own (so its CPU time is measured apart from this script's)."""
    code = (
        "import logging, os, sys\n"
        "from mkdocs.commands.build import build\n"
        "from mkdocs.config import load_config\n"
        "logging.getLogger('mkdocs').setLevel(logging.ERROR)\n"
        "for root in sys.argv[1:]:\n"
        "    os.chdir(root)\n"
        "    build(load_config(os.path.join(root, 'mkdocs.yml')))\n"
    )
    c0, t0 = cpu_children(), time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *map(str, sites)], env=env, check=True)
    return time.perf_counter() - t0, cpu_children() - c0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sites", type=int, default=50, metavar="N",
                    help="how many copies of the example bureau to build each way (default 50)")
    args = ap.parse_args()
    if args.sites < 1:
        ap.error(f"--sites 须为正整数，现为 {args.sites}")
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")
    with tempfile.TemporaryDirectory(prefix="gongkai-multisite-") as tmp:
        sites = make_sites(Path(tmp), args.sites)
        wall_a, cpu_a = separate(sites, env)
        for root in sites:  # the same work again, as cold as the first (bench.py's cold step)
            remove_outputs(root)
        wall_b, cpu_b = one_process(sites, env)
        missing = [root.name for root in sites if not (root / "site" / "index.html").is_file()]
    print(f"## {args.sites} sites (copies of the example bureau, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")
    print("| 方式 way | wall | CPU (user+sys) |\n|---|---|---|")
    print(f"| {args.sites} 次 mkdocs build | {wall_a:.1f} s | {cpu_a:.1f} s |")
    print(f"| 一个进程依次构建 one process | {wall_b:.1f} s | {cpu_b:.1f} s |")
    print(f"| 比值 one process / separate | {wall_b / wall_a:.2f} | {cpu_b / cpu_a:.2f} |")
    if missing:
        sys.exit(f"有站点未生成 site/index.html：{'、'.join(missing)}")


if __name__ == "__main__":
    main()
