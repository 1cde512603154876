"""`gongkai withdraw` given what a clerk has at hand instead of the id: the 文号 from the paper, the 索引号, the title
or the file name. It withdraws nothing, names the document's id and gives the command to run with it.

In process (the example bureau's documents, copied); the withdrawal itself: tests/e2e/test_withdraw.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import BUILD_DATE, cli, copy_example
from gongkai.load.loader import load_catalogue
from gongkai.tools.withdraw import matches


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return copy_example(tmp_path_factory.mktemp("withdraw-by-number"))


@pytest.fixture(scope="module")
def cat(root):
    return load_catalogue(root, dt.date.fromisoformat(BUILD_DATE))


@pytest.mark.parametrize(("text", "by"), [
    ("示民规〔2023〕5号", "文号"),
    ("示民规[2023]5号", "文号"),  # typed with ASCII brackets
    ("示民规（2023） 5 号", "文号"),
    ("11330100002489999F/2023-00001", "索引号"),
    ("content/documents/2023/szmz-2023-5.md", "文件名"),
])
def test_a_number_or_file_name_names_the_document(cat, text, by):
    [m] = matches(cat, text)
    assert (m.id, m.by, m.file) == ("szmz-2023-5", by, "content/documents/2023/szmz-2023-5.md")


def test_nothing_matches_an_unknown_text(cat):
    assert matches(cat, "示民规〔2023〕99号") == [] and matches(cat, "  ") == []


def test_withdraw_by_wenhao_names_the_id_and_offers_the_command(root):
    record = root / "catalog" / "withdrawals.yml"
    before = record.read_bytes() if record.exists() else None
    r = cli(root, "withdraw", "示民规[2023]5号", "--reason", "含有 错误数据", "--no-build")
    assert r.returncode == 2
    doc = next(d for d in load_catalogue(root, dt.date.fromisoformat(BUILD_DATE)).documents if d.id == "szmz-2023-5")
    assert "「示民规[2023]5号」不是文件标识" in r.stderr
    assert f"szmz-2023-5　「{doc.title}」（content/documents/2023/szmz-2023-5.md）" in r.stderr
    # the same command with the id: ready to copy (the reason quoted, the other options kept)
    assert r.stderr.rstrip().endswith('gongkai withdraw szmz-2023-5 --reason "含有 错误数据" --no-build')
    assert (record.read_bytes() if record.exists() else None) == before  # nothing recorded
    assert not (root / "site").exists()


def test_withdraw_with_an_unknown_text_says_what_an_id_is(root):
    r = cli(root, "withdraw", "示民规〔2023〕99号", "--reason", "x", "--no-build")
    assert r.returncode == 2
    assert "没有文件标识为「示民规〔2023〕99号」的文件，也没有文号、索引号、标题或文件名是" in r.stderr
    assert "gongkai withdraw szmz" not in r.stderr
