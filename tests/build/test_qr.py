"""QR codes: print-grade settings, and the SVG on each package page scans (in Chromium) to that page's URL."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import zxingcpp
from bs4 import BeautifulSoup
from PIL import Image

from conftest import BUILD_DATE, REPO
from gongkai.build import qr
from gongkai.load.loader import load_catalogue
from gongkai.load.packages import package_url


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(REPO, dt.date.fromisoformat(BUILD_DATE))


def test_print_grade_settings():
    code = qr.make("https://mzj.example.gov.cn/zfxxgk/packages/shjz/")
    assert code.error == "Q"  # 25 % may be dirty or covered: a poster on a notice board
    assert not code.is_micro
    # a short URL keeps the code small in modules, so each module is big on paper
    assert code.version <= 5
    assert code.symbol_size(border=qr.BORDER) == (code.symbol_size(border=0)[0] + 8,) * 2


def test_svg_is_scalable_self_contained_and_titled():
    svg = qr.svg("https://test.example.gov.cn/packages/a/", "甲服务包的二维码")
    soup = BeautifulSoup(svg, "html.parser").svg
    assert soup is not None
    assert soup.get("viewbox") or soup.get("viewBox")
    assert not soup.get("width") and not soup.get("height")  # CSS sizes it
    assert soup.title.get_text() == "甲服务包的二维码"
    assert "http://" not in svg.replace("https://test.example.gov.cn/", "")  # no namespace or other outside URL
    assert qr.svg("https://test.example.gov.cn/packages/a/", "x") == qr.svg("https://test.example.gov.cn/packages/a/", "x")


def test_each_package_page_qr_scans_to_its_own_url(example_site, example_url, browser, cat):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    try:
        for pkg in cat.packages:
            href = f"packages/{pkg.id}/index.html"
            assert (example_site / href).is_file()
            page.goto(example_url + href)
            svg = page.locator("figure.gk-qr svg")
            assert svg.count() == 1
            box = svg.bounding_box()
            assert box and box["width"] >= 120  # big enough to scan off a screen
            image = Image.open(io.BytesIO(svg.screenshot())).convert("L")
            found = [b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode]
            # the page's own absolute URL under site_url, in its short directory form
            assert found == [package_url(cat, pkg)] == [f"{cat.site.site_url}packages/{pkg.id}/"]
            caption = page.locator("figure.gk-qr figcaption").inner_text()
            assert "扫码查看最新内容" in caption and package_url(cat, pkg) in caption
    finally:
        page.close()


def test_on_a_phone_the_content_comes_before_the_code(example_url, browser, cat):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        pkg = cat.packages[0]
        page.goto(example_url + f"packages/{pkg.id}/index.html")
        qr_top = page.locator("figure.gk-qr").bounding_box()["y"]
        assert page.locator("#gk-pk-items").bounding_box()["y"] < qr_top
        assert page.locator("#gk-pk-faq").bounding_box()["y"] < qr_top
        image = Image.open(io.BytesIO(page.locator("figure.gk-qr svg").screenshot())).convert("L")
        assert [b.text for b in zxingcpp.read_barcodes(image)] == [package_url(cat, pkg)]
    finally:
        page.close()
