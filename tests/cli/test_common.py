"""gongkai/cli/common.py: a command stopped by errors in the site's files says what it did not do.

load_or_exit's report names the outcome after the count of errors; its default (已停止生成，未写入任何文件) is the
build's. A clerk who runs `gongkai assign` or `gongkai publish` must read what that command left undone, not that a
build stopped."""

from __future__ import annotations

import pytest

from conftest import cli, copy_example, run_build

BROKEN_DATE = ("published: 2019-05-20", "published: 2019-13-20")  # szmz-2019-4: a date that is no date


@pytest.fixture(scope="module")
def broken_after_build(tmp_path_factory):
    """The example bureau, built (publish looks at site/ first), then one document's date broken."""
    root = copy_example(tmp_path_factory.mktemp("common") / "site")
    built = run_build(root)
    assert built.returncode == 0, built.stderr
    doc = next(p for p in (root / "content/documents").rglob("*.md")
               if BROKEN_DATE[0] in p.read_text(encoding="utf-8"))
    doc.write_text(doc.read_text(encoding="utf-8").replace(*BROKEN_DATE), encoding="utf-8")
    return root


@pytest.mark.parametrize("args, outcome", [
    (("assign",), "未生成索引号，未修改任何文件"),
    (("withdraw", "szmz-2019-4", "--reason", "误发", "--by", "办公室"), "未撤回，未修改任何文件"),
    (("inspect",), "未生成检查报告"),
    (("publish", "{target}"), "未发布，线上网站保持不变"),
    (("check",), "校验未通过（check 只校验，不生成网站）"),
])
def test_a_stopped_command_says_what_it_did_not_do(broken_after_build, tmp_path, args, outcome):
    root = broken_after_build
    before = {p: p.read_bytes() for p in (root / "catalog").rglob("*") if p.is_file()}
    r = cli(root, *(a.format(target=tmp_path / "www") for a in args))
    assert r.returncode != 0, r.stdout
    first = r.stderr.splitlines()[0]
    assert first == f"发现 1 处错误，{outcome}：", r.stderr
    assert "2019-13-20" in r.stderr and "已停止生成" not in r.stderr
    assert {p: p.read_bytes() for p in (root / "catalog").rglob("*") if p.is_file()} == before
    assert not (tmp_path / "www").exists()
