"""gongkai.cli.zh: the clerk reads the gongkai command's help and usage errors in Chinese, never click's English
("Usage:", "Options:", "Show this message and exit.", "Error: No such option", "Missing argument" …)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gongkai.cli import main
from gongkai.cli.zh import MESSAGES, PLURALS, display_width

# click's English as it would appear: its message texts and the placeholders it derives from English names
CLICK_ENGLISH = re.compile(
    r"Usage|Options|Commands|Show this message|Show the version|Error:|No such|Missing|Try '|Did you mean|"
    r"not a valid|is not one of|does not exist|default:|required|\b(?:OPTIONS|COMMAND|ARGS|TEXT|INTEGER|DIRECTORY|"
    r"FILE|PATH|RANGE|BOOLEAN|FLOAT|DIR|OLD|NEW|TABLE|TARGET|SOURCE|SOURCES|YEAR|ID)\b")
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,} [a-z]{2,} [a-z]{2,}")


def click_texts() -> tuple[set[str], set[tuple[str, str]]]:
    """Every text the installed click marks for translation: `_("…")` and `ngettext("…", "…", n)`."""
    singles: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for path in sorted(Path(click.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "_" and args:
                singles.add(args[0])
            elif node.func.id == "ngettext" and len(args) == 2:
                pairs.add((args[0], args[1]))
    return singles, pairs


def test_every_click_text_has_a_chinese_one():
    singles, pairs = click_texts()
    assert len(singles) > 40 and len(pairs) >= 5  # the scan found click's texts
    assert "required" in MESSAGES  # passed to _() as a variable: extra["required"] = "required"
    assert sorted(singles - set(MESSAGES)) == []
    assert sorted(pairs - set(PLURALS)) == []
    for english, chinese in [*MESSAGES.items(), *((p[i], c[i]) for p, c in PLURALS.items() for i in (0, 1))]:
        if english not in ("{text} {deprecated_message}", "Error: {e.message}", "{editor}: Editing failed"):
            assert re.search(r"[\u4e00-\u9fff]", chinese), english
        # the Chinese text formats with the arguments click passes for the English one
        names = set(re.findall(r"\{([a-z_]+)", english))
        assert set(re.findall(r"\{([a-z_]+)", chinese)) <= names, english


def commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, cmd in sorted(group.commands.items()):
        yield (*path, name)
        if isinstance(cmd, click.Group):
            yield from commands(cmd, (*path, name))


ALL_HELP = [(), *commands(main)]


@pytest.mark.parametrize("args", ALL_HELP, ids=lambda a: " ".join(a) or "gongkai")
def test_help_is_chinese(args):
    result = CliRunner().invoke(main, [*args, "--help"], prog_name="gongkai")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("用法: gongkai" + "".join(f" {a}" for a in args) + " [选项]")
    assert "选项:" in lines and "显示本说明并退出" in result.output
    assert not CLICK_ENGLISH.search(result.output), CLICK_ENGLISH.search(result.output)
    rest = "\n".join(lines[1:])  # the usage line holds the command's own name (gongkai report new)
    assert not ENGLISH_SENTENCE.search(rest), ENGLISH_SENTENCE.search(rest)
    # the option list lines up on screen: every help text starts in the same terminal column
    # (a Chinese character is two columns wide)
    options = lines[lines.index("选项:") + 1:]
    options = options[: options.index("")] if "" in options else options
    starts = {display_width(m.group(1)) for line in options if (m := re.match(r"(  \S.*?  +)\S", line))}
    assert len(starts) == 1, options


@pytest.mark.parametrize("group", [(), ("report",)], ids=lambda a: " ".join(a) or "gongkai")
def test_command_list_says_what_each_command_does(group):
    """`gongkai -h` lists each command with a whole Chinese phrase: never click's "..." (its cut counts words
    between spaces, and a Chinese sentence has none), never a phrase cut off mid-way."""
    result = CliRunner().invoke(main, [*group, "-h"], prog_name="gongkai")
    lines = result.output.splitlines()
    listed = lines[lines.index("命令:") + 1:]
    entries: dict[str, str] = {}
    for line in listed:
        if m := re.match(r"  (\S+) +(.*)$", line):
            entries[m.group(1)] = m.group(2)
        elif line.strip() and entries:  # a wrapped entry goes on under the last one
            entries[list(entries)[-1]] += line.strip()
    assert entries.keys() == main.commands.keys() if not group else entries.keys() == {"new", "merge"}
    for name, text in entries.items():
        assert "..." not in text and text.endswith("。"), (name, text)
    assert entries.get("inspect", "按国办秘函〔2019〕19号的检查指标检查网站。") == "按国办秘函〔2019〕19号的检查指标检查网站。"


def test_short_help_option_everywhere():
    assert CliRunner().invoke(main, ["lock", "-h"]).output == CliRunner().invoke(main, ["lock", "--help"]).output != ""


@pytest.mark.parametrize("args, first_lines", [
    (["check", "--rot", "x"], ["用法: gongkai check [选项]", "运行「gongkai check -h」查看用法。", "",
                                "错误：没有这个选项：--rot 是不是要写 --root？"]),
    (["lock", "--nosuch"], ["用法: gongkai lock [选项]", "运行「gongkai lock -h」查看用法。", "",
                             "错误：没有这个选项：--nosuch"]),
    (["import"], ["用法: gongkai import [选项] 栏目表", "运行「gongkai import -h」查看用法。", "",
                  "错误：缺少参数「栏目表」。"]),
    (["chek"], ["用法: gongkai [选项] 命令 [参数]...", "运行「gongkai -h」查看用法。", "", "错误：没有「chek」这个命令。"]),
    (["posters", "--size", "B5"], ["用法: gongkai posters [选项] [服务包标识 ...]", "运行「gongkai posters -h」查看用法。", "",
                                   "错误：「--size」的值无效：「B5」不是可选的值（「a4」、「a3」）之一。"]),
    (["report", "new", "19"], ["用法: gongkai report new [选项] 年份", "运行「gongkai report new -h」查看用法。", "",
                               "错误：「年份」的值无效：19 不在 2000<=x<=2999 的范围内。"]),
    (["withdraw", "szmz-2024-3"], ["用法: gongkai withdraw [选项] 文件标识", "运行「gongkai withdraw -h」查看用法。", "",
                                   "错误：缺少选项「--reason」。"]),
])
def test_usage_errors_are_chinese(args, first_lines):
    result = CliRunner().invoke(main, args, prog_name="gongkai")
    assert result.exit_code == 2
    assert result.output.splitlines() == first_lines
    assert not CLICK_ENGLISH.search(result.output)


def test_choices_are_listed_in_chinese_quotation_marks():
    """click.Choice names its values as Python reprs ('a4', 'a3'); a clerk reads 「a4」、「a3」."""
    from gongkai.cli.zh import _invalid_message

    assert _invalid_message("'--size' 的值无效：「A5」不是可选的值（'a4', 'a3'）之一。") == \
        "「--size」的值无效：「A5」不是可选的值（「a4」、「a3」）之一。"
    assert _invalid_message("'--size' 的值无效：「A5」不是可选的值 'a4'。") == "「--size」的值无效：「A5」不是可选的值「a4」。"
    # (other messages keep their quotes: only the list of choices is rewritten)
    assert _invalid_message("'-x' 的值无效：文件「a'b」不存在。") == "「-x」的值无效：文件「a'b」不存在。"
