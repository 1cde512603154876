"""The privacy gate: personal data in any published text stops the build, with file, line and a masked match."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, cli, make_site, write_document
from gongkai.checks import privacy
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue

BUILD = dt.date(2026, 11, 24)

# Valid test numbers (check digits computed, not real people).
ID = "330102199001011234"  # GB 11643 check digit 4
ID_X = "11010519491231002X"
MOBILE = "13800138000"
CARD16 = "6222021234567894"  # Luhn
CARD19 = "6222021234567890128"  # Luhn

COLUMNS = """\
columns:
  - name: 通知公告
    id: tzgg
    kind: documents
    frequency: 及时更新
    office: 办公室
    description: 本机关发布的通知公告。
  - name: 机构简介
    id: jgjj
    kind: page
    page: pages/jgjj.md
"""


def doc(body: str = "正文。", title: str = "关于某事项的通知", extra: str = "") -> str:
    return f"---\ntitle: {title}\npublished: 2026-03-01\ncolumns: [tzgg]\n{extra}---\n\n{body}\n"


def site(tmp_path, documents=None, pages=None, columns=COLUMNS, site_yml=None):
    pages = {"pages/jgjj.md": "# 机构简介\n\n本局负责全市民政工作。\n", **(pages or {})}
    kwargs = {"site_yml": site_yml} if site_yml else {}
    return make_site(tmp_path, columns, documents or {"2026/a.md": doc()}, pages=pages, **kwargs)


def problems_of(root) -> list:
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, BUILD)
    return [p for p in info.value.problems if p.level == "error"]


# --- detection, unit level ---------------------------------------------------------------------


@pytest.mark.parametrize("text, kind, code", [
    (f"身份证号{ID}。", "id", ID),
    ("身份证号：３３０１０２１９９００１０１１２３４", "id", ID),  # full-width digits
    ("330102 19900101 1234", "id", ID),  # spaces
    ("330102-19900101-1234", "id", ID),  # dashes
    ("330102－19900101－1234", "id", ID),  # full-width dashes
    ("11010519491231002X", "id", ID_X),
    ("11010519491231002x）", "id", ID_X),
    ("１１０１０５１９４９１２３１００２Ｘ", "id", ID_X),
    ("110105 19491231 002 X", "id", ID_X),  # the check character set apart
    ("11010519491231002-X）", "id", ID_X),
    ("１１０１０５１９４９１２３１００２　Ｘ", "id", ID_X),
    (f"手机{MOBILE}，", "mobile", MOBILE),
    ("138 0013 8000", "mobile", MOBILE),
    ("138-0013-8000", "mobile", MOBILE),
    ("+86 138 0013 8000", "mobile", MOBILE),
    ("１３８００１３８０００", "mobile", MOBILE),
    ("电话：0571-87000000 13800138000", "mobile", MOBILE),  # a landline before it does not hide it
    (f"| 张三 | {MOBILE} |", "mobile", MOBILE),
    (f"账号{CARD16}", "bank", CARD16),
    (f"卡号：{CARD19}", "bank", CARD19),
    ("6222 0212 3456 7890 128", "bank", CARD19),
    ("6222-0212-3456-7894", "bank", CARD16),
    ("６２２２０２１２３４５６７８９４", "bank", CARD16),
])
def test_finds_personal_data(text, kind, code):
    assert [(k, c) for k, c, _ in privacy.find(text)] == [(kind, code)]


@pytest.mark.parametrize("text", [
    "3301**********1234",  # masked forms pass
    "330102********1234",
    "138****8000",
    "6222 **** **** 7894",
    "咨询电话：0571-87000000，传真 0571-87000001",  # area codes
    "(0571)87000000", "021-68881234",
    "11330100002489999F/202603-00001",  # 索引号
    "索引号：11341700003244799H/202102-00014",
    "统一社会信用代码 91330100MA2B3C4D5E",
    "示民发〔2024〕3号", "浙公网安备 33010002000001号",
    "2026-03-01 2026-03-05 2026-12-31",  # dates
    "2019 2020 2021 2022",  # years in a row
    "订单号 123456789013800138000",  # a mobile inside a longer run of digits
    "13800138000123",  # too long for a mobile
    "330102199001011235",  # wrong check digit
    "330102199013011234",  # month 13
    "6222021234567890",  # fails Luhn
    "邮编 310000，网站标识码 3301000099",
    "第 15 32 14 17 88 9 项",  # single-spaced small numbers do not join into a mobile
])
def test_no_false_hits(text):
    assert list(privacy.find(text)) == []


def test_all_digit_credit_code_is_no_bank_card():
    code = "91330100" + "123456789"
    for ch in "0123456789":  # every all-digit code
        if privacy.is_uscc(code + ch) and privacy.luhn_ok(code + ch):  # pragma: no cover - depends on digits
            assert list(privacy.find(code + ch)) == []
    assert privacy.is_uscc("11330100002489999F")


def test_mask():
    assert privacy.mask("id", ID) == "3301**********1234"
    assert privacy.mask("mobile", MOBILE) == "138****8000"
    assert privacy.mask("bank", CARD19) == "6222***********0128"


SEPARATORS = [" ", "-", "－", "‐", "‑", "‒", "–", "—", "\u3000", "\xa0", "\u2009", "\u202f"]  # all that find joins


@pytest.mark.parametrize("sep", SEPARATORS)
def test_mask_numbers_masks_the_whole_hit_whatever_separates_its_digits(sep):
    """mask_numbers replaces a hit's whole span, separators and all: a separator it did not know (thin space) was
    counted as a digit, so the span ended early and the hit's last digits were published after the mask (an ID
    written digit by digit: its birth date)."""
    cases = [(sep.join(ID), "3301**********1234"), (sep.join((MOBILE[:3], MOBILE[3:7], MOBILE[7:])), "138****8000"),
             (sep.join(CARD19[i:i + 4] for i in range(0, 19, 4)), "6222***********0128"),
             ((sep.join(ID_X[:17]) + "X").translate(FULL), "1101**********002X"),
             (sep.join(ID_X).translate(FULL), "1101**********002X")]  # (the X set apart too)
    for written, masked in cases:
        assert privacy.mask_numbers(f"来信称：{written}，请核实。") == (f"来信称：{masked}，请核实。", 1)


# --- the gate in the loader: file, line, kind, masked --------------------------------------------


def test_example_site_passes_the_gate():
    cat = load_catalogue(REPO, BUILD)  # the real example, loaded in place
    assert cat.privacy is not None and cat.privacy.hits == []


def test_body_hit_names_file_line_kind_and_masks(tmp_path):
    body = "第一段。\n\n第二段。\n\n申请人张某，身份证号 330102 19900101 1234，联系电话 138-0013-8000。\n"
    root = site(tmp_path, {"2026/a.md": doc(body)})
    errs = problems_of(root)
    assert len(errs) == 2
    # front matter is lines 1-5, a blank line 6, the body starts on line 7; the hit is on its 5th line
    assert {(e.file, e.line) for e in errs} == {("content/documents/2026/a.md", 11)}
    text = "\n".join(e.format() for e in errs)
    assert "居民身份证号「3301**********1234」" in text and "手机号码「138****8000」" in text
    assert "19900101" not in text and "0013" not in text


def test_front_matter_fields_are_scanned_with_their_line(tmp_path):
    extra = f"doc_number: 示民发〔2026〕{MOBILE}号\nsummary: |\n  第一行\n  卡号 {CARD16}\n"
    root = site(tmp_path, {"2026/a.md": doc(title=f"关于{ID}的公示", extra=extra)})
    errs = sorted(problems_of(root), key=lambda p: p.line)
    assert [(e.line, e.field) for e in errs] == [(2, "title"), (5, "doc_number"), (8, "summary")]
    assert "银行卡号「6222********7894」" in errs[2].message


def test_attachment_title_and_text_attachment(tmp_path):
    extra = f"attachments:\n  - title: {ID}名单\n    file: ../../files/list.txt\n"
    root = site(tmp_path, {"2026/a.md": doc(extra=extra)})
    (root / "content" / "files").mkdir()
    (root / "content" / "files" / "list.txt").write_text(f"名单\n王五 {MOBILE}\n", encoding="utf-8")
    errs = problems_of(root)
    assert {(e.file, e.line) for e in errs} == {("content/documents/2026/a.md", 6), ("content/files/list.txt", 2)}


def test_pages_guide_site_columns_and_packages_are_scanned(tmp_path):
    columns = COLUMNS + f"  - name: 公开指南\n    id: gkzn\n    kind: guide\n    description: 咨询 {MOBILE}\n"
    site_yml = ("name: 测试市民政局\norg_code: 11330100002489999F\nsite_url: https://test.example.gov.cn/\n"
                f"contact:\n  phone: {MOBILE}\n")
    root = site(tmp_path, columns=columns, site_yml=site_yml,
                pages={"pages/jgjj.md": f"# 机构简介\n\n局长 张三\n\n{ID}\n",
                       "guide.md": f"---\nrevised: 2026-01-01\n---\n\n受理电话 {CARD19}\n"})
    (root / "catalog" / "packages.yml").write_text(f"packages:\n  - id: a\n    name: 一件事\n    phone: [{MOBILE}]\n",
                                                   encoding="utf-8")
    found = {(e.file, e.line) for e in problems_of(root) if "个人信息" in e.message}
    assert found == {("content/pages/jgjj.md", 5), ("content/guide.md", 5), ("catalog/site.yml", 5),
                     ("catalog/columns.yml", 15), ("catalog/packages.yml", 4)}


def test_package_dataclasses_are_scanned_generically():
    from dataclasses import dataclass, field

    @dataclass
    class Faq:
        question: str
        answer: str

    @dataclass
    class Pkg:
        name: str
        faq: list = field(default_factory=list)

    texts = list(privacy.object_texts("catalog/packages.yml", 3, Pkg("包", [Faq("问", f"打 {MOBILE}")])))
    hits = [h for t in texts for h in privacy.scan_text(t)]
    assert [(h.kind, h.line, h.field) for h in hits] == [("mobile", 3, "faq[1].answer")]


def test_attachments_of_withheld_documents_are_not_scanned(tmp_path):
    extra = "disclosure: 依申请公开\nattachments: [../../files/list.txt]\n"
    root = site(tmp_path, {"2026/a.md": doc(extra=extra)})
    (root / "content" / "files").mkdir()
    (root / "content" / "files" / "list.txt").write_text(f"王五 {MOBILE}\n", encoding="utf-8")
    assert load_catalogue(root, BUILD).privacy.hits == []
    # the same file attached by a public document too is published, so it is scanned
    (root / "content" / "documents" / "2026" / "b.md").write_text(doc(extra="attachments: [../../files/list.txt]\n"),
                                                                  encoding="utf-8")
    assert [(e.file, e.line) for e in problems_of(root)] == [("content/files/list.txt", 1)]


def test_unpublished_documents_are_not_scanned(tmp_path):
    root = site(tmp_path, {"2026/a.md": doc(f"{ID}", extra="disclosure: 不予公开\n")})
    cat = load_catalogue(root, BUILD)
    assert cat.privacy.hits == []


# --- allowances -------------------------------------------------------------------------------------


def test_privacy_ok_allows_a_listed_hit_and_check_reports_it(tmp_path):
    extra = f"privacy_ok:\n  - match: \"{ID}\"\n    reason: 惩戒性公示（严重失信名单）\n"
    body = f"当事人：李某，身份证号 330102-19900101-1234。\n\n另：{ID}\n"
    root = site(tmp_path, {"2026/a.md": doc(body, extra=extra)})
    cat = load_catalogue(root, BUILD)
    assert cat.privacy.hits == [] and len(cat.privacy.used) == 1
    assert len(cat.privacy.used[0].hits) == 2
    result = cli(root, "check")
    assert result.returncode == 0, result.stderr
    lines = [ln for ln in result.stdout.splitlines() if "个人信息公开许可" in ln]
    assert lines == ["content/documents/2026/a.md:6: 个人信息公开许可：居民身份证号「3301**********1234」出现 2 处，"
                     "依据：惩戒性公示（严重失信名单）"]
    assert ID not in result.stdout + result.stderr


def test_privacy_ok_only_covers_its_own_document(tmp_path):
    extra = f"privacy_ok:\n  - match: \"{MOBILE}\"\n    reason: 本人同意公开\n"
    root = site(tmp_path, {"2026/a.md": doc(MOBILE, extra=extra), "2026/b.md": doc(f"电话 {MOBILE}")})
    errs = problems_of(root)
    assert [(e.file, e.line) for e in errs] == [("content/documents/2026/b.md", 7)]


def test_privacy_ok_needs_a_reason(tmp_path):
    extra = f"privacy_ok:\n  - match: \"{MOBILE}\"\n"
    root = site(tmp_path, {"2026/a.md": doc(MOBILE, extra=extra)})
    errs = problems_of(root)
    assert any(e.field == "reason" and e.line == 6 for e in errs)


def test_stale_allowance_is_a_warning(tmp_path):
    extra = f"privacy_ok:\n  - match: \"{CARD16}\"\n    reason: 已去掉\n"
    root = site(tmp_path, {"2026/a.md": doc("无个人信息。", extra=extra)})
    cat = load_catalogue(root, BUILD)
    warns = [w for w in cat.warnings if w.field == "privacy_ok"]
    assert len(warns) == 1 and warns[0].line == 6 and "6222********7894" in warns[0].message
    assert CARD16 not in warns[0].message


def test_site_wide_allowance(tmp_path):
    site_yml = ("name: 测试市民政局\norg_code: 11330100002489999F\nsite_url: https://test.example.gov.cn/\n"
                f"contact:\n  phone: \"{MOBILE}\"\nprivacy_ok:\n  - match: \"{MOBILE}\"\n    reason: 本局值班手机，对外公布\n")
    root = site(tmp_path, {"2026/a.md": doc(f"值班电话 {MOBILE}")}, site_yml=site_yml)
    cat = load_catalogue(root, BUILD)
    assert cat.privacy.hits == [] and len(cat.privacy.used[0].hits) == 2


# --- properties ---------------------------------------------------------------------------------------


def _with_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, privacy._ID_WEIGHTS, strict=True))
    return first17 + privacy._ID_CHECK[total % 11]


IDS = st.builds(
    lambda region, day, serial: _with_check_digit(f"{region}0102{day:%Y%m%d}{serial:03d}"),
    st.sampled_from(sorted(privacy._ID_REGIONS)), st.dates(dt.date(1920, 1, 1), dt.date(2025, 12, 31)),
    st.integers(0, 999),
)
FILLER = st.text(alphabet="，。、：（）的是在了和有关于申请人张李王某 \n", max_size=12)
FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@settings(max_examples=80, deadline=None)
@given(code=IDS, before=FILLER, after=FILLER, style=st.sampled_from(["plain", "spaces", "dashes", "full"]))
def test_any_valid_id_is_found_in_any_writing(code, before, after, style):
    written = {"plain": code, "spaces": f"{code[:6]} {code[6:14]} {code[14:]}",
               "dashes": f"{code[:6]}-{code[6:14]}-{code[14:]}", "full": code.translate(FULL)}[style]
    assert [(k, c) for k, c, _ in privacy.find(before + written + after)] == [("id", code)]
    masked = privacy.mask("id", code)
    assert list(privacy.find(before + masked + after)) == []


@settings(max_examples=80, deadline=None)
@given(text=st.text(max_size=80))
def test_find_never_fails_and_reports_digits_only(text):
    for kind, code, offset in privacy.find(text):
        assert kind in privacy.KIND_LABELS and 0 <= offset < len(text)
        assert code.rstrip("X").isdigit()


def test_remembered_scans_give_the_same_report_and_follow_an_edit(tmp_path):
    """Builds remember the hits of each document file (.cache/gongkai/); a remembered scan reports exactly what
    a fresh one does, and an edited file is scanned again."""
    from gongkai.build.cache import BuildCache

    def report(cat) -> list:
        return [(a.file, a.line, [(h.kind, h.code, h.file, h.line, h.field) for h in a.hits]) for a in cat.privacy.allowances]

    allow = f"privacy_ok:\n  - match: \"{MOBILE}\"\n    reason: 单位公开的办公电话\n"
    long_body = "正文。" * 300 + f"\n\n联系电话 {MOBILE}。\n"  # long enough for the text memo too
    root = site(tmp_path, {"2026/a.md": doc(long_body, extra=f"doc_number: 示民发〔2026〕{MOBILE}号\n" + allow),
                           "2026/b.md": doc("正文。" * 300)},
                pages={"pages/jgjj.md": "# 机构简介\n\n" + "本局负责全市民政工作。" * 60 + "\n"})
    fresh = report(load_catalogue(root, BUILD))
    assert len(fresh[0][2]) == 2
    for _ in range(2):  # the first build fills the memo, the second reads it
        cache = BuildCache(root / ".cache" / "gongkai")
        with cache.memo() as memo:
            assert report(load_catalogue(root, BUILD, memo)) == fresh
    assert any(k[0] == "privacy.documents" for k in cache._memo)
    (root / "content/documents/2026/b.md").write_text(doc("正文。" * 300 + f"\n身份证号 {ID}\n"), encoding="utf-8")
    cache = BuildCache(root / ".cache" / "gongkai")
    with cache.memo() as memo, pytest.raises(GongkaiError) as info:
        load_catalogue(root, BUILD, memo)
    errors = [p.format() for p in info.value.problems if p.level == "error"]
    assert len(errors) == 1 and errors == [p.format() for p in problems_of(root)]


def test_remembered_hits_are_kept_per_folder_and_only_changed_folders_are_put(tmp_path):
    """The documents' hits are one memo entry per folder (privacy.DocumentHits): a rebuild puts only the folder
    where a file changed or went, and an entry left for a deleted file is dropped (a warm report is a cold one)."""
    from gongkai.build.cache import BuildCache

    def report(cat) -> list:
        return [(h.file, h.line, h.code) for h in cat.privacy.hits] + \
            [(a.file, a.line, [(h.file, h.line, h.code) for h in a.hits]) for a in cat.privacy.allowances]

    allow = f"privacy_ok:\n  - match: \"{MOBILE}\"\n    reason: 单位公开的办公电话\n"
    root = site(tmp_path, {"2025/a.md": doc(f"联系电话 {MOBILE}。\n", extra=allow), "2025/b.md": doc("正文。"),
                           "2026/c.md": doc("正文。"), "2026/d.md": doc(f"电话 {MOBILE}。\n", extra=allow)})

    def load() -> tuple[list, set]:
        cache = BuildCache(root / ".cache" / "gongkai")
        put: set = set()
        with cache.memo() as memo:
            original = memo.put

            def spy(key, value):
                if key[0] == privacy.DOCUMENT_HITS:
                    put.add(key[1])
                original(key, value)
            memo.put = spy  # type: ignore[method-assign]
            got = report(load_catalogue(root, BUILD, memo))
        keys = {k for k in cache._memo if k[0] == privacy.DOCUMENT_HITS}
        assert keys == {(privacy.DOCUMENT_HITS, f"content/documents/{y}") for y in ("2025", "2026")}
        return got, put

    assert load()[1] == {"content/documents/2025", "content/documents/2026"}
    assert load() == (report(load_catalogue(root, BUILD)), set())  # nothing changed: nothing put
    (root / "content/documents/2026/c.md").write_text(doc("正文，改过。"), encoding="utf-8")
    assert load() == (report(load_catalogue(root, BUILD)), {"content/documents/2026"})
    (root / "content/documents/2025/b.md").unlink()
    assert load() == (report(load_catalogue(root, BUILD)), {"content/documents/2025"})  # the entry for b.md goes
    cache = BuildCache(root / ".cache" / "gongkai")
    with cache.memo() as memo:
        kept = memo.get((privacy.DOCUMENT_HITS, "content/documents/2025"))
    assert set(kept) == {"content/documents/2025/a.md"}


# --- what the gate keeps with the load's token (privacy.FOUND) -------------------------------------


def _gate_picture(cat) -> tuple:
    """Everything the gate reports, in order: blocking hits, allowances with their hits, files not checked."""
    report = cat.privacy
    return ([(h.file, h.line, h.field, h.code, h.place) for h in report.hits],
            [(a.file, a.line, a.code, [(h.file, h.line, h.field, h.code, h.place) for h in a.hits])
             for a in report.allowances], list(report.unchecked))


def _outcome(load) -> tuple:
    """A load's gate picture and warnings, or the problems it stopped with (each formatted, in order)."""
    try:
        cat = load()
    except GongkaiError as exc:
        return ("stopped", [p.format() for p in exc.problems])
    return ("loaded", _gate_picture(cat), [p.format() for p in cat.warnings])


