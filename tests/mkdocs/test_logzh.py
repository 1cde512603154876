"""MkDocs' fixed progress sentences and level names printed in Chinese (gongkai/mkdocs/logzh.py), in-process."""

from __future__ import annotations

import io
import logging

from mkdocs.__main__ import ColorFormatter

from gongkai.mkdocs import logzh


def _logger(name: str) -> tuple[logging.Logger, io.StringIO]:
    out = io.StringIO()
    logger = logging.getLogger(name)
    logger.handlers[:] = []
    handler = logging.StreamHandler(out)
    handler.setFormatter(ColorFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    return logger, out


def test_progress_lines_and_levels_of_child_loggers_are_translated():
    parent, out = _logger("gk-test-mkdocs")
    logzh.install(parent)
    logzh.install(parent)  # mkdocs serve starts the plugin again: one filter, not two
    assert sum(isinstance(f, logzh.ChineseLog) for f in parent.handlers[0].filters) == 1
    child = logging.getLogger("gk-test-mkdocs.commands.build")  # MkDocs logs from child loggers
    child.info("Cleaning site directory")
    child.info("Building documentation to directory: /srv/site.gongkai-new.12-ab")
    child.info("Documentation built in 3.21 seconds")
    child.warning("content/a.md:3: 警告: 字段「expires」……")
    child.error("Aborted with a BuildError!")
    child.info("Serving on http://127.0.0.1:8000/")
    child.info("Something MkDocs says that gongkai does not know")
    lines = out.getvalue().splitlines()
    assert lines == [  # "Cleaning site directory" left out: it only ever empties gongkai's new staging folder
        "信息      -  正在生成网站（完成后整体替换 site/）",
        "信息      -  网站生成完成，用时 3.21 秒",
        "\x1b[33m警告      -  \x1b[0mcontent/a.md:3: 警告: 字段「expires」……",
        "\x1b[31m错误      -  \x1b[0m生成已中止：有错误，见上面的说明；site/ 保持原样",
        "信息      -  预览地址：http://127.0.0.1:8000/，在浏览器中打开即可；按 Ctrl+C 停止",
        "信息      -  Something MkDocs says that gongkai does not know",
    ]
    assert logzh.is_progress(lines[1]) and not logzh.is_progress(lines[4])


def test_strict_mode_still_counts_warnings_by_number():
    logger, _out = _logger("gk-test-strict")
    logzh.install(logger)
    counter = logging.Handler()
    seen: list[int] = []
    counter.emit = lambda record: seen.append(record.levelno)  # type: ignore[method-assign]
    logger.addHandler(counter)
    logger.warning("x")
    assert seen == [logging.WARNING]
    assert logzh.translate("[04:30:52] Serving on http://127.0.0.1:8000/").startswith("[04:30:52] 预览地址：")
    assert logzh.translate("Aborted with 2 warnings in strict mode!") == "生成已中止：严格模式（--strict）下有 2 条警告；site/ 保持原样"


def test_an_aborted_build_says_so_in_chinese(capsys):
    from mkdocs.exceptions import Abort

    logzh.install(logging.getLogger("gk-test-abort"))
    Abort("Aborted with a BuildError!").show()
    assert capsys.readouterr().out == "\n生成已中止：有错误，见上面的说明；site/ 保持原样\n"


def test_every_sentence_is_translated_and_other_lines_are_left_alone():
    """One sentence of each rule (with serve's time stamp too): none is passed over by the first-word check that
    lets gongkai's own warnings through without trying every rule."""
    sentences = ["Building documentation to directory: /x/site.gongkai-new.1-ab",
                 "Building documentation...", "Documentation built in 3.21 seconds", "Aborted with a BuildError!",
                 "Aborted with 2 warnings in strict mode!", "Serving on http://127.0.0.1:8000/ and opening it in a browser",
                 "Serving on http://127.0.0.1:8000/", "Watching paths for changes: 'content', 'mkdocs.yml'",
                 "Detected file changes", "Reloading browsers", "Browser connected: http://127.0.0.1:8000/",
                 "Shutting down..."]
    assert len(sentences) == len(logzh._RULES)
    for sentence in sentences:
        for line in (sentence, f"[04:30:52] {sentence}"):
            said = logzh.translate(line).removeprefix("[04:30:52] ")
            assert not said[0].isascii(), said  # a Chinese sentence
    for other in ("content/documents/2018/x.md:3: 警告: 文号「x」重复", "Documentation", "Servings on x", "[04:30:52] 预览"):
        assert logzh.translate(other) == other
