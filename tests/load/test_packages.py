"""主题服务包: catalog/packages.yml validation, the directory page, one page per package at a stable URL."""

from __future__ import annotations

import datetime as dt
import posixpath
import textwrap
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import BUILD_DATE, REPO, cli, copy_example, make_site
from gongkai.build.pages import SitePlan
from gongkai.build.render import Renderer
from gongkai.checks.validity import validity
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue

DAY = dt.date.fromisoformat(BUILD_DATE)
EXAMPLE = yaml.safe_load((REPO / "catalog" / "packages.yml").read_text(encoding="utf-8"))["packages"]


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(REPO, DAY)


def soup_of(site: Path, href: str) -> BeautifulSoup:
    return BeautifulSoup((site / href).read_text(encoding="utf-8"), "lxml")


def resolve(from_href: str, link: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_href), link))


# --- the example bureau -----------------------------------------------------------------------


def test_example_ships_the_named_packages(cat):
    names = {p.name: p for p in cat.packages}
    for name in ("社会救助一件事", "困境儿童关爱保障一件事", "基金会两个免税资格办理"):
        assert name in names
        pkg = names[name]
        assert pkg.items and pkg.steps and pkg.materials and pkg.where and pkg.phone and pkg.online and pkg.faq
        assert pkg.policies and all(d.is_public for d in pkg.policies)
    assert [d.id for d in names["社会救助一件事"].policies][:2] == ["szmz-2024-3", "szmz-2023-5"]
    assert [d.id for d in names["困境儿童关爱保障一件事"].policies] == ["szmz-2026-4"]


def test_package_text_is_reachable_for_checks(cat):
    """The privacy gate scans published text: every string of a package is on Package.texts()."""
    pkg = cat.packages[0]
    raw = EXAMPLE[0]
    texts = pkg.texts()
    for key in ("name", "summary", "online"):
        assert raw[key] in texts
    for key in ("items", "steps", "materials", "where", "phone"):
        assert all(str(t) in texts for t in raw[key])
    assert all(q["question"] in texts and q["answer"] in texts for q in raw["faq"])


def test_directory_page_links_every_package(example_site, cat):
    col = next(c for c in cat.columns() if c.kind == "packages")
    soup = soup_of(example_site, col.href)
    cards = soup.select("li.gk-package-card")
    assert [c["data-package-id"] for c in cards] == [p.id for p in cat.packages]
    for card, pkg in zip(cards, cat.packages, strict=True):
        link = card.select_one(".gk-package-card__name a")
        assert link.get_text(strip=True) == pkg.name
        assert resolve(col.href, link["href"]) == f"packages/{pkg.id}/index.html"
        assert (example_site / resolve(col.href, link["href"])).is_file()
        assert card.select_one(".gk-package-card__summary").get_text(strip=True) == pkg.summary
        posters = [resolve(col.href, a["href"]) for a in card.select("a[download]")]
        assert posters == [f"posters/{pkg.id}-A4.pdf", f"posters/{pkg.id}-A3.pdf"]
        assert all((example_site / p).is_file() for p in posters)


def test_package_page_shows_everything_of_the_yaml(example_site, cat):
    for raw, pkg in zip(EXAMPLE, cat.packages, strict=True):
        href = f"packages/{pkg.id}/index.html"
        soup = soup_of(example_site, href)
        art = soup.select_one("article.gk-package")
        assert art["data-package-id"] == raw["id"]
        assert art.select_one("h1").get_text(strip=True) == raw["name"]
        assert soup.title.get_text().startswith(raw["name"])
        assert art.select_one(".gk-package__summary").get_text(strip=True) == raw["summary"]

        def texts(sel, art=art):
            return [li.get_text(" ", strip=True) for li in art.select(sel)]

        assert texts(".gk-package__items li") == raw["items"]
        assert texts(".gk-package__steps li") == raw["steps"]
        assert texts(".gk-package__materials li") == raw["materials"]
        assert texts(".gk-package__where li") == raw["where"]
        phones = art.select(".gk-package__phone a")
        assert [a.get_text() for a in phones] == [str(p) for p in raw["phone"]]
        assert all(a["href"].startswith("tel:") for a in phones)
        assert art.select_one(".gk-package__online a")["href"] == raw["online"]
        faq = art.select_one(".gk-package__faq")
        assert [dt_.get_text() for dt_ in faq.select("dt")] == [f"问：{q['question']}" for q in raw["faq"]]
        assert [dd.get_text() for dd in faq.select("dd")] == [f"答：{q['answer']}" for q in raw["faq"]]
        # 政策依据: links to the document pages, each with its validity label
        items = art.select(".gk-package__policies li")
        assert [li["data-doc-id"] for li in items] == raw["policies"]
        for li, doc in zip(items, pkg.policies, strict=True):
            target = resolve(href, li.a["href"])
            assert target == f"documents/{doc.id}.html" and (example_site / target).is_file()
            v = validity(doc, DAY)
            badge = li.select_one(".gk-badge")
            assert (badge.get_text() if badge else None) == (v.label if v else None)
        # breadcrumb back to the packages column
        crumbs = [resolve(href, a["href"]) for a in soup.select("nav.gk-breadcrumb a")]
        col = next(c for c in cat.columns() if c.kind == "packages")
        assert crumbs[-1] == col.href


