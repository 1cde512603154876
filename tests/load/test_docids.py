"""Issue 12: documents whose files are named in Chinese get an automatic, recorded id (gongkai/load/docids.py).

In process: load_catalogue on small sites, the URL record written by `gongkai lock` (through the CLI in
tests/cli/test_lock_documents.py). The titles, 文号 and 索引号 are the real ones of tests/fixtures/old_mulu.py
(sources cited there), as a bureau's imported files are named after them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fixtures.old_mulu import ANXIN_NUMBER, ANXIN_TITLE, GUIZE_TITLE, ORG

from conftest import make_site
from gongkai.errors import GongkaiError, Problems
from gongkai.load import docids, urlrecord
from gongkai.load.loader import load_catalogue
from gongkai.tools.docimport import doc_id_for

DAY = dt.date(2026, 11, 24)
COLUMNS = "columns:\n  - name: 通知公告\n    id: tzgg\n    kind: documents\n"


def doc(title: str, published: str = "2023-09-28", index_no: str = "", doc_number: str = "", id_: str = "") -> str:
    lines = ["---", f"title: {title}"]
    lines += [f"id: {id_}"] if id_ else []
    lines += [f"doc_number: {doc_number}"] if doc_number else []
    lines += [f"index_no: {index_no}"] if index_no else []
    lines += [f"published: {published}", "columns: [tzgg]", "---", "", "正文。", ""]
    return "\n".join(lines)


def by_file(cat) -> dict[str, object]:
    return {d.source.file.removeprefix("content/documents/"): d for d in cat.documents}


def errors_of(root: Path) -> list:
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, DAY)
    return info.value.problems


def lock(root: Path) -> str:
    """What `gongkai lock` writes, through its own functions (the command itself: tests/cli)."""
    from gongkai.cli.structure import _documents_for_lock
    from gongkai.load.columns import load_columns

    roots = load_columns(root, Problems())
    record = urlrecord.read_record(root, Problems())
    documents, errs, org_code, _unread = _documents_for_lock(root, roots, record)
    assert errs == []
    entries, _ = urlrecord.update_documents([] if record is None else record.documents, documents, org_code)
    text = urlrecord.dump_record(urlrecord.update_record([] if record is None else record.urls, roots).entries, entries)
    (root / urlrecord.LOCK_REL).write_text(text, encoding="utf-8")
    return text


def test_chinese_names_get_ids_from_the_index_number_or_the_title(tmp_path):
    root = make_site(tmp_path, COLUMNS, {
        "文件/云南省民政厅政府信息主动公开基本目录索引号编制规则.md": doc(GUIZE_TITLE, "2020-10-10", f"{ORG}/2020-00012"),
        "文件/安心用气工程实施意见.md": doc(ANXIN_TITLE, doc_number=ANXIN_NUMBER),
        "文件/陕西省社会救助办法.md": doc("陕西省社会救助办法", "2023-02-26", index_no="11610000016052134R/2023-00001"),
        "ascii-name.md": doc("有字母文件名的文件"),
    })
    cat = load_catalogue(root, DAY)
    docs = by_file(cat)
    assert docs["文件/云南省民政厅政府信息主动公开基本目录索引号编制规则.md"].id == "2020-00012"  # this bureau's 索引号
    assert docs["文件/安心用气工程实施意见.md"].id == "2023-szfbgtgytjczrqjmhcyyhaxyqgcjsdssyj"  # year + title initials
    assert docs["文件/陕西省社会救助办法.md"].id == "11610000016052134R-2023-00001"  # another authority's 索引号
    assert docs["ascii-name.md"].id == "ascii-name" and docs["ascii-name.md"].id_from == ""
    # the same rule as import-docs, so an imported document renamed to its title keeps its address
    assert doc_id_for(f"{ORG}/2020-00012", GUIZE_TITLE, 2020, ORG, set()) == "2020-00012"
    assert doc_id_for("", ANXIN_TITLE, 2023, ORG, set()) == docs["文件/安心用气工程实施意见.md"].id
    # `gongkai check` shows each automatic address, at the line it was made from, until it is recorded
    warned = {(w.file, w.line, w.field): w.message for w in cat.warnings if w.field == "id"}
    msg = warned[("content/documents/文件/云南省民政厅政府信息主动公开基本目录索引号编制规则.md", 3, "id")]
    assert "documents/2020-00012.html（按索引号生成）" in msg and "gongkai lock" in msg
    assert ("content/documents/文件/安心用气工程实施意见.md", 2, "id") in warned  # the title's line
    assert len(warned) == 3


def test_two_files_giving_the_same_id_name_both_files_and_lines(tmp_path):
    root = make_site(tmp_path, COLUMNS, {
        "2023/安心用气工程.md": doc(ANXIN_TITLE),
        "2023/安心用气工程（转发）.md": doc(ANXIN_TITLE, "2023-10-08"),
        "2020/规则.md": doc(GUIZE_TITLE, "2020-10-10", f"{ORG}/2020-00012"),
        "2020/2020-00012.md": doc("另一份文件", "2020-05-01"),
    })
    problems = [p for p in errors_of(root) if p.field == "id" and p.level == "error"]
    assert len(problems) == 2, [p.format() for p in problems]
    by = {p.file: p for p in problems}
    title_clash = by["content/documents/2023/安心用气工程（转发）.md"]
    assert title_clash.line == 2
    assert "content/documents/2023/安心用气工程.md（第 2 行，按年份和标题拼音首字母生成的标识）" in title_clash.message
    assert "「2023-szfbgtgytjczrqjmhcyyhaxyqgcjsdssyj」重复" in title_clash.message and "id:" in title_clash.message
    # an automatic id meeting a file whose name is that id (sorted first: 2020-00012.md)
    index_clash = by["content/documents/2020/规则.md"]
    assert index_clash.line == 3 and "按索引号生成的标识" in index_clash.message
    assert "content/documents/2020/2020-00012.md（文件名）" in index_clash.message


def test_the_record_keeps_the_address_when_the_file_or_title_changes(tmp_path):
    folder = "文件"
    root = make_site(tmp_path, COLUMNS, {
        f"{folder}/安心用气工程.md": doc(ANXIN_TITLE, doc_number=ANXIN_NUMBER),
        f"{folder}/陕西省社会救助办法.md": doc("陕西省社会救助办法", "2023-02-26"),
        f"{folder}/规则.md": doc(GUIZE_TITLE, "2020-10-10"),
    })
    first = {d.source.file: d.id for d in load_catalogue(root, DAY).documents}
    text = lock(root)
    assert '"documents/2023-sxsshjzbf.html": {file: "content/documents/文件/陕西省社会救助办法.md", ' \
           'title: "陕西省社会救助办法"}' in text
    assert f'doc_number: "{ANXIN_NUMBER}"' in text
    cat = load_catalogue(root, DAY)
    assert [w for w in cat.warnings if w.field == "id"] == []  # recorded: nothing to say
    docs = root / "content/documents" / folder
    # 1. the file renamed (title kept); 2. the title changed (file kept); 3. both, but the 文号 kept;
    # 4. the 索引号 added later (gongkai assign): the recorded address stays, not 2020-00012
    (docs / "陕西省社会救助办法.md").rename(docs / "社会救助办法（陕西）.md")
    (docs / "规则.md").write_text(doc(GUIZE_TITLE + "（修订）", "2020-10-10", f"{ORG}/2020-00012"), encoding="utf-8")
    (docs / "安心用气工程.md").unlink()
    (docs / "燃气实施意见.md").write_text(doc("关于推进安心用气工程建设的实施意见", doc_number=ANXIN_NUMBER),
                                         encoding="utf-8")
    cat = load_catalogue(root, DAY)
    now = {d.source.file.removeprefix(f"content/documents/{folder}/"): d.id for d in cat.documents}
    assert now == {"社会救助办法（陕西）.md": first[f"content/documents/{folder}/陕西省社会救助办法.md"],
                   "规则.md": first[f"content/documents/{folder}/规则.md"],
                   "燃气实施意见.md": first[f"content/documents/{folder}/安心用气工程.md"]}
    # the renamed files are found again, and the clerk is asked to record their new names
    renamed = {w.file for w in cat.warnings if w.field == "id" and "改过文件名" in w.message}
    assert renamed == {f"content/documents/{folder}/社会救助办法（陕西）.md", f"content/documents/{folder}/燃气实施意见.md"}
    text = lock(root)
    assert "社会救助办法（陕西）.md" in text and "陕西省社会救助办法.md" not in text
    assert [w for w in load_catalogue(root, DAY).warnings if w.field == "id"] == []


def test_a_document_renamed_and_retitled_without_a_number_is_pointed_at_its_old_address(tmp_path):
    root = make_site(tmp_path, COLUMNS, {"文件/陕西省社会救助办法.md": doc("陕西省社会救助办法", "2023-02-26")})
    lock(root)
    old = root / "content/documents/文件/陕西省社会救助办法.md"
    old.rename(old.with_name("社会救助办法.md"))
    new = old.with_name("社会救助办法.md")
    new.write_text(doc("陕西省社会救助办法（2023年修订）", "2023-02-26"), encoding="utf-8")
    cat = load_catalogue(root, DAY)
    assert cat.documents[0].id == "2023-sxsshjzbf2023nxd"  # nothing connects it to the record: a new address …
    hint = next(w for w in cat.warnings if w.field == "documents")
    assert hint.file == "catalog/urls.lock.yml" and hint.line is not None
    lines = (root / "catalog/urls.lock.yml").read_text(encoding="utf-8").splitlines()
    assert lines[hint.line - 1].startswith('  "documents/2023-sxsshjzbf.html"')
    assert "id: 2023-sxsshjzbf" in hint.message  # … and the clerk is told how to keep the old one
    new.write_text(doc("陕西省社会救助办法（2023年修订）", "2023-02-26", id_="2023-sxsshjzbf"), encoding="utf-8")
    cat = load_catalogue(root, DAY)
    assert cat.documents[0].id == "2023-sxsshjzbf" and [w for w in cat.warnings if w.field == "documents"] == []


def test_bad_record_entries_are_reported_at_their_line(tmp_path):
    root = make_site(tmp_path, COLUMNS, {"文件/办法.md": doc("陕西省社会救助办法", "2023-02-26")})
    (root / urlrecord.LOCK_REL).write_text(
        "urls: {}\ndocuments:\n  \"documents/ok.html\": {file: \"content/documents/x.md\"}\n"
        "  \"documents/关于.html\": {file: \"content/documents/y.md\"}\n"
        "  \"documents/z.html\": {title: 无文件}\n", encoding="utf-8")
    found = {(p.file, p.line, p.field): p.message for p in errors_of(root)}
    assert "documents/关于.html」无效" in found[("catalog/urls.lock.yml", 4, "documents")]
    assert any(k[0] == "catalog/urls.lock.yml" and k[1] == 5 and k[2] == "file" for k in found), found


def test_base_id_rules():
    assert docids.base_id(f"{ORG}/202403-00012", "标题", 2024, ORG) == ("202403-00012", docids.FROM_INDEX)
    assert docids.base_id("", "关于做好2024年冬季救助工作的通知", 2024, ORG) == ("2024-gyzh2024ndjjzgzdtz", docids.FROM_TITLE)
    assert docids.base_id("不是索引号", "！！", 2024, ORG) == ("2024-wj", docids.FROM_TITLE)
    assert docids.needs_auto_id("关于印发某某办法的通知") and docids.needs_auto_id("a b")
    assert not docids.needs_auto_id("szmz-2024-3")


def test_a_new_file_meeting_an_address_the_record_keeps_for_another_is_warned(tmp_path):
    root = make_site(tmp_path, COLUMNS, {"文件/陕西省社会救助办法.md": doc("陕西省社会救助办法", "2023-02-26")})
    lock(root)
    first = root / "content/documents/文件/陕西省社会救助办法.md"
    first.write_text(doc("陕西省社会救助办法", "2023-02-26", id_="sxsshjzbf"), encoding="utf-8")  # now its own id
    (root / "content/documents/文件/社会救助办法（转载）.md").write_text(doc("陕西省社会救助办法", "2023-03-01"),
                                                                      encoding="utf-8")
    cat = load_catalogue(root, DAY)
    assert {d.id for d in cat.documents} == {"sxsshjzbf", "2023-sxsshjzbf"}
    warning = next(w for w in cat.warnings if w.field == "id" and "记的是另一份文件" in w.message)
    assert warning.file == "content/documents/文件/社会救助办法（转载）.md" and warning.line == 2
    assert "content/documents/文件/陕西省社会救助办法.md" in warning.message and "该文件现在写了自己的 id" in warning.message
    assert "catalog/urls.lock.yml 第 " in warning.message


def test_a_deleted_recorded_file_leaves_an_address_that_says_so(tmp_path):
    """A recorded address whose file was deleted is kept (model.GoneAddress, no target) and the clerk is told
    at the record's line how to keep the address or record the withdrawal; before, nothing was said unless a new
    file happened to appear beside it, and the address answered 404."""
    root = make_site(tmp_path, COLUMNS, {"文件/陕西省社会救助办法.md": doc("陕西省社会救助办法", "2023-02-26"),
                                         "文件/规则.md": doc(GUIZE_TITLE, "2020-10-10", f"{ORG}/2020-00012")})
    lock(root)
    (root / "content/documents/文件/陕西省社会救助办法.md").unlink()
    cat = load_catalogue(root, DAY)
    assert [(g.id, g.file, g.title, g.target) for g in cat.gone] == [
        ("2023-sxsshjzbf", "content/documents/文件/陕西省社会救助办法.md", "陕西省社会救助办法", None)]
    (hint,) = [w for w in cat.warnings if w.field == "documents"]
    lines = (root / "catalog/urls.lock.yml").read_text(encoding="utf-8").splitlines()
    assert hint.file == "catalog/urls.lock.yml" and lines[hint.line - 1].startswith('  "documents/2023-sxsshjzbf.html"')
    assert "该信息已移除" in hint.message and "gongkai withdraw 2023-sxsshjzbf --reason" in hint.message
    # recorded as withdrawn: the withdrawal record speaks for the address, nothing to warn about
    (root / "catalog/withdrawals.yml").write_text(
        "withdrawals:\n  - id: 2023-sxsshjzbf\n    date: 2026-11-20\n    reason: 已被新办法替代\n", encoding="utf-8")
    cat = load_catalogue(root, DAY)
    assert cat.gone == [] and [w for w in cat.warnings if w.field == "documents"] == []


def test_a_recorded_document_given_an_id_of_its_own_is_found_at_its_new_address(tmp_path):
    """The same file with `id:` written, or the file renamed to an ASCII name (found by its 索引号): the recorded
    address belongs to that document now (the build redirects it); a scheduled document's address is not gone."""
    root = make_site(tmp_path, COLUMNS, {"文件/陕西省社会救助办法.md": doc("陕西省社会救助办法", "2023-02-26"),
                                         "文件/规则.md": doc(GUIZE_TITLE, "2020-10-10", f"{ORG}/2020-00012"),
                                         "文件/安心用气.md": doc(ANXIN_TITLE, doc_number=ANXIN_NUMBER)})
    lock(root)
    docs = root / "content/documents/文件"
    (docs / "陕西省社会救助办法.md").write_text(doc("陕西省社会救助办法", "2023-02-26", id_="sxsshjzbf"), encoding="utf-8")
    (docs / "规则.md").rename(docs / "gz-2020.md")
    (docs / "安心用气.md").rename(docs / "axyq.md")
    cat = load_catalogue(root, DAY)
    found = {g.id: g.target.id if g.target else None for g in cat.gone}
    assert found == {"2023-sxsshjzbf": "sxsshjzbf", "2020-00012": "gz-2020",
                     f"2023-{docids.slugs.initials(ANXIN_TITLE)[:40]}": "axyq"}  # same file; 索引号; 文号
    assert [w for w in cat.warnings if w.field == "documents"] == []


def test_a_file_with_a_wrong_date_is_not_told_an_address_from_1970(tmp_path):
    """A clerk writes 「published: 2024年1月25日」 in a file named by its title: the date error was followed by
    「本文件的网址是 documents/1970-gyzh….html … 尚未记入地址记录」, an address made from the stand-in date."""
    root = make_site(tmp_path / "site", COLUMNS, documents={"2024/关于做好春节期间走访慰问工作的通知.md":
                                                           doc("关于做好春节期间走访慰问工作的通知", published="2024年1月25日")})
    messages = [p.format() for p in errors_of(root)]
    assert any("日期「2024年1月25日」应写作 2024-01-25" in m for m in messages)
    assert not any("1970" in m for m in messages), messages
