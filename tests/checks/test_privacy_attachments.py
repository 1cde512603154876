"""The privacy gate reads Office and PDF attachments: a 身份证号 or 手机号码 in an .xlsx cell, a .docx table or
header, or a PDF's text layer stops the build with file, sheet/page and cell/line, masked; site/ stays untouched.

The notice the attachments hang from is transcribed from a real published document: 《云南省民政厅办公室关于印发重新
修订的〈云南省民政厅政府信息主动公开基本目录索引号编制规则〉的通知》, 怒江州民政局,
https://www.nujiang.gov.cn/xxgk/01527918X/info/2020-153077.html . The lists follow the columns of the
临时救助/低保 公示名单 bureaus publish (序号, 姓名, 身份证号, 联系电话, 救助金额); the numbers are valid test
numbers (check digits computed), not real people.
"""

from __future__ import annotations

import datetime as dt

import pytest
from officefiles import make_docx, make_pdf, make_xlsx

from conftest import cli, make_site, run_build, tree_digest
from gongkai.checks import privacy
from gongkai.checks.attachment_text import extract
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue

BUILD = dt.date(2026, 11, 24)
ID = "330102199001011234"
ID15 = "330102900101123"  # first generation: region 330102, born 1990-01-01, sequence 123
MOBILE = "13800138000"

COLUMNS = """\
columns:
  - name: 通知公告
    id: tzgg
    kind: documents
"""
DOC = """\
---
title: 关于2024年第四季度临时救助对象的公示
published: 2024-12-20
columns: [tzgg]
{extra}---

根据《社会救助暂行办法》，现将本季度临时救助对象名单予以公示，详见附件。
"""
LIST_HEADER = ["序号", "姓名", "身份证号", "联系电话", "救助金额（元）"]


def _site(tmp_path, attachments: list[str], extra: str = ""):
    lines = "".join(f"  - ../../files/{a}\n" for a in attachments)
    return make_site(tmp_path, COLUMNS, {"2024/gs.md": DOC.format(extra=f"attachments:\n{lines}{extra}")})


def _files(root):
    return root / "content" / "files"


def _errors(root) -> list:
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, BUILD)
    return [p for p in info.value.problems if p.level == "error"]


def test_fifteen_digit_id_numbers_are_found():
    assert [(k, c) for k, c, _ in privacy.find(f"原身份证号{ID15}，")] == [("id", ID15)]
    assert [(k, c) for k, c, _ in privacy.find("330102 900101 123")] == [("id", ID15)]
    assert privacy.mask("id", ID15) == "3301*******1123"
    # no valid region, an impossible date, part of a longer number: no hit
    assert list(privacy.find("990102900101123 330102901301123 3301029001011234567")) == []


def test_xlsx_cells_in_every_sheet(tmp_path):
    root = _site(tmp_path, ["mingdan.xlsx"])
    make_xlsx(_files(root) / "mingdan.xlsx", {
        "说明": [["2024年第四季度临时救助对象公示名单"], ["公示期：2024年12月20日至12月26日"]],
        "名单": [LIST_HEADER, [1, "张某某", "3301**********1234", "138****8000", 1500],
               [2, "李某某", ID, int(MOBILE), 2000], [3, "王某某", ID15, "", 800]],
    })
    errs = _errors(root)
    text = "\n".join(e.format() for e in errs)
    assert {e.file for e in errs} == {"content/files/mingdan.xlsx"}, text
    assert "工作表「名单」单元格 C3：发现疑似居民身份证号「3301**********1234」" in text
    assert "工作表「名单」单元格 D3：发现疑似手机号码「138****8000」" in text  # stored as a number
    assert "工作表「名单」单元格 C4：发现疑似居民身份证号「3301*******1123」" in text
    assert len(errs) == 3 and ID not in text and MOBILE not in text and ID15 not in text


