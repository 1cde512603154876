"""`gongkai preview OLD`: build the proposed catalogue as a preview site, marked on every page and never publishable.

The build itself is the real one (`mkdocs build`, with the gongkai plugin's `preview` set through the environment
variable GONGKAI_PREVIEW): what the leader sees is exactly what would be published, plus the marks. The output goes
to site-preview/ (never site/), and its manifest says it is a preview, so `gongkai publish` refuses it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from gongkai.cli.common import ROOT_OPTION
from gongkai.errors import GongkaiError
from gongkai.load.mkdocsyml import mkdocs_yml_problems
from gongkai.mkdocs import logzh

DEFAULT_DIR = "site-preview"


@click.command("preview", help="生成栏目调整方案的预览网站：当前的标准目录与旧版本（git 版本、网站文件夹或 columns.yml）"
                               "相比，新增、改名、移动的栏目在导航和标准目录页中标出，每页顶部显示“预览：栏目调整方案（未发布）”。"
                               "预览写入 site-preview/，gongkai publish 拒绝发布它。--serve 在浏览器中预览。")
@click.argument("old", metavar="旧版本")
@click.option("-d", "--site-dir", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="文件夹",
              help=f"预览网站的文件夹（默认 {DEFAULT_DIR}/；不能是 site/）")
@click.option("--serve", is_flag=True, help="像 gongkai serve 一样在 http://127.0.0.1:8000/ 预览，不写入文件夹")
@ROOT_OPTION
def preview_command(old: str, site_dir: Path | None, serve: bool, root: Path) -> None:
    config = mkdocs_yml_problems(root)  # MkDocs reads mkdocs.yml before gongkai runs: say its mistakes in Chinese
    if config:
        click.echo(GongkaiError(config).report().replace("已停止生成", "未生成预览"), err=True)
        sys.exit(1)
    env = dict(os.environ, GONGKAI_PREVIEW=old)
    if serve:
        args = [sys.executable, "-m", "mkdocs", "serve"]
    else:
        out = (site_dir if site_dir is not None else root / DEFAULT_DIR).resolve()
        if out == (root / "site").resolve():
            click.echo("错误: 预览不能写入 site/：site/ 是正式网站的输出，可能被发布。请换一个文件夹", err=True)
            sys.exit(2)
        args = [sys.executable, "-m", "mkdocs", "build", "-d", str(out)]
    if serve:
        code = subprocess.run(args, cwd=root, env=env).returncode
    else:
        # not -q: that would hide the warnings too, and they say where each document of a removed column went
        # in the preview and what to write instead; MkDocs' progress lines are left out
        result = subprocess.run(args, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, encoding="utf-8", errors="replace")
        code = result.returncode
        for line in result.stdout.splitlines():
            if not logzh.is_progress(line):
                click.echo(line, err=True)
    if code != 0:
        sys.exit(code)
    if not serve:
        click.echo(f"已生成预览网站 {out}（用浏览器打开其中的 index.html）。预览不能发布；"
                   "方案批准后请合并调整，运行 gongkai lock，再用 gongkai build 生成正式网站。")
