"""Hostile and broken input: the loader either succeeds or raises gongkai's own GongkaiError — never a traceback.

Hypothesis feeds random YAML and mutations of valid files (site.yml, columns.yml, packages.yml, document front
matter, the guide, a page) to the loader, in process, on a small site in a temporary folder.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue

BUILD = dt.date(2026, 11, 24)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FILES: dict[str, str] = {
    "catalog/site.yml": """\
        name: 测试市民政局
        org_code: 11330100002489999F
        site_url: https://test.example.gov.cn/
        contact:
          phone: 0571-87000000
          hours: 工作日
        topics: [综合政务, 其他]
        validity:
          default_term_years: 5
        """,
    "catalog/columns.yml": """\
        columns:
          - name: 政府信息公开指南
            kind: guide
          - name: 法定主动公开内容
            children:
              - name: 通知公告
                id: tzgg
                kind: documents
                frequency: 及时更新
                office: 办公室
              - name: 机构简介
                kind: page
                page: pages/jgjj.md
              - name: 一网通办
                kind: link
                url: https://zwfw.example.gov.cn/
          - name: 主题服务包
            kind: packages
        """,
    "catalog/packages.yml": """\
        packages:
          - id: hyjt
            name: 婚姻登记一件事
            summary: 结婚登记、离婚登记
            items: [结婚登记]
            steps: [预约, 办理]
            phone: [0571-87000000]
            online: https://zwfw.example.gov.cn/
            policies: [a]
            faq:
              - question: 要带什么？
                answer: 身份证、户口簿
        """,
    "content/documents/2026/a.md": """\
        ---
        title: 关于某事项的通知
        doc_number: 示民发〔2026〕1号
        published: 2026-03-01
        written: 2026-02-20
        topic: 综合政务
        columns: [tzgg]
        normative: true
        effective: 2026-04-01
        attachments:
          - title: 附件一
            file: ../../files/a.txt
        privacy_ok:
          - match: "13800138000"
            reason: 测试
        ---

        正文第一段。联系电话 13800138000。
        """,
    "content/files/a.txt": "附件正文\n",
    "content/guide.md": """\
        ---
        revised: 2026-01-01
        revisions:
          - date: 2026-01-01
            note: 修订
        ---

        指南正文。
        """,
    "content/pages/jgjj.md": "# 机构简介\n\n本局负责全市民政工作。\n",
}
TARGETS = ["catalog/site.yml", "catalog/columns.yml", "catalog/packages.yml", "content/documents/2026/a.md",
           "content/guide.md", "content/pages/jgjj.md"]

TRICKY = [
    ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "&a ", "*a", "*nosuch", "<<: *a\n", "!!binary ", "!!python/object:os.system ",
    "!!set ", "!!omap ", "!!timestamp ", "? ", "|\n", ">-\n", "\t", "\n", "\n  ", "---\n", "...\n", "'", '"', "\\", "%YAML 1.1\n",
    "#", "\x00", "\ufeff", "\u2028", "2024-02-30", "2024-13-01", "0000-00-00", "9999-12-31", "1e400", ".nan", "-.inf", "0x1F",
    "99999999999999999999999", "true", "null", "~", "../", "../../../../etc/passwd", "/etc/passwd", "C:\\Windows", "a" * 300,
    "<script>alert(1)</script>", "javascript:alert(1)", "id: ", "columns: ", "children: ", "kind: ", "page: ", "file: ",
    "name: ", "published: ", "privacy_ok: ", "match: ", "- match: x\n", "[[[[[[[[[[", "{a: {a: {a: {a: ", "[" * 2000,
    "330102199001011234", "１３８００１３８０００",
]


def write_site(root: Path, override: dict[str, bytes] | None = None) -> Path:
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(textwrap.dedent(text).encode("utf-8"))
    for rel, data in (override or {}).items():
        (root / rel).write_bytes(data)
    return root


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The small site, written once: each example overwrites one file and puts it back afterwards (writing the
    whole site into a new folder per example took as long as loading it)."""
    return write_site(tmp_path_factory.mktemp("hostile"))