def test_docx_body_table_and_header(tmp_path):
    root = _site(tmp_path, ["mingdan.docx"])
    make_docx(_files(root) / "mingdan.docx", [
        ("h1", "2024年第四季度临时救助对象公示名单"),
        ("p", "公示期间如有异议，请向区民政局社会救助科反映。"),
        ("table", [LIST_HEADER, ["1", "李某某", ID, "", "2000"]]),
        ("p", f"监督电话：{MOBILE}"),
    ], header=f"经办人手机 {MOBILE}")
    errs = sorted(e.format() for e in _errors(root))
    assert len(errs) == 3, errs
    assert any("正文表格 1 第 2 行第 3 列：发现疑似居民身份证号" in e for e in errs), errs
    assert any("正文第 3 段：发现疑似手机号码「138****8000」" in e for e in errs), errs
    assert any("页眉第 1 段：发现疑似手机号码" in e for e in errs), errs
    assert all(e.startswith("content/files/mingdan.docx: 错误: ") for e in errs)


def test_pdf_text_layer_and_scans(tmp_path):
    root = _site(tmp_path, ["mingdan.pdf", "saomiao.pdf", "jiuban.doc"])
    make_pdf(_files(root) / "mingdan.pdf", [["临时救助对象公示名单", "第一页没有个人信息"],
                                            ["序号 姓名 联系电话", f"1 张某某 {MOBILE}"]])
    make_pdf(_files(root) / "saomiao.pdf", [["扫描件"]], text_layer=False)
    (_files(root) / "jiuban.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, BUILD)
    problems = {p.format() for p in info.value.problems}
    assert "content/files/mingdan.pdf: 错误: 第 2 页第 2 行：发现疑似手机号码「138****8000」，" in "\n".join(problems) + "，"
    warnings = sorted(p.format() for p in info.value.problems if p.level == "warning")
    assert any(w.startswith("content/files/saomiao.pdf: 警告: PDF 全部页面没有文字层") for w in warnings), warnings
    assert any(w.startswith("content/files/jiuban.doc: 警告: 旧版 .doc 格式无法读取文字") for w in warnings), warnings


def test_privacy_ok_of_the_attaching_document_applies(tmp_path):
    extra = f"privacy_ok:\n  - match: \"{MOBILE}\"\n    reason: 社会救助科值班手机，对外公布的监督电话\n"
    root = _site(tmp_path, ["mingdan.xlsx"], extra=extra)
    make_xlsx(_files(root) / "mingdan.xlsx", {"名单": [LIST_HEADER, [1, "张某某", "", MOBILE, 1500]]})
    cat = load_catalogue(root, BUILD)
    assert cat.privacy.hits == [] and [a.reason for a in cat.privacy.used] == ["社会救助科值班手机，对外公布的监督电话"]
    out = cli(root, "check", "--root", str(root))
    assert out.returncode == 0 and "工作表" not in out.stderr and "个人信息公开许可" in out.stdout


def test_attachments_of_withheld_documents_are_not_read(tmp_path):
    root = _site(tmp_path, ["mingdan.xlsx"], extra="disclosure: 依申请公开\n")
    make_xlsx(_files(root) / "mingdan.xlsx", {"名单": [LIST_HEADER, [1, "李某某", ID, MOBILE, 2000]]})
    assert load_catalogue(root, BUILD).privacy.hits == []


def test_extraction_is_remembered_by_file_digest(tmp_path, monkeypatch):
    path = make_xlsx(tmp_path / "a.xlsx", {"名单": [LIST_HEADER, [1, "李某某", ID, "", 2000]]})
    unit = privacy.AttachmentFile("content/files/a.xlsx", path, ())
    memo: dict = {}

    class DictMemo:
        def get(self, key):
            return memo.get(key, privacy.MISSING)

        def put(self, key, value):
            memo[key] = value

    first, _ = privacy.attachment_hits(unit, DictMemo())
    assert [(h.kind, h.place) for h in first] == [("id", "工作表「名单」单元格 C2")]
    import gongkai.checks.attachment_text as at

    monkeypatch.setattr(at, "extract", lambda p: pytest.fail("read again although unchanged"))
    assert privacy.attachment_hits(unit, DictMemo())[0] == first
    make_xlsx(path, {"名单": [LIST_HEADER, [1, "李某某", "", MOBILE, 2000]]})  # changed bytes: read again
    monkeypatch.undo()
    assert [h.kind for h in privacy.attachment_hits(unit, DictMemo())[0]] == ["mobile"]
    assert extract(path).unchecked == ""


def test_an_unchanged_attachment_is_not_read_again(tmp_path, monkeypatch):
    """A warm load knows an attachment's digest from its stat data (gongkai/statcheck.py) and opens no attachment;
    the attachment rewritten in place (same file and modification time) is read and checked again, and its new
    number stops the load as in a cold one."""
    import builtins
    import io
    import os

    from gongkai.build.cache import BuildCache

    root = _site(tmp_path, ["mingdan.xlsx"])
    path = make_xlsx(_files(root) / "mingdan.xlsx", {"名单": [LIST_HEADER, [1, "李某某", "", "", 2000]]})

    def warm():
        with BuildCache(root / ".cache" / "gongkai").memo() as memo:
            return load_catalogue(root, BUILD, memo)

    warm()
    warm()  # written within the file system's clock tick of the first stamp: trusted from now on
    opened: list[str] = []
    real = io.open

    def recording(file, *args, **kwargs):
        opened.append(os.fspath(file) if isinstance(file, (str, os.PathLike)) else "")
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording)
    monkeypatch.setattr(io, "open", recording)
    assert warm().privacy.hits == []
    assert opened and not [f for f in opened if f.endswith(".xlsx")]
    monkeypatch.undo()
    # rewritten in place with a mobile number, its modification time put back (its change time tells)
    st = path.stat()
    with open(path, "r+b") as fh:
        fh.write(make_xlsx(tmp_path / "new.xlsx", {"名单": [LIST_HEADER, [1, "李某某", "", MOBILE, 2000]]}).read_bytes())
        fh.truncate()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (st.st_ino, st.st_mtime_ns)
    with pytest.raises(GongkaiError) as info:
        warm()
    cold = _errors(root)
    assert [(p.file, p.message) for p in info.value.problems if p.level == "error"] == [(p.file, p.message) for p in cold]
    assert any(p.file == "content/files/mingdan.xlsx" and "手机" in p.message for p in cold)


