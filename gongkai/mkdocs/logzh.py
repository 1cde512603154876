"""MkDocs' own progress lines in Chinese, for the clerk who runs `mkdocs build` or `mkdocs serve`.

MkDocs logs a handful of fixed English sentences ("Cleaning site directory", "Documentation built in 3.21
seconds", "Serving on http://…") and prefixes every line with its level name (INFO, WARNING, ERROR). A filter
on the handlers of the `mkdocs` logger rewrites both before they are printed. It is a handler filter, not a
logger filter, because MkDocs logs from child loggers (mkdocs.commands.build, mkdocs.livereload …) whose
records reach the handler by propagation, which logger filters never see. The level number is left alone:
MkDocs counts warnings for `--strict` by number.

"Building documentation to directory: …/site.gongkai-new.123-ab" names gongkai's staging folder, which means
nothing to a clerk: the line says where the site will be once it is complete. "Cleaning site directory" is not
printed at all: MkDocs empties the folder it writes into, which is gongkai's staging folder, made empty for this
build — there is never anything to clean. What a killed build left beside site/ is removed by gongkai, which says
so only when there was something (plugin.on_config, CLEANED).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import click

LEVELS = {"DEBUG": "调试", "INFO": "信息", "WARNING": "警告", "ERROR": "错误", "CRITICAL": "严重错误"}

_STAMP = re.compile(r"\[\d\d:\d\d:\d\d\] ")
_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
_RULES: list[_Rule] = [
    (re.compile(r"Building documentation to directory: .*\Z", re.S), lambda m: "正在生成网站（完成后整体替换 site/）"),
    (re.compile(r"Building documentation\.\.\.\Z"), lambda m: "正在生成网站……"),
    (re.compile(r"Documentation built in ([\d.]+) seconds\Z"), lambda m: failed or f"网站生成完成，用时 {m[1]} 秒"),
    (re.compile(r"Aborted with a BuildError!\Z"), lambda m: "生成已中止：有错误，见上面的说明；site/ 保持原样"),
    (re.compile(r"Aborted with (\d+) warnings? in strict mode!\Z"),
     lambda m: f"生成已中止：严格模式（--strict）下有 {m[1]} 条警告；site/ 保持原样"),
    (re.compile(r"Serving on (\S+) and opening it in a browser\Z"), lambda m: f"预览地址：{m[1]}（正在打开浏览器）"),
    (re.compile(r"Serving on (\S+)\Z"), lambda m: f"预览地址：{m[1]}，在浏览器中打开即可；按 Ctrl+C 停止"),
    (re.compile(r"Watching paths for changes: (.*)\Z", re.S), lambda m: f"正在监视这些位置的改动：{m[1]}"),
    (re.compile(r"Detected file changes\Z"), lambda m: "发现文件改动，重新生成"),
    (re.compile(r"Reloading browsers\Z"), lambda m: "刷新已打开的页面"),
    (re.compile(r"Browser connected: (\S+)\Z"), lambda m: f"浏览器已连接：{m[1]}"),
    (re.compile(r"Shutting down\.\.\.\Z"), lambda m: "正在停止预览……"),
]

# the first word of every rule's sentence: a line that starts with none of them (gongkai's own 591 warnings of a
# 10,000-document build) is left as it is after one startswith, not tried against every rule
_HEADS = tuple(sorted({re.match(r"[A-Za-z]+", pattern.pattern)[0] for pattern, _ in _RULES}))  # type: ignore[index]


_DROPPED = re.compile(r"Cleaning site directory\Z")  # MkDocs' lines that are not true of a gongkai build: not printed
# gongkai's line when it removed what an interrupted build (or remover) left beside the site folder (plugin.on_config)
CLEANED = "清理之前的生成留下的临时文件"
# `mkdocs serve` stopped by input errors: the build MkDocs finishes is the error list's page (serve_error.py), not the
# site, so its "Documentation built in …" must not say the site was built. The plugin sets this sentence for that build
# (set_failed) and clears it when a build loads; the line is then shown as an error.
failed: str | None = None


def set_failed(errors: int | None) -> None:
    """What the end of this build says: None, the site was built; else how many input errors stopped it."""
    global failed
    failed = None if errors is None else (f"{FAILED}：发现 {errors} 处错误，见上面的列表。预览页面显示的是这份错误列表，"
                                          "改正并保存后自动重新生成")


FAILED = "网站未能生成"
# the progress lines of a build, as translated: callers that show only what matters leave these out
PROGRESS = (CLEANED, "正在生成网站", "网站生成完成")


def is_progress(line: str) -> bool:
    """Is this printed line one of MkDocs' progress lines of a build (level prefix and all)?"""
    level, _, message = line.partition("-  ")
    return level.strip() == LEVELS["INFO"] and message.startswith(PROGRESS)


def translate(message: str) -> str:
    """The Chinese sentence for one of MkDocs' fixed messages; any other message unchanged. `mkdocs serve`'s
    lines start with the time ("[04:30:52] Serving on …"): it is kept."""
    stamp = _STAMP.match(message)
    head, body = (stamp[0], message[stamp.end():]) if stamp else ("", message)
    if not body.startswith(_HEADS):
        return message
    for pattern, say in _RULES:
        match = pattern.match(body)
        if match:
            return head + say(match)
    return message


class ChineseLog(logging.Filter):
    """Rewrites MkDocs' fixed sentences and the level names of every line the handler prints; leaves out the
    sentences that are not true of a gongkai build."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "gk_zh", False):
            record.gk_zh = True  # a record passes every handler: rewrite it once
            try:
                message = record.getMessage()
            except (TypeError, ValueError):
                message = None
            if message is not None:
                said = translate(message)
                if said != message:
                    record.msg, record.args = said, ()
                record.gk_drop = _DROPPED.match(message) is not None
            record.levelname = LEVELS.get(record.levelname, record.levelname)
            if message is not None and record.msg != message and str(record.msg).startswith(FAILED):
                record.levelname = LEVELS["ERROR"]  # (the level number stays: MkDocs counts by it)
        return not getattr(record, "gk_drop", False)


def _chinese_abort() -> None:
    """MkDocs ends a failed build by raising Abort("Aborted with a BuildError!"), which click prints itself (not
    through the log): its `show` says the same in Chinese."""
    from mkdocs import exceptions

    if getattr(exceptions.Abort.show, "gk_zh", False):
        return

    def show(self: exceptions.Abort, *args: object, **kwargs: object) -> None:
        click.echo("\n" + translate(self.format_message()))

    show.gk_zh = True  # type: ignore[attr-defined]
    exceptions.Abort.show = show  # type: ignore[method-assign]


def install(logger: logging.Logger | None = None) -> None:
    """Add the filter to the handlers MkDocs set up on its logger (once; `mkdocs serve` starts the plugin again)."""
    _chinese_abort()
    logger = logger or logging.getLogger("mkdocs")
    for handler in logger.handlers:
        if not any(isinstance(f, ChineseLog) for f in handler.filters):
            handler.addFilter(ChineseLog())
        colors = getattr(handler.formatter, "colors", None)  # MkDocs' ColorFormatter picks colours by level name
        if isinstance(colors, dict):
            handler.formatter.colors = {**colors, **{LEVELS[k]: v for k, v in colors.items() if k in LEVELS}}  # type: ignore[union-attr]
