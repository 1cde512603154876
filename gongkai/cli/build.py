"""`gongkai build` and `gongkai serve`: `mkdocs build` / `mkdocs serve` after a look at mkdocs.yml.

MkDocs parses mkdocs.yml before it loads any plugin (mkdocs.config.load_config; plugins come from entry points
while the parsed options are validated), and reports a syntax mistake there in English, a line after the real one
("MkDocs encountered an error parsing the configuration file: while scanning a simple key …"). Nothing a plugin
or a theme provides runs earlier; an interpreter-wide hook (sitecustomize, a .pth file patching MkDocs) would
change every program of the environment to fix one message, so gongkai does not do that. Instead the commands a
clerk is told to run are gongkai's: they read mkdocs.yml as MkDocs will (load/mkdocsyml.py), stop with the mistake
named in Chinese at its line, and otherwise run the real `mkdocs build`/`serve` with the arguments given: the
exit code, the output and Ctrl-C are MkDocs' own.

On POSIX gongkai's process becomes MkDocs (exec), so there is one process to stop: a Ctrl+C reaches MkDocs once,
whether a terminal sends it to the whole foreground group or a tool (an IDE's stop button, `kill -INT`) to gongkai's
process alone. With MkDocs as a child, gongkai could not tell the two apart: forwarding the signal would interrupt
MkDocs a second time in the middle of removing its temporary copy of the site when the terminal had already sent it,
and not forwarding it left MkDocs running, with gongkai waiting for it, when the tool had not. Elsewhere (Windows,
where a console's Ctrl+C reaches every process attached to it), or when gongkai's output is not its process's own
(a test's CliRunner), MkDocs is a child and gongkai waits for it to finish (_run_to_the_end).
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from pathlib import Path

import click

from gongkai.cli.common import ROOT_OPTION
from gongkai.errors import GongkaiError
from gongkai.load.mkdocsyml import NAMES, config_file, mkdocs_yml_problems

PASS_THROUGH = {"ignore_unknown_options": True, "allow_extra_args": True}


class PassThrough(click.Command):
    """A command whose own options (--root, -h/--help) are read where they are written whole, and every other
    argument is MkDocs'. click, ignoring an unknown option group such as -dpublic_html, reads its letters one by one
    and would take the h of the value for gongkai's -h (printing gongkai's help instead of building): it cannot know
    that MkDocs' -d takes the rest of the group as its value. So MkDocs' arguments are handed to click after `--`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes: dict[str, int] = {}  # gongkai's option names -> how many values follow each
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for name in (*param.opts, *param.secondary_opts):
                    takes[name] = 0 if param.is_flag or param.count else param.nargs
        own: list[str] = []
        theirs: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":  # (the clerk's own: what follows is MkDocs' as it is)
                theirs.extend(args[i + 1:])
                break
            name, equals, _ = arg.partition("=") if arg.startswith("--") else (arg, "", "")
            if name in takes:
                n = 0 if equals else takes[name]
                own.extend(args[i:i + 1 + n])
                i += 1 + n
                continue
            theirs.append(arg)
            i += 1
        return super().parse_args(ctx, [*own, "--", *theirs] if theirs else own)


def run_mkdocs(command: str, root: Path, args: tuple[str, ...]) -> None:
    """Stop on a mistake in mkdocs.yml (in Chinese, nothing written), else run `mkdocs COMMAND ARGS` in root."""
    if config_file(root) is None:
        click.echo(f"错误: 站点目录 {root} 中没有 {NAMES[0]}：请到用 gongkai new 新建的站点目录中运行", err=True)
        sys.exit(2)
    problems = mkdocs_yml_problems(root)
    if problems:
        click.echo(GongkaiError(problems).report(), err=True)
        sys.exit(1)
    argv = [sys.executable, "-m", "mkdocs", command, *args]
    if os.name == "posix" and _own_streams():
        # what the process does at its exit, done now: the exec replaces it (gongkai/fncache.py saves the dataclass
        # functions this command compiled; skipped, every `gongkai build` compiled them anew)
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        os.chdir(root)
        os.execv(sys.executable, argv)  # does not return
    sys.exit(_run_to_the_end(argv, root))


def _own_streams() -> bool:
    """Whether gongkai's standard output and error are its process's (file descriptors 1 and 2), so that a MkDocs
    taking over the process writes where gongkai would: not when a caller captures them in-process (CliRunner)."""
    try:
        return sys.stdout.fileno() == 1 and sys.stderr.fileno() == 2
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both an OSError and a ValueError
        return False


def _run_to_the_end(args: list[str], root: Path) -> int:
    """Run MkDocs as a child and wait until it has finished, also after a Ctrl+C (where gongkai does not become
    MkDocs, see the module's text).

    Ctrl+C in a console reaches every process attached to it: MkDocs gets it too and then removes its
    temporary copy of the site (a whole site: mkdocs_XXXX and mkdocs_XXXX.gongkai-prev in the temp folder) and
    writes its cache back. `subprocess.run` would kill it 0.25 s after the interrupt, in the middle of that, and
    leave the copy behind on every stop. A second Ctrl+C while it cleans up still stops it at once."""
    proc = subprocess.Popen(args, cwd=root)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        try:
            proc.wait()
        except KeyboardInterrupt:
            proc.kill()
            proc.wait()
        return 130


@click.command("build", cls=PassThrough, context_settings=PASS_THROUGH,
               help="生成网站到 site/：先检查 mkdocs.yml（格式错误用中文指出行号），再运行 mkdocs build。"
                    "其余参数原样交给 mkdocs build，如 --dirty、-d 文件夹、--strict、-q。")
@ROOT_OPTION
@click.argument("mkdocs_args", nargs=-1, type=click.UNPROCESSED, metavar="[MKDOCS 参数]...")
def build_command(root: Path, mkdocs_args: tuple[str, ...]) -> None:
    _check_usage("build", root, mkdocs_args)
    run_mkdocs("build", root, mkdocs_args)


def _check_usage(command: str, root: Path, args: tuple[str, ...]) -> None:
    """A refusal of MkDocs' command line as a usage error of gongkai's command: click prints gongkai's usage line
    and the message, in Chinese, and exits with 2, as MkDocs would have."""
    from gongkai.mkdocs.cliargs import usage_error  # (only gongkai/mkdocs/ imports MkDocs: DESIGN §2)

    problem = usage_error(command, args, root)
    if problem is not None:
        raise click.UsageError(problem, click.get_current_context())


@click.command("serve", cls=PassThrough, context_settings=PASS_THROUGH,
               help="预览网站（浏览器打开 http://127.0.0.1:8000/，修改后自动刷新）：先检查 mkdocs.yml，再运行 mkdocs serve。"
                    "其余参数原样交给 mkdocs serve，如 -a 127.0.0.1:8001。")
@ROOT_OPTION
@click.argument("mkdocs_args", nargs=-1, type=click.UNPROCESSED, metavar="[MKDOCS 参数]...")
def serve_command(root: Path, mkdocs_args: tuple[str, ...]) -> None:
    _check_usage("serve", root, mkdocs_args)
    run_mkdocs("serve", root, mkdocs_args)