def test_build_stops_with_site_untouched(tmp_path):
    root = _site(tmp_path, ["mingdan.xlsx", "mingdan.docx", "mingdan.pdf"])
    make_xlsx(_files(root) / "mingdan.xlsx", {"名单": [LIST_HEADER, [1, "李某某", ID, "", 2000]]})
    make_docx(_files(root) / "mingdan.docx", [("table", [LIST_HEADER, ["1", "李某某", "", MOBILE, "2000"]])])
    make_pdf(_files(root) / "mingdan.pdf", [["序号 姓名 身份证号", f"1 李某某 {ID}"]])
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("旧网站\n", encoding="utf-8")
    before = tree_digest(root / "site")
    result = run_build(root)
    assert result.returncode != 0
    for where in ("content/files/mingdan.xlsx: 错误: 工作表「名单」单元格 C2：发现疑似居民身份证号「3301**********1234」",
                  "content/files/mingdan.docx: 错误: 正文表格 1 第 2 行第 4 列：发现疑似手机号码「138****8000」",
                  "content/files/mingdan.pdf: 错误: 第 1 页第 2 行：发现疑似居民身份证号「3301**********1234」"):
        assert where in result.stderr, result.stderr
    assert ID not in result.stderr and MOBILE not in result.stderr
    assert tree_digest(root / "site") == before
