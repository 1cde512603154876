"""The citizen's side of the site (issue 17): a home page that leads to services, the marks of a Chinese government
site (logo, favicon, 党政机关网站标识, 我为政府网站找错, 网站地图, 隐私声明, 网站声明, 联系我们), a Chinese 404 that leads
back from any depth and from a folder, nothing of Material's that the site does not use, and site.yml settings that
are checked like everything else."""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import BUILD_DATE, REPO, copy_example, run_build
from gongkai.load.loader import load_catalogue

SITE = yaml.safe_load((REPO / "catalog" / "site.yml").read_text(encoding="utf-8"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def test_home_page_leads_to_services_first(example_site):
    page = soup(example_site / "index.html")
    headings = [h.get_text(strip=True) for h in page.select(".md-content h2")]
    assert headings[:3] == ["常用服务", "最新公开", "公开目录"]
    tiles = page.select("ul.gk-services a.gk-service")
    names = [t.select_one(".gk-service__name").get_text(strip=True) for t in tiles]
    services = SITE["home"]["services"]
    assert len(tiles) == len(services)
    # a name written in site.yml wins; else the package's or column's own
    assert names[0] == "低保、特困、临时救助" and names[2] == "困境儿童关爱保障一件事" and names[3] == "婚姻登记"
    hrefs = [t["href"] for t in tiles]
    assert hrefs[:4] == ["packages/shjz/index.html", "packages/jjylfw/index.html", "packages/kjetgabz/index.html",
                         "zdlyxxgk/hydj/index.html"]
    for href in hrefs:
        assert (example_site / href).is_file(), href
    # every 一件事 package is reachable from the home page in one step (here as a tile)
    packages = yaml.safe_load((REPO / "catalog" / "packages.yml").read_text(encoding="utf-8"))["packages"]
    in_tiles = {h.split("/")[1] for h in hrefs if h.startswith("packages/")}
    assert {p["id"] for p in packages if p["name"].endswith("一件事")} <= in_tiles
    # 最新公开: dates are <time>, the 文号 cell does not break (gongkai.css: white-space nowrap)
    assert len(page.select("#gk-home-latest ~ table.gk-doclist tbody tr")) == SITE["home"]["latest"]


def test_without_services_in_site_yml_the_packages_and_main_columns_are_shown(tmp_path):
    root = copy_example(tmp_path / "site")
    data = (root / "catalog" / "site.yml").read_text(encoding="utf-8")
    (root / "catalog" / "site.yml").write_text(data.split("\n# 首页「常用服务」")[0] + "\n", encoding="utf-8")
    assert run_build(root).returncode == 0
    page = soup(root / "site" / "index.html")
    hrefs = [a["href"] for a in page.select("a.gk-service")]
    assert hrefs[:4] == ["packages/shjz/index.html", "packages/kjetgabz/index.html", "packages/jjhmsz/index.html",
                         "packages/jjylfw/index.html"]
    assert {"zcwj/index.html", "zfxxgkzn/index.html", "ysqgk/index.html"} <= set(hrefs)
    # no logo configured: no borrowed icon in its place, and gongkai's own favicon
    assert not page.select(".gk-brand img") and not page.select(".md-header svg path[d^='M12 8a3']")
    assert page.select_one("link[rel=icon]")["href"] == "assets/gongkai/favicon.svg"
    assert not page.select(".gk-footer__marks")


def test_every_page_carries_the_marks_of_a_government_site(example_site):
    for rel in ("index.html", "zcwj/index.html", "documents/szmz-2024-3.html", "about/sitemap/index.html"):
        page = soup(example_site / rel)
        up = "../" * rel.count("/")
        brand = page.select_one("header a.gk-brand")
        assert brand["href"] == up + "index.html", rel  # a file: opened from a folder it is the home page, not a listing
        assert brand.select_one("img")["src"] == up + "files/marks/logo.svg"
        assert page.select_one("link[rel=icon]")["href"] == up + "assets/gongkai/favicon.svg"
        drawer_home = page.select_one(".md-nav__title a.md-logo")
        assert drawer_home["href"] == up + "index.html", rel
        footer = page.select_one("footer.gk-footer")
        links = {a.get_text(strip=True): a["href"] for a in footer.select(".gk-footer__links a")}
        for name, target in (("网站地图", "about/sitemap/index.html"), ("联系我们", "about/contact/index.html"),
                             ("隐私声明", "about/privacy/index.html"), ("网站声明", "about/terms/index.html"),
                             ("无障碍声明", "accessibility/index.html")):
            assert links[name] == posixpath.relpath(target, posixpath.dirname(rel) or "."), (rel, name)
        marks = footer.select(".gk-mark")
        assert marks[0].select_one("img")["alt"] == "党政机关网站标识" and marks[0].select_one("img")["src"].endswith("dzjg-sample.svg")
        # 我为政府网站找错 without an address (an intranet): leads to 联系我们, where the phone and email are
        assert marks[1].get_text(strip=True) == "我为政府网站找错"
        assert marks[1].select_one("a")["href"] == posixpath.relpath("about/contact/index.html", posixpath.dirname(rel) or ".") + "#zhaocuo"
        assert f"网站标识码：{SITE['site_id']}" in footer.get_text()


def test_sitemap_lists_every_column_and_package(example_site):
    cat = load_catalogue(REPO, dt.date.fromisoformat(BUILD_DATE))
    page = soup(example_site / "about" / "sitemap" / "index.html")
    hrefs = [a["href"] for a in page.select(".gk-sitemap a")]
    assert hrefs == ["../../" + c.href for c in cat.columns()]
    assert {a["href"] for a in page.select("#gk-sitemap-packages ~ ul a")} == {"../../" + p.href for p in cat.packages}


def test_statements_and_contact_page(example_site):
    contact = soup(example_site / "about" / "contact" / "index.html")
    text = contact.get_text()
    assert SITE["contact"]["phone"] in text and SITE["contact"]["email"] in text and SITE["contact"]["address"] in text
    assert contact.select_one("#zhaocuo") is not None
    privacy = soup(example_site / "about" / "privacy" / "index.html").get_text()
    # says what is true of the built site: no cookies, one local setting (its real name), search in the browser
    assert "不使用 Cookie" in privacy and "gongkai.elder" in privacy and "搜索在您的浏览器中完成" in privacy
    chrome = (example_site / "assets" / "gongkai" / "chrome.js").read_text(encoding="utf-8")
    assert 'KEY = "gongkai.elder"' in chrome and "cookie" not in chrome.lower()
    terms = soup(example_site / "about" / "terms" / "index.html").get_text()
    assert "以正式印发的文件为准" in terms and SITE["name"] in terms
    statement = soup(example_site / "accessibility" / "index.html")
    # the accessibility statement says search works from a folder (it does: tests/test_offline.py) and is dated
    # by its own revision, not by the build
    assert "全文搜索同样可用" in statement.get_text() and "file://）直接打开网页时，全文搜索不可用" not in statement.get_text()
    assert statement.select_one(".gk-statement-date time")["datetime"] == "2026-12-01"


def test_a_bureau_replaces_a_statement_with_its_own_text(tmp_path):
    root = copy_example(tmp_path / "site")
    (root / "content" / "pages" / "yszc.md").write_text("# 隐私声明\n\n本局网站隐私政策全文。\n", encoding="utf-8")
    site_yml = root / "catalog" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + "statements:\n  privacy: pages/yszc.md\n", encoding="utf-8")
    assert run_build(root).returncode == 0
    page = soup(root / "site" / "about" / "privacy" / "index.html")
    assert "本局网站隐私政策全文。" in page.get_text() and "不使用 Cookie" not in page.get_text()
    assert len(page.select(".md-content h1")) == 1  # the page's own "# 隐私声明" is not printed twice


def test_404_is_chinese_and_self_contained(example_site):
    html = (example_site / "404.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "lxml")
    assert page.html["lang"] == "zh-CN" and "页面不存在" in page.title.get_text()
    assert "Not found" not in html
    # no stylesheet or script to find from an unknown depth: styles inline, links from the site's root path
    assert not page.select("link[rel=stylesheet]") and not page.select("script[src]")
    root = "/" + SITE["site_url"].split("://", 1)[1].split("/", 1)[1]
    links = {a.get_text(strip=True): a["href"] for a in page.select("main a")}
    assert links["返回首页"] == root + "index.html"
    assert page.select_one("form[role=search]")["action"] == root + "search/index.html"


def test_404_from_a_folder_leads_home(browser, example_site):
    page = browser.new_page()
    page.goto((example_site / "404.html").as_uri())
    page.get_by_text("返回首页").click()
    page.wait_for_load_state()
    assert page.url == (example_site / "index.html").as_uri()
    page.go_back()
    page.fill("#q", "低保")
    page.press("#q", "Enter")
    page.wait_for_selector(".gk-result")
    assert page.url.startswith((example_site / "search" / "index.html").as_uri())
    page.close()


def test_unused_theme_files_are_not_shipped(example_site):
    assert not (example_site / "assets" / "javascripts" / "lunr").exists()
    assert not (example_site / "assets" / "javascripts" / "workers").exists()
    assert not list(example_site.rglob("*.map"))
    assert not (example_site / "assets" / "images" / "favicon.png").exists()
    assert list((example_site / "assets" / "javascripts").glob("bundle.*.min.js"))  # Material's own script stays
    size = sum(p.stat().st_size for p in (example_site / "assets").rglob("*") if p.is_file())
    assert size < 800_000, size


@pytest.mark.parametrize("yaml_text, message", [
    ("home:\n  services:\n    - column: nosuch\n", "常用服务：找不到栏目「nosuch」"),
    ("home:\n  services:\n    - package: nosuch\n", "常用服务：找不到主题服务包「nosuch」"),
    ("home:\n  services:\n    - document: nosuch\n", "常用服务：文件「nosuch」不存在"),
    ("home:\n  services:\n    - column: zcwj\n      package: shjz\n", "应写且只写 column"),
    ("home:\n  services:\n    - url: zwfw.example.gov.cn\n      name: 办事\n", "不是以 http:// 或 https:// 开头的网址"),
    ("marks:\n  logo: files/marks/none.png\n", "找不到文件 content/files/marks/none.png"),
    ("marks:\n  logo: ../catalog/site.yml\n", "不在 content/ 中"),
    ("marks:\n  dzjg: {}\n", "应写 image（图片）、url（链接）或 text（文字）"),
    ("search:\n  synonyms:\n    - [低保]\n", "只有一个词"),
    ("search:\n  synonyms: 低保\n", "应为同义词组的列表"),
    ("search:\n  related:\n    养老金: 高\n", "不是至少两个字的词语"),
])
def test_bad_portal_settings_stop_the_build_with_file_line_and_field(tmp_path, yaml_text, message):
    root = copy_example(tmp_path / "site")
    site_yml = root / "catalog" / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    for key in ("home:", "marks:", "search:"):  # replace the example's own section of that name
        if yaml_text.startswith(key):
            head, _, tail = text.partition("\n" + key + "\n")
            rest = tail.split("\n\n", 1)
            text = head + "\n" + (rest[1] if len(rest) > 1 else "")
    site_yml.write_text(text + "\n" + yaml_text, encoding="utf-8")
    result = run_build(root)
    assert result.returncode != 0
    assert "catalog/site.yml:" in result.stderr and message in result.stderr, result.stderr[-1500:]
    assert not (root / "site").exists()
