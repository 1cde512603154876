"""MkDocs' Markdown step skipped for gongkai's generated pages (gongkai/mkdocs/nomarkdown.py): the page ends up
exactly as MkDocs' own Page.render leaves it, and a real build sets up no Python-Markdown instance at all."""

from __future__ import annotations

import logging
import traceback

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from conftest import REPO, build_in_process, copy_example
from gongkai.mkdocs import nomarkdown


def _page(config, content: str) -> Page:
    file = File("zcwj/index.md", src_dir=None, dest_dir=config.site_dir, use_directory_urls=config.use_directory_urls)
    file.generated_by = "gongkai"  # as File.generated makes it inside a plugin event (plugin.on_files)
    file.content_string = content
    page = Page(None, file, config)
    page.read_source(config)
    return page


def _state(page: Page) -> tuple:
    return (page.content, [(i.title, i.url, i.level) for i in page.toc.items], page._title_from_render,
            page.present_anchor_ids, page.links_to_anchors, page.title)


@pytest.mark.parametrize("level", [logging.INFO, logging.DEBUG])  # MkDocs keeps links_to_anchors above DEBUG only
@pytest.mark.parametrize("content", [
    '---\ntitle: "政策文件"\n---\n',  # what gongkai generates (plugin.on_files)
    '---\ntitle: "政策文件"\n---\n\n  \n',  # blank
    '---\ntitle: "政策文件"\n---\n# 标题\n\n正文见[附件](../files/a.pdf#p2)。\n\n## 小节 {#x}\n',  # not ours: MkDocs' own
])
def test_the_page_is_left_as_mkdocs_leaves_it(content, level):
    config = load_config(str(REPO / "mkdocs.yml"))
    files = Files([])
    ours, theirs = _page(config, content), _page(config, content)
    logger = logging.getLogger("mkdocs.structure.pages")
    before = logger.level
    logger.setLevel(level)
    try:
        nomarkdown.render(ours, config, files)
        Page.render(theirs, config, files)
    finally:
        logger.setLevel(before)
    assert _state(ours) == _state(theirs)
    assert ours.title == "政策文件"


def test_a_build_makes_no_markdown_instance(tmp_path, monkeypatch):
    """Every page of the example is gongkai's: MkDocs converts none of them (each cost a Python-Markdown instance
    with every configured extension)."""
    made = []  # the pages a Markdown instance was made for (MkDocs' config check makes one of its own)
    real = markdown.Markdown.__init__

    def counted(self, *args, **kwargs):
        made.extend(f.name for f in traceback.extract_stack() if f.filename.endswith("mkdocs/structure/pages.py"))
        real(self, *args, **kwargs)

    monkeypatch.setattr(markdown.Markdown, "__init__", counted)
    root = copy_example(tmp_path / "site")
    config = build_in_process(root, extra_env={"GONGKAI_SEARCH": "0"})
    plugin = config.plugins["gongkai"]
    assert len(plugin.plans) > 50 and (root / "site" / "zcwj" / "index.html").is_file()
    assert made == []