def _found_history(tmp_path) -> list[tuple[str, bool]]:
    """Walk a history of changes; after each, a load through the build cache gives exactly what a cold load
    gives. Returns, for each step, whether the gate took what it kept (FOUND) from the load before."""
    import os
    import time

    from officefiles import make_xlsx

    from gongkai.build.cache import BuildCache

    allow = f"privacy_ok:\n  - match: \"{MOBILE}\"\n    reason: 单位公开的办公电话\n"
    attach = "attachments:\n  - {title: 名单, file: ../../files/mingdan.xlsx}\n"
    root = site(tmp_path, {"2025/a.md": doc(f"联系电话 {MOBILE}。\n", extra=allow), "2025/b.md": doc("正文。"),
                           "2026/c.md": doc("正文。", extra=attach), "2026/d.md": doc(f"电话 {MOBILE}。\n", extra=allow),
                           "2026/sub/e.md": doc("正文。")})
    sheet = root / "content/files/mingdan.xlsx"
    sheet.parent.mkdir(parents=True, exist_ok=True)
    make_xlsx(sheet, {"名单": [["姓名", "救助金额"], ["李某某", 2000]]})
    followed: list[tuple[str, bool]] = []

    def warm():
        cache = BuildCache(root / ".cache" / "gongkai")
        with cache.memo() as memo:
            made: list[privacy.DocumentHits] = []
            real = privacy.DocumentHits.__init__

            def spy(self, *args, **kwargs):
                real(self, *args, **kwargs)
                made.append(self)
            privacy.DocumentHits.__init__ = spy  # type: ignore[method-assign]
            try:
                return load_catalogue(root, BUILD, memo)
            finally:
                privacy.DocumentHits.__init__ = real  # type: ignore[method-assign]
                followed.append((step, bool(made) and made[-1].kept is not None))

    def check(name: str) -> None:
        nonlocal step
        step = name
        time.sleep(0.02)  # (the files written are older than the next stamp: their stat data can vouch for them)
        assert _outcome(warm) == _outcome(lambda: load_catalogue(root, BUILD)), name

    def write(rel: str, text: str) -> None:
        write_document(root, rel, text)

    step = "first"
    for name in ("first", "again", "nothing changed"):
        check(name)
    write("2026/c.md", doc(f"正文，改过：身份证号 {ID}。", extra=attach))  # a new hit: the load stops
    check("a new hit in a changed document")
    write("2026/c.md", doc("正文，改过。", extra=attach))
    check("the hit taken out again")
    write("2026/sub/e.md", doc(f"电话 {MOBILE}。\n", extra=allow))  # (a subfolder of 2026: its own folder)
    check("an allowed hit in a subfolder")
    write("2025/b.md", doc(f"另一个电话 {MOBILE}。\n"))  # the same number, not allowed in this document
    check("a hit allowed elsewhere only")
    write("2025/b.md", doc("正文。"))
    check("taken out")
    (root / "content/documents/2025/a.md").unlink()
    check("a document with an allowed hit deleted")
    make_xlsx(sheet, {"名单": [["姓名", "联系电话"], ["李某某", MOBILE]]})  # the attachment changes, not the document
    check("a number in the attachment")
    make_xlsx(sheet, {"名单": [["姓名", "救助金额"], ["李某某", 3000]]})
    check("the attachment mended")
    write("2026/d.md", doc(f"电话 {MOBILE}。\n", extra=allow + "disclosure: 依申请公开\n"))
    check("a document no longer published")
    write("2026/d.md", doc(f"电话 {MOBILE}。\n", extra=allow))
    check("published again")
    os.utime(sheet)  # touched: read again, the same bytes
    check("the attachment touched")
    check("nothing changed at the end")
    # the folders' entries stayed whole: a load that cannot follow FOUND (looked for under another key here) scans
    # no document again
    real_texts, real_key = privacy.document_texts, privacy.FOUND
    scanned: list[str] = []

    def recording(cat, d):
        scanned.append(d.source.file)
        return real_texts(cat, d)
    privacy.document_texts = recording  # type: ignore[assignment]
    privacy.FOUND = ("privacy.found", "lost")
    try:
        step = "FOUND lost"
        assert _outcome(warm)[0] == "loaded"
    finally:
        privacy.document_texts, privacy.FOUND = real_texts, real_key
    assert scanned == [], "scanned again"
    return followed