def load_or_clean_error(root: Path, override: dict[str, bytes]) -> None:
    assert set(override) <= set(FILES)
    originals = {rel: (root / rel).read_bytes() for rel in override}
    try:
        for rel, data in override.items():
            (root / rel).write_bytes(data)
        try:
            load_catalogue(root, BUILD)
        except GongkaiError as exc:
            assert exc.problems, "a GongkaiError lists its problems"
            for p in exc.problems:
                assert isinstance(p.file, str) and isinstance(p.message, str) and p.message
                p.format()
    finally:
        for rel, data in originals.items():
            (root / rel).write_bytes(data)


def test_the_fixture_site_loads(base):
    cat = load_catalogue(base, BUILD)
    assert len(cat.documents) == 1 and cat.privacy.used


def test_an_example_leaves_the_site_as_it_was(base):
    before = {rel: (base / rel).read_bytes() for rel in FILES}
    load_or_clean_error(base, {"catalog/columns.yml": b"columns: [\n"})
    assert {rel: (base / rel).read_bytes() for rel in FILES} == before


# --- random YAML -------------------------------------------------------------------------------------

KEYS = st.sampled_from([
    "name", "org_code", "site_url", "contact", "topics", "validity", "guide", "privacy_ok", "columns", "children", "id",
    "kind", "page", "url", "frequency", "office", "description", "title", "published", "written", "effective", "expires",
    "status", "replaced_by", "interprets", "attachments", "file", "match", "reason", "packages", "items", "faq", "phone",
    "policies", "online", "revised", "revisions", "date", "note", "normative", "disclosure", "year", "index_no",
]) | st.text(max_size=8)
SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30) | st.floats()
           | st.text(max_size=30) | st.dates() | st.sampled_from(TRICKY))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
                      max_leaves=25)


def dump(value) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode("utf-8")


@SETTINGS
@given(target=st.sampled_from(["catalog/site.yml", "catalog/columns.yml", "catalog/packages.yml"]), value=VALUES)
def test_random_yaml_files(base, target, value):
    load_or_clean_error(base, {target: dump(value)})


@SETTINGS
@given(value=st.dictionaries(KEYS, VALUES, max_size=8), body=st.text(max_size=60))
def test_random_front_matter(base, value, body):
    text = b"---\n" + dump(value) + b"---\n\n" + body.encode("utf-8", "surrogatepass")
    load_or_clean_error(base, {"content/documents/2026/a.md": text})


@SETTINGS
@given(value=st.dictionaries(KEYS, VALUES, max_size=6))
def test_random_guide_front_matter(base, value):
    load_or_clean_error(base, {"content/guide.md": b"---\n" + dump(value) + "---\n\n正文\n".encode()})


# --- mutations of valid files --------------------------------------------------------------------------


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    target = draw(st.sampled_from(TARGETS))
    text = textwrap.dedent(FILES[target])
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "dup_line", "swap_lines", "indent"]))
        pos = draw(st.integers(0, len(text)))
        if op == "insert":
            text = text[:pos] + draw(st.sampled_from(TRICKY) | st.text(max_size=5)) + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 20)):]
        elif op == "replace":
            text = text[:pos] + draw(st.sampled_from(TRICKY)) + text[pos + draw(st.integers(1, 10)):]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if op == "dup_line":
                lines.insert(i, lines[i])
            elif op == "swap_lines":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines[i] = draw(st.sampled_from(["  ", "    ", "\t", ""])) + lines[i].lstrip()
            text = "\n".join(lines)
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()) and draw(st.booleans()):  # sometimes not UTF-8 at all
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xe6\x96", b"\x80\x80"])) + data[cut:]
    return target, data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated())
def test_mutated_files(base, case):
    target, data = case
    load_or_clean_error(base, {target: data})


