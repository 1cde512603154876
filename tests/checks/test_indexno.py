"""索引号: GB 32100 / GB 11714 check characters, validation in the loader, and `gongkai assign`."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import MINIMAL_SITE_YML, REPO, cli, make_site
from gongkai.checks.indexno import code_problem, credit_check_char, index_problem, org_check_char
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue
from gongkai.load.yamlsrc import load_yaml, split_front_matter
from gongkai.tools.fmedit import insert_field

COLUMNS = """\
columns:
  - name: 政策文件
    id: zcwj
    kind: policies
"""
DAY = dt.date(2026, 11, 24)


def doc(title: str, published: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\npublished: {published}\ncolumns: [zcwj]\n{extra}---\n\n正文。\n"


@pytest.mark.parametrize("code", ["91350100M000100Y43", "11341700003244799H", "11330100002489999F"])
def test_valid_credit_codes(code):
    assert credit_check_char(code[:17]) == code[17]
    assert code_problem(code) is None


def test_wrong_check_character_is_named():
    reason = code_problem("11330100002489999A")
    assert "应为「F」" in reason and "GB 32100" in reason
    assert "不使用的字符" in code_problem("11330100002489999O")


def test_org_code_gb11714():
    # The 组织机构代码 embedded in a 统一社会信用代码 (characters 9-17) carries its own check character.
    assert org_check_char("M000100Y") == "4"
    assert code_problem("M000100Y-4") is None and code_problem("M000100Y4") is None
    assert "校验码应为「4」" in code_problem("M000100Y-5")


@pytest.mark.parametrize("bad", ["2024-00001", "11330100002489999F-2024-00001", "11330100002489999F/24-00001",
                                 "11330100002489999F/202413-00001", "11330100002489999A/2024-00001"])
def test_malformed_index_numbers(bad):
    assert index_problem(bad)


def test_good_index_numbers():
    assert index_problem("11330100002489999F/2024-00001") is None
    assert index_problem("11341700003244799H/202102-00014") is None


def test_build_rejects_bad_org_code_with_line(tmp_path):
    site = MINIMAL_SITE_YML.replace("11330100002489999F", "11330100002489999E")
    make_site(tmp_path, COLUMNS, {"a.md": doc("甲", "2024-01-02")}, site_yml=site)
    with pytest.raises(GongkaiError) as info:
        load_catalogue(tmp_path, DAY)
    [p] = [p for p in info.value.problems if p.level == "error"]
    assert (p.file, p.line, p.field) == ("catalog/site.yml", 2, "org_code")
    assert "「F」" in p.message


def test_duplicate_and_malformed_index_numbers_reported_with_lines(tmp_path):
    n = "11330100002489999F/2024-00001"
    make_site(tmp_path, COLUMNS, {
        "a.md": doc("甲", "2024-01-02", f"index_no: {n}\n"),
        "b.md": doc("乙", "2024-01-03", f"index_no: {n}\n"),
        "c.md": doc("丙", "2024-01-04", "index_no: 2024-1\n"),
    })
    with pytest.raises(GongkaiError) as info:
        load_catalogue(tmp_path, DAY)
    errors = {(p.file, p.line, p.field): p.message for p in info.value.problems if p.level == "error"}
    dup = errors[("content/documents/b.md", 5, "index_no")]
    assert "重复" in dup and "content/documents/a.md" in dup
    assert "格式不对" in errors[("content/documents/c.md", 5, "index_no")]
    assert len(errors) == 2


def test_missing_numbers_are_a_warning_not_a_renumbering(tmp_path):
    make_site(tmp_path, COLUMNS, {"a.md": doc("甲", "2024-01-02")})
    cat = load_catalogue(tmp_path, DAY)
    assert cat.documents[0].index_no == ""
    assert any("gongkai assign" in w.message for w in cat.warnings)


def test_assign_writes_one_line_and_continues_the_series(tmp_path):
    crlf = doc("丙（CRLF）", "2024-05-01").replace("\n", "\r\n")
    commented = ("---\n# 作者的注释，必须保留\ntitle: >-\n  一个很长的标题\n  折成两行\ndoc_number: '示民规〔2024〕9号'\n"
                 "published: 2024-06-01   # 发布日期\ncolumns:\n- zcwj\n---\n\n正文保持原样。\n")
    make_site(tmp_path, COLUMNS, {
        "a.md": doc("甲", "2024-01-02", "index_no: 11330100002489999F/2024-00007\n"),
        "b.md": doc("乙", "2024-03-01"),
        "c.md": "x",  # replaced below with raw bytes
        "d.md": commented,
        "e.md": "\ufeff" + doc("戊", "2025-02-01"),
        "f.md": doc("己", "2023-12-31", "index_no: 11341700003244799H/2023-00001\n"),
    })
    (tmp_path / "content/documents/c.md").write_bytes(crlf.encode("utf-8"))
    before = {p.name: p.read_bytes() for p in (tmp_path / "content/documents").glob("*.md")}
    result = cli(tmp_path, "assign")
    assert result.returncode == 0, result.stderr
    after = {p.name: p.read_bytes() for p in (tmp_path / "content/documents").glob("*.md")}
    numbers = {}
    for name in before:
        old, new = before[name].decode("utf-8"), after[name].decode("utf-8")
        fm, _, _ = split_front_matter(new)
        numbers[name] = load_yaml(fm).get("index_no")
        if name in ("a.md", "f.md"):
            assert old == new  # an existing number is never touched
            continue
        # exactly one line added, nothing else changed
        old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
        assert len(new_lines) == len(old_lines) + 1
        added = [ln for ln in new_lines if ln.startswith("index_no:")]
        assert len(added) == 1
        rest = list(new_lines)
        rest.remove(added[0])
        assert rest == old_lines
    assert numbers["b.md"] == "11330100002489999F/2024-00008"  # continues after the existing 00007
    assert numbers["c.md"] == "11330100002489999F/2024-00009"
    assert numbers["d.md"] == "11330100002489999F/2024-00010"
    assert numbers["e.md"] == "11330100002489999F/2025-00001"
    assert after["c.md"].count(b"\r\n") == before["c.md"].count(b"\r\n") + 1  # CRLF kept
    assert after["e.md"].startswith("\ufeff".encode())
    assert "index_no: 11330100002489999F/2024-00010\n" in after["d.md"].decode()
    assert after["d.md"].decode().index("index_no") > after["d.md"].decode().index("doc_number")
    # a second run changes nothing, and the site is now complete
    again = cli(tmp_path, "assign")
    assert again.returncode == 0 and "无需生成" in again.stdout
    assert {p.name: p.read_bytes() for p in (tmp_path / "content/documents").glob("*.md")} == after
    cat = load_catalogue(tmp_path, DAY)
    assert not [w for w in cat.warnings if w.field == "index_no"]


def test_assign_refuses_a_broken_site(tmp_path):
    make_site(tmp_path, COLUMNS, {"a.md": doc("甲", "2024-02-30")})
    before = (tmp_path / "content/documents/a.md").read_bytes()
    result = cli(tmp_path, "assign")
    assert result.returncode == 1
    assert "content/documents/a.md:3" in result.stderr
    assert (tmp_path / "content/documents/a.md").read_bytes() == before


def test_dry_run_writes_nothing(tmp_path):
    make_site(tmp_path, COLUMNS, {"a.md": doc("甲", "2024-02-03")})
    before = (tmp_path / "content/documents/a.md").read_bytes()
    result = cli(tmp_path, "assign", "--dry-run")
    assert result.returncode == 0 and "11330100002489999F/2024-00001" in result.stdout
    assert (tmp_path / "content/documents/a.md").read_bytes() == before


_text = st.text(alphabet=string.ascii_letters + "中文标题：:#'\"-〔〕 ", min_size=1, max_size=20).map(str.strip).filter(bool)


@settings(max_examples=150, deadline=None)
@given(title=_text, number=_text, body=st.text(max_size=50))
def test_insert_field_keeps_every_other_byte(title, number, body):
    text = "---\ntitle: " + ('"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"') + "\npublished: 2024-01-02\n---\n" + body
    out = insert_field(text, "index_no", number)
    fm, rest, _ = split_front_matter(out)
    data = load_yaml(fm)
    assert data["index_no"] == number and data["title"] == title
    assert rest == split_front_matter(text)[1]
    assert out.replace(next(ln for ln in out.splitlines(keepends=True) if ln.startswith("index_no:")), "", 1) == text


def test_example_documents_all_have_valid_unique_numbers():
    cat = load_catalogue(REPO, DAY)
    numbers = [d.index_no for d in cat.documents]
    assert all(numbers) and len(set(numbers)) == len(numbers)
    assert all(index_problem(n) is None for n in numbers)