def test_kept_hits_follow_the_changes_and_equal_a_cold_load(tmp_path):
    """privacy.FOUND: a warm load takes the hits of documents in folders where nothing changed, and of Office and
    PDF files whose stat data did not change, from the load its changes follow; after every step of a history the
    gate's report and the load's problems are exactly a cold load's. The kept results are really used (else this
    would prove nothing): by every load but the first."""
    followed = _found_history(tmp_path)
    # (after a load that stopped, the one before it: a build with errors saves no memo)
    assert [name for name, used in followed if not used] == ["first", "FOUND lost"]


@pytest.mark.parametrize("blind", ["documents", "attachments", "entries"])
def test_kept_hits_blind_to_a_change_fail_the_history(tmp_path, monkeypatch, blind):
    """The history above can fail: a gate that takes FOUND's hits for the changed documents too, or FOUND's digest
    for an attachment whose stat data changed, reports what a cold load does not; one that puts a folder's entry
    with only its changed documents leaves the next load that cannot follow FOUND scanning the others again."""
    real = privacy.DocumentHits.__init__

    def blind_init(self, memo, changes=None):
        real(self, memo, changes)
        if self.kept is not None and blind == "documents":
            self.redo = frozenset()
        if self.kept is not None and blind == "attachments" and memo is not None:
            self.kept_files = dict(memo.get(privacy.FOUND)[3])
    monkeypatch.setattr(privacy.DocumentHits, "__init__", blind_init)
    if blind == "entries":  # a folder's entry begun empty when only its changed documents are looked up
        real_folder = privacy.DocumentHits._folder

        def emptied(self, folder):
            real_folder(self, folder).clear()
            return self.now[folder]
        monkeypatch.setattr(privacy.DocumentHits, "_folder", emptied)
    with pytest.raises(AssertionError):
        _found_history(tmp_path)


