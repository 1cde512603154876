"""MkDocs' walks before the plugin's on_files, shortened (gongkai/mkdocs/contentwalk.py, theme_files.py): content/
from the walk the load made instead of MkDocs' get_files, and the theme folders listed without their hidden
folders (Material's 14,000 icons). Both must leave MkDocs with exactly the Files it would have had — same
paths, sources, destinations, inclusion and order — which these tests compare against MkDocs' own walk and
MkDocs' own Jinja loader on a copy of the example with the awkward cases added: hidden files, a content file
that hides a theme file (published and not), a link inside content/, report data, hidden theme files of the
bureau's overrides/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import get_files, set_exclusions
from mkdocs.theme import Theme

from conftest import BUILD_DATE, copy_example, edit
from gongkai.mkdocs import contentwalk

LINKED = "content/documents/2026/szmz-2026-2-jd.md"  # a published 解读 whose body gains links to the new files


@pytest.fixture
def awkward_site(tmp_path, monkeypatch) -> Path:
    root = copy_example(tmp_path / "bureau")
    content = root / "content"
    (content / ".notes.txt").write_text("hidden", encoding="utf-8")
    (content / "files" / ".DS_Store").write_bytes(b"\0")
    (content / "assets" / "gongkai").mkdir(parents=True)
    (content / "assets" / "gongkai" / "elder.css").write_text("/* not published: hides gongkai's */", encoding="utf-8")
    (content / "assets" / "gongkai" / "print.css").write_text("/* published: hides gongkai's */", encoding="utf-8")
    os.symlink("szmz-2026-2-jd-tj.png", content / "files" / "jd" / "alias.png")
    edit(root / LINKED, "](../files/jd/szmz-2026-2-jd-tj.png)",
         "](../files/jd/szmz-2026-2-jd-tj.png)\n\n[样式表](../assets/gongkai/print.css) ![别名](../files/jd/alias.png)")
    overrides = root / "overrides"
    (overrides / ".hidden").mkdir(parents=True)
    (overrides / ".hidden" / "x.css").write_text("x", encoding="utf-8")
    (overrides / ".y.css").write_text("y", encoding="utf-8")
    (overrides / "assets" / "extra").mkdir(parents=True)
    (overrides / "assets" / "extra" / "visible.txt").write_text("v", encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("GONGKAI_BUILD_DATE", BUILD_DATE)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return root


def started(root: Path, plugins: list[str] | None = None):
    """mkdocs.yml loaded and the plugin's on_config run, as `mkdocs build` does before its walk."""
    config = load_config(str(root / "mkdocs.yml"), **({"plugins": plugins} if plugins else {}))
    config.plugins.on_startup(command="build", dirty=False)
    return config.plugins.on_config(config)


def stop(config) -> None:
    """What a failed build does: the lock released, the staging folder removed, the walk put back."""
    config.plugins["gongkai"].on_build_error(RuntimeError("test"))


def listed(config, shortcut: bool) -> tuple[list[tuple], int]:
    """The Files after on_files (and MkDocs' set_exclusions), as MkDocs' build makes them: with the plugin's
    shortcuts (on_pre_build), or with MkDocs' own walk of docs_dir and its own Jinja loader. Also how many files
    MkDocs' get_files listed."""
    if shortcut:
        config.plugins.on_pre_build(config=config)
        env = config.theme.get_env()
    else:
        env = Theme.get_env(config.theme)
    files = get_files(config)
    walked = len(files)
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    return [(f.src_uri, f.src_dir, f.abs_src_path, f.dest_uri, f.url, f.generated_by, f.inclusion,
             None if f.abs_src_path else f.content_string) for f in files], walked