def test_expired_policy_shows_its_label(example_site):
    """社会救助 cites the 2022 临时救助 暂行 rules whose term ended: the reader sees 已失效 next to the link."""
    soup = soup_of(example_site, "packages/shjz/index.html")
    li = soup.select_one('.gk-package__policies li[data-doc-id="szmz-2022-2"]')
    assert li.select_one(".gk-badge").get_text() == "已失效"


def test_sitemap_lists_package_pages(example_site, cat):
    sitemap = (example_site / "sitemap.xml").read_text(encoding="utf-8")
    for pkg in cat.packages:
        assert f"<loc>{cat.site.site_url}packages/{pkg.id}/index.html</loc>" in sitemap


# --- stable URL ---------------------------------------------------------------------------------


def plans_of(root: Path) -> dict[str, str]:
    cat = load_catalogue(root, DAY)
    plan = SitePlan(cat, Renderer(root))
    out = {}
    for p in plan.plans():
        if p.template == "package.html":
            # the modules of the code (its <title> names the package, so it may change with the name)
            out[p.src_uri] = BeautifulSoup(p.context["qr_svg"], "html.parser").select_one("path.gk-qr__modules")["d"]
    return out


def test_url_and_qr_follow_the_id_not_the_name_or_the_column(tmp_path):
    before = plans_of(REPO)
    assert set(before) == {f"packages/{raw['id']}/index.md" for raw in EXAMPLE}
    root = copy_example(tmp_path / "renamed")
    pk = root / "catalog" / "packages.yml"
    pk.write_text(pk.read_text(encoding="utf-8").replace("name: 社会救助一件事", "name: 困难群众救助“一件事”"), encoding="utf-8")
    cols = root / "catalog" / "columns.yml"
    text = cols.read_text(encoding="utf-8").replace("      - name: 主题服务包\n", "      - name: 一件事服务\n        id: yjsfw\n", 1)
    assert "yjsfw" in text
    cols.write_text(text, encoding="utf-8")
    after = plans_of(root)
    assert after == before  # same pages, same QR codes


# --- validation -----------------------------------------------------------------------------------

COLUMNS = """\
columns:
  - name: 主题服务包
    id: ztfwb
    kind: packages
  - name: 部门文件
    id: bmwj
    kind: documents
"""
DOCS = {
    "a.md": "---\ntitle: 甲办法\npublished: 2024-01-01\ncolumns: [bmwj]\n---\n正文\n",
    "b.md": "---\ntitle: 乙答复\npublished: 2024-01-01\ncolumns: [bmwj]\ndisclosure: 依申请公开\n---\n正文\n",
}


def small_site(root: Path, packages_yml: str | None, columns: str = COLUMNS) -> Path:
    make_site(root, columns, DOCS)
    if packages_yml is not None:
        (root / "catalog" / "packages.yml").write_text(textwrap.dedent(packages_yml), encoding="utf-8")
    return root


def problems_of(root: Path) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, DAY)
    assert all(p.file == "catalog/packages.yml" for p in info.value.problems if p.level == "error")
    return [(p.line, p.field, p.message) for p in info.value.problems if p.level == "error"]


def test_a_good_small_file_loads(tmp_path):
    cat = load_catalogue(small_site(tmp_path, """\
        - id: jia
          name: 甲一件事
          summary: 简介
          items: [事项一]
          policies: [a]
          phone: "0571-1"
        """), DAY)
    (pkg,) = cat.packages
    assert (pkg.id, pkg.phone, [d.id for d in pkg.policies]) == ("jia", ["0571-1"], ["a"])
    assert [w for w in cat.warnings if w.file == "catalog/packages.yml"] == []


