"""Front-matter delimiters as Windows editors save them (trailing spaces, tabs, CRLF) are accepted, as MkDocs
accepts them; a document without front matter is still refused with the same message."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import make_site
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue
from gongkai.load.yamlsrc import split_front_matter

COLUMNS = "columns:\n  - name: 通知公告\n    id: tzgg\n    kind: documents\n"
# the title as issue 12 quotes a clerk writing it
FM = "title: 关于做好2024年冬季救助工作的通知\npublished: 2024-11-20\ncolumns: [tzgg]\n"


@pytest.mark.parametrize("opening, closing", [("---  ", "--- "), ("---\t", "---\t "), ("---", "...  ")])
def test_delimiters_with_trailing_whitespace(opening, closing):
    fm, body, line = split_front_matter(f"{opening}\n{FM}{closing}\n\n正文。\n")
    assert fm == FM and body == "\n正文。\n" and line == 6


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_loaded_document_with_trailing_spaces(tmp_path, newline):
    text = f"---   \n{FM}---  \n\n请各地做好冬季救助工作。\n".replace("\n", newline)
    root = make_site(tmp_path, COLUMNS)
    (root / "content/documents/a.md").write_bytes(text.encode("utf-8"))
    cat = load_catalogue(root, dt.date(2026, 11, 24))
    assert [d.title for d in cat.documents] == ["关于做好2024年冬季救助工作的通知"]
    assert cat.documents[0].body.strip() == "请各地做好冬季救助工作。"


def test_no_front_matter_is_still_refused(tmp_path):
    root = make_site(tmp_path, COLUMNS, {"a.md": "--- 不是分隔线\n正文。\n"})
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, dt.date(2026, 11, 24))
    assert "缺少以 --- 开头的 front matter" in info.value.report()