# --- known tracebacks, kept as plain regression tests --------------------------------------------------


@pytest.mark.parametrize("target, text", [
    ("catalog/columns.yml", "columns: " + "[" * 3000 + "]" * 3000),  # nesting deeper than Python's stack
    ("content/pages/jgjj.md", "\udcff"),  # not UTF-8
    ("content/guide.md", "\udcff"),
    ("catalog/columns.yml", "columns:\n  - name: x\n    kind: page\n    page: \"pages/\\0.md\"\n"),  # NUL in a path
    ("catalog/columns.yml", "columns:\n  - name: x\n    kind: page\n    page: " + "a" * 5000 + ".md\n"),  # name too long
    ("content/documents/2026/a.md", "---\ntitle: x\npublished: 2026-01-01\ncolumns: [tzgg]\nattachments: [\"a\\0b\"]\n---\n"),
    ("content/documents/2026/a.md", "---\ntitle: !!timestamp 关于\npublished: 2026-01-01\ncolumns: [tzgg]\n---\n"),
    ("catalog/site.yml", "name: !!binary aGVsbG8=\norg_code: !!set {a}\nsite_url: !!float 1e400\n"),
    ("catalog/columns.yml", "columns: &a\n  - name: x\n    children: *a\n"),  # a recursive alias
    ("content/documents/2026/a.md", "---\ntitle: x\npublished: 2026-01-01\ncolumns: [tzgg]\nattachments: [" + "b" * 5000 + "]\n---\n"),
])
def test_regressions(base, target, text):
    load_or_clean_error(base, {target: text.encode("utf-8", "surrogateescape")})


# --- paths that try to leave their folder ----------------------------------------------------------------


@pytest.mark.parametrize("target, old, new, field", [
    ("content/documents/2026/a.md", "file: ../../files/a.txt", "file: ../../../catalog/site.yml", "attachments"),
    ("content/documents/2026/a.md", "file: ../../files/a.txt", "file: /etc/passwd", "attachments"),
    ("content/documents/2026/a.md", "file: ../../files/a.txt", "file: C:\\\\Windows\\\\win.ini", "attachments"),
    ("content/documents/2026/a.md", "file: ../../files/a.txt", "file: ../../files/../../mkdocs.yml", "attachments"),
    ("content/documents/2026/a.md", "title: 关于某事项的通知", "title: x\nid: ../../evil", "id"),
    ("content/documents/2026/a.md", "title: 关于某事项的通知", "title: x\nid: /abs", "id"),
    ("content/documents/2026/a.md", "title: 关于某事项的通知", "title: x\nid: a/../b", "id"),
    ("catalog/columns.yml", "id: tzgg", "id: ../tzgg", "id"),
    ("catalog/columns.yml", "id: tzgg", "id: /tzgg", "id"),
    ("catalog/columns.yml", "page: pages/jgjj.md", "page: ../catalog/site.yml", "page"),
    ("catalog/columns.yml", "page: pages/jgjj.md", "page: /etc/passwd", "page"),
    ("catalog/packages.yml", "id: hyjt", "id: ../hyjt", "id"),
])
def test_paths_cannot_leave_their_folder(target, old, new, field):
    text = textwrap.dedent(FILES[target])
    assert old in text
    with tempfile.TemporaryDirectory() as tmp:
        root = write_site(Path(tmp), {target: text.replace(old, new).encode("utf-8")})
        with pytest.raises(GongkaiError) as info:
            load_catalogue(root, BUILD)
        assert any(p.field == field and p.file == target for p in info.value.problems), info.value.report()


def test_symlinked_attachment_outside_content_is_rejected(tmp_path):
    root = write_site(tmp_path)
    (root / "content" / "files" / "a.txt").unlink()
    (root / "content" / "files" / "a.txt").symlink_to(root / "catalog" / "site.yml")
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, BUILD)
    assert any(p.field == "attachments" for p in info.value.problems)
