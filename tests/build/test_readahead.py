"""The read-ahead of document pages' source files (gongkai/build/readahead.py, publish._render_chunk): every page
rendered asks the kernel for its file once, before its body is read; documents whose body is in memory are not
asked for. (The advice changes no byte read: the builds of tests/build/test_publish*.py compare with cold builds.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import build_in_process, copy_example
from gongkai.build import publish, readahead
from gongkai.load.doccache import SourceReader
from gongkai.model import Document, Source, release_source

ONE_WORKER = {"GONGKAI_WORKERS": "1", "GONGKAI_SEARCH": "0"}


def _doc(name: str) -> Document:
    return Document(id=name, title=name, published=dt.date(2024, 1, 1), source=Source(f"content/documents/{name}.md"))


def test_unread_sources_are_the_files_of_bodies_not_in_memory(tmp_path: Path) -> None:
    released, held, plain = _doc("a"), _doc("b"), _doc("c")
    released.__dict__["_reader"] = SourceReader(str(tmp_path / "a.md"), "content/documents/a.md", "", 3)
    release_source(released)  # read by the load, then dropped: read from its file again when asked for
    held.__dict__["_reader"] = SourceReader(str(tmp_path / "b.md"), "content/documents/b.md", "", 3)
    held.body = "正文。"  # read and not released: no file read is needed
    plain.body = "正文。"  # loaded without a cache: no reader at all
    assert readahead.unread_sources([released, held, plain]) == [str(tmp_path / "a.md")]


def test_read_ahead_leaves_a_missing_file_to_the_read(tmp_path: Path) -> None:
    there = tmp_path / "a.md"
    there.write_text("x", encoding="utf-8")
    readahead.read_ahead([str(tmp_path / "missing.md"), str(there)])  # no error: the read reports a missing file
    assert there.read_text(encoding="utf-8") == "x"


def test_every_rendered_page_is_read_ahead_once_before_its_body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_example(tmp_path / "site")
    build_in_process(root, extra_env=ONE_WORKER)  # a cache: the documents' bodies are read from their files
    (root / "site").mkdir(exist_ok=True)
    for page in (root / ".cache" / "gongkai" / "pages").rglob("*.html"):
        page.unlink()  # every page rendered again, from its file
    asked: list[str] = []
    read: list[str] = []
    monkeypatch.setattr(publish, "AHEAD", 2)  # windows smaller than the example's documents
    monkeypatch.setattr(publish, "read_ahead", lambda paths: asked.extend(paths))
    body = SourceReader.body

    def reading(self: SourceReader) -> str:
        assert self.path in asked, f"{self.name} read before it was asked for"
        read.append(self.path)
        return body(self)

    monkeypatch.setattr(SourceReader, "body", reading)
    build_in_process(root, extra_env=ONE_WORKER)
    rendered = [p for p in read if "/documents/" in p]
    assert rendered and sorted(asked) == sorted(set(asked)) and set(rendered) <= set(asked)
    assert len(asked) == len({*rendered})