def test_every_mistake_is_reported_with_its_line_and_field(tmp_path):
    found = problems_of(small_site(tmp_path, """\
        packages:
          - id: Bad_ID
            name: 甲
            summary: 简介
            items: [一]
          - name: 无标识
            summary: 简介
            items: [一]
          - id: yi
            name: 乙
            summary: 简介
            item: [一]
            online: www.example.gov.cn
            policies:
              - a
              - nosuch
              - b
            faq:
              - question: 问
          - id: yi
            name: 乙二
            summary: 简介
            items: [一]
        """))
    def has(line, field, *words):
        return any(ln == line and fl == field and all(w in msg for w in words) for ln, fl, msg in found)

    assert has(2, "id", "Bad_ID", "小写字母")
    assert has(6, "id", "缺少必填字段「id」")
    assert has(12, "item", "未知字段「item」", "items")
    assert has(9, "items", "缺少必填字段「items」")
    assert has(13, "online", "http://")
    assert has(16, "policies", "「nosuch」不存在")
    assert has(17, "policies", "「b」", "依申请公开")
    assert has(19, "answer", "缺少必填字段「answer」")
    assert has(20, "id", "「yi」重复", "第 9 行")


def test_top_level_must_be_a_list(tmp_path):
    found = problems_of(small_site(tmp_path, "packages: 社会救助\n"))
    assert any("应为列表" in msg for _, _, msg in found)


def test_no_file_means_no_packages_and_no_warning(tmp_path):
    cat = load_catalogue(small_site(tmp_path, None), DAY)
    assert cat.packages == [] and [w for w in cat.warnings if w.file == "catalog/packages.yml"] == []


def test_packages_without_a_packages_column_warn(tmp_path):
    root = small_site(tmp_path, "- {id: jia, name: 甲, summary: 简介, items: [一]}\n",
                      columns="columns:\n  - name: 部门文件\n    id: bmwj\n    kind: documents\n")
    cat = load_catalogue(root, DAY)
    assert any(w.file == "catalog/packages.yml" and "kind: packages" in w.message for w in cat.warnings)


def test_bad_packages_stop_the_build_and_write_nothing(tmp_path):
    """The loader stops with the file and the missing document; `gongkai check` exits 1 with it. (That a stopped
    build prints the loader's report and writes nothing: tests/e2e/test_atomic.py.)"""
    root = copy_example(tmp_path / "site")
    pk = root / "catalog" / "packages.yml"
    pk.write_text(pk.read_text(encoding="utf-8").replace("- szmz-2026-4\n", "- szmz-2099-1\n"), encoding="utf-8")
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, DAY)
    report = info.value.report()
    assert "catalog/packages.yml" in report and "「szmz-2099-1」不存在" in report
    result = cli(root, "check")
    assert result.returncode == 1 and "「szmz-2099-1」不存在" in result.stderr
    assert not (root / "site").exists()


def test_shipped_schema_accepts_the_example_and_flags_a_typo():
    import json

    import jsonschema

    schema = json.loads((REPO / "schemas" / "packages.schema.json").read_text(encoding="utf-8"))
    data = json.loads(json.dumps(yaml.safe_load((REPO / "catalog" / "packages.yml").read_text(encoding="utf-8")), default=str))
    jsonschema.validate(data, schema)
    bad = {"packages": [{"id": "jia", "name": "甲", "summary": "简介", "items": ["一"], "polices": ["a"]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    assert schema["$defs"]["package"]["properties"]["items"]["title"] == "事项清单"


def test_outdated_policy_warns_at_its_line(cat, tmp_path):
    warns = [w for w in cat.warnings if w.file == "catalog/packages.yml" and w.field == "policies"]
    line = next(i for i, text in enumerate((REPO / "catalog" / "packages.yml").read_text(encoding="utf-8").splitlines(), 1)
                if text.strip() == "- szmz-2022-2")
    assert [(w.line, "「szmz-2022-2」" in w.message and "已失效" in w.message) for w in warns] == [(line, True)]
    # while its term runs, the same document raises no warning (a copy whose term was extended)
    root = copy_example(tmp_path / "extended")
    doc = root / "content/documents/2022/szmz-2022-2.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("expires: 2024-04-30", "expires: 2099-04-30"), encoding="utf-8")
    running = load_catalogue(root, cat.build_date)
    assert not [w for w in running.warnings if w.file == "catalog/packages.yml" and w.field == "policies"]
