"""click's own words in Chinese: "Usage:", "Options:", "Show this message and exit.", "Error: No such option" …

click marks every text it prints with gettext (`_()` and `ngettext()` imported into each of its modules), but
gettext picks the language from LANGUAGE/LANG and needs compiled catalogues; a clerk's Windows or `C.UTF-8`
machine would still get English. The gongkai command always speaks Chinese, so `install()` points those
names in click's modules at the table below. Only the gongkai process is affected (nothing imports gongkai.cli
inside `mkdocs build`). tests/cli/test_cli_chinese.py checks that every text of the installed click has a
translation, so a click upgrade with a new message fails the test instead of printing English.

`localize(group)` does the same for the placeholders click derives from English names ("[OPTIONS]",
"COMMAND [ARGS]...", "DIRECTORY", "TEXT" …) on every command of the group.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable

import click
import click.exceptions
import click.formatting

# click's message -> Chinese (placeholders kept; a translation may leave one out)
MESSAGES: dict[str, str] = {
    "Usage:": "用法:",  # click adds ":" to the headings and a space after this: ASCII, as there
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本说明并退出",
    "Show the version and exit.": "显示版本号并退出",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行「{command} {option}」查看用法。",
    "No such option: {name}": "没有这个选项：{name}",
    "No such command {name!r}.": "没有「{name}」这个命令。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name} 后面不能写值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 需要 {nargs} 个值。",
    "Value must be an iterable.": "这里要写一组值。",
    "Aborted!": "已中止。",
    "unknown error": "未知错误",
    "Could not open file {filename!r}: {message}": "无法打开文件「{filename}」：{message}",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（运行时确定）",
    "required": "必填",
    "{text} {deprecated_message}": "{text} {deprecated_message}",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "提示：命令「{name}」已停用。{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "提示：「{name}」已停用。{extra_message}",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} is not a valid boolean.": "「{value}」不是有效的是/否值。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 的范围内。",
    "{value!r} is not a valid {number_type}.": "「{value}」不是有效的数字。",
    "{value!r} is not a valid UUID.": "「{value}」不是有效的 UUID。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name}「{filename}」不存在。",
    "{name} {filename!r} is a file.": "{name}「{filename}」是一个文件，这里要写文件夹。",
    "{name} {filename!r} is a directory.": "{name}「{filename}」是一个文件夹，这里要写文件。",
    "{name} {filename!r} is not readable.": "{name}「{filename}」无法读取。",
    "{name} {filename!r} is not writable.": "{name}「{filename}」无法写入。",
    "{name} {filename!r} is not executable.": "{name}「{filename}」无法执行。",
    "{editor}: Editing failed": "{editor}：编辑失败",
    "{editor}: Editing failed: {e}": "{editor}：编辑失败：{e}",
    "Press any key to continue...": "按任意键继续……",
    "Repeat for confirmation": "请再输入一次确认",
    "Error: The value you entered was invalid.": "错误：输入的值无效。",
    "Error: The two entered values do not match.": "错误：两次输入的值不一致。",
    "Error: invalid input": "错误：输入无效",
    "Error: {e.message}": "错误：{e.message}",
    "Shell completion is not supported for Bash versions older than 4.4.": "Bash 4.4 以前的版本不支持命令补全。",
    "Couldn't detect Bash version, shell completion is not supported.": "无法确定 Bash 的版本，不支持命令补全。",
}

# (singular, plural) -> (Chinese for n == 1, for other n)
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("多写了参数（{args}）", "多写了参数（{args}）"),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("需要 {nargs} 个值，只写了 1 个。", "需要 {nargs} 个值，写了 {len} 个。"),
    ("Did you mean {possibility}?", "(Possible options: {possibilities})"):
        ("是不是要写 {possibility}？", "（可能是：{possibilities}）"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("选项 {name} 后面要写一个值。", "选项 {name} 后面要写 {nargs} 个值。"),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("「{value}」不是可选的值 {choice}。", "「{value}」不是可选的值（{choices}）之一。"),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        ("「{value}」不符合格式 {format}。", "「{value}」不符合格式 {formats} 中的任何一种。"),
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        ("需要 {len_type} 个值，写了 {len_value} 个。", "需要 {len_type} 个值，写了 {len_value} 个。"),
}

# click's modules that print text (each imported `_` / `ngettext` from gettext)
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "_termui_impl",
                 "shell_completion")

# metavars click makes from a parameter type's English name (type.name.upper())
TYPE_METAVARS = {"text": "文本", "integer": "整数", "integer range": "整数", "float": "数字", "float range": "数字",
                 "boolean": "是/否", "directory": "文件夹", "file": "文件", "path": "路径", "filename": "文件",
                 "uuid": "UUID", "datetime": "日期"}
OPTIONS_METAVAR = "[选项]"
_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")
SUBCOMMAND_METAVAR = "命令 [参数]..."


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    pair = PLURALS.get((singular, plural))
    if pair is None:
        return singular if n == 1 else plural
    return pair[0] if n == 1 else pair[1]


def display_width(x: str) -> int:
    """Terminal columns of a text: Chinese characters take two (click counts one, so the option list's
    second column would not line up after a Chinese metavar such as 文件夹)."""
    text = _ANSI.sub("", x)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_MISSING = re.compile(r"(缺少[^ ']*)((?:\s*/?\s*'[^']*')*)\.(.*)", re.S)


def _missing_message(text: str) -> str:
    """click's MissingParameter puts its parts together in English ("Missing option '--reason'."): 「缺少选项
    「--reason」。」 instead, the names in Chinese quotation marks and a full stop."""
    m = _MISSING.fullmatch(text)
    if m is None:
        return text
    names = "、".join(re.findall(r"'([^']*)'", m[2]))
    return m[1] + (f"「{names}」" if names else "") + "。" + m[3].strip()


_INVALID = re.compile(r"((?:\s*/?\s*'[^']*')+) 的值无效：(.*)", re.S)
# click.File's refusal of a file it cannot open is "'name': " and the system's English text (OSError.strerror)
_OPEN_FAILED = re.compile(r"'(.*)': (.*)", re.S)
_OS_ERRORS = {"No such file or directory": "文件「{}」不存在。", "Permission denied": "没有权限打开文件「{}」。",
              "Is a directory": "「{}」是一个文件夹，这里要写文件。"}


# click.Choice lists its values as Python reprs ('a4', 'a3'): each in Chinese quotation marks instead
_CHOICES = re.compile(r"(?<=不是可选的值)( ?（?)('[^']*'(?:, '[^']*')*)")


def _invalid_message(text: str) -> str:
    """click's BadParameter names the option in English quotes ("'-t' / '--theme' 的值无效"): 「-t / --theme」."""
    m = _INVALID.fullmatch(text)
    if m is None:
        return text
    said = m[2]
    opened = _OPEN_FAILED.fullmatch(said)
    if opened is not None and opened[2] in _OS_ERRORS:
        said = _OS_ERRORS[opened[2]].format(opened[1])
    said = _CHOICES.sub(lambda c: c[1].strip() + "、".join(f"「{v}」" for v in re.findall(r"'([^']*)'", c[2])), said)
    return "「" + " / ".join(re.findall(r"'([^']*)'", m[1])) + "」的值无效：" + said