def test_files_from_the_load_s_walk_are_those_mkdocs_walk_leaves(awkward_site):
    config = started(awkward_site)
    try:
        mkdocs_own, walked = listed(config, shortcut=False)
    finally:
        stop(config)
    assert walked > 50  # MkDocs walked content/: every document
    config = started(awkward_site)
    try:
        ours, nothing = listed(config, shortcut=True)
        assert config.docs_dir == str(awkward_site / "content")  # put back for everything after on_files
    finally:
        stop(config)
    assert nothing == 0  # nothing left for MkDocs to walk
    assert ours == mkdocs_own
    by_uri = {f[0]: f for f in ours}
    content, overrides = str(awkward_site / "content"), str(awkward_site / "overrides")
    # the awkward cases are there, each decided as MkDocs and on_files decide it
    assert by_uri["assets/gongkai/print.css"][1] == content  # published: copied instead of gongkai's own
    assert "assets/gongkai/elder.css" not in by_uri  # unpublished: hides gongkai's, is not copied either
    assert by_uri["assets/gongkai/chrome.css"][1] == str(Path(contentwalk.__file__).parent / "theme")
    assert by_uri["files/jd/alias.png"][2] == os.path.join(content, "files", "jd", "alias.png")  # by the link's path
    assert by_uri["assets/extra/visible.txt"][1] == overrides
    assert not any(u.startswith((".", "files/.", "reports/")) or "/.hidden/" in u or u.endswith((".y.css", ".md"))
                   and not by_uri[u][5] for u in by_uri)
    assert any(u.startswith("assets/javascripts/bundle.") for u in by_uri)  # Material's assets still listed


def test_the_theme_listing_skips_hidden_folders_only(awkward_site):
    config = started(awkward_site)
    try:
        config.plugins.on_pre_build(config=config)
        ours = config.theme.get_env().list_templates()
        theirs = Theme.get_env(config.theme).list_templates()
    finally:
        stop(config)
    assert len(theirs) > 10_000  # Material's icons
    hidden = [t for t in theirs if t.startswith(".") or "/." in t]
    assert ".icons/material/account.svg" in hidden and ".y.css" in hidden and ".hidden/x.css" in hidden
    assert ours == [t for t in theirs if t not in hidden]


def test_stray_markdown_files_are_each_named(awkward_site):
    (awkward_site / "content" / "notes.md").write_text("# 草稿\n", encoding="utf-8")
    (awkward_site / "content" / "files" / "readme.md").write_text("# 说明\n", encoding="utf-8")
    config = started(awkward_site)
    try:
        with pytest.raises(PluginError) as info:
            listed(config, shortcut=True)
        assert config.docs_dir == str(awkward_site / "content")
    finally:
        stop(config)
    message = str(info.value)
    assert "content/notes.md" in message and "content/files/readme.md" in message and "不属于任何栏目" in message


def test_a_failed_build_puts_content_back(awkward_site):
    config = started(awkward_site)
    config.plugins.on_pre_build(config=config)
    hidden = config.docs_dir
    assert hidden != str(awkward_site / "content") and not os.listdir(hidden)
    stop(config)  # e.g. MkDocs' walk or the theme failed before on_files
    assert config.docs_dir == str(awkward_site / "content") and not os.path.exists(hidden)


def test_with_another_plugin_mkdocs_walks_content(awkward_site):
    config = started(awkward_site, ["gongkai", "search"])
    try:
        config.plugins.on_pre_build(config=config)
        assert config.docs_dir == str(awkward_site / "content")
        assert len(get_files(config)) > 50
    finally:
        stop(config)


def test_the_sort_key_from_the_path_is_mkdocs_file_sort_key():
    """contentwalk.sort_key orders paths as MkDocs' file_sort_key orders their Files (index and README first in
    their folder, folders by their parts), without making them."""
    from mkdocs.structure.files import File, file_sort_key

    paths = ["files/b.pdf", "files/README.md", "files/index.html", "files/a/z.png", "files/a.b/c.txt", "files/a-b.txt",
             "index.md", "README", "files/x.tar.gz", "files/.hidden", "files/README.txt", "files/indexes.html",
             "附件/通知.pdf", "附件/index.docx", "files/Index.pdf", "files/a/README.md", "z.png", "files/a/index.md"]
    for p in paths:
        assert contentwalk.sort_key(p) == file_sort_key(File(p, "/docs", "/site", False)), p
    made = sorted((File(p, "/docs", "/site", False) for p in paths), key=file_sort_key)
    assert sorted(paths, key=contentwalk.sort_key) == [f.src_uri for f in made]
