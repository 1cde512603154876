"""Published lists in a real `mkdocs build`: only masked values in any output file (compressed search data
included), paged static pages without JavaScript, and a list past its 公示期 absent from a later build."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fixtures.lists.shapes import BIG_ROWS, id_number, make_big_site, mobile, person

from conftest import run_build, run_cli
from gongkai.build import searchindex
from gongkai.build.lists import PAGE_SIZE

FOLDER = "jzdxgs/dibao-big"


def _texts(data: bytes) -> list[bytes]:
    """The bytes of a file, and their decompressed form when it is gzip/zlib-compressed (search index, sitemap)."""
    out = [data]
    try:
        out.append(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else zlib.decompress(data))
    except (OSError, EOFError, zlib.error):
        pass
    return out


def _files(site: Path) -> dict[str, str]:
    """Every output file as text (decompressed too), JSON escapes undone so \\uXXXX cannot hide a value."""
    out = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            text = "\n".join(b.decode("utf-8", "replace") for b in _texts(path.read_bytes()))
            if "\\u" in text:
                text += re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)
            out[path.relative_to(site).as_posix()] = text
    return out


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return make_big_site(tmp_path_factory.mktemp("lists"))


@pytest.fixture(scope="module")
def site(root) -> Path:
    result = run_build(root, "2026-11-24")
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def files(site) -> dict[str, str]:
    return _files(site)


def test_no_output_file_holds_an_unmasked_value(files):
    secrets = [v for n in range(BIG_ROWS) for v in (id_number(n), person(n), mobile(n), f"ZZHIDDEN{n:04d}")]
    secrets += ["ZZOLDNAME0", "ZZOLDADDRESS", "ZZENDEDLIST"]
    pattern = re.compile("|".join(map(re.escape, secrets)))
    leaks = {name: sorted(set(pattern.findall(text)))[:3] for name, text in files.items() if pattern.search(text)}
    assert len(files) > 40
    assert leaks == {}


def test_the_same_scan_sees_the_masked_values(files):
    masked_id = id_number(7)[:6] + "*" * 8 + id_number(7)[-4:]
    masked_name = person(7)[0] + "*" + person(7)[-1]
    where = {name for name, text in files.items() if masked_id in text}
    assert {f"{FOLDER}/index.html", "data/lists/dibao-big.csv", "data/lists/dibao-big.json",
            "data/lists/dibao-big.js"} <= where
    assert any(masked_name in files[n] for n in where)
    # the source spreadsheets are not copied (the one .xlsx is the 标准目录 download gongkai writes itself)
    assert [n for n in files if n.endswith(".xlsx")] == ["data/catalogue.xlsx"]


def _result_urls(site: Path, query: str) -> list[str]:
    index = site / "search" / "index"
    metas: list[dict] = []
    for k in range(len(list((index / "m").glob("*.js")))):
        data = (index / "m" / f"{k}.js").read_text(encoding="utf-8")
        metas += json.loads(data[data.index(",") + 1:data.rindex(")")])
    return [metas[n]["u"] for n, _ in searchindex.search(index, query)]


def test_the_site_search_finds_the_rows_of_searchable_fields(site):
    # 家庭住址 is searchable (text); 身份证号 is not: its masked digits find nothing
    urls = _result_urls(site, "南湖镇北山村")
    assert f"{FOLDER}/index.html" in urls and f"{FOLDER}/page-20.html" in urls
    assert _result_urls(site, id_number(7)[-4:] + " " + id_number(7)[:6]) == []


def test_a_thousand_rows_are_paged_static_pages(site):
    pages = BIG_ROWS // PAGE_SIZE
    seen: list[str] = []
    for n in range(1, pages + 1):
        path = site / FOLDER / ("index.html" if n == 1 else f"page-{n}.html")
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        rows = soup.select("table.gk-datatable tbody tr")
        assert len(rows) == PAGE_SIZE
        seen += [r.select("td")[0].get_text() for r in rows]
        pager = soup.select_one("nav.gk-pager")
        assert pager.select_one("[aria-current=page]").get_text() == str(n)
        links = {a["href"] for a in pager.select("a")}
        assert links >= {"index.html"} | {f"page-{k}.html" for k in range(2, pages + 1)}
        assert (pager.select_one("a[rel=prev]") is None) == (n == 1)
        assert (pager.select_one("a[rel=next]") is None) == (n == pages)
        # cells carry their heading for the phone layout
        assert [td["data-label"] for td in rows[0].select("td")][:3] == ["序号", "户主姓名", "身份证号"]
    assert seen == [str(i) for i in range(1, BIG_ROWS + 1)]
    assert not (site / FOLDER / f"page-{pages + 1}.html").exists()


def test_exports_hold_the_masked_table(site):
    rows = list(csv.reader(io.StringIO((site / "data/lists/dibao-big.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["户主姓名", "身份证号", "家庭住址", "保障人口", "月保障金额（元）", "联系电话"]
    assert len(rows) == BIG_ROWS + 1 and rows[1][5] == mobile(0)[:3] + "****" + mobile(0)[-4:]
    data = json.loads((site / "data/lists/dibao-big.json").read_text(encoding="utf-8"))
    assert data["count"] == BIG_ROWS and data["period_end"] == "2026-11-27"


def test_the_ended_list_is_absent(site, files):
    assert not (site / "jzdxgs" / "dibao-old").exists()
    assert not (site / "data/lists/dibao-old.csv").exists()
    column = BeautifulSoup((site / "jzdxgs/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in column.select("ul.gk-lists a")] == ["dibao-big/index.html"]


def test_after_its_period_the_list_is_absent_from_a_new_build(root, tmp_path):
    root = Path(shutil.copytree(root, tmp_path / "later", ignore=shutil.ignore_patterns("site", ".cache")))
    result = run_build(root, "2026-11-28")
    assert result.returncode == 0, result.stderr
    site = root / "site"
    assert not (site / FOLDER).exists() and not (site / "data" / "lists" / "dibao-big.csv").exists()
    assert (site / "sgs" / "xzcf" / "index.html").exists()  # 双公示 records have their own terms, no 公示期
    column = (site / "jzdxgs/index.html").read_text(encoding="utf-8")
    assert "本栏目暂无正在公示的名单" in column
    leftover = {n for n, t in _files(site).items() if "dibao-big" in t}
    assert leftover == set(), leftover
    manifest = json.loads((root / "site.manifest.json").read_text(encoding="utf-8"))
    assert not [e["path"] for e in manifest["entries"] if "dibao" in e["path"]]


def test_a_list_with_a_period_asks_search_engines_not_to_keep_it(site):
    def robots(rel: str) -> list[str]:
        soup = BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")
        return [m["content"] for m in soup.select("head meta[name=robots]")]

    assert robots(f"{FOLDER}/index.html") == ["noindex, noarchive"]
    assert robots(f"{FOLDER}/page-7.html") == ["noindex, noarchive"]
    assert robots("sgs/xzcf/index.html") == []  # 双公示 records are meant to be found


def test_publish_leaves_no_version_with_an_ended_list_on_the_server(root, tmp_path):
    """Older versions on the server hold the list too: after its 公示期 the next `gongkai publish` deletes them,
    as for a withdrawn document, so a rollback cannot bring the list back."""
    root = Path(shutil.copytree(root, tmp_path / "root", ignore=shutil.ignore_patterns("site", ".cache")))
    (tmp_path / "www").mkdir()
    target = tmp_path / "www" / "zfxxgk"
    assert run_build(root, "2026-11-24").returncode == 0
    first = run_cli(root, "publish", str(target), "--root", str(root), build_date="2026-11-24")
    assert first.returncode == 0, first.stderr
    assert (target / FOLDER / "page-20.html").is_file()  # the check below can see it
    # after the period, a publication of the old build is refused
    refused = run_cli(root, "publish", str(target), "--root", str(root), build_date="2026-11-28")
    assert refused.returncode == 1 and f"{FOLDER}/index.html" in refused.stderr
    assert run_build(root, "2026-11-28").returncode == 0
    second = run_cli(root, "publish", str(target), "--root", str(root), build_date="2026-11-28")
    assert second.returncode == 0, second.stderr
    left = [p for p in (tmp_path / "www").rglob("*") if "dibao-big" in p.as_posix() and p.is_file()]
    assert left == []