def _reword(exception: type[click.ClickException], reword: Callable[[str], str]) -> None:
    """`exception`'s message put through `reword` (once: a second install keeps the first wrapper)."""
    english = exception.format_message
    if getattr(english, "gk_zh", False):
        return

    def format_message(self: click.ClickException) -> str:
        return reword(english(self))

    format_message.gk_zh = True  # type: ignore[attr-defined]
    exception.format_message = format_message  # type: ignore[method-assign]


def install() -> None:
    """Make click print its own texts in Chinese (in this process)."""
    setattr(click.formatting, "term_len", display_width)  # noqa: B010  (the option list's column widths)
    _reword(click.exceptions.MissingParameter, _missing_message)
    _reword(click.exceptions.BadParameter, _invalid_message)
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def short_help(text: str) -> str:
    """What a command does, for the command list of `gongkai -h`: its help up to the first 「。」, or to the first
    「：」 that introduces the details. click's own cut looks for ". " and counts words between spaces: a Chinese
    sentence is one long "word", so the list showed "..." or a phrase cut off in the middle."""
    first = text.strip().split("\n\n")[0].replace("\n", "")
    depth = 0  # a 「：」 inside （…） belongs to the parenthesis, not to the sentence
    for i, ch in enumerate(first):
        depth += (ch in "（(") - (ch in "）)")
        if depth <= 0 and ch in "。：":
            return first[:i] + "。"
    return first


def localize(command: click.Command) -> None:
    """Chinese placeholders in the usage line and the option list of `command` and every command under it.
    An explicit metavar (e.g. 旧标识=新标识) is kept; an argument must have one, as its name is English."""
    command.options_metavar = OPTIONS_METAVAR
    if command.help and not command.short_help:
        command.short_help = short_help(command.help)
    for param in command.params:
        if param.metavar is None and isinstance(param, click.Option) and not param.is_flag \
                and not isinstance(param.type, click.Choice):
            param.metavar = TYPE_METAVARS.get(param.type.name, param.metavar)
    if isinstance(command, click.Group):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
        for sub in command.commands.values():
            localize(sub)


__all__ = ["MESSAGES", "PLURALS", "install", "localize"]
