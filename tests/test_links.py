"""gongkai/links.py: a LinkMap remembers each resolution for the documents of one folder shown on pages of one
folder; what it answers is what a fresh map answers for every target, file and page."""

from __future__ import annotations

import itertools

from gongkai.links import LinkMap, Missing, Resolved

FILES = {p: p for p in ("documents/2024/img/tu1.png", "files/sqb.docx", "documents/2023/fj.pdf", "pages/bszn.md",
                        "documents/2024/szmz-2024-3.md")}
PAGES = {"documents/2024/szmz-2024-3.md": "documents/szmz-2024-3.html", "pages/bszn.md": "bsfw/bszn/index.html"}
HIDDEN = {"documents/2023/ysq.md": "是「依申请公开」的文件，网站上没有它的页面"}


def fresh() -> LinkMap:
    return LinkMap(FILES, dict(PAGES), dict(HIDDEN), frozenset({"documents/2024/link.pdf"}), frozenset({"forms/sqb.pdf"}))


def test_remembered_answers_are_a_fresh_maps_answers():
    targets = ["img/tu1.png", "../../files/sqb.docx", "../files/sqb.docx", "fj.pdf", "../2023/fj.pdf#page=2",
               "szmz-2024-3.md", "../2024/szmz-2024-3.md?x=1", "../../pages/bszn.md", "ysq.md", "link.pdf",
               "../forms/sqb.pdf", "https://www.gov.cn/", "#top", "missing.pdf", " img/tu1.png "]
    sources = ["documents/2024/a.md", "documents/2024/b.md", "documents/2023/c.md", "pages/p.md", "guide.md"]
    pages = ["documents/a.html", "documents/b.html", "bsfw/bszn/index.html", "index.html"]
    shared = fresh()
    for _ in range(2):  # the second round answers from what the first remembered
        for target, source, page in itertools.product(targets, sources, pages):
            assert shared.resolve(target, source, page) == fresh().resolve(target, source, page), (target, source, page)
    # the same target from two folders: one finds the picture, the other does not
    assert shared.resolve("img/tu1.png", "documents/2024/a.md", "documents/a.html") == Resolved(
        "documents/2024/img/tu1.png", "file", "")
    assert shared.resolve("img/tu1.png", "documents/2023/c.md", "documents/c.html") == Missing("documents/2023/img/tu1.png")
    # against the page's folder when the file's own folder has nothing
    assert shared.resolve("../files/sqb.docx", "documents/2024/a.md", "documents/a.html") == Resolved("files/sqb.docx", "file", "")
    assert shared.resolve("../files/sqb.docx", "documents/2024/a.md", "bsfw/bszn/index.html") == Missing("documents/files/sqb.docx")


def test_site_links_pages_and_hidden_documents(tmp_path):
    """A published document's Markdown file leads to its page; one that is not published (依申请公开, scheduled)
    leads nowhere, with the reason; a page column's file to its column page."""
    import datetime as dt

    from conftest import make_site
    from gongkai.links import site_links
    from gongkai.load.loader import load_catalogue

    columns = ("columns:\n  - name: 通知公告\n    id: tzgg\n    kind: documents\n"
               "  - name: 机构简介\n    id: jgjj\n    kind: page\n    page: pages/jgjj.md\n")

    def doc(extra: str = "", day: str = "2026-03-01") -> str:
        return f"---\ntitle: 关于某事项的通知\npublished: {day}\ncolumns: [tzgg]\n{extra}---\n\n正文。\n"
    root = make_site(tmp_path, columns, {"2026/a.md": doc(), "2026/b.md": doc("disclosure: 依申请公开\n"),
                                         "2026/c.md": doc("scheduled: true\n", "2027-01-01"), "2026/d.md": doc()},
                     pages={"pages/jgjj.md": "# 机构简介\n\n正文。\n"})
    links = site_links(load_catalogue(root, dt.date(2026, 11, 24)))
    assert links.pages == {"documents/2026/a.md": "documents/a.html", "documents/2026/d.md": "documents/d.html",
                           "pages/jgjj.md": "jgjj/index.html"}
    assert links.hidden == {"documents/2026/b.md": "是「依申请公开」的文件，网站上没有它的页面",
                            "documents/2026/c.md": "尚未到发布日期（预定发布），网站上没有它的页面"}
