"""A full-width colon in mkdocs.yml (typed with a Chinese input method): MkDocs stops reading it before any plugin
runs, with English parser text. The gongkai commands say it in Chinese, at its line, before MkDocs starts:
`gongkai check` (with the site's other problems), `gongkai build`/`serve` (the commands the README and `gongkai
new` give), `gongkai preview` and `gongkai withdraw` (which then start no build). In process, except the one real
`mkdocs build` that shows what the clerk would otherwise read."""

from __future__ import annotations

from pathlib import Path

from conftest import cli, make_site, run_build

COLUMNS = "columns:\n  - name: 通知公告\n    id: tzgg\n    kind: documents\n"
DOC = """\
---
title: 关于做好2024年冬季救助工作的通知
published: 2024-11-20
columns: [tzgg]
---

请各地做好冬季救助工作。
"""


def site(tmp_path: Path, docs: dict[str, str] | None = None) -> tuple[Path, int]:
    """A site whose mkdocs.yml has 「site_name：」; returns it and that line."""
    root = make_site(tmp_path / "site", COLUMNS, docs if docs is not None else {"tz-2024-1.md": DOC})
    path = root / "mkdocs.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    n = next(i for i, ln in enumerate(lines) if ln.startswith("site_name: "))
    lines[n] = lines[n].replace("site_name: ", "site_name：", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    return root, n + 1


def expect(stderr: str, line: int) -> None:
    assert f"mkdocs.yml:{line}: 错误: " in stderr, stderr
    assert "中文冒号「：」：请改成英文冒号加一个空格「: 」" in stderr and "（第 10 列）" in stderr
    assert "MkDocs encountered" not in stderr and "could not find expected" not in stderr


def test_mkdocs_itself_says_it_in_english(tmp_path):
    """Why gongkai checks first: the real `mkdocs build` on the same file (the plugin never runs)."""
    root, _ = site(tmp_path)
    built = run_build(root)
    assert built.returncode != 0 and "MkDocs encountered an error parsing the configuration file" in built.stderr
    assert not (root / "site").exists()


def test_check_reports_it_with_the_other_problems(tmp_path):
    root, line = site(tmp_path, {"tz-2024-1.md": DOC.replace("columns: [tzgg]", "columns: [nosuch]")})
    r = cli(root, "check")
    assert r.returncode == 1
    expect(r.stderr, line)
    assert "发现 2 处错误" in r.stderr and "tz-2024-1.md:4: 错误: 字段「columns」" in r.stderr, r.stderr
    # check never builds: it says the check failed, not that it stopped a build and wrote nothing
    assert "发现 2 处错误，校验未通过（check 只校验，不生成网站）：" in r.stderr and "已停止生成" not in r.stderr, r.stderr
    # fixed: nothing left to say about mkdocs.yml
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text(encoding="utf-8").replace("site_name：", "site_name: "),
                                     encoding="utf-8")
    assert "mkdocs.yml" not in cli(root, "check").stderr


def test_preview_and_withdraw_start_no_build(tmp_path):
    root, line = site(tmp_path)
    r = cli(root, "preview", "catalog/columns.yml")
    assert r.returncode == 1 and "未生成预览" in r.stderr
    expect(r.stderr, line)
    assert not (root / "site-preview").exists()
    w = cli(root, "withdraw", "tz-2024-1", "--reason", "误发", "--by", "办公室")
    assert w.returncode == 1
    expect(w.stderr, line)
    assert "网站没有重新生成：mkdocs.yml 有格式错误" in w.stderr
    assert "tz-2024-1" in (root / "catalog/withdrawals.yml").read_text(encoding="utf-8")  # the withdrawal itself is done


def test_mkdocs_tags_are_not_mistakes(tmp_path):
    """MkDocs' own YAML tags need no constructor to be well-formed: no false alarm."""
    root = make_site(tmp_path / "site", COLUMNS, {"tz-2024-1.md": DOC})
    path = root / "mkdocs.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\nextra:\n  host: !ENV [GK_HOST, 'x']\n"
                    "markdown_extensions_unused: !!python/name:os.getcwd\n", encoding="utf-8")
    r = cli(root, "check")
    assert r.returncode == 0 and "mkdocs.yml" not in r.stderr, r.stderr


def test_gongkai_build_and_serve_say_it_in_chinese_and_start_no_mkdocs(tmp_path):
    root, line = site(tmp_path)
    for command in ("build", "serve"):
        r = cli(root, command)
        assert r.returncode == 1 and "发现 1 处错误，已停止生成" in r.stderr, r.stderr
        expect(r.stderr, line)
    assert not (root / "site").exists()
    (root / "mkdocs.yml").unlink()
    r = cli(root, "build")
    assert r.returncode == 2 and "中没有 mkdocs.yml" in r.stderr


def test_gongkai_build_runs_mkdocs_build_with_its_arguments(tmp_path):
    """A sound mkdocs.yml: the real `mkdocs build`, the arguments passed on (-d, --dirty, -q), its exit code."""
    root = make_site(tmp_path / "site", COLUMNS, {"tz-2024-1.md": DOC})
    r = cli(root, "build", "-q", "--dirty", "-d", "out")
    assert r.returncode == 0, r.stderr
    assert (root / "out/documents/tz-2024-1.html").is_file() and not (root / "site").exists()
    bad = cli(root, "build", "--no-such-option")
    assert bad.returncode == 2  # MkDocs' own refusal, passed on