def test_untrusted_stat_reads_every_attachment_again(tmp_path, monkeypatch):
    """GONGKAI_TRUST_STAT=0 is for file systems whose stat data may not show a change: then every Office and PDF
    file is read and hashed again, never taken by the digest FOUND names because the snapshot's stat comparison
    says it is unchanged (that comparison trusts the stat data an earlier, trusting build recorded). Simulated: the
    walk reports the file's stat as it was while its bytes change."""
    import time

    from officefiles import make_xlsx

    from gongkai.build.cache import BuildCache
    from gongkai.load import snapshot

    attach = "attachments:\n  - {title: 名单, file: ../../files/mingdan.xlsx}\n"
    root = site(tmp_path, {"2026/c.md": doc("正文。", extra=attach)})
    sheet = root / "content/files/mingdan.xlsx"
    sheet.parent.mkdir(parents=True, exist_ok=True)
    make_xlsx(sheet, {"名单": [["姓名", "救助金额"], ["李某某", 2000]]})
    time.sleep(0.02)

    def warm(trust: bool):
        cache = BuildCache(root / ".cache" / "gongkai", trust_stat=trust)
        with cache.memo() as memo:
            return load_catalogue(root, BUILD, memo)

    warm(True)
    warm(True)  # (FOUND names the sheet's digest)
    was = sheet.stat()
    make_xlsx(sheet, {"名单": [["姓名", "联系电话"], ["李某某", MOBILE]]})
    real = snapshot.input_stats

    def stale(root_, tree):  # a file system whose stat data does not show the change
        out = real(root_, tree)
        out["content/files/mingdan.xlsx"] = was
        return out
    monkeypatch.setattr(snapshot, "input_stats", stale)
    with pytest.raises(GongkaiError):
        load_catalogue(root, BUILD)  # cold: the number is found
    with pytest.raises(GongkaiError):
        warm(False)
